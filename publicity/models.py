"""Publicity activities (线上/线下/融合), 信息报送 with its adoptions, and the 舆情 desk."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import Campaign
from microstations.models import MicroStation
from organizations.models import Unit
from publicity.fields import WebLinkField
from records.models import ReviewStatus, SubmittedRecord

# The code of "required for this channel" errors, which a form drops where the field has its own error.
REQUIRED_ONLINE = "required_for_channel"


class PublicityActivity(SubmittedRecord):
    """One publicity activity of a unit: a street event, a school visit, an online post, or both at once."""

    class Channel(models.TextChoices):
        OFFLINE = "offline", _("线下")
        ONLINE = "online", _("线上")
        BLENDED = "blended", _("融合")

    class Form(models.TextChoices):
        CONCENTRATED = "concentrated", _("集中宣传")
        COMMUNITY = "community", _("进社区")
        SCHOOL = "school", _("进校园")
        MARKET = "market", _("进市场")
        ENTERPRISE = "enterprise", _("进企业")
        TRAINING = "training", _("培训")
        PLEDGE = "pledge", _("诚信承诺")
        ONLINE_PUSH = "online_push", _("线上推送")
        OTHER = "other", _("其他")

    class VenueType(models.TextChoices):
        GOV_HALL = "gov_hall", _("政务服务大厅")
        COMMUNITY_CENTER = "community_center", _("社区服务中心")
        GAS_STATION = "gas_station", _("加油站")
        MALL = "mall", _("商场超市")
        MARKET = "market", _("集贸市场")
        UTILITY_HALL = "utility_hall", _("供水供电供气营业厅")
        SCHOOL = "school", _("学校")
        ENTERPRISE = "enterprise", _("企业")
        SQUARE = "square", _("广场街道")
        OTHER = "other", _("其他")

    class Platform(models.TextChoices):
        WEBSITE = "website", _("官方网站")
        WECHAT = "wechat", _("微信公众号")
        WEIBO = "weibo", _("微博")
        DOUYIN = "douyin", _("抖音")
        KUAISHOU = "kuaishou", _("快手")
        CHANNELS = "channels", _("视频号")
        OTHER = "other", _("其他")

    class PostFormat(models.TextChoices):
        GRAPHIC = "graphic", _("图文")
        ANIMATION = "animation", _("动画")
        SHORT_VIDEO = "short_video", _("短视频")

    # Channels with an online part (its post must be described) and with an offline part (a venue).
    ONLINE_CHANNELS = (Channel.ONLINE, Channel.BLENDED)
    OFFLINE_CHANNELS = (Channel.OFFLINE, Channel.BLENDED)

    title = models.CharField(_("活动名称"), max_length=150)
    date = models.DateField(_("活动日期"))
    channel = models.CharField(_("宣传渠道"), max_length=10, choices=Channel.choices)
    form = models.CharField(_("活动形式"), max_length=20, choices=Form.choices)
    venue_type = models.CharField(
        _("场所类型"), max_length=20, choices=VenueType.choices, blank=True, help_text=_("线下、融合宣传必填")
    )
    venue = models.CharField(_("活动地点"), max_length=150, blank=True)
    station = models.ForeignKey(
        MicroStation,
        verbose_name=_("依托微站"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("在民生计量科普宣传服务微站开展时选择"),
    )
    partner_units = models.ManyToManyField(
        Unit,
        verbose_name=_("配合单位"),
        blank=True,
        related_name="+",
        help_text=_("供水供电供气企业、市场、加油站等"),
    )
    partner_note = models.CharField(_("其他配合单位"), max_length=200, blank=True)
    # Publicity sits beside volunteers, not above it: the people present are a count and names, not links.
    volunteers_present = models.PositiveIntegerField(_("参加宣传员（人）"), default=0)
    volunteer_names = models.CharField(_("宣传员姓名"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("参与群众（人次）"), default=0)
    materials_distributed = models.PositiveIntegerField(_("发放资料（份）"), default=0)
    consultations = models.PositiveIntegerField(_("接受咨询（人次）"), default=0)
    posters = models.PositiveIntegerField(_("张贴海报/悬挂横幅（张/条）"), default=0)
    phone_weight_labels = models.PositiveIntegerField(_("“手机变砝码”标签（张）"), default=0)
    free_verifications = models.PositiveIntegerField(_("免费检定/校准（台件）"), default=0)
    integrity_pledges = models.PositiveIntegerField(_("签订诚信计量承诺（家）"), default=0)
    platform = models.CharField(
        _("发布平台"), max_length=20, choices=Platform.choices, blank=True, help_text=_("线上、融合宣传必填")
    )
    post_format = models.CharField(_("作品形式"), max_length=20, choices=PostFormat.choices, blank=True)
    url = WebLinkField(_("作品链接"), blank=True)
    views = models.PositiveIntegerField(_("阅读/播放量"), null=True, blank=True)
    summary = models.TextField(_("活动情况"), blank=True)

    history = HistoricalRecords(verbose_name=_("宣传活动变更记录"), m2m_fields=[partner_units])

    class Meta:
        verbose_name = _("宣传活动")
        verbose_name_plural = _("宣传活动")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["unit", "date"], name="publicityactivity_unit_date"),
            models.Index(fields=["campaign", "channel"], name="publicityactivity_channel"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel="offline")
                | (~Q(platform="") & ~Q(post_format="") & ~Q(url="") & Q(views__isnull=False)),
                name="online_activity_has_its_post",
                violation_error_message=_("线上、融合宣传须填写发布平台、作品形式、作品链接和阅读/播放量。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("publicity:activity_detail", args=[self.pk])

    @property
    def is_online(self) -> bool:
        return self.channel in self.ONLINE_CHANNELS

    @property
    def is_offline(self) -> bool:
        return self.channel in self.OFFLINE_CHANNELS

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.is_online:
            required = {
                "platform": _("线上、融合宣传须选择发布平台。"),
                "post_format": _("线上、融合宣传须选择作品形式（图文、动画或短视频）。"),
                "url": _("线上、融合宣传须填写作品链接。"),
                "views": _("线上、融合宣传须填写阅读/播放量（没有时填 0）。"),
            }
            errors.update(
                {
                    name: ValidationError(message, code=REQUIRED_ONLINE)
                    for name, message in required.items()
                    if getattr(self, name) in ("", None)
                }
            )
        if self.is_offline and not self.venue_type:
            errors["venue_type"] = ValidationError(_("线下、融合宣传须选择场所类型。"), code=REQUIRED_ONLINE)
        if self.volunteers_present and self.participants and self.volunteers_present > self.participants:
            errors["volunteers_present"] = _("参加的宣传员人数不能多于参与群众人次。")
        if errors:
            raise ValidationError(errors)


class NewsItem(SubmittedRecord):
    """A short 信息报送 item an office writes about its work; the bureau reviews it and records its adoptions."""

    title = models.CharField(_("标题"), max_length=150)
    body = models.TextField(_("正文"))
    activity = models.ForeignKey(
        PublicityActivity,
        verbose_name=_("相关宣传活动"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news_items",
    )

    history = HistoricalRecords(verbose_name=_("报送信息变更记录"))

    class Meta:
        verbose_name = _("报送信息")
        verbose_name_plural = _("报送信息")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["campaign", "unit"], name="newsitem_campaign_unit")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publicity:news_detail", args=[self.pk])

    def clean(self) -> None:
        # A news item reports the unit's own work: its related activity is one of the unit's activities.
        if self.activity is not None and self.unit_id and self.activity.unit_id != self.unit_id:
            raise ValidationError({"activity": _("只能关联本单位的宣传活动。")})


class Adoption(models.Model):
    """Where an approved news item was taken up (采用), recorded by the bureau."""

    unit_scope_field = "news_item__unit"

    class Level(models.TextChoices):
        COUNTY = "county", _("县级")
        CITY = "city", _("市级")
        PROVINCE = "province", _("省级")
        NATIONAL = "national", _("国家级")

    news_item = models.ForeignKey(
        NewsItem, verbose_name=_("报送信息"), on_delete=models.CASCADE, related_name="adoptions"
    )
    level = models.CharField(_("采用级别"), max_length=10, choices=Level.choices)
    outlet = models.CharField(
        _("采用媒体/平台"), max_length=100, help_text=_("如：巫山县人民政府网、重庆市市场监管局微信公众号")
    )
    url = WebLinkField(_("链接"), blank=True, help_text=_("网络采用填写链接；报刊采用可不填"))
    adopted_on = models.DateField(_("采用日期"))
    recorded_by = models.ForeignKey(
        "organizations.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords(verbose_name=_("采用记录变更记录"))

    class Meta:
        verbose_name = _("信息采用")
        verbose_name_plural = _("信息采用")
        ordering = ["-adopted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["news_item", "level", "outlet"],
                name="adoption_unique_per_outlet",
                violation_error_message=_("该信息在此媒体的采用已登记过。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.outlet}"

    def clean(self) -> None:
        if self.news_item_id is None:
            return
        if self.news_item.review_status != ReviewStatus.APPROVED:
            raise ValidationError({"news_item": _("只有审核通过的信息才能登记采用。")})
        if self.adopted_on and self.adopted_on > timezone.localdate():
            raise ValidationError({"adopted_on": _("采用日期不能晚于今天。")})


class OpinionLevel(models.Model):
    """A 舆情 level and its clocks, as data the bureau edits (seeded by a data migration).

    The seeded hours follow the national rule for 政务舆情 (国办发〔2016〕61号 and its follow-ups):
    answer within 48 h in general; for 重大/特别重大 events publish authoritative information within
    5 h and hold a press conference within 24 h. The report-to-county windows are the bureau's own
    (the notice asks for major events to be reported "及时"); all of them are editable in the admin.
    """

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("级别"), max_length=20, unique=True)
    rank = models.PositiveSmallIntegerField(_("严重程度排序"), default=0, help_text=_("数字越大越严重"))
    report_deadline_hours = models.PositiveIntegerField(
        _("向县局报告时限（小时）"), help_text=_("自发现时起，须在此时限内向县局报告")
    )
    response_deadline_hours = models.PositiveIntegerField(
        _("回应时限（小时）"), help_text=_("自发现时起，须在此时限内发布权威信息或回应")
    )
    press_conference_hours = models.PositiveIntegerField(
        _("新闻发布时限（小时）"), null=True, blank=True, help_text=_("需要举行新闻发布会的级别填写")
    )
    alert_leadership = models.BooleanField(
        _("逾期提醒县局领导"), default=False, help_text=_("逾期未报告时，除县局管理员外同时提醒县局领导")
    )
    guidance = models.TextField(_("处置要求"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    history = HistoricalRecords(verbose_name=_("舆情级别变更记录"))

    class Meta:
        verbose_name = _("舆情级别")
        verbose_name_plural = _("舆情级别")
        ordering = ["rank", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report_deadline_hours__gt=0) & Q(response_deadline_hours__gt=0),
                name="opinion_level_hours_positive",
                violation_error_message=_("报告和回应时限须大于 0 小时。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class DeadlineState(models.TextChoices):
    MET = "met", _("按时")
    LATE = "late", _("超时完成")
    PENDING = "pending", _("未到时限")
    OVERDUE = "overdue", _("已逾期")


def deadline_state(*, deadline: dt.datetime, done_at: dt.datetime | None, now: dt.datetime) -> str:
    if done_at is not None:
        return DeadlineState.MET if done_at <= deadline else DeadlineState.LATE
    return DeadlineState.OVERDUE if now > deadline else DeadlineState.PENDING


class OpinionIncident(models.Model):
    """A 舆情 event the handling unit found or was given: its assessment, handling and response.

    已发现 → 研判 → 处置中 → 已办结, moved only by publicity.services. The deadlines are derived from the
    discovery time and the level's hours, never stored, so editing a level's hours moves them.
    """

    # The unit handling the incident (the user's unit, set server-side) owns it.
    unit_scope_field = "handling_unit"

    class Source(models.TextChoices):
        ONLINE_MEDIA = "online_media", _("网络媒体")
        SELF_MEDIA = "self_media", _("微博/微信/抖音/快手等自媒体")
        FORUM = "forum", _("论坛贴吧")
        TRADITIONAL = "traditional", _("传统媒体")
        HOTLINE = "hotline", _("12345/12315 转办")
        SUPERIOR = "superior", _("上级交办")
        OTHER = "other", _("其他")

    class Domain(models.TextChoices):
        SCALES = "scales", _("电子计价秤")
        FUEL = "fuel", _("加油机")
        METERS = "meters", _("民用“三表”")
        TAXI = "taxi", _("出租车计价器")
        CHARGING = "charging", _("电动汽车充电桩")
        GLASSES = "glasses", _("眼镜制配")
        OTHER = "other", _("其他计量问题")

    class Sentiment(models.TextChoices):
        NEGATIVE = "negative", _("负面")
        NEUTRAL = "neutral", _("中性")
        POSITIVE = "positive", _("正面")

    class Status(models.TextChoices):
        DISCOVERED = "discovered", _("已发现")
        ASSESSING = "assessing", _("研判")
        HANDLING = "handling", _("处置中")
        CLOSED = "closed", _("已办结")

    campaign = models.ForeignKey(Campaign, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("舆情标题"), max_length=150)
    discovered_at = models.DateTimeField(_("发现时间"), db_index=True)
    discovered_by = models.CharField(_("发现人"), max_length=50)
    source = models.CharField(_("舆情来源"), max_length=20, choices=Source.choices)
    platform = models.CharField(_("发布平台"), max_length=50, blank=True, help_text=_("如：抖音、本地论坛"))
    url = WebLinkField(_("原帖链接"), blank=True)
    summary = models.TextField(_("舆情摘要"))
    domain = models.CharField(_("涉及领域"), max_length=20, choices=Domain.choices)
    involved_party = models.CharField(_("涉事主体"), max_length=150, blank=True)
    reach = models.PositiveIntegerField(
        _("传播量"), null=True, blank=True, help_text=_("阅读、转发、评论的大致数量")
    )
    sentiment = models.CharField(
        _("情感倾向"), max_length=10, choices=Sentiment.choices, default=Sentiment.NEGATIVE
    )
    level = models.ForeignKey(
        OpinionLevel, verbose_name=_("舆情级别"), on_delete=models.PROTECT, related_name="+"
    )
    assessment = models.TextField(_("研判意见"), blank=True)
    handling_unit = models.ForeignKey(
        Unit, verbose_name=_("处置单位"), on_delete=models.PROTECT, related_name="+"
    )
    actions = models.TextField(_("处置措施"), blank=True)
    reported_to_county_at = models.DateTimeField(_("向县局报告时间"), null=True, blank=True)
    response = models.TextField(_("回应内容"), blank=True)
    responded_at = models.DateTimeField(_("回应时间"), null=True, blank=True)
    handling_summary = models.TextField(_("办结情况"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    status = models.CharField(
        _("处置状态"), max_length=20, choices=Status.choices, default=Status.DISCOVERED, db_index=True
    )
    created_by = models.ForeignKey(
        "organizations.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("舆情变更记录"))

    class Meta:
        verbose_name = _("舆情")
        verbose_name_plural = _("舆情")
        ordering = ["-discovered_at", "-pk"]
        indexes = [models.Index(fields=["handling_unit", "status"], name="opinionincident_unit_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed")
                | (Q(closed_on__isnull=False) & ~Q(response="") & ~Q(handling_summary="")),
                name="closed_incident_has_response_and_summary",
                violation_error_message=_("办结的舆情须填写回应内容、办结情况和办结日期。"),
            ),
            models.CheckConstraint(
                condition=Q(reported_to_county_at__isnull=True)
                | Q(reported_to_county_at__gte=models.F("discovered_at")),
                name="incident_reported_after_discovery",
                violation_error_message=_("向县局报告时间不能早于发现时间。"),
            ),
            models.CheckConstraint(
                condition=Q(responded_at__isnull=True) | Q(responded_at__gte=models.F("discovered_at")),
                name="incident_responded_after_discovery",
                violation_error_message=_("回应时间不能早于发现时间。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publicity:incident_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def report_deadline(self) -> dt.datetime:
        return self.discovered_at + dt.timedelta(hours=self.level.report_deadline_hours)

    @property
    def response_deadline(self) -> dt.datetime:
        return self.discovered_at + dt.timedelta(hours=self.level.response_deadline_hours)

    def report_state(self, now: dt.datetime | None = None) -> str:
        return deadline_state(
            deadline=self.report_deadline, done_at=self.reported_to_county_at, now=now or timezone.now()
        )

    def response_state(self, now: dt.datetime | None = None) -> str:
        return deadline_state(
            deadline=self.response_deadline, done_at=self.responded_at, now=now or timezone.now()
        )

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        now = timezone.now()
        if self.discovered_at and self.discovered_at > now:
            errors["discovered_at"] = _("发现时间不能晚于现在。")
        for name, label in (("reported_to_county_at", _("向县局报告时间")), ("responded_at", _("回应时间"))):
            value = getattr(self, name)
            if value is None:
                continue
            if value > now:
                errors[name] = _("%(field)s不能晚于现在。") % {"field": label}
            elif self.discovered_at and value < self.discovered_at:
                errors[name] = _("%(field)s不能早于发现时间。") % {"field": label}
        if errors:
            raise ValidationError(errors)
