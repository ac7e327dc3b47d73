from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MicrostationsConfig(AppConfig):
    """民生计量科普宣传服务微站: filled by its own issue; it has no models yet."""

    name = "microstations"
    verbose_name = _("民生计量科普宣传服务微站")
