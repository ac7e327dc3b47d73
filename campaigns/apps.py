from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("活动与任务")

    def ready(self) -> None:
        # Registers the campaign's workbook sheet (core.exporters), which the report builder lists.
        from campaigns import exports  # noqa: F401
        from campaigns.signals import unit_saved
        from organizations.models import Unit

        post_save.connect(unit_saved, sender=Unit, dispatch_uid="campaigns.unit_saved")
