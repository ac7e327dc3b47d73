"""The admin history pages (django-simple-history) follow the change page's scope and permission."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import models
from django.urls import reverse

from inspections.models import InspectionRecord
from microstations.models import StationActivity
from organizations.roles import Role
from records.models import ReviewStatus
from tests.factories import UserFactory
from tests.inspections.factories import InspectionFactory
from tests.microstations.factories import MicroStationFactory, StationActivityFactory, VolunteerFactory
from volunteers.models import Volunteer


@pytest.fixture
def staff_a(unit_a):
    return UserFactory(username="staff_a", unit=unit_a, is_staff=True, roles=[Role.OFFICE])


@pytest.fixture
def staff_leader(db):
    return UserFactory(username="staff_leader", unit=None, is_staff=True, roles=[Role.LEADER])


def _activity(unit: Any) -> StationActivity:
    return StationActivityFactory(station=MicroStationFactory(opened=True, supervising_unit=unit))


def _volunteer(unit: Any) -> Volunteer:
    return VolunteerFactory(
        station=MicroStationFactory(opened=True, supervising_unit=unit), phone="13812345678"
    )


def _inspection(unit: Any) -> InspectionRecord:
    return InspectionFactory(unit=unit)


# (how to make the record for a unit, a field that a revert would rewrite)
CASES: list[tuple[Callable[[Any], models.Model], str]] = [
    (_activity, "title"),
    (_volunteer, "name"),
    (_inspection, "inspectors"),
]
IDS = ["station_activity", "volunteer", "inspection"]


def _urls(obj: models.Model) -> tuple[str, str]:
    opts = obj._meta
    history = obj.history.latest()  # type: ignore[attr-defined]
    return (
        reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]),
        reverse(
            f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, history.history_id]
        ),
    )


def _post_data(client: Any, form_url: str) -> dict[str, Any]:
    """The revert form as the in-scope page would submit it (its initial values)."""
    response = client.get(form_url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue  # an unticked checkbox is absent from a browser's POST
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    # Inline formsets (photos) are not part of simple-history's revert form.
    return data


@pytest.mark.parametrize(("make", "field"), CASES, ids=IDS)
def test_office_staff_gets_404_for_other_units_history_list_and_form(client, staff_a, unit_b, make, field):
    other = make(unit_b)
    list_url, form_url = _urls(other)
    client.force_login(staff_a)

    assert client.get(list_url).status_code == 404
    assert client.get(form_url).status_code == 404


@pytest.mark.parametrize(("make", "field"), CASES, ids=IDS)
def test_office_staff_cannot_rewrite_other_units_record_through_the_history_form(
    client, staff_a, bureau_admin, unit_a, unit_b, make, field
):
    other = make(unit_b)
    _list_url, form_url = _urls(other)
    # The bureau admin sees the form, so a complete and valid POST body can be built from it.
    client.force_login(bureau_admin)
    data = _post_data(client, form_url)
    data[field] = "被改写"
    before = type(other)._default_manager.get(pk=other.pk)

    client.force_login(staff_a)
    response = client.post(form_url, data)

    assert response.status_code == 404
    after = type(other)._default_manager.get(pk=other.pk)
    assert getattr(after, field) == getattr(before, field)
    assert getattr(after, "unit_id", None) == getattr(before, "unit_id", None)
    assert getattr(after, "review_status", None) == getattr(before, "review_status", None)


def test_volunteer_history_of_another_unit_does_not_show_the_phone_number(client, staff_a, unit_b):
    volunteer = _volunteer(unit_b)
    list_url, form_url = _urls(volunteer)
    client.force_login(staff_a)

    for url in (list_url, form_url):
        response = client.get(url)
        assert response.status_code == 404
        assert "13812345678" not in response.content.decode()


@pytest.mark.parametrize(("make", "field"), CASES, ids=IDS)
def test_office_staff_reads_own_units_history(client, staff_a, unit_a, make, field):
    own = make(unit_a)
    list_url, form_url = _urls(own)
    client.force_login(staff_a)

    assert client.get(list_url).status_code == 200
    response = client.get(form_url)
    assert response.status_code == 200
    assert response.context["original"].pk == own.pk


def test_office_staff_reverts_own_units_volunteer(client, staff_a, unit_a):
    volunteer = _volunteer(unit_a)
    _list_url, form_url = _urls(volunteer)
    client.force_login(staff_a)
    data = _post_data(client, form_url)
    data["name"] = "已改写"

    response = client.post(form_url, data)

    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.name == "已改写"
    assert volunteer.history.latest().history_user == staff_a


def test_leader_may_read_history_but_not_revert(client, staff_leader, unit_a):
    activity = _activity(unit_a)
    list_url, form_url = _urls(activity)
    client.force_login(staff_leader)

    assert client.get(list_url).status_code == 200
    assert client.get(form_url).status_code == 200
    response = client.post(form_url, {"title": "领导改写"})

    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.title != "领导改写"


def test_approved_record_cannot_be_reverted_even_in_scope(client, staff_a, unit_a):
    inspection = _inspection(unit_a)
    InspectionRecord.objects.filter(pk=inspection.pk).update(review_status=ReviewStatus.APPROVED)
    _list_url, form_url = _urls(inspection)
    client.force_login(staff_a)

    response = client.post(form_url, {"inspectors": "改写"})

    assert response.status_code == 403
    inspection.refresh_from_db()
    assert inspection.inspectors == "张三、李四"


def test_reverting_an_own_inspection_saves_through_the_record_service(client, staff_a, unit_a):
    inspection = _inspection(unit_a)
    _list_url, form_url = _urls(inspection)
    client.force_login(staff_a)
    data = _post_data(client, form_url)
    data["inspectors"] = "王五"

    response = client.post(form_url, data)

    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.inspectors == "王五"
    assert inspection.unit_id == unit_a.pk
    assert inspection.history.latest().history_user == staff_a
