from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import class_prepared
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Plumbing every app shares (spreadsheets, list pages, API errors); it knows no campaign or workstream."""

    name = "core"
    verbose_name = _("公共组件")

    def ready(self) -> None:
        from core.text import guard_text_fields

        # Every model is imported by now; models made later (history models, tests) are guarded as prepared.
        for model in apps.get_models(include_auto_created=True):
            guard_text_fields(model)
        class_prepared.connect(_guard_prepared, dispatch_uid="core.text.guard_text_fields")


def _guard_prepared(sender: Any, **kwargs: Any) -> None:
    from core.text import guard_text_fields

    if apps.ready:
        guard_text_fields(sender)
