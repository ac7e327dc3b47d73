"""The services directly: the registry's credit codes, visits' rules, and the problem tickets' steps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from campaigns import metrics
from campaigns.models import Campaign
from enterprises import selectors, services
from enterprises.models import Enterprise, EnterpriseVisit, MetrologyProblem, Partnership
from organizations.roles import Role
from records import services as review
from records.models import ReviewStatus
from tests.enterprises.factories import (
    EnterpriseFactory,
    EnterpriseVisitFactory,
    MetrologyProblemFactory,
    PartnershipFactory,
    credit_code,
)
from tests.factories import CampaignFactory, UnitFactory, UserFactory

Status = MetrologyProblem.Status


def enterprise_data(**overrides):
    return {
        "name": "巫山县骡坪镇云雾茶业有限公司",
        "credit_code": credit_code(901),
        "kind": Enterprise.Kind.COMPANY,
        "industry": Enterprise.Industry.FOOD,
        "size": Enterprise.Size.SMALL,
        "address": "巫山县骡坪镇茶园路",
        "township": "骡坪镇",
        **overrides,
    }


def visit_data(enterprise, **overrides):
    return {
        "enterprise": enterprise,
        "date": dt.date(2025, 5, 21),
        "visit_types": [EnterpriseVisit.VisitType.SURVEY, EnterpriseVisit.VisitType.TRAINING],
        "staff": "张伟、李娜",
        "instruments_serviced": 5,
        "fees_waived": Decimal("150.00"),
        "estimated_saving": Decimal("600.00"),
        "saving_basis": "免费检定 5 台电子秤，按收费标准估算",
        "trainees": 12,
        **overrides,
    }


def error_dict(caught) -> dict[str, list[str]]:
    return caught.value.message_dict


# --- enterprises -------------------------------------------------------------------------------------


def test_creating_an_enterprise_normalises_its_code_and_derives_its_parts(office_a):
    code = credit_code(901)
    spaced = f" {code[:4]} {code[4:10].lower()} {code[10:]} "

    enterprise = services.enterprise_create(actor=office_a, data=enterprise_data(credit_code=spaced))

    enterprise.refresh_from_db()
    assert enterprise.credit_code == code
    assert (enterprise.registration_authority, enterprise.entity_type_code, enterprise.region_code) == (
        "9",
        "1",
        "500237",
    )
    assert (enterprise.get_registration_authority_display(), enterprise.entity_type_label) == (
        "市场监管（工商）",
        "企业",
    )
    assert enterprise.region_label == "重庆市巫山县"
    assert enterprise.created_by == office_a
    assert enterprise.history.get().history_user == office_a


def test_a_duplicate_credit_code_is_refused_by_the_service_and_nothing_is_saved(office_a, office_b):
    services.enterprise_create(actor=office_a, data=enterprise_data())

    with pytest.raises(ValidationError) as caught:
        services.enterprise_create(actor=office_b, data=enterprise_data(name="另一家公司"))

    assert error_dict(caught) == {"credit_code": ["该统一社会信用代码已登记，请勿重复添加。"]}
    assert Enterprise.objects.count() == 1


def test_the_same_code_typed_differently_is_still_a_duplicate(office_a):
    services.enterprise_create(actor=office_a, data=enterprise_data())

    with pytest.raises(ValidationError):
        services.enterprise_create(actor=office_a, data=enterprise_data(credit_code=credit_code(901).lower()))

    assert Enterprise.objects.count() == 1


def test_the_database_refuses_a_duplicate_credit_code_that_skipped_validation(db, office_a):
    EnterpriseFactory(credit_code=credit_code(5))

    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.create(**enterprise_data(credit_code=credit_code(5)), created_by=office_a)


def test_stalls_may_go_without_a_code_and_several_may_do_so(office_a):
    for name in ("神女市场 A-12 号摊", "神女市场 A-13 号摊"):
        services.enterprise_create(
            actor=office_a, data=enterprise_data(name=name, credit_code="", kind=Enterprise.Kind.STALL)
        )

    assert Enterprise.objects.filter(credit_code="").count() == 2
    assert Enterprise.objects.get(name="神女市场 A-12 号摊").region_code == ""


def test_a_company_without_a_code_is_refused(office_a):
    with pytest.raises(ValidationError) as caught:
        services.enterprise_create(actor=office_a, data=enterprise_data(credit_code=""))

    assert error_dict(caught) == {"credit_code": ["除市场摊位外，须填写统一社会信用代码。"]}
    assert not Enterprise.objects.exists()


def test_the_database_refuses_a_company_without_a_code(db, office_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.create(**enterprise_data(credit_code=""), created_by=office_a)


def test_an_invalid_code_is_refused_with_the_validators_message(office_a):
    with pytest.raises(ValidationError) as caught:
        services.enterprise_create(actor=office_a, data=enterprise_data(credit_code="91350100M000100Y4Z"))

    assert error_dict(caught)["credit_code"] == [
        "统一社会信用代码含有不允许的字符“Z”（只用数字和大写字母，不用 I、O、Z、S、V）。"
    ]


def test_updating_the_code_rederives_its_parts(office_a):
    enterprise = EnterpriseFactory()

    services.enterprise_update(
        actor=office_a, enterprise=enterprise, data={"credit_code": "91350100M000100Y43"}
    )

    enterprise.refresh_from_db()
    assert enterprise.region_code == "350100"


def test_updating_keeps_a_code_that_is_its_own(office_a):
    enterprise = EnterpriseFactory()

    services.enterprise_update(actor=office_a, enterprise=enterprise, data={"name": "改名后的公司"})

    assert Enterprise.objects.get(pk=enterprise.pk).name == "改名后的公司"


def test_leadership_may_not_add_or_change_the_registry(leader, enterprise):
    with pytest.raises(PermissionDenied):
        services.enterprise_create(actor=leader, data=enterprise_data())
    with pytest.raises(PermissionDenied):
        services.enterprise_update(actor=leader, enterprise=enterprise, data={"name": "领导改的"})

    assert list(Enterprise.objects.values_list("name", flat=True)) == ["巫山县三峡红脆李食品有限公司"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("created_by", "office_b"), ("region_code", "110000"), ("registration_authority", "1"), ("id", 999)],
)
def test_enterprise_writes_refuse_fields_outside_the_allow_list(request, office_a, enterprise, field, value):
    if value == "office_b":
        value = request.getfixturevalue(value)

    with pytest.raises(ValidationError) as updating:
        services.enterprise_update(actor=office_a, enterprise=enterprise, data={field: value, "name": "新名"})
    with pytest.raises(ValidationError) as creating:
        services.enterprise_create(actor=office_a, data=enterprise_data(**{field: value}))

    assert field in error_dict(updating)
    assert field in error_dict(creating)
    stored = Enterprise.objects.get()
    assert (stored.name, stored.created_by, stored.region_code) == (
        "巫山县三峡红脆李食品有限公司",
        enterprise.created_by,
        "500237",
    )


def test_an_update_writes_only_what_changed_and_keeps_the_history(office_a, enterprise):
    services.enterprise_update(actor=office_a, enterprise=enterprise, data={"name": enterprise.name})
    services.enterprise_update(actor=office_a, enterprise=enterprise, data={"township": "巫峡镇"})

    history = list(enterprise.history.order_by("history_id").values_list("township", "history_user"))
    assert history[-1] == ("巫峡镇", office_a.pk)
    assert len(history) == 2  # the factory's row and the one change; the no-op wrote nothing


# --- partnerships ------------------------------------------------------------------------------------


def test_a_partnership_is_saved_with_its_partners_and_its_history_lists_them(bureau_admin, campaign):
    lead = EnterpriseFactory(size=Enterprise.Size.LARGE)
    partners = EnterpriseFactory.create_batch(2)

    partnership = services.partnership_save(
        actor=bureau_admin,
        data={"campaign": campaign, "lead": lead, "name": "供电公司计量伙伴结对"},
        partners=partners,
    )

    assert set(partnership.partners.all()) == set(partners)
    latest = partnership.history.latest()
    assert latest.history_user == bureau_admin
    assert {row.enterprise_id for row in latest.partners.all()} == {p.pk for p in partners}


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("lead-as-partner", "龙头企业不能同时作为自己的结对企业。"),
        ("large-partner", "为大型企业"),
    ],
)
def test_bad_partners_are_refused(bureau_admin, campaign, case, message):
    lead = EnterpriseFactory(size=Enterprise.Size.LARGE)
    partner = lead if case == "lead-as-partner" else EnterpriseFactory(size=Enterprise.Size.LARGE)

    with pytest.raises(ValidationError) as caught:
        services.partnership_save(
            actor=bureau_admin, data={"campaign": campaign, "lead": lead, "name": "结对"}, partners=[partner]
        )

    assert message in error_dict(caught)["partners"][0]
    assert not Partnership.objects.exists()


def test_a_small_lead_is_refused(bureau_admin, campaign):
    with pytest.raises(ValidationError) as caught:
        services.partnership_save(
            actor=bureau_admin,
            data={"campaign": campaign, "lead": EnterpriseFactory(), "name": "结对"},
            partners=[],
        )

    assert error_dict(caught) == {"lead": ["伙伴计划的龙头企业应为大中型企业。"]}


@pytest.mark.parametrize("actor", ["office_a", "leader"])
def test_only_the_bureau_pairs_enterprises(request, campaign, actor):
    user = request.getfixturevalue(actor)
    lead = EnterpriseFactory(size=Enterprise.Size.LARGE)
    existing = PartnershipFactory(name="原结对")

    with pytest.raises(PermissionDenied):
        services.partnership_save(
            actor=user, data={"campaign": campaign, "lead": lead, "name": "结对"}, partners=[]
        )
    with pytest.raises(PermissionDenied):
        services.partnership_save(actor=user, partnership=existing, data={"name": "改名"}, partners=[])

    assert list(Partnership.objects.values_list("name", flat=True)) == ["原结对"]


def test_a_partnership_refuses_fields_outside_the_allow_list(bureau_admin, campaign):
    existing = PartnershipFactory(name="原结对")

    with pytest.raises(ValidationError) as caught:
        services.partnership_save(
            actor=bureau_admin, partnership=existing, data={"created_at": timezone.now()}, partners=[]
        )

    assert "created_at" in error_dict(caught)


# --- visits (through records.services.record_save, as every door) ----------------------------------


def save_visit(actor, data, *, visit=None, campaign=None, submit=False):
    """What the form view, the API and the admin do: record_save, a new visit under the visiting unit."""
    return review.record_save(
        actor=actor,
        model=EnterpriseVisit,
        record=visit,
        data=data,
        campaign=campaign,
        submit=submit,
        unit=services.visiting_unit_for(actor) if visit is None else None,
    )


def test_a_visit_is_logged_under_the_actors_unit(office_a, campaign, enterprise, testing_unit):
    visit = save_visit(office_a, visit_data(enterprise, technical_partner=testing_unit), campaign=campaign)

    assert (visit.unit, visit.campaign, visit.created_by) == (office_a.unit, campaign, office_a)
    assert visit.review_status == ReviewStatus.DRAFT
    assert visit.get_visit_types_display() == "走访调研、培训"
    assert visit.history.get().history_user == office_a


def test_visit_types_are_kept_in_one_order_whatever_order_they_came_in(office_a, campaign, enterprise):
    visit = save_visit(office_a, visit_data(enterprise, visit_types=["training", "forum", "survey"]))

    assert EnterpriseVisit.objects.get(pk=visit.pk).visit_types == ["survey", "forum", "training"]


def test_bureau_staff_without_a_unit_log_under_the_lead_section(campaign, enterprise, jianjianke):
    staff = UserFactory(unit=None, is_superuser=True)

    visit = save_visit(staff, visit_data(enterprise), campaign=campaign)

    assert visit.unit == jianjianke


def test_a_user_without_a_unit_who_does_not_see_all_units_cannot_log_a_visit(campaign, enterprise):
    stray = UserFactory(unit=None, roles=[Role.OFFICE])

    with pytest.raises(PermissionDenied, match="未关联单位"):
        save_visit(stray, visit_data(enterprise), campaign=campaign)

    assert not EnterpriseVisit.objects.exists()


def test_no_campaign_means_no_visit(office_a):
    enterprise = EnterpriseFactory()  # without the campaign fixture: no campaign exists
    assert not Campaign.objects.exists()

    with pytest.raises(ValidationError, match="尚未建立活动"):
        save_visit(office_a, visit_data(enterprise))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"fees_waived": Decimal("-1")}, "fees_waived", "金额不能为负数。"),
        ({"estimated_saving": Decimal("-0.01")}, "estimated_saving", "金额不能为负数。"),
        ({"saving_basis": "  "}, "saving_basis", "填写了节约成本，须说明测算依据。"),
        ({"date": dt.date(2025, 4, 24)}, "date", "日期须在活动期间（2025-04-25 至 2025-06-30）内。"),
        ({"date": dt.date(2025, 7, 1)}, "date", "日期须在活动期间（2025-04-25 至 2025-06-30）内。"),
        ({"follow_up_on": dt.date(2025, 5, 1)}, "follow_up_on", "回访日期不能早于服务日期。"),
        ({"visit_types": []}, "visit_types", "请至少选择一种服务方式。"),
        ({"visit_types": ["party"]}, "visit_types", "未知的服务方式：party"),
        ({"visit_types": ["survey", "survey"]}, "visit_types", "服务方式有重复。"),
    ],
)
def test_bad_visits_are_refused_with_a_clear_message_and_nothing_is_saved(
    office_a, campaign, enterprise, overrides, field, message
):
    with pytest.raises(ValidationError) as caught:
        save_visit(office_a, visit_data(enterprise, **overrides), campaign=campaign)

    assert error_dict(caught)[field] == [message]
    assert not EnterpriseVisit.objects.exists()


def test_a_visit_in_the_future_is_refused(office_a, enterprise):
    today = timezone.localdate()
    open_campaign = CampaignFactory(year=today.year + 1, start_date=today - dt.timedelta(days=5))

    with pytest.raises(ValidationError) as caught:
        save_visit(
            office_a,
            visit_data(enterprise, date=today + dt.timedelta(days=1), follow_up_on=None),
            campaign=open_campaign,
        )

    assert error_dict(caught) == {"date": ["日期不能晚于今天。"]}


def test_the_model_itself_refuses_a_date_outside_the_campaign_whatever_the_door(visit_a):
    visit_a.date = dt.date(2025, 7, 1)

    with pytest.raises(ValidationError) as caught:
        visit_a.full_clean()

    assert error_dict(caught) == {"date": ["日期须在活动期间（2025-04-25 至 2025-06-30）内。"]}


def test_a_saving_of_zero_needs_no_basis(office_a, campaign, enterprise):
    visit = save_visit(
        office_a, visit_data(enterprise, estimated_saving=Decimal(0), saving_basis=""), campaign=campaign
    )

    assert visit.pk is not None


def test_the_database_refuses_a_saving_without_basis_or_a_negative_amount(visit_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseVisit.objects.filter(pk=visit_a.pk).update(estimated_saving=Decimal(10), saving_basis="")
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseVisit.objects.filter(pk=visit_a.pk).update(fees_waived=Decimal(-1))


def test_a_partnership_visit_needs_a_lead_whose_pairing_holds_the_enterprise(office_a, campaign, enterprise):
    lead = EnterpriseFactory(size=Enterprise.Size.LARGE)
    PartnershipFactory(lead=lead, partners=[enterprise])
    outsider = EnterpriseFactory()
    partnership = EnterpriseVisit.Programme.PARTNERSHIP

    with pytest.raises(ValidationError) as no_lead:
        save_visit(office_a, visit_data(enterprise, programme=partnership), campaign=campaign)
    with pytest.raises(ValidationError) as not_a_partner:
        save_visit(
            office_a, visit_data(outsider, programme=partnership, partner_lead=lead), campaign=campaign
        )
    with pytest.raises(ValidationError) as lead_without_programme:
        save_visit(office_a, visit_data(enterprise, partner_lead=lead), campaign=campaign)
    for_partner = save_visit(
        office_a, visit_data(enterprise, programme=partnership, partner_lead=lead), campaign=campaign
    )
    for_lead = save_visit(
        office_a, visit_data(lead, programme=partnership, partner_lead=lead), campaign=campaign
    )

    assert error_dict(no_lead) == {"partner_lead": ["伙伴计划的服务须选择龙头企业。"]}
    assert error_dict(not_a_partner) == {"enterprise": [f"服务企业不是“{lead.name}”伙伴计划中的企业。"]}
    assert error_dict(lead_without_programme) == {"partner_lead": ["只有伙伴计划的服务才填写龙头企业。"]}
    assert {for_partner.enterprise, for_lead.enterprise} == {enterprise, lead}


def test_updating_a_visit_keeps_its_unit_and_campaign(office_a, visit_a, enterprise):
    updated = save_visit(office_a, visit_data(enterprise, trainees=30), visit=visit_a, submit=True)

    assert (updated.unit, updated.campaign, updated.trainees) == (visit_a.unit, visit_a.campaign, 30)
    assert updated.review_status == ReviewStatus.SUBMITTED


def test_an_approved_visit_cannot_be_updated(office_a, bureau_admin, visit_a, enterprise):
    review.record_submit(actor=office_a, record=visit_a)
    review.record_approve(actor=bureau_admin, record=visit_a)

    with pytest.raises(ValidationError, match="已审核通过"):
        save_visit(office_a, {"trainees": 99}, visit=visit_a)

    assert EnterpriseVisit.objects.get(pk=visit_a.pk).trainees == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("unit", "unit_b"),
        ("campaign", None),
        ("review_status", ReviewStatus.APPROVED),
        ("created_by", "office_b"),
        ("reviewed_by", "office_b"),
        ("return_reason", "自己写的"),
    ],
)
def test_a_visit_update_refuses_fields_outside_the_allow_list(request, office_a, visit_a, field, value):
    if isinstance(value, str) and value in ("unit_b", "office_b"):
        value = request.getfixturevalue(value)

    with pytest.raises(ValidationError) as caught:
        save_visit(office_a, {field: value, "trainees": 9}, visit=visit_a)

    assert field in error_dict(caught)
    stored = EnterpriseVisit.objects.get(pk=visit_a.pk)
    assert (stored.unit, stored.review_status, stored.trainees) == (office_a.unit, ReviewStatus.DRAFT, 0)


def test_another_unit_gets_404_and_leadership_403_on_visit_writes(office_b, leader, visit_a, enterprise):
    with pytest.raises(Http404):
        save_visit(office_b, {"staff": "被改了"}, visit=visit_a)
    with pytest.raises(Http404):
        review.record_submit(actor=office_b, record=visit_a)
    with pytest.raises(PermissionDenied):
        save_visit(leader, {"staff": "被改了"}, visit=visit_a)
    with pytest.raises(PermissionDenied):
        save_visit(leader, visit_data(enterprise))
    with pytest.raises(PermissionDenied):
        review.record_submit(actor=leader, record=visit_a)

    stored = EnterpriseVisit.objects.get(pk=visit_a.pk)
    assert (stored.staff, stored.review_status) == ("甲所张伟", ReviewStatus.DRAFT)
    assert EnterpriseVisit.objects.count() == 1


# --- problem tickets ---------------------------------------------------------------------------------


def test_a_problem_goes_through_every_step_recording_who_and_when(office_a, visit_a, testing_unit):
    problem = services.problem_raise(
        actor=office_a,
        visit=visit_a,
        category=MetrologyProblem.Category.INSTRUMENTS,
        description=" 电子秤超期 ",
    )
    problem = services.problem_assign(
        actor=office_a, problem=problem, assigned_unit=testing_unit, assignee_name="刘工"
    )
    problem = services.problem_solve(actor=office_a, problem=problem, solution="检测所上门检定")
    problem = services.problem_confirm(
        actor=office_a, problem=problem, confirmed_by_name="郑经理", note="满意"
    )

    stored = MetrologyProblem.objects.get(pk=problem.pk)
    assert stored.status == Status.CONFIRMED
    assert stored.description == "电子秤超期"
    assert (stored.raised_by, stored.assigned_by, stored.solved_by, stored.confirmation_recorded_by) == (
        office_a,
        office_a,
        office_a,
        office_a,
    )
    assert (stored.assigned_unit, stored.assignee_name, stored.confirmed_by_name) == (
        testing_unit,
        "刘工",
        "郑经理",
    )
    assert stored.raised_at <= stored.assigned_at <= stored.solved_at <= stored.confirmed_at
    assert [h.status for h in stored.history.order_by("history_id")] == [
        Status.RAISED,
        Status.ASSIGNED,
        Status.SOLVED,
        Status.CONFIRMED,
    ]


@pytest.mark.parametrize(
    ("start", "step", "current", "target"),
    [
        (Status.RAISED, "solve", "已提出", "已解决"),
        (Status.RAISED, "confirm", "已提出", "企业已确认"),
        (Status.ASSIGNED, "assign", "已指派", "已指派"),
        (Status.ASSIGNED, "confirm", "已指派", "企业已确认"),
        (Status.CONFIRMED, "assign", "企业已确认", "已指派"),
    ],
)
def test_steps_out_of_order_are_refused_and_nothing_changes(
    office_a, problem_a, testing_unit, start, step, current, target
):
    problem_a.status = start
    if start != Status.RAISED:
        problem_a.assigned_unit, problem_a.assigned_at = testing_unit, timezone.now()
    if start == Status.CONFIRMED:
        problem_a.solution, problem_a.solved_at = "已检定", timezone.now()
        problem_a.confirmed_by_name, problem_a.confirmed_at = "郑经理", timezone.now()
    problem_a.save()
    calls = {
        "assign": lambda: services.problem_assign(
            actor=office_a, problem=problem_a, assigned_unit=testing_unit
        ),
        "solve": lambda: services.problem_solve(actor=office_a, problem=problem_a, solution="已检定"),
        "confirm": lambda: services.problem_confirm(
            actor=office_a, problem=problem_a, confirmed_by_name="郑经理"
        ),
    }

    with pytest.raises(ValidationError) as caught:
        calls[step]()

    assert caught.value.messages == [
        f"问题当前为“{current}”，不能改为“{target}”（须依次：已提出 → 已指派 → 已解决 → 企业已确认）。"
    ]
    assert MetrologyProblem.objects.get(pk=problem_a.pk).status == start


def test_solving_needs_a_solution_and_confirming_needs_a_name(office_a, problem_a, testing_unit):
    services.problem_assign(actor=office_a, problem=problem_a, assigned_unit=testing_unit)

    with pytest.raises(ValidationError) as no_solution:
        services.problem_solve(actor=office_a, problem=problem_a, solution="   ")
    services.problem_solve(actor=office_a, problem=problem_a, solution="已检定")
    with pytest.raises(ValidationError) as no_name:
        services.problem_confirm(actor=office_a, problem=problem_a, confirmed_by_name="")

    assert error_dict(no_solution) == {"solution": ["标记为已解决须填写解决措施。"]}
    assert error_dict(no_name) == {"confirmed_by_name": ["请填写企业确认人。"]}
    assert MetrologyProblem.objects.get(pk=problem_a.pk).status == Status.SOLVED


def test_assigning_needs_a_unit(office_a, problem_a):
    with pytest.raises(ValidationError) as caught:
        services.problem_assign(actor=office_a, problem=problem_a, assigned_unit=None)

    assert error_dict(caught) == {"assigned_unit": ["请选择承办单位。"]}


@pytest.mark.parametrize(("actor", "refusal"), [("office_b", Http404), ("leader", PermissionDenied)])
def test_another_unit_gets_404_and_leadership_403_on_every_ticket_service(
    request, problem_a, testing_unit, actor, refusal
):
    user = request.getfixturevalue(actor)
    calls = [
        lambda: services.problem_raise(actor=user, visit=problem_a.visit, category="other", description="x"),
        lambda: services.problem_assign(actor=user, problem=problem_a, assigned_unit=testing_unit),
        lambda: services.problem_solve(actor=user, problem=problem_a, solution="x"),
        lambda: services.problem_confirm(actor=user, problem=problem_a, confirmed_by_name="x"),
        lambda: services.problem_update(actor=user, problem=problem_a, data={"description": "改了"}),
    ]

    for call in calls:
        with pytest.raises(refusal):
            call()

    stored = MetrologyProblem.objects.get()
    assert (stored.status, stored.description) == (Status.RAISED, "3 台电子计价秤超期未检")


def test_a_ticket_correction_is_allow_listed_and_kept_in_the_history(office_a, problem_a):
    with pytest.raises(ValidationError) as caught:
        services.problem_update(actor=office_a, problem=problem_a, data={"status": Status.CONFIRMED})
    services.problem_update(actor=office_a, problem=problem_a, data={"description": "4 台电子秤超期未检"})

    assert "status" in error_dict(caught)
    stored = MetrologyProblem.objects.get(pk=problem_a.pk)
    assert (stored.status, stored.description) == (Status.RAISED, "4 台电子秤超期未检")
    assert stored.history.latest().history_user == office_a


def test_the_bureau_admin_handles_any_units_problem(bureau_admin, problem_a, testing_unit):
    services.problem_assign(actor=bureau_admin, problem=problem_a, assigned_unit=testing_unit)

    assert MetrologyProblem.objects.get(pk=problem_a.pk).assigned_by == bureau_admin


def test_no_problem_is_raised_on_an_approved_visit_but_open_ones_still_move_on(
    office_a, bureau_admin, problem_a, testing_unit
):
    visit = problem_a.visit
    review.record_submit(actor=office_a, record=visit)
    review.record_approve(actor=bureau_admin, record=visit)

    with pytest.raises(ValidationError, match="已审核通过，不能再登记新问题"):
        services.problem_raise(actor=office_a, visit=visit, category="other", description="新问题")
    services.problem_assign(actor=office_a, problem=problem_a, assigned_unit=testing_unit)

    assert MetrologyProblem.objects.count() == 1
    assert MetrologyProblem.objects.get().status == Status.ASSIGNED


def test_a_problem_without_a_description_is_refused(office_a, visit_a):
    with pytest.raises(ValidationError) as caught:
        services.problem_raise(actor=office_a, visit=visit_a, category="other", description=" ")

    assert error_dict(caught) == {"description": ["请填写问题描述。"]}


def test_the_database_refuses_a_solved_problem_without_a_solution(problem_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        MetrologyProblem.objects.filter(pk=problem_a.pk).update(
            status=Status.SOLVED,
            assigned_unit=UnitFactory(),
            assigned_at=timezone.now(),
            solved_at=timezone.now(),
        )


# --- metrics ------------------------------------------------------------------------------------------


def official_figures(campaign) -> dict[str, int]:
    def actual(key: str) -> int:
        metric = metrics.get(key)
        assert metric is not None, key
        return metric.count(campaign)

    keys = ["visits", "enterprises_served", "problems_solved", "instruments_serviced"]
    figures = {key: actual(f"enterprises.{key}") for key in keys}
    totals = selectors.visit_totals(selectors.visits_in_period(campaign=campaign))
    figures.update({f"totals_{key}": totals[key] for key in ("count", "instruments", "solved", "pending")})
    return figures


def test_metrics_count_approved_visits_and_their_solved_tickets_only(
    office_a, bureau_admin, campaign, testing_unit
):
    draft = EnterpriseVisitFactory(unit=office_a.unit, created_by=office_a, instruments_serviced=7)
    reported = EnterpriseVisitFactory(unit=office_a.unit, created_by=office_a, instruments_serviced=4)
    review.record_submit(actor=office_a, record=reported)
    for visit, status in [(draft, Status.RAISED), (reported, Status.SOLVED), (reported, Status.CONFIRMED)]:
        problem = MetrologyProblemFactory(visit=visit)
        if status != Status.RAISED:
            problem = services.problem_assign(actor=office_a, problem=problem, assigned_unit=testing_unit)
            problem = services.problem_solve(actor=office_a, problem=problem, solution="已解决")
        if status == Status.CONFIRMED:
            services.problem_confirm(actor=office_a, problem=problem, confirmed_by_name="企业")
    nothing_yet = {
        "visits": 0,
        "enterprises_served": 0,
        "problems_solved": 0,
        "instruments_serviced": 0,
        "totals_count": 0,
        "totals_instruments": 0,
        "totals_solved": 0,
    }

    assert official_figures(campaign) == {**nothing_yet, "totals_pending": 1}

    review.record_return(actor=bureau_admin, record=reported, reason="补充依据")
    assert official_figures(campaign) == {**nothing_yet, "totals_pending": 0}

    review.record_submit(actor=office_a, record=reported)
    review.record_approve(actor=bureau_admin, record=reported)
    assert official_figures(campaign) == {
        "visits": 1,
        "enterprises_served": 1,
        "problems_solved": 2,
        "instruments_serviced": 4,
        "totals_count": 1,
        "totals_instruments": 4,
        "totals_solved": 2,
        "totals_pending": 0,
    }
