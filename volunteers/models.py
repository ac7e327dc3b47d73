from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from campaigns.selectors import campaign_for_date
from core.history import HistoricalRecords
from microstations.models import MicroStation
from records.models import SubmittedRecord, review_queue_index

phone_validator = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", _("请输入有效的手机号（11位）或座机号（如 023-57681234）。")
)


# A volunteer's 志愿者编号: the campaign's year, a hyphen and a four-digit serial in the order of
# registration within that campaign ("2025-0007"). Given on the first save (every door: form, API,
# import, admin, demo), never typed and never changed; a deleted volunteer's number is not given again
# (the next serial is read from the history too). Years keep numbers unique across campaigns.
VOLUNTEER_NUMBER_DIGITS = 4


def volunteer_number(year: int, serial: int) -> str:
    return f"{year}-{serial:0{VOLUNTEER_NUMBER_DIGITS}d}"


class Volunteer(models.Model):
    """A 计量科普义务宣传员 or 小小宣传员 attached to a micro-station. A 小小宣传员 is a minor."""

    # Volunteers belong to the 市场监管所 that supervises their station.
    unit_scope_field = "station__supervising_unit"
    # A 协办单位 account (the station's host) keeps the volunteers of the stations it hosts.
    cooperator_scope_field: ClassVar[str] = "station__host_unit"
    # What a form, the API or an import may set; the campaign follows the station, the rest is the
    # service's (volunteers.services).
    editable_fields: ClassVar[tuple[str, ...]] = (
        "station",
        "name",
        "kind",
        "group",
        "gender",
        "phone",
        "work_unit",
        "recruited_on",
        "certificate_no",
        "is_active",
        "guardian_name",
        "guardian_phone",
        "guardian_consent",
    )

    class Kind(models.TextChoices):
        PUBLICIST = "publicist", _("计量科普义务宣传员")
        JUNIOR = "junior", _("小小宣传员")

    class Group(models.TextChoices):
        RESIDENTS_COMMITTEE = "residents_committee", _("街道社区居委会代表")
        OWNERS_COMMITTEE = "owners_committee", _("小区业委会代表")
        STUDENT = "student", _("中小学生")
        FOOD_DELIVERY = "food_delivery", _("外卖小哥")
        COURIER = "courier", _("快递小哥")
        OTHER = "other", _("其他")

    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    campaign = models.ForeignKey(Campaign, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(
        _("志愿者编号"),
        max_length=20,
        blank=True,
        editable=False,
        help_text=_("登记时自动生成，如 2025-0007"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    group = models.CharField(_("群体"), max_length=30, choices=Group.choices)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, validators=[phone_validator])
    work_unit = models.CharField(_("工作单位/学校"), max_length=100, blank=True)
    station = models.ForeignKey(
        MicroStation, verbose_name=_("所属微站"), on_delete=models.PROTECT, related_name="volunteers"
    )
    recruited_on = models.DateField(_("招募日期"))
    certificate_no = models.CharField(_("聘书编号"), max_length=30, blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)
    guardian_name = models.CharField(_("监护人姓名"), max_length=50, blank=True)
    guardian_phone = models.CharField(
        _("监护人电话"), max_length=20, blank=True, validators=[phone_validator]
    )
    guardian_consent = models.BooleanField(_("监护人已同意"), default=False)
    created_by = models.ForeignKey(
        "organizations.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("宣传员变更记录"))

    class Meta:
        verbose_name = _("宣传员")
        verbose_name_plural = _("宣传员")
        ordering = ["station", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="junior")
                | (~Q(guardian_name="") & ~Q(guardian_phone="") & Q(guardian_consent=True)),
                name="junior_volunteer_has_guardian_consent",
                violation_error_message=_("小小宣传员须填写监护人姓名、电话，并取得监护人同意。"),
            ),
            models.UniqueConstraint(
                fields=["certificate_no"],
                condition=~Q(certificate_no=""),
                name="volunteer_certificate_no_unique",
                # A conditional constraint has no field message of its own: without this users read its name.
                violation_error_message=_("聘书编号已被其他宣传员使用。"),
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=~Q(number=""),
                name="volunteer_number_unique",
                violation_error_message=_("志愿者编号已被其他宣传员使用。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.number or self.campaign_id is None:
            super().save(*args, **kwargs)
            return
        with transaction.atomic():
            # The campaign's row lock serialises numbering (PostgreSQL; SQLite writes one at a time).
            year = (
                Campaign.objects.select_for_update().values_list("year", flat=True).get(pk=self.campaign_id)
            )
            self.number = volunteer_number(year, self.last_serial(self.campaign_id, year) + 1)
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("volunteers:volunteer_edit", args=[self.pk])

    @classmethod
    def last_serial(cls, campaign_id: int, year: int) -> int:
        """The highest serial given in the campaign so far, deleted volunteers included (history)."""
        prefix = volunteer_number(year, 0)[:-VOLUNTEER_NUMBER_DIGITS]
        numbers = [
            model.objects.filter(campaign_id=campaign_id, number__startswith=prefix).aggregate(
                n=Max("number")
            )["n"]
            for model in (cls, cls.history.model)
        ]
        return max((int(n[len(prefix) :]) for n in numbers if n), default=0)

    @property
    def needs_guardian(self) -> bool:
        """A 小小宣传员, and any student whatever kind was chosen: students are minors."""
        return self.kind == self.Kind.JUNIOR or self.group == self.Group.STUDENT

    def clean(self) -> None:
        """The rules every door shares (form, API, import, admin): no recruitment in the future, a 小小宣传员
        or a student has a consenting guardian, and an adult's guardian data is not kept (personal data stays minimal)."""
        super().clean()
        if self.station_id is not None:
            self.campaign_id = self.station.campaign_id
        errors: dict[str, Any] = {}
        if self.recruited_on and self.recruited_on > timezone.localdate():
            errors["recruited_on"] = _("招募日期不能晚于今天。")
        if self.needs_guardian:
            who = _("小小宣传员") if self.kind == self.Kind.JUNIOR else _("中小学生宣传员")
            if not self.guardian_name:
                errors["guardian_name"] = _("%(who)s须填写监护人姓名。") % {"who": who}
            if not self.guardian_phone:
                errors["guardian_phone"] = _("%(who)s须填写监护人电话。") % {"who": who}
            if not self.guardian_consent:
                errors["guardian_consent"] = _("%(who)s须取得监护人同意。") % {"who": who}
        else:
            self.guardian_name = self.guardian_phone = ""
            self.guardian_consent = False
        if errors:
            raise ValidationError(errors)


class VolunteerLink(models.Model):
    """A volunteer's personal self-service link (/v/<token>/): no password, revocable, expiring.

    Only a SHA-256 of the token is stored; the office sees the token once, when it issues the link.
    Writes made through the link are made on behalf of the office user who issued it (`issued_by`),
    through the record kit, so they stay in that office's scope and go to its review.
    """

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("宣传员"), on_delete=models.CASCADE, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(
        "organizations.User", verbose_name=_("发放人"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("发放时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("宣传员自助链接")
        verbose_name_plural = _("宣传员自助链接")
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.issued_at:%Y-%m-%d}"

    def is_usable(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


class VolunteerAct(SubmittedRecord):
    """One publicity act a volunteer logged through their link (or an office for them), reviewed by
    the supervising office like any submitted record. Its unit and campaign follow the volunteer."""

    record_fields: ClassVar[tuple[str, ...]] = (
        "volunteer",
        "date",
        "place",
        "description",
        "people_reached",
        "hours",
    )
    record_date_field: ClassVar[str | None] = "date"
    cooperator_scope_field: ClassVar[str] = "volunteer__station__host_unit"

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("宣传员"), on_delete=models.PROTECT, related_name="acts"
    )
    date = models.DateField(_("宣传日期"))
    place = models.CharField(_("宣传地点"), max_length=100)
    description = models.TextField(_("宣传内容"), max_length=1000)
    people_reached = models.PositiveIntegerField(_("覆盖人数"), validators=[MaxValueValidator(100000)])
    hours = models.DecimalField(
        _("服务时长（小时）"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("12"))],
    )

    history = HistoricalRecords(verbose_name=_("宣传员宣传记录变更记录"))

    class Meta:
        verbose_name = _("宣传员宣传记录")
        verbose_name_plural = _("宣传员宣传记录")
        ordering = ["-date", "-pk"]
        indexes = [review_queue_index("volunteeract_review_queue")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.volunteer.name} {self.place}"

    def derive_owner(self) -> None:
        """The station's office; the campaign whose dates cover the act's (volunteers are a standing
        registry, as stations are: a 2025 volunteer's 2026 act counts for 2026), else the volunteer's."""
        if self.volunteer_id is not None:
            volunteer = self.volunteer
            by_date = campaign_for_date(self.date) if isinstance(self.date, dt.date) else None
            self.unit_id = volunteer.station.supervising_unit_id
            self.campaign_id = by_date.pk if by_date else volunteer.campaign_id

    def clean(self) -> None:
        self.derive_owner()
        super().clean()

    def get_absolute_url(self) -> str:
        return reverse("volunteers:act_detail", args=[self.pk])
