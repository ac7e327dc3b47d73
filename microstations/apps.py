from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MicrostationsConfig(AppConfig):
    name = "microstations"
    verbose_name = _("民生计量科普宣传服务微站")

    def ready(self) -> None:
        from campaigns import imports, metrics
        from microstations import exports, importing  # noqa: F401 (registers the workbook sheets)
        from microstations.selectors import stations_opened_count, stations_opened_count_as_of

        metrics.register(
            "microstations.stations_opened",
            "已揭牌运行的微站",
            stations_opened_count,
            count_as_of=stations_opened_count_as_of,
        )
        # Large .xlsx imports run as jobs (campaigns/imports.py), which find the function here.
        imports.register_importer("microstations.microstation", importing.stations_import)
