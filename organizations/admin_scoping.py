"""Admin classes respect unit scoping the same way pages do: through organizations.access."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from organizations.access import scope_to_user, sees_all_units
from organizations.models import Unit


class UnitScopedAdminMixin:
    """Limits the changelist, change pages and unit choices to the user's unit unless they see all units.

    `unit_scope_field` is the lookup from the model to its owning unit.
    """

    unit_scope_field = "unit"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        return scope_to_user(queryset, request.user, unit_field=self.unit_scope_field).distinct()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if related is Unit and not sees_all_units(request.user):
            kwargs["queryset"] = scope_to_user(Unit.objects.all(), request.user, unit_field="pk")
        elif hasattr(related, "unit_scope_field") and not sees_all_units(request.user):
            # A scoped parent (e.g. a station) is offered, and accepted, only within the user's unit.
            kwargs["queryset"] = scope_to_user(
                related._default_manager.all(), request.user, unit_field=related.unit_scope_field
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is Unit and not sees_all_units(request.user):
            kwargs["queryset"] = scope_to_user(Unit.objects.all(), request.user, unit_field="pk")
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
