from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    """民生计量专项检查: inspections, the instruments listed on them, rectification and cases."""

    name = "inspections"
    verbose_name = _("民生计量专项检查")

    def ready(self) -> None:
        from campaigns import metrics
        from inspections import exports, selectors  # noqa: F401 - importing exports registers its sheets

        metrics.register("inspections.inspections", "专项检查（家次）", selectors.inspections_reported_count)
        metrics.register("inspections.parties", "检查单位（家）", selectors.parties_inspected_count)
        metrics.register(
            "inspections.instruments", "检查计量器具（台件）", selectors.instruments_checked_count
        )
        metrics.register("inspections.cases", "立案查处（件）", selectors.cases_filed_count)
