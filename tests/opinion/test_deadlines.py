"""舆情 deadlines: discovery time + the level's hours, derived (never stored), right across midnight and
time zones, the same in Python and in the database."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from opinion.models import DeadlineState, OpinionIncident, OpinionLevel
from opinion.selectors import incidents_past_report_deadline, with_deadlines
from tests.opinion.factories import OpinionIncidentFactory, level

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC
# 23:30 in Wushan is 15:30 UTC: the same instant, written two ways.
LATE_EVENING = dt.datetime(2025, 5, 20, 23, 30, tzinfo=SHANGHAI)
LATE_EVENING_UTC = dt.datetime(2025, 5, 20, 15, 30, tzinfo=UTC)


def annotated(incident: OpinionIncident) -> OpinionIncident:
    return with_deadlines(OpinionIncident.objects.filter(pk=incident.pk)).get()


@pytest.mark.parametrize("discovered", [LATE_EVENING, LATE_EVENING_UTC], ids=["shanghai", "utc"])
def test_a_major_incident_found_at_2330_must_be_answered_by_0430_the_next_day(campaign, discovered):
    incident = OpinionIncidentFactory(discovered_at=discovered, level=level("major"))

    response_due = timezone.localtime(incident.response_deadline)
    report_due = timezone.localtime(incident.report_deadline)

    assert response_due == dt.datetime(2025, 5, 21, 4, 30, tzinfo=SHANGHAI)
    assert (response_due.date(), response_due.hour, response_due.minute) == (dt.date(2025, 5, 21), 4, 30)
    assert report_due == dt.datetime(2025, 5, 21, 1, 30, tzinfo=SHANGHAI)
    # The same instant in UTC: 20:30 on the day of discovery.
    assert incident.response_deadline.astimezone(UTC) == dt.datetime(2025, 5, 20, 20, 30, tzinfo=UTC)


@pytest.mark.parametrize("discovered", [LATE_EVENING, LATE_EVENING_UTC], ids=["shanghai", "utc"])
def test_the_database_computes_the_same_deadlines(campaign, discovered):
    incident = OpinionIncidentFactory(discovered_at=discovered, level=level("major"))

    row = annotated(incident)

    assert row.response_due == incident.response_deadline == dt.datetime(2025, 5, 21, 4, 30, tzinfo=SHANGHAI)
    assert row.report_due == incident.report_deadline


def test_deadlines_follow_the_levels_hours_as_edited(campaign):
    major = level("major")
    incident = OpinionIncidentFactory(discovered_at=LATE_EVENING, level=major)
    OpinionLevel.objects.filter(pk=major.pk).update(response_deadline_hours=3)

    row = annotated(incident)

    assert row.response_due == dt.datetime(2025, 5, 21, 2, 30, tzinfo=SHANGHAI)
    assert (
        OpinionIncident.objects.select_related("level").get(pk=incident.pk).response_deadline
        == row.response_due
    )


def test_the_seeded_levels_carry_the_documented_clocks(db):
    clocks = {
        lv.name: (lv.report_deadline_hours, lv.response_deadline_hours, lv.press_conference_hours)
        for lv in OpinionLevel.objects.all()
    }

    assert clocks == {
        "一般": (24, 48, None),
        "较大": (12, 24, None),
        "重大": (2, 5, 24),
        "特别重大": (1, 5, 24),
    }


def test_the_deadline_state_says_met_late_pending_or_overdue(campaign):
    incident = OpinionIncidentFactory(discovered_at=LATE_EVENING, level=level("major"))
    due = incident.response_deadline  # 04:30 the next morning

    assert incident.response_state(due - dt.timedelta(minutes=1)) == DeadlineState.PENDING
    assert incident.response_state(due) == DeadlineState.PENDING
    assert incident.response_state(due + dt.timedelta(minutes=1)) == DeadlineState.OVERDUE
    incident.responded_at = due
    assert incident.response_state(due + dt.timedelta(days=1)) == DeadlineState.MET
    incident.responded_at = due + dt.timedelta(seconds=1)
    assert incident.response_state(due + dt.timedelta(days=1)) == DeadlineState.LATE


def test_incidents_past_their_report_deadline_are_found_for_the_escalation_job(campaign):
    late = OpinionIncidentFactory(discovered_at=LATE_EVENING, level=level("major"))  # due 01:30
    reported = OpinionIncidentFactory(
        discovered_at=LATE_EVENING,
        level=level("major"),
        reported_to_county_at=LATE_EVENING + dt.timedelta(hours=3),
    )
    general = OpinionIncidentFactory(discovered_at=LATE_EVENING, level=level("general"))  # due 23:30 next day
    closed = OpinionIncidentFactory(
        discovered_at=LATE_EVENING,
        level=level("major"),
        status=OpinionIncident.Status.CLOSED,
        response="已回应。",
        responded_at=LATE_EVENING + dt.timedelta(hours=1),
        handling_summary="已办结。",
        closed_on=dt.date(2025, 5, 21),
    )
    just_before = dt.datetime(2025, 5, 21, 1, 29, tzinfo=SHANGHAI)
    just_after = dt.datetime(2025, 5, 21, 1, 31, tzinfo=SHANGHAI)

    assert list(incidents_past_report_deadline(just_before)) == []
    assert list(incidents_past_report_deadline(just_after)) == [late]
    # An aware UTC "now" is the same instant.
    assert list(incidents_past_report_deadline(just_after.astimezone(UTC))) == [late]
    next_night = dt.datetime(2025, 5, 22, 0, 0, tzinfo=SHANGHAI)
    assert list(incidents_past_report_deadline(next_night)) == [late, general]
    assert reported not in incidents_past_report_deadline(next_night)
    assert closed not in incidents_past_report_deadline(next_night)


def test_the_escalation_selector_runs_one_query(campaign, django_assert_num_queries):
    OpinionIncidentFactory.create_batch(3, discovered_at=LATE_EVENING, level=level("major"))

    # 1 the incidents with their level and handling unit joined, deadlines computed in the query.
    with django_assert_num_queries(1):
        rows = list(incidents_past_report_deadline(dt.datetime(2025, 6, 1, tzinfo=SHANGHAI)))

    assert [row.level.name for row in rows] == ["重大"] * 3
    assert all(row.handling_unit.name for row in rows)
