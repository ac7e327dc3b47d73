from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    """民生计量专项检查: inspections, the instruments listed on them, rectification and cases."""

    name = "inspections"
    verbose_name = _("民生计量专项检查")

    def ready(self) -> None:
        from campaigns import metrics
        from inspections import exports, selectors  # noqa: F401 - importing exports registers its sheets

        metrics.register(
            "inspections.inspections",
            "专项检查（家次）",
            selectors.inspections_reported_count,
            count_as_of=selectors.inspections_reported_as_of,
        )
        metrics.register(
            "inspections.parties",
            "检查单位（家）",
            selectors.parties_inspected_count,
            count_as_of=selectors.parties_inspected_as_of,
        )
        metrics.register(
            "inspections.instruments", "检查计量器具（台件）", selectors.instruments_checked_count
        )
        metrics.register(
            "inspections.cases",
            "立案查处（件）",
            selectors.cases_filed_count,
            count_as_of=selectors.cases_filed_as_of,
        )
        # The map (issue 18): approved inspections at their party's place, by result; 已检查 with nothing
        # found is 未发现问题, 已检查 with problems awaits its follow-up.
        from django.db.models import Case, CharField, F, Value, When

        from core.map_layers import CATEGORY, Category, LayerSpec, register
        from inspections.models import FollowUpStatus, InspectionRecord

        result = Case(
            When(problems_found=0, follow_up_status=FollowUpStatus.CHECKED, then=Value("clean")),
            default=F("follow_up_status"),
            output_field=CharField(),
        )
        register(
            LayerSpec(
                key="inspections",
                label=_("专项检查"),
                symbol="triangle",
                order=20,
                records=lambda campaign: (
                    InspectionRecord.objects.counted()
                    .filter(campaign=campaign)
                    .annotate(**{CATEGORY: result})
                ),
                place="inspected_party",
                detail="inspections:inspection_detail",
                count_unit=_("次"),
                categories=[
                    Category("clean", _("未发现问题"), "#1b5e20"),
                    Category(FollowUpStatus.CHECKED, _("发现问题待处理"), "#f9a825"),
                    Category(FollowUpStatus.RECTIFYING, FollowUpStatus.RECTIFYING.label, "#ef6c00"),
                    Category(FollowUpStatus.RECTIFIED, FollowUpStatus.RECTIFIED.label, "#0277bd"),
                    Category(FollowUpStatus.CASE_FILED, FollowUpStatus.CASE_FILED.label, "#c62828"),
                    Category(FollowUpStatus.CASE_CLOSED, FollowUpStatus.CASE_CLOSED.label, "#6a1b9a"),
                ],
            )
        )
