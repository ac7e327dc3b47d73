"""A 协办单位 account (the power company hosting a station) keeps the volunteers of the stations it
hosts: it lists and registers them, another station's volunteer is 404 to it, it may not review their
acts (the supervising office does), and a 2025 volunteer's 2026 act counts for the 2026 campaign."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from campaigns.cloning import campaign_clone
from organizations.access import scope_to_user
from records import services as records
from tests.microstations.factories import MicroStationFactory, VolunteerFactory
from tests.volunteers.test_services import volunteer_data
from volunteers import services
from volunteers.models import Volunteer, VolunteerAct

pytestmark = pytest.mark.django_db


@pytest.fixture
def not_hosted(unit_a):
    return MicroStationFactory(
        name="民生计量科普宣传服务微站（平湖市场）", supervising_unit=unit_a, opened=True
    )


def test_the_cooperator_lists_only_the_volunteers_of_its_stations(client, cooperator, hosted, not_hosted):
    own = VolunteerFactory(station=hosted, name="张晓红")
    other = VolunteerFactory(station=not_hosted, name="刘建")
    scoped = scope_to_user(Volunteer.objects.all(), cooperator, unit_field=Volunteer.unit_scope_field)
    assert list(scoped) == [own]
    client.force_login(cooperator)
    page = client.get(reverse("volunteers:volunteer_list")).content.decode()
    assert "张晓红" in page
    assert "刘建" not in page
    assert client.get(reverse("volunteers:volunteer_edit", args=[other.pk])).status_code == 404
    assert client.get(reverse("volunteers:volunteer_edit", args=[own.pk])).status_code == 200


def test_the_cooperator_registers_a_volunteer_at_its_station_only(cooperator, hosted, not_hosted):
    volunteer = services.volunteer_create(actor=cooperator, station=hosted, data=volunteer_data())
    assert volunteer.station == hosted
    assert volunteer.created_by == cooperator
    with pytest.raises(Http404):
        services.volunteer_create(
            actor=cooperator, station=not_hosted, data=volunteer_data(phone="13800000002")
        )
    assert Volunteer.objects.count() == 1


def test_the_cooperator_may_not_review_its_volunteers_acts(cooperator, hosted, office_a, campaign_clock):
    volunteer = VolunteerFactory(station=hosted)
    act = VolunteerAct(
        volunteer=volunteer,
        date=dt.date(2025, 5, 20),
        place="营业厅",
        description="讲解电表",
        people_reached=20,
        hours=1,
        created_by=office_a,
    )
    act.derive_owner()
    act.save()
    records.record_submit(actor=office_a, record=act)
    with pytest.raises(PermissionDenied):
        records.record_approve(actor=cooperator, record=act)
    records.record_approve(actor=office_a, record=act)


def test_a_2025_volunteers_2026_act_counts_for_2026(bureau_admin, hosted):
    volunteer = VolunteerFactory(station=hosted)
    next_year = campaign_clone(actor=bureau_admin, from_year=2025, to_year=2026).campaign
    act = VolunteerAct(volunteer=volunteer, date=dt.date(2026, 5, 20))
    act.derive_owner()
    assert act.campaign_id == next_year.pk
    assert act.unit_id == hosted.supervising_unit_id
