from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import label_blank_choices
from enterprises import selectors, uscc
from enterprises.models import Enterprise, EnterpriseVisit, IntegrityEntry, MetrologyProblem
from enterprises.picker import use_enterprise_picker
from evidence.forms import PhotoField
from organizations.models import Unit


class DateInput(forms.DateInput):
    input_type = "date"


AMOUNT_ATTRS = {"min": 0, "step": "0.01", "inputmode": "decimal"}
COUNT_ATTRS = {"min": 0, "inputmode": "numeric"}
# A posted enterprise id the picker could not have offered (deleted since, or typed into the request).
PICK_AGAIN = _("所选企业不存在或不可选，请在搜索框中重新查找并选择。")


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
        for name in ("longitude", "latitude"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "0.000001"})

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
    """Validates a visit; record_save sets a new one's unit (the visiting unit's) and campaign (that of
    its date, enterprises.services.visit_owner), and checks the record-date rule against that campaign."""

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
        # A searchable picker with quick-add; the queryset above still validates what is posted.
        use_enterprise_picker(self.fields["enterprise"])
        self.fields["enterprise"].error_messages["invalid_choice"] = PICK_AGAIN
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


# --- 诚信计量 --------------------------------------------------------------------------------------


class IntegrityCommitmentForm(forms.Form):
    """A signed 承诺书: its date, and its text, a photo of it, or both (the service asks for one)."""

    signed_on = forms.DateField(
        label=_("承诺日期"), widget=DateInput(), error_messages={"required": _("请填写承诺日期。")}
    )
    text = forms.CharField(
        label=_("承诺内容"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("承诺书文字；也可只上传承诺书照片"),
    )
    photos = PhotoField(label=_("承诺书照片"), required=False, help_text=_("JPEG/PNG，每张不超过 15 MB"))


class IntegrityEntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类别"), choices=IntegrityEntry.Kind.choices, error_messages={"required": _("请选择类别。")}
    )
    reason = forms.CharField(
        label=_("认定理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写认定理由。")},
        help_text=_("如：检查发现计量作弊，依据……；红黄牌写明违反的市场计量管理规定"),
    )
    started_on = forms.DateField(
        label=_("起始日期"), widget=DateInput(), error_messages={"required": _("请填写起始日期。")}
    )

    def __init__(self, *args: Any, enterprise: Enterprise | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label_blank_choices(self)
        if enterprise is not None and enterprise.kind not in IntegrityEntry.CARD_HOLDER_KINDS:
            # Cards are for market traders only: others are not offered them (the model refuses them too).
            field = self.fields["kind"]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101 (narrowing for the type checker)
            field.choices = [c for c in IntegrityEntry.Kind.choices if c[0] not in IntegrityEntry.CARD_KINDS]


class IntegrityEntryEndForm(forms.Form):
    ended_on = forms.DateField(
        label=_("终止日期"), widget=DateInput(), error_messages={"required": _("请填写终止日期。")}
    )
    reason = forms.CharField(
        label=_("终止理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写终止理由。")},
    )
