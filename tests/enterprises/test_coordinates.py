"""Enterprise coordinates: both or neither, inside China, through the service, the form and the import."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from enterprises import importing, services
from enterprises.forms import EnterpriseForm
from enterprises.models import Enterprise
from tests.enterprises.factories import credit_code
from tests.enterprises.test_admin import enterprise_row, import_file, row_errors, workbook_upload

pytestmark = pytest.mark.django_db


def data(**overrides):
    return {
        "name": "巫山县神女市场管理有限公司",
        "credit_code": credit_code(731),
        "kind": Enterprise.Kind.MARKET_OPERATOR,
        "industry": Enterprise.Industry.RETAIL,
        "size": Enterprise.Size.SMALL,
        "address": "巫山县高唐街道神女大道",
        "township": "高唐街道",
        **overrides,
    }


def test_coordinates_inside_china_are_saved(bureau_admin):
    enterprise = services.enterprise_create(
        actor=bureau_admin, data=data(longitude=Decimal("109.878"), latitude=Decimal("31.074"))
    )

    enterprise.refresh_from_db()
    assert (enterprise.longitude, enterprise.latitude) == (Decimal("109.878000"), Decimal("31.074000"))


@pytest.mark.parametrize(
    ("longitude", "latitude", "field", "message"),
    [
        (Decimal("31.074"), Decimal("109.878"), "longitude", "经度应在 73 至 136 之间（中国境内）。"),
        (Decimal("109.878"), Decimal("-31.074"), "latitude", "纬度应在 3 至 54 之间（中国境内）。"),
        (Decimal("109.878"), None, "latitude", "经度和纬度需同时填写或同时留空。"),
        (None, Decimal("31.074"), "longitude", "经度和纬度需同时填写或同时留空。"),
    ],
)
def test_bad_coordinates_are_refused_and_nothing_is_saved(bureau_admin, longitude, latitude, field, message):
    with pytest.raises(ValidationError) as caught:
        services.enterprise_create(actor=bureau_admin, data=data(longitude=longitude, latitude=latitude))

    assert message in caught.value.message_dict[field]
    assert not Enterprise.objects.exists()


def test_the_form_offers_the_coordinates_and_reports_a_swap_in_chinese():
    form = EnterpriseForm(data={**data(), "longitude": "31.07", "latitude": "109.88"})

    assert not form.is_valid()
    assert form.errors["longitude"] == ["经度应在 73 至 136 之间（中国境内）。"]
    assert form.errors["latitude"] == ["纬度应在 3 至 54 之间（中国境内）。"]


def test_import_reads_coordinates_and_export_writes_them(client, bureau_admin, campaign):
    client.force_login(bureau_admin)
    upload = workbook_upload([enterprise_row("巫山县官渡镇某某超市", 经度=109.9, 纬度="31.1")])

    import_file(client, campaign, upload)

    enterprise = Enterprise.objects.get(name="巫山县官渡镇某某超市")
    assert (enterprise.longitude, enterprise.latitude) == (Decimal("109.900000"), Decimal("31.100000"))
    sheet = load_workbook(io.BytesIO(importing.enterprises_export(Enterprise.objects.all())))["企业名录"]
    headers = [c.value for c in sheet[1]]
    values = [c.value for c in sheet[2]]
    assert values[headers.index("经度")] == pytest.approx(109.9)
    assert values[headers.index("纬度")] == pytest.approx(31.1)


def test_an_import_row_with_one_coordinate_fails_and_saves_nothing(client, bureau_admin, campaign):
    client.force_login(bureau_admin)
    upload = workbook_upload([enterprise_row("巫山县官渡镇某某超市", 经度="109.9")])

    response = import_file(client, campaign, upload)

    messages = [m for errors in row_errors(response).values() for m in errors]
    assert any("经度和纬度需同时填写或同时留空" in m for m in messages)
    assert not Enterprise.objects.exists()
