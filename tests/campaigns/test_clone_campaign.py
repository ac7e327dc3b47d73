"""`manage.py clone_campaign`: next year's campaign as a copy of this one."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from campaigns import services
from campaigns.cloning import campaign_clone, clean_and_save
from campaigns.models import Campaign, Milestone, PartyGroup, ReportingWindow, TaskAssignment, TaskParty

Status = TaskAssignment.Status


@pytest.fixture
def planned(db, unit_a, unit_b, bureau_admin, office_a) -> Campaign:
    """The seeded 2025 campaign as an admin planned and the offices worked it."""
    call_command("seed_campaign", stdout=StringIO())
    campaign = Campaign.objects.get(year=2025)
    services.campaign_update_plan(
        actor=bureau_admin,
        campaign=campaign,
        data={"start_date": dt.date(2025, 4, 25), "end_date": dt.date(2025, 6, 30)},
    )
    online = campaign.tasks.get(key="ws2.online")
    services.task_set_deadlines(
        actor=bureau_admin,
        task=online,
        due_date=dt.date(2025, 5, 20),
        unit_due_dates={unit_a.pk: dt.date(2025, 5, 15)},
    )
    stations = campaign.tasks.get(key="ws1.stations")
    services.milestone_save(
        actor=bureau_admin,
        task=stations,
        milestone=None,
        data={
            "title": "9个微站揭牌运行",
            "due_date": dt.date(2025, 5, 20),
            "metric": "microstations.stations_opened",
            "goal": 9,
        },
    )
    offices = PartyGroup.objects.get(campaign=campaign, label="各市场监管所")
    services.group_set_members(actor=bureau_admin, group=offices, unit_ids=[unit_a.pk])
    services.reporting_windows_generate(
        actor=bureau_admin,
        campaign=campaign,
        group=offices,
        record_types=["publicity.newsitem"],
        weekly_until=dt.date(2025, 5, 20),
    )
    services.assignment_acknowledge(actor=office_a, assignment=online.assignments.get(unit=unit_a))
    return campaign


def test_clone_copies_the_plan_a_year_later_with_every_assignment_pending(planned, unit_a, unit_b):
    out = StringIO()
    call_command("clone_campaign", "--from", "2025", "--to", "2026", stdout=out)

    new = Campaign.objects.get(year=2026)
    assert new.name == "2026年“5·20世界计量日”主题活动"
    assert (new.start_date, new.end_date, new.metrology_day) == (
        dt.date(2026, 4, 25),
        dt.date(2026, 6, 30),
        dt.date(2026, 5, 20),
    )
    assert new.notice_text == planned.notice_text
    assert new.workstreams.count() == 4
    assert {(t.metric, t.goal) for t in new.targets.all()} == {
        ("microstations.stations_opened", 9),
        ("volunteers.recruited", 9),
    }
    assert new.tasks.count() == 9
    online = new.tasks.get(key="ws2.online")
    assert online.due_date == dt.date(2026, 5, 20)
    assert online.assignments.get(unit=unit_a).due == dt.date(2026, 5, 15)
    assert set(TaskAssignment.objects.filter(task__campaign=new).values_list("status", flat=True)) == {
        Status.PENDING
    }
    assert not TaskAssignment.objects.filter(task__campaign=new, acknowledged_by__isnull=False).exists()
    # The group's membership carries over: 乙地所 was taken out of 各市场监管所.
    new_offices = PartyGroup.objects.get(campaign=new, label="各市场监管所")
    assert set(new_offices.excluded_units.all()) == {unit_b}
    assert not online.assignments.filter(unit=unit_b).exists()
    assert TaskParty.objects.filter(task__campaign=new, group__campaign=planned).count() == 0
    milestone = Milestone.objects.get(task__campaign=new)
    assert (milestone.title, milestone.due_date, milestone.goal) == (
        "9个微站揭牌运行",
        dt.date(2026, 5, 20),
        9,
    )
    windows = list(ReportingWindow.objects.filter(campaign=new).order_by("start_date"))
    assert [(w.label, w.start_date, w.due_date) for w in windows][:2] == [
        ("第1周", dt.date(2026, 4, 25), dt.date(2026, 5, 2)),
        ("第2周", dt.date(2026, 5, 2), dt.date(2026, 5, 9)),
    ]
    assert all(w.group == new_offices for w in windows)
    assert "9 tasks" in out.getvalue()
    # The source is untouched.
    assert planned.tasks.get(key="ws2.online").assignments.get(unit=unit_a).status == Status.ACKNOWLEDGED


def test_shift_days_moves_every_date_by_that_many_days_but_not_the_metrology_day(planned):
    call_command("clone_campaign", "--from", "2025", "--to", "2026", "--shift-days", "364", stdout=StringIO())

    new = Campaign.objects.get(year=2026)
    assert (new.start_date, new.metrology_day) == (dt.date(2026, 4, 24), dt.date(2026, 5, 20))
    assert new.tasks.get(key="ws2.online").due_date == dt.date(2026, 5, 19)


def test_cloning_twice_changes_nothing(planned):
    call_command("clone_campaign", "--from", "2025", "--to", "2026", stdout=StringIO())
    new = Campaign.objects.get(year=2026)
    new.theme = "改过的主题"
    new.save()
    counts = (Campaign.objects.count(), TaskAssignment.objects.count(), ReportingWindow.objects.count())
    out = StringIO()

    call_command("clone_campaign", "--from", "2025", "--to", "2026", stdout=out)

    assert (
        Campaign.objects.count(),
        TaskAssignment.objects.count(),
        ReportingWindow.objects.count(),
    ) == counts
    assert Campaign.objects.get(year=2026).theme == "改过的主题"
    assert "nothing changed" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2024", "--to", "2026"], "没有 2024 年度的活动。"),
        (["--from", "2025", "--to", "2025"], "新活动的年度须晚于原活动。"),
    ],
)
def test_clone_refuses_a_missing_source_or_a_year_not_later(planned, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("clone_campaign", *args, stdout=StringIO())
    assert Campaign.objects.count() == 1


def test_only_a_bureau_admin_may_clone(planned, office_a, leader):
    for actor in (office_a, leader):
        with pytest.raises(PermissionDenied):
            campaign_clone(actor=actor, from_year=2025, to_year=2026)
    assert Campaign.objects.count() == 1


def test_clean_and_save_validates_the_row_and_records_the_actor_in_its_history(db, bureau_admin):
    """The one write cloning and the notice importer share: an invalid row is refused before it is
    saved, a valid one keeps who wrote it."""
    with pytest.raises(ValidationError) as refused:
        clean_and_save(Campaign(year=2031, name=""), bureau_admin)

    assert "name" in refused.value.message_dict
    assert not Campaign.objects.filter(year=2031).exists()

    saved = clean_and_save(
        Campaign(
            year=2031,
            name="2031年5·20世界计量日活动",
            theme="计量顺时代之需",
            metrology_day=dt.date(2031, 5, 20),
            notice_title="关于开展2031年“5·20世界计量日”主题活动的通知",
            notice_issuer="巫山县市场监督管理局",
            notice_text="一、活动主题",
        ),
        bureau_admin,
    )

    assert saved.pk is not None
    assert saved.history.get().history_user == bureau_admin
