"""计量器具台账: the instruments an owner keeps, each with its own code, and what hangs off them.

The ledger fields follow SAMR's e-CQS in its column order (ECQS_FIELDS), so that a sheet moves to and
from e-CQS without remapping. The verification facts (result, dates) are the last known ones, copied
from the latest approved inspection of the instrument or entered by the office; the current status is
computed from them for the day asked (inspections.verification), never typed.
"""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from enterprises.models import Enterprise, latitude_validators, longitude_validators
from inspections.models import InstrumentType, PlannedInspection
from inspections.verification import Result, VerificationFactsMixin, VerificationStatus
from organizations.models import Unit

# Printed on labels and typed from them: no 0/O, 1/I/L, 2/Z, 5/S, 8/B lookalikes, upper case only.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 10


def new_code() -> str:
    """A fresh random instrument code (25^10 ≈ 9.5e13: not guessable from a neighbour's label)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def normalise_code(value: str) -> str:
    """A code as typed or scanned: spaces and dashes dropped, upper case."""
    return "".join(value.split()).replace("-", "").upper()


class Purpose(models.TextChoices):
    """用途: the four uses the 计量法 (Art. 9) puts under mandatory verification, and others."""

    TRADE = "trade", _("贸易结算")
    SAFETY = "safety", _("安全防护")
    HEALTH = "health", _("医疗卫生")
    ENVIRONMENT = "environment", _("环境监测")
    OTHER = "other", _("其他")


class EntryStatus(models.TextChoices):
    """An office's own entries are confirmed at once; a 协办单位's wait for the supervising office."""

    PENDING = "pending", _("待审核")
    CONFIRMED = "confirmed", _("已确认")
    RETURNED = "returned", _("已退回")


class RegisteredInstrumentQuerySet(models.QuerySet["RegisteredInstrument"]):
    def in_use(self) -> RegisteredInstrumentQuerySet:
        return self.filter(in_use=True)

    def confirmed(self) -> RegisteredInstrumentQuerySet:
        """What official figures (coverage, reminders) count: confirmed entries in use."""
        return self.filter(in_use=True, entry_status=EntryStatus.CONFIRMED)

    def mandatory(self) -> RegisteredInstrumentQuerySet:
        return self.filter(instrument_type__mandatory=True)


# The e-CQS ledger columns, in e-CQS order (imports and exports use exactly this order).
ECQS_FIELDS: tuple[str, ...] = (
    "name",
    "category",
    "species",
    "model_spec",
    "measuring_range",
    "accuracy_class",
    "serial_no",
    "manufacturer",
    "origin",
    "location",
    "quantity",
    "purpose",
    "verification_mode",
)

# What a form, the API or an import may set (instruments.services refuses anything else); the code,
# the unit, the entry status and the verification facts copied from inspections are the server's.
INSTRUMENT_FIELDS: tuple[str, ...] = (
    "owner",
    *ECQS_FIELDS,
    "instrument_type",
    "kind",
    "host_market",
    "last_checked_on",
    "identification_code",
    "longitude",
    "latitude",
    "certificate_no",
    "verifying_body",
    "result",
    "verified_on",
    "valid_until",
    "service_life_end",
    "in_use",
    "note",
)


class RegisteredInstrument(VerificationFactsMixin, models.Model):
    """One line of an owner's 计量器具台账 (a 公平秤 too), with its own code for labels and /i/<code>/.

    It belongs to the 市场监管所 that supervises its owner (`unit`, the scope); a 协办单位 (a market's
    operator) reaches the instruments of the market its account is for (`market_unit`).
    """

    unit_scope_field = "unit"
    cooperator_scope_field = "market_unit"

    class Kind(models.TextChoices):
        INSTRUMENT = "instrument", _("计量器具")
        FAIR_SCALE = "fair_scale", _("公平秤")

    code = models.CharField(_("器具码"), max_length=20, unique=True, editable=False)
    owner = models.ForeignKey(
        Enterprise,
        verbose_name=_("使用单位"),
        on_delete=models.PROTECT,
        related_name="registered_instruments",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("监管单位"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    market_unit = models.ForeignKey(
        Unit,
        verbose_name=_("所在市场（协办单位）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text=_("由集贸市场开办者账号登记时自动填写"),
    )
    # e-CQS ledger fields, in e-CQS order
    name = models.CharField(_("名称"), max_length=100)
    category = models.CharField(_("项别"), max_length=60, blank=True)
    species = models.CharField(_("种别"), max_length=60, blank=True)
    model_spec = models.CharField(_("型号规格"), max_length=100, blank=True)
    measuring_range = models.CharField(_("测量范围"), max_length=100, blank=True)
    accuracy_class = models.CharField(_("准确度等级"), max_length=60, blank=True)
    serial_no = models.CharField(_("出厂编号"), max_length=60, blank=True)
    manufacturer = models.CharField(_("生产厂家"), max_length=150, blank=True)
    origin = models.CharField(_("产地"), max_length=100, blank=True)
    location = models.CharField(_("安装/使用地点"), max_length=200)
    quantity = models.PositiveIntegerField(
        _("数量"), default=1, validators=[MinValueValidator(1, _("数量至少为 1。"))]
    )
    purpose = models.CharField(_("用途"), max_length=20, choices=Purpose.choices, default=Purpose.TRADE)
    verification_mode = models.CharField(
        _("送检方式"), max_length=60, blank=True, help_text=_("按 e-CQS 的填写，如：送检、现场检定")
    )
    # The bureau's own fields
    instrument_type = models.ForeignKey(
        InstrumentType, verbose_name=_("器具类型"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("台账类型"), max_length=20, choices=Kind.choices, default=Kind.INSTRUMENT)
    host_market = models.ForeignKey(
        Enterprise,
        verbose_name=_("设置市场"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fair_scales",
        help_text=_("公平秤所在的集贸市场（市场主办者）"),
    )
    last_checked_on = models.DateField(_("最近核查日期"), null=True, blank=True, help_text=_("公平秤填写"))
    identification_code = models.CharField(
        _("识别编码（GB/T 36377）"), max_length=100, blank=True, help_text=_("器具上已有识别编码时照录")
    )
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True, validators=longitude_validators
    )
    latitude = models.DecimalField(
        _("纬度"), max_digits=9, decimal_places=6, null=True, blank=True, validators=latitude_validators
    )
    # The last known verification: entered, or copied from the latest approved inspection.
    certificate_no = models.CharField(_("检定证书号"), max_length=60, blank=True)
    verifying_body = models.CharField(_("检定机构"), max_length=100, blank=True)
    result = models.CharField(_("检定结果"), max_length=10, choices=Result.choices, default=Result.NONE)
    verified_on = models.DateField(_("检定日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    service_life_end = models.DateField(_("使用期限至"), null=True, blank=True)
    last_inspection = models.ForeignKey(
        "inspections.InspectionRecord",
        verbose_name=_("最近一次检查"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    last_inspected_on = models.DateField(_("最近检查日期"), null=True, blank=True, editable=False)
    inspection_status = models.CharField(
        _("检查时检定状态"),
        max_length=20,
        choices=VerificationStatus.choices,
        blank=True,
        editable=False,
        help_text=_("最近一次已通过审核的检查按当日计算的检定状态"),
    )
    in_use = models.BooleanField(_("在用"), default=True)
    note = models.TextField(_("备注"), blank=True)
    entry_status = models.CharField(
        _("登记状态"),
        max_length=20,
        choices=EntryStatus.choices,
        default=EntryStatus.CONFIRMED,
        editable=False,
    )
    return_reason = models.TextField(_("退回原因"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RegisteredInstrumentQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("器具台账变更记录"))

    record_fields: ClassVar[tuple[str, ...]] = INSTRUMENT_FIELDS

    class Meta:
        verbose_name = _("登记计量器具")
        verbose_name_plural = _("计量器具台账")
        ordering = ["owner__name", "pk"]
        indexes = [
            models.Index(fields=["unit", "entry_status"], name="reginstr_unit_status"),
            models.Index(fields=["valid_until"], name="reginstr_valid_until"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="reginstr_coordinates_both_or_neither",
                violation_error_message=_("经度和纬度需同时填写或同时留空。"),
            ),
            models.CheckConstraint(
                condition=Q(kind="fair_scale") | Q(host_market__isnull=True),
                name="reginstr_host_market_only_fair_scale",
                violation_error_message=_("只有公平秤填写设置市场。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.serial_no}".strip() + f"（{self.code}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.code:
            self.code = new_code()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("instruments:instrument_detail", args=[self.pk])

    @property
    def current_status(self) -> VerificationStatus:
        """The verification status as of today (what the scan page and the lists show)."""
        return self.status_on(timezone.localdate())

    @property
    def is_fair_scale(self) -> bool:
        return self.kind == self.Kind.FAIR_SCALE

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if (self.longitude is None) != (self.latitude is None):
            errors["latitude" if self.latitude is None else "longitude"] = _(
                "经度和纬度需同时填写或同时留空。"
            )
        if self.kind == self.Kind.FAIR_SCALE:
            market = self.host_market if self.host_market_id else None
            if market is None:
                errors["host_market"] = _("公平秤须选择设置市场。")
            elif market.kind != Enterprise.Kind.MARKET_OPERATOR:
                errors["host_market"] = _("设置市场须是主体类型为“市场主办者”的单位。")
        else:
            if self.host_market_id is not None:
                errors["host_market"] = _("只有公平秤填写设置市场。")
            if self.last_checked_on is not None:
                errors["last_checked_on"] = _("只有公平秤填写最近核查日期。")
        today = timezone.localdate()
        if self.verified_on and self.verified_on > today:
            errors["verified_on"] = _("检定日期不能晚于今天。")
        if self.last_checked_on and self.last_checked_on > today:
            errors["last_checked_on"] = _("核查日期不能晚于今天。")
        if self.verified_on and self.valid_until and self.valid_until < self.verified_on:
            errors["valid_until"] = _("有效期不能早于检定日期。")
        if errors:
            raise ValidationError(errors)


class OwnerContact(models.Model):
    """Where an owner wants its verification reminders: an e-mail address and/or a group robot
    (notifications.Robot, which keeps the robot's address and signing secret)."""

    contact_fields: ClassVar[tuple[str, ...]] = ("owner", "name", "email", "reminders_enabled")

    owner = models.OneToOneField(
        Enterprise, verbose_name=_("使用单位"), on_delete=models.CASCADE, related_name="instrument_contact"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("登记单位"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    name = models.CharField(_("器具管理联系人"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    robot = models.OneToOneField(
        "notifications.Robot",
        verbose_name=_("群机器人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="owner_contact",
    )
    reminders_enabled = models.BooleanField(_("接收到期提醒"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("提醒联系人变更记录"))

    class Meta:
        verbose_name = _("器具提醒联系人")
        verbose_name_plural = _("器具提醒联系人")
        ordering = ["owner__name"]

    def __str__(self) -> str:
        return f"{self.owner} · {self.email or self.robot or ''}"


class OwnerReminder(models.Model):
    """The claim that one notice goes out per instrument, kind and day (its Digest is the send log)."""

    class Kind(models.TextChoices):
        DUE = "due", _("30 天内到期")
        OVERDUE = "overdue", _("已超期")

    instrument = models.ForeignKey(
        RegisteredInstrument, verbose_name=_("器具"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    day = models.DateField(_("日期"))
    digest = models.ForeignKey(
        "notifications.Digest",
        verbose_name=_("发送批次"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        ordering = ["-day", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "kind", "day"], name="one_reminder_per_instrument_kind_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()} {self.instrument}"


# A rating at or below this is low: a risk signal (instruments.risk) and a coverage figure.
LOW_RATING_MAX = 2


class InstrumentRating(models.Model):
    """A member of the public's 1–5 rating of an instrument, from its scan page (anonymous)."""

    instrument = models.ForeignKey(
        RegisteredInstrument, verbose_name=_("器具"), on_delete=models.CASCADE, related_name="ratings"
    )
    score = models.PositiveSmallIntegerField(
        _("评分"),
        validators=[
            MinValueValidator(1, _("评分须为 1 至 5。")),
            MaxValueValidator(5, _("评分须为 1 至 5。")),
        ],
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("器具评分")
        verbose_name_plural = _("器具评分")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5),
                name="rating_score_1_to_5",
                violation_error_message=_("评分须为 1 至 5。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} {self.score}"


class InstrumentScan(models.Model):
    """One opening of an instrument's public scan page (/i/<code>/), logged for the coverage figures.

    No personal data: the instrument, the time, whether the label's QR code opened it and a coarse
    class of browser (微信, 支付宝, other phone, computer). Never the address or the full user agent.
    Written only by instruments.services.scan_log, which the page calls within a per-address limit.
    """

    class Agent(models.TextChoices):
        WECHAT = "wechat", _("微信")
        ALIPAY = "alipay", _("支付宝")
        MOBILE = "mobile", _("其他手机浏览器")
        DESKTOP = "desktop", _("电脑浏览器")

    instrument = models.ForeignKey(
        RegisteredInstrument, verbose_name=_("器具"), on_delete=models.CASCADE, related_name="scans"
    )
    scanned_at = models.DateTimeField(_("时间"), auto_now_add=True)
    day = models.DateField(_("日期"))
    via_qr = models.BooleanField(_("扫标签二维码"), default=False)
    agent = models.CharField(_("浏览器类别"), max_length=10, choices=Agent.choices)

    class Meta:
        verbose_name = _("扫码记录")
        verbose_name_plural = _("扫码记录")
        ordering = ["-scanned_at", "-pk"]
        indexes = [models.Index(fields=["day", "instrument"], name="instrscan_day_instrument")]

    def __str__(self) -> str:
        return f"{self.instrument.code} {self.day:%Y-%m-%d}"


class ProblemReport(models.Model):
    """A problem a member of the public reported from an instrument's scan page.

    It lands on the supervising office's 舆情 desk as an incident at once; the office may also turn it
    into an inspection lead.
    """

    instrument = models.ForeignKey(
        RegisteredInstrument, verbose_name=_("器具"), on_delete=models.CASCADE, related_name="problem_reports"
    )
    text = models.TextField(_("问题描述"), max_length=1000)
    contact = models.CharField(_("联系方式"), max_length=60, blank=True)
    incident = models.ForeignKey(
        "opinion.OpinionIncident",
        verbose_name=_("舆情事件"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("器具问题反映")
        verbose_name_plural = _("器具问题反映")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.instrument.code} {self.created_at:%Y-%m-%d}"


class InspectionLead(models.Model):
    """An inspection lead (检查线索) for the responsible office, from a problem report or a 舆情 incident.

    Open → planned (an inspection was planned from it) or dismissed (with a reason).
    """

    unit_scope_field = "unit"

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        PLANNED = "planned", _("已安排检查")
        DISMISSED = "dismissed", _("不予处理")

    unit = models.ForeignKey(Unit, verbose_name=_("负责单位"), on_delete=models.PROTECT, related_name="+")
    instrument = models.ForeignKey(
        RegisteredInstrument,
        verbose_name=_("器具"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
    )
    owner = models.ForeignKey(
        Enterprise,
        verbose_name=_("涉及单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    incident = models.OneToOneField(
        "opinion.OpinionIncident",
        verbose_name=_("来源舆情"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspection_lead",
    )
    problem_report = models.OneToOneField(
        ProblemReport,
        verbose_name=_("来源问题反映"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead",
    )
    summary = models.TextField(_("线索内容"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    planned_inspection = models.ForeignKey(
        PlannedInspection,
        verbose_name=_("计划检查"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
    )
    closed_reason = models.TextField(_("处理说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("检查线索变更记录"))

    class Meta:
        verbose_name = _("检查线索")
        verbose_name_plural = _("检查线索")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "status"], name="lead_unit_status")]

    def __str__(self) -> str:
        return self.summary[:40]

    def get_absolute_url(self) -> str:
        return reverse("instruments:lead_list") + f"#lead-{self.pk}"


class MarketLedger(models.Model):
    """Ties a 集贸市场开办者's 协办单位 account (its unit) to its market in the registry and to the
    市场监管所 that supervises it: what that account enters goes to this office for review.

    Set up by the bureau admin in the admin.
    """

    market_unit = models.OneToOneField(
        Unit,
        verbose_name=_("市场（协办单位）"),
        on_delete=models.CASCADE,
        related_name="market_ledger",
        limit_choices_to={"kind": Unit.Kind.MARKET},
    )
    market = models.ForeignKey(
        Enterprise,
        verbose_name=_("市场开办者（名录）"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Enterprise.Kind.MARKET_OPERATOR},
    )
    office = models.ForeignKey(
        Unit,
        verbose_name=_("监管市场监管所"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Unit.Kind.OFFICE},
    )

    history = HistoricalRecords(verbose_name=_("市场台账设置变更记录"))

    class Meta:
        verbose_name = _("集贸市场台账设置")
        verbose_name_plural = _("集贸市场台账设置")
        ordering = ["market_unit"]

    def __str__(self) -> str:
        return f"{self.market_unit} → {self.office}"

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.market_unit_id and self.market_unit.kind != Unit.Kind.MARKET:
            errors["market_unit"] = _("须选择类型为“集贸市场”的单位。")
        if self.office_id and self.office.kind != Unit.Kind.OFFICE:
            errors["office"] = _("须选择市场监管所。")
        if self.market_id and self.market.kind != Enterprise.Kind.MARKET_OPERATOR:
            errors["market"] = _("须选择主体类型为“市场主办者”的单位。")
        if errors:
            raise ValidationError(errors)
