"""/api/v1/enterprises/, /enterprise-visits/, /enterprise-problems/, /partnerships/: scoping, writes, steps."""

from __future__ import annotations

import pytest

from enterprises.models import Enterprise, EnterpriseVisit, MetrologyProblem
from records.models import ReviewStatus
from tests.enterprises.factories import (
    EnterpriseFactory,
    EnterpriseVisitFactory,
    PartnershipFactory,
    credit_code,
)

ENTERPRISES = "/api/v1/enterprises/"
VISITS = "/api/v1/enterprise-visits/"
PROBLEMS = "/api/v1/enterprise-problems/"
PARTNERSHIPS = "/api/v1/partnerships/"
Status = MetrologyProblem.Status


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def enterprise_payload(**overrides):
    return {
        "name": "巫山县明目眼镜店",
        "credit_code": credit_code(801, prefix="92"),
        "kind": Enterprise.Kind.INDIVIDUAL,
        "industry": Enterprise.Industry.OPTICAL,
        "size": Enterprise.Size.MICRO,
        "address": "巫山县高唐街道圣泉路",
        "township": "高唐街道",
        **overrides,
    }


def visit_payload(enterprise, **overrides):
    return {
        "enterprise": enterprise.pk,
        "date": "2025-05-22",
        "visit_types": ["policy_briefing", "survey"],
        "staff": "张伟",
        "instruments_serviced": 2,
        "fees_waived": "60.00",
        "estimated_saving": "0",
        **overrides,
    }


def fresh(record):
    return type(record).objects.get(pk=record.pk)


# --- enterprises -------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["office_a", "office_b", "leader", "bureau_admin"])
def test_every_role_reads_the_registry(api_client, request, enterprise, actor):
    api_client.force_authenticate(request.getfixturevalue(actor))

    response = api_client.get(ENTERPRISES)

    assert response.status_code == 200
    assert ids(response) == {enterprise.pk}
    row = response.json()["results"][0]
    assert (row["region_code"], row["registration_authority_display"], row["entity_type_label"]) == (
        "500237",
        "市场监管（工商）",
        "企业",
    )


def test_an_office_adds_an_enterprise_with_a_normalised_code(api_client, office_a):
    api_client.force_authenticate(office_a)
    code = credit_code(801, prefix="92")

    response = api_client.post(
        ENTERPRISES, enterprise_payload(credit_code=f" {code.lower()} "), format="json"
    )

    assert response.status_code == 201
    enterprise = Enterprise.objects.get()
    assert (enterprise.credit_code, enterprise.created_by) == (code, office_a)
    assert response.json()["entity_type_label"] == "个体工商户"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "91350100M000100Y4Z",
            "统一社会信用代码含有不允许的字符“Z”（只用数字和大写字母，不用 I、O、Z、S、V）。",
        ),
        ("91350100M000100Y44", "统一社会信用代码校验不通过，请核对是否抄错。"),
    ],
)
def test_a_bad_code_is_a_400_with_the_reason(api_client, office_a, code, message):
    api_client.force_authenticate(office_a)

    response = api_client.post(ENTERPRISES, enterprise_payload(credit_code=code), format="json")

    assert response.status_code == 400
    assert response.json() == {"credit_code": [message]}
    assert not Enterprise.objects.exists()


def test_a_duplicate_code_is_a_400_naming_the_holder(api_client, office_a, enterprise):
    api_client.force_authenticate(office_a)

    response = api_client.post(
        ENTERPRISES, enterprise_payload(credit_code=enterprise.credit_code), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "credit_code": ["该统一社会信用代码已登记为“巫山县三峡红脆李食品有限公司”，请勿重复添加。"]
    }


def test_a_company_without_a_code_is_a_400(api_client, office_a):
    api_client.force_authenticate(office_a)

    response = api_client.post(
        ENTERPRISES, enterprise_payload(credit_code="", kind=Enterprise.Kind.COMPANY), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"credit_code": ["除市场摊位外，须填写统一社会信用代码。"]}


def test_patching_an_enterprise_keeps_its_own_code(api_client, office_b, enterprise):
    api_client.force_authenticate(office_b)

    response = api_client.patch(
        f"{ENTERPRISES}{enterprise.pk}/",
        {"credit_code": enterprise.credit_code, "name": "新名"},
        format="json",
    )

    assert response.status_code == 200
    assert fresh(enterprise).name == "新名"


def test_leader_gets_403_on_writing_the_registry(api_client, leader, enterprise):
    api_client.force_authenticate(leader)

    assert api_client.post(ENTERPRISES, enterprise_payload(), format="json").status_code == 403
    assert api_client.patch(f"{ENTERPRISES}{enterprise.pk}/", {"name": "x"}, format="json").status_code == 403
    assert Enterprise.objects.count() == 1


def test_enterprises_cannot_be_deleted_through_the_api(api_client, bureau_admin, enterprise):
    api_client.force_authenticate(bureau_admin)

    assert api_client.delete(f"{ENTERPRISES}{enterprise.pk}/").status_code == 405


def test_the_registry_api_filters_and_searches(api_client, leader, enterprise):
    stall = EnterpriseFactory(stall=True, name="平湖市场 B-03 号摊")
    api_client.force_authenticate(leader)

    assert ids(api_client.get(ENTERPRISES, {"kind": "stall"})) == {stall.pk}
    assert ids(api_client.get(ENTERPRISES, {"search": "脆李"})) == {enterprise.pk}
    assert ids(api_client.get(ENTERPRISES, {"region_code": "500237"})) == {enterprise.pk}
    assert ids(api_client.get(ENTERPRISES, {"q": "脆李"})) == {enterprise.pk}
    assert ids(api_client.get(ENTERPRISES, {"credit_code": enterprise.credit_code.lower()})) == {
        enterprise.pk
    }


def test_anonymous_callers_get_nothing(api_client, visit_a, problem_a):
    for url in (ENTERPRISES, VISITS, PROBLEMS, PARTNERSHIPS):
        assert api_client.get(url).status_code in (401, 403)


# --- visits ------------------------------------------------------------------------------------------


def test_office_lists_only_its_own_units_visits(api_client, office_a, visit_a, visit_b, problem_a):
    api_client.force_authenticate(office_a)

    response = api_client.get(VISITS)

    assert ids(response) == {visit_a.pk}
    row = response.json()["results"][0]
    assert (row["unit_name"], row["problem_count"], row["solved_count"]) == ("甲地市场监管所", 1, 0)
    assert row["visit_types"] == ["survey"]


@pytest.mark.parametrize("actor", ["leader", "bureau_admin"])
def test_leadership_and_the_bureau_admin_read_every_visit(api_client, request, visit_a, visit_b, actor):
    api_client.force_authenticate(request.getfixturevalue(actor))

    assert ids(api_client.get(VISITS)) == {visit_a.pk, visit_b.pk}
    assert api_client.get(f"{VISITS}{visit_b.pk}/").status_code == 200


def test_another_units_visit_is_404_in_the_api(api_client, office_a, visit_b):
    api_client.force_authenticate(office_a)

    assert api_client.get(f"{VISITS}{visit_b.pk}/").status_code == 404
    assert api_client.patch(f"{VISITS}{visit_b.pk}/", {"staff": "被改了"}, format="json").status_code == 404
    assert api_client.post(f"{VISITS}{visit_b.pk}/submit/").status_code == 404
    assert (fresh(visit_b).staff, fresh(visit_b).review_status) == ("乙所李娜", ReviewStatus.DRAFT)


def test_the_visit_api_filters_by_visit_type_and_status(api_client, office_a, visit_a):
    forum = EnterpriseVisitFactory(unit=office_a.unit, created_by=office_a, visit_types=["forum"])
    api_client.force_authenticate(office_a)

    assert ids(api_client.get(VISITS, {"visit_type": "forum"})) == {forum.pk}
    assert ids(api_client.get(VISITS, {"review_status": "draft"})) == {visit_a.pk, forum.pk}
    assert api_client.get(VISITS, {"visit_type": "party"}).status_code == 400


def test_office_creates_a_visit_under_its_own_unit(api_client, office_a, campaign, enterprise, unit_b):
    api_client.force_authenticate(office_a)

    response = api_client.post(
        VISITS, visit_payload(enterprise, unit=unit_b.pk, review_status="approved"), format="json"
    )

    assert response.status_code == 201
    visit = EnterpriseVisit.objects.get()
    assert (visit.unit, visit.campaign, visit.review_status) == (office_a.unit, campaign, ReviewStatus.DRAFT)
    assert visit.visit_types == ["survey", "policy_briefing"]
    assert response.json()["problem_count"] == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fees_waived": "-1"}, "fees_waived"),
        ({"estimated_saving": "100"}, "saving_basis"),
        ({"date": "2025-07-02"}, "date"),
        ({"visit_types": []}, "visit_types"),
        ({"visit_types": ["party"]}, "visit_types"),
    ],
)
def test_bad_visits_are_a_400_and_nothing_is_saved(
    api_client, office_a, campaign, enterprise, overrides, field
):
    api_client.force_authenticate(office_a)

    response = api_client.post(VISITS, visit_payload(enterprise, **overrides), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not EnterpriseVisit.objects.exists()


def test_the_saving_basis_error_is_in_chinese(api_client, office_a, campaign, enterprise):
    api_client.force_authenticate(office_a)

    response = api_client.post(VISITS, visit_payload(enterprise, estimated_saving="100"), format="json")

    assert response.json() == {"saving_basis": ["填写了节约成本，须说明测算依据。"]}


def test_the_review_actions_work_on_visits(api_client, office_a, bureau_admin, visit_a):
    api_client.force_authenticate(office_a)
    assert api_client.post(f"{VISITS}{visit_a.pk}/submit/").json()["review_status"] == "submitted"
    assert api_client.post(f"{VISITS}{visit_a.pk}/approve/").status_code == 403

    api_client.force_authenticate(bureau_admin)
    response = api_client.post(f"{VISITS}{visit_a.pk}/return/", {"reason": "补充依据"}, format="json")

    assert response.json()["review_status"] == "returned"


def test_the_visit_api_shares_the_list_pages_filters(api_client, office_a, visit_a, enterprise):
    other = EnterpriseVisitFactory(
        unit=office_a.unit, created_by=office_a, enterprise=EnterpriseFactory(name="巫山县福田建材有限公司")
    )
    api_client.force_authenticate(office_a)

    assert ids(api_client.get(VISITS, {"enterprise": enterprise.pk})) == {visit_a.pk}
    assert ids(api_client.get(VISITS, {"q": "福田"})) == {other.pk}
    assert ids(api_client.get(VISITS, {"date_from": "2025-05-21"})) == set()


def test_a_draft_is_deleted_by_the_bureau_and_not_by_an_office(api_client, office_a, bureau_admin, visit_a):
    api_client.force_authenticate(office_a)
    assert api_client.delete(f"{VISITS}{visit_a.pk}/").status_code == 403

    api_client.force_authenticate(bureau_admin)
    assert api_client.delete(f"{VISITS}{visit_a.pk}/").status_code == 204
    assert not EnterpriseVisit.objects.exists()


def test_leader_gets_403_on_writing_visits(api_client, leader, visit_a, enterprise):
    api_client.force_authenticate(leader)

    assert api_client.post(VISITS, visit_payload(enterprise), format="json").status_code == 403
    assert api_client.patch(f"{VISITS}{visit_a.pk}/", {"staff": "x"}, format="json").status_code == 403
    assert api_client.post(f"{VISITS}{visit_a.pk}/submit/").status_code == 403
    assert EnterpriseVisit.objects.count() == 1


# --- problems ----------------------------------------------------------------------------------------


def test_office_lists_only_its_own_units_problems(api_client, office_a, problem_a, problem_b):
    api_client.force_authenticate(office_a)

    response = api_client.get(PROBLEMS)

    assert ids(response) == {problem_a.pk}
    assert response.json()["results"][0]["enterprise_name"] == "巫山县三峡红脆李食品有限公司"
    assert api_client.get(f"{PROBLEMS}{problem_b.pk}/").status_code == 404


def test_office_raises_and_moves_a_problem_through_the_api(api_client, office_a, visit_a, testing_unit):
    api_client.force_authenticate(office_a)

    created = api_client.post(
        PROBLEMS, {"visit": visit_a.pk, "category": "management", "description": "未建立台账"}, format="json"
    )
    url = f"{PROBLEMS}{created.json()['id']}/"
    api_client.post(f"{url}assign/", {"assigned_unit": testing_unit.pk}, format="json")
    api_client.post(f"{url}solve/", {"solution": "指导建立台账"}, format="json")
    confirmed = api_client.post(f"{url}confirm/", {"confirmed_by_name": "郑经理"}, format="json")

    assert created.status_code == 201
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == Status.CONFIRMED
    assert MetrologyProblem.objects.get().raised_by == office_a


def test_a_step_out_of_order_is_a_400_with_the_reason(api_client, office_a, problem_a):
    api_client.force_authenticate(office_a)

    response = api_client.post(
        f"{PROBLEMS}{problem_a.pk}/confirm/", {"confirmed_by_name": "郑经理"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": [
            "问题当前为“已提出”，不能改为“企业已确认”（须依次：已提出 → 已指派 → 已解决 → 企业已确认）。"
        ]
    }
    assert fresh(problem_a).status == Status.RAISED


def test_raising_on_another_units_visit_is_refused(api_client, office_a, visit_b):
    api_client.force_authenticate(office_a)

    response = api_client.post(
        PROBLEMS, {"visit": visit_b.pk, "category": "other", "description": "x"}, format="json"
    )

    assert response.status_code == 400
    assert "visit" in response.json()
    assert not MetrologyProblem.objects.exists()


def test_leader_gets_403_on_problem_writes(api_client, leader, problem_a, testing_unit):
    api_client.force_authenticate(leader)

    assert api_client.get(f"{PROBLEMS}{problem_a.pk}/").status_code == 200
    assert (
        api_client.post(
            PROBLEMS, {"visit": problem_a.visit_id, "category": "other", "description": "x"}, format="json"
        ).status_code
        == 403
    )
    assert (
        api_client.post(
            f"{PROBLEMS}{problem_a.pk}/assign/", {"assigned_unit": testing_unit.pk}, format="json"
        ).status_code
        == 403
    )
    assert fresh(problem_a).status == Status.RAISED


def test_partnerships_are_readable_by_every_role(api_client, office_a, enterprise):
    partnership = PartnershipFactory(partners=[enterprise])
    api_client.force_authenticate(office_a)

    response = api_client.get(PARTNERSHIPS)

    assert ids(response) == {partnership.pk}
    assert response.json()["results"][0]["partners"] == [enterprise.pk]
    assert api_client.post(PARTNERSHIPS, {"name": "x"}).status_code in (403, 405)
