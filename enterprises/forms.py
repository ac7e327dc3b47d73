from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises import selectors, uscc
from enterprises.models import Enterprise, EnterpriseVisit, MetrologyProblem
from evidence.forms import PhotoField
from organizations.models import Unit


class DateInput(forms.DateInput):
    input_type = "date"


AMOUNT_ATTRS = {"min": 0, "step": "0.01", "inputmode": "decimal"}
COUNT_ATTRS = {"min": 0, "inputmode": "numeric"}


def visit_type_field(**kwargs: Any) -> forms.MultipleChoiceField:
    """The visit types as checkboxes; cleaned to a list of codes in the choices' order."""
    return forms.TypedMultipleChoiceField(
        label=_("服务方式"),
        choices=EnterpriseVisit.VisitType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一种服务方式。")},
        **kwargs,
    )


class EnterpriseForm(forms.ModelForm):
    """Validates an enterprise; the credit code is normalised (spaces, full-width, case) and checked."""

    class Meta:
        model = Enterprise
        fields = list(Enterprise.registry_fields)
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["credit_code"].widget.attrs.update(
            {"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        )
        self.fields["contact_phone"].widget.attrs.update({"inputmode": "tel"})

    def clean_credit_code(self) -> str:
        code = uscc.normalize(self.cleaned_data.get("credit_code"))
        holder = (
            Enterprise.objects.filter(credit_code=code).exclude(pk=self.instance.pk).first() if code else None
        )
        if holder is not None:
            raise forms.ValidationError(
                _("该统一社会信用代码已登记为“%(name)s”，请勿重复添加。"), params={"name": holder.name}
            )
        return code


class EnterpriseVisitForm(forms.ModelForm):
    """Validates a visit; record_save sets its unit (the user's) and campaign (the current one), and
    checks the record-date rule against that campaign."""

    visit_types = visit_type_field()
    photos = PhotoField(
        label=_("现场照片及附件"),
        required=False,
        help_text=_("可多选，最多 9 张；JPEG/PNG，每张不超过 15 MB（问需清单、签到表可拍照上传）"),
    )

    class Meta:
        model = EnterpriseVisit
        fields = list(EnterpriseVisit.record_fields)
        widgets = {
            "date": DateInput(),
            "follow_up_on": DateInput(),
            "needs_identified": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "saving_basis": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._narrow("enterprise", selectors.enterprise_choices())
        self._narrow("partner_lead", selectors.partnership_leads())
        self._narrow("technical_partner", Unit.objects.filter(kind=Unit.Kind.TESTING, is_active=True))
        for name in ("instruments_serviced", "standards_guided", "trainees"):
            self.fields[name].widget.attrs.update(COUNT_ATTRS)
        for name in ("fees_waived", "estimated_saving"):
            self.fields[name].widget.attrs.update(AMOUNT_ATTRS)

    def _narrow(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (narrowing for the type checker)
        field.queryset = queryset


class ProblemRaiseForm(forms.Form):
    category = forms.ChoiceField(label=_("问题类别"), choices=MetrologyProblem.Category.choices)
    description = forms.CharField(
        label=_("问题描述"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("请填写问题描述。")},
    )


class ProblemAssignForm(forms.Form):
    assigned_unit = forms.ModelChoiceField(
        label=_("承办单位"),
        queryset=Unit.objects.none(),
        error_messages={"required": _("请选择承办单位。")},
    )
    assignee_name = forms.CharField(label=_("承办人"), required=False, max_length=50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assigned_unit"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (narrowing for the type checker)
        field.queryset = Unit.objects.filter(
            is_active=True,
            kind__in=[Unit.Kind.TESTING, Unit.Kind.SECTION, Unit.Kind.OFFICE, Unit.Kind.ENFORCEMENT],
        ).order_by("-kind", "sort_order", "name")


class ProblemSolveForm(forms.Form):
    solution = forms.CharField(
        label=_("解决措施"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("标记为已解决须填写解决措施。")},
    )


class ProblemConfirmForm(forms.Form):
    confirmed_by_name = forms.CharField(
        label=_("企业确认人"), max_length=50, error_messages={"required": _("请填写企业确认人。")}
    )
    confirmation_note = forms.CharField(
        label=_("企业意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
