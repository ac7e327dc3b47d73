"""django-otp's device pages in the admin: an id nobody has is a 404, not a 500; a device that exists
still shows its configuration and QR code to staff allowed to see it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("view", ["config", "qrcode"])
def test_a_missing_device_is_404_for_staff(client, superuser, bureau_admin, view):
    for user in (superuser, bureau_admin):
        client.force_login(user)
        response = client.get(reverse(f"admin:otp_totp_totpdevice_{view}", args=[999999]))
        assert response.status_code == 404


@pytest.mark.parametrize("view", ["config", "qrcode"])
def test_a_device_that_exists_still_shows(client, superuser, view):
    device = TOTPDevice.objects.create(user=superuser, name="手机", confirmed=True)
    client.force_login(superuser)
    response = client.get(reverse(f"admin:otp_totp_totpdevice_{view}", args=[device.pk]))
    assert response.status_code == 200
    if view == "qrcode":
        assert response["Content-Type"] == "image/svg+xml"
    else:
        # The page shows the device's QR code from the view beside it.
        qrcode = reverse("admin:otp_totp_totpdevice_qrcode", args=[device.pk])
        assert qrcode.encode() in response.content


def test_non_staff_are_sent_to_the_admin_login(client, office_a):
    client.force_login(office_a)
    response = client.get(reverse("admin:otp_totp_totpdevice_config", args=[999999]))
    assert response.status_code == 302
