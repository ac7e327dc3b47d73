"""The register's filters: one FilterSet, used by the office list page and the API alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import Domain, InstrumentType
from inspections.verification import VerificationStatus
from instruments.models import EntryStatus, InspectionLead, RegisteredInstrument, normalise_code
from instruments.selectors import status_expression
from organizations.models import Unit


class RegisteredInstrumentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"), method="filter_search", help_text=_("器具码、名称、出厂编号、使用单位、地点")
    )
    code = django_filters.CharFilter(label=_("器具码"), method="filter_code")
    domain = django_filters.ChoiceFilter(
        label=_("检查领域"), choices=Domain.choices, field_name="instrument_type__domain"
    )
    instrument_type = django_filters.ModelChoiceFilter(
        label=_("器具类型"), queryset=InstrumentType.objects.active()
    )
    kind = django_filters.ChoiceFilter(label=_("台账类型"), choices=RegisteredInstrument.Kind.choices)
    mandatory = django_filters.BooleanFilter(label=_("强检器具"), field_name="instrument_type__mandatory")
    status = django_filters.ChoiceFilter(
        label=_("当前检定状态"), choices=VerificationStatus.choices, method="filter_status"
    )
    due_within = django_filters.NumberFilter(
        label=_("有效期剩余天数不超过"), method="filter_due_within", min_value=0, max_value=3660
    )
    entry_status = django_filters.ChoiceFilter(label=_("登记状态"), choices=EntryStatus.choices)
    owner = django_filters.NumberFilter(label=_("使用单位编号"), field_name="owner_id")
    unit = django_filters.ModelChoiceFilter(
        label=_("监管单位"),
        queryset=Unit.objects.filter(kind__in=[Unit.Kind.OFFICE, Unit.Kind.ENFORCEMENT, Unit.Kind.SECTION]),
    )
    in_use = django_filters.BooleanFilter(label=_("在用"))

    class Meta:
        model = RegisteredInstrument
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code=normalise_code(value))
            | Q(name__icontains=value)
            | Q(serial_no__icontains=value)
            | Q(owner__name__icontains=value)
            | Q(location__icontains=value)
            | Q(model_spec__icontains=value)
        )

    def filter_code(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(code=normalise_code(value)) if value.strip() else queryset

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.annotate(status_today=status_expression(timezone.localdate())).filter(
            status_today=value
        )

    def filter_due_within(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.filter(
            instrument_type__first_verification_only=False,
            valid_until__gte=today,
            valid_until__lte=today + dt.timedelta(days=int(value)),
        )


class LeadFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=InspectionLead.Status.choices)
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search", help_text=_("线索内容、涉及单位"))

    class Meta:
        model = InspectionLead
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(summary__icontains=value) | Q(owner__name__icontains=value))
