"""The one place that decides which rows a user may see.

Every selector, view, API and admin class scopes its queryset through `scope_to_user`; nothing else
filters by unit. Out-of-scope rows are simply absent, so fetching one answers 404, never 403: other
units' ids cannot be enumerated. Writes are a separate question, answered by model permissions
(leadership holds only view permissions and gets 403 on any write).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from organizations.roles import COOPERATOR_SCOPE_PERMISSION, VIEW_ALL_PERMISSION, Role

M = TypeVar("M", bound=Model)
QS = TypeVar("QS", bound=QuerySet[Any])


def sees_all_units(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(VIEW_ALL_PERMISSION))


def scopes_as_cooperator(user: Any) -> bool:
    """A 协办单位 account: it reaches rows through the stations its unit hosts, not by owning unit.

    Read from the permissions Django caches per user object (no query of its own once loaded). A user
    who sees every unit is never one: a superuser holds every permission, this one too, yet enters
    rows as the bureau does.
    """
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_perm(COOPERATOR_SCOPE_PERMISSION)
        and not sees_all_units(user)
    )


def scope_field(model: type[Model], user: Any, unit_field: str) -> str:
    """The lookup that ties `model`'s rows to a user's unit: `unit_field`, or for a 协办单位 the model's
    `cooperator_scope_field` (e.g. a station activity's ``station__host_unit``) when it declares one."""
    if scopes_as_cooperator(user):
        return getattr(model, "cooperator_scope_field", unit_field)
    return unit_field


def scope_to_user(queryset: QS, user: Any, *, unit_field: str = "unit") -> QS:
    """Rows of `queryset` that `user` may read: all of them, or those whose `unit_field` is the user's
    unit (for a 协办单位, the model's `cooperator_scope_field`: the stations it hosts)."""
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    if sees_all_units(user):
        return queryset
    if user.unit_id is None:
        return queryset.none()
    return queryset.filter(**{scope_field(queryset.model, user, unit_field): user.unit_id})


def in_scope(user: Any, obj: Model, *, unit_field: str = "unit") -> bool:
    """Whether an unsaved (or changed) row would fall in the user's scope: the write-side twin of
    `scope_to_user`, for a parent picked by id (a station of another unit typed into the API)."""
    if sees_all_units(user):
        return True
    if not (user.is_authenticated and user.is_active) or user.unit_id is None:
        return False
    *path, last = scope_field(type(obj), user, unit_field).split("__")
    value: Any = obj
    for part in path:
        value = getattr(value, part, None)
        if value is None:
            return False
    owner = getattr(value, f"{last}_id", None) if last != "pk" else value.pk
    return bool(owner == user.unit_id)


def get_for_user(queryset: QuerySet[M], user: Any, *, pk: Any, unit_field: str = "unit") -> M:
    """One row in the user's scope, or Http404 (whether the row is missing or belongs to another unit)."""
    try:
        return scope_to_user(queryset, user, unit_field=unit_field).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def roles_of(user: Any) -> frozenset[str]:
    """The user's role names, read once per request-bound user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_wushan_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._wushan_roles = cached
    return cached


def primary_role(user: Any) -> Role | None:
    """The role that decides where `/` sends the user; a superuser counts as bureau admin."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.BUREAU_ADMIN
    names = roles_of(user)
    for role in (Role.BUREAU_ADMIN, Role.LEADER, Role.OFFICE, Role.COOPERATOR):
        if role.value in names:
            return role
    return None
