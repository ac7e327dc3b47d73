"""The 协办单位 role: a cooperating unit (a power company hosting a station) logs and reads the
activities of the stations it hosts, and nothing else; its entries belong to the supervising office,
which reviews them. In scope works, out of scope is 404, not allowed is 403."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import InspectionRecord
from microstations.models import MicroStation, StationActivity
from organizations.access import in_scope, scope_field, scope_to_user, scopes_as_cooperator
from organizations.models import Unit
from organizations.roles import Role
from records import services as records
from records.models import ReviewStatus
from tests.factories import UnitFactory, UserFactory
from tests.inspections.factories import InspectionFactory
from tests.microstations.factories import MicroStationFactory, StationActivityFactory

pytestmark = pytest.mark.django_db

LIST = "/workbench/microstations/activities/"
CREATE = "/workbench/microstations/activities/new/"
STATIONS = "/workbench/microstations/stations/"


@pytest.fixture
def not_hosted(unit_a) -> MicroStation:
    """Supervised by the same office, hosted by someone else."""
    return MicroStationFactory(
        name="民生计量科普宣传服务微站（平湖市场）", supervising_unit=unit_a, opened=True
    )


def activity_data(station: MicroStation, **overrides):
    return {
        "station": station,
        "date": "2025-05-20",
        "topic": StationActivity.Topic.UTILITIES,
        "title": "用电计量知识进营业厅",
        "people_reached": 60,
        "materials_distributed": 40,
        "volunteers_present": 1,
        "summary": "",
        **overrides,
    }


def test_cooperator_sees_only_the_stations_its_unit_hosts(client, cooperator, hosted, not_hosted):
    assert list(scope_to_user(MicroStation.objects.all(), cooperator, unit_field="supervising_unit")) == [
        hosted
    ]
    client.force_login(cooperator)
    assert client.get(hosted.get_absolute_url()).status_code == 200
    assert client.get(not_hosted.get_absolute_url()).status_code == 404


def test_cooperator_lists_only_its_stations_activities(client, cooperator, hosted, not_hosted, office_a):
    mine = StationActivityFactory(station=hosted, created_by=office_a, title="供电营业厅活动")
    StationActivityFactory(station=not_hosted, created_by=office_a, title="市场活动")
    client.force_login(cooperator)
    response = client.get(LIST)
    assert response.status_code == 200
    assert list(response.context["paginator"].object_list) == [mine]
    assert client.get(mine.get_absolute_url()).status_code == 200


def test_another_stations_activity_is_404_for_the_cooperator(client, cooperator, not_hosted, office_a):
    other = StationActivityFactory(station=not_hosted, created_by=office_a)
    client.force_login(cooperator)
    assert client.get(other.get_absolute_url()).status_code == 404
    with pytest.raises(Http404):
        records.record_save(actor=cooperator, model=StationActivity, record=other, data={"title": "改"})


def test_cooperator_logs_an_activity_that_belongs_to_the_supervising_office(
    cooperator, hosted, office_a, bureau_admin, campaign_clock
):
    activity = records.record_save(
        actor=cooperator, model=StationActivity, data=activity_data(hosted), submit=True
    )
    assert (activity.unit, activity.campaign) == (hosted.supervising_unit, hosted.campaign)
    assert activity.created_by == cooperator
    assert activity.review_status == ReviewStatus.SUBMITTED
    # The supervising office reads it and reviews it; the bureau does not (tests/records/test_review_routing.py).
    assert activity in scope_to_user(StationActivity.objects.all(), office_a)
    with pytest.raises(PermissionDenied):
        records.record_approve(actor=bureau_admin, record=activity)
    approved = records.record_approve(actor=office_a, record=activity)
    assert approved.review_status == ReviewStatus.APPROVED


def test_cooperator_cannot_log_for_a_station_it_does_not_host(cooperator, not_hosted, campaign_clock):
    with pytest.raises(Http404):
        records.record_save(actor=cooperator, model=StationActivity, data=activity_data(not_hosted))
    assert not StationActivity.objects.exists()


def test_cooperator_form_offers_only_hosted_stations_and_saves(
    client, cooperator, hosted, not_hosted, campaign_clock
):
    client.force_login(cooperator)
    response = client.get(CREATE)
    assert response.status_code == 200
    offered = list(response.context["form"].fields["station"].queryset)
    assert offered == [hosted]
    refused = client.post(
        CREATE,
        {**activity_data(not_hosted), "station": not_hosted.pk, "action": "save"},
    )
    assert refused.status_code == 200  # the form answers "not a valid choice"
    assert not StationActivity.objects.exists()
    client.post(CREATE, {**activity_data(hosted), "station": hosted.pk, "action": "submit"})
    assert StationActivity.objects.get().station == hosted


def test_cooperator_may_not_review(cooperator, hosted, office_a):
    activity = StationActivityFactory(
        station=hosted, created_by=office_a, review_status=ReviewStatus.SUBMITTED
    )
    with pytest.raises(PermissionDenied):
        records.record_approve(actor=cooperator, record=activity)


def test_cooperator_reads_no_inspections_or_other_units_records(client, cooperator, hosted):
    assert not scope_to_user(InspectionRecord.objects.all(), cooperator).exists()
    client.force_login(cooperator)
    assert client.get("/workbench/review/").status_code == 403


def test_write_scope_follows_the_read_scope(cooperator, office_a, hosted, not_hosted):
    assert in_scope(cooperator, StationActivity(station=hosted))
    assert not in_scope(cooperator, StationActivity(station=not_hosted))
    office_activity = StationActivity(station=hosted, unit=office_a.unit)
    assert in_scope(office_a, office_activity)


def test_cooperator_list_runs_no_more_queries_than_an_offices(client, cooperator, office_a, hosted):
    """The office's figures line reads the precomputed facts and then the pending count (two queries);
    the cooperator's, which the facts do not key by host, one aggregate over its rows."""
    for number in range(3):
        StationActivityFactory(station=hosted, created_by=office_a, title=f"活动{number}")

    def queries(user) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as context:
            assert client.get(LIST).status_code == 200
        return len(context.captured_queries)

    assert queries(cooperator) == queries(office_a) - 1


def test_a_testing_institute_reads_the_inspections_it_joined_and_changes_none(client, office_a):
    """巫山检测所 as a 协办单位 (issue 18): the inspections it joined as technical unit are in scope (200),
    another's are 404, and it may not edit or review them (403)."""
    institute = UnitFactory(name="巫山县计量检测所", short_name="巫山检测所", kind=Unit.Kind.TESTING)
    account = UserFactory(username="testing_institute", unit=institute, roles=[Role.COOPERATOR])
    joined = InspectionFactory(unit=office_a.unit, created_by=office_a, joint_unit=institute)
    alone = InspectionFactory(unit=office_a.unit, created_by=office_a)
    assert list(scope_to_user(InspectionRecord.objects.all(), account)) == [joined]
    client.force_login(account)
    assert client.get(reverse("inspections:inspection_detail", args=[joined.pk])).status_code == 200
    assert client.get(reverse("inspections:inspection_detail", args=[alone.pk])).status_code == 404
    assert client.get(reverse("inspections:inspection_edit", args=[joined.pk])).status_code == 403
    submitted = InspectionRecord.objects.filter(pk=joined.pk)
    submitted.update(review_status=ReviewStatus.SUBMITTED)
    assert (
        client.post(reverse("inspections:inspection_review", args=[joined.pk, "approve"])).status_code == 403
    )
    assert submitted.get().review_status == ReviewStatus.SUBMITTED


def test_a_superuser_holds_the_cooperator_permission_but_is_no_cooperator(cooperator, jianjianke):
    """A superuser has every permission, the cooperator scope's too; it still enters and reads rows as
    the bureau does (its entries stay its own unit's, and it is not asked for a hosted station)."""
    admin = UserFactory(username="root-admin", unit=jianjianke, is_superuser=True)

    assert admin.has_perm("organizations.scope_as_cooperator")
    assert scopes_as_cooperator(cooperator)
    assert not scopes_as_cooperator(admin)
    assert scope_field(StationActivity, admin, "unit") == "unit"
