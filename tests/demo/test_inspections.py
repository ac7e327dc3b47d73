"""The inspection demo: every domain, the showcase facts, follow-up tasks, determinism, --scale."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from campaigns.models import Campaign, TaskAssignment
from inspections.models import Domain, FollowUpStatus, InspectedInstrument, InspectionRecord
from inspections.selectors import inspection_pending_count, inspection_statistics
from inspections.verification import VerificationStatus


@pytest.fixture
def demo_mode(settings):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo-password-for-tests"


def seed_demo(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    """What identifies the demo in any database: by names and values, never by row ids."""
    return sorted(
        InspectionRecord.objects.values_list(
            "domain",
            "inspected_party__name",
            "unit__name",
            "date",
            "instruments_checked",
            "problems_found",
            "review_status",
            "follow_up_status",
        )
    )


def test_the_demo_covers_the_six_domains_with_the_showcase_facts(demo_mode, db):
    output = seed_demo()

    assert "new inspections" in output
    assert set(InspectionRecord.objects.values_list("domain", flat=True)) == set(Domain.values)
    statuses = {
        (i.serial_no, i.verification_status)
        for i in InspectedInstrument.objects.select_related("instrument_type", "inspection").filter(
            serial_no__in=["TCS-30-1102", "WS2018-00412", "JP-266", "TJ-07"]
        )
    }
    assert statuses == {
        ("TCS-30-1102", VerificationStatus.OVERDUE),
        ("WS2018-00412", VerificationStatus.LIFE_EXPIRED),
        ("JP-266", VerificationStatus.OVERDUE),
        ("TJ-07", VerificationStatus.NOT_MANDATORY),
    }
    assert InspectedInstrument.objects.get(serial_no="2号机1枪").seal_intact is False
    cheating = InspectionRecord.objects.get(case_no="巫市监立〔2025〕18号")
    assert (cheating.follow_up_status, cheating.penalty_total) == (FollowUpStatus.CASE_CLOSED, 6200)
    open_order = InspectionRecord.objects.get(rectification_notice_no="巫市监龙门责改〔2025〕11号")
    assert open_order.follow_up_status == FollowUpStatus.RECTIFYING
    assignment = TaskAssignment.objects.get(task=open_order.follow_up_task)
    assert (assignment.unit.name, assignment.status) == ("龙门市场监管所", TaskAssignment.Status.ACKNOWLEDGED)
    campaign = Campaign.objects.get()
    total = inspection_statistics(campaign=campaign)[-1]
    assert total.figures.instruments > 0
    # Official figures count approved records: the closed case counts, the open one (submitted) waits.
    assert total.cases_filed >= 1
    assert inspection_pending_count(campaign=campaign) >= 1


def follow_ups() -> dict[str, str]:
    return dict(
        TaskAssignment.objects.filter(task__title__startswith="整改复查").values_list("task__title", "status")
    )


def test_a_second_run_adds_nothing_and_leaves_the_follow_up_tasks_as_they_were(demo_mode, db):
    seed_demo()
    first, tasks = snapshot(), follow_ups()

    assert "0 new inspections" in seed_demo()
    assert snapshot() == first
    assert follow_ups() == tasks
    assert sorted(tasks.values()) == ["acknowledged", "done", "done"]


def test_scale_multiplies_the_bulk_inspections(demo_mode, db):
    seed_demo("--scale", "1")
    at_one = InspectionRecord.objects.count()

    seed_demo("--scale", "3")

    assert InspectionRecord.objects.count() == at_one + 60
