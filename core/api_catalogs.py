"""The API side of core.catalogs: a viewset for a reference table (instrument types, 舆情 levels …)
that every role with the view permission reads and that only a role with the model's add, change or
delete permission writes, through the app's services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission, DjangoModelPermissions, IsAuthenticated
from rest_framework.request import Request

from core.api_errors import raise_as_api_error


class ModelPermissionsWithView(DjangoModelPermissions):
    """The model's permissions, view included for reads: a role without the permission is refused
    (403) before its input is read, as the service would refuse it after."""

    perms_map = {**DjangoModelPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"]}


class MayAdd(BasePermission):
    """For a create (POST to a list): the model's add permission, checked before the input is read, so
    that a role that may not add gets 403 whatever it sent; the service checks it again. Other actions
    pass (their rows are scoped first: 404 out of scope, then the service's 403)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(view, "action", None) != "create":
            return True
        opts = view.get_queryset().model._meta
        return bool(request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}"))


class MayChange(BasePermission):
    """For a change (PUT, PATCH) or a step on a row (a POST action): the model's change permission,
    before the row is looked up or the input read. Checked before the row, it answers the same for
    every id (nothing to enumerate); creates and deletes are left to MayAdd and the services."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS or getattr(view, "action", None) in ("create", "destroy"):
            return True
        opts = view.get_queryset().model._meta
        return bool(request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}"))


class CatalogViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Subclasses set `serializer_class`, `get_queryset`, `save_row` and `delete_row` (service calls). A row that
    records still use is 409 to delete (deactivate it instead)."""

    permission_classes = [IsAuthenticated, ModelPermissionsWithView]
    conflict_actions: tuple[str, ...] = ("destroy",)

    # Not `save`/`delete`: a viewset's method named after an HTTP verb would answer that verb.
    def save_row(self, *, instance: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def delete_row(self, *, instance: Any) -> None:
        raise NotImplementedError

    def _save(self, serializer: Any, instance: Any) -> None:
        try:
            serializer.instance = self.save_row(instance=instance, data=dict(serializer.validated_data))
        except DjangoValidationError as exc:
            raise_as_api_error(exc)

    def perform_create(self, serializer: Any) -> None:
        self._save(serializer, None)

    def perform_update(self, serializer: Any) -> None:
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance: Any) -> None:
        try:
            self.delete_row(instance=instance)
        except DjangoValidationError as exc:
            raise_as_api_error(exc, conflict=True)
