from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, TaskAssignment, TaskParty, Workstream
from organizations.models import Unit


class DateInput(forms.DateInput):
    """A native date picker. Browsers accept only ISO dates in it, whatever the UI language renders."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class WorkstreamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.campaign.year} {obj}"


class AssignmentFilterForm(forms.Form):
    """The workbench's filters; every field is optional and the URL keeps them."""

    TIMING_CHOICES = [("", _("全部")), ("overdue", _("已逾期")), ("due_soon", _("7日内到期"))]

    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    campaign = forms.ModelChoiceField(label=_("活动"), queryset=Campaign.objects.all(), required=False)
    workstream = WorkstreamChoiceField(
        label=_("专项工作"),
        queryset=Workstream.objects.select_related("campaign").order_by("-campaign__year", "number"),
        required=False,
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *TaskAssignment.Status.choices], required=False
    )
    timing = forms.ChoiceField(label=_("时限"), choices=TIMING_CHOICES, required=False)
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, show_units: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if show_units:
            unit_field = cast(forms.ModelChoiceField, self.fields["unit"])
            unit_field.queryset = Unit.objects.filter(assignments__isnull=False).distinct()
        else:
            del self.fields["unit"]


class AssignmentNoteForm(forms.Form):
    note = forms.CharField(
        label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class TaskPartyForm(forms.ModelForm):
    """Unit kinds as checkboxes rather than raw JSON."""

    unit_kinds = forms.MultipleChoiceField(
        label=_("单位类型"),
        choices=Unit.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("指定一类单位时勾选，如全部市场监管所；与“单位”二选一"),
    )

    class Meta:
        model = TaskParty
        fields = ["role", "label", "unit", "unit_kinds", "sort_order"]
