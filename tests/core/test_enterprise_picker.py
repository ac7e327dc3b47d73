"""The searchable enterprise picker (core.widgets.SearchSelect, enterprises.picker): its search endpoint
(paged, narrowed by an inspection's domain, a fixed number of queries), its quick-add through the
registry's create service, and the widget rendering only the chosen row."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.urls import reverse

from core.widgets import SEARCH_PAGE_SIZE, SearchSelect
from enterprises.models import Enterprise
from enterprises.picker import INDUSTRIES_BY_DOMAIN, EnterprisePicker, use_enterprise_picker
from inspections.models import Domain
from tests.enterprises.factories import EnterpriseFactory, credit_code
from tests.factories import UserFactory

SEARCH = "enterprise_picker:search"
QUICK_ADD = "enterprise_picker:quick_add"
GOOD_CODE = credit_code(4242)


def quick_add_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "巫山县新开加油站有限公司",
        "credit_code": GOOD_CODE,
        "kind": Enterprise.Kind.COMPANY,
        "industry": Enterprise.Industry.FUEL,
        "size": Enterprise.Size.SMALL,
        "address": "巫山县龙门街道 8 号",
        "township": "龙门街道",
        "contact_name": "",
        "contact_phone": "",
        "note": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def registry(db, office_a) -> dict[str, Any]:
    return {
        "fuel": EnterpriseFactory(
            name="巫山县中石化高唐加油站", industry=Enterprise.Industry.FUEL, created_by=office_a
        ),
        "food": EnterpriseFactory(name="巫山县红脆李食品有限公司", created_by=office_a),
        "optical": EnterpriseFactory(
            name="巫山县明目眼镜店", industry=Enterprise.Industry.OPTICAL, created_by=office_a
        ),
        "stall": EnterpriseFactory(name="巫山县广东路市场 12 号摊位", stall=True, created_by=office_a),
    }


def names(response) -> list[str]:
    return [row["text"] for row in response.json()["results"]]


def test_domain_keys_are_the_inspection_domains() -> None:
    assert set(INDUSTRIES_BY_DOMAIN) == set(Domain.values)


def test_office_searches_the_registry_by_name_and_credit_code(client, office_a, registry) -> None:
    client.force_login(office_a)
    assert names(client.get(reverse(SEARCH), {"q": "加油"})) == ["巫山县中石化高唐加油站"]
    by_code = client.get(reverse(SEARCH), {"q": registry["optical"].credit_code[-8:]})
    assert names(by_code) == ["巫山县明目眼镜店"]
    body = by_code.json()
    assert body["can_add"] is True
    assert body["next"] is None
    assert body["results"][0]["credit_code"] == registry["optical"].credit_code


def test_every_word_must_match(client, office_a, registry) -> None:
    client.force_login(office_a)
    assert names(client.get(reverse(SEARCH), {"q": "巫山县 眼镜"})) == ["巫山县明目眼镜店"]
    assert names(client.get(reverse(SEARCH), {"q": "眼镜 加油"})) == []


def test_an_inspection_domain_narrows_the_search(client, office_a, registry) -> None:
    client.force_login(office_a)
    assert names(client.get(reverse(SEARCH), {"domain": Domain.FUEL})) == ["巫山县中石化高唐加油站"]
    scales = names(client.get(reverse(SEARCH), {"domain": Domain.SCALES}))
    assert sorted(scales) == sorted(["巫山县红脆李食品有限公司", "巫山县广东路市场 12 号摊位"])
    # No domain, or one the picker does not know: the whole registry.
    assert len(names(client.get(reverse(SEARCH), {"domain": "unknown"}))) == 4


def test_search_pages_through_the_registry_in_a_fixed_number_of_queries(
    client, office_a, django_assert_num_queries
) -> None:
    EnterpriseFactory.create_batch(SEARCH_PAGE_SIZE + 5, created_by=office_a)
    client.force_login(office_a)
    # session, user, the user's own permissions, its groups' permissions, the page's rows plus one
    with django_assert_num_queries(5):
        first = client.get(reverse(SEARCH), {"q": "测试"}).json()
    assert len(first["results"]) == SEARCH_PAGE_SIZE
    assert first["next"]
    with django_assert_num_queries(5):
        second = client.get(first["next"]).json()
    assert len(second["results"]) == 5
    assert second["next"] is None
    assert not {row["id"] for row in first["results"]} & {row["id"] for row in second["results"]}


def test_leader_searches_but_may_not_add(client, leader, registry) -> None:
    client.force_login(leader)
    response = client.get(reverse(SEARCH), {"q": "加油"})
    assert response.status_code == 200
    assert response.json()["can_add"] is False
    assert client.get(reverse(QUICK_ADD)).status_code == 403
    assert client.post(reverse(QUICK_ADD), quick_add_data()).status_code == 403
    assert not Enterprise.objects.filter(credit_code=GOOD_CODE).exists()


def test_a_user_without_the_registry_gets_403_and_anonymous_the_login(client, db) -> None:
    assert client.get(reverse(SEARCH)).status_code == 302
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse(SEARCH)).status_code == 403
    assert client.get(reverse(QUICK_ADD)).status_code == 403


def test_quick_add_form_takes_the_typed_name_and_the_domains_industry(client, office_a) -> None:
    client.force_login(office_a)
    response = client.get(reverse(QUICK_ADD), {"name": "巫山县新开加油站", "domain": Domain.FUEL})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial == {"name": "巫山县新开加油站", "industry": Enterprise.Industry.FUEL}
    assert "保存并选用" in response.content.decode()


def test_quick_add_refuses_a_bad_credit_code_in_chinese_and_saves_nothing(client, office_a) -> None:
    client.force_login(office_a)
    bad = GOOD_CODE[:-1] + ("0" if GOOD_CODE[-1] != "0" else "1")
    response = client.post(reverse(QUICK_ADD), quick_add_data(credit_code=bad))
    assert response.status_code == 200
    errors = response.context["form"].errors["credit_code"]
    assert errors
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in error) for error in errors)
    assert "表单未保存" in response.content.decode()
    assert not Enterprise.objects.filter(name="巫山县新开加油站有限公司").exists()


def test_quick_add_saves_through_the_service_and_answers_the_new_row(client, office_a) -> None:
    client.force_login(office_a)
    response = client.post(reverse(QUICK_ADD), quick_add_data())
    assert response.status_code == 201
    saved = Enterprise.objects.get(credit_code=GOOD_CODE)
    assert response.json() == {"id": saved.pk, "text": saved.name, "credit_code": GOOD_CODE}
    assert saved.created_by == office_a
    assert saved.history.count() == 1


def test_quick_add_refuses_a_credit_code_already_registered(client, office_a, registry) -> None:
    client.force_login(office_a)
    response = client.post(reverse(QUICK_ADD), quick_add_data(credit_code=registry["fuel"].credit_code))
    assert response.status_code == 200
    assert "巫山县中石化高唐加油站" in str(response.context["form"].errors["credit_code"])
    assert Enterprise.objects.count() == 4


class PickForm(forms.Form):
    domain = forms.ChoiceField(choices=Domain.choices, required=False)
    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.order_by("name"), label="被检查单位")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        use_enterprise_picker(self.fields["enterprise"], filter_field="domain")


def test_the_widget_renders_only_the_chosen_row_in_one_query(registry, django_assert_num_queries) -> None:
    form = PickForm(initial={"enterprise": registry["optical"].pk})
    assert isinstance(form.fields["enterprise"].widget, EnterprisePicker)
    with django_assert_num_queries(1):
        html = str(form["enterprise"])
    assert "巫山县明目眼镜店" in html
    assert "巫山县中石化高唐加油站" not in html
    assert 'data-filter-field="domain"' in html
    assert f'data-search-url="{reverse(SEARCH)}"' in html
    assert f'data-create-url="{reverse(QUICK_ADD)}"' in html
    assert "tom-select.complete.min.js" in html
    # An empty form: the empty choice only, and no query.
    with django_assert_num_queries(0):
        assert "<option" in str(PickForm()["enterprise"])


def test_the_field_still_validates_the_choice(registry) -> None:
    assert PickForm({"enterprise": registry["fuel"].pk}).is_valid()
    refused = PickForm({"enterprise": 999999})
    assert not refused.is_valid()
    assert refused.errors["enterprise"]


def test_search_select_takes_plain_urls() -> None:
    widget = SearchSelect(search_url="/s/", create_url="")
    attrs = widget.build_attrs({})
    assert attrs["data-search-url"] == "/s/"
    assert "data-create-url" not in attrs
