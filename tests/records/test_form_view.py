"""The record kit's form view: a new record's date starts inside the campaign, and every error of a
refused form is listed once at the top, each linking to its field."""

from __future__ import annotations

import pytest

from microstations.models import StationActivity
from tests.html import links, one, select
from tests.microstations.factories import MicroStationFactory, campaign_2025
from tests.microstations.test_activities import CREATE, form_data

INSPECTION_CREATE = "/workbench/inspections/new/"


@pytest.fixture
def station_a(unit_a):
    campaign_2025()
    return MicroStationFactory(supervising_unit=unit_a, opened=True)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("20 May", "2025-05-20"),
        ("day after the campaign", "2025-06-30"),
        ("day before the campaign", "2025-04-25"),
    ],
)
def test_a_new_records_date_starts_inside_the_campaign(
    client, office_a, station_a, campaign_clock, moment, expected
):
    campaign_clock.travel(moment)
    client.force_login(office_a)

    response = client.get(CREATE)

    assert one(response, "input[name=date]").get("value") == expected


def test_the_inspection_form_date_starts_on_the_campaigns_last_day_after_it_ended(
    client, office_a, station_a, campaign_clock
):
    campaign_clock.travel("day after the campaign")
    client.force_login(office_a)

    response = client.get(INSPECTION_CREATE)

    assert one(response, "input[name=date]").get("value") == "2025-06-30"


def test_every_error_is_listed_at_the_top_with_a_link_to_its_field(client, office_a, station_a):
    client.force_login(office_a)

    response = client.post(CREATE, form_data(station_a, title="", people_reached="-3", date="2024-01-01"))

    assert response.status_code == 200
    assert not StationActivity.objects.exists()
    summary = one(response, "[data-error-summary]")
    assert summary.get("role") == "alert"
    targets = [href for _text, href in links(response, "[data-error-summary] a")]
    assert set(targets) == {"#id_title", "#id_people_reached", "#id_date"}
    assert "活动名称：该字段是必填项。" in [text for text, _href in links(response, "[data-error-summary] a")]
    for href in targets:
        assert select(response, href), f"{href} names no element on the page"


def test_a_valid_form_has_no_error_summary(client, office_a, station_a):
    client.force_login(office_a)

    response = client.get(CREATE)

    assert select(response, "[data-error-summary]") == []


def test_entry_selects_say_please_choose_instead_of_dashes(client, office_a, station_a):
    client.force_login(office_a)

    for url in (CREATE, INSPECTION_CREATE):
        response = client.get(url)

        blanks = [option.text for option in select(response, "form select option[value='']")]
        assert blanks, url
        assert set(blanks) == {"请选择"}, url
        assert "---------" not in response.content.decode()
