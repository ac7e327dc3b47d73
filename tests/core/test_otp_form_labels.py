"""django-otp's device form, read-only fields, columns, filters and sections in the admin are in
Chinese (wushan_metrology.admin.DeviceAdmin): django-otp leaves its field names untranslatable."""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from organizations.roles import Role
from tests.factories import UserFactory
from tests.html import select, text, texts

ENGLISH = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture
def superuser(jianjianke):
    return UserFactory(
        username="demo_admin", unit=jianjianke, is_staff=True, is_superuser=True, roles=[Role.BUREAU_ADMIN]
    )


def page(response) -> str:
    # The admin's pages declare no charset in a <meta>: hand the parser text, not bytes.
    return response.content.decode()


def labels(response) -> list[str]:
    """The label of every field row of an admin change form (read-only fields included), without
    the choices of a radio field (the token's 6 or 8 digits)."""
    found = [text(label).rstrip(":：") for label in select(page(response), "fieldset .form-row label")]
    return [label for label in found if not label.isdigit()]


def test_the_add_form_labels_and_helps_every_field_in_chinese(client, superuser) -> None:
    client.force_login(superuser)

    response = client.get("/admin/otp_totp/totpdevice/add/")

    assert response.status_code == 200
    shown = labels(response)
    assert {"用户", "设备名称", "已启用", "密钥", "时间步长（秒）", "允许偏差（步）"} <= set(shown)
    assert [label for label in shown if ENGLISH.search(label)] == []
    helps = texts(page(response), "fieldset .form-row .help")
    assert helps
    assert [help_text for help_text in helps if ENGLISH.search(help_text.replace("Unix", ""))] == []
    assert [title for title in texts(page(response), "fieldset h2") if ENGLISH.search(title)] == []


def test_the_change_form_names_its_read_only_fields_and_sections_in_chinese(client, superuser) -> None:
    device = TOTPDevice.objects.create(user=superuser, name="张科长的手机")
    client.force_login(superuser)

    response = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")

    assert response.status_code == 200
    shown = labels(response)
    assert {"创建时间", "最近使用时间", "二维码", "连续验证失败次数"} <= set(shown)
    assert [label for label in shown if ENGLISH.search(label)] == []
    assert {"设备", "时间", "口令参数", "失败限制"} <= set(texts(page(response), "fieldset h2"))


def test_a_bad_value_is_refused_under_its_chinese_label_and_nothing_is_saved(client, superuser) -> None:
    client.force_login(superuser)

    response = client.post(
        "/admin/otp_totp/totpdevice/add/",
        {
            "user": superuser.pk,
            "name": "",
            "key": "not-hex",
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
        },
    )

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) >= {"name", "key"}
    assert not TOTPDevice.objects.exists()


def test_the_device_list_heads_its_columns_and_filters_in_chinese(client, superuser) -> None:
    TOTPDevice.objects.create(user=superuser, name="张科长的手机")
    client.force_login(superuser)

    response = client.get("/admin/otp_totp/totpdevice/")

    assert response.status_code == 200
    columns = [c for c in texts(page(response), "#result_list thead th") if c]
    assert columns[:5] == ["用户", "设备名称", "创建时间", "最近使用时间", "已启用"]
    assert [c for c in columns if ENGLISH.search(c)] == []
    filters = texts(page(response), "#changelist-filter details summary")
    assert filters == ["以 创建时间", "以 最近使用时间", "以 已启用"]
    assert "张科长的手机" in texts(page(response), "#result_list tbody td, #result_list tbody th")


def test_an_office_user_cannot_open_the_device_admin(client, office_a) -> None:
    client.force_login(office_a)

    response = client.get("/admin/otp_totp/totpdevice/add/")

    assert response.status_code in {302, 403}
    assert not TOTPDevice.objects.exists()
