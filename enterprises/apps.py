from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    """企业与计量服务中小企业行: filled by its own issue; it has no models yet."""

    name = "enterprises"
    verbose_name = _("企业与计量服务中小企业行")
