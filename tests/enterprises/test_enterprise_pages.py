"""The registry's workbench pages: every role reads, offices and the bureau add and change, bad codes refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from enterprises.models import Enterprise, EnterpriseVisit
from organizations.roles import Role
from records.models import ReviewStatus
from tests.enterprises.factories import (
    EnterpriseFactory,
    EnterpriseVisitFactory,
    PartnershipFactory,
    credit_code,
)
from tests.factories import UserFactory

LIST = "/workbench/enterprises/"
CREATE = "/workbench/enterprises/new/"


def detail_url(enterprise: Enterprise) -> str:
    return f"/workbench/enterprises/{enterprise.pk}/"


def edit_url(enterprise: Enterprise) -> str:
    return f"/workbench/enterprises/{enterprise.pk}/edit/"


def form_data(**overrides):
    return {
        "name": "巫山县视康眼镜有限公司",
        "credit_code": credit_code(701),
        "kind": Enterprise.Kind.COMPANY,
        "industry": Enterprise.Industry.OPTICAL,
        "size": Enterprise.Size.SMALL,
        "address": "巫山县龙门街道龙门大道 8 号",
        "township": "龙门街道",
        "contact_name": "沈经理",
        "contact_phone": "13800001234",
        "note": "",
        **overrides,
    }


def listed(response) -> list[Enterprise]:
    return list(response.context["paginator"].object_list)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_reverse_names_match_the_paths_the_tests_use(enterprise):
    assert reverse("enterprises:enterprise_list") == LIST
    assert reverse("enterprises:enterprise_create") == CREATE
    assert reverse("enterprises:enterprise_detail", args=[enterprise.pk]) == detail_url(enterprise)
    assert reverse("enterprises:enterprise_edit", args=[enterprise.pk]) == edit_url(enterprise)


@pytest.mark.parametrize("actor", ["office_a", "office_b", "leader", "bureau_admin"])
def test_every_role_reads_the_whole_registry(client, request, enterprise, actor):
    other = EnterpriseFactory(name="巫山县鑫源机械制造有限公司")
    client.force_login(request.getfixturevalue(actor))

    response = client.get(LIST)

    assert response.status_code == 200
    assert set(listed(response)) == {enterprise, other}
    assert client.get(detail_url(other)).status_code == 200


def test_a_cooperating_unit_reads_the_registry_too(client, enterprise):
    cooperator = UserFactory(roles=[Role.COOPERATOR])
    client.force_login(cooperator)

    assert client.get(LIST).status_code == 200


def test_a_signed_in_user_without_a_role_is_refused(client, enterprise):
    client.force_login(UserFactory())

    assert client.get(LIST).status_code == 403
    assert client.get(detail_url(enterprise)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, enterprise):
    for url in (LIST, CREATE, detail_url(enterprise), edit_url(enterprise)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_list_counts_the_approved_visits_the_user_may_see_with_the_pending_beside(
    client, office_a, office_b, leader, enterprise, visit_a
):
    EnterpriseVisit.objects.filter(pk=visit_a.pk).update(review_status=ReviewStatus.APPROVED)
    for status in (ReviewStatus.APPROVED, ReviewStatus.SUBMITTED, ReviewStatus.RETURNED, ReviewStatus.DRAFT):
        EnterpriseVisitFactory(
            enterprise=enterprise, unit=office_b.unit, created_by=office_b, review_status=status
        )

    def counted(user) -> tuple[int, int]:
        client.force_login(user)
        row = {e.pk: e for e in listed(client.get(LIST))}[enterprise.pk]
        return row.visit_count, row.visit_pending

    assert (counted(office_a), counted(office_b), counted(leader)) == ((1, 0), (1, 1), (2, 1))
    assert "待审核 1" in client.get(LIST).content.decode()


def test_the_list_filters_and_searches_by_name_and_code(client, leader, enterprise):
    stall = EnterpriseFactory(stall=True, name="神女市场 A-12 号摊")
    client.force_login(leader)

    assert listed(client.get(LIST, {"kind": Enterprise.Kind.STALL})) == [stall]
    assert listed(client.get(LIST, {"q": "脆李"})) == [enterprise]
    assert listed(client.get(LIST, {"q": enterprise.credit_code[-6:].lower()})) == [enterprise]
    assert listed(client.get(LIST, {"township": "巫峡镇"})) == []


def test_the_detail_shows_what_the_code_says_and_the_pairings(client, office_a, enterprise):
    lead = EnterpriseFactory(name="国网重庆市电力公司巫山供电分公司", size=Enterprise.Size.LARGE)
    PartnershipFactory(lead=lead, partners=[enterprise], name="供电计量伙伴结对")
    client.force_login(office_a)

    html = client.get(detail_url(enterprise)).content.decode()

    assert enterprise.credit_code in html
    assert "市场监管（工商）" in html
    assert "重庆市巫山县" in html
    assert "供电计量伙伴结对" in html
    assert f'href="{edit_url(enterprise)}"' in html


def test_the_detail_lists_only_the_users_units_visits(client, office_b, enterprise, visit_a):
    client.force_login(office_b)

    response = client.get(detail_url(enterprise))

    assert list(response.context["recent_visits"]) == []


def test_a_missing_enterprise_is_404(client, office_a):
    client.force_login(office_a)

    assert client.get("/workbench/enterprises/999999/").status_code == 404


# --- writing -----------------------------------------------------------------------------------------


def test_an_office_registers_an_enterprise(client, office_a):
    client.force_login(office_a)

    response = client.post(CREATE, form_data(), follow=True)

    enterprise = Enterprise.objects.get()
    assert response.redirect_chain == [(detail_url(enterprise), 302)]
    assert "企业已登记。" in messages_of(response)
    assert (enterprise.created_by, enterprise.region_code) == (office_a, "500237")


def test_a_code_typed_with_spaces_and_lower_case_is_stored_normalised(client, office_a):
    client.force_login(office_a)
    code = credit_code(702)

    client.post(CREATE, form_data(credit_code=f"{code[:6]} {code[6:12].lower()} {code[12:]}"))

    assert Enterprise.objects.get().credit_code == code


def test_another_office_changes_an_enterprise_of_the_shared_registry(client, office_b, enterprise):
    client.force_login(office_b)

    response = client.post(edit_url(enterprise), form_data(credit_code=enterprise.credit_code, name="新名称"))

    assert response.status_code == 302
    assert Enterprise.objects.get(pk=enterprise.pk).name == "新名称"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "91350100M000100Y4Z",
            "统一社会信用代码含有不允许的字符“Z”（只用数字和大写字母，不用 I、O、Z、S、V）。",
        ),
        ("91350100M000100Y44", "统一社会信用代码校验不通过，请核对是否抄错。"),
        ("", "除市场摊位外，须填写统一社会信用代码。"),
    ],
)
def test_a_bad_code_is_refused_on_the_form_and_nothing_is_saved(client, office_a, code, message):
    client.force_login(office_a)

    response = client.post(CREATE, form_data(credit_code=code))

    assert response.status_code == 200
    assert response.context["form"].errors["credit_code"] == [message]
    assert message in response.content.decode()
    assert not Enterprise.objects.exists()


def test_a_duplicate_code_is_refused_on_the_form_naming_the_holder(client, office_a, enterprise):
    client.force_login(office_a)

    response = client.post(CREATE, form_data(credit_code=enterprise.credit_code.lower()))

    assert response.context["form"].errors["credit_code"] == [
        "该统一社会信用代码已登记为“巫山县三峡红脆李食品有限公司”，请勿重复添加。"
    ]
    assert Enterprise.objects.count() == 1


def test_a_bad_phone_is_refused(client, office_a):
    client.force_login(office_a)

    response = client.post(CREATE, form_data(contact_phone="12345"))

    assert response.context["form"].errors["contact_phone"] == [
        "请输入有效的手机号（11位）或座机号（如 023-57681234）。"
    ]
    assert not Enterprise.objects.exists()


def test_leader_gets_403_on_adding_or_changing_an_enterprise(client, leader, enterprise):
    client.force_login(leader)

    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data()).status_code == 403
    assert client.post(edit_url(enterprise), form_data(name="被改了")).status_code == 403
    assert Enterprise.objects.get().name == "巫山县三峡红脆李食品有限公司"
    html = client.get(detail_url(enterprise)).content.decode()
    assert f'href="{edit_url(enterprise)}"' not in html
