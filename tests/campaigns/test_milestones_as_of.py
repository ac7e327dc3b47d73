"""Milestones are judged by the figure as it stood on their own date: met, missed or still ahead."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from campaigns import metrics, selectors
from campaigns.models import Campaign, Milestone, Task, TaskAssignment
from enterprises.models import Enterprise, EnterpriseVisit, MetrologyProblem
from records.models import ReviewStatus
from tests.clock import METROLOGY_DAY, SHANGHAI, CampaignClock
from tests.enterprises.factories import EnterpriseFactory, EnterpriseVisitFactory, MetrologyProblemFactory
from tests.factories import CampaignFactory, TaskAssignmentFactory, TaskFactory, UnitFactory
from tests.html import one, text

Status = TaskAssignment.Status
KEY = "tests.assignments_done"


def _done(campaign: Campaign):
    return TaskAssignment.objects.filter(task__campaign=campaign, status=Status.DONE)


@pytest.fixture(autouse=True)
def _in_the_campaign(campaign_clock: CampaignClock) -> None:
    """20 May 2025, 10:00 in Shanghai."""


@pytest.fixture
def dated_metric(monkeypatch) -> None:
    """A metric an app can count by date: assignments finished (by the end of the day)."""
    monkeypatch.setitem(
        metrics._registry,
        KEY,
        metrics.Metric(
            key=KEY,
            label="完成的任务",
            count=lambda campaign: _done(campaign).count(),
            count_as_of=lambda campaign, day: _done(campaign).filter(completed_at__date__lte=day).count(),
        ),
    )


@pytest.fixture
def undated_metric(monkeypatch) -> None:
    monkeypatch.setitem(
        metrics._registry,
        KEY,
        metrics.Metric(key=KEY, label="完成的任务", count=lambda campaign: _done(campaign).count()),
    )


@pytest.fixture
def campaign(db) -> Campaign:
    return CampaignFactory(year=2025, start_date=dt.date(2025, 4, 25), end_date=dt.date(2025, 6, 30))


@pytest.fixture
def task(campaign) -> Task:
    return TaskFactory(campaign=campaign, title="建设计量微站")


def finish(task: Task, day: int) -> None:
    """One more assignment of the task finished on `day` May 2025."""
    TaskAssignmentFactory(
        task=task,
        unit=UnitFactory(),
        status=Status.DONE,
        completed_at=dt.datetime(2025, 5, day, 16, tzinfo=SHANGHAI),
    )


def milestone(task: Task, day: dt.date, goal: int | None = 2, metric: str = KEY) -> Milestone:
    return Milestone.objects.create(
        task=task, title=f"{day:%m-%d}节点", due_date=day, metric=metric if goal else "", goal=goal
    )


def progress(task: Task) -> dict[str, tuple[int | None, str]]:
    return {
        p.milestone.title: (p.actual, p.status)
        for p in selectors.milestone_progress(task=task, today=METROLOGY_DAY)
    }


def test_a_past_milestone_shows_the_figure_on_its_date_not_todays(dated_metric, task):
    finish(task, 5)
    finish(task, 12)
    finish(task, 18)
    milestone(task, dt.date(2025, 5, 10))
    milestone(task, dt.date(2025, 5, 15))

    # Today three are done; by 05-10 one was (missed its 2), by 05-15 two were (met).
    assert progress(task) == {"05-10节点": (1, "missed"), "05-15节点": (2, "met")}


def test_an_upcoming_milestone_shows_the_figure_so_far(dated_metric, task):
    finish(task, 5)
    milestone(task, dt.date(2025, 5, 31))
    milestone(task, METROLOGY_DAY, goal=1)

    assert progress(task) == {"05-31节点": (1, "upcoming"), "05-20节点": (1, "met")}


def test_a_past_milestone_an_app_cannot_count_by_date_is_not_given_todays_figure(undated_metric, task):
    finish(task, 5)
    finish(task, 6)
    milestone(task, dt.date(2025, 5, 10))
    milestone(task, dt.date(2025, 5, 31))

    assert progress(task) == {"05-10节点": (None, "unknown"), "05-31节点": (2, "met")}


def test_a_date_only_milestone_is_passed_or_upcoming(task):
    milestone(task, dt.date(2025, 5, 10), goal=None)
    milestone(task, dt.date(2025, 5, 31), goal=None)

    assert progress(task) == {"05-10节点": (None, "passed"), "05-31节点": (None, "upcoming")}


def test_the_task_page_shows_each_milestones_dated_figure_and_state(client, bureau_admin, dated_metric, task):
    finish(task, 5)
    finish(task, 18)
    missed = milestone(task, dt.date(2025, 5, 10))
    ahead = milestone(task, dt.date(2025, 5, 31), goal=3)
    client.force_login(bureau_admin)

    page = client.get(reverse("campaigns:plan_task", args=[2025, task.pk]))

    assert "目标 2 · 截至 5月10日 1 未达成" in text(one(page, f"[data-milestone='{missed.pk}']"))
    assert "目标 3 · 截至今日 2 未到期" in text(one(page, f"[data-milestone='{ahead.pk}']"))


def test_a_metric_registered_twice_with_another_dated_count_is_refused(dated_metric):
    existing = metrics.get(KEY)
    assert existing is not None
    with pytest.raises(ValueError, match="registered twice"):
        metrics.register(KEY, "完成的任务", existing.count, count_as_of=lambda campaign, day: 0)


SME_METRICS = [
    "enterprises.visits",
    "enterprises.enterprises_served",
    "enterprises.problems_solved",
    "enterprises.instruments_serviced",
]


def sme_visit(enterprise: Enterprise, day: int, status: str = ReviewStatus.APPROVED) -> EnterpriseVisit:
    return EnterpriseVisitFactory(
        enterprise=enterprise, date=dt.date(2025, 5, day), review_status=status, instruments_serviced=2
    )


def solved(visit: EnterpriseVisit, day: int) -> None:
    MetrologyProblemFactory(
        visit=visit,
        status=MetrologyProblem.Status.SOLVED,
        assigned_unit=visit.unit,
        assigned_at=dt.datetime(2025, 5, day, 9, tzinfo=SHANGHAI),
        solution="协调检测所上门检定",
        solved_at=dt.datetime(2025, 5, day, 16, tzinfo=SHANGHAI),
    )


def test_the_sme_figures_are_counted_as_of_a_day_from_approved_visits_only(campaign):
    first, second = EnterpriseFactory(), EnterpriseFactory()
    early = sme_visit(first, 5)
    sme_visit(first, 8)
    sme_visit(second, 9, status=ReviewStatus.SUBMITTED)  # awaiting review: never counted
    late = sme_visit(second, 18)
    solved(early, 7)
    solved(late, 19)

    as_of = {key: metrics.get(key) for key in SME_METRICS}
    assert all(metric is not None and metric.count_as_of for metric in as_of.values())
    on_10_may = {key: metric.count_as_of(campaign, dt.date(2025, 5, 10)) for key, metric in as_of.items()}  # type: ignore[union-attr]
    assert on_10_may == {
        "enterprises.visits": 2,
        "enterprises.enterprises_served": 1,
        "enterprises.problems_solved": 1,
        "enterprises.instruments_serviced": 4,
    }
    assert as_of["enterprises.visits"].count(campaign) == 3  # type: ignore[union-attr]


def test_a_passed_sme_milestone_shows_its_dated_figure_on_the_plan_page(client, bureau_admin, task):
    sme_visit(EnterpriseFactory(), 5)
    sme_visit(EnterpriseFactory(), 12)
    sme_visit(EnterpriseFactory(), 6, status=ReviewStatus.SUBMITTED)
    passed = milestone(task, dt.date(2025, 5, 10), goal=2, metric="enterprises.visits")
    client.force_login(bureau_admin)

    page = client.get(reverse("campaigns:plan_task", args=[2025, task.pk]))

    # One approved visit by 05-10 (the one of 05-12 came after, the pending one is not counted).
    entry = one(page, f"[data-milestone='{passed.pk}']")
    assert "目标 2 · 截至 5月10日 1 未达成" in text(entry)
    assert entry.get("data-milestone-status") == "missed"
    assert "无法按节点日统计" not in text(entry)
