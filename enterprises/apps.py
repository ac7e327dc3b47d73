from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    """企业名录与计量服务中小企业行: the registry, SME service visits, their problem tickets and 伙伴计划."""

    name = "enterprises"
    verbose_name = _("企业与计量服务中小企业行")

    def ready(self) -> None:
        from campaigns import imports, metrics
        from enterprises import exports, importing, selectors  # noqa: F401 (importing exports registers its sheets)

        metrics.register("enterprises.visits", "审核通过的企业服务（次）", selectors.visits_approved_count)
        metrics.register(
            "enterprises.enterprises_served", "服务企业（家）", selectors.enterprises_served_count
        )
        metrics.register(
            "enterprises.problems_solved", "帮助企业解决计量问题（个）", selectors.problems_solved_count
        )
        metrics.register(
            "enterprises.instruments_serviced", "检定校准器具（台件）", selectors.instruments_serviced_count
        )
        # Large .xlsx imports run as jobs (campaigns/imports.py), which find the function here.
        imports.register_importer("enterprises.enterprise", importing.enterprises_import)
