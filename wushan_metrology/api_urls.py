"""Every /api/v1/ route, in one place."""

from typing import Any

from django.urls import path, re_path
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from campaigns import api as campaigns_api
from enterprises import api as enterprises_api
from inspections import api as inspections_api
from instruments import api as instruments_api
from microstations import api as microstations_api
from notifications import api as notifications_api
from opinion import api as opinion_api
from organizations import api as organizations_api
from publicity import api as publicity_api
from records import api as records_api
from reports import api as reports_api
from volunteers import api as volunteers_api

app_name = "api"

router = DefaultRouter()
router.register("units", organizations_api.UnitViewSet, basename="unit")
router.register("campaigns", campaigns_api.CampaignViewSet, basename="campaign")
router.register("workstreams", campaigns_api.WorkstreamViewSet, basename="workstream")
router.register("tasks", campaigns_api.TaskViewSet, basename="task")
router.register("assignments", campaigns_api.AssignmentViewSet, basename="assignment")
router.register("party-groups", campaigns_api.PartyGroupViewSet, basename="party-group")
router.register("milestones", campaigns_api.MilestoneViewSet, basename="milestone")
router.register("reporting-windows", campaigns_api.ReportingWindowViewSet, basename="reporting-window")
router.register("requirements", campaigns_api.RequirementViewSet, basename="requirement")
router.register("stations", microstations_api.StationViewSet, basename="station")
router.register("station-activities", microstations_api.StationActivityViewSet, basename="station-activity")
router.register("volunteers", volunteers_api.VolunteerViewSet, basename="volunteer")
router.register("publicity-activities", publicity_api.PublicityActivityViewSet, basename="publicity-activity")
router.register("news-items", publicity_api.NewsItemViewSet, basename="news-item")
router.register("opinion-levels", opinion_api.OpinionLevelViewSet, basename="opinion-level")
router.register("opinion-incidents", opinion_api.OpinionIncidentViewSet, basename="opinion-incident")
router.register("enterprises", enterprises_api.EnterpriseViewSet, basename="enterprise")
router.register("enterprise-visits", enterprises_api.EnterpriseVisitViewSet, basename="enterprise-visit")
router.register("enterprise-problems", enterprises_api.MetrologyProblemViewSet, basename="enterprise-problem")
router.register("partnerships", enterprises_api.PartnershipViewSet, basename="partnership")
router.register("inspections", inspections_api.InspectionViewSet, basename="inspection")
router.register("instrument-types", inspections_api.InstrumentTypeViewSet, basename="instrument-type")
router.register("instruments", instruments_api.RegisteredInstrumentViewSet, basename="instrument")
router.register("inspection-leads", instruments_api.InspectionLeadViewSet, basename="inspection-lead")
router.register("instrument-problems", instruments_api.ProblemReportViewSet, basename="instrument-problem")

router.register("review-queue", records_api.ReviewQueueViewSet, basename="review-queue")
router.register("reports", reports_api.ReportViewSet, basename="report")
router.register("inbox", notifications_api.InboxViewSet, basename="inbox")


@extend_schema(exclude=True)
class NoSuchRoute(APIView):
    """Whatever /api/v1/ does not route (an id that is not a number, a typo) is the API's JSON 404,
    after authentication like every route, not the site's HTML page."""

    def _not_found(self, request: Request, *args: Any, **kwargs: Any) -> None:
        raise NotFound

    get = post = put = patch = delete = _not_found


urlpatterns = [
    path("me/", organizations_api.MeView.as_view(), name="me"),
    *router.urls,
    re_path(r"^.*$", NoSuchRoute.as_view()),
]
