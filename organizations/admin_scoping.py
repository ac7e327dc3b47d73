"""Admin classes respect unit scoping the same way pages do: through organizations.access."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from organizations.access import scope_to_user, sees_all_units
from organizations.models import Unit


class UnitScopedAdminMixin:
    """Limits the changelist, change pages and unit choices to the user's unit unless they see all units.

    `unit_scope_field` is the lookup from the model to its owning unit.

    The history pages (django-simple-history's list and revert form) follow the change page: the
    object is fetched through the scoped queryset first (404 out of scope), reverting needs change
    permission on the current object (403, e.g. for an approved record), and a revert saves through
    `save_model`, so a submitted record's revert runs through `records.services.record_save`.
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

    def _scoped_object_or_404(self, request: HttpRequest, object_id: str) -> Any:
        obj = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if obj is None:
            raise Http404
        return obj

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # simple-history falls back to the latest historical row when the scoped lookup misses,
        # which showed other units' records; only who sees every unit may browse deleted rows' history.
        if not sees_all_units(request.user):
            obj = self._scoped_object_or_404(request, object_id)
            if not self.has_view_or_change_permission(request, obj):  # type: ignore[attr-defined]
                raise PermissionDenied
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # simple-history loads (and saves) the object from its history table, unscoped.
        obj = self._scoped_object_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, obj):  # type: ignore[attr-defined]
            raise PermissionDenied
        if request.method == "POST" and not self.has_change_permission(request, obj):  # type: ignore[attr-defined]
            raise PermissionDenied
        return super().history_form_view(  # type: ignore[misc]
            request, object_id, version_id, extra_context
        )
