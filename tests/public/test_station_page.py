"""The public page of a station at /s/<plaque>/: no login, public fields only, 404 for the rest."""

from __future__ import annotations

import io

import pytest
import segno
from django.urls import reverse

from microstations.models import MicroStation, StationReach
from microstations.public import reach_by_station
from tests.html import one, parse, text_of, texts
from tests.microstations.factories import MicroStationFactory
from tests.pdf import pdf_streams, pdf_text

pytestmark = pytest.mark.django_db


def page(station: MicroStation) -> str:
    return reverse("public:station", args=[station.plaque_no])


def test_anonymous_visitor_reads_the_station_without_logging_in(client, station, django_assert_num_queries):
    # 1 the station, 2 today's reach counter (update), 3 the row insert (first hit of the day) in its
    # savepoint (4, 5)
    with django_assert_num_queries(5):
        response = client.get(page(station))
    assert response.status_code == 200
    card = text_of(response, "[data-testid=station-card]")
    for shown in (
        "民生计量科普宣传服务微站（高唐营业厅）",
        "国网巫山县供电公司高唐营业厅",
        "周一至周五 9:00-17:00",
        "李经理",
        "023-57681200",
    ):
        assert shown in card
    assert text_of(response, "[data-testid=fair-scale]") == "平湖市场东门服务台旁"
    assert one(response, "a[href='tel:023-57681200']") is not None


def test_page_shows_only_public_fields(client, station):
    response = client.get(page(station))
    body = response.content.decode()
    assert "内部备注" not in body
    assert station.supervising_unit.name not in body
    # No staff navigation on the public page.
    assert not parse(response).cssselect("form[action*=logout], a[href*=workbench]")


def test_power_hall_page_explains_bills_and_how_to_check_a_scale_with_a_phone(client, station):
    titles = texts(client.get(page(station)), ".tips summary")
    assert "电费怎么核对" in titles
    assert "手机变砝码" in titles


@pytest.mark.parametrize(
    "change",
    [
        {"is_public": False},
        {"stage": MicroStation.Stage.FURNISHED, "opened_on": None},
    ],
    ids=["hidden", "not opened"],
)
def test_hidden_or_unopened_station_answers_404(client, station, change):
    MicroStation.objects.filter(pk=station.pk).update(**change)
    assert client.get(page(station)).status_code == 404
    assert client.get(reverse("public:station_qr", args=[station.plaque_no])).status_code == 404
    assert not StationReach.objects.exists()


def test_unknown_plaque_answers_404(client, station):
    assert client.get(reverse("public:station", args=["WS-JL-999"])).status_code == 404


def test_station_without_plaque_number_has_no_page(client, unit_a):
    MicroStationFactory(opened=True, supervising_unit=unit_a, plaque_no="")
    assert client.get("/s//").status_code == 404


def test_qr_code_points_at_the_page_with_the_scan_marker(client, station):
    response = client.get(reverse("public:station_qr", args=[station.plaque_no]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    expected = segno.make(f"http://testserver{page(station)}?src=qr", error="m")
    buffer = io.BytesIO()
    expected.save(buffer, kind="png", scale=8, border=4)
    assert response.content == buffer.getvalue()


def test_views_and_scans_are_counted_per_station(client, station, unit_b):
    other = MicroStationFactory(opened=True, supervising_unit=unit_b, plaque_no="WS-JL-002")
    client.get(page(station))
    client.get(page(station))
    client.get(f"{page(station)}?src=qr")
    client.get(page(other))
    reach = {row.pk: row for row in reach_by_station(campaign=station.campaign)}
    assert (reach[station.pk].reach_views, reach[station.pk].reach_scans) == (2, 1)
    assert (reach[other.pk].reach_views, reach[other.pk].reach_scans) == (1, 0)
    assert StationReach.objects.filter(station=station).count() == 1


def test_poster_is_an_a4_pdf_with_the_station_and_its_qr_code(client, station):
    response = client.get(reverse("public:station_poster", args=[station.plaque_no]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "民生计量科普宣传服务微站（高唐营业厅）" in text
    assert "牌匾编号：WS-JL-001" in text
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in response.content  # A4
    # Every dark module of the page's QR code is drawn as a filled square.
    qr = segno.make(f"http://testserver{page(station)}?src=qr", error="m")
    dark = sum(sum(1 for cell in row if cell) for row in qr.matrix_iter(scale=1, border=2))
    drawn = sum(stream.count(b" re f") for stream in pdf_streams(response.content))
    assert drawn == dark


def test_poster_of_a_hidden_station_answers_404(client, station):
    MicroStation.objects.filter(pk=station.pk).update(is_public=False)
    assert client.get(reverse("public:station_poster", args=[station.plaque_no])).status_code == 404
