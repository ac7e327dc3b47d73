from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionConfig(AppConfig):
    """舆情: the levels with their clocks, the incidents offices handle, and the overdue-report alerts."""

    name = "opinion"
    verbose_name = _("舆情")

    def ready(self) -> None:
        # The summary workbook lists what the workstreams register.
        from opinion import exports  # noqa: F401
