"""Risk-based inspection targets (instruments.risk) against hand-computed scores, the page (scope,
filters, pagination, query count) and turning an entry into a planned inspection."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import PlannedInspection
from inspections.verification import Result
from instruments import risk
from instruments.models import InstrumentRating, ProblemReport
from records.models import ReviewStatus
from tests.inspections.factories import EnterpriseFactory, InspectionFactory
from tests.instruments.factories import RegisteredInstrumentFactory

pytestmark = pytest.mark.django_db

LIST = "/workbench/instruments/risk/"
TODAY = timezone.localdate()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def world(unit_a, unit_b):
    """Owners and their signals, with the score each should get (worked out by hand in the comments)."""
    a = EnterpriseFactory(name="甲水果店")
    ok = RegisteredInstrumentFactory(unit=unit_a, owner=a, valid_until=days(100))
    RegisteredInstrumentFactory(unit=unit_a, owner=a, valid_until=days(-10))  # 超期未检: 4
    for score in (1, 2, 5):  # two low ratings: 2 × 3 = 6
        InstrumentRating.objects.create(instrument=ok, score=score)
    ProblemReport.objects.create(instrument=ok, text="少称")  # one report: 5
    InspectionFactory(  # 3 problems within two years: 6; last inspected 200 days ago: 5
        unit=unit_a,
        inspected_party=a,
        date=days(-200),
        problems_found=3,
        review_status=ReviewStatus.APPROVED,
    )
    InspectionFactory(  # a draft does not count: neither its problems nor its date
        unit=unit_a, inspected_party=a, date=days(-5), problems_found=9
    )
    # 甲水果店 = 6 + 5 + 4 + 6 + 5 = 26

    b = EnterpriseFactory(name="乙超市")
    RegisteredInstrumentFactory(unit=unit_a, owner=b, valid_until=days(100), result=Result.FAILED)  # 4
    # never inspected: 10 → 乙超市 = 14

    c = EnterpriseFactory(name="丙商店")
    RegisteredInstrumentFactory(unit=unit_a, owner=c, valid_until=days(100))
    InspectionFactory(unit=unit_a, inspected_party=c, date=days(-30), review_status=ReviewStatus.APPROVED)
    # 丙商店 = 0: not listed

    e = EnterpriseFactory(name="戊菜摊")
    noisy = RegisteredInstrumentFactory(unit=unit_a, owner=e, valid_until=days(100))
    for _number in range(7):  # 7 × 5 = 35, capped at 20
        ProblemReport.objects.create(instrument=noisy, text="不准")
    # never inspected: 10 → 戊菜摊 = 30

    d = EnterpriseFactory(name="丁加油站")
    RegisteredInstrumentFactory(unit=unit_b, owner=d, valid_until=days(-1))  # 4 + never inspected 10 = 14
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def scores(entries):
    return [(entry.owner.name, entry.score) for entry in entries]


def test_the_ranking_matches_the_hand_computed_scores(office_a, world):
    entries = risk.risk_ranking(user=office_a)

    assert scores(entries) == [("戊菜摊", 30), ("甲水果店", 26), ("乙超市", 14)]
    reasons = {reason.text: reason.points for reason in entries[1].reasons}
    assert reasons == {
        "近一年低评分（1–2 分）2 次": 6,
        "近一年群众反映问题 1 次": 5,
        "强检器具 1 台件超期、不合格、未检定或到期未轮换": 4,
        "近两年检查发现问题 3 个": 6,
        f"超过半年未检查（上次 {days(-200)}）": 5,
    }


def test_the_bureau_ranks_every_office_and_ties_go_by_name(bureau_admin, world):
    assert scores(risk.risk_ranking(user=bureau_admin)) == [
        ("戊菜摊", 30),
        ("甲水果店", 26),
        ("丁加油站", 14),
        ("乙超市", 14),
    ]


def test_an_office_sees_only_its_own_owners_and_the_page_shows_the_reasons(client, office_a, office_b, world):
    client.force_login(office_b)
    assert [e.owner.name for _rank, e in client.get(LIST).context["rows"]] == ["丁加油站"]

    client.force_login(office_a)
    response = client.get(LIST)

    html = response.content.decode()
    assert "丁加油站" not in html
    assert "近一年群众反映问题 7 次（+20）" in html


def test_the_page_filters_by_name_and_keeps_the_overall_rank(client, office_a, world):
    client.force_login(office_a)

    rows = client.get(LIST, {"q": "乙"}).context["rows"]

    assert [(rank, e.owner.name) for rank, e in rows] == [(3, "乙超市")]


@pytest.mark.parametrize("extra", [0, 25])
def test_the_page_runs_a_fixed_number_of_queries(
    client, office_a, unit_a, world, extra, django_assert_num_queries
):
    for number in range(extra):
        RegisteredInstrumentFactory(
            unit=unit_a, owner=EnterpriseFactory(name=f"庚{number:02d}"), valid_until=days(-3)
        )
    client.force_login(office_a)

    # session, user, user permissions, group permissions, the user's groups (nav), the user's unit (nav);
    # the ranking: statuses per owner, low ratings, reports, inspections, plans, owners
    with django_assert_num_queries(12):
        response = client.get(LIST)
    assert response.context["paginator"].count == 3 + extra


def test_an_office_turns_an_entry_into_a_planned_inspection(client, office_a, unit_a, world):
    client.force_login(office_a)

    response = client.post(
        reverse("instruments_risk:risk_plan", args=[world["a"].pk]), {"planned_for": str(days(3))}
    )

    assert response.status_code == 302
    plan = PlannedInspection.objects.get()
    assert (plan.party, plan.unit, plan.domain, plan.planned_for) == (world["a"], unit_a, "scales", days(3))
    assert plan.reason.startswith("风险排序 26 分：")
    assert "近一年群众反映问题 1 次（5 分）" in plan.reason
    listed = {e.owner.pk: e for _rank, e in client.get(LIST).context["rows"]}
    assert listed[world["a"].pk].planned


def test_planning_another_offices_owner_is_404_and_leadership_is_403(client, office_a, leader, world):
    client.force_login(office_a)
    assert (
        client.post(
            reverse("instruments_risk:risk_plan", args=[world["d"].pk]), {"planned_for": str(days(3))}
        ).status_code
        == 404
    )

    client.force_login(leader)
    assert client.get(LIST).status_code == 200
    response = client.post(
        reverse("instruments_risk:risk_plan", args=[world["a"].pk]), {"planned_for": str(days(3))}
    )
    assert response.status_code == 403
    assert not PlannedInspection.objects.exists()


def test_a_past_date_is_refused_in_chinese_and_nothing_planned(client, office_a, world):
    client.force_login(office_a)

    response = client.post(
        reverse("instruments_risk:risk_plan", args=[world["a"].pk]),
        {"planned_for": str(days(-1))},
        follow=True,
    )

    assert "计划检查日期不能早于今天。" in [str(m) for m in response.context["messages"]]
    assert not PlannedInspection.objects.exists()
