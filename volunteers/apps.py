from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("计量科普义务宣传员")

    def ready(self) -> None:
        from campaigns import imports, metrics
        from volunteers import exports, importing  # noqa: F401 (registers the workbook sheets)
        from volunteers.selectors import volunteers_recruited_count

        metrics.register("volunteers.recruited", "在岗宣传员", volunteers_recruited_count)
        # Large .xlsx imports run as jobs (campaigns/imports.py), which find the function here.
        imports.register_importer("volunteers.volunteer", importing.volunteers_import)
