"""A path no route matches answers JSON under /api/ (what the schema documents) and the page elsewhere."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_an_api_path_no_route_matches_is_a_json_404(client, office_a, settings):
    settings.DEBUG = False
    client.force_login(office_a)
    response = client.get("/api/v1/reports/a.b/download/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "未找到。"}


def test_a_page_path_no_route_matches_is_the_chinese_page(client, office_a, settings):
    settings.DEBUG = False
    client.force_login(office_a)
    response = client.get("/workbench/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
