from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    """企业名录与计量服务中小企业行: the registry, SME service visits, their problem tickets and 伙伴计划."""

    name = "enterprises"
    verbose_name = _("企业与计量服务中小企业行")

    def ready(self) -> None:
        from campaigns import imports, metrics
        from enterprises import exports, importing, selectors  # noqa: F401 (importing exports registers its sheets)
        from enterprises import metrics as sme_metrics

        # Each figure also as it stood on a day, so that a milestone whose date has passed is judged.
        metrics.register(
            "enterprises.visits",
            "审核通过的企业服务（次）",
            selectors.visits_approved_count,
            count_as_of=sme_metrics.visits_approved_count_as_of,
        )
        metrics.register(
            "enterprises.enterprises_served",
            "服务企业（家）",
            selectors.enterprises_served_count,
            count_as_of=sme_metrics.enterprises_served_count_as_of,
        )
        metrics.register(
            "enterprises.problems_solved",
            "帮助企业解决计量问题（个）",
            selectors.problems_solved_count,
            count_as_of=sme_metrics.problems_solved_count_as_of,
        )
        metrics.register(
            "enterprises.instruments_serviced",
            "检定校准器具（台件）",
            selectors.instruments_serviced_count,
            count_as_of=sme_metrics.instruments_serviced_count_as_of,
        )
        # Large .xlsx imports run as jobs (campaigns/imports.py), which find the function here.
        imports.register_importer("enterprises.enterprise", importing.enterprises_import)
        # The map (issue 18): approved SME visits at the enterprise's place, by programme.
        from django.db.models import F

        from core.map_layers import CATEGORY, Category, LayerSpec, register
        from enterprises.models import EnterpriseVisit

        programme = EnterpriseVisit.Programme
        register(
            LayerSpec(
                key="visits",
                label=_("服务中小企业"),
                symbol="diamond",
                order=30,
                records=lambda campaign: (
                    EnterpriseVisit.objects.counted()
                    .filter(campaign=campaign)
                    .annotate(**{CATEGORY: F("programme")})
                ),
                place="enterprise",
                detail="enterprises:visit_detail",
                count_unit=_("次"),
                categories=[
                    Category(programme.SME_SERVICE, programme.SME_SERVICE.label, "#00838f"),
                    Category(programme.PARTNERSHIP, programme.PARTNERSHIP.label, "#ad1457"),
                ],
            )
        )
