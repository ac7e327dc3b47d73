"""Every /api/v1/ route, in one place."""

from rest_framework.routers import DefaultRouter

from campaigns import api as campaigns_api
from enterprises import api as enterprises_api
from inspections import api as inspections_api
from microstations import api as microstations_api
from opinion import api as opinion_api
from organizations import api as organizations_api
from publicity import api as publicity_api
from volunteers import api as volunteers_api

app_name = "api"

router = DefaultRouter()
router.register("units", organizations_api.UnitViewSet, basename="unit")
router.register("campaigns", campaigns_api.CampaignViewSet, basename="campaign")
router.register("workstreams", campaigns_api.WorkstreamViewSet, basename="workstream")
router.register("tasks", campaigns_api.TaskViewSet, basename="task")
router.register("assignments", campaigns_api.AssignmentViewSet, basename="assignment")
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

urlpatterns = router.urls
