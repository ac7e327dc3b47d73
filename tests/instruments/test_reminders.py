"""Owner reminders: due within 30 days and overdue, one per instrument, kind and day, logged."""

from __future__ import annotations

import datetime as dt

import pytest

from instruments import services
from instruments.models import EntryStatus, OwnerReminder
from instruments.reminders import owner_reminders_send
from instruments.tasks import send_owner_reminders
from notifications.models import Delivery, Digest
from tests.instruments.factories import RegisteredInstrumentFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 4, 1)


@pytest.fixture
def contact(office_a, owner):
    return services.owner_contact_save(
        actor=office_a,
        owner=owner,
        data={"email": "wang@example.com"},
        robot_kind="wecom",
        robot_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x",
    )


def test_a_line_due_within_30_days_gets_one_notice_by_email_and_robot(instrument_a, contact):
    run = owner_reminders_send(day=TODAY)  # valid until 2026-04-19
    assert (run.due, run.overdue) == (1, 0)
    reminder = OwnerReminder.objects.get()
    assert (reminder.instrument, reminder.kind, reminder.day) == (instrument_a, "due", TODAY)
    channels = set(Delivery.objects.filter(digest=reminder.digest).values_list("channel", "address"))
    assert channels == {("email", "wang@example.com"), ("wecom", "企业微信群机器人")}
    assert instrument_a.code in reminder.digest.body


def test_reruns_double_beats_and_the_next_days_send_nothing_twice(instrument_a, contact):
    owner_reminders_send(day=TODAY)
    assert owner_reminders_send(day=TODAY) == owner_reminders_send(day=TODAY)
    assert send_owner_reminders(TODAY.isoformat()) == {"due": 0, "overdue": 0}
    assert owner_reminders_send(day=TODAY + dt.timedelta(days=1)).due == 0
    assert OwnerReminder.objects.count() == 1
    assert Digest.objects.count() == 1


def test_an_overdue_line_is_told_on_the_first_overdue_day_then_every_30_days(instrument_a, contact):
    first = dt.date(2026, 4, 20)
    assert owner_reminders_send(day=first).overdue == 1
    assert owner_reminders_send(day=first + dt.timedelta(days=29)).overdue == 0
    assert owner_reminders_send(day=first + dt.timedelta(days=30)).overdue == 1
    assert list(OwnerReminder.objects.filter(kind="overdue").values_list("day", flat=True)) == [
        first + dt.timedelta(days=30),
        first,
    ]


def test_owners_without_a_contact_pending_lines_and_far_dates_get_nothing(
    instrument_a, unit_a, office_a, market_operator, contact
):
    RegisteredInstrumentFactory(unit=unit_a, created_by=office_a)  # another owner, no contact
    RegisteredInstrumentFactory(
        unit=unit_a, created_by=office_a, owner=instrument_a.owner, entry_status=EntryStatus.PENDING
    )
    assert owner_reminders_send(day=dt.date(2026, 1, 1)) == owner_reminders_send(day=dt.date(2026, 1, 2))
    assert OwnerReminder.objects.count() == 0
    assert owner_reminders_send(day=TODAY).due == 1


def test_an_owner_who_turned_reminders_off_is_not_told(instrument_a, contact):
    contact.reminders_enabled = False
    contact.save()
    assert owner_reminders_send(day=TODAY).due == 0


def test_the_daily_schedule_is_seeded():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="instruments.send_owner_reminders")
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == (
        "8",
        "40",
        "Asia/Shanghai",
    )
