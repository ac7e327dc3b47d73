from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    """计量科普义务宣传员: filled by its own issue; it has no models yet."""

    name = "volunteers"
    verbose_name = _("计量科普义务宣传员")
