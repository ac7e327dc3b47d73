"""The 400/403/404/500 pages with DEBUG off: Chinese, styled like the site, fit a phone, with a way back."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from tests.html import links, one, text_of


def _suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("tampered")


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


# This module is the URLconf of its tests: the site's pages plus three that fail on purpose.
urlpatterns = [
    path("test-errors/400/", _suspicious),
    path("test-errors/403/", _forbidden),
    path("test-errors/500/", _broken),
    path("", include("wushan_metrology.urls")),
]

pytestmark = [pytest.mark.urls(__name__)]


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def _assert_house_error_page(response, *, status: int, heading: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert one(response, "html").get("lang") == "zh-Hans"
    assert one(response, "meta[name=viewport]").get("content") == "width=device-width, initial-scale=1"
    assert text_of(response, ".error-page h1") == heading
    assert text_of(response, ".error-page__code") == str(status)
    assert ("返回首页", "/") in links(response, ".error-page a")
    assert one(response, "link[rel=stylesheet][href$='css/app.css']") is not None
    assert b"<script>" not in response.content  # no inline script (CSP)


def test_an_unknown_address_is_a_chinese_404_with_the_sites_navigation(client, office_a):
    client.force_login(office_a)

    response = client.get("/workbench/no-such-page/")

    _assert_house_error_page(response, status=404, heading="页面不存在")
    assert one(response, "header.site-header a[href='/workbench/']") is not None
    assert "Not Found" not in response.content.decode()


def test_an_out_of_scope_record_is_the_same_404(client, office_b, unit_a):
    from tests.microstations.factories import MicroStationFactory, StationActivityFactory, campaign_2025

    campaign_2025()
    activity = StationActivityFactory(station=MicroStationFactory(supervising_unit=unit_a, opened=True))
    client.force_login(office_b)

    response = client.get(f"/workbench/microstations/activities/{activity.pk}/")

    _assert_house_error_page(response, status=404, heading="页面不存在")


def test_a_read_only_user_gets_a_chinese_403(client, leader):
    client.force_login(leader)

    response = client.get("/workbench/microstations/activities/new/")

    _assert_house_error_page(response, status=403, heading="没有权限")
    assert "403 Forbidden" not in response.content.decode()


def test_a_plain_permission_denied_is_the_same_403(client, office_a):
    client.force_login(office_a)

    _assert_house_error_page(client.get("/test-errors/403/"), status=403, heading="没有权限")


def test_a_suspicious_request_is_a_chinese_400(client, db):
    _assert_house_error_page(client.get("/test-errors/400/"), status=400, heading="请求有误")


def test_a_crash_is_a_chinese_500_without_details(db):
    client = Client(raise_request_exception=False)

    response = client.get("/test-errors/500/")

    _assert_house_error_page(response, status=500, heading="系统暂时出错")
    assert "boom" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_a_post_without_its_csrf_token_is_a_chinese_page_that_says_to_refresh(db, office_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_a)

    response = client.post("/workbench/microstations/activities/new/", {"title": "x"})

    _assert_house_error_page(response, status=403, heading="页面已过期，请刷新后重试")
