from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """What every submitted record shares: base model, review, counting rule, save service, views."""

    name = "records"
    verbose_name = _("填报记录与审核")
