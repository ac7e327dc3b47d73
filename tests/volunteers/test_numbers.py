"""志愿者编号: given on the first save in registration order per campaign ("2025-0001"), never typed,
never changed, never given twice (deleted volunteers included); shown, searched and exported."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import CampaignFactory
from tests.microstations.factories import MicroStationFactory, VolunteerFactory
from volunteers import services
from volunteers.exports import VolunteerSheet
from volunteers.models import Volunteer, volunteer_number

LIST = "/workbench/volunteers/"


def new_volunteer(office_a, station, name: str) -> Volunteer:
    data = {
        "name": name,
        "kind": Volunteer.Kind.PUBLICIST,
        "group": Volunteer.Group.COURIER,
        "phone": "13800000031",
        "recruited_on": dt.date(2025, 5, 10),
    }
    return services.volunteer_create(actor=office_a, station=station, data=data)


def test_numbers_follow_registration_within_the_campaign(office_a, station_a, station_b) -> None:
    first = new_volunteer(office_a, station_a, "甲")
    second = VolunteerFactory(station=station_b)
    third = new_volunteer(office_a, station_a, "丙")
    assert [first.number, second.number, third.number] == ["2025-0001", "2025-0002", "2025-0003"]
    later = CampaignFactory(year=2026, start_date=dt.date(2026, 4, 25), end_date=dt.date(2026, 6, 30))
    next_year = VolunteerFactory(station=MicroStationFactory(campaign=later, opened=True))
    assert next_year.number == "2026-0001"


def test_a_deleted_volunteers_number_is_not_given_again(office_a, station_a) -> None:
    new_volunteer(office_a, station_a, "甲")
    last = new_volunteer(office_a, station_a, "乙")
    assert last.number == "2025-0002"
    last.delete()
    assert new_volunteer(office_a, station_a, "丙").number == "2025-0003"


def test_the_number_is_not_set_through_the_service(office_a, station_a) -> None:
    volunteer = new_volunteer(office_a, station_a, "甲")
    with pytest.raises(ValidationError) as excinfo:
        services.volunteer_update(actor=office_a, volunteer=volunteer, data={"number": "2025-0100"})
    assert "number" in excinfo.value.message_dict
    volunteer.refresh_from_db()
    assert volunteer.number == "2025-0001"


def test_an_edit_keeps_the_number(office_a, station_a) -> None:
    volunteer = new_volunteer(office_a, station_a, "甲")
    services.volunteer_update(actor=office_a, volunteer=volunteer, data={"name": "甲乙"})
    volunteer.refresh_from_db()
    assert (volunteer.name, volunteer.number) == ("甲乙", "2025-0001")


def test_the_database_refuses_a_duplicate_number(station_a) -> None:
    taken = VolunteerFactory(station=station_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        VolunteerFactory(station=station_a, number=taken.number)


def test_the_format() -> None:
    assert volunteer_number(2025, 7) == "2025-0007"


def test_the_list_shows_and_searches_the_number(client, office_a, station_a) -> None:
    wanted = VolunteerFactory(station=station_a, name="谭明华")
    VolunteerFactory(station=station_a, name="冉小兵")
    client.force_login(office_a)
    response = client.get(LIST, {"q": wanted.number})
    assert [v.pk for v in response.context["paginator"].object_list] == [wanted.pk]
    assert wanted.number in response.content.decode()


def test_the_edit_page_shows_the_number(client, office_a, station_a) -> None:
    volunteer = VolunteerFactory(station=station_a)
    client.force_login(office_a)
    assert (
        f"志愿者编号：{volunteer.number}"
        in client.get(f"/workbench/volunteers/{volunteer.pk}/").content.decode()
    )


def test_the_workbook_sheet_leads_with_the_number(station_a) -> None:
    volunteer = VolunteerFactory(station=station_a)
    context = type("Context", (), {"campaign": station_a.campaign, "unit": None})()
    assert VolunteerSheet.headers[0] == "志愿者编号"
    assert next(iter(VolunteerSheet().rows(context)))[0] == volunteer.number
