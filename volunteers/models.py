from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import Campaign
from microstations.models import MicroStation

phone_validator = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", _("请输入有效的手机号（11位）或座机号（如 023-57681234）。")
)


class Volunteer(models.Model):
    """A 计量科普义务宣传员 or 小小宣传员 attached to a micro-station. A 小小宣传员 is a minor."""

    # Volunteers belong to the 市场监管所 that supervises their station.
    unit_scope_field = "station__supervising_unit"
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
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("volunteers:volunteer_edit", args=[self.pk])

    def clean(self) -> None:
        """The rules every door shares (form, API, import, admin): no recruitment in the future, a 小小宣传员
        has a consenting guardian, and an adult's guardian data is not kept (personal data stays minimal)."""
        super().clean()
        if self.station_id is not None:
            self.campaign_id = self.station.campaign_id
        errors: dict[str, Any] = {}
        if self.recruited_on and self.recruited_on > timezone.localdate():
            errors["recruited_on"] = _("招募日期不能晚于今天。")
        if self.kind == self.Kind.JUNIOR:
            if not self.guardian_name:
                errors["guardian_name"] = _("小小宣传员须填写监护人姓名。")
            if not self.guardian_phone:
                errors["guardian_phone"] = _("小小宣传员须填写监护人电话。")
            if not self.guardian_consent:
                errors["guardian_consent"] = _("小小宣传员须取得监护人同意。")
        else:
            self.guardian_name = self.guardian_phone = ""
            self.guardian_consent = False
        if errors:
            raise ValidationError(errors)
