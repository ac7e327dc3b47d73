"""The 舆情 escalation job: incidents past their level's report deadline without a report to the county
bureau alert the bureau admin (and leadership where the level says so), once per incident and threshold."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import digest_create
from opinion.selectors import incidents_past_report_deadline
from organizations.models import User
from organizations.roles import Role

KIND = "opinion_report_overdue"


@dataclass
class AlertRun:
    alerted: int = 0
    already_alerted: int = 0


def _recipients(*, leadership: bool) -> list[User]:
    roles = [Role.BUREAU_ADMIN.value, *([Role.LEADER.value] if leadership else [])]
    return list(
        User.objects.filter(is_active=True).filter(Q(groups__name__in=roles)).distinct().order_by("pk")
    )


def opinion_deadline_alerts(*, now: dt.datetime) -> AlertRun:
    """Safe to run every 15 minutes and to rerun: the digest key is the incident and its threshold."""
    run = AlertRun()
    admins = _recipients(leadership=False)
    admins_and_leaders = _recipients(leadership=True)
    for incident in incidents_past_report_deadline(now):
        deadline = timezone.localtime(incident.report_deadline)
        overdue_hours = (now - incident.report_deadline).total_seconds() / 3600
        created = digest_create(
            kind=KIND,
            audience=f"incident:{incident.pk}:report",
            # The key's day is the deadline's day: one alert per incident and threshold, whenever it runs.
            day=deadline.date(),
            subject=_("舆情超时未报告：%(title)s（%(level)s）")
            % {"title": incident.title, "level": incident.level.name},
            body=_(
                "%(level)s舆情“%(title)s”须于 %(deadline)s 前向县局报告，已超时 %(hours).1f 小时，尚未报告。\n"
                "处置单位：%(unit)s"
            )
            % {
                "level": incident.level.name,
                "title": incident.title,
                "deadline": f"{deadline:%Y-%m-%d %H:%M}",
                "hours": overdue_hours,
                "unit": incident.handling_unit.name if incident.handling_unit else "—",
            },
            recipients=admins_and_leaders if incident.level.alert_leadership else admins,
            url=incident.get_absolute_url(),
        )
        if created is None:
            run.already_alerted += 1
        else:
            run.alerted += 1
    return run
