from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from campaigns.selectors import campaign_for_date
from core.history import HistoricalRecords
from organizations.models import Unit
from records.models import SubmittedRecord, review_queue_index


class MicroStation(models.Model):
    """A 民生计量科普宣传服务微站 at a utility hall, market, gas station, school …"""

    # Stations belong to the 市场监管所 that supervises them; a 协办单位 reaches those its unit hosts.
    unit_scope_field = "supervising_unit"
    cooperator_scope_field = "host_unit"

    class StationType(models.TextChoices):
        WATER_HALL = "water_hall", _("供水营业厅")
        POWER_HALL = "power_hall", _("供电营业厅")
        GAS_HALL = "gas_hall", _("供气营业厅")
        MARKET = "market", _("集贸市场")
        GAS_STATION = "gas_station", _("加油站")
        SUPERMARKET = "supermarket", _("商超")
        COMMUNITY = "community", _("社区")
        SCHOOL = "school", _("学校")
        TESTING = "testing", _("检测机构")
        OTHER = "other", _("其他")

    class FocusArea(models.TextChoices):
        COMMUNITY = "community", _("社区")
        CROWDED = "crowded", _("人口集中区域")
        COMPLAINTS = "complaints", _("投诉集中区域")

    class Stage(models.TextChoices):
        PLANNED = "planned", _("规划")
        BUILDER_CONFIRMED = "builder_confirmed", _("已落实承建单位")
        FURNISHED = "furnished", _("已布置")
        OPENED = "opened", _("已揭牌运行")

    campaign = models.ForeignKey(Campaign, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(
        _("微站名称"), max_length=150, help_text=_("如：民生计量科普宣传服务微站（高唐营业厅）")
    )
    plaque_no = models.CharField(_("牌匾编号"), max_length=30, blank=True)
    host_name = models.CharField(_("承建单位/场所"), max_length=150)
    host_unit = models.ForeignKey(
        Unit,
        verbose_name=_("承建单位（名录）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_stations",
        help_text=_("承建单位在单位名录中时选择，如供电公司、加油站"),
    )
    station_type = models.CharField(_("场所类型"), max_length=20, choices=StationType.choices)
    address = models.CharField(_("地址"), max_length=200)
    township = models.CharField(_("乡镇/街道"), max_length=50)
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    focus_area = models.CharField(_("宣传重点区域"), max_length=20, choices=FocusArea.choices)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    supervising_unit = models.ForeignKey(
        Unit,
        verbose_name=_("联系市场监管所"),
        on_delete=models.PROTECT,
        related_name="supervised_stations",
        limit_choices_to={"kind": Unit.Kind.OFFICE},
    )
    stage = models.CharField(_("建设进度"), max_length=20, choices=Stage.choices, default=Stage.PLANNED)
    opened_on = models.DateField(_("揭牌日期"), null=True, blank=True)
    # What the public page (/s/<plaque>/) shows besides name, host, address and contact.
    opening_hours = models.CharField(
        _("开放时间"), max_length=100, blank=True, help_text=_("如：周一至周五 9:00-17:00")
    )
    fair_scale_location = models.CharField(
        _("最近的公平秤"), max_length=150, blank=True, help_text=_("如：平湖市场东门服务台旁")
    )
    is_public = models.BooleanField(
        _("公开展示"), default=True, help_text=_("取消后，微站的公众页面和二维码不再对外开放")
    )
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("微站变更记录"))

    class Meta:
        verbose_name = _("计量科普微站")
        verbose_name_plural = _("计量科普微站")
        ordering = ["campaign", "township", "name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="station_name_unique_per_campaign"),
            models.UniqueConstraint(
                fields=["plaque_no"],
                condition=~Q(plaque_no=""),
                name="station_plaque_no_unique",
                # A conditional constraint has no field message of its own: without this users read its name.
                violation_error_message=_("牌匾编号已被其他微站使用。"),
            ),
            models.CheckConstraint(
                condition=~Q(stage="opened") | Q(opened_on__isnull=False),
                name="opened_station_has_opening_date",
                violation_error_message=_("已揭牌运行的微站必须填写揭牌日期。"),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="station_coordinates_both_or_neither",
                violation_error_message=_("经度和纬度需同时填写或同时留空。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("microstations:station_detail", args=[self.pk])

    def stage_change_error(self, stage: str) -> str | None:
        """Why this station cannot move from its current stage to `stage`, or None: stations move along
        规划 → 已落实承建单位 → 已布置 → 已揭牌运行 (skipping is fine), never back."""
        order = list(self.Stage.values)
        if order.index(stage) < order.index(self.stage):
            return _("微站已是“%(current)s”，不能退回“%(target)s”。") % {
                "current": self.get_stage_display(),
                "target": self.Stage(stage).label,
            }
        return None

    def clean(self) -> None:
        # Every door (the stage form, the admin, an import) refuses an opening that has not happened.
        super().clean()
        if self.opened_on and self.opened_on > timezone.localdate():
            raise ValidationError({"opened_on": _("揭牌日期不能晚于今天。")})


class StationActivity(SubmittedRecord):
    """One publicity activity held at a micro-station; submitted by its 市场监管所 and reviewed.

    Its unit always follows its station and its campaign its date (`derive_owner`), whatever the door.
    """

    fact_fields: ClassVar[tuple[str, ...]] = ("people_reached", "materials_distributed")
    record_fields: ClassVar[tuple[str, ...]] = (
        "station",
        "date",
        "topic",
        "title",
        "people_reached",
        "materials_distributed",
        "volunteers_present",
        "summary",
        "cost",
    )
    record_date_field: ClassVar[str | None] = "date"
    # A 协办单位 logs and reads the activities of the stations its unit hosts (organizations.access).
    cooperator_scope_field: ClassVar[str] = "station__host_unit"

    def fact_key(self) -> str:
        """The figures split by station, so that the station list reads each station's approved
        activities from a few cells however many it has (microstations.selectors)."""
        return str(self.station_id)

    class Topic(models.TextChoices):
        SCIENCE = "science", _("计量科普")
        FEES = "fees", _("收费政策")
        UTILITIES = "utilities", _("用水用电用气")
        DRIVING = "driving", _("用车加油安全")
        OTHER = "other", _("其他")

    station = models.ForeignKey(
        MicroStation, verbose_name=_("微站"), on_delete=models.PROTECT, related_name="activities"
    )
    date = models.DateField(_("活动日期"))
    topic = models.CharField(_("主题"), max_length=20, choices=Topic.choices)
    title = models.CharField(_("活动名称"), max_length=150)
    people_reached = models.PositiveIntegerField(_("覆盖人数"))
    materials_distributed = models.PositiveIntegerField(_("发放资料（份）"), default=0)
    volunteers_present = models.PositiveIntegerField(_("参加宣传员（人）"), default=0)
    summary = models.TextField(_("活动情况"), blank=True)
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

    history = HistoricalRecords(verbose_name=_("微站活动变更记录"))

    class Meta:
        verbose_name = _("微站活动")
        verbose_name_plural = _("微站活动")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["unit", "date"], name="stationactivity_unit_date"),
            # The lists' order (newest first) for whoever sees every unit: read backwards, no sort.
            models.Index(fields=["date", "id"], name="stationactivity_date_id"),
            # The station list's approved-activity count per station: an index range, not every
            # activity of the station (SQLite 100k: 920 ms to 20 ms, benchmarks/README.md).
            models.Index(fields=["station", "review_status"], name="stationactivity_station_status"),
            review_queue_index("stationactivity_review_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    def derive_owner(self) -> None:
        """The station's office; the campaign whose dates cover the activity's (stations are standing
        registries: a 2025 station's 2026 activity counts for 2026), else the station's own. A date not
        yet parsed (a string from an import or the API) is read again when clean() calls this."""
        if self.station_id is not None:
            station = self.station
            by_date = campaign_for_date(self.date) if isinstance(self.date, dt.date) else None
            self.unit, self.campaign = station.supervising_unit, by_date or station.campaign

    def clean(self) -> None:
        if self.cost is None:
            self.cost = Decimal(0)
        # A form built without unit and campaign (the admin's add form) still checks the date against
        # the station's campaign.
        self.derive_owner()
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        people, volunteers = self.people_reached, self.volunteers_present
        if people is not None and volunteers is not None and volunteers > people:
            errors.setdefault("volunteers_present", []).append(
                ValidationError(_("参加的宣传员人数不能多于覆盖人数。"))
            )
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("microstations:activity_detail", args=[self.pk])


class StationReach(models.Model):
    """How often a station's public page was opened, its QR code scanned and feedback sent, per day.

    Written only by microstations.public.station_reach_count (one UPDATE per hit); the dashboard and
    the workbook read the sums (microstations.public.reach_by_station).
    """

    class Kind(models.TextChoices):
        VIEW = "views", _("页面访问")
        SCAN = "scans", _("扫码")
        SUBMISSION = "submissions", _("群众反馈")

    station = models.ForeignKey(
        MicroStation, verbose_name=_("微站"), on_delete=models.CASCADE, related_name="reach"
    )
    day = models.DateField(_("日期"))
    views = models.PositiveIntegerField(_("页面访问"), default=0)
    scans = models.PositiveIntegerField(_("扫码"), default=0)
    submissions = models.PositiveIntegerField(_("群众反馈"), default=0)

    class Meta:
        verbose_name = _("微站公众触达")
        verbose_name_plural = _("微站公众触达")
        ordering = ["-day", "station"]
        constraints = [
            models.UniqueConstraint(fields=["station", "day"], name="station_reach_one_row_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.day:%Y-%m-%d}"
