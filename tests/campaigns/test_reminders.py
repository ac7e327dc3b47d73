"""The daily reminder: what each unit is told, who hears it, the escalation, and that a day is sent once."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from campaigns import reminders, tasks
from campaigns.models import Campaign, Task, TaskAssignment, TaskParty
from notifications.models import Delivery, Digest, Notification, UnitWebhook
from organizations.models import Unit
from organizations.roles import Role
from tests.celery_fixtures import eager_tasks
from tests.clock import CAMPAIGN_END, CAMPAIGN_START, METROLOGY_DAY, CampaignClock
from tests.factories import CampaignFactory, TaskAssignmentFactory, TaskFactory, UnitFactory, UserFactory

__all__ = ["eager_tasks"]

Status = TaskAssignment.Status
DAY = METROLOGY_DAY
AHEAD = 3  # the campaign's reminder_days_ahead (N)
ESCALATE = 2  # the campaign's escalation_days (M)


@pytest.fixture(autouse=True)
def _eager(eager_tasks: None) -> None:
    """Deliveries queued after commit run at once, in this process."""


@pytest.fixture(autouse=True)
def _in_the_campaign(campaign_clock: CampaignClock) -> None:
    """Every test here runs on 20 May 2025 (10:00 in Shanghai) unless it travels."""


@pytest.fixture
def campaign(db) -> Campaign:
    return CampaignFactory(
        year=2025,
        start_date=CAMPAIGN_START,
        end_date=CAMPAIGN_END,
        reminder_days_ahead=AHEAD,
        escalation_days=ESCALATE,
    )


def assign(unit, title: str, due: dt.date | None, status: str = Status.ACKNOWLEDGED, campaign=None):
    """The unit's assignment of the task `title` (made on first use) due on `due`."""
    campaign = campaign or Campaign.objects.get(year=2025)
    task = Task.objects.filter(campaign=campaign, title=title).first() or TaskFactory(
        campaign=campaign, title=title, due_date=due
    )
    return TaskAssignmentFactory(task=task, unit=unit, status=status)


def days(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


def lines_for(unit) -> dict[str, list[str]]:
    """What `collect` would tell the unit on DAY, by section (empty when it gets no digest)."""
    digests, _escalate = reminders.collect(DAY)
    entry = digests.get(unit.pk)
    if entry is None:
        return {}
    return {
        name: lines
        for name, lines in (
            ("due_soon", entry.due_soon),
            ("overdue", entry.overdue),
            ("unacknowledged", entry.unacknowledged),
            *entry.extra.items(),
        )
        if lines
    }


def escalated() -> list[TaskAssignment]:
    return reminders.collect(DAY)[1]


# --- Selection at the boundaries --------------------------------------------------------------------


def test_a_task_due_today_is_due_soon(campaign, unit_a):
    assign(unit_a, "报送活动方案", DAY)

    assert lines_for(unit_a) == {"due_soon": ["报送活动方案（2025-05-20，今日到期）"]}


@pytest.mark.parametrize("ahead", [1, AHEAD])
def test_a_task_due_within_the_campaigns_reminder_days_is_due_soon(campaign, unit_a, ahead):
    assign(unit_a, "报送活动方案", days(ahead))

    assert lines_for(unit_a) == {"due_soon": [f"报送活动方案（{days(ahead)}，{ahead} 天后到期）"]}


def test_a_task_due_one_day_after_the_window_is_not_mentioned(campaign, unit_a):
    assign(unit_a, "报送活动方案", days(AHEAD + 1))

    assert lines_for(unit_a) == {}
    assert reminders.reminders_send(day=DAY).digests_created == 0


def test_the_window_is_the_campaigns_own_setting(campaign, unit_a):
    campaign.reminder_days_ahead = 7
    campaign.save()
    assign(unit_a, "报送活动方案", days(7))

    assert lines_for(unit_a) == {"due_soon": [f"报送活动方案（{days(7)}，7 天后到期）"]}


def test_a_task_overdue_by_one_day_less_than_the_escalation_days_is_not_escalated(campaign, unit_a):
    assign(unit_a, "报送活动方案", days(-(ESCALATE - 1)))

    assert lines_for(unit_a) == {"overdue": [f"报送活动方案（{days(-(ESCALATE - 1))}，逾期 1 天）"]}
    assert escalated() == []


@pytest.mark.parametrize("late", [ESCALATE, ESCALATE + 10])
def test_a_task_overdue_by_the_escalation_days_or_more_is_escalated(campaign, unit_a, late):
    assignment = assign(unit_a, "报送活动方案", days(-late))

    assert lines_for(unit_a) == {"overdue": [f"报送活动方案（{days(-late)}，逾期 {late} 天）"]}
    assert escalated() == [assignment]


def test_a_pending_task_is_listed_as_not_yet_acknowledged_and_an_acknowledged_one_is_not(
    campaign, unit_a, unit_b
):
    assign(unit_a, "报送活动方案", days(1), status=Status.PENDING)
    assign(unit_b, "报送活动方案", days(1), status=Status.ACKNOWLEDGED)

    assert lines_for(unit_a) == {
        "due_soon": [f"报送活动方案（{days(1)}，1 天后到期）"],
        "unacknowledged": [f"报送活动方案（{days(1)}，1 天后到期）"],
    }
    assert lines_for(unit_b) == {"due_soon": [f"报送活动方案（{days(1)}，1 天后到期）"]}


def test_a_task_in_progress_is_reminded_of_its_due_date_only(campaign, unit_a):
    assign(unit_a, "报送活动方案", days(-1), status=Status.IN_PROGRESS)

    assert lines_for(unit_a) == {"overdue": [f"报送活动方案（{days(-1)}，逾期 1 天）"]}


@pytest.mark.parametrize("due", [DAY, days(-30), None])
def test_a_done_task_is_never_mentioned_nor_escalated(campaign, unit_a, due):
    assign(unit_a, "报送活动方案", due, status=Status.DONE)

    assert lines_for(unit_a) == {}
    assert escalated() == []


def test_an_inactive_unit_is_never_reminded_nor_escalated(campaign):
    closed = UnitFactory(name="已撤并市场监管所", is_active=False)
    assign(closed, "报送活动方案", days(-30), status=Status.PENDING)

    assert lines_for(closed) == {}
    assert escalated() == []
    assert reminders.reminders_send(day=DAY).digests_created == 0


def test_an_undated_task_is_mentioned_only_while_it_is_not_acknowledged(campaign, unit_a, unit_b):
    assign(unit_a, "长期宣传工作", None, status=Status.PENDING)
    assign(unit_b, "长期宣传工作", None, status=Status.ACKNOWLEDGED)

    assert lines_for(unit_a) == {"unacknowledged": ["长期宣传工作"]}
    assert lines_for(unit_b) == {}
    assert escalated() == []


@pytest.mark.parametrize(
    ("start", "end"),
    [(days(1), days(30)), (days(-30), days(-1))],
    ids=["not started yet", "already ended"],
)
def test_a_campaign_outside_its_dates_sends_nothing(db, unit_a, start, end):
    CampaignFactory(year=2025, start_date=start, end_date=end, escalation_days=ESCALATE)
    assign(unit_a, "报送活动方案", days(-10), status=Status.PENDING)

    assert lines_for(unit_a) == {}
    assert escalated() == []


@pytest.mark.parametrize(("start", "end"), [(DAY, DAY), (None, None)], ids=["one-day campaign", "open dates"])
def test_a_campaign_covering_the_day_at_its_edges_or_without_dates_reminds(db, unit_a, start, end):
    CampaignFactory(year=2025, start_date=start, end_date=end)
    assign(unit_a, "报送活动方案", DAY)

    assert lines_for(unit_a) == {"due_soon": ["报送活动方案（2025-05-20，今日到期）"]}


def test_lines_come_most_urgent_first_and_from_every_running_campaign(campaign, unit_a):
    other = CampaignFactory(year=2026, start_date=None, end_date=None)
    assign(unit_a, "后到期", days(3))
    assign(unit_a, "先到期", days(1))
    assign(unit_a, "另一活动的任务", days(2), campaign=other)

    due_soon = lines_for(unit_a)["due_soon"]

    this_campaign = [line for line in due_soon if "另一活动" not in line]
    assert this_campaign == [f"先到期（{days(1)}，1 天后到期）", f"后到期（{days(3)}，3 天后到期）"]
    assert f"另一活动的任务（{days(2)}，2 天后到期）" in due_soon


# --- Sections from other apps -----------------------------------------------------------------------


def test_a_registered_section_adds_its_lines_and_may_be_a_units_only_reason_for_a_digest(
    campaign, unit_a, unit_b, monkeypatch
):
    closed = UnitFactory(name="已撤并市场监管所", is_active=False)
    asked: list[dt.date] = []

    def follow_ups(day: dt.date) -> dict[int, list[str]]:
        asked.append(day)
        return {
            unit_a.pk: ["某超市电子秤整改（整改期限 05-22）"],
            unit_b.pk: ["某加油站复查"],
            closed.pk: ["x"],
        }

    monkeypatch.setitem(reminders._sections, "检查整改跟进", follow_ups)
    assign(unit_a, "报送活动方案", DAY)

    assert lines_for(unit_a) == {
        "due_soon": ["报送活动方案（2025-05-20，今日到期）"],
        "检查整改跟进": ["某超市电子秤整改（整改期限 05-22）"],
    }
    assert lines_for(unit_b) == {"检查整改跟进": ["某加油站复查"]}
    assert lines_for(closed) == {}
    assert asked == [DAY, DAY, DAY]


# --- What is sent, and to whom --------------------------------------------------------------------------


def test_the_digest_body_lists_each_section_with_its_lines(campaign, unit_a, office_a):
    assign(unit_a, "报送活动方案", DAY, status=Status.PENDING)
    assign(unit_a, "开展专项检查", days(-1))
    assign(unit_a, "建设计量微站", days(2))

    reminders.reminders_send(day=DAY)

    digest = Digest.objects.get(kind=reminders.DAILY_KIND, audience=f"unit:{unit_a.pk}", day=DAY)
    assert digest.subject == "05月20日 任务提醒：甲地市场监管所"
    assert digest.url == "/workbench/"
    assert digest.body == (
        "【即将到期】\n"
        "· 报送活动方案（2025-05-20，今日到期）\n"
        "· 建设计量微站（2025-05-22，2 天后到期）\n"
        "\n"
        "【已逾期】\n"
        "· 开展专项检查（2025-05-19，逾期 1 天）\n"
        "\n"
        "【尚未签收】\n"
        "· 报送活动方案（2025-05-20，今日到期）"
    )


def test_each_unit_hears_only_about_its_own_tasks(campaign, unit_a, unit_b, office_a, office_b):
    assign(unit_a, "甲所的任务", DAY)
    assign(unit_b, "乙所的任务", days(1))

    reminders.reminders_send(day=DAY)

    body_a = Digest.objects.get(unit=unit_a).body
    body_b = Digest.objects.get(unit=unit_b).body
    assert "甲所的任务" in body_a
    assert "乙所的任务" not in body_a
    assert "乙所的任务" in body_b
    assert "甲所的任务" not in body_b


def test_the_digest_goes_to_every_active_user_of_the_unit_whatever_their_role(
    campaign, unit_a, unit_b, office_a, office_b, leader, django_capture_on_commit_callbacks
):
    colleague = UserFactory(username="office_a2", unit=unit_a, roles=[Role.OFFICE])
    UserFactory(username="left_a", unit=unit_a, roles=[Role.OFFICE], is_active=False)
    cooperator = UserFactory(username="cooperator_a", unit=unit_a, roles=[Role.COOPERATOR])
    no_role = UserFactory(username="no_role_a", unit=unit_a, email="")
    assign(unit_a, "报送活动方案", DAY)

    with django_capture_on_commit_callbacks(execute=True):
        reminders.reminders_send(day=DAY)

    digest = Digest.objects.get(unit=unit_a)
    assert set(digest.deliveries.values_list("recipient__username", "channel")) == {
        ("office_a", "inbox"),
        ("office_a", "email"),
        ("office_a2", "inbox"),
        ("office_a2", "email"),
        ("cooperator_a", "inbox"),
        ("cooperator_a", "email"),
        ("no_role_a", "inbox"),  # no address, so no mail
    }
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "office_a",
        "office_a2",
        "cooperator_a",
        "no_role_a",
    }
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        [office_a.email, colleague.email, cooperator.email]
    )
    assert no_role.notifications.count() == 1
    assert digest.status == Digest.Status.DONE


def test_the_bureau_section_whose_staff_are_bureau_admins_gets_its_digest_on_every_channel(
    campaign, jianjianke, bureau_admin, django_capture_on_commit_callbacks
):
    UnitWebhook.objects.create(unit=jianjianke, kind=UnitWebhook.Kind.WECOM, url="https://robot.invalid/x")
    assign(jianjianke, "建设计量微站", days(1))

    with django_capture_on_commit_callbacks(execute=True):
        reminders.reminders_send(day=DAY)

    digest = Digest.objects.get(kind=reminders.DAILY_KIND, unit=jianjianke)
    assert digest.subject == "05月20日 任务提醒：价监科"
    assert set(digest.deliveries.values_list("channel", "recipient__username")) == {
        ("inbox", "bureau_admin"),
        ("email", "bureau_admin"),
        ("wecom", None),
    }
    assert bureau_admin.notifications.get().subject == "05月20日 任务提醒：价监科"
    assert mail.outbox[0].to == [bureau_admin.email]


def _cooperating(task_title: str, party_unit=None, kinds=()) -> None:
    task = Task.objects.get(title=task_title)
    TaskParty.objects.create(
        task=task,
        role=TaskParty.Role.COOPERATING,
        label=party_unit.name if party_unit else "各公用企业",
        unit=party_unit,
        unit_kinds=list(kinds),
    )


def test_a_cooperating_unit_with_users_gets_an_information_copy_of_urgent_tasks_it_helps_with(
    campaign, unit_a, office_a, django_capture_on_commit_callbacks
):
    water = UnitFactory(name="县自来水公司", kind=Unit.Kind.UTILITY)
    UserFactory(username="water_staff", unit=water, roles=[Role.COOPERATOR])
    UnitFactory(name="县燃气公司", kind=Unit.Kind.UTILITY)  # nobody to tell: no copy
    testing = UnitFactory(name="巫山检测所", kind=Unit.Kind.TESTING)
    UserFactory(username="testing_staff", unit=testing)
    assign(unit_a, "建设计量微站", days(1))
    assign(unit_a, "长期宣传", days(AHEAD + 5))
    _cooperating("建设计量微站", kinds=[Unit.Kind.UTILITY])
    _cooperating("长期宣传", party_unit=testing)  # not due soon: nothing to copy

    with django_capture_on_commit_callbacks(execute=True):
        run = reminders.reminders_send(day=DAY)

    copy = Digest.objects.get(kind=reminders.COPY_KIND)
    assert (copy.unit, copy.audience) == (water, f"unit:{water.pk}")
    assert copy.subject == "05月20日 配合工作抄送：县自来水公司"
    assert copy.body == (
        "【配合工作（抄送）】\n· 建设计量微站（2025-05-21，1 天后到期）（责任单位：甲地市场监管所）"
    )
    assert set(copy.deliveries.values_list("recipient__username", flat=True)) == {"water_staff"}
    assert (run.digests_created, run.copies_created) == (1, 1)


def test_a_task_finished_by_every_responsible_unit_is_not_copied(campaign, unit_a):
    water = UnitFactory(name="县自来水公司", kind=Unit.Kind.UTILITY)
    UserFactory(username="water_staff", unit=water)
    assign(unit_a, "建设计量微站", days(-3), status=Status.DONE)
    _cooperating("建设计量微站", party_unit=water)

    assert reminders.collect_copies(DAY) == {}


def test_information_copies_are_sent_once_a_day(campaign, unit_a, django_capture_on_commit_callbacks):
    water = UnitFactory(name="县自来水公司", kind=Unit.Kind.UTILITY)
    UserFactory(username="water_staff", unit=water)
    assign(unit_a, "建设计量微站", DAY)
    _cooperating("建设计量微站", party_unit=water)

    with django_capture_on_commit_callbacks(execute=True):
        first = reminders.reminders_send(day=DAY)
        second = reminders.reminders_send(day=DAY)

    assert (first.copies_created, second.copies_created, second.digests_skipped) == (1, 0, 2)
    assert Notification.objects.filter(recipient__username="water_staff").count() == 1


def test_escalation_tells_leadership_and_the_bureau_admin_once_with_every_late_unit(
    campaign, unit_a, unit_b, office_a, leader, bureau_admin, django_capture_on_commit_callbacks
):
    UserFactory(username="retired_leader", roles=[Role.LEADER], is_active=False)
    assign(unit_a, "开展专项检查", days(-ESCALATE))
    assign(unit_b, "建设计量微站", days(-5), status=Status.PENDING)
    assign(unit_b, "刚逾期的任务", days(-1))

    with django_capture_on_commit_callbacks(execute=True):
        run = reminders.reminders_send(day=DAY)

    assert run.escalations_created == 1
    escalation = Digest.objects.get(kind=reminders.ESCALATION_KIND)
    assert (escalation.audience, escalation.day, escalation.unit) == ("leadership", DAY, None)
    assert escalation.subject == "05月20日 逾期任务升级提醒（2 项）"
    assert escalation.url == "/workbench/?timing=overdue"
    assert escalation.body == (
        "· 甲地市场监管所：开展专项检查（2025-05-18，逾期 2 天）\n· 乙地市场监管所：建设计量微站（2025-05-15，逾期 5 天）"
    )
    assert set(escalation.deliveries.values_list("recipient__username", flat=True)) == {
        "leader",
        "bureau_admin",
    }
    assert set(
        Notification.objects.filter(subject=escalation.subject).values_list("recipient__username", flat=True)
    ) == {
        "leader",
        "bureau_admin",
    }


def test_no_escalation_is_sent_when_nothing_is_late_enough(campaign, unit_a, leader):
    assign(unit_a, "开展专项检查", days(-(ESCALATE - 1)))

    run = reminders.reminders_send(day=DAY)

    assert (run.digests_created, run.escalations_created) == (1, 0)
    assert not Digest.objects.filter(kind=reminders.ESCALATION_KIND).exists()


# --- Once a day, whatever happens -------------------------------------------------------------------


def test_two_runs_the_same_day_send_one_digest_per_unit_and_one_escalation(
    campaign, unit_a, unit_b, office_a, office_b, leader, django_capture_on_commit_callbacks
):
    assign(unit_a, "开展专项检查", days(-ESCALATE))
    assign(unit_b, "建设计量微站", DAY)

    with django_capture_on_commit_callbacks(execute=True):
        first = reminders.reminders_send(day=DAY)
    sent = (Notification.objects.count(), len(mail.outbox), Delivery.objects.count())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = reminders.reminders_send(day=DAY)

    assert (first.digests_created, first.digests_skipped, first.escalations_created) == (2, 0, 1)
    assert (second.digests_created, second.digests_skipped, second.escalations_created) == (0, 2, 0)
    assert callbacks == []
    assert Digest.objects.filter(kind=reminders.DAILY_KIND).count() == 2
    assert Digest.objects.filter(kind=reminders.ESCALATION_KIND).count() == 1
    assert (Notification.objects.count(), len(mail.outbox), Delivery.objects.count()) == sent
    assert sent == (3, 3, 6)  # office_a, office_b and the leader: one inbox message and one mail each


def test_the_next_day_is_a_new_digest(campaign, unit_a, office_a):
    assign(unit_a, "开展专项检查", days(2))

    reminders.reminders_send(day=DAY)
    next_day = reminders.reminders_send(day=days(1))

    assert next_day.digests_created == 1
    assert list(Digest.objects.order_by("day").values_list("day", flat=True)) == [DAY, days(1)]


def test_send_reminders_for_a_date_twice_sends_once(
    campaign, unit_a, office_a, django_capture_on_commit_callbacks
):
    assign(unit_a, "开展专项检查", days(-1))
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2025-05-20", stdout=out)
        call_command("send_reminders", "--date", "2025-05-20", stdout=out)

    assert out.getvalue().splitlines() == [
        "2025-05-20: 1 digests sent, 0 already sent, 0 escalations",
        "2025-05-20: 0 digests sent, 1 already sent, 0 escalations",
    ]
    assert Digest.objects.get().day == DAY
    assert len(mail.outbox) == 1
    assert office_a.notifications.count() == 1


def test_send_reminders_refuses_a_malformed_date(db):
    with pytest.raises(CommandError, match="--date must be YYYY-MM-DD"):
        call_command("send_reminders", "--date", "20.5.2025")

    assert not Digest.objects.exists()


def test_the_beat_task_sends_the_day_it_is_given_once(campaign, unit_a, office_a):
    assign(unit_a, "开展专项检查", DAY)

    first = tasks.send_daily_reminders.delay("2025-05-20").get()
    again = tasks.send_daily_reminders.delay("2025-05-20").get()

    assert first == {"digests_created": 1, "digests_skipped": 0, "escalations_created": 0}
    assert again == {"digests_created": 0, "digests_skipped": 1, "escalations_created": 0}


# --- The day is Shanghai's, read from the clock when none is given --------------------------------------


@pytest.mark.parametrize(
    ("moment", "day", "line"),
    [
        ("reminder time on 20 May", DAY, "报送活动方案（2025-05-20，今日到期）"),
        ("last second of 20 May", DAY, "报送活动方案（2025-05-20，今日到期）"),
        # 16:00 UTC on 20 May: the UTC date would send 20 May's digest a second time (nothing at all).
        ("first second of 21 May", days(1), "报送活动方案（2025-05-20，逾期 1 天）"),
    ],
    ids=["08:30", "23:59:59", "00:00:00 the next day"],
)
def test_the_beat_task_without_a_day_reminds_of_shanghais_day(
    campaign_clock, campaign, unit_a, office_a, django_capture_on_commit_callbacks, moment, day, line
):
    assign(unit_a, "报送活动方案", DAY)
    campaign_clock.travel(moment)

    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.send_daily_reminders.delay().get()

    assert result == {"digests_created": 1, "digests_skipped": 0, "escalations_created": 0}
    digest = Digest.objects.get()
    assert (digest.day, digest.subject) == (day, f"{day:%m月%d日} 任务提醒：甲地市场监管所")
    section = "已逾期" if day > DAY else "即将到期"
    assert digest.body == f"【{section}】\n· {line}"
    assert list(office_a.notifications.values_list("subject", flat=True)) == [digest.subject]


def test_the_beat_task_at_midnight_sends_the_new_days_digest_after_the_old_days(
    campaign_clock, campaign, unit_a, office_a
):
    assign(unit_a, "报送活动方案", days(2))
    campaign_clock.travel("last second of 20 May")
    tasks.send_daily_reminders.delay().get()
    campaign_clock.travel("first second of 21 May")

    second = tasks.send_daily_reminders.delay().get()

    assert second["digests_created"] == 1
    assert list(Digest.objects.order_by("day").values_list("day", flat=True)) == [DAY, days(1)]


@pytest.mark.parametrize(
    ("moment", "reminded"),
    [
        ("day before the campaign", False),
        ("last second before the campaign", False),
        ("campaign opens", True),
        ("20 May", True),
        ("last second of the campaign", True),
        ("campaign closed", False),
        ("day after the campaign", False),
    ],
)
def test_the_beat_task_reminds_only_while_the_campaign_runs_in_shanghai(
    campaign_clock, campaign, unit_a, office_a, django_capture_on_commit_callbacks, moment, reminded
):
    assign(unit_a, "长期宣传工作", None, status=Status.PENDING)  # a reason for a digest on any day
    campaign_clock.travel(moment)

    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.send_daily_reminders.delay().get()

    assert result["digests_created"] == int(reminded)
    assert office_a.notifications.count() == int(reminded)
    if reminded:
        assert Digest.objects.get().day == campaign_clock.today


def test_send_reminders_without_a_date_sends_shanghais_day(campaign_clock, campaign, unit_a, office_a):
    assign(unit_a, "开展专项检查", DAY)
    campaign_clock.travel("first second of 21 May")
    out = StringIO()

    call_command("send_reminders", stdout=out)

    assert out.getvalue().splitlines() == ["2025-05-21: 1 digests sent, 0 already sent, 0 escalations"]
    assert Digest.objects.get().body == "【已逾期】\n· 开展专项检查（2025-05-20，逾期 1 天）"


@pytest.mark.parametrize(
    ("moment", "escalated_today"),
    [("last second of 20 May", False), ("first second of 21 May", True)],
    ids=["23:59:59, one day late", "00:00:00, two days late"],
)
def test_escalation_starts_on_the_local_day_the_task_is_escalation_days_late(
    campaign_clock,
    campaign,
    unit_a,
    office_a,
    leader,
    django_capture_on_commit_callbacks,
    moment,
    escalated_today,
):
    assign(unit_a, "开展专项检查", days(-(ESCALATE - 1)))
    campaign_clock.travel(moment)

    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.send_daily_reminders.delay().get()

    assert result["escalations_created"] == int(escalated_today)
    assert leader.notifications.count() == int(escalated_today)
