from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("汇总报表")

    def ready(self) -> None:
        # Registers the overview sheet (core.exporters), which the report builder lists with the others.
        from reports import exports  # noqa: F401
