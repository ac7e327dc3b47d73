"""The scan page of a registered instrument (/i/<code>/): anonymous, public fields only, status as of
today, nearest 公平秤, a rate-limited rating and problem form landing on the office's 舆情 desk; its
QR image; and the office's A4 label sheets per owner."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Enterprise
from instruments.models import EntryStatus, InstrumentRating, ProblemReport, RegisteredInstrument
from opinion.models import OpinionIncident
from public.fair_scales import distance_m, nearest_fair_scales
from public.forms import challenge_answer
from tests.html import one, texts
from tests.inspections.factories import EnterpriseFactory
from tests.instruments.factories import RegisteredInstrumentFactory
from tests.microstations.factories import campaign_2025
from tests.opinion.factories import level

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.9"


@pytest.fixture
def owner(db) -> Enterprise:
    return EnterpriseFactory(
        name="巫山县王记水果店", longitude=Decimal("109.878000"), latitude=Decimal("31.074000")
    )


@pytest.fixture
def instrument(unit_a, office_a, owner) -> RegisteredInstrument:
    campaign_2025()
    level("general")
    return RegisteredInstrumentFactory(
        unit=unit_a,
        created_by=office_a,
        owner=owner,
        serial_no="RS-SECRET-1",
        certificate_no="JD-SECRET-2",
        note="内部备注不公开",
        last_inspected_on=dt.date(2025, 5, 21),
    )


def page(instrument: RegisteredInstrument) -> str:
    return reverse("public_instruments:instrument", args=[instrument.code])


def fair_scale(market: Enterprise, *, lat: str, name: str, unit) -> RegisteredInstrument:
    return RegisteredInstrumentFactory(
        unit=unit,
        owner=market,
        host_market=market,
        kind=RegisteredInstrument.Kind.FAIR_SCALE,
        name="公平秤",
        location=name,
        longitude=Decimal("109.878000"),
        latitude=Decimal(lat),
    )


def problem_data(client, instrument, **overrides) -> dict[str, str]:
    token = one(client.get(page(instrument)), "input[name=challenge]").get("value")
    return {
        "text": "这台秤少称了二两，铅封也破了。",
        "contact": "",
        "answer": str(challenge_answer(token)),
        "challenge": token,
        "website": "",
        **overrides,
    }


def report(client, instrument, data):
    return client.post(
        reverse("public_instruments:report", args=[instrument.code]), data, REMOTE_ADDR=ADDRESS
    )


def rate(client, instrument, score):
    return client.post(
        reverse("public_instruments:rate", args=[instrument.code]), {"score": score}, REMOTE_ADDR=ADDRESS
    )


# --- the page -------------------------------------------------------------------------------------


def test_anonymous_sees_only_the_public_fields(client, instrument):
    response = client.get(page(instrument))

    html = response.content.decode()
    assert response.status_code == 200
    assert "巫山县王记水果店" in html
    assert "电子计价秤" in html
    assert "2026年4月19日" in html  # valid until
    assert "2025年5月21日" in html  # last inspection
    for private in ("RS-SECRET-1", "JD-SECRET-2", "内部备注不公开", "上海友声衡器有限公司", "ACS-15"):
        assert private not in html


def test_the_status_is_computed_as_of_today(client, instrument):
    assert one(client.get(page(instrument)), "[data-testid=instrument-status] strong").text == "超期未检"

    instrument.valid_until = timezone.localdate() + dt.timedelta(days=30)
    instrument.save()

    assert one(client.get(page(instrument)), "[data-testid=instrument-status] strong").text == "合格有效"


def test_an_unknown_or_unconfirmed_code_is_404_and_a_typed_code_redirects(client, instrument):
    assert client.get(reverse("public_instruments:instrument", args=["AAAAAAAAAA"])).status_code == 404
    typed = instrument.code.lower()
    assert client.get(f"/i/{typed}/").headers["Location"] == page(instrument)

    instrument.entry_status = EntryStatus.PENDING
    instrument.save()
    assert client.get(page(instrument)).status_code == 404


def test_the_qr_image_points_at_the_page(client, instrument):
    response = client.get(reverse("public_instruments:instrument_qr", args=[instrument.code]))

    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


def test_the_page_lists_the_nearest_fair_scales_from_the_owners_place(
    client, instrument, unit_a, campaign_clock
):
    """On the campaign clock, when the factory's scales are in date (tests/public/test_station_fair_scales
    checks that one out of date is not offered)."""
    market = EnterpriseFactory(name="巫山县平湖市场", kind=Enterprise.Kind.MARKET_OPERATOR)
    fair_scale(market, lat="31.094000", name="北门服务台", unit=unit_a)  # 0.02° north: about 2.2 km
    fair_scale(market, lat="31.075000", name="东门服务台", unit=unit_a)  # 0.001°: about 111 m
    fair_scale(market, lat="31.174000", name="远处服务台", unit=unit_a)
    fair_scale(market, lat="31.274000", name="更远服务台", unit=unit_a)

    items = texts(client.get(page(instrument)), "[data-testid=nearby-scales] li")

    assert len(items) == 3
    assert "东门服务台" in items[0]
    assert "约 111 米" in items[0]
    assert "北门服务台" in items[1]
    assert "约 2.2 公里" in items[1]


def test_distances_match_hand_computed_values():
    # 0.01° of latitude is 6371 km × π/180 × 0.01 = 1111.95 m; one degree of longitude at the equator 111.19 km.
    assert distance_m(109.878, 31.074, 109.878, 31.084) == 1112
    assert distance_m(0, 0, 1, 0) == 111195
    assert nearest_fair_scales(longitude=None, latitude=None) == []


@pytest.mark.parametrize("scales", [1, 5])
def test_the_page_runs_a_fixed_number_of_queries(
    client, instrument, unit_a, scales, django_assert_num_queries
):
    market = EnterpriseFactory(kind=Enterprise.Kind.MARKET_OPERATOR)
    for number in range(scales):
        fair_scale(market, lat=f"31.{100 + number}", name=f"服务台{number}", unit=unit_a)

    # the instrument (owner, type, unit, market joined), the located 公平秤 (joined likewise)
    with django_assert_num_queries(2):
        assert client.get(page(instrument)).status_code == 200


# --- report a problem -------------------------------------------------------------------------------


def test_a_problem_lands_on_the_supervising_offices_desk(client, instrument, unit_a):
    response = report(client, instrument, problem_data(client, instrument))

    assert response.status_code == 302
    assert response["Location"] == reverse("public_instruments:thanks", args=[instrument.code])
    problem = ProblemReport.objects.get()
    assert problem.instrument == instrument
    assert problem.incident.handling_unit == unit_a
    assert problem.incident.summary == "这台秤少称了二两，铅封也破了。"
    assert problem.contact == ""


def test_a_contact_without_consent_is_refused_and_nothing_saved(client, instrument):
    response = report(client, instrument, problem_data(client, instrument, contact="13800001111"))

    assert response.status_code == 400
    assert "留下联系方式须勾选同意" in response.content.decode()
    assert not ProblemReport.objects.exists()
    assert not OpinionIncident.objects.exists()


def test_a_wrong_answer_or_short_text_saves_nothing(client, instrument):
    data = problem_data(client, instrument, text="差")
    data["answer"] = str(int(data["answer"]) + 1)

    response = report(client, instrument, data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "验证问题回答错误" in html
    assert "请至少写 5 个字" in html
    assert not ProblemReport.objects.exists()


@override_settings(PUBLIC_FEEDBACK_RATE_LIMIT=2)
def test_problem_reports_are_rate_limited_per_address(client, instrument):
    for _attempt in range(2):
        assert report(client, instrument, problem_data(client, instrument)).status_code == 302

    response = report(client, instrument, problem_data(client, instrument))

    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert ProblemReport.objects.count() == 2


# --- rating -----------------------------------------------------------------------------------------


def test_a_rating_is_saved(client, instrument):
    response = rate(client, instrument, "4")

    assert response.status_code == 302
    assert InstrumentRating.objects.get().score == 4


def test_a_rating_out_of_range_is_refused_in_chinese(client, instrument):
    response = rate(client, instrument, "9")

    assert response.status_code == 400
    assert "评分须为 1 至 5。" in response.content.decode()
    assert not InstrumentRating.objects.exists()


@override_settings(PUBLIC_FEEDBACK_RATE_LIMIT=3)
def test_ratings_are_rate_limited_per_address(client, instrument):
    for _attempt in range(3):
        rate(client, instrument, "1")

    response = rate(client, instrument, "1")

    assert response.status_code == 429
    assert InstrumentRating.objects.count() == 3


# --- label sheets -----------------------------------------------------------------------------------


def test_the_office_prints_an_owners_labels_21_to_a_page(client, office_a, instrument, owner, unit_a):
    for _number in range(21):
        RegisteredInstrumentFactory(unit=unit_a, owner=owner)
    client.force_login(office_a)

    response = client.get(reverse("public_instruments:owner_labels", args=[owner.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert len(re.findall(rb"/Type /Page[^s]", response.content)) == 2  # 22 labels


def test_labels_out_of_scope_are_404_and_anonymous_must_log_in(client, office_b, instrument, owner):
    url = reverse("public_instruments:owner_labels", args=[owner.pk])

    assert client.get(url).status_code == 302
    client.force_login(office_b)
    assert client.get(url).status_code == 404
