"""Publicity activities (线上/线下/融合) and 信息报送 with its adoptions (the 舆情 desk is opinion/)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from microstations.models import MicroStation
from organizations.models import Unit
from publicity.fields import WebLinkField
from records.models import SubmittedRecord, review_queue_index

# The code of "required for this channel" errors, which a form drops where the field has its own error.
REQUIRED_ONLINE = "required_for_channel"


# The units on the bureau's side write activities of their own; any other (a 协办单位) writes for the
# 市场监管所 that supervises the station it hosts.
BUREAU_SIDE_UNITS = (Unit.Kind.SECTION, Unit.Kind.ENFORCEMENT, Unit.Kind.OFFICE)


class PublicityActivity(SubmittedRecord):
    """One publicity activity of a unit: a street event, a school visit, an online post, or both at once.

    A 协办单位 account logs the activities held at the stations its unit hosts (organizations.access
    reaches them through `cooperator_scope_field`); each belongs to the station's 市场监管所, which
    reviews it (records.services.review_q) and counts it once approved.
    """

    cooperator_scope_field: ClassVar[str] = "station__host_unit"

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

    # Summed per channel (the fact key): blended activities count both online and offline.
    fact_fields: ClassVar[tuple[str, ...]] = (
        "participants",
        "materials_distributed",
        "consultations",
        "posters",
        "phone_weight_labels",
        "free_verifications",
        "integrity_pledges",
        "views",
    )
    record_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "date",
        "channel",
        "form",
        "venue_type",
        "venue",
        "station",
        "partner_units",
        "partner_note",
        "volunteers_present",
        "volunteer_names",
        "participants",
        "materials_distributed",
        "consultations",
        "posters",
        "phone_weight_labels",
        "free_verifications",
        "integrity_pledges",
        "platform",
        "post_format",
        "url",
        "views",
        "summary",
        "cost",
    )

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
    # Section 三（一）: frugality. Items above the campaign's threshold are flagged for review.
    cost = models.DecimalField(
        _("经费（元）"),
        max_digits=10,
        decimal_places=2,
        default=Decimal(0),
        blank=True,  # an empty answer is 0 (clean), so that no door has to ask for it
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("本次活动实际花费，没有花费填 0"),
    )
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
            # The lists' order (newest first) for whoever sees every unit: read backwards, no sort.
            models.Index(fields=["date", "id"], name="publicityactivity_date_id"),
            models.Index(fields=["campaign", "channel"], name="publicityactivity_channel"),
            review_queue_index("publicityactivity_review_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel="offline")
                | (~Q(platform="") & ~Q(post_format="") & ~Q(url="") & Q(views__isnull=False)),
                name="online_activity_has_its_post",
                violation_error_message=_("线上、融合宣传须填写发布平台、作品形式、作品链接和阅读/播放量。"),
            ),
        ]

    def fact_key(self) -> str:
        return self.channel

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("publicity:activity_detail", args=[self.pk])

    def written_by_cooperator(self) -> bool:
        """Whether the writer's unit is a cooperating one (a utility, market, gas station, 检测所)."""
        if self.created_by_id is None:
            return False
        unit = self.created_by.unit
        return unit is not None and unit.kind not in BUREAU_SIDE_UNITS

    def derive_owner(self) -> None:
        """A 协办单位's activity belongs to the 市场监管所 supervising its station, whatever the door:
        its station is how it reaches an office, so it must name one (of those the unit hosts)."""
        if not self.written_by_cooperator():
            return
        station = self.station if self.station_id is not None else None
        if station is None:
            raise ValidationError({"station": _("协办单位填报宣传活动须选择本单位承建的微站。")})
        self.unit_id = station.supervising_unit_id

    @property
    def is_online(self) -> bool:
        return self.channel in self.ONLINE_CHANNELS

    @property
    def is_offline(self) -> bool:
        return self.channel in self.OFFLINE_CHANNELS

    def clean(self) -> None:
        if self.cost is None:
            self.cost = Decimal(0)
        super().clean()  # the record-date rule
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

    record_fields: ClassVar[tuple[str, ...]] = ("title", "body", "activity")
    # An item is dated by when it is written (created_at), which the server stamps: no date to check.
    record_date_field: ClassVar[str | None] = None

    history = HistoricalRecords(verbose_name=_("报送信息变更记录"))

    class Meta:
        verbose_name = _("报送信息")
        verbose_name_plural = _("报送信息")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["campaign", "unit"], name="newsitem_campaign_unit"),
            # The lists' order (newest first) for whoever sees every unit: read backwards, no sort.
            models.Index(fields=["created_at", "id"], name="newsitem_created_id"),
            review_queue_index("newsitem_review_queue"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publicity:news_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
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
        if not self.news_item.is_locked:  # approved
            raise ValidationError({"news_item": _("只有审核通过的信息才能登记采用。")})
        if self.adopted_on and self.adopted_on > timezone.localdate():
            raise ValidationError({"adopted_on": _("采用日期不能晚于今天。")})
