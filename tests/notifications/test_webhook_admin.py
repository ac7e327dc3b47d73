"""The bureau admin adds a unit's group robot in the admin site."""

from __future__ import annotations

import pytest

from notifications.models import UnitWebhook
from organizations.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(unit_a) -> User:
    return User.objects.create_superuser("root_admin", password="x", unit=unit_a)


def test_the_add_page_opens_and_an_address_without_a_scheme_is_taken_as_https(client, superuser, unit_a):
    client.force_login(superuser)
    assert client.get("/admin/notifications/unitwebhook/add/").status_code == 200

    response = client.post(
        "/admin/notifications/unitwebhook/add/",
        {
            "unit": unit_a.pk,
            "kind": UnitWebhook.Kind.WECOM,
            "url": "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
            "secret": "",
            "is_active": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert UnitWebhook.objects.get().url == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
