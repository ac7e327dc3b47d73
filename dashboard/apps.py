from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """No models: scoped, read-only selectors over every workstream, and the leadership page."""

    name = "dashboard"
    verbose_name = _("进度看板")
