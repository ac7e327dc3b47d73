"""Query values and unknown addresses answer as the schema says: 400 naming the parameter, JSON 404."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/campaigns/?year=0.5", "year"),
        ("/api/v1/units/?parent=null", "parent"),
        ("/api/v1/instrument-types/?mandatory=xyz", "mandatory"),
        # A filter an office's filter set drops is still checked, not silently ignored.
        ("/api/v1/inspections/?unit=abc", "unit"),
        ("/api/v1/inbox/?unread=maybe", "unread"),
        ("/api/v1/units/?page_size=0", "page_size"),
        ("/api/v1/units/?page_size=500", "page_size"),
        ("/api/v1/units/?page_size=2.5", "page_size"),
        # An empty page number is not page 1 (schemathesis: the schema says integer).
        ("/api/v1/units/?page=", "page"),
        ("/api/v1/units/?page=0", "page"),
        ("/api/v1/units/?page=x", "page"),
        ("/api/v1/review-queue/?page=", "page"),
        ("/api/v1/inbox/?unread=", "unread"),
    ],
)
def test_a_query_value_of_the_wrong_type_is_a_400_naming_it(api_client, office_a, url, name):
    api_client.force_authenticate(office_a)

    response = api_client.get(url)

    assert response.status_code == 400
    assert name in response.json()


def test_well_typed_filters_still_filter(api_client, leader, unit_a, unit_b):
    api_client.force_authenticate(leader)

    body = api_client.get("/api/v1/units/", {"kind": "office", "is_active": "true", "page_size": "1"}).json()

    assert body["count"] == 2
    assert len(body["results"]) == 1


@pytest.mark.parametrize(
    "url", ["/api/v1/inspections/1.5e-3/", "/api/v1/no-such-thing/", "/api/v1/inspections/abc/photos/"]
)
def test_an_address_the_api_does_not_route_is_a_json_404_after_authentication(api_client, office_a, url):
    assert api_client.get(url).status_code == 401
    api_client.force_authenticate(office_a)

    response = api_client.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "未找到。"}


def test_write_bodies_are_json_only(api_client, office_a, inspection_a):
    api_client.force_authenticate(office_a)

    response = api_client.patch(
        f"/api/v1/inspections/{inspection_a.pk}/", {"inspectors": "x"}, format="multipart"
    )

    assert response.status_code == 415
