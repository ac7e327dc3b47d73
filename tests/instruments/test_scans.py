"""Scans of an instrument's public page are logged (no personal data), rate-limited per address and
label, robots left out; the coverage figures count them (tests/instruments/test_coverage.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from instruments.models import InstrumentScan, RegisteredInstrument
from instruments.selectors import instrument_coverage
from instruments.services import scan_agent
from tests.instruments.factories import RegisteredInstrumentFactory

pytestmark = pytest.mark.django_db

WECHAT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/4G Language/zh_CN"
)
ANDROID = "Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"
DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36"
ALIPAY = "Mozilla/5.0 (Linux; Android 13) AlipayClient/10.5.36 Mobile Safari/537.36"
SPIDER = "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"


@pytest.fixture(autouse=True)
def _empty_cache():
    # The rate limit lives in the cache: each test starts with a clean slate.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def instrument(campaign_clock, unit_a, office_a) -> RegisteredInstrument:
    return RegisteredInstrumentFactory(unit=unit_a, created_by=office_a)


def scan(
    client, instrument: RegisteredInstrument, agent: str, *, qr: bool = True, address: str = "203.0.113.9"
):
    path = reverse("public_instruments:instrument", args=[instrument.code]) + ("?src=qr" if qr else "")
    return client.get(path, headers={"user-agent": agent}, REMOTE_ADDR=address)


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (WECHAT, "wechat"),
        (ALIPAY, "alipay"),
        (ANDROID, "mobile"),
        (DESKTOP, "desktop"),
        (SPIDER, None),
        ("", None),
    ],
)
def test_the_browser_is_classed_coarsely_and_robots_are_not_scans(agent, expected):
    assert scan_agent(agent) == expected


def test_a_scan_is_logged_with_the_instrument_day_source_and_browser_class_only(
    client, instrument, django_assert_num_queries
):
    # the instrument (owner, type, unit, market joined), the scan's insert (no coordinates: no 公平秤 query)
    with django_assert_num_queries(2):
        assert scan(client, instrument, WECHAT).status_code == 200
    assert scan(client, instrument, DESKTOP, qr=False).status_code == 200

    logged = list(InstrumentScan.objects.order_by("pk").values("instrument", "day", "via_qr", "agent"))
    assert logged == [
        {"instrument": instrument.pk, "day": dt.date(2025, 5, 20), "via_qr": True, "agent": "wechat"},
        {"instrument": instrument.pk, "day": dt.date(2025, 5, 20), "via_qr": False, "agent": "desktop"},
    ]
    # Nothing of the visitor is kept beyond that: no address, no user agent.
    assert {field.name for field in InstrumentScan._meta.fields} == {
        "id",
        "instrument",
        "scanned_at",
        "day",
        "via_qr",
        "agent",
    }
    assert instrument_coverage(day=dt.date(2025, 5, 20)).scans == 2


def test_a_robot_opening_the_page_is_not_a_scan(client, instrument):
    assert scan(client, instrument, SPIDER).status_code == 200
    assert not InstrumentScan.objects.exists()


@override_settings(PUBLIC_FEEDBACK_RATE_LIMIT=3)
def test_scans_are_logged_up_to_the_limit_per_address_and_label_and_the_page_still_answers(
    client, instrument
):
    other = RegisteredInstrumentFactory(unit=instrument.unit, owner=instrument.owner)
    for _attempt in range(5):
        assert scan(client, instrument, WECHAT).status_code == 200

    scan(client, other, WECHAT)
    scan(client, instrument, WECHAT, address="198.51.100.7")

    assert InstrumentScan.objects.filter(instrument=instrument).count() == 4  # 3 from one address, 1 another
    assert InstrumentScan.objects.filter(instrument=other).count() == 1


def test_an_unknown_code_logs_nothing(client, instrument):
    assert client.get("/i/ZZZZZZZZZZ/", headers={"user-agent": WECHAT}).status_code == 404
    assert not InstrumentScan.objects.exists()
