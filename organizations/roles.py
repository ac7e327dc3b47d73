"""The roles of DESIGN.md, as Django groups, and the grants that data migrations give them.

Each app's data migration grants its own models' permissions through `grant_permissions`, so the
roles stay declared in one place per app and organizations never imports an app above it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUREAU_ADMIN = "县局管理员", _("县局管理员")
    OFFICE = "所队人员", _("所队人员")
    COOPERATOR = "协办单位", _("协办单位")
    LEADER = "领导", _("领导")


# The permission that lifts unit scoping: whoever holds it reads every unit's records.
VIEW_ALL_PERMISSION = "organizations.view_all_units"
# The 协办单位's scope: rows reached through the stations its unit hosts (organizations.access).
COOPERATOR_SCOPE_PERMISSION = "organizations.scope_as_cooperator"
# An office's review of what others enter for it: volunteers' acts and 协办单位 entries (records.services).
OFFICE_REVIEW_PERMISSION = "organizations.review_supervised_entries"


def grant_permissions(apps: Any, grants: Mapping[Role | str, Iterable[str]]) -> None:
    """Give each role's group the listed permissions ("app_label.codename"), creating what is missing.

    Meant for data migrations: permissions are normally created after all migrations have run, so
    they are created here first for the apps named in the grants.
    """
    from django.contrib.auth.management import create_permissions

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    app_labels = {perm.split(".", 1)[0] for perms in grants.values() for perm in perms}
    for label in app_labels:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    for role, perms in grants.items():
        group, _created = group_model.objects.get_or_create(name=str(role))
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            group.permissions.add(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )


def model_permissions(app_label: str, model: str, actions: Iterable[str]) -> list[str]:
    return [f"{app_label}.{action}_{model}" for action in actions]
