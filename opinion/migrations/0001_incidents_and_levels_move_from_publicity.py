"""舆情 moves out of publicity with its tables: state only (db_table keeps the old names), and the
content types follow, so permissions, group grants and photos stay attached."""

import django.db.models.deletion
import publicity.fields
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# The models and their history tables, whose content types (and so permissions, group grants, photos
# and any generic relation) follow them from publicity to opinion.
MODELS = ["opinionlevel", "historicalopinionlevel", "opinionincident", "historicalopinionincident"]


def move_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label="opinion", model=model).exists():
            content_type.objects.filter(app_label="publicity", model=model).update(app_label="opinion")


def move_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="opinion", model__in=MODELS).update(app_label="publicity")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("campaigns", "0009_taskparty_history"),
        ("organizations", "0006_security_log_grants_and_prune_schedule"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("publicity", "0004_deadline_alert_schedule"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalOpinionLevel",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        ("code", models.SlugField(max_length=30, verbose_name="代码")),
                        ("name", models.CharField(db_index=True, max_length=20, verbose_name="级别")),
                        (
                            "rank",
                            models.PositiveSmallIntegerField(
                                default=0, help_text="数字越大越严重", verbose_name="严重程度排序"
                            ),
                        ),
                        (
                            "report_deadline_hours",
                            models.PositiveIntegerField(
                                help_text="自发现时起，须在此时限内向县局报告",
                                verbose_name="向县局报告时限（小时）",
                            ),
                        ),
                        (
                            "response_deadline_hours",
                            models.PositiveIntegerField(
                                help_text="自发现时起，须在此时限内发布权威信息或回应",
                                verbose_name="回应时限（小时）",
                            ),
                        ),
                        (
                            "press_conference_hours",
                            models.PositiveIntegerField(
                                blank=True,
                                help_text="需要举行新闻发布会的级别填写",
                                null=True,
                                verbose_name="新闻发布时限（小时）",
                            ),
                        ),
                        (
                            "alert_leadership",
                            models.BooleanField(
                                default=False,
                                help_text="逾期未报告时，除县局管理员外同时提醒县局领导",
                                verbose_name="逾期提醒县局领导",
                            ),
                        ),
                        ("guidance", models.TextField(blank=True, verbose_name="处置要求")),
                        ("is_active", models.BooleanField(default=True, verbose_name="启用")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "舆情级别变更记录",
                        "verbose_name_plural": "historical 舆情级别",
                        "db_table": "publicity_historicalopinionlevel",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="OpinionLevel",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("code", models.SlugField(max_length=30, unique=True, verbose_name="代码")),
                        ("name", models.CharField(max_length=20, unique=True, verbose_name="级别")),
                        (
                            "rank",
                            models.PositiveSmallIntegerField(
                                default=0, help_text="数字越大越严重", verbose_name="严重程度排序"
                            ),
                        ),
                        (
                            "report_deadline_hours",
                            models.PositiveIntegerField(
                                help_text="自发现时起，须在此时限内向县局报告",
                                verbose_name="向县局报告时限（小时）",
                            ),
                        ),
                        (
                            "response_deadline_hours",
                            models.PositiveIntegerField(
                                help_text="自发现时起，须在此时限内发布权威信息或回应",
                                verbose_name="回应时限（小时）",
                            ),
                        ),
                        (
                            "press_conference_hours",
                            models.PositiveIntegerField(
                                blank=True,
                                help_text="需要举行新闻发布会的级别填写",
                                null=True,
                                verbose_name="新闻发布时限（小时）",
                            ),
                        ),
                        (
                            "alert_leadership",
                            models.BooleanField(
                                default=False,
                                help_text="逾期未报告时，除县局管理员外同时提醒县局领导",
                                verbose_name="逾期提醒县局领导",
                            ),
                        ),
                        ("guidance", models.TextField(blank=True, verbose_name="处置要求")),
                        ("is_active", models.BooleanField(default=True, verbose_name="启用")),
                    ],
                    options={
                        "verbose_name": "舆情级别",
                        "verbose_name_plural": "舆情级别",
                        "db_table": "publicity_opinionlevel",
                        "ordering": ["rank", "pk"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("report_deadline_hours__gt", 0), ("response_deadline_hours__gt", 0)
                                ),
                                name="opinion_level_hours_positive",
                                violation_error_message="报告和回应时限须大于 0 小时。",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalOpinionIncident",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        ("title", models.CharField(max_length=150, verbose_name="舆情标题")),
                        ("discovered_at", models.DateTimeField(db_index=True, verbose_name="发现时间")),
                        ("discovered_by", models.CharField(max_length=50, verbose_name="发现人")),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("online_media", "网络媒体"),
                                    ("self_media", "微博/微信/抖音/快手等自媒体"),
                                    ("forum", "论坛贴吧"),
                                    ("traditional", "传统媒体"),
                                    ("hotline", "12345/12315 转办"),
                                    ("superior", "上级交办"),
                                    ("other", "其他"),
                                ],
                                max_length=20,
                                verbose_name="舆情来源",
                            ),
                        ),
                        (
                            "platform",
                            models.CharField(
                                blank=True,
                                help_text="如：抖音、本地论坛",
                                max_length=50,
                                verbose_name="发布平台",
                            ),
                        ),
                        (
                            "url",
                            publicity.fields.WebLinkField(
                                blank=True, max_length=500, verbose_name="原帖链接"
                            ),
                        ),
                        ("summary", models.TextField(verbose_name="舆情摘要")),
                        (
                            "domain",
                            models.CharField(
                                choices=[
                                    ("scales", "电子计价秤"),
                                    ("fuel", "加油机"),
                                    ("meters", "民用“三表”"),
                                    ("taxi", "出租车计价器"),
                                    ("charging", "电动汽车充电桩"),
                                    ("glasses", "眼镜制配"),
                                    ("other", "其他计量问题"),
                                ],
                                max_length=20,
                                verbose_name="涉及领域",
                            ),
                        ),
                        (
                            "involved_party",
                            models.CharField(blank=True, max_length=150, verbose_name="涉事主体"),
                        ),
                        (
                            "reach",
                            models.PositiveIntegerField(
                                blank=True,
                                help_text="阅读、转发、评论的大致数量",
                                null=True,
                                verbose_name="传播量",
                            ),
                        ),
                        (
                            "sentiment",
                            models.CharField(
                                choices=[("negative", "负面"), ("neutral", "中性"), ("positive", "正面")],
                                default="negative",
                                max_length=10,
                                verbose_name="情感倾向",
                            ),
                        ),
                        ("assessment", models.TextField(blank=True, verbose_name="研判意见")),
                        ("actions", models.TextField(blank=True, verbose_name="处置措施")),
                        (
                            "reported_to_county_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="向县局报告时间"),
                        ),
                        ("response", models.TextField(blank=True, verbose_name="回应内容")),
                        (
                            "responded_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="回应时间"),
                        ),
                        ("handling_summary", models.TextField(blank=True, verbose_name="办结情况")),
                        ("closed_on", models.DateField(blank=True, null=True, verbose_name="办结日期")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("discovered", "已发现"),
                                    ("assessing", "研判"),
                                    ("handling", "处置中"),
                                    ("closed", "已办结"),
                                ],
                                db_index=True,
                                default="discovered",
                                max_length=20,
                                verbose_name="处置状态",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(blank=True, editable=False, verbose_name="登记时间"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(blank=True, editable=False, verbose_name="更新时间"),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "campaign",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="campaigns.campaign",
                                verbose_name="活动",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="登记人",
                            ),
                        ),
                        (
                            "handling_unit",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="organizations.unit",
                                verbose_name="处置单位",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "level",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="opinion.opinionlevel",
                                verbose_name="舆情级别",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "舆情变更记录",
                        "verbose_name_plural": "historical 舆情",
                        "db_table": "publicity_historicalopinionincident",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="OpinionIncident",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("title", models.CharField(max_length=150, verbose_name="舆情标题")),
                        ("discovered_at", models.DateTimeField(db_index=True, verbose_name="发现时间")),
                        ("discovered_by", models.CharField(max_length=50, verbose_name="发现人")),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("online_media", "网络媒体"),
                                    ("self_media", "微博/微信/抖音/快手等自媒体"),
                                    ("forum", "论坛贴吧"),
                                    ("traditional", "传统媒体"),
                                    ("hotline", "12345/12315 转办"),
                                    ("superior", "上级交办"),
                                    ("other", "其他"),
                                ],
                                max_length=20,
                                verbose_name="舆情来源",
                            ),
                        ),
                        (
                            "platform",
                            models.CharField(
                                blank=True,
                                help_text="如：抖音、本地论坛",
                                max_length=50,
                                verbose_name="发布平台",
                            ),
                        ),
                        (
                            "url",
                            publicity.fields.WebLinkField(
                                blank=True, max_length=500, verbose_name="原帖链接"
                            ),
                        ),
                        ("summary", models.TextField(verbose_name="舆情摘要")),
                        (
                            "domain",
                            models.CharField(
                                choices=[
                                    ("scales", "电子计价秤"),
                                    ("fuel", "加油机"),
                                    ("meters", "民用“三表”"),
                                    ("taxi", "出租车计价器"),
                                    ("charging", "电动汽车充电桩"),
                                    ("glasses", "眼镜制配"),
                                    ("other", "其他计量问题"),
                                ],
                                max_length=20,
                                verbose_name="涉及领域",
                            ),
                        ),
                        (
                            "involved_party",
                            models.CharField(blank=True, max_length=150, verbose_name="涉事主体"),
                        ),
                        (
                            "reach",
                            models.PositiveIntegerField(
                                blank=True,
                                help_text="阅读、转发、评论的大致数量",
                                null=True,
                                verbose_name="传播量",
                            ),
                        ),
                        (
                            "sentiment",
                            models.CharField(
                                choices=[("negative", "负面"), ("neutral", "中性"), ("positive", "正面")],
                                default="negative",
                                max_length=10,
                                verbose_name="情感倾向",
                            ),
                        ),
                        ("assessment", models.TextField(blank=True, verbose_name="研判意见")),
                        ("actions", models.TextField(blank=True, verbose_name="处置措施")),
                        (
                            "reported_to_county_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="向县局报告时间"),
                        ),
                        ("response", models.TextField(blank=True, verbose_name="回应内容")),
                        (
                            "responded_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="回应时间"),
                        ),
                        ("handling_summary", models.TextField(blank=True, verbose_name="办结情况")),
                        ("closed_on", models.DateField(blank=True, null=True, verbose_name="办结日期")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("discovered", "已发现"),
                                    ("assessing", "研判"),
                                    ("handling", "处置中"),
                                    ("closed", "已办结"),
                                ],
                                db_index=True,
                                default="discovered",
                                max_length=20,
                                verbose_name="处置状态",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                        (
                            "campaign",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="campaigns.campaign",
                                verbose_name="活动",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="登记人",
                            ),
                        ),
                        (
                            "handling_unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="organizations.unit",
                                verbose_name="处置单位",
                            ),
                        ),
                        (
                            "level",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="opinion.opinionlevel",
                                verbose_name="舆情级别",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "舆情",
                        "verbose_name_plural": "舆情",
                        "db_table": "publicity_opinionincident",
                        "ordering": ["-discovered_at", "-pk"],
                        "indexes": [
                            models.Index(
                                fields=["handling_unit", "status"], name="opinionincident_unit_status"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("status", "closed"), _negated=True),
                                    models.Q(
                                        ("closed_on__isnull", False),
                                        models.Q(("response", ""), _negated=True),
                                        models.Q(("handling_summary", ""), _negated=True),
                                    ),
                                    _connector="OR",
                                ),
                                name="closed_incident_has_response_and_summary",
                                violation_error_message="办结的舆情须填写回应内容、办结情况和办结日期。",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("reported_to_county_at__isnull", True),
                                    ("reported_to_county_at__gte", models.F("discovered_at")),
                                    _connector="OR",
                                ),
                                name="incident_reported_after_discovery",
                                violation_error_message="向县局报告时间不能早于发现时间。",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("responded_at__isnull", True),
                                    ("responded_at__gte", models.F("discovered_at")),
                                    _connector="OR",
                                ),
                                name="incident_responded_after_discovery",
                                violation_error_message="回应时间不能早于发现时间。",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_back),
    ]
