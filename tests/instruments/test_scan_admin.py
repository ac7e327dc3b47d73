"""The scan log (InstrumentScan) in the admin: read-only (core.admin.ReadOnlyAdminMixin), with its list
columns, filters, search and date hierarchy; scoped to the user's unit; a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from instruments.models import InstrumentScan
from organizations.roles import Role
from tests.factories import UserFactory
from tests.instruments.factories import RegisteredInstrumentFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:instruments_instrumentscan_changelist")
DAY = dt.date(2025, 5, 20)
QUERIES = 11


def scan(instrument, *, via_qr: bool = True, agent: str = InstrumentScan.Agent.WECHAT, day=DAY):
    return InstrumentScan.objects.create(instrument=instrument, day=day, via_qr=via_qr, agent=agent)


def listed(response) -> list[InstrumentScan]:
    return list(response.context["cl"].result_list)


def rows() -> list[tuple]:
    return list(
        InstrumentScan.objects.order_by("pk").values_list("pk", "instrument", "day", "via_qr", "agent")
    )


@pytest.fixture
def scans(instrument_a, instrument_b) -> dict[str, InstrumentScan]:
    return {
        "a_qr": scan(instrument_a),
        "a_link": scan(
            instrument_a, via_qr=False, agent=InstrumentScan.Agent.DESKTOP, day=DAY.replace(day=21)
        ),
        "b_qr": scan(instrument_b, agent=InstrumentScan.Agent.ALIPAY),
    }


def test_the_bureau_admin_reads_every_units_scans_with_filters_search_and_dates(
    client, bureau_admin, instrument_a, scans
):
    client.force_login(bureau_admin)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert set(listed(response)) == set(scans.values())
    html = response.content.decode()
    for column in ("扫标签二维码", "浏览器类别", "使用单位"):
        assert column in html
    assert instrument_a.owner.name in html
    assert response.context["cl"].date_hierarchy == "day"
    assert listed(client.get(CHANGELIST, {"via_qr__exact": "0"})) == [scans["a_link"]]
    assert listed(client.get(CHANGELIST, {"agent__exact": "alipay"})) == [scans["b_qr"]]
    assert set(listed(client.get(CHANGELIST, {"q": instrument_a.code}))) == {scans["a_qr"], scans["a_link"]}
    assert listed(client.get(CHANGELIST, {"day__day": "21", "day__month": "5", "day__year": "2025"})) == [
        scans["a_link"]
    ]


def test_adding_changing_and_deleting_a_scan_are_refused_and_nothing_changes(client, bureau_admin, scans):
    client.force_login(bureau_admin)
    before = rows()
    one = scans["a_qr"]
    change = reverse("admin:instruments_instrumentscan_change", args=[one.pk])

    assert client.get(reverse("admin:instruments_instrumentscan_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:instruments_instrumentscan_add"),
            {"instrument": one.instrument_id, "day": "2025-05-22", "agent": "wechat"},
        ).status_code
        == 403
    )
    page = client.get(change)
    assert page.status_code == 200  # read-only: the fields are shown, not offered for editing
    assert page.context["has_change_permission"] is False
    assert client.post(change, {"day": "2025-05-22", "via_qr": "", "agent": "desktop"}).status_code == 403
    assert client.post(reverse("admin:instruments_instrumentscan_delete", args=[one.pk])).status_code == 403
    client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [one.pk], "post": "yes"})
    assert rows() == before


def test_an_office_clerk_in_the_admin_reads_only_its_own_units_scans(client, unit_a, scans):
    clerk = UserFactory(username="staff_office_a", unit=unit_a, is_staff=True, roles=[Role.OFFICE])
    client.force_login(clerk)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert set(listed(response)) == {scans["a_qr"], scans["a_link"]}
    other = reverse("admin:instruments_instrumentscan_change", args=[scans["b_qr"].pk])
    assert client.get(other).status_code == 302  # the admin's "does not exist" redirect


@pytest.mark.parametrize("extra", [0, 30])
def test_the_changelist_runs_a_fixed_number_of_queries(
    client, bureau_admin, unit_a, extra, django_assert_num_queries
):
    for number in range(extra + 2):
        scan(RegisteredInstrumentFactory(unit=unit_a, owner__name=f"庚{number:02d}"))
    client.force_login(bureau_admin)

    # The same at 2 and 32 rows: the page joins each scan's instrument and owner (list_select_related).
    with django_assert_num_queries(QUERIES):
        response = client.get(CHANGELIST)

    assert len(listed(response)) == extra + 2
