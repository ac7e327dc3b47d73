from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Plumbing every app shares (spreadsheets, list pages, API errors); it knows no campaign or workstream."""

    name = "core"
    verbose_name = _("公共组件")
