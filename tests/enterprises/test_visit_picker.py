"""The visit form's 服务企业 is the searchable enterprise picker (enterprises.picker); the server still
decides what may be saved: an id the picker could not offer is refused in Chinese and nothing is saved."""

from __future__ import annotations

from django.urls import reverse

from enterprises.forms import EnterpriseVisitForm
from enterprises.models import EnterpriseVisit
from enterprises.picker import EnterprisePicker
from tests.enterprises.test_visit_pages import CREATE, edit_url, form_data
from tests.html import one, select, texts

PICK_AGAIN = "所选企业不存在或不可选，请在搜索框中重新查找并选择。"


def test_the_new_visit_page_offers_the_picker_with_quick_add(client, office_a, campaign, enterprise) -> None:
    client.force_login(office_a)

    response = client.get(CREATE)

    assert response.status_code == 200
    picker = one(response, "select#id_enterprise")
    assert picker.get("data-picker") == ""
    assert picker.get("data-search-url") == reverse("enterprise_picker:search")
    assert picker.get("data-create-url") == reverse("enterprise_picker:quick_add")
    # A visit has no domain to narrow by.
    assert picker.get("data-filter-field") is None
    assert [o.get("value") for o in select(response, "#id_enterprise option")] == [""]
    assert isinstance(EnterpriseVisitForm().fields["enterprise"].widget, EnterprisePicker)


def test_the_edit_page_shows_the_visited_enterprise_as_the_pickers_one_option(client, office_a, visit_a):
    client.force_login(office_a)

    response = client.get(edit_url(visit_a))

    options = select(response, "#id_enterprise option[selected]")
    assert [(o.get("value"), o.text_content()) for o in options] == [
        (str(visit_a.enterprise_id), visit_a.enterprise.name)
    ]


def test_an_enterprise_id_the_picker_could_not_offer_is_refused_in_chinese_and_nothing_is_saved(
    client, office_a, campaign, enterprise
) -> None:
    client.force_login(office_a)

    data = {**form_data(enterprise, staff=""), "enterprise": str(enterprise.pk + 1000)}

    response = client.post(CREATE, data)

    assert response.status_code == 200
    assert response.context["form"].errors["enterprise"] == [PICK_AGAIN]
    summary = texts(response, "[data-error-summary] li")
    assert f"服务企业：{PICK_AGAIN}" in summary
    assert any(line.startswith("服务人员：") for line in summary)  # every error in one round
    assert not EnterpriseVisit.objects.exists()


def test_an_enterprise_picked_from_the_registry_is_saved(client, office_a, campaign, enterprise) -> None:
    client.force_login(office_a)

    response = client.post(CREATE, form_data(enterprise))

    assert response.status_code == 302
    assert EnterpriseVisit.objects.get().enterprise == enterprise


def test_leadership_cannot_post_a_visit(client, leader, campaign, enterprise) -> None:
    client.force_login(leader)

    response = client.post(CREATE, form_data(enterprise))

    assert response.status_code == 403
    assert not EnterpriseVisit.objects.exists()
