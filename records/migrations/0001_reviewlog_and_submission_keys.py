"""records takes over campaigns.ReviewLog (same table) and adds the double-submit keys."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    # Permissions (and review-log rows' own type) follow the model to its new app label.
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label="records", model="reviewlog").exists():
        content_type.objects.filter(app_label="campaigns", model="reviewlog").update(app_label="records")


def move_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="records", model="reviewlog").update(app_label="campaigns")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("campaigns", "0008_reviewlog_moves_to_records"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReviewLog",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("object_id", models.PositiveBigIntegerField(verbose_name="记录编号")),
                        ("action", models.CharField(choices=[("submitted", "提交"), ("approved", "通过"), ("returned", "退回")], max_length=20, verbose_name="操作")),
                        ("reason", models.TextField(blank=True, verbose_name="说明")),
                        ("at", models.DateTimeField(auto_now_add=True, verbose_name="时间")),
                        ("actor", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="操作人")),
                        ("content_type", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="contenttypes.contenttype", verbose_name="记录类型")),
                    ],
                    options={
                        "verbose_name": "审核记录",
                        "verbose_name_plural": "审核记录",
                        "ordering": ["-at", "-pk"],
                        "db_table": "campaigns_reviewlog",
                        "indexes": [models.Index(fields=["content_type", "object_id"], name="reviewlog_record_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_back),
    ]
