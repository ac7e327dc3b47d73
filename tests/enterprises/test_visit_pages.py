"""The office's visit pages: who sees and does what, bad input, photos, review and problem buttons."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises import services
from enterprises.models import EnterpriseVisit, MetrologyProblem
from evidence.models import Photo
from records import services as review
from records.models import ReviewLog, ReviewStatus
from tests.enterprises.factories import EnterpriseFactory, EnterpriseVisitFactory
from tests.evidence.images import jpeg, stored_files, upload

LIST = "/workbench/enterprises/visits/"
CREATE = "/workbench/enterprises/visits/new/"
Status = MetrologyProblem.Status


def detail_url(visit: EnterpriseVisit) -> str:
    return f"/workbench/enterprises/visits/{visit.pk}/"


def edit_url(visit: EnterpriseVisit) -> str:
    return f"/workbench/enterprises/visits/{visit.pk}/edit/"


def review_url(visit: EnterpriseVisit, action: str) -> str:
    return f"/workbench/enterprises/visits/{visit.pk}/{action}/"


def raise_url(visit: EnterpriseVisit) -> str:
    return f"/workbench/enterprises/visits/{visit.pk}/problems/"


def step_url(problem: MetrologyProblem, step: str) -> str:
    return f"/workbench/enterprises/problems/{problem.pk}/{step}/"


def form_data(enterprise, **overrides):
    return {
        "enterprise": enterprise.pk,
        "date": "2025-05-21",
        "visit_types": [EnterpriseVisit.VisitType.SURVEY, EnterpriseVisit.VisitType.ONSITE_GUIDANCE],
        "programme": EnterpriseVisit.Programme.SME_SERVICE,
        "partner_lead": "",
        "staff": "张伟、李娜",
        "technical_partner": "",
        "needs_identified": "电子秤临近检定周期",
        "summary": "",
        "instruments_serviced": "5",
        "fees_waived": "150.00",
        "estimated_saving": "600",
        "saving_basis": "免费检定 5 台电子秤，按收费标准估算",
        "standards_guided": "1",
        "trainees": "0",
        "follow_up_on": "",
        "action": "save",
        **overrides,
    }


def listed(response) -> list[EnterpriseVisit]:
    return list(response.context["paginator"].object_list)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def fresh(record):
    return type(record).objects.get(pk=record.pk)


@pytest.fixture
def counts():
    def _counts() -> tuple[int, int, int]:
        return EnterpriseVisit.objects.count(), MetrologyProblem.objects.count(), Photo.objects.count()

    return _counts


def test_reverse_names_match_the_paths_the_tests_use(visit_a, problem_a):
    assert reverse("enterprises:visit_list") == LIST
    assert reverse("enterprises:visit_create") == CREATE
    assert reverse("enterprises:visit_detail", args=[visit_a.pk]) == detail_url(visit_a)
    assert reverse("enterprises:visit_edit", args=[visit_a.pk]) == edit_url(visit_a)
    assert reverse("enterprises:visit_review", args=[visit_a.pk, "submit"]) == review_url(visit_a, "submit")
    assert reverse("enterprises:problem_raise", args=[visit_a.pk]) == raise_url(visit_a)
    assert reverse("enterprises:problem_transition", args=[problem_a.pk, "solve"]) == step_url(
        problem_a, "solve"
    )


# --- the list ----------------------------------------------------------------------------------------


def test_office_lists_only_its_own_units_visits(client, office_a, visit_a, visit_b, problem_a):
    client.force_login(office_a)

    response = client.get(LIST)

    assert response.status_code == 200
    assert listed(response) == [visit_a]
    html = response.content.decode()
    assert "巫山县三峡红脆李食品有限公司" in html
    assert "巫山县鑫源机械制造有限公司" not in html
    assert f'href="{CREATE}"' in html
    # visit_a is a draft: listed, but no official figure counts it until it is approved.
    assert response.context["totals"]["count"] == 0
    assert response.context["totals"]["problems"] == 0
    assert "unit" not in response.context["filter_form"].fields


def test_the_lists_figures_count_approved_visits_and_show_the_pending_beside(
    client, office_a, bureau_admin, visit_a, problem_a
):
    client.force_login(office_a)
    review.record_submit(actor=office_a, record=visit_a)

    submitted = client.get(LIST)
    review.record_return(actor=bureau_admin, record=visit_a, reason="补充依据")
    returned = client.get(LIST)
    review.record_submit(actor=office_a, record=visit_a)
    review.record_approve(actor=bureau_admin, record=visit_a)
    approved = client.get(LIST)

    assert (submitted.context["totals"]["count"], submitted.context["totals"]["pending"]) == (0, 1)
    assert "待审核 1" in submitted.content.decode()
    assert submitted.context["totals"]["instruments"] == 0
    assert (returned.context["totals"]["count"], returned.context["totals"]["pending"]) == (0, 0)
    assert 'data-testid="visits-pending"' not in returned.content.decode()
    totals = approved.context["totals"]
    assert (totals["count"], totals["pending"], totals["instruments"], totals["problems"]) == (1, 0, 3, 1)
    assert "已审核通过 1 次服务" in approved.content.decode()


@pytest.mark.parametrize("actor", ["leader", "bureau_admin"])
def test_leadership_and_the_bureau_admin_list_every_units_visits(client, request, visit_a, visit_b, actor):
    client.force_login(request.getfixturevalue(actor))

    response = client.get(LIST)

    assert set(listed(response)) == {visit_a, visit_b}
    assert response.context["can_add"] is (actor == "bureau_admin")
    assert listed(client.get(LIST, {"unit": visit_b.unit.pk})) == [visit_b]


def test_the_list_filters_by_type_status_enterprise_and_search(client, office_a, visit_a, enterprise):
    training = EnterpriseVisitFactory(
        unit=office_a.unit,
        created_by=office_a,
        visit_types=[EnterpriseVisit.VisitType.TRAINING, EnterpriseVisit.VisitType.FORUM],
        enterprise=EnterpriseFactory(name="巫山县福田建材有限公司"),
        date=dt.date(2025, 6, 10),
    )
    review.record_submit(actor=office_a, record=training)
    client.force_login(office_a)

    assert listed(client.get(LIST, {"visit_type": "training"})) == [training]
    assert listed(client.get(LIST, {"visit_type": "survey"})) == [visit_a]
    assert listed(client.get(LIST, {"review_status": "submitted"})) == [training]
    assert listed(client.get(LIST, {"enterprise": enterprise.pk})) == [visit_a]
    assert listed(client.get(LIST, {"q": "福田"})) == [training]
    assert listed(client.get(LIST, {"date_from": "2025-06-01"})) == [training]
    assert listed(client.get(LIST, {"date_to": "2025-05-31"})) == [visit_a]


def test_invalid_filters_are_shown_and_ignored(client, office_a, visit_a):
    client.force_login(office_a)

    response = client.get(LIST, {"visit_type": "party", "date_from": "昨天"})

    assert listed(response) == [visit_a]
    assert set(response.context["filter_form"].errors) == {"visit_type", "date_from"}


def test_the_enterprise_filter_rides_along_hidden_with_the_other_filters(
    client, office_a, visit_a, enterprise
):
    client.force_login(office_a)

    html = client.get(LIST, {"enterprise": enterprise.pk}).content.decode()

    assert f'<input type="hidden" name="enterprise" value="{enterprise.pk}"' in html
    assert "只看" in html


def test_an_office_cannot_filter_by_unit(client, office_a, visit_a, visit_b):
    client.force_login(office_a)

    assert listed(client.get(LIST, {"unit": visit_b.unit.pk})) == [visit_a]


# --- the detail page ---------------------------------------------------------------------------------


def test_office_reads_its_visit_with_edit_submit_and_problem_buttons(client, office_a, visit_a, problem_a):
    client.force_login(office_a)

    response = client.get(detail_url(visit_a))

    assert response.status_code == 200
    html = response.content.decode()
    assert "甲所张伟" in html
    assert f'href="{edit_url(visit_a)}"' in html
    assert 'data-testid="submit-record"' in html
    assert 'data-testid="raise-problem"' in html
    assert f'action="{step_url(problem_a, "assign")}"' in html
    assert 'data-testid="approve-record"' not in html


@pytest.mark.parametrize(
    "method", ["get_detail", "get_edit", "post_edit", "submit", "approve", "return", "raise", "assign"]
)
def test_another_units_office_gets_404_everywhere(client, office_b, visit_a, problem_a, testing_unit, method):
    client.force_login(office_b)

    if method == "get_detail":
        response = client.get(detail_url(visit_a))
    elif method == "get_edit":
        response = client.get(edit_url(visit_a))
    elif method == "post_edit":
        response = client.post(edit_url(visit_a), form_data(visit_a.enterprise, staff="被改了"))
    elif method == "raise":
        response = client.post(raise_url(visit_a), {"category": "other", "description": "乱写"})
    elif method == "assign":
        response = client.post(step_url(problem_a, "assign"), {"assigned_unit": testing_unit.pk})
    else:
        response = client.post(review_url(visit_a, method), {"reason": "x"})

    assert response.status_code == 404
    stored = fresh(visit_a)
    assert (stored.staff, stored.review_status) == ("甲所张伟", ReviewStatus.DRAFT)
    assert list(MetrologyProblem.objects.values_list("status", flat=True)) == [Status.RAISED]


def test_leader_reads_any_visit_without_buttons(client, leader, visit_a, problem_a):
    client.force_login(leader)

    response = client.get(detail_url(visit_a))

    assert response.status_code == 200
    html = response.content.decode()
    for marker in ('data-testid="submit-record"', 'data-testid="raise-problem"', "assign-problem"):
        assert marker not in html


@pytest.mark.parametrize("action", ["create", "edit", "submit", "raise", "assign"])
def test_leader_gets_403_on_every_write(client, leader, visit_a, problem_a, testing_unit, counts, action):
    client.force_login(leader)
    before = counts()

    if action == "create":
        response = client.post(CREATE, form_data(visit_a.enterprise))
    elif action == "edit":
        response = client.post(edit_url(visit_a), form_data(visit_a.enterprise, staff="被改了"))
    elif action == "submit":
        response = client.post(review_url(visit_a, "submit"))
    elif action == "raise":
        response = client.post(raise_url(visit_a), {"category": "other", "description": "领导登记"})
    else:
        response = client.post(step_url(problem_a, "assign"), {"assigned_unit": testing_unit.pk})

    assert response.status_code == 403
    assert counts() == before
    assert (fresh(visit_a).staff, fresh(visit_a).review_status) == ("甲所张伟", ReviewStatus.DRAFT)
    assert fresh(problem_a).status == Status.RAISED


def test_bureau_admin_approves_a_submitted_visit(client, office_a, bureau_admin, visit_a):
    review.record_submit(actor=office_a, record=visit_a)
    client.force_login(bureau_admin)

    response = client.post(review_url(visit_a, "approve"), follow=True)

    assert "已审核通过，记录已锁定。" in messages_of(response)
    assert fresh(visit_a).review_status == ReviewStatus.APPROVED
    assert 'data-testid="raise-problem"' not in response.content.decode()


def test_an_approved_visit_cannot_be_edited(client, office_a, bureau_admin, visit_a):
    review.record_submit(actor=office_a, record=visit_a)
    review.record_approve(actor=bureau_admin, record=visit_a)
    client.force_login(office_a)

    response = client.get(edit_url(visit_a), follow=True)

    assert "该记录已审核通过，不能再修改。" in messages_of(response)


# --- creating and editing ----------------------------------------------------------------------------


def test_office_logs_a_visit_with_a_photo_and_submits_it(client, office_a, campaign, enterprise, media_root):
    client.force_login(office_a)

    response = client.post(
        CREATE,
        form_data(enterprise, action="submit", photos=[upload("问需清单.jpg", jpeg())]),
        follow=True,
    )

    visit = EnterpriseVisit.objects.get()
    assert response.redirect_chain == [(detail_url(visit), 302)]
    assert "服务记录已保存并提交县局审核。" in messages_of(response)
    assert (visit.unit, visit.campaign, visit.created_by) == (office_a.unit, campaign, office_a)
    assert visit.visit_types == ["survey", "onsite_guidance"]
    assert (visit.fees_waived, visit.estimated_saving) == (Decimal("150.00"), Decimal("600.00"))
    assert visit.review_status == ReviewStatus.SUBMITTED
    assert ReviewLog.objects.get().actor == office_a
    assert Photo.objects.get().record == visit
    assert len(stored_files(media_root)) == 2


def test_the_create_form_starts_with_the_enterprise_from_its_page(client, office_a, enterprise):
    client.force_login(office_a)

    response = client.get(CREATE, {"enterprise": enterprise.pk})

    assert response.context["form"].initial["enterprise"] == str(enterprise.pk)


def test_a_unit_or_campaign_in_the_post_is_ignored(client, office_a, campaign, enterprise, unit_b):
    client.force_login(office_a)

    client.post(CREATE, form_data(enterprise, unit=unit_b.pk, campaign=999, review_status="approved"))

    visit = EnterpriseVisit.objects.get()
    assert (visit.unit, visit.campaign, visit.review_status) == (office_a.unit, campaign, ReviewStatus.DRAFT)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"fees_waived": "-1"}, "fees_waived", "金额不能为负数。"),
        ({"estimated_saving": "-5"}, "estimated_saving", "金额不能为负数。"),
        ({"instruments_serviced": "-1"}, "instruments_serviced", "确保该值大于或等于0。"),
        ({"trainees": "-3"}, "trainees", "确保该值大于或等于0。"),
        ({"saving_basis": ""}, "saving_basis", "填写了节约成本，须说明测算依据。"),
        ({"visit_types": []}, "visit_types", "请至少选择一种服务方式。"),
        ({"date": "2025-07-01"}, "date", "日期须在活动期间（2025-04-25 至 2025-06-30）内。"),
        ({"date": "2025-04-01"}, "date", "日期须在活动期间（2025-04-25 至 2025-06-30）内。"),
        ({"follow_up_on": "2025-05-01"}, "follow_up_on", "回访日期不能早于服务日期。"),
        ({"programme": "partnership"}, "partner_lead", "伙伴计划的服务须选择龙头企业。"),
        ({"fees_waived": "很多"}, "fees_waived", "输入一个数字。"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_saved(
    client, office_a, campaign, enterprise, counts, media_root, overrides, field, message
):
    client.force_login(office_a)

    response = client.post(CREATE, form_data(enterprise, photos=[upload("a.jpg", jpeg())], **overrides))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert counts() == (0, 0, 0)
    assert stored_files(media_root) == []


def test_a_bad_photo_is_refused_and_nothing_is_saved(
    client, office_a, campaign, enterprise, counts, media_root
):
    client.force_login(office_a)

    response = client.post(CREATE, form_data(enterprise, photos=[upload("说明.jpg", b"not an image")]))

    assert response.context["form"].errors["photos"] == ["照片“说明.jpg”不是可识别的图片文件。"]
    assert counts() == (0, 0, 0)


def test_office_edits_its_returned_visit_and_resubmits(client, office_a, bureau_admin, visit_a):
    review.record_submit(actor=office_a, record=visit_a)
    review.record_return(actor=bureau_admin, record=visit_a, reason="请补充测算依据")
    client.force_login(office_a)
    assert "请补充测算依据" in client.get(edit_url(visit_a)).content.decode()

    response = client.post(edit_url(visit_a), form_data(visit_a.enterprise, trainees="25", action="submit"))

    assert response.status_code == 302
    stored = fresh(visit_a)
    assert (stored.trainees, stored.review_status, stored.unit) == (25, ReviewStatus.SUBMITTED, office_a.unit)


def test_a_double_submit_of_the_same_form_makes_one_visit(client, office_a, campaign, enterprise):
    client.force_login(office_a)
    key = client.get(CREATE).context["submission_key"]
    data = form_data(enterprise, action="submit", submission_key=key)

    first = client.post(CREATE, data)
    second = client.post(CREATE, data, follow=True)

    visit = EnterpriseVisit.objects.get()
    assert first["Location"] == detail_url(visit)
    assert second.redirect_chain == [(detail_url(visit), 302)]
    assert "该表单已提交过，未重复保存。" in messages_of(second)
    assert visit.review_status == ReviewStatus.SUBMITTED
    assert ReviewLog.objects.count() == 1


def test_the_form_carries_its_double_submit_key(client, office_a, visit_a):
    client.force_login(office_a)

    for url in (CREATE, edit_url(visit_a)):
        html = client.get(url).content.decode()
        assert 'name="submission_key"' in html


def test_a_new_form_render_gets_a_new_key_so_two_real_visits_are_two(client, office_a, campaign, enterprise):
    client.force_login(office_a)

    for _ in range(2):
        key = client.get(CREATE).context["submission_key"]
        client.post(CREATE, form_data(enterprise, submission_key=key))

    assert EnterpriseVisit.objects.count() == 2


# --- problem tickets on the visit page ---------------------------------------------------------------


def test_an_office_moves_a_problem_through_every_step_on_the_visit_page(
    client, office_a, visit_a, testing_unit
):
    client.force_login(office_a)

    raised = client.post(raise_url(visit_a), {"category": "instruments", "description": "3 台电子秤超期未检"})
    problem = MetrologyProblem.objects.get()
    assigned = client.post(
        step_url(problem, "assign"), {"assigned_unit": testing_unit.pk, "assignee_name": "刘工"}
    )
    solved = client.post(step_url(problem, "solve"), {"solution": "检测所上门检定"})
    confirmed = client.post(step_url(problem, "confirm"), {"confirmed_by_name": "郑经理"}, follow=True)

    for response in (raised, assigned, solved):
        assert response.status_code == 302
        assert response["Location"] == f"{detail_url(visit_a)}#problem-{problem.pk}"
    assert "已登记企业确认。" in messages_of(confirmed)
    stored = fresh(problem)
    assert (stored.status, stored.assigned_unit, stored.solution) == (
        Status.CONFIRMED,
        testing_unit,
        "检测所上门检定",
    )
    html = confirmed.content.decode()
    assert "已解决 1/1" in html
    assert "郑经理" in html


def test_a_step_out_of_order_on_the_page_shows_why_and_changes_nothing(client, office_a, problem_a):
    client.force_login(office_a)

    response = client.post(step_url(problem_a, "solve"), {"solution": "已检定"}, follow=True)

    assert messages_of(response) == [
        "问题当前为“已提出”，不能改为“已解决”（须依次：已提出 → 已指派 → 已解决 → 企业已确认）。"
    ]
    assert fresh(problem_a).status == Status.RAISED


def test_solving_without_a_solution_shows_why(client, office_a, problem_a, testing_unit):
    services.problem_assign(actor=office_a, problem=problem_a, assigned_unit=testing_unit)
    client.force_login(office_a)

    response = client.post(step_url(problem_a, "solve"), {"solution": ""}, follow=True)

    assert messages_of(response) == ["标记为已解决须填写解决措施。"]
    assert fresh(problem_a).status == Status.ASSIGNED


def test_an_unknown_step_is_refused(client, office_a, problem_a):
    client.force_login(office_a)

    assert client.post(step_url(problem_a, "reopen")).status_code == 403
    assert client.get(step_url(problem_a, "solve")).status_code == 405


def test_each_open_ticket_gets_its_own_form_with_ids_unique_on_the_page(
    client, office_a, visit_a, testing_unit
):
    first = services.problem_raise(actor=office_a, visit=visit_a, category="other", description="问题一")
    second = services.problem_raise(actor=office_a, visit=visit_a, category="other", description="问题二")
    third = services.problem_raise(actor=office_a, visit=visit_a, category="other", description="问题三")
    services.problem_assign(actor=office_a, problem=third, assigned_unit=testing_unit)
    client.force_login(office_a)

    html = client.get(detail_url(visit_a)).content.decode()

    assert f'id="problem{first.pk}_assigned_unit"' in html
    assert f'id="problem{second.pk}_assigned_unit"' in html
    assert f'id="problem{third.pk}_solution"' in html
    assert html.count('id="id_assigned_unit"') == 0


def test_visits_dates_are_checked_against_today_too(client, office_a, enterprise):
    from tests.factories import CampaignFactory

    today = timezone.localdate()
    CampaignFactory(year=today.year + 1, start_date=today - dt.timedelta(days=3), end_date=None)
    client.force_login(office_a)

    response = client.post(CREATE, form_data(enterprise, date=(today + dt.timedelta(days=1)).isoformat()))

    assert response.context["form"].errors["date"] == ["日期不能晚于今天。"]
    assert not EnterpriseVisit.objects.exists()
