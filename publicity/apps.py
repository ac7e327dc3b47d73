from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    """宣传、信息报送与舆情: filled by its own issue; it has no models yet."""

    name = "publicity"
    verbose_name = _("宣传、信息报送与舆情")
