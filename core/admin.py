"""Admin helpers every app may use (core knows no campaign or workstream)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """An admin (or inline) that lists and reads rows but never adds, changes or deletes them: the rows
    are written elsewhere, through a service (a public page, a job, the workbench), which keeps the
    rules and the history. Put it first among the bases so that it wins over the ModelAdmin's methods;
    viewing still follows the model's view permission (and any scoping mixin)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
