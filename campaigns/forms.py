from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns import metrics, reporting
from campaigns.models import (
    Campaign,
    Milestone,
    PartyGroup,
    TaskAssignment,
    TaskParty,
    WorkRequirement,
    Workstream,
)
from evidence.forms import PhotoField
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


# --- Planning pages (bureau admin) ----------------------------------------------------------------


class CampaignPlanForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["start_date", "end_date", "reminder_days_ahead", "escalation_days", "cost_flag_threshold"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class TaskDeadlineForm(forms.Form):
    """The task's deadline, and one optional date per responsible unit (empty: the task's holds)."""

    due_date = forms.DateField(label=_("完成时限"), required=False, widget=DateInput())

    def __init__(self, *args: Any, assignments: list[TaskAssignment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assignments = assignments
        for assignment in assignments:
            self.fields[f"unit_{assignment.unit_id}"] = forms.DateField(
                label=assignment.unit.name, required=False, widget=DateInput()
            )

    def unit_due_dates(self) -> dict[int, Any]:
        return {a.unit_id: self.cleaned_data.get(f"unit_{a.unit_id}") for a in self.assignments}

    def unit_fields(self) -> list[Any]:
        return [self[f"unit_{a.unit_id}"] for a in self.assignments]


class MilestoneForm(forms.ModelForm):
    metric = forms.ChoiceField(label=_("指标"), required=False)

    class Meta:
        model = Milestone
        fields = ["title", "due_date", "metric", "goal"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(key, f"{metric.label}（{key}）") for key, metric in sorted(metrics.registered().items())]
        cast(forms.ChoiceField, self.fields["metric"]).choices = [("", _("（只看日期）")), *choices]


class GroupForm(forms.Form):
    """A group party: its label, the unit kinds it means, and units added to or taken out of them.
    The service checks the model (a label unique within the campaign) and saves it. `units` (the
    active units) is read once by the page, as RequirementForm's."""

    label = forms.CharField(label=_("名称（按通知）"), max_length=100, help_text=_("如“各相关科所队”"))
    unit_kinds = forms.MultipleChoiceField(
        label=_("单位类型"),
        choices=Unit.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("这些类型的在用单位都属于本组，之后新建的同类单位自动加入"),
    )
    added_units = forms.TypedMultipleChoiceField(
        label=_("另含单位"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("不属于上述类型但参加的单位"),
    )
    excluded_units = forms.TypedMultipleChoiceField(
        label=_("不含单位"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("属于上述类型但不参加的单位"),
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(unit.pk, f"{unit.label}（{unit.get_kind_display()}）") for unit in units]
        for name in ("added_units", "excluded_units"):
            cast(forms.TypedMultipleChoiceField, self.fields[name]).choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        added, excluded = set(data.get("added_units") or []), set(data.get("excluded_units") or [])
        if added & excluded:
            self.add_error("excluded_units", _("同一单位不能既“另含”又“不含”。"))
        if "unit_kinds" in data and not data["unit_kinds"] and not added:
            self.add_error("unit_kinds", _("请至少勾选一种单位类型或一个另含单位。"))
        return data


class WindowsGenerateForm(forms.Form):
    group = forms.ModelChoiceField(label=_("报送单位"), queryset=PartyGroup.objects.none())
    record_types = forms.MultipleChoiceField(
        label=_("报送内容"), widget=forms.CheckboxSelectMultiple, choices=[]
    )
    weekly_until = forms.DateField(label=_("每周报送至"), widget=DateInput())
    monthly_until = forms.DateField(label=_("此后每月报送至"), required=False, widget=DateInput())
    due_days = forms.IntegerField(label=_("期末后几天内报送"), min_value=0, max_value=31, initial=1)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = campaign.party_groups.all()
        cast(forms.MultipleChoiceField, self.fields["record_types"]).choices = reporting.record_type_choices()
        self.campaign = campaign

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weekly, monthly = data.get("weekly_until"), data.get("monthly_until")
        for name, day in (("weekly_until", weekly), ("monthly_until", monthly)):
            if day and not self.campaign.covers(day):
                self.add_error(name, _("日期须在活动期间内。"))
        if weekly and monthly and monthly < weekly:
            self.add_error("monthly_until", _("不能早于每周报送的截止日期。"))
        return data


class CloneForm(forms.Form):
    to_year = forms.IntegerField(label=_("新活动年度"), min_value=2000, max_value=2100)
    shift_days = forms.IntegerField(
        label=_("日期顺延天数"), required=False, min_value=1, max_value=730, help_text=_("留空则按整年顺延")
    )


class RequirementForm(forms.Form):
    """`units` is read once for every item's form on the page (a ModelChoiceField would query per form)."""

    owner = forms.TypedChoiceField(label=_("负责单位"), required=False, coerce=int, empty_value=None)
    evidence = forms.CharField(
        label=_("落实情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )
    met = forms.BooleanField(label=_("已落实"), required=False)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in units}
        owner = cast(forms.TypedChoiceField, self.fields["owner"])
        owner.choices = [("", "---------"), *((unit.pk, unit.name) for unit in units)]

    def clean_owner(self) -> Unit | None:
        pk = self.cleaned_data.get("owner")
        return None if pk is None else self.units[pk]


class RequirementReportForm(forms.Form):
    """What the owning unit reports on a 工作要求: how far it is, what was done, photos as evidence."""

    progress = forms.ChoiceField(label=_("进展"), choices=WorkRequirement.Progress.choices)
    evidence = forms.CharField(
        label=_("落实情况"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text=_("做了什么、凭什么可证（文件、链接、照片）"),
    )
    photos = PhotoField(required=False, label=_("佐证照片"))
