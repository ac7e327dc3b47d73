"""django-otp's admin pages, where a staff member's authenticator is enrolled, are in Chinese: the
section and model names (wushan_metrology.third_party_apps.OtpTotpConfig), its QR-code page (the
template in templates/otp_totp/) and its gettext strings (wushan_metrology/locale)."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from organizations.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def superuser(jianjianke):
    return UserFactory(
        username="demo_admin", unit=jianjianke, is_staff=True, is_superuser=True, roles=[Role.BUREAU_ADMIN]
    )


def test_the_device_list_and_section_are_in_chinese(client, superuser) -> None:
    TOTPDevice.objects.create(user=superuser, name="张科长的手机")
    client.force_login(superuser)

    index = client.get("/admin/").content.decode()
    listing = client.get("/admin/otp_totp/totpdevice/")

    assert ">两步验证（动态口令）</a>" in index
    page = listing.content.decode()
    assert listing.status_code == 200
    assert "<title>选择 动态口令设备 来修改" in page
    assert "TOTP device" not in page


def test_the_qr_code_page_is_in_chinese(client, superuser) -> None:
    device = TOTPDevice.objects.create(user=superuser, name="张科长的手机")
    client.force_login(superuser)

    response = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "绑定动态口令" in page
    assert "请用手机上的身份验证器" in page
    assert "Install" not in page


def test_django_otp_strings_have_chinese() -> None:
    with translation.override("zh-hans"):
        assert gettext("OTP Token:") == "动态口令："
        assert gettext("Please enter your OTP token.") == "请输入动态口令。"
        assert gettext("Incorrect authentication code. Please try again.") == "动态口令不正确，请重新输入。"
