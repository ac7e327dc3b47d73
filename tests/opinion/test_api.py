"""/api/v1/opinion-incidents/ and opinion-levels: scoping, writes through opinion.services, status
actions, the shared filter set, bad input answered with 400 and nothing saved."""

from __future__ import annotations

import pytest

from opinion.models import OpinionIncident
from tests.opinion.factories import level

INCIDENTS = "/api/v1/opinion-incidents/"
LEVELS = "/api/v1/opinion-levels/"
Status = OpinionIncident.Status


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def incident_payload(**overrides):
    return {
        "title": "网传加油机计量不准",
        "discovered_at": "2025-05-20T23:30:00+08:00",
        "discovered_by": "舆情监测员",
        "source": "hotline",
        "summary": "市民反映加油机跳枪。",
        "domain": "fuel",
        "level": level("larger").pk,
        **overrides,
    }


# --- scoping ------------------------------------------------------------------------------------------


def test_three_actors_see_what_their_scope_allows(
    api_client, office_a, leader, bureau_admin, incident_a, incident_b
):
    api_client.force_authenticate(office_a)
    assert ids(api_client.get(INCIDENTS)) == {incident_a.pk}
    assert api_client.get(f"{INCIDENTS}{incident_a.pk}/").status_code == 200
    assert api_client.get(f"{INCIDENTS}{incident_b.pk}/").status_code == 404
    assert (
        api_client.patch(f"{INCIDENTS}{incident_b.pk}/", {"title": "被改了"}, format="json").status_code
        == 404
    )

    for reader in (leader, bureau_admin):
        api_client.force_authenticate(reader)
        assert ids(api_client.get(INCIDENTS)) == {incident_a.pk, incident_b.pk}

    api_client.force_authenticate(leader)
    assert (
        api_client.patch(f"{INCIDENTS}{incident_a.pk}/", {"title": "被改了"}, format="json").status_code
        == 403
    )
    assert OpinionIncident.objects.get(pk=incident_a.pk).title == incident_a.title
    assert OpinionIncident.objects.get(pk=incident_b.pk).title == incident_b.title


def test_anonymous_callers_get_nothing(api_client, incident_a):
    for url in (INCIDENTS, LEVELS):
        assert api_client.get(url).status_code in (401, 403)


def test_lists_filter_and_search_with_the_pages_filter_set(api_client, leader, incident_a, incident_b):
    OpinionIncident.objects.filter(pk=incident_b.pk).update(status=Status.ASSESSING)
    api_client.force_authenticate(leader)

    assert ids(api_client.get(INCIDENTS, {"status": "assessing"})) == {incident_b.pk}
    assert ids(api_client.get(INCIDENTS, {"q": "甲地"})) == {incident_a.pk}
    assert ids(api_client.get(INCIDENTS, {"handling_unit": incident_a.handling_unit_id})) == {incident_a.pk}
    # Both were found in May 2025 with a 24-hour report window: long overdue.
    assert ids(api_client.get(INCIDENTS, {"timing": "report_overdue"})) == {incident_a.pk, incident_b.pk}


# --- incidents ----------------------------------------------------------------------------------------


def test_office_logs_an_incident_and_reads_its_deadlines(api_client, office_a, campaign):
    api_client.force_authenticate(office_a)

    response = api_client.post(INCIDENTS, incident_payload(status="closed"), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "discovered"  # the status is not writable
    assert body["handling_unit_name"] == "甲地市场监管所"
    assert body["report_deadline"] == "2025-05-21T11:30:00+08:00"  # 较大: 12 h
    assert body["response_deadline"] == "2025-05-21T23:30:00+08:00"  # 24 h
    assert body["report_state"] == "overdue"


def test_office_moves_an_incident_along_and_closing_needs_the_response(api_client, office_a, incident_a):
    api_client.force_authenticate(office_a)
    url = f"{INCIDENTS}{incident_a.pk}/transition/"

    assert api_client.post(url, {"status": "assessing"}, format="json").json()["status"] == "assessing"
    assert api_client.post(url, {"status": "handling"}, format="json").json() == {
        "assessment": ["进入处置前须填写研判意见。"]
    }
    assert (
        api_client.post(url, {"status": "handling", "assessment": "一般。"}, format="json").status_code == 200
    )
    refused = api_client.post(url, {"status": "closed", "handling_summary": "已整改。"}, format="json")
    assert refused.status_code == 400
    assert set(refused.json()) == {"response", "responded_at"}
    assert OpinionIncident.objects.get(pk=incident_a.pk).status == Status.HANDLING

    closed = api_client.post(
        url,
        {
            "status": "closed",
            "response": "已回应。",
            "responded_at": "2025-05-20T12:00:00+08:00",
            "handling_summary": "已整改。",
        },
        format="json",
    )
    assert closed.json()["status"] == "closed"
    assert closed.json()["response_state"] == "met"


def test_reporting_to_the_county_is_recorded(api_client, office_a, office_b, incident_a):
    api_client.force_authenticate(office_b)
    assert api_client.post(f"{INCIDENTS}{incident_a.pk}/report/").status_code == 404

    api_client.force_authenticate(office_a)
    response = api_client.post(
        f"{INCIDENTS}{incident_a.pk}/report/", {"at": "2025-05-20T10:00:00+08:00"}, format="json"
    )

    assert response.json()["reported_to_county_at"] == "2025-05-20T10:00:00+08:00"
    assert response.json()["report_state"] == "met"
    assert api_client.post(f"{INCIDENTS}{incident_a.pk}/report/").status_code == 400


def test_leader_cannot_move_incidents(api_client, leader, incident_a):
    api_client.force_authenticate(leader)

    assert (
        api_client.post(
            f"{INCIDENTS}{incident_a.pk}/transition/", {"status": "assessing"}, format="json"
        ).status_code
        == 403
    )
    assert api_client.post(INCIDENTS, incident_payload(), format="json").status_code == 403
    assert OpinionIncident.objects.get(pk=incident_a.pk).status == Status.DISCOVERED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"url": "ftp://bbs.example.com/1"}, "url"),
        ({"reach": -1}, "reach"),
        ({"discovered_at": "2099-01-01T00:00:00+08:00"}, "discovered_at"),
    ],
)
def test_bad_incident_input_is_a_400(api_client, office_a, campaign, overrides, field):
    api_client.force_authenticate(office_a)

    response = api_client.post(INCIDENTS, incident_payload(**overrides), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not OpinionIncident.objects.exists()


def test_every_role_reads_the_levels(api_client, office_a):
    api_client.force_authenticate(office_a)

    rows = api_client.get(LEVELS).json()["results"]

    assert [(r["name"], r["report_deadline_hours"], r["response_deadline_hours"]) for r in rows] == [
        ("一般", 24, 48),
        ("较大", 12, 24),
        ("重大", 2, 5),
        ("特别重大", 1, 5),
    ]


def test_the_schema_lists_the_opinion_routes_and_actions(api_client, office_a):
    api_client.force_login(office_a)

    paths = set(api_client.get("/api/schema/", {"format": "json"}).json()["paths"])

    assert {
        "/api/v1/opinion-incidents/",
        "/api/v1/opinion-incidents/{id}/transition/",
        "/api/v1/opinion-incidents/{id}/report/",
        "/api/v1/opinion-levels/",
    } <= paths
