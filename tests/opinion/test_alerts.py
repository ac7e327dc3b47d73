"""The 舆情 escalation job: once per incident and threshold, to the right people, only when overdue."""

from __future__ import annotations

import datetime as dt

import pytest

from notifications.models import Delivery, Digest, Notification
from opinion.alerts import KIND, opinion_deadline_alerts
from opinion.models import OpinionIncident
from organizations.roles import Role
from tests.factories import UserFactory
from tests.opinion.factories import DISCOVERED_AT, OpinionIncidentFactory, level

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "admin": UserFactory(username="admin", roles=[Role.BUREAU_ADMIN]),
        "leader": UserFactory(username="leader", roles=[Role.LEADER]),
        "office": UserFactory(username="office", roles=[Role.OFFICE]),
    }


def inbox_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("subject", flat=True))


def deliver_all() -> None:
    from notifications.services import digest_deliver

    for digest_id in Digest.objects.values_list("pk", flat=True):
        digest_deliver(digest_id=digest_id)


def test_an_incident_inside_its_report_window_alerts_nobody(people):
    OpinionIncidentFactory(level=level("major"))  # 2 h to report

    run = opinion_deadline_alerts(now=DISCOVERED_AT + dt.timedelta(hours=1, minutes=59))

    assert run.alerted == 0
    assert not Digest.objects.exists()


def test_a_major_incident_past_its_window_alerts_the_admin_and_leadership_once(people):
    incident = OpinionIncidentFactory(level=level("major"), title="网传加油站加油机作弊")
    major = incident.level
    major.alert_leadership = True
    major.save()

    first = opinion_deadline_alerts(now=DISCOVERED_AT + dt.timedelta(hours=2, minutes=1))
    again = opinion_deadline_alerts(now=DISCOVERED_AT + dt.timedelta(hours=2, minutes=16))
    deliver_all()

    assert (first.alerted, again.alerted, again.already_alerted) == (1, 0, 1)
    digest = Digest.objects.get(kind=KIND)
    assert digest.audience == f"incident:{incident.pk}:report"
    assert "网传加油站加油机作弊" in digest.subject
    assert "2025-05-20 11:30" in digest.body  # the deadline, in Asia/Shanghai time
    assert inbox_of(people["admin"]) == [digest.subject]
    assert inbox_of(people["leader"]) == [digest.subject]
    assert inbox_of(people["office"]) == []


def test_a_level_that_does_not_alert_leadership_tells_the_bureau_admin_only(people):
    incident = OpinionIncidentFactory(level=level("general"))
    general = incident.level
    general.alert_leadership = False
    general.save()

    opinion_deadline_alerts(now=DISCOVERED_AT + dt.timedelta(hours=25))
    deliver_all()

    assert len(inbox_of(people["admin"])) == 1
    assert inbox_of(people["leader"]) == []
    assert Delivery.objects.filter(recipient=people["leader"]).count() == 0


def test_a_reported_or_closed_incident_is_never_alerted(people):
    reported = OpinionIncidentFactory(level=level("major"))
    OpinionIncident.objects.filter(pk=reported.pk).update(
        reported_to_county_at=DISCOVERED_AT + dt.timedelta(hours=3)
    )

    run = opinion_deadline_alerts(now=DISCOVERED_AT + dt.timedelta(hours=5))

    assert run.alerted == 0


def test_the_beat_schedule_runs_the_check_every_15_minutes(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="opinion.deadline_alerts")
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == (
        "*/15",
        "*",
        "Asia/Shanghai",
    )


def test_the_task_runs_the_same_check(people, monkeypatch):
    from opinion import tasks

    OpinionIncidentFactory(level=level("major"))
    monkeypatch.setattr(tasks.timezone, "now", lambda: DISCOVERED_AT + dt.timedelta(hours=3))

    assert tasks.opinion_deadline_alerts_task() == {"alerted": 1, "already_alerted": 0}
    assert tasks.opinion_deadline_alerts_task() == {"alerted": 0, "already_alerted": 1}
