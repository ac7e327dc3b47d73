"""inspections.services: recording with instruments, the rules on bad input (nothing saved), and the
follow-up task that rectification gives the inspecting unit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from campaigns import reminders
from campaigns.models import Task, TaskAssignment
from campaigns.selectors import assignment_list_for_user
from inspections import services
from inspections.models import Domain, FollowUpStatus, InspectedInstrument, InspectionRecord, ProblemType
from inspections.verification import Result, VerificationStatus
from records import services as review
from tests.inspections.factories import EnterpriseFactory, instrument_type

DAY = dt.date(2025, 5, 20)


def scales_data(party, **overrides):
    return {
        "domain": Domain.SCALES,
        "inspected_party": party,
        "date": DAY,
        "inspectors": "张三、李四",
        "staff_turnout": 2,
        "instruments_checked": 12,
        "mandatory_count": 12,
        "unverified_count": 1,
        "overdue_count": 2,
        "failed_count": 0,
        "fair_scale_present": True,
        "instruments_registered": False,
        "problems_found": 3,
        "problem_types": [ProblemType.UNVERIFIED, ProblemType.OVERDUE, ProblemType.NOT_REGISTERED],
        **overrides,
    }


def fuel_data(party, **overrides):
    return {
        "domain": Domain.FUEL,
        "inspected_party": party,
        "date": DAY,
        "inspectors": "王五、赵六",
        "staff_turnout": 3,
        "dispensers": 2,
        "nozzles": 4,
        **overrides,
    }


def nozzle(number, **overrides):
    return {
        "instrument_type": instrument_type("fuel_nozzle"),
        "serial_no": f"{(number + 1) // 2}号机{2 - number % 2}枪",
        "certificate_no": f"JD-2025-{number:03d}",
        "verified_on": dt.date(2024, 11, 1),
        "valid_until": None,
        "verifying_body": "巫山检测所",
        "result": Result.PASSED,
        "mark_present": True,
        "seal_intact": True,
        "service_life_end": None,
        **overrides,
    }


def create(office, campaign, data, instruments=(), **kwargs):
    return services.inspection_save(
        actor=office, campaign=campaign, data=data, instruments=list(instruments), **kwargs
    )


def update(office, record, data, instruments=(), **kwargs):
    return services.inspection_save(
        actor=office, record=record, data=data, instruments=list(instruments), **kwargs
    )


def nothing_saved():
    return (InspectionRecord.objects.count(), InspectedInstrument.objects.count(), Task.objects.count()) == (
        0,
        0,
        0,
    )


# --- recording ------------------------------------------------------------------------------------


def test_an_office_records_an_inspection_with_entered_counts_for_its_own_unit(office_a, campaign):
    record = create(office_a, campaign, scales_data(EnterpriseFactory()))

    assert (record.unit, record.campaign, record.created_by) == (office_a.unit, campaign, office_a)
    assert record.follow_up_status == FollowUpStatus.CHECKED
    figures = record.figures
    assert (figures.instruments, figures.unverified, figures.overdue, figures.passing) == (12, 1, 2, 9)
    assert (figures.inspected_rate, figures.pass_rate) == (Decimal("75.0"), Decimal("75.0"))


def test_listed_nozzles_give_the_counts_and_valid_until_comes_from_the_period(
    office_a, campaign, gas_station
):
    rows = [nozzle(1), nozzle(2, seal_intact=False), nozzle(3, verified_on=dt.date(2024, 4, 1)), nozzle(4)]
    data = fuel_data(
        gas_station,
        unverified_count=3,
        broken_seal_count=2,
        problems_found=2,
        problem_types=[ProblemType.SEAL, ProblemType.OVERDUE],
    )

    record = create(office_a, campaign, data, rows)

    instruments = list(record.instruments.order_by("pk"))
    assert [i.valid_until for i in instruments] == [
        dt.date(2025, 10, 31),
        dt.date(2025, 10, 31),
        dt.date(2025, 3, 31),
        dt.date(2025, 10, 31),
    ]
    assert instruments[2].verification_status == VerificationStatus.OVERDUE
    record = InspectionRecord.objects.get(pk=record.pk)
    # The entered counts give way to the list: no stale figure is kept beside it.
    assert (record.unverified_count, record.broken_seal_count, record.instruments_checked) == (0, 0, 0)
    figures = record.figures
    assert (figures.instruments, figures.mandatory, figures.overdue, figures.broken_seals) == (4, 4, 1, 1)
    assert (record.dispensers, record.nozzles) == (2, 4)


def test_fields_of_other_domains_are_cleared_rather_than_kept(office_a, campaign):
    record = create(
        office_a, campaign, scales_data(EnterpriseFactory(), dispensers=3, nozzles=6, ledger_present=True)
    )

    assert (record.dispensers, record.nozzles, record.ledger_present) == (0, 0, None)


def test_a_stall_may_name_the_market_it_belongs_to(office_a, campaign, stall, market):
    record = create(office_a, campaign, scales_data(stall, market=market))

    assert record.market == market


def test_submit_sends_the_record_for_review(office_a, campaign):
    record = create(office_a, campaign, scales_data(EnterpriseFactory()), submit=True)

    assert record.review_status == "submitted"


# --- bad input: a clear message, nothing saved ---------------------------------------------------------


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_more_problems_than_instruments_is_refused(office_a, campaign):
    with pytest.raises(ValidationError) as excinfo:
        create(office_a, campaign, scales_data(EnterpriseFactory(), problems_found=13))

    assert errors_of(excinfo)["problems_found"] == ["发现问题（13 个）不能多于检查器具数（12 台件）。"]
    assert nothing_saved()


def test_more_problems_than_listed_instruments_is_refused_too(office_a, campaign, gas_station):
    with pytest.raises(ValidationError) as excinfo:
        create(
            office_a,
            campaign,
            fuel_data(gas_station, nozzles=2, problems_found=3, problem_types=[ProblemType.SEAL]),
            [nozzle(1), nozzle(2)],
        )

    assert errors_of(excinfo)["problems_found"] == ["发现问题（3 个）不能多于检查器具数（2 台件）。"]
    assert nothing_saved()


@pytest.mark.parametrize("field", ["fine_amount", "confiscated_income"])
def test_a_negative_amount_is_refused(office_a, campaign, field):
    with pytest.raises(ValidationError) as excinfo:
        create(office_a, campaign, scales_data(EnterpriseFactory(), **{field: Decimal("-0.01")}))

    assert "金额不能为负数。" in errors_of(excinfo)[field]
    assert nothing_saved()


def test_nozzles_without_dispensers_are_refused(office_a, campaign, gas_station):
    with pytest.raises(ValidationError) as excinfo:
        create(office_a, campaign, fuel_data(gas_station, dispensers=0, nozzles=4))

    errors = errors_of(excinfo)
    assert errors["nozzles"] == ["填写了加油枪，须同时填写加油机台数。"]
    assert errors["dispensers"] == ["加油站检查须填写检查的加油机台数。"]
    assert nothing_saved()


def test_fewer_nozzles_than_dispensers_are_refused(office_a, campaign, gas_station):
    with pytest.raises(ValidationError) as excinfo:
        create(office_a, campaign, fuel_data(gas_station, dispensers=3, nozzles=2))

    assert errors_of(excinfo)["nozzles"] == ["加油枪把数不能少于加油机台数（每台加油机至少一把枪）。"]


def test_listed_nozzles_must_match_the_nozzle_count(office_a, campaign, gas_station):
    with pytest.raises(ValidationError) as excinfo:
        create(office_a, campaign, fuel_data(gas_station, nozzles=4), [nozzle(1), nozzle(2), nozzle(3)])

    assert errors_of(excinfo)["nozzles"] == ["逐把登记的加油枪有 3 把，与填写的加油枪数（4 把）不一致。"]
    assert nothing_saved()


def test_a_closed_case_without_a_case_number_is_refused(office_a, campaign):
    with pytest.raises(ValidationError) as excinfo:
        create(office_a, campaign, scales_data(EnterpriseFactory(), case_closed_on=dt.date(2025, 6, 1)))

    assert errors_of(excinfo)["case_no"] == ["结案的案件须填写立案号。"]
    assert nothing_saved()


def test_rectified_before_ordered_is_refused(office_a, campaign, workstream):
    data = scales_data(
        EnterpriseFactory(),
        rectification_notice_no="巫市监责改〔2025〕1号",
        rectification_ordered_on=dt.date(2025, 5, 21),
        rectification_deadline=dt.date(2025, 6, 5),
        rectified_on=dt.date(2025, 5, 20),
    )
    with pytest.raises(ValidationError) as excinfo:
        create(office_a, campaign, data)

    assert errors_of(excinfo)["rectified_on"] == ["整改完成日期不能早于责令整改日期。"]
    assert nothing_saved()


@pytest.mark.parametrize("day", [dt.date(2025, 4, 24), dt.date(2025, 7, 1)])
def test_a_date_outside_the_campaign_is_refused(office_a, campaign, day):
    with pytest.raises(ValidationError) as excinfo:
        create(office_a, campaign, scales_data(EnterpriseFactory(), date=day))

    # The record-date rule of every record type (records.models), from the model's clean().
    assert errors_of(excinfo)["date"] == ["日期须在活动期间（2025-04-25 至 2025-06-30）内。"]
    assert nothing_saved()


def test_an_instrument_of_another_domain_is_refused(office_a, campaign, gas_station):
    scale = nozzle(1, instrument_type=instrument_type("price_scale"))
    with pytest.raises(ValidationError) as excinfo:
        create(office_a, campaign, fuel_data(gas_station, nozzles=2), [scale, nozzle(2)])

    assert "器具类型“电子计价秤”不属于本次检查的领域。" in errors_of(excinfo)["__all__"]
    assert nothing_saved()


def test_a_bad_instrument_row_is_named_by_its_number(office_a, campaign, gas_station):
    bad = nozzle(2, verified_on=dt.date(2025, 5, 1), valid_until=dt.date(2025, 4, 1))
    with pytest.raises(ValidationError) as excinfo:
        create(office_a, campaign, fuel_data(gas_station, nozzles=2), [nozzle(1), bad])

    assert "第 2 台器具：有效期不能早于检定日期。" in errors_of(excinfo)["__all__"]
    assert nothing_saved()


def test_counts_that_do_not_add_up_are_refused(office_a, campaign):
    with pytest.raises(ValidationError) as excinfo:
        create(office_a, campaign, scales_data(EnterpriseFactory(), mandatory_count=2))

    assert errors_of(excinfo)["mandatory_count"] == [
        "未检定、超期未检、检定不合格、到期未轮换合计（3）不能多于强检器具数。"
    ]


def test_a_market_must_be_a_market_operator(office_a, campaign, stall):
    with pytest.raises(ValidationError) as excinfo:
        create(office_a, campaign, scales_data(stall, market=EnterpriseFactory(name="某超市")))

    assert errors_of(excinfo)["market"] == ["所在市场须是主体类型为“市场主办者”的单位。"]


def test_scales_need_the_fair_scale_question_answered(office_a, campaign):
    with pytest.raises(ValidationError) as excinfo:
        create(office_a, campaign, scales_data(EnterpriseFactory(), fair_scale_present=None))

    assert errors_of(excinfo)["fair_scale_present"] == ["请填写是否设置公平秤。"]


def test_leadership_cannot_record(campaign, leader):
    with pytest.raises(PermissionDenied):
        create(leader, campaign, scales_data(EnterpriseFactory()))
    assert nothing_saved()


def test_an_account_without_a_unit_cannot_record(campaign, office_a):
    office_a.unit = None
    with pytest.raises(PermissionDenied, match="未关联单位"):
        create(office_a, campaign, scales_data(EnterpriseFactory()))
    assert nothing_saved()


# --- follow-up ------------------------------------------------------------------------------------


ORDER = {
    "rectification_notice_no": "巫市监责改〔2025〕12号",
    "rectification_deadline": dt.date(2025, 6, 5),
}


def test_ordering_rectification_gives_the_unit_a_follow_up_task_due_on_the_deadline(
    office_a, campaign, workstream
):
    party = EnterpriseFactory(name="巫山县鲜果超市")
    record = create(office_a, campaign, scales_data(party, **ORDER))

    assert record.follow_up_status == FollowUpStatus.RECTIFYING
    assert record.rectification_ordered_on == DAY
    task = record.follow_up_task
    assert task.workstream == workstream
    assert (task.notice_ref, task.due_date, task.campaign) == ("二（三）", dt.date(2025, 6, 5), campaign)
    assert task.title == "整改复查：巫山县鲜果超市（巫市监责改〔2025〕12号）"
    assignment = TaskAssignment.objects.get(task=task)
    assert (assignment.unit, assignment.status) == (office_a.unit, TaskAssignment.Status.PENDING)


def test_the_follow_up_task_is_on_the_units_workbench_and_in_its_daily_reminder(
    office_a, office_b, campaign, workstream
):
    record = create(office_a, campaign, scales_data(EnterpriseFactory(), **ORDER))

    mine = assignment_list_for_user(user=office_a, campaign=campaign, today=dt.date(2025, 6, 3))
    theirs = assignment_list_for_user(user=office_b, campaign=campaign, today=dt.date(2025, 6, 3))
    assert [a.task for a in mine] == [record.follow_up_task]
    assert list(theirs) == []
    digests, _escalate = reminders.collect(dt.date(2025, 6, 3))
    lines = digests[office_a.unit_id].due_soon
    assert any(record.follow_up_task.title in line for line in lines)


def test_recording_rectification_completes_the_follow_up_task(office_a, campaign, workstream):
    record = create(office_a, campaign, scales_data(EnterpriseFactory(), **ORDER))

    record = services.inspection_record_rectified(
        actor=office_a, inspection=record, rectified_on=dt.date(2025, 6, 2)
    )

    assert record.follow_up_status == FollowUpStatus.RECTIFIED
    assignment = TaskAssignment.objects.get(task=record.follow_up_task)
    assert assignment.status == TaskAssignment.Status.DONE
    assert assignment.note == "已于 2025-06-02 整改完成。"
    assert assignment.acknowledged_by == office_a


def test_filing_a_case_instead_completes_the_follow_up_with_the_case(office_a, campaign, workstream):
    record = create(office_a, campaign, scales_data(EnterpriseFactory(), **ORDER))

    record = services.inspection_file_case(actor=office_a, inspection=record, case_no="巫市监立〔2025〕8号")

    assert record.follow_up_status == FollowUpStatus.CASE_FILED
    assert record.case_filed_on == DAY
    assignment = TaskAssignment.objects.get(task=record.follow_up_task)
    assert (assignment.status, assignment.note) == (
        TaskAssignment.Status.DONE,
        "未整改到位，已立案查处（巫市监立〔2025〕8号）。",
    )

    record = services.inspection_close_case(actor=office_a, inspection=record, closed_on=dt.date(2025, 6, 20))
    assert record.follow_up_status == FollowUpStatus.CASE_CLOSED


def test_the_order_service_creates_the_task_and_refuses_a_second_order(office_a, campaign, workstream):
    record = create(office_a, campaign, scales_data(EnterpriseFactory()))

    record = services.inspection_order_rectification(
        actor=office_a, inspection=record, notice_no=" 巫市监责改〔2025〕3号 ", deadline=dt.date(2025, 6, 1)
    )
    assert record.follow_up_status == FollowUpStatus.RECTIFYING
    assert record.rectification_notice_no == "巫市监责改〔2025〕3号"
    assert Task.objects.filter(pk=record.follow_up_task_id, due_date=dt.date(2025, 6, 1)).exists()

    with pytest.raises(ValidationError, match="不能重复下达"):
        services.inspection_order_rectification(
            actor=office_a, inspection=record, notice_no="巫市监责改〔2025〕4号", deadline=dt.date(2025, 6, 1)
        )
    assert Task.objects.count() == 1


def test_a_deadline_before_the_order_is_refused_and_no_task_is_made(office_a, campaign, workstream):
    record = create(office_a, campaign, scales_data(EnterpriseFactory()))

    with pytest.raises(ValidationError) as excinfo:
        services.inspection_order_rectification(
            actor=office_a,
            inspection=record,
            notice_no="巫市监责改〔2025〕5号",
            deadline=dt.date(2025, 5, 19),
        )

    assert errors_of(excinfo)["rectification_deadline"] == ["整改期限不能早于责令整改日期。"]
    assert Task.objects.count() == 0
    assert InspectionRecord.objects.get(pk=record.pk).follow_up_status == FollowUpStatus.CHECKED


def test_closing_a_case_that_was_never_filed_is_refused(office_a, campaign):
    record = create(office_a, campaign, scales_data(EnterpriseFactory()))

    with pytest.raises(ValidationError, match="尚未立案"):
        services.inspection_close_case(actor=office_a, inspection=record, closed_on=dt.date(2025, 6, 1))


def test_moving_the_deadline_in_an_edit_moves_the_task(office_a, campaign, workstream):
    record = create(office_a, campaign, scales_data(EnterpriseFactory(), **ORDER))
    data = scales_data(record.inspected_party, **ORDER)
    data["rectification_deadline"] = dt.date(2025, 6, 12)

    record = update(office_a, record, data)

    assert Task.objects.get().due_date == dt.date(2025, 6, 12)


def test_an_edit_cannot_take_back_an_order(office_a, campaign, workstream):
    record = create(office_a, campaign, scales_data(EnterpriseFactory(), **ORDER))

    with pytest.raises(ValidationError) as excinfo:
        update(
            office_a,
            record,
            scales_data(record.inspected_party, rectification_notice_no="", rectification_deadline=None),
        )

    assert "已下达责令整改，不能删除责令整改通知书编号。" in errors_of(excinfo)["rectification_notice_no"]
    assert (
        InspectionRecord.objects.get(pk=record.pk).rectification_notice_no == ORDER["rectification_notice_no"]
    )


def test_follow_up_is_recorded_on_an_approved_record_but_the_record_itself_is_locked(
    office_a, bureau_admin, campaign, workstream
):
    record = create(office_a, campaign, scales_data(EnterpriseFactory(), **ORDER), submit=True)
    record = review.record_approve(actor=bureau_admin, record=record)

    record = services.inspection_record_rectified(
        actor=office_a, inspection=record, rectified_on=dt.date(2025, 6, 1)
    )
    assert record.follow_up_status == FollowUpStatus.RECTIFIED

    with pytest.raises(ValidationError, match="已审核通过"):
        update(office_a, record, {"inspectors": "改了"})


def test_the_listed_instruments_are_replaced_as_a_whole_on_edit(office_a, campaign, gas_station):
    record = create(office_a, campaign, fuel_data(gas_station, nozzles=2), [nozzle(1), nozzle(2)])

    record = update(
        office_a,
        record,
        fuel_data(gas_station, nozzles=3),
        [nozzle(1), nozzle(2), nozzle(3, seal_intact=False)],
    )

    assert record.instruments.count() == 3
    assert record.figures.broken_seals == 1


# --- scope, permission and the allow-list (inside every service) ----------------------------------

FOLLOW_UP_SERVICES = {
    "order": lambda actor, record: services.inspection_order_rectification(
        actor=actor, inspection=record, notice_no="巫市监责改〔2025〕99号", deadline=dt.date(2025, 6, 5)
    ),
    "rectified": lambda actor, record: services.inspection_record_rectified(
        actor=actor, inspection=record, rectified_on=dt.date(2025, 6, 1)
    ),
    "file_case": lambda actor, record: services.inspection_file_case(
        actor=actor, inspection=record, case_no="巫市监立〔2025〕99号"
    ),
    "close_case": lambda actor, record: services.inspection_close_case(
        actor=actor, inspection=record, closed_on=dt.date(2025, 6, 1)
    ),
    "sync": lambda actor, record: services.inspection_sync_follow_up(actor=actor, inspection=record),
    "edit": lambda actor, record: services.inspection_save(
        actor=actor, record=record, data={"inspectors": "改了"}, instruments=None
    ),
}


@pytest.mark.parametrize("service", FOLLOW_UP_SERVICES)
def test_every_service_refuses_another_units_office_as_not_found(service, office_a, office_b, campaign):
    record = create(office_a, campaign, scales_data(EnterpriseFactory(), **ORDER))
    history = record.history.count()

    with pytest.raises(Http404):
        FOLLOW_UP_SERVICES[service](office_b, record)

    assert record.history.count() == history


@pytest.mark.parametrize("service", FOLLOW_UP_SERVICES)
def test_every_service_refuses_leadership_as_forbidden(service, office_a, leader, campaign):
    record = create(office_a, campaign, scales_data(EnterpriseFactory(), **ORDER))
    history = record.history.count()

    with pytest.raises(PermissionDenied):
        FOLLOW_UP_SERVICES[service](leader, record)

    assert record.history.count() == history


@pytest.mark.parametrize(
    "key", ["review_status", "unit", "campaign", "created_by", "follow_up_status", "follow_up_task"]
)
def test_fields_outside_the_allow_list_are_refused(key, office_a, office_b, campaign):
    record = create(office_a, campaign, scales_data(EnterpriseFactory()))
    value = {"unit": office_b.unit, "created_by": office_b}.get(key, "approved")

    with pytest.raises(ValidationError) as excinfo:
        services.inspection_save(actor=office_a, record=record, data={key: value}, instruments=None)

    assert key in errors_of(excinfo)
    assert InspectionRecord.objects.get(pk=record.pk).review_status == "draft"


def test_record_and_instrument_problems_are_reported_at_once(office_a, campaign, gas_station):
    # The record's own rule (date outside the campaign) and the rows' (a scale at a fuel station, a
    # bad row) in one answer: the office corrects everything in one go.
    rows = [
        nozzle(1, instrument_type=instrument_type("price_scale")),
        nozzle(2, verified_on=dt.date(2099, 1, 1)),
    ]
    with pytest.raises(ValidationError) as excinfo:
        create(office_a, campaign, fuel_data(gas_station, nozzles=2, date=dt.date(2025, 7, 1)), rows)

    errors = errors_of(excinfo)
    assert errors["date"] == ["日期须在活动期间（2025-04-25 至 2025-06-30）内。"]
    assert "器具类型“电子计价秤”不属于本次检查的领域。" in errors["__all__"]
    assert any(message.startswith("第 2 台器具：") for message in errors["__all__"])
    assert nothing_saved()


def test_a_partial_edit_keeps_the_listed_instruments_and_other_fields(office_a, campaign, gas_station):
    record = create(office_a, campaign, fuel_data(gas_station, nozzles=2), [nozzle(1), nozzle(2)])

    record = services.inspection_save(
        actor=office_a, record=record, data={"inspectors": "王五"}, instruments=None
    )

    record = InspectionRecord.objects.get(pk=record.pk)
    assert (record.inspectors, record.dispensers, record.nozzles) == ("王五", 2, 2)
    assert record.instruments.count() == 2
    assert record.history.first().history_user == office_a


def test_taking_back_an_order_is_reported_with_the_records_other_problems(office_a, campaign, workstream):
    record = create(office_a, campaign, scales_data(EnterpriseFactory(), **ORDER))
    data = scales_data(
        record.inspected_party,
        rectification_notice_no="",
        rectification_deadline=None,
        date=dt.date(2025, 7, 1),
    )

    with pytest.raises(ValidationError) as excinfo:
        update(office_a, record, data)

    errors = errors_of(excinfo)
    assert "date" in errors
    assert "已下达责令整改，不能删除责令整改通知书编号。" in errors["rectification_notice_no"]


def test_the_forms_and_the_admins_fields_are_within_the_allow_list(rf, bureau_admin, inspection_a):
    from django.contrib import admin

    from inspections.forms import InspectionForm

    allowed = set(InspectionRecord.record_fields)
    assert set(InspectionForm.Meta.fields) == allowed
    request = rf.get("/admin/")
    request.user = bureau_admin
    model_admin = admin.site._registry[InspectionRecord]
    admin_fields = set(model_admin.get_form(request, inspection_a).base_fields)
    # The mixin passes the campaign (and unit) for the bureau; everything else is allow-listed.
    assert admin_fields - {"campaign", "unit"} <= allowed
