"""Every submitted-record type's edit page, once the bureau has approved the record: the page redirects
to the record's own page with the lock message, a POST with changed data is refused and changes
nothing, and the API's PATCH is a 409 Conflict with the same message. The same lock, at every interface, for
StationActivity, PublicityActivity, NewsItem, InspectionRecord and EnterpriseVisit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.forms.models import model_to_dict
from django.urls import reverse

from organizations.models import User
from records import services
from records.models import ReviewStatus
from tests.enterprises.factories import EnterpriseVisitFactory
from tests.inspections.factories import InspectionFactory
from tests.microstations.factories import MicroStationFactory, StationActivityFactory
from tests.publicity.factories import NewsItemFactory, PublicityActivityFactory

LOCKED = "该记录已审核通过，不能再修改。"


def station_activity(office: User) -> Any:
    station = MicroStationFactory(supervising_unit=office.unit, opened=True)
    return StationActivityFactory(station=station, created_by=office)


def of_unit(factory: Any) -> Callable[[User], Any]:
    return lambda office: factory(unit=office.unit, created_by=office)


@dataclass(frozen=True)
class RecordType:
    make: Callable[[User], Any]
    edit_url: str
    api: str  # the /api/v1/ route
    field: str  # a field the edit form and the API both set
    changed: Any


TYPES = {
    "station-activity": RecordType(
        station_activity, "microstations:activity_edit", "station-activities", "title", "改过的标题"
    ),
    "publicity-activity": RecordType(
        of_unit(PublicityActivityFactory),
        "publicity:activity_edit",
        "publicity-activities",
        "title",
        "改过的标题",
    ),
    "news-item": RecordType(
        of_unit(NewsItemFactory), "publicity:news_edit", "news-items", "title", "改过的标题"
    ),
    "inspection": RecordType(
        of_unit(InspectionFactory), "inspections:inspection_edit", "inspections", "inspectors", "王五"
    ),
    "enterprise-visit": RecordType(
        of_unit(EnterpriseVisitFactory), "enterprises:visit_edit", "enterprise-visits", "staff", "王五"
    ),
}


@pytest.fixture(params=list(TYPES))
def kind(request) -> RecordType:
    return TYPES[request.param]


@pytest.fixture
def approved(kind, office_a, bureau_admin) -> Any:
    """A record of office_a's unit, submitted by office_a and approved by the bureau."""
    record = services.record_submit(actor=office_a, record=kind.make(office_a))
    record = services.record_approve(actor=bureau_admin, record=record)
    assert record.review_status == ReviewStatus.APPROVED
    return record


def fresh(record: Any) -> Any:
    return type(record).objects.get(pk=record.pk)


def test_the_edit_page_redirects_to_the_record_with_the_lock_message(client, office_a, kind, approved):
    client.force_login(office_a)

    response = client.get(reverse(kind.edit_url, args=[approved.pk]))

    assert response.status_code == 302
    assert response["Location"] == approved.get_absolute_url()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [LOCKED]


def test_posting_changed_data_to_the_edit_page_changes_nothing(client, office_a, kind, approved):
    before = getattr(fresh(approved), kind.field)
    assert before != kind.changed
    data = {name: value for name, value in model_to_dict(approved).items() if value is not None}
    data.update({kind.field: kind.changed, "action": "submit"})
    client.force_login(office_a)

    response = client.post(reverse(kind.edit_url, args=[approved.pk]), data)

    assert response.status_code == 302
    assert response["Location"] == approved.get_absolute_url()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [LOCKED]
    stored = fresh(approved)
    assert getattr(stored, kind.field) == before
    assert stored.review_status == ReviewStatus.APPROVED


def test_the_api_refuses_to_patch_the_approved_record(api_client, office_a, kind, approved):
    before = getattr(fresh(approved), kind.field)
    api_client.force_authenticate(office_a)

    response = api_client.patch(
        f"/api/v1/{kind.api}/{approved.pk}/", {kind.field: kind.changed}, format="json"
    )

    assert response.status_code == 409
    assert response.json() == {"detail": LOCKED}
    stored = fresh(approved)
    assert getattr(stored, kind.field) == before
    assert stored.review_status == ReviewStatus.APPROVED
