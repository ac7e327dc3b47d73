"""Writes through the API for stations, partnerships, 舆情 levels, instrument types, inspection
follow-up and incident deletes: the same services as the forms and the admin. In scope works, out of
scope is 404, read-only is 403, a state that refuses the step is 409, bad input is 400 and saves nothing."""

from __future__ import annotations

import pytest

from enterprises.models import Enterprise, Partnership
from inspections.models import FollowUpStatus, InspectionRecord, InstrumentType
from microstations.models import MicroStation
from opinion.models import OpinionIncident, OpinionLevel
from records.models import ReviewStatus
from tests.enterprises.factories import EnterpriseFactory, PartnershipFactory
from tests.inspections.conftest import workstream
from tests.inspections.factories import InstrumentFactory, instrument_type
from tests.microstations.factories import MicroStationFactory, StationActivityFactory, campaign_2025
from tests.opinion.factories import OpinionIncidentFactory, level

__all__ = ["workstream"]

pytestmark = pytest.mark.django_db


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


# --- Micro-stations ---------------------------------------------------------------------------------


@pytest.fixture
def station_a(unit_a):
    campaign_2025()
    return MicroStationFactory(supervising_unit=unit_a, name="甲地微站", opened=True)


@pytest.fixture
def station_b(unit_b):
    campaign_2025()
    return MicroStationFactory(supervising_unit=unit_b, name="乙地微站", opened=True)


def station_payload(unit):
    return {
        "name": "民生计量科普宣传服务微站（巫峡供水营业厅）",
        "plaque_no": "WS-API-1",
        "host_name": "巫山县自来水公司巫峡营业厅",
        "station_type": MicroStation._meta.get_field("station_type").choices[0][0],
        "address": "巫峡镇广东中路 1 号",
        "township": "巫峡镇",
        "focus_area": MicroStation._meta.get_field("focus_area").choices[0][0],
        "contact_name": "王站长",
        "contact_phone": "13800000000",
        "supervising_unit": unit.pk,
    }


def test_the_bureau_adds_a_station_at_the_planning_stage_in_the_current_campaign(
    api_client, bureau_admin, unit_a
):
    campaign = campaign_2025()
    response = as_user(api_client, bureau_admin).post(
        "/api/v1/stations/", station_payload(unit_a), format="json"
    )
    assert response.status_code == 201, response.json()
    station = MicroStation.objects.get(pk=response.json()["id"])
    assert (station.campaign, station.stage, station.supervising_unit) == (
        campaign,
        MicroStation.Stage.PLANNED,
        unit_a,
    )
    assert station.history.first().history_user == bureau_admin


@pytest.mark.parametrize("role", ["office_a", "leader"])
def test_offices_and_leadership_may_not_add_stations(request, api_client, unit_a, role):
    campaign_2025()
    response = as_user(api_client, request.getfixturevalue(role)).post(
        "/api/v1/stations/", station_payload(unit_a), format="json"
    )
    assert response.status_code == 403
    assert not MicroStation.objects.exists()


def test_station_changes_are_the_bureaus_and_the_stage_only_moves_forward(
    api_client, bureau_admin, office_a, leader, station_a, station_b
):
    url = f"/api/v1/stations/{station_a.pk}/"
    assert as_user(api_client, office_a).patch(url, {"address": "新址"}, format="json").status_code == 403
    other = f"/api/v1/stations/{station_b.pk}/"
    assert as_user(api_client, office_a).patch(other, {"address": "新址"}, format="json").status_code == 404
    assert as_user(api_client, leader).patch(url, {"address": "新址"}, format="json").status_code == 403

    back = as_user(api_client, bureau_admin).patch(url, {"stage": MicroStation.Stage.PLANNED}, format="json")
    assert back.status_code == 400
    assert "stage" in back.json()
    response = as_user(api_client, bureau_admin).patch(url, {"address": "巫峡镇新址"}, format="json")
    assert response.status_code == 200, response.json()
    station_a.refresh_from_db()
    assert station_a.address == "巫峡镇新址"


def test_only_a_planned_station_with_nothing_logged_is_deleted(api_client, bureau_admin, office_a, station_a):
    planned = MicroStationFactory(supervising_unit=station_a.supervising_unit, name="规划中微站")
    assert planned.stage == MicroStation.Stage.PLANNED
    assert as_user(api_client, office_a).delete(f"/api/v1/stations/{planned.pk}/").status_code == 403

    client = as_user(api_client, bureau_admin)
    opened = client.delete(f"/api/v1/stations/{station_a.pk}/")
    assert opened.status_code == 409
    assert "规划" in opened.json()["detail"]
    StationActivityFactory(station=planned)
    assert client.delete(f"/api/v1/stations/{planned.pk}/").status_code == 409
    empty = MicroStationFactory(supervising_unit=station_a.supervising_unit, name="误建微站")
    assert client.delete(f"/api/v1/stations/{empty.pk}/").status_code == 204
    assert set(MicroStation.objects.values_list("pk", flat=True)) == {station_a.pk, planned.pk}


# --- Partnerships -----------------------------------------------------------------------------------


def test_the_bureau_sets_up_a_partnership_with_its_smes(api_client, bureau_admin, office_a, leader):
    campaign = campaign_2025()
    lead = EnterpriseFactory(name="巫山龙头企业", size=Enterprise.Size.LARGE)
    small = EnterpriseFactory(name="巫山小企业", size=Enterprise.Size.SMALL)
    large = EnterpriseFactory(name="巫山另一大企业", size=Enterprise.Size.LARGE)
    payload = {"campaign": campaign.pk, "name": "龙头带小微结对", "lead": lead.pk, "partners": [small.pk]}

    for user in (office_a, leader):
        assert (
            as_user(api_client, user).post("/api/v1/partnerships/", payload, format="json").status_code == 403
        )
    refused = as_user(api_client, bureau_admin).post(
        "/api/v1/partnerships/", {**payload, "partners": [large.pk]}, format="json"
    )
    assert refused.status_code == 400
    assert "大型企业" in refused.json()["partners"][0]
    assert not Partnership.objects.exists()

    created = as_user(api_client, bureau_admin).post("/api/v1/partnerships/", payload, format="json")
    assert created.status_code == 201, created.json()
    url = f"/api/v1/partnerships/{created.json()['id']}/"
    # A PATCH without partners keeps them.
    patched = api_client.patch(url, {"note": "每季度走访一次"}, format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["partners"] == [small.pk]
    assert as_user(api_client, office_a).delete(url).status_code == 403
    assert as_user(api_client, bureau_admin).delete(url).status_code == 204
    assert not Partnership.objects.exists()


def test_a_partnership_is_read_by_every_signed_in_role(api_client, office_a, leader):
    partnership = PartnershipFactory()
    for user in (office_a, leader):
        response = as_user(api_client, user).get(f"/api/v1/partnerships/{partnership.pk}/")
        assert response.status_code == 200


# --- Reference tables: 舆情 levels and instrument types ---------------------------------------------


def test_the_bureau_sets_the_levels_and_a_level_in_use_is_kept(
    api_client, bureau_admin, office_a, leader, unit_a
):
    payload = {
        "code": "county_watch",
        "name": "县内关注",
        "rank": 5,
        "report_deadline_hours": 6,
        "response_deadline_hours": 12,
    }
    for user in (office_a, leader):
        assert (
            as_user(api_client, user).post("/api/v1/opinion-levels/", payload, format="json").status_code
            == 403
        )
    bad = as_user(api_client, bureau_admin).post(
        "/api/v1/opinion-levels/", {**payload, "report_deadline_hours": 0}, format="json"
    )
    assert bad.status_code == 400
    assert not OpinionLevel.objects.filter(code="county_watch").exists()

    created = api_client.post("/api/v1/opinion-levels/", payload, format="json")
    assert created.status_code == 201, created.json()
    new = OpinionLevel.objects.get(code="county_watch")
    # Deactivated, it is still the bureau's to see and turn back on.
    assert (
        api_client.patch(f"/api/v1/opinion-levels/{new.pk}/", {"is_active": False}, format="json").status_code
        == 200
    )
    assert api_client.get(f"/api/v1/opinion-levels/{new.pk}/").json()["is_active"] is False

    in_use = level("general")
    OpinionIncidentFactory(handling_unit=unit_a, level=in_use)
    kept = api_client.delete(f"/api/v1/opinion-levels/{in_use.pk}/")
    assert kept.status_code == 409
    assert "停用" in kept.json()["detail"]
    assert api_client.delete(f"/api/v1/opinion-levels/{new.pk}/").status_code == 204


def test_the_bureau_sets_the_instrument_types_with_their_rules(api_client, bureau_admin, office_a, campaign):
    payload = {
        "code": "water_dispenser",
        "name": "加水机",
        "domain": "scales",
        "mandatory": True,
        "verification_period_months": 12,
        "counting_unit": "台",
    }
    assert (
        as_user(api_client, office_a).post("/api/v1/instrument-types/", payload, format="json").status_code
        == 403
    )
    client = as_user(api_client, bureau_admin)
    no_period = client.post(
        "/api/v1/instrument-types/", {**payload, "verification_period_months": None}, format="json"
    )
    assert no_period.status_code == 400
    assert "检定周期" in no_period.json()["verification_period_months"][0]
    created = client.post("/api/v1/instrument-types/", payload, format="json")
    assert created.status_code == 201, created.json()
    url = f"/api/v1/instrument-types/{created.json()['id']}/"
    assert client.patch(url, {"basis": "JJG 000-2025"}, format="json").json()["basis"] == "JJG 000-2025"
    assert as_user(api_client, office_a).patch(url, {"basis": "x"}, format="json").status_code == 403

    used = instrument_type("price_scale")
    InstrumentFactory(instrument_type=used)
    assert as_user(api_client, bureau_admin).delete(f"/api/v1/instrument-types/{used.pk}/").status_code == 409
    assert InstrumentType.objects.filter(pk=used.pk).exists()
    assert api_client.delete(url).status_code == 204


# --- Inspection follow-up ---------------------------------------------------------------------------


def test_an_office_orders_rectification_and_records_it_done(
    api_client, office_a, inspection_a, workstream, campaign_clock
):
    client = as_user(api_client, office_a)
    base = f"/api/v1/inspections/{inspection_a.pk}"
    missing = client.post(f"{base}/rectification-order/", {"deadline": "2025-06-10"}, format="json")
    assert missing.status_code == 400
    assert "notice_no" in missing.json()

    ordered = client.post(
        f"{base}/rectification-order/",
        {"notice_no": "巫市监量改〔2025〕1号", "deadline": "2025-06-10"},
        format="json",
    )
    assert ordered.status_code == 200, ordered.json()
    assert ordered.json()["follow_up_status"] == FollowUpStatus.RECTIFYING
    again = client.post(
        f"{base}/rectification-order/",
        {"notice_no": "巫市监量改〔2025〕2号", "deadline": "2025-06-10"},
        format="json",
    )
    assert again.status_code == 409
    done = client.post(f"{base}/rectified/", {"rectified_on": "2025-05-20"}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["follow_up_status"] == FollowUpStatus.RECTIFIED


def test_a_case_is_filed_and_closed_also_on_an_approved_record(
    api_client, office_a, inspection_a, workstream, campaign_clock
):
    InspectionRecord.objects.filter(pk=inspection_a.pk).update(review_status=ReviewStatus.APPROVED)
    client = as_user(api_client, office_a)
    base = f"/api/v1/inspections/{inspection_a.pk}"
    early = client.post(f"{base}/case-closed/", {"closed_on": "2025-05-20"}, format="json")
    assert early.status_code == 409
    assert "尚未立案" in early.json()["detail"]
    filed = client.post(f"{base}/case/", {"case_no": "巫市监立〔2025〕3号"}, format="json")
    assert filed.status_code == 200, filed.json()
    assert filed.json()["follow_up_status"] == FollowUpStatus.CASE_FILED
    closed = client.post(f"{base}/case-closed/", {"closed_on": "2025-05-20"}, format="json")
    assert closed.status_code == 200, closed.json()
    assert closed.json()["follow_up_status"] == FollowUpStatus.CASE_CLOSED


def test_follow_up_is_404_out_of_scope_and_403_read_only(
    api_client, office_a, leader, inspection_a, inspection_b, workstream
):
    body = {"case_no": "巫市监立〔2025〕9号"}
    other = as_user(api_client, office_a).post(
        f"/api/v1/inspections/{inspection_b.pk}/case/", body, format="json"
    )
    assert other.status_code == 404
    # Read-only gets 403 whatever it sends, even an empty body.
    for payload in (body, {}):
        response = as_user(api_client, leader).post(
            f"/api/v1/inspections/{inspection_a.pk}/case/", payload, format="json"
        )
        assert response.status_code == 403
    inspection_b.refresh_from_db()
    assert inspection_b.case_no == ""


# --- 舆情 incidents ---------------------------------------------------------------------------------


def test_the_bureau_deletes_an_incident_and_an_office_may_not(api_client, bureau_admin, office_a, unit_a):
    incident = OpinionIncidentFactory(handling_unit=unit_a, created_by=office_a)
    url = f"/api/v1/opinion-incidents/{incident.pk}/"
    assert as_user(api_client, office_a).delete(url).status_code == 403
    assert as_user(api_client, bureau_admin).delete(url).status_code == 204
    assert not OpinionIncident.objects.exists()
