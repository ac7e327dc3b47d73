from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar, cast

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Task
from core.history import HistoricalRecords
from enterprises.models import Enterprise
from inspections.verification import (
    PASSING,
    Figures,
    Result,
    VerificationFactsMixin,
    VerificationStatus,
    period_end,
)
from organizations.models import Unit
from records.models import SubmittedRecord, review_queue_index

not_negative_amount = MinValueValidator(Decimal(0), _("金额不能为负数。"))


class Domain(models.TextChoices):
    """The six 民生 domains of the notice, in the order of the statistics table."""

    SCALES = "scales", _("电子计价秤（集贸市场/商超）")
    FUEL = "fuel", _("加油机（加油站）")
    UTILITY_METERS = "utility_meters", _("民用三表（水表、电能表、燃气表）")
    TAXI = "taxi", _("出租车计价器")
    EV_CHARGERS = "ev_chargers", _("电动汽车充电桩")
    OPTICAL = "optical", _("眼镜制配")


# The short row labels of 民生计量专项检查情况统计表.
DOMAIN_ROW_LABELS: dict[str, Any] = {
    Domain.SCALES: _("电子计价秤"),
    Domain.FUEL: _("加油机"),
    Domain.UTILITY_METERS: _("民用三表"),
    Domain.TAXI: _("出租车计价器"),
    Domain.EV_CHARGERS: _("充电桩"),
    Domain.OPTICAL: _("眼镜制配"),
}


class InstrumentTypeQuerySet(models.QuerySet["InstrumentType"]):
    def active(self) -> InstrumentTypeQuerySet:
        return self.filter(is_active=True)


class InstrumentType(models.Model):
    """A kind of measuring instrument the inspections list, with its verification rules.

    The periods and service lives are the bureau's data (seeded from the current JJG regulations by a
    data migration, editable in the admin), never constants in code.
    """

    class CountingUnit(models.TextChoices):
        TAI = "台", _("台")
        BA = "把", _("把")
        JIAN = "件", _("件")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("器具名称"), max_length=60)
    domain = models.CharField(_("检查领域"), max_length=20, choices=Domain.choices)
    mandatory = models.BooleanField(
        _("强制检定"), default=True, help_text=_("列入强制检定目录、用于贸易结算等的计量器具")
    )
    verification_period_months = models.PositiveSmallIntegerField(
        _("检定周期（月）"),
        null=True,
        blank=True,
        help_text=_("周期检定的器具填写；只作首次检定或非强检的器具留空"),
    )
    first_verification_only = models.BooleanField(
        _("只作首次强制检定"),
        default=False,
        help_text=_("如民用水表、电能表、燃气表：首次检定，限期使用，到期轮换"),
    )
    service_life_years = models.PositiveSmallIntegerField(
        _("使用期限（年）"), null=True, blank=True, help_text=_("到期须轮换的器具填写")
    )
    counting_unit = models.CharField(
        _("计数单位"), max_length=2, choices=CountingUnit.choices, default=CountingUnit.TAI
    )
    basis = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("如：JJG 539-2016"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = InstrumentTypeQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("器具类型变更记录"))

    class Meta:
        verbose_name = _("计量器具类型")
        verbose_name_plural = _("计量器具类型")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_verification_only=False) | Q(verification_period_months__isnull=True),
                name="instrumenttype_first_only_has_no_period",
                violation_error_message=_("只作首次检定的器具不填写检定周期。"),
            ),
            models.CheckConstraint(
                condition=Q(verification_period_months__isnull=True) | Q(verification_period_months__gt=0),
                name="instrumenttype_period_positive",
                violation_error_message=_("检定周期须大于 0 个月。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.mandatory and not self.first_verification_only and not self.verification_period_months:
            raise ValidationError(
                {"verification_period_months": _("周期检定的强检器具须填写检定周期（月）。")}
            )
        if self.first_verification_only and self.verification_period_months:
            raise ValidationError({"verification_period_months": _("只作首次检定的器具不填写检定周期。")})


class ProblemType(models.TextChoices):
    UNVERIFIED = "unverified", _("未检定")
    OVERDUE = "overdue", _("超期未检")
    FAILED = "failed", _("检定不合格")
    SEAL = "seal", _("铅封不完整")
    CHEATING = "cheating", _("计量作弊")
    NO_FAIR_SCALE = "no_fair_scale", _("未设公平秤")
    NOT_REGISTERED = "not_registered", _("未登记造册")
    ILLEGAL_UNITS = "illegal_units", _("非法定计量单位")
    OTHER = "other", _("其他")


def validate_problem_types(value: Any) -> None:
    """A list of distinct problem type codes (empty when nothing was found)."""
    if not isinstance(value, list):
        raise ValidationError(_("问题类型格式不正确。"), code="invalid")
    unknown = [code for code in value if code not in ProblemType.values]
    if unknown:
        raise ValidationError(
            _("未知的问题类型：%(codes)s") % {"codes": "、".join(str(code) for code in unknown)},
            code="invalid_choice",
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("问题类型有重复。"), code="duplicate")


class FollowUpStatus(models.TextChoices):
    """已检查 → 整改中 → 已整改, or → 已立案 → 已结案; set only by inspections.services from the facts."""

    CHECKED = "checked", _("已检查")
    RECTIFYING = "rectifying", _("整改中")
    RECTIFIED = "rectified", _("已整改")
    CASE_FILED = "case_filed", _("已立案")
    CASE_CLOSED = "case_closed", _("已结案")


COUNT_FIELDS = (
    "instruments_checked",
    "mandatory_count",
    "unverified_count",
    "overdue_count",
    "failed_count",
    "life_expired_count",
    "broken_seal_count",
)

# The fields each domain's form section holds; a record of another domain keeps them at their defaults.
DOMAIN_FIELDS: dict[str, tuple[str, ...]] = {
    "dispensers": (Domain.FUEL,),
    "nozzles": (Domain.FUEL,),
    "fair_scale_present": (Domain.SCALES,),
    "instruments_registered": (Domain.SCALES,),
    "ledger_present": (Domain.EV_CHARGERS,),
    "life_expired_count": (Domain.UTILITY_METERS,),
}


NORMALISED_FIELDS = (
    "domain",
    "date",
    *DOMAIN_FIELDS,
    *COUNT_FIELDS,
    "rectification_notice_no",
    "rectification_ordered_on",
    "case_no",
    "case_filed_on",
)


def normalised(values: dict[str, Any], *, listed: bool) -> dict[str, Any]:
    """The record's facts in their one canonical shape (for the model and for forms' cleaned data).

    What belongs to other domains' form sections (hidden on the page, maybe still filled) is cleared;
    at a fuel station the nozzles are the instruments checked; with instruments listed one by one the
    entered counts are cleared, so that no stale figure can contradict the list; the order and filing
    dates default to the inspection day.
    """
    values = dict(values)
    domain = values.get("domain")
    for name, domains in DOMAIN_FIELDS.items():
        if domain not in domains:
            values[name] = cast(models.Field, InspectionRecord._meta.get_field(name)).get_default()
    if domain == Domain.FUEL:
        values["instruments_checked"] = values.get("nozzles") or 0
    if listed:
        values.update(dict.fromkeys(COUNT_FIELDS, 0))
    if values.get("rectification_notice_no") and values.get("rectification_ordered_on") is None:
        values["rectification_ordered_on"] = values.get("date")
    if values.get("case_no") and values.get("case_filed_on") is None:
        values["case_filed_on"] = values.get("date")
    return values


RECORD_FIELDS: tuple[str, ...] = (
    "domain",
    "inspected_party",
    "market",
    "date",
    "inspectors",
    "staff_turnout",
    "joint_unit",
    "dispensers",
    "nozzles",
    "fair_scale_present",
    "instruments_registered",
    "ledger_present",
    *COUNT_FIELDS,
    "cheating_device_count",
    "problems_found",
    "problem_types",
    "findings",
    "rectification_notice_no",
    "rectification_ordered_on",
    "rectification_deadline",
    "rectified_on",
    "case_no",
    "case_filed_on",
    "case_closed_on",
    "fine_amount",
    "confiscated_income",
    "confiscated_devices",
    "confiscated_items",
    "cheating_case",
    "referred_to_police",
)


class InspectionRecord(SubmittedRecord):
    """One visit of one unit to one inspected party in one domain (民生计量专项检查).

    The instrument figures come from the listed instruments when there are any (their statuses are
    computed), else from the counts entered; see `figures`. The follow-up status and the follow-up
    task are kept in step with the rectification and case facts by inspections.services.
    """

    domain = models.CharField(_("检查领域"), max_length=20, choices=Domain.choices, db_index=True)
    inspected_party = models.ForeignKey(
        Enterprise, verbose_name=_("被检查单位"), on_delete=models.PROTECT, related_name="inspections"
    )
    market = models.ForeignKey(
        Enterprise,
        verbose_name=_("所在市场"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="market_inspections",
        help_text=_("市场内摊位填写其所在市场，如神女市场、平湖市场"),
    )
    date = models.DateField(_("检查日期"))
    inspectors = models.CharField(_("检查人员"), max_length=200, help_text=_("如：张三、李四"))
    staff_turnout = models.PositiveSmallIntegerField(
        _("出动人次"), default=2, validators=[MinValueValidator(1, _("出动人次至少为 1。"))]
    )
    joint_unit = models.ForeignKey(
        Unit,
        verbose_name=_("联合检查技术机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Unit.Kind.TESTING},
        help_text=_("如：巫山检测所"),
    )
    # Entered counts: used only when the instruments are not listed one by one.
    instruments_checked = models.PositiveIntegerField(_("检查器具（台件）"), default=0)
    mandatory_count = models.PositiveIntegerField(_("其中强检器具"), default=0)
    unverified_count = models.PositiveIntegerField(_("未检定"), default=0)
    overdue_count = models.PositiveIntegerField(_("超期未检"), default=0)
    failed_count = models.PositiveIntegerField(_("检定不合格"), default=0)
    life_expired_count = models.PositiveIntegerField(_("到期未轮换"), default=0)
    broken_seal_count = models.PositiveIntegerField(_("铅封损坏"), default=0)
    cheating_device_count = models.PositiveIntegerField(_("发现作弊装置"), default=0)
    # 加油站: dispensers in 台; the nozzles (把) are the instruments checked.
    dispensers = models.PositiveIntegerField(_("加油机（台）"), default=0)
    nozzles = models.PositiveIntegerField(_("加油枪（把）"), default=0)
    # 集贸市场/商超
    fair_scale_present = models.BooleanField(_("设置公平秤"), null=True, blank=True)
    instruments_registered = models.BooleanField(_("计量器具登记造册/备案"), null=True, blank=True)
    # 充电桩
    ledger_present = models.BooleanField(_("运营商建立计量器具台账"), null=True, blank=True)
    # Outcomes
    problems_found = models.PositiveIntegerField(_("发现问题（个）"), default=0)
    problem_types = models.JSONField(
        _("问题类型"), default=list, blank=True, validators=[validate_problem_types]
    )
    findings = models.TextField(_("检查情况"), blank=True)
    rectification_notice_no = models.CharField(
        _("责令整改通知书编号"), max_length=60, blank=True, help_text=_("如：巫市监责改〔2025〕12号")
    )
    rectification_ordered_on = models.DateField(_("责令整改日期"), null=True, blank=True)
    rectification_deadline = models.DateField(_("整改期限"), null=True, blank=True)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    case_no = models.CharField(_("立案号"), max_length=60, blank=True)
    case_filed_on = models.DateField(_("立案日期"), null=True, blank=True)
    case_closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    fine_amount = models.DecimalField(
        _("罚款（元）"), max_digits=12, decimal_places=2, default=Decimal(0), validators=[not_negative_amount]
    )
    confiscated_income = models.DecimalField(
        _("没收违法所得（元）"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[not_negative_amount],
    )
    confiscated_devices = models.PositiveIntegerField(_("没收作弊器具（台件）"), default=0)
    confiscated_items = models.TextField(_("没收物品"), blank=True, help_text=_("名称、数量"))
    cheating_case = models.BooleanField(_("查处计量作弊案件"), default=False)
    referred_to_police = models.BooleanField(_("移送公安机关"), default=False)
    follow_up_status = models.CharField(
        _("处理状态"),
        max_length=20,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.CHECKED,
        db_index=True,
        editable=False,
    )
    follow_up_task = models.ForeignKey(
        Task,
        verbose_name=_("整改复查任务"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    history = HistoricalRecords(verbose_name=_("专项检查变更记录"))

    # What a form, the API, an import or the admin may set (records.services refuses anything else);
    # the follow-up status and task are derived by inspections.services, never set.
    record_fields: ClassVar[tuple[str, ...]] = RECORD_FIELDS
    # A 协办单位 (e.g. 巫山检测所) reads the inspections it joined as the technical unit (issue 18).
    cooperator_scope_field: ClassVar[str] = "joint_unit"
    record_date_field: ClassVar[str | None] = "date"

    class Meta:
        verbose_name = _("专项检查记录")
        verbose_name_plural = _("专项检查记录")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["campaign", "date"], name="inspection_campaign_date"),
            models.Index(fields=["unit", "date"], name="inspection_unit_date"),
            # The newest-first pages (list, API) read the index instead of sorting the whole table.
            models.Index(fields=["date", "id"], name="inspectionrecord_date_id"),
            review_queue_index("inspectionrecord_review_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(fine_amount__gte=0) & Q(confiscated_income__gte=0),
                name="inspection_amounts_not_negative",
                violation_error_message=_("金额不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(nozzles=0) | Q(dispensers__gt=0),
                name="inspection_nozzles_need_dispensers",
                violation_error_message=_("填写了加油枪，须同时填写加油机台数。"),
            ),
            models.CheckConstraint(
                condition=Q(case_closed_on__isnull=True) | ~Q(case_no=""),
                name="inspection_closed_case_has_number",
                violation_error_message=_("结案的案件须填写立案号。"),
            ),
            models.CheckConstraint(
                condition=Q(rectified_on__isnull=True)
                | Q(rectification_ordered_on__isnull=False, rectified_on__gte=F("rectification_ordered_on")),
                name="inspection_rectified_after_ordered",
                violation_error_message=_("整改完成日期不能早于责令整改日期。"),
            ),
            models.UniqueConstraint(
                fields=["rectification_notice_no"],
                condition=~Q(rectification_notice_no=""),
                name="inspection_notice_no_unique",
                violation_error_message=_("该责令整改通知书编号已被其他检查记录使用。"),
                violation_error_code="unique",
            ),
            models.UniqueConstraint(
                fields=["case_no"],
                condition=~Q(case_no=""),
                name="inspection_case_no_unique",
                violation_error_message=_("该立案号已被其他检查记录使用。"),
                violation_error_code="unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.inspected_party}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:inspection_detail", args=[self.pk])

    # --- derived ---------------------------------------------------------------------------------

    @property
    def penalty_total(self) -> Decimal:
        """罚没款: 罚款 and 没收违法所得 are kept apart; their sum is never stored."""
        return sum(
            (amount for amount in (self.fine_amount, self.confiscated_income) if amount is not None),
            Decimal(0),
        )

    def get_problem_types_display(self) -> str:
        labels = dict(ProblemType.choices)
        return "、".join(str(labels.get(code, code)) for code in self.problem_types or [])

    def listed_instruments(self) -> list[InspectedInstrument]:
        """The listed instruments (from a prefetch when the selector made one)."""
        return list(self.instruments.all())

    def figures_from(self, instruments: list[InspectedInstrument]) -> Figures:
        """The figures of this record given its listed instruments (none listed: the entered counts)."""
        if not instruments:
            return Figures.entered(
                instruments=self.instruments_checked,
                mandatory=self.mandatory_count,
                unverified=self.unverified_count,
                overdue=self.overdue_count,
                failed=self.failed_count,
                life_expired=self.life_expired_count,
                broken_seals=self.broken_seal_count,
            )
        statuses = [instrument.status_on(self.date) for instrument in instruments]
        return Figures(
            instruments=len(instruments),
            mandatory=sum(1 for i in instruments if i.instrument_type.mandatory),
            unverified=statuses.count(VerificationStatus.UNVERIFIED),
            overdue=statuses.count(VerificationStatus.OVERDUE),
            failed=statuses.count(VerificationStatus.FAILED),
            life_expired=statuses.count(VerificationStatus.LIFE_EXPIRED),
            passing=sum(1 for status in statuses if status in PASSING),
            broken_seals=sum(1 for i in instruments if not i.seal_intact),
        )

    @property
    def figures(self) -> Figures:
        return self.figures_from(self.listed_instruments())

    fact_prefetch: ClassVar[tuple[str, ...]] = ("instruments__instrument_type",)

    def fact_key(self) -> str:
        return self.domain

    def counted_facts(self) -> dict[tuple[str, str], Decimal]:
        """The statistics table's figures of this record, keyed by its domain, and its party (so the
        dashboard can count distinct parties from the precomputed figures)."""
        facts = super().counted_facts()
        figures = self.figures
        values: dict[str, Any] = {
            "turnout": self.staff_turnout,
            **{name: getattr(figures, name) for name in figures.__dataclass_fields__},
            "problems": self.problems_found,
            "rectification_ordered": bool(self.rectification_notice_no),
            "rectified": self.rectified_on is not None,
            "cases_filed": bool(self.case_no),
            "cases_closed": self.case_closed_on is not None,
            "cheating_cases": bool(self.cheating_case),
            "devices_confiscated": self.confiscated_devices,
            "fines": self.fine_amount,
            "confiscated_income": self.confiscated_income,
            "referred_to_police": bool(self.referred_to_police),
            "dispensers": self.dispensers,
        }
        for name, value in values.items():
            facts[(name, self.domain)] = Decimal(value or 0)
        facts[("party", f"{self.domain}:{self.inspected_party_id}")] = Decimal(1)
        return facts

    def derive_follow_up_status(self) -> str:
        """The status the rectification and case facts put the record in (the case outranks the order)."""
        if self.case_closed_on:
            return FollowUpStatus.CASE_CLOSED
        if self.case_no:
            return FollowUpStatus.CASE_FILED
        if self.rectified_on:
            return FollowUpStatus.RECTIFIED
        if self.rectification_notice_no:
            return FollowUpStatus.RECTIFYING
        return FollowUpStatus.CHECKED

    # --- validation ------------------------------------------------------------------------------

    def normalise(self, *, listed: bool) -> None:
        """Bring the record into its canonical shape before validation and saving (see `normalised`)."""
        values = normalised({name: getattr(self, name) for name in NORMALISED_FIELDS}, listed=listed)
        for name, value in values.items():
            setattr(self, name, value)

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}

        def add(field: str, message: Any) -> None:
            errors.setdefault(field, []).append(message)

        try:
            super().clean()  # the record-date rule (records.models), shared by every record type
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(messages)
        today = timezone.localdate()
        market = self.market if self.market_id else None
        if market is not None:
            if market.pk == self.inspected_party_id:
                add("market", _("所在市场不能是被检查单位本身。"))
            elif market.kind != Enterprise.Kind.MARKET_OPERATOR:
                add("market", _("所在市场须是主体类型为“市场主办者”的单位。"))
        self._clean_domain(add)
        self._clean_entered_counts(add)
        self._clean_outcomes(add, today)
        if errors:
            raise ValidationError(errors)

    def _clean_domain(self, add: Any) -> None:
        if self.domain == Domain.FUEL:
            if self.dispensers == 0:
                add("dispensers", _("加油站检查须填写检查的加油机台数。"))
            if self.nozzles and not self.dispensers:
                add("nozzles", _("填写了加油枪，须同时填写加油机台数。"))
            elif self.dispensers and self.nozzles < self.dispensers:
                add("nozzles", _("加油枪把数不能少于加油机台数（每台加油机至少一把枪）。"))
        elif self.domain == Domain.SCALES:
            if self.fair_scale_present is None:
                add("fair_scale_present", _("请填写是否设置公平秤。"))
            if self.instruments_registered is None:
                add("instruments_registered", _("请填写计量器具是否登记造册/备案。"))
        elif self.domain == Domain.EV_CHARGERS and self.ledger_present is None:
            add("ledger_present", _("请填写运营商是否建立计量器具台账。"))

    def _clean_entered_counts(self, add: Any) -> None:
        checked = self.instruments_checked
        if self.mandatory_count > checked:
            add("mandatory_count", _("强检器具数不能多于检查器具数。"))
        findings = self.unverified_count + self.overdue_count + self.failed_count + self.life_expired_count
        if findings > self.mandatory_count:
            add(
                "mandatory_count",
                _("未检定、超期未检、检定不合格、到期未轮换合计（%(n)d）不能多于强检器具数。")
                % {"n": findings},
            )
        if self.broken_seal_count > checked:
            add("broken_seal_count", _("铅封损坏的器具数不能多于检查器具数。"))
        if self.cheating_device_count > checked:
            add("cheating_device_count", _("发现作弊装置的器具数不能多于检查器具数。"))

    def _clean_outcomes(self, add: Any, today: dt.date) -> None:
        if self.problems_found and not self.problem_types:
            add("problem_types", _("发现问题时请选择问题类型。"))
        if self.problem_types and not self.problems_found:
            add("problems_found", _("选择了问题类型，请填写发现问题的个数。"))
        notice = self.rectification_notice_no
        if notice:
            if self.rectification_deadline is None:
                add("rectification_deadline", _("责令整改须填写整改期限。"))
            ordered = self.rectification_ordered_on
            if ordered and self.date and ordered < self.date:
                add("rectification_ordered_on", _("责令整改日期不能早于检查日期。"))
            if ordered and self.rectification_deadline and self.rectification_deadline < ordered:
                add("rectification_deadline", _("整改期限不能早于责令整改日期。"))
        elif self.rectification_deadline or self.rectified_on:
            add("rectification_notice_no", _("填写整改期限或整改完成日期前，须填写责令整改通知书编号。"))
        if self.rectified_on:
            ordered = self.rectification_ordered_on or self.date
            if ordered and self.rectified_on < ordered:
                add("rectified_on", _("整改完成日期不能早于责令整改日期。"))
            elif self.rectified_on > today:
                add("rectified_on", _("整改完成日期不能晚于今天。"))
        if self.case_closed_on and not self.case_no:
            add("case_no", _("结案的案件须填写立案号。"))
        if self.case_no or self.case_closed_on:
            filed = self.case_filed_on or self.date
            if self.case_filed_on and self.date and self.case_filed_on < self.date:
                add("case_filed_on", _("立案日期不能早于检查日期。"))
            if self.case_closed_on and filed and self.case_closed_on < filed:
                add("case_closed_on", _("结案日期不能早于立案日期。"))
            elif self.case_closed_on and self.case_closed_on > today:
                add("case_closed_on", _("结案日期不能晚于今天。"))

    def validate_instruments(self, instruments: list[InspectedInstrument]) -> None:
        """The rules that need the listed instruments as well as the record (forms, admin and services)."""
        errors: dict[str, list[Any]] = {}
        wrong = sorted(
            {str(i.instrument_type) for i in instruments if i.instrument_type.domain != self.domain}
        )
        if wrong:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                _("器具类型“%(types)s”不属于本次检查的领域。") % {"types": "、".join(wrong)}
            )
        if self.domain == Domain.FUEL and instruments and len(instruments) != self.nozzles:
            errors.setdefault("nozzles", []).append(
                _("逐把登记的加油枪有 %(listed)d 把，与填写的加油枪数（%(entered)d 把）不一致。")
                % {"listed": len(instruments), "entered": self.nozzles}
            )
        total = len(instruments) if instruments else self.instruments_checked
        if self.problems_found > total:
            errors.setdefault("problems_found", []).append(
                _("发现问题（%(problems)d 个）不能多于检查器具数（%(instruments)d 台件）。")
                % {"problems": self.problems_found, "instruments": total}
            )
        if errors:
            raise ValidationError(errors)


# What an office enters about one listed instrument (the form's row, the admin inline, the API).
INSTRUMENT_FIELDS: tuple[str, ...] = (
    "instrument_type",
    "serial_no",
    "certificate_no",
    "verified_on",
    "valid_until",
    "verifying_body",
    "result",
    "mark_present",
    "seal_intact",
    "service_life_end",
)


class InspectedInstrument(VerificationFactsMixin, models.Model):
    """One instrument listed on an inspection. Its verification status is computed, never stored."""

    unit_scope_field = "inspection__unit"
    cooperator_scope_field = "inspection__joint_unit"

    inspection = models.ForeignKey(
        InspectionRecord, verbose_name=_("检查记录"), on_delete=models.CASCADE, related_name="instruments"
    )
    instrument_type = models.ForeignKey(
        InstrumentType, verbose_name=_("器具类型"), on_delete=models.PROTECT, related_name="+"
    )
    serial_no = models.CharField(_("出厂编号"), max_length=60, blank=True)
    certificate_no = models.CharField(_("检定证书号"), max_length=60, blank=True)
    verified_on = models.DateField(_("检定日期"), null=True, blank=True)
    valid_until = models.DateField(
        _("有效期至"), null=True, blank=True, help_text=_("留空时按器具类型的检定周期从检定日期推算")
    )
    verifying_body = models.CharField(_("检定机构"), max_length=100, blank=True)
    result = models.CharField(_("检定结果"), max_length=10, choices=Result.choices, default=Result.PASSED)
    mark_present = models.BooleanField(_("有检定合格标志"), default=True)
    seal_intact = models.BooleanField(_("铅封完好"), default=True)
    service_life_end = models.DateField(
        _("使用期限至"), null=True, blank=True, help_text=_("限期使用的器具；留空时按使用期限从检定日期推算")
    )
    # The register's line for this instrument (instruments app, above this one: named by string only).
    # When the inspection is approved, the register takes this row's facts and computed status.
    registered = models.ForeignKey(
        "instruments.RegisteredInstrument",
        verbose_name=_("台账器具"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspected_rows",
    )

    history = HistoricalRecords(verbose_name=_("受检器具变更记录"))

    class Meta:
        verbose_name = _("受检计量器具")
        verbose_name_plural = _("受检计量器具")
        ordering = ["inspection", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(verified_on__isnull=True)
                | Q(valid_until__gte=F("verified_on")),
                name="instrument_valid_after_verified",
                violation_error_message=_("有效期不能早于检定日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_type} {self.serial_no}".strip()

    def apply_type_defaults(self) -> None:
        """Fill what the type's rules give when left empty, at entry: valid-until from the verification
        period, the end of service life from the service life (from the verification date)."""
        kind = self.instrument_type
        if self.verified_on is None:
            return
        if self.valid_until is None and kind.verification_period_months and not kind.first_verification_only:
            self.valid_until = period_end(self.verified_on, kind.verification_period_months)
        if self.service_life_end is None and kind.service_life_years:
            self.service_life_end = period_end(self.verified_on, 12 * kind.service_life_years)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.verified_on and self.valid_until and self.valid_until < self.verified_on:
            errors["valid_until"] = _("有效期不能早于检定日期。")
        if self.verified_on and self.service_life_end and self.service_life_end < self.verified_on:
            errors["service_life_end"] = _("使用期限不能早于检定日期。")
        if self.verified_on and self.verified_on > timezone.localdate():
            errors["verified_on"] = _("检定日期不能晚于今天。")
        if self.result == Result.PASSED and self.verified_on is None and self.valid_until is None:
            errors["verified_on"] = _("检定结果为合格时，请填写检定日期或有效期。")
        if errors:
            raise ValidationError(errors)

    @property
    def verification_status(self) -> VerificationStatus:
        """The status on its inspection's date."""
        return self.status_on(self.inspection.date)


class CheckItem(models.Model):
    """A current check item for one domain's instruments (e.g. 三码一封 for scales under JJF 2184-2025).

    Items are data, seeded by a migration and edited in the admin, so that a rule change is an edit.
    """

    domain = models.CharField(_("检查领域"), max_length=20, choices=Domain.choices, db_index=True)
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("检查项目"), max_length=100)
    group = models.CharField(_("项目分组"), max_length=60, blank=True, help_text=_("如：三码一封"))
    basis = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("如：JJF 2184-2025"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    history = HistoricalRecords(verbose_name=_("检查项目变更记录"))

    class Meta:
        verbose_name = _("器具检查项目")
        verbose_name_plural = _("器具检查项目")
        ordering = ["domain", "sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.group}·{self.name}" if self.group else self.name


class InstrumentCheck(models.Model):
    """The outcome of one check item on one listed instrument (passed, or not)."""

    unit_scope_field = "instrument__inspection__unit"
    cooperator_scope_field = "instrument__inspection__joint_unit"

    instrument = models.ForeignKey(
        InspectedInstrument, verbose_name=_("受检器具"), on_delete=models.CASCADE, related_name="checks"
    )
    item = models.ForeignKey(
        CheckItem, verbose_name=_("检查项目"), on_delete=models.PROTECT, related_name="+"
    )
    passed = models.BooleanField(_("符合要求"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    history = HistoricalRecords(verbose_name=_("器具检查结果变更记录"))

    class Meta:
        verbose_name = _("器具检查结果")
        verbose_name_plural = _("器具检查结果")
        ordering = ["instrument", "item__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "item"], name="one_check_per_instrument_item")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {_('符合') if self.passed else _('不符合')}"


class PlannedInspection(models.Model):
    """An inspection an office plans (from a lead or the risk ranking): party, domain, when, and why.

    Planned → done when an inspection record is made from it, or cancelled (with a reason).
    """

    unit_scope_field = "unit"

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        DONE = "done", _("已检查")
        CANCELLED = "cancelled", _("已取消")

    plan_fields: ClassVar[tuple[str, ...]] = ("party", "domain", "planned_for", "reason")

    unit = models.ForeignKey(Unit, verbose_name=_("负责单位"), on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey(
        Enterprise, verbose_name=_("被检查单位"), on_delete=models.PROTECT, related_name="planned_inspections"
    )
    domain = models.CharField(_("检查领域"), max_length=20, choices=Domain.choices)
    planned_for = models.DateField(_("计划检查日期"))
    reason = models.TextField(_("计划理由"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    inspection = models.OneToOneField(
        InspectionRecord,
        verbose_name=_("检查记录"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan",
    )
    created_by = models.ForeignKey(
        "organizations.User", verbose_name=_("计划人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    history = HistoricalRecords(verbose_name=_("计划检查变更记录"))

    class Meta:
        verbose_name = _("计划检查")
        verbose_name_plural = _("计划检查")
        ordering = ["planned_for", "pk"]
        indexes = [models.Index(fields=["unit", "status"], name="planned_unit_status")]

    def __str__(self) -> str:
        return f"{self.planned_for:%Y-%m-%d} {self.party}"
