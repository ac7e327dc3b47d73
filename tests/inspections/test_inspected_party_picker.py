"""被检查单位 is the searchable enterprise picker (enterprises.picker), narrowed by the inspection's domain;
the server still decides what may be saved: an id the picker could not offer is refused in Chinese,
with every other error of the form at once, and nothing is saved."""

from __future__ import annotations

from django.urls import reverse

from enterprises.picker import EnterprisePicker
from inspections.forms import InspectionForm
from inspections.models import InspectionRecord
from tests.html import one, select, texts
from tests.inspections.test_views import NEW, payload

PICK_AGAIN = "所选单位不存在或不可选，请在搜索框中重新查找并选择。"


def test_the_new_inspection_page_offers_the_picker_narrowed_by_the_domain(
    client, office_a, campaign, gas_station, market
) -> None:
    client.force_login(office_a)

    response = client.get(NEW)

    assert response.status_code == 200
    picker = one(response, "select#id_inspected_party")
    assert picker.get("data-picker") == ""
    assert picker.get("data-filter-field") == "domain"
    assert picker.get("data-filter-param") == "domain"
    assert picker.get("data-search-url") == reverse("enterprise_picker:search")
    assert picker.get("data-create-url") == reverse("enterprise_picker:quick_add")
    # Only the empty choice: the registry is searched, not listed in the page.
    assert [o.get("value") for o in select(response, "#id_inspected_party option")] == [""]
    assert isinstance(InspectionForm().fields["inspected_party"].widget, EnterprisePicker)


def test_the_edit_page_shows_the_chosen_unit_as_the_pickers_one_option(
    client, office_a, inspection_a, gas_station
) -> None:
    client.force_login(office_a)

    response = client.get(reverse("inspections:inspection_edit", args=[inspection_a.pk]))

    options = select(response, "#id_inspected_party option[selected]")
    assert [(o.get("value"), o.text_content()) for o in options] == [
        (str(inspection_a.inspected_party_id), inspection_a.inspected_party.name)
    ]


def test_an_enterprise_id_the_picker_could_not_offer_is_refused_in_chinese_and_nothing_is_saved(
    client, office_a, campaign, gas_station
) -> None:
    client.force_login(office_a)
    gone = gas_station.pk + 1000

    response = client.post(NEW, payload(gas_station, inspected_party=str(gone), inspectors=""))

    assert response.status_code == 200
    assert response.context["form"].errors["inspected_party"] == [PICK_AGAIN]
    summary = texts(response, "[data-error-summary] li")
    # Every error at once: the unit and the missing inspectors in one round.
    assert f"被检查单位：{PICK_AGAIN}" in summary
    assert any(line.startswith("检查人员：") for line in summary)
    assert not InspectionRecord.objects.exists()


def test_a_market_that_is_not_a_market_operator_is_refused(
    client, office_a, campaign, gas_station, stall
) -> None:
    client.force_login(office_a)

    response = client.post(NEW, payload(gas_station, market=str(stall.pk)))

    assert response.status_code == 200
    assert response.context["form"].errors["market"]
    assert not InspectionRecord.objects.exists()


def test_leadership_cannot_post_an_inspection_whatever_unit_it_names(client, leader, campaign, gas_station):
    client.force_login(leader)

    response = client.post(NEW, payload(gas_station))

    assert response.status_code == 403
    assert not InspectionRecord.objects.exists()


def test_a_valid_pick_is_saved(client, office_a, campaign, gas_station) -> None:
    client.force_login(office_a)

    response = client.post(NEW, payload(gas_station))

    assert response.status_code == 302
    assert InspectionRecord.objects.get().inspected_party == gas_station
