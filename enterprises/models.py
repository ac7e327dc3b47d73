from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from core.history import HistoricalRecords
from enterprises import uscc
from organizations.models import Unit
from records.models import SubmittedRecord, review_queue_index

phone_validator = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$",
    _("请输入有效的手机号（11位）或座机号（如 023-57681234）。"),
)
not_negative_amount = MinValueValidator(Decimal(0), _("金额不能为负数。"))

# China's mainland and islands lie within these bounds (WGS-84/GCJ-02 degrees, rounded outwards): a
# point outside is a typing slip (swapped longitude and latitude, a missing digit), never a real site.
CHINA_LONGITUDE = (Decimal("73.0"), Decimal("136.0"))
CHINA_LATITUDE = (Decimal("3.0"), Decimal("54.0"))
longitude_validators = [
    MinValueValidator(CHINA_LONGITUDE[0], _("经度应在 73 至 136 之间（中国境内）。")),
    MaxValueValidator(CHINA_LONGITUDE[1], _("经度应在 73 至 136 之间（中国境内）。")),
]
latitude_validators = [
    MinValueValidator(CHINA_LATITUDE[0], _("纬度应在 3 至 54 之间（中国境内）。")),
    MaxValueValidator(CHINA_LATITUDE[1], _("纬度应在 3 至 54 之间（中国境内）。")),
]


class CreditCodeField(models.CharField):
    """A 统一社会信用代码 column: whatever path a value arrives by (form, admin, API, import), it is
    normalised (full-width folded, spaces dropped, upper case) before the validators see it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", uscc.LENGTH)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return uscc.normalize(value) if isinstance(value, str) else value

    def formfield(self, **kwargs: Any) -> Any:
        # Room for the spaces people type between groups of digits; the model checks the 18 after.
        return super().formfield(**{"max_length": 40, **kwargs})


def validate_credit_code(value: str) -> None:
    if value:
        uscc.validate(value)


class Enterprise(models.Model):
    """An enterprise, individual business or market stall in the shared registry.

    The registry belongs to no unit: every role reads it, offices and the bureau add and change it.
    Inspections, stations and visits point at it.
    """

    class Kind(models.TextChoices):
        COMPANY = "company", _("企业")
        INDIVIDUAL = "individual", _("个体工商户")
        COOPERATIVE = "cooperative", _("农民专业合作社")
        MARKET_OPERATOR = "market_operator", _("市场主办者")
        UTILITY = "utility", _("公用企业")
        INSTITUTION = "institution", _("事业单位")
        STALL = "stall", _("市场摊位")
        OTHER = "other", _("其他")

    class Industry(models.TextChoices):
        AGRICULTURE = "agriculture", _("农林牧渔业")
        FOOD = "food", _("农副食品及食品加工业")
        MANUFACTURING = "manufacturing", _("其他制造业")
        UTILITIES = "utilities", _("电力、燃气及水的生产和供应业")
        CONSTRUCTION = "construction", _("建筑业和建材")
        RETAIL = "retail", _("批发和零售业")
        FUEL = "fuel", _("成品油零售（加油站）")
        TRANSPORT = "transport", _("交通运输业")
        HOSPITALITY = "hospitality", _("住宿和餐饮业")
        TOURISM = "tourism", _("旅游和文化娱乐")
        HEALTH = "health", _("医疗卫生和医药")
        OPTICAL = "optical", _("眼镜制配")
        TESTING = "testing", _("检验检测")
        OTHER = "other", _("其他")

    class Size(models.TextChoices):
        LARGE = "large", _("大型")
        MEDIUM = "medium", _("中型")
        SMALL = "small", _("小型")
        MICRO = "micro", _("微型")

    # What a form, the API or an import may set (enterprises.services refuses any other key); the
    # derived code parts, the author and the timestamps are the server's.
    registry_fields: ClassVar[tuple[str, ...]] = (
        "name",
        "credit_code",
        "kind",
        "industry",
        "size",
        "address",
        "township",
        "contact_name",
        "contact_phone",
        "note",
        "longitude",
        "latitude",
    )

    name = models.CharField(_("名称"), max_length=150)
    credit_code = CreditCodeField(
        _("统一社会信用代码"),
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18 位，见营业执照；无营业执照的市场摊位可留空"),
    )
    kind = models.CharField(_("主体类型"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    industry = models.CharField(_("所属行业"), max_length=20, choices=Industry.choices)
    size = models.CharField(_("企业规模"), max_length=10, choices=Size.choices)
    address = models.CharField(_("地址"), max_length=200)
    township = models.CharField(_("乡镇/街道"), max_length=50)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    note = models.TextField(_("备注"), blank=True)
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=longitude_validators,
        help_text=_("如 109.878；地图上标注企业和公平秤的位置，可留空"),
    )
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=latitude_validators,
        help_text=_("如 31.074"),
    )
    # Read from the code on every save (never typed), and kept as columns so that lists filter by them.
    registration_authority = models.CharField(
        _("登记管理部门"), max_length=1, choices=uscc.AUTHORITY_CHOICES, blank=True, editable=False
    )
    entity_type_code = models.CharField(_("机构类别代码"), max_length=1, blank=True, editable=False)
    region_code = models.CharField(_("登记地行政区划码"), max_length=6, blank=True, editable=False)
    created_by = models.ForeignKey(
        "organizations.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("企业变更记录"))

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业名录")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="enterprise_credit_code_unique",
                # A conditional constraint has no field message of its own: without this users read its name.
                violation_error_message=_("该统一社会信用代码已登记，请勿重复添加。"),
                # Reported on the credit-code field, where the user typed it, rather than above the form.
                violation_error_code="unique",
            ),
            models.CheckConstraint(
                condition=Q(kind="stall") | ~Q(credit_code=""),
                name="enterprise_has_credit_code_unless_stall",
                violation_error_message=_("除市场摊位外，须填写统一社会信用代码。"),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="enterprise_coordinates_both_or_neither",
                violation_error_message=_("经度和纬度需同时填写或同时留空。"),
            ),
        ]
        indexes = [models.Index(fields=["township", "name"], name="enterprise_township_name")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive_from_code()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "credit_code" in update_fields:
            kwargs["update_fields"] = {
                *update_fields,
                "registration_authority",
                "entity_type_code",
                "region_code",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.pk])

    def clean_fields(self, exclude: Any = None) -> None:
        # The "code unless stall" rule is checked with the fields rather than in clean(), so that it is
        # skipped when a form has already refused the code (the user would otherwise read two errors).
        errors: dict[str, Any] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        skipped = set(exclude or ()) | set(errors)
        if not {"credit_code", "kind"} & skipped and not self.credit_code and self.kind != self.Kind.STALL:
            errors["credit_code"] = [_("除市场摊位外，须填写统一社会信用代码。")]
        if not {"longitude", "latitude"} & skipped and (self.longitude is None) != (self.latitude is None):
            missing = "latitude" if self.latitude is None else "longitude"
            errors[missing] = [_("经度和纬度需同时填写或同时留空。")]
        if errors:
            raise ValidationError(errors)

    def derive_from_code(self) -> None:
        """Fill the registration authority, entity type and region from the credit code (blank without one)."""
        code = self.credit_code or ""
        valid = uscc.is_valid(code)
        self.registration_authority = code[0] if valid else ""
        self.entity_type_code = code[1] if valid else ""
        self.region_code = code[2:8] if valid else ""

    @property
    def entity_type_label(self) -> str:
        return uscc.entity_type_label(self.registration_authority, self.entity_type_code)

    @property
    def region_label(self) -> str:
        return str(uscc.REGION_NAMES.get(self.region_code, self.region_code))

    @property
    def is_sme(self) -> bool:
        return self.size != self.Size.LARGE


class Partnership(models.Model):
    """A 中小企业计量伙伴计划 pairing: a large (lead) enterprise and the SMEs it helps."""

    # What the admin may set through enterprises.services.partnership_save (partners go alongside).
    partnership_fields: ClassVar[tuple[str, ...]] = ("campaign", "name", "lead", "signed_on", "note")

    campaign = models.ForeignKey(Campaign, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("结对名称"), max_length=150, help_text=_("如：巫山县某某公司计量伙伴结对"))
    lead = models.ForeignKey(
        Enterprise,
        verbose_name=_("龙头企业"),
        on_delete=models.PROTECT,
        related_name="led_partnerships",
        help_text=_("大中型企业"),
    )
    partners = models.ManyToManyField(
        Enterprise, verbose_name=_("结对中小企业"), related_name="partnerships", blank=True
    )
    signed_on = models.DateField(_("结对日期"), null=True, blank=True)
    note = models.TextField(_("结对内容"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("伙伴计划变更记录"), m2m_fields=[partners])

    class Meta:
        verbose_name = _("伙伴计划结对")
        verbose_name_plural = _("中小企业计量伙伴计划")
        ordering = ["campaign", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "lead"],
                name="partnership_lead_unique_per_campaign",
                violation_error_message=_("该龙头企业在本活动中已有伙伴计划结对。"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.lead_id and self.lead.size not in (Enterprise.Size.LARGE, Enterprise.Size.MEDIUM):
            raise ValidationError({"lead": _("伙伴计划的龙头企业应为大中型企业。")})


def validate_visit_types(value: Any) -> None:
    """A non-empty list of distinct visit type codes."""
    if not isinstance(value, list) or not value:
        raise ValidationError(_("请至少选择一种服务方式。"), code="visit_types_empty")
    unknown = [code for code in value if code not in EnterpriseVisit.VisitType.values]
    if unknown:
        raise ValidationError(
            _("未知的服务方式：%(codes)s") % {"codes": "、".join(str(code) for code in unknown)},
            code="visit_types_unknown",
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("服务方式有重复。"), code="visit_types_duplicate")


class EnterpriseVisit(SubmittedRecord):
    """One SME metrology service visit (计量服务中小企业行 / 伙伴计划), logged by the visiting unit."""

    # A 协办单位 account (e.g. 巫山检测所) reads the visits it supported as technical partner (issue 18).
    cooperator_scope_field: ClassVar[str] = "technical_partner"

    fact_fields: ClassVar[tuple[str, ...]] = (
        "instruments_serviced",
        "fees_waived",
        "estimated_saving",
        "trainees",
    )
    record_fields: ClassVar[tuple[str, ...]] = (
        "enterprise",
        "date",
        "visit_types",
        "programme",
        "partner_lead",
        "staff",
        "technical_partner",
        "needs_identified",
        "summary",
        "instruments_serviced",
        "fees_waived",
        "estimated_saving",
        "saving_basis",
        "standards_guided",
        "trainees",
        "follow_up_on",
    )
    record_date_field: ClassVar[str | None] = "date"

    class VisitType(models.TextChoices):
        SURVEY = "survey", _("走访调研")
        FORUM = "forum", _("座谈会")
        TRAINING = "training", _("培训")
        ONSITE_GUIDANCE = "onsite_guidance", _("现场技术指导")
        LAB_OPEN_DAY = "lab_open_day", _("实验室开放")
        POLICY_BRIEFING = "policy_briefing", _("政策宣讲")

    class Programme(models.TextChoices):
        SME_SERVICE = "sme_service", _("计量服务中小企业行")
        PARTNERSHIP = "partnership", _("中小企业计量伙伴计划")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("服务企业"), on_delete=models.PROTECT, related_name="visits"
    )
    date = models.DateField(_("服务日期"))
    # A list of VisitType codes rather than a many-to-many table: the six kinds are a fixed vocabulary,
    # and kept in the row they are part of the visit's history and cost no query on list pages.
    visit_types = models.JSONField(
        _("服务方式"),
        default=list,
        validators=[validate_visit_types],
        error_messages={"blank": _("请至少选择一种服务方式。")},
    )
    programme = models.CharField(
        _("所属活动"), max_length=20, choices=Programme.choices, default=Programme.SME_SERVICE
    )
    partner_lead = models.ForeignKey(
        Enterprise,
        verbose_name=_("伙伴计划龙头企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnership_visits",
        help_text=_("伙伴计划的服务填写，服务企业须是该龙头企业或其结对企业"),
    )
    staff = models.CharField(_("服务人员"), max_length=200, help_text=_("如：张三、李四（检测所）"))
    technical_partner = models.ForeignKey(
        Unit,
        verbose_name=_("技术支撑单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Unit.Kind.TESTING},
        help_text=_("如：巫山检测所"),
    )
    needs_identified = models.TextField(_("问需清单"), blank=True, help_text=_("企业提出的计量需求"))
    summary = models.TextField(_("服务情况"), blank=True)
    instruments_serviced = models.PositiveIntegerField(_("检定校准器具（台件）"), default=0)
    fees_waived = models.DecimalField(
        _("减免费用（元）"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[not_negative_amount],
    )
    estimated_saving = models.DecimalField(
        _("为企业节约成本（元）"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[not_negative_amount],
        help_text=_("估算值，须填写测算依据"),
    )
    saving_basis = models.TextField(_("节约成本测算依据"), blank=True)
    standards_guided = models.PositiveIntegerField(_("指导计量标准/规范（项）"), default=0)
    trainees = models.PositiveIntegerField(_("培训人数（人次）"), default=0)
    follow_up_on = models.DateField(_("回访日期"), null=True, blank=True)

    history = HistoricalRecords(verbose_name=_("企业服务变更记录"))

    class Meta:
        verbose_name = _("企业服务记录")
        verbose_name_plural = _("企业服务记录")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["unit", "date"], name="enterprisevisit_unit_date"),
            # The list's order (newest first) for whoever sees every unit (issue 14 list budget).
            models.Index(fields=["date", "id"], name="enterprisevisit_date_id"),
            # The registry's per-enterprise counts of approved and pending visits in a unit's scope,
            # read from the index alone (issue 14 list budget).
            models.Index(fields=["enterprise", "review_status", "unit"], name="enterprisevisit_ent_status"),
            review_queue_index("enterprisevisit_review_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(fees_waived__gte=0) & Q(estimated_saving__gte=0),
                name="visit_amounts_not_negative",
                violation_error_message=_("金额不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(estimated_saving=0) | ~Q(saving_basis=""),
                name="visit_saving_has_basis",
                violation_error_message=_("填写了节约成本，须说明测算依据。"),
            ),
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True) | Q(follow_up_on__gte=F("date")),
                name="visit_follow_up_after_visit",
                violation_error_message=_("回访日期不能早于服务日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:visit_detail", args=[self.pk])

    def get_visit_types_display(self) -> str:
        labels = dict(self.VisitType.choices)
        return "、".join(str(labels.get(code, code)) for code in self.visit_types or [])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            super().clean()  # the record-date rule (inside the campaign, not in the future)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        order = list(self.VisitType.values)
        if isinstance(self.visit_types, list) and all(code in order for code in self.visit_types):
            # One order whatever the door (form, API, admin), so that the same types read the same.
            self.visit_types = sorted(self.visit_types, key=order.index)
        if self.estimated_saving and self.estimated_saving > 0 and not self.saving_basis.strip():
            errors["saving_basis"] = _("填写了节约成本，须说明测算依据。")
        if self.date and self.follow_up_on and self.follow_up_on < self.date:
            errors["follow_up_on"] = _("回访日期不能早于服务日期。")
        if self.programme == self.Programme.PARTNERSHIP:
            if self.partner_lead_id is None:
                errors["partner_lead"] = _("伙伴计划的服务须选择龙头企业。")
            elif self.enterprise_id and not self._in_partnership():
                errors["enterprise"] = _("服务企业不是“%(lead)s”伙伴计划中的企业。") % {
                    "lead": self.partner_lead
                }
        elif self.partner_lead_id is not None:
            errors["partner_lead"] = _("只有伙伴计划的服务才填写龙头企业。")
        if errors:
            raise ValidationError(errors)

    def _in_partnership(self) -> bool:
        if self.enterprise_id == self.partner_lead_id:
            return Partnership.objects.filter(lead_id=self.partner_lead_id).exists()
        return Partnership.objects.filter(lead_id=self.partner_lead_id, partners=self.enterprise_id).exists()


class MetrologyProblem(models.Model):
    """A metrology problem an enterprise raised on a visit, tracked as a ticket until the enterprise confirms.

    已提出 → 已指派 → 已解决 → 企业已确认, forward only, each step by enterprises.services with who and when.
    "Problems solved" is counted from these rows.
    """

    # Problems belong to the unit whose visit raised them.
    unit_scope_field = "visit__unit"
    cooperator_scope_field: ClassVar[str] = "visit__technical_partner"
    # Set only by the step services (raise, assign, solve, confirm), with who and when: read-only elsewhere.
    step_fields: ClassVar[tuple[str, ...]] = (
        "status",
        "raised_by",
        "raised_at",
        "assigned_unit",
        "assignee_name",
        "assigned_by",
        "assigned_at",
        "solution",
        "solved_by",
        "solved_at",
        "confirmed_by_name",
        "confirmation_note",
        "confirmation_recorded_by",
        "confirmed_at",
    )

    class Status(models.TextChoices):
        RAISED = "raised", _("已提出")
        ASSIGNED = "assigned", _("已指派")
        SOLVED = "solved", _("已解决")
        CONFIRMED = "confirmed", _("企业已确认")

    class Category(models.TextChoices):
        INSTRUMENTS = "instruments", _("计量器具未检定或超期")
        MANAGEMENT = "management", _("计量管理制度不健全")
        CAPABILITY = "capability", _("测量能力或设备不足")
        PERSONNEL = "personnel", _("计量人员缺乏培训")
        STANDARDS = "standards", _("计量标准或技术规范")
        ENERGY = "energy", _("能源计量")
        OTHER = "other", _("其他")

    visit = models.ForeignKey(
        EnterpriseVisit, verbose_name=_("服务记录"), on_delete=models.PROTECT, related_name="problems"
    )
    category = models.CharField(_("问题类别"), max_length=20, choices=Category.choices)
    description = models.TextField(_("问题描述"))
    status = models.CharField(
        _("办理状态"), max_length=20, choices=Status.choices, default=Status.RAISED, db_index=True
    )
    raised_by = models.ForeignKey(
        "organizations.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    assigned_unit = models.ForeignKey(
        Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assignee_name = models.CharField(_("承办人"), max_length=50, blank=True)
    assigned_by = models.ForeignKey(
        "organizations.User",
        verbose_name=_("指派人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("指派时间"), null=True, blank=True)
    solution = models.TextField(_("解决措施"), blank=True)
    solved_by = models.ForeignKey(
        "organizations.User",
        verbose_name=_("解决登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    solved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    confirmed_by_name = models.CharField(_("企业确认人"), max_length=50, blank=True)
    confirmation_note = models.TextField(_("企业意见"), blank=True)
    confirmation_recorded_by = models.ForeignKey(
        "organizations.User",
        verbose_name=_("确认登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    history = HistoricalRecords(verbose_name=_("问题办理记录"))

    class Meta:
        verbose_name = _("企业计量问题")
        verbose_name_plural = _("企业计量问题")
        ordering = ["visit", "raised_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="raised")
                | (Q(assigned_unit__isnull=False) & Q(assigned_at__isnull=False)),
                name="problem_assigned_has_assignment",
                violation_error_message=_("已指派的问题须有承办单位和指派时间。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["raised", "assigned"])
                | (~Q(solution="") & Q(solved_at__isnull=False)),
                name="problem_solved_has_solution",
                violation_error_message=_("已解决的问题须填写解决措施。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | (~Q(confirmed_by_name="") & Q(confirmed_at__isnull=False)),
                name="problem_confirmed_has_confirmer",
                violation_error_message=_("企业确认须填写确认人。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.description[:30]}"

    def get_absolute_url(self) -> str:
        return f"{self.visit.get_absolute_url()}#problem-{self.pk}"

    @property
    def is_solved(self) -> bool:
        return self.status in (self.Status.SOLVED, self.Status.CONFIRMED)


# --- 诚信计量: commitments, 示范单位, red and black lists, 红黄牌 ---------------------------------------


class IntegrityCommitment(models.Model):
    """A 计量诚信承诺书 an enterprise signed, recorded by an office with its text or a photo of it.

    It belongs to the recording office (scope), like a visit; the enterprise is the shared registry's.
    """

    commitment_fields: ClassVar[tuple[str, ...]] = ("enterprise", "signed_on", "text")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="commitments"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("登记单位"), on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(_("承诺日期"))
    text = models.TextField(_("承诺内容"), blank=True, help_text=_("承诺书文字；也可只上传承诺书照片"))
    created_by = models.ForeignKey(
        "organizations.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords(verbose_name=_("诚信承诺变更记录"))

    class Meta:
        verbose_name = _("计量诚信承诺")
        verbose_name_plural = _("计量诚信承诺")
        ordering = ["-signed_on", "-pk"]
        indexes = [models.Index(fields=["unit", "signed_on"], name="commitment_unit_signed")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.signed_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:commitment_detail", args=[self.pk])


class IntegrityEntry(models.Model):
    """One spell of an integrity status: 示范单位, 红名单, 黑名单, or a 红黄牌 warning to a market trader.

    Entries are never deleted or rewritten: a status ends (ended_on, with a reason), so the history of
    who was listed when, and why, stays readable. An enterprise holds at most one open entry per kind.
    """

    class Kind(models.TextChoices):
        DEMONSTRATION = "demonstration", _("计量诚信示范单位")
        RED_LIST = "red_list", _("红名单")
        BLACK_LIST = "black_list", _("黑名单")
        YELLOW_CARD = "yellow_card", _("黄牌警告")
        RED_CARD = "red_card", _("红牌警告")

    # The kinds that are warnings under the revised 《集贸市场计量监督管理办法》 (in force 2025-03-01),
    # given to those who trade in or run a market; the others apply to any enterprise.
    CARD_KINDS: ClassVar[tuple[str, ...]] = (Kind.YELLOW_CARD, Kind.RED_CARD)
    CARD_HOLDER_KINDS: ClassVar[tuple[str, ...]] = (
        Enterprise.Kind.MARKET_OPERATOR,
        Enterprise.Kind.STALL,
        Enterprise.Kind.INDIVIDUAL,
    )
    entry_fields: ClassVar[tuple[str, ...]] = ("enterprise", "kind", "reason", "started_on")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="integrity_entries"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("认定单位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("认定理由"))
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.TextField(_("终止理由"), blank=True)
    created_by = models.ForeignKey(
        "organizations.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    ended_by = models.ForeignKey(
        "organizations.User",
        verbose_name=_("终止登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords(verbose_name=_("诚信名单变更记录"))

    class Meta:
        verbose_name = _("诚信计量名单")
        verbose_name_plural = _("诚信计量名单")
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["unit", "started_on"], name="integrity_unit_started")]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind"],
                condition=Q(ended_on__isnull=True),
                name="integrity_one_open_entry_per_kind",
                violation_error_message=_("该企业已有同类且未终止的记录。"),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="integrity_ends_after_start",
                violation_error_message=_("终止日期不能早于起始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | ~Q(end_reason=""),
                name="integrity_end_has_reason",
                violation_error_message=_("终止须填写理由。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:integrity_list") + f"?enterprise={self.enterprise_id}#entry-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    @property
    def is_warning(self) -> bool:
        return self.kind in self.CARD_KINDS

    def clean(self) -> None:
        if (
            self.kind in self.CARD_KINDS
            and self.enterprise_id
            and self.enterprise.kind not in self.CARD_HOLDER_KINDS
        ):
            raise ValidationError(
                {
                    "kind": _(
                        "红黄牌警告只适用于集贸市场主办者和场内经营者（市场主办者、市场摊位、个体工商户）。"
                    )
                }
            )
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("终止日期不能早于起始日期。")})
