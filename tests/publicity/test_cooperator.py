"""A 协办单位 account (the power company hosting a station of 甲地所) logs the publicity activities held
at the stations it hosts (issue 18): it adds and edits its own through the pages and the service, each
belongs to the station's office (derive_owner, whatever the door); another's activity is 404 to it;
it may not review (403), nor may the bureau, since the station's office reviews it; and it counts in
the official figures only once approved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from organizations.access import scope_to_user
from publicity import selectors
from publicity.models import PublicityActivity
from records import services as review
from records.facts import facts_stored
from records.models import ReviewStatus
from records.services import may_review_record
from tests.html import select
from tests.microstations.factories import MicroStationFactory
from tests.organizations import cooperators
from tests.publicity.factories import PublicityActivityFactory
from tests.publicity.test_activity_pages import CREATE, detail_url, edit_url, form_data, review_url
from tests.publicity.test_services import offline_data, save_activity

pytestmark = pytest.mark.django_db

# The 协办单位 fixtures (the power company, its account and the station it hosts), found by name.
power_company = cooperators.power_company
cooperator = cooperators.cooperator
hosted = cooperators.hosted


@pytest.fixture
def not_hosted(unit_a):
    """A station of the same office that another unit hosts."""
    return MicroStationFactory(
        name="民生计量科普宣传服务微站（平湖市场）", supervising_unit=unit_a, opened=True
    )


@pytest.fixture
def own(campaign, cooperator, hosted):
    return save_activity(actor=cooperator, data=offline_data(station=hosted, title="供电营业厅计量进社区"))


@pytest.fixture
def another(campaign, office_a, not_hosted):
    """The office's activity at a station the power company does not host."""
    return PublicityActivityFactory(
        unit=office_a.unit, created_by=office_a, station=not_hosted, title="平湖市场宣传"
    )


def test_the_cooperator_adds_an_activity_at_its_station_and_it_is_the_stations_offices(
    client, campaign, cooperator, hosted, not_hosted, unit_a
):
    client.force_login(cooperator)
    form = client.get(CREATE).context["form"]
    assert list(form.fields["station"].queryset) == [hosted]
    assert select(client.get(CREATE), "select[name=station][required]")

    response = client.post(CREATE, form_data(station=hosted.pk, title="供电营业厅计量进社区"))

    activity = PublicityActivity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(activity)
    assert (activity.unit, activity.station, activity.created_by) == (unit_a, hosted, cooperator)
    assert activity.review_status == ReviewStatus.DRAFT


def test_without_a_station_the_cooperator_is_told_to_pick_one_and_nothing_is_saved(
    client, campaign, cooperator, hosted
):
    client.force_login(cooperator)
    response = client.post(CREATE, form_data())
    assert response.status_code == 200
    assert response.context["form"].errors["station"] == ["该字段是必填项。"]
    # Every door: the service refuses it too, with the reason.
    with pytest.raises(ValidationError) as excinfo:
        save_activity(actor=cooperator, data=offline_data())
    assert excinfo.value.message_dict == {"station": ["协办单位填报宣传活动须选择本单位承建的微站。"]}
    assert not PublicityActivity.objects.exists()


def test_a_station_the_cooperator_does_not_host_is_refused(client, campaign, cooperator, hosted, not_hosted):
    client.force_login(cooperator)
    response = client.post(CREATE, form_data(station=not_hosted.pk))
    assert "station" in response.context["form"].errors
    with pytest.raises(Http404):
        save_activity(actor=cooperator, data=offline_data(station=not_hosted))
    assert not PublicityActivity.objects.exists()


def test_the_cooperator_edits_its_own_and_another_is_404(client, cooperator, own, another):
    client.force_login(cooperator)
    assert client.get(detail_url(own)).status_code == 200
    assert client.get(edit_url(own)).status_code == 200
    response = client.post(edit_url(own), form_data(station=own.station_id, participants="180"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.participants == 180

    assert client.get(detail_url(another)).status_code == 404
    assert client.get(edit_url(another)).status_code == 404
    assert client.post(edit_url(another), form_data(station=own.station_id)).status_code == 404
    another.refresh_from_db()
    assert another.title == "平湖市场宣传"
    listed = scope_to_user(PublicityActivity.objects.all(), cooperator)
    assert list(listed) == list(selectors.activity_list_for_user(user=cooperator)) == [own]


def test_the_station_of_an_edit_stays_one_the_cooperator_hosts(cooperator, own, not_hosted):
    with pytest.raises(Http404):
        save_activity(actor=cooperator, activity=own, data={"station": not_hosted})
    own.refresh_from_db()
    assert own.station != not_hosted


def test_the_cooperator_may_not_review_the_bureau_neither_and_the_stations_office_does(
    client, cooperator, own, office_a, bureau_admin, unit_a
):
    review.record_submit(actor=cooperator, record=own)
    client.force_login(cooperator)
    assert client.post(review_url(own, "approve")).status_code == 403
    with pytest.raises(PermissionDenied):
        review.record_approve(actor=cooperator, record=own)
    assert not may_review_record(bureau_admin, own)
    with pytest.raises(PermissionDenied):
        review.record_approve(actor=bureau_admin, record=own)

    review.record_approve(actor=office_a, record=own)
    own.refresh_from_db()
    assert (own.review_status, own.reviewed_by) == (ReviewStatus.APPROVED, office_a)


def test_the_cooperators_activity_counts_only_once_approved(cooperator, own, office_a, campaign, unit_a):
    def participants() -> tuple[int, Decimal]:
        stored = sum(
            value
            for (_, unit, _, record_type, metric, _), value in facts_stored(campaign).items()
            if (record_type, metric, unit) == ("publicity.publicityactivity", "participants", unit_a.pk)
        )
        return selectors.participants_count(campaign), Decimal(stored)

    assert participants() == (0, 0)
    review.record_submit(actor=cooperator, record=own)
    assert participants() == (0, 0)
    review.record_approve(actor=office_a, record=own)
    assert participants() == (150, 150)


def test_an_approved_activity_is_locked_for_the_cooperator(client, cooperator, own, office_a):
    review.record_submit(actor=cooperator, record=own)
    review.record_approve(actor=office_a, record=own)
    with pytest.raises(ValidationError):
        save_activity(actor=cooperator, activity=own, data={"participants": 999})
    own.refresh_from_db()
    assert own.participants == 150


def test_the_offices_and_the_bureaus_activities_keep_their_own_unit(campaign, office_a, bureau_admin, hosted):
    by_office = save_activity(actor=office_a, data=offline_data(station=hosted))
    by_bureau = save_activity(actor=bureau_admin, data=offline_data(station=hosted))
    assert by_office.unit == office_a.unit
    assert by_bureau.unit == bureau_admin.unit
    assert by_office.date == dt.date(2025, 5, 21)


def test_through_the_api_the_cooperator_names_its_station_or_is_told_to(
    api_client, campaign, cooperator, hosted, not_hosted, another, unit_a
):
    url = "/api/v1/publicity-activities/"
    payload = {
        "title": "供电营业厅计量进社区",
        "date": "2025-05-21",
        "channel": "offline",
        "form": "community",
        "venue_type": "utility_hall",
        "participants": 80,
    }
    api_client.force_authenticate(cooperator)

    refused = api_client.post(url, payload, format="json")
    assert refused.status_code == 400
    assert "协办单位填报宣传活动须选择本单位承建的微站。" in str(refused.json())
    assert api_client.post(url, {**payload, "station": not_hosted.pk}, format="json").status_code == 400
    assert PublicityActivity.objects.filter(created_by=cooperator).count() == 0

    created = api_client.post(url, {**payload, "station": hosted.pk}, format="json")
    assert created.status_code == 201
    activity = PublicityActivity.objects.get(pk=created.json()["id"])
    assert (activity.unit, activity.created_by) == (unit_a, cooperator)
    assert {row["id"] for row in api_client.get(url).json()["results"]} == {activity.pk}
    assert api_client.get(f"{url}{another.pk}/").status_code == 404
    assert api_client.post(f"{url}{activity.pk}/approve/", {}, format="json").status_code == 403
