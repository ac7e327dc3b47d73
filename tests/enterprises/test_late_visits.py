"""A visit counts toward the campaign of its date (enterprises.services.visit_owner, through
campaigns.selectors.campaign_for_date), not the newest one: a 2025 visit entered during the 2026
campaign is 2025's, whichever door it comes through (page, API, admin); a date no campaign covers is a
clear error on the date field and nothing is saved."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from campaigns.models import Campaign
from campaigns.selectors import campaign_current
from enterprises import services
from enterprises.models import EnterpriseVisit
from tests.clock import SHANGHAI, utc
from tests.enterprises.factories import EnterpriseVisitFactory
from tests.enterprises.test_admin import VISITS as ADMIN_VISITS
from tests.enterprises.test_admin import admin_visit_form
from tests.enterprises.test_admin import staff_office_a as staff_office_a  # a fixture
from tests.enterprises.test_api import VISITS as API_VISITS
from tests.enterprises.test_api import visit_payload
from tests.enterprises.test_visit_pages import CREATE, edit_url, form_data
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

OUTSIDE = "服务日期 2024-05-20 不在任何活动期间内，请核对日期。"


@pytest.fixture
def campaign_2026(campaign) -> Campaign:
    """The newest campaign (the current one), with the 2025 campaign (25 April – 30 June 2025) before it."""
    return CampaignFactory(year=2026, start_date=dt.date(2026, 4, 25), end_date=dt.date(2026, 6, 30))


@pytest.fixture(autouse=True)
def during_2026():
    """Now is 15 June 2026, during the 2026 campaign: a 2025 visit is a late entry."""
    with time_machine.travel(utc(dt.datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI)), tick=False):
        yield


def test_the_service_picks_the_campaign_of_the_date_and_refuses_a_date_outside_every_one(
    office_a, campaign, campaign_2026
):
    assert campaign_current() == campaign_2026
    assert services.visit_campaign_for(dt.date(2025, 5, 20)) == campaign
    assert services.visit_campaign_for(dt.date(2026, 5, 20)) == campaign_2026
    with pytest.raises(ValidationError) as caught:
        services.visit_campaign_for(dt.date(2024, 5, 20))
    assert caught.value.message_dict == {"date": [OUTSIDE]}
    # A new visit: the visiting unit and the campaign of its date; a change keeps both.
    assert services.visit_owner(actor=office_a, data={"date": dt.date(2025, 5, 20)}) == {
        "unit": office_a.unit,
        "campaign": campaign,
    }
    assert (
        services.visit_owner(
            actor=office_a, data={"date": dt.date(2025, 5, 20)}, visit=EnterpriseVisitFactory()
        )
        == {}
    )


@pytest.mark.parametrize(("day", "year"), [("2025-05-21", 2025), ("2026-05-21", 2026)])
def test_a_visit_entered_on_the_page_takes_the_campaign_of_its_date(
    client, office_a, campaign, campaign_2026, enterprise, day, year
):
    client.force_login(office_a)

    response = client.post(CREATE, form_data(enterprise, date=day))

    assert response.status_code == 302
    visit = EnterpriseVisit.objects.get()
    assert (visit.campaign.year, visit.unit) == (year, office_a.unit)


def test_a_date_outside_every_campaign_is_a_form_error_and_nothing_is_saved(
    client, office_a, campaign, campaign_2026, enterprise
):
    client.force_login(office_a)

    response = client.post(CREATE, form_data(enterprise, date="2024-05-20"))

    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [OUTSIDE]
    assert OUTSIDE in response.content.decode()
    assert not EnterpriseVisit.objects.exists()


def test_a_date_in_a_campaigns_year_but_outside_its_dates_names_that_campaigns_dates(
    client, office_a, campaign, campaign_2026, enterprise
):
    client.force_login(office_a)

    response = client.post(CREATE, form_data(enterprise, date="2025-08-01"))

    assert response.context["form"].errors["date"] == ["日期须在活动期间（2025-04-25 至 2025-06-30）内。"]
    assert not EnterpriseVisit.objects.exists()


def test_correcting_a_drafts_date_keeps_its_campaign_and_checks_the_date_against_it(
    client, office_a, campaign, campaign_2026, enterprise
):
    visit = EnterpriseVisitFactory(
        enterprise=enterprise,
        unit=office_a.unit,
        created_by=office_a,
        campaign=campaign_2026,
        date=dt.date(2026, 5, 21),
    )
    client.force_login(office_a)

    response = client.post(edit_url(visit), form_data(enterprise, date="2025-05-21"))

    assert response.context["form"].errors["date"] == ["日期须在活动期间（2026-04-25 至 2026-06-30）内。"]
    visit.refresh_from_db()
    assert (visit.date, visit.campaign) == (dt.date(2026, 5, 21), campaign_2026)


def test_the_api_files_a_late_visit_under_its_dates_campaign_and_refuses_one_outside(
    api_client, office_a, campaign, campaign_2026, enterprise
):
    api_client.force_authenticate(office_a)

    refused = api_client.post(API_VISITS, visit_payload(enterprise, date="2024-05-20"), format="json")
    assert refused.status_code == 400
    assert OUTSIDE in str(refused.json())
    assert not EnterpriseVisit.objects.exists()

    created = api_client.post(API_VISITS, visit_payload(enterprise, date="2025-05-22"), format="json")
    assert created.status_code == 201
    assert EnterpriseVisit.objects.get().campaign == campaign


def test_the_admin_files_a_late_visit_under_its_dates_campaign_and_refuses_one_outside(
    client, bureau_admin, jianjianke, campaign, campaign_2026, enterprise
):
    client.force_login(bureau_admin)

    refused = client.post(f"{ADMIN_VISITS}add/", admin_visit_form(enterprise, date="2024-05-20"))
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["date"] == [OUTSIDE]
    assert not EnterpriseVisit.objects.exists()

    created = client.post(f"{ADMIN_VISITS}add/", admin_visit_form(enterprise, date="2025-05-23"))
    assert created.status_code == 302, created.context["adminform"].form.errors
    visit = EnterpriseVisit.objects.get()
    assert (visit.campaign, visit.unit) == (campaign, jianjianke)


def test_an_office_clerk_in_the_admin_files_a_late_visit_under_its_dates_campaign(
    client, staff_office_a, campaign, campaign_2026, enterprise
):
    client.force_login(staff_office_a)

    response = client.post(f"{ADMIN_VISITS}add/", admin_visit_form(enterprise, date="2025-05-23"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    visit = EnterpriseVisit.objects.get()
    assert (visit.campaign, visit.unit) == (campaign, staff_office_a.unit)
