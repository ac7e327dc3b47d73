"""The filters of the enterprise registry and of SME service visits: one FilterSet each, used by the
workbench list page and the API alike, so the two cannot filter the same field by different rules."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from enterprises import uscc
from enterprises.forms import DateInput
from enterprises.models import Enterprise, EnterpriseVisit, IntegrityCommitment, IntegrityEntry
from enterprises.selectors import partnership_leads
from organizations.models import Unit
from records.filters import RecordFilterSet


def with_visit_type(code: str) -> Q:
    """Visits whose type list holds `code`. Matching the quoted code in the JSON text works the same on
    SQLite and PostgreSQL (JSON `contains` does not exist on SQLite); no code is part of another."""
    return Q(visit_types__icontains=f'"{code}"')


class EnterpriseFilterSet(django_filters.FilterSet):
    """The shared registry (not a submitted record: no unit, campaign or review state)."""

    q = django_filters.CharFilter(
        label=_("搜索"), method="filter_search", help_text=_("名称、信用代码、地址、联系人")
    )
    kind = django_filters.ChoiceFilter(label=_("主体类型"), choices=Enterprise.Kind.choices)
    industry = django_filters.ChoiceFilter(label=_("所属行业"), choices=Enterprise.Industry.choices)
    size = django_filters.ChoiceFilter(label=_("企业规模"), choices=Enterprise.Size.choices)
    township = django_filters.CharFilter(label=_("乡镇/街道"))
    registration_authority = django_filters.ChoiceFilter(
        label=_("登记管理部门"), choices=Enterprise._meta.get_field("registration_authority").choices
    )
    region_code = django_filters.CharFilter(label=_("登记地行政区划码"))
    credit_code = django_filters.CharFilter(label=_("统一社会信用代码"), method="filter_credit_code")

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(credit_code__icontains=uscc.normalize(value))
            | Q(address__icontains=value)
            | Q(contact_name__icontains=value)
        )

    def filter_credit_code(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # Typed as people copy it (spaces, lower case, full-width), matched as it is stored.
        code = uscc.normalize(value)
        return queryset.filter(credit_code=code) if code else queryset


class VisitFilterSet(RecordFilterSet):
    """SME service visits: the record filters (q, campaign, unit, review status, dates) and the visit's own."""

    search_fields = ("enterprise__name", "enterprise__credit_code", "needs_identified", "summary", "staff")

    programme = django_filters.ChoiceFilter(label=_("所属活动"), choices=EnterpriseVisit.Programme.choices)
    visit_type = django_filters.ChoiceFilter(
        label=_("服务方式"), choices=EnterpriseVisit.VisitType.choices, method="filter_visit_type"
    )
    partner_lead = django_filters.ModelChoiceFilter(
        label=_("伙伴计划龙头企业"), queryset=lambda request: partnership_leads()
    )
    # An id, not a choice among the whole registry (a select of thousands): the enterprise page links
    # here with ?enterprise=<id>, and the field rides along, hidden, when the filters change.
    enterprise = django_filters.NumberFilter(label=_("服务企业"), widget=forms.HiddenInput)

    class Meta:
        model = EnterpriseVisit
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            self.form.fields[name].widget = DateInput()

    def filter_visit_type(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(with_visit_type(value))


class _IntegrityFilterSet(django_filters.FilterSet):
    """What the 诚信计量 lists share: a search of the enterprise (name, credit code) and of one text
    field (`text_field`), the recording unit, and the enterprise the list is narrowed to (hidden)."""

    text_field = ""
    date_filters: tuple[str, ...] = ()

    enterprise = django_filters.NumberFilter(label=_("企业"), widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.date_filters:
            self.form.fields[name].widget = DateInput()

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value)
            | Q(enterprise__credit_code__icontains=uscc.normalize(value))
            | Q(**{f"{self.text_field}__icontains": value})
        )


def _units(request: Any) -> QuerySet[Unit]:
    return Unit.objects.order_by("name")


class IntegrityEntryFilterSet(_IntegrityFilterSet):
    """诚信计量 list entries: kind, open or ended, listing unit, dates, and a search of the enterprise."""

    text_field = "reason"
    date_filters = ("started_from", "started_to")

    q = django_filters.CharFilter(
        label=_("搜索"), method="filter_search", help_text=_("企业名称、信用代码、认定理由")
    )
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=IntegrityEntry.Kind.choices)
    state = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("open", _("有效")), ("ended", _("已终止"))],
        method="filter_state",
    )
    unit = django_filters.ModelChoiceFilter(label=_("认定单位"), queryset=_units)
    started_from = django_filters.DateFilter(
        label=_("起始日期自"), field_name="started_on", lookup_expr="gte"
    )
    started_to = django_filters.DateFilter(label=_("起始日期至"), field_name="started_on", lookup_expr="lte")

    class Meta:
        model = IntegrityEntry
        fields: list[str] = []

    def filter_state(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(ended_on__isnull=value == "open")


class CommitmentFilterSet(_IntegrityFilterSet):
    text_field = "text"
    date_filters = ("signed_from", "signed_to")

    q = django_filters.CharFilter(
        label=_("搜索"), method="filter_search", help_text=_("企业名称、信用代码、承诺内容")
    )
    unit = django_filters.ModelChoiceFilter(label=_("登记单位"), queryset=_units)
    signed_from = django_filters.DateFilter(label=_("承诺日期自"), field_name="signed_on", lookup_expr="gte")
    signed_to = django_filters.DateFilter(label=_("承诺日期至"), field_name="signed_on", lookup_expr="lte")

    class Meta:
        model = IntegrityCommitment
        fields: list[str] = []
