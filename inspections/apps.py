from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    """民生计量专项检查: filled by its own issue; it has no models yet."""

    name = "inspections"
    verbose_name = _("民生计量专项检查")
