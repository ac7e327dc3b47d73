"""opinion.services and the model's rules, called directly: bad input saves nothing, and every
service refuses another unit (404) and leadership (403)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from opinion import services
from opinion.models import OpinionIncident
from tests.opinion.factories import level

Status = OpinionIncident.Status
SHANGHAI = ZoneInfo("Asia/Shanghai")


def incident_data(**overrides):
    return {
        "title": "网传超市电子秤缺斤少两",
        "discovered_at": dt.datetime(2025, 5, 20, 23, 30, tzinfo=SHANGHAI),
        "discovered_by": "舆情监测员",
        "source": OpinionIncident.Source.SELF_MEDIA,
        "platform": "抖音",
        "url": "https://www.douyin.com/video/1",
        "summary": "网民发布视频称购买水果缺斤少两。",
        "domain": OpinionIncident.Domain.SCALES,
        "level": level("major"),
        **overrides,
    }


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- incidents: the life-cycle ----------------------------------------------------------------------


def test_an_incident_is_handled_by_the_actors_unit_and_starts_discovered(campaign, office_a):
    incident = services.incident_create(actor=office_a, data=incident_data())

    assert (incident.handling_unit, incident.status, incident.campaign) == (
        office_a.unit,
        Status.DISCOVERED,
        campaign,
    )


def test_an_incident_moves_through_every_status_in_order(incident_a, office_a):
    services.incident_transition(actor=office_a, incident=incident_a, to_status=Status.ASSESSING)
    services.incident_transition(
        actor=office_a, incident=incident_a, to_status=Status.HANDLING, data={"assessment": "一般舆情。"}
    )
    closed = services.incident_transition(
        actor=office_a,
        incident=incident_a,
        to_status=Status.CLOSED,
        data={
            "response": "已核查并回应。",
            "responded_at": dt.datetime(2025, 5, 20, 20, 0, tzinfo=SHANGHAI),
            "handling_summary": "已责令整改。",
        },
    )

    assert closed.status == Status.CLOSED
    assert closed.closed_on == timezone.localdate()
    assert [h.status for h in closed.history.order_by("history_date")] == [
        Status.DISCOVERED,
        Status.ASSESSING,
        Status.HANDLING,
        Status.CLOSED,
    ]


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("discovered", "handling"),
        ("discovered", "closed"),
        ("handling", "assessing"),
        ("closed", "closed"),
        ("assessing", "bogus"),
    ],
)
def test_statuses_move_one_step_forward_only(incident_a, office_a, start, target):
    OpinionIncident.objects.filter(pk=incident_a.pk).update(
        status=start, response="已回应。", handling_summary="已整改。", closed_on=dt.date(2025, 5, 21)
    )

    with pytest.raises(ValidationError, match="不能改为"):
        services.incident_transition(actor=office_a, incident=incident_a, to_status=target)
    assert OpinionIncident.objects.get(pk=incident_a.pk).status == start


def test_handling_starts_only_with_an_assessment(incident_a, office_a):
    services.incident_transition(actor=office_a, incident=incident_a, to_status=Status.ASSESSING)

    with pytest.raises(ValidationError) as excinfo:
        services.incident_transition(actor=office_a, incident=incident_a, to_status=Status.HANDLING)

    assert errors_of(excinfo) == {"assessment": ["进入处置前须填写研判意见。"]}


@pytest.fixture
def handling(incident_a, office_a):
    OpinionIncident.objects.filter(pk=incident_a.pk).update(status=Status.HANDLING, assessment="一般舆情。")
    return OpinionIncident.objects.get(pk=incident_a.pk)


def test_closing_without_a_response_is_refused(handling, office_a):
    with pytest.raises(ValidationError) as excinfo:
        services.incident_transition(
            actor=office_a, incident=handling, to_status=Status.CLOSED, data={"handling_summary": "已整改。"}
        )

    assert errors_of(excinfo) == {
        "response": ["办结前须填写回应内容。"],
        "responded_at": ["办结前须填写回应时间。"],
    }
    stored = OpinionIncident.objects.get(pk=handling.pk)
    assert (stored.status, stored.closed_on, stored.handling_summary) == (Status.HANDLING, None, "")


def test_closing_without_a_handling_summary_is_refused(handling, office_a):
    with pytest.raises(ValidationError) as excinfo:
        services.incident_transition(
            actor=office_a,
            incident=handling,
            to_status=Status.CLOSED,
            data={"response": "已回应。", "responded_at": timezone.now(), "handling_summary": "   "},
        )

    assert errors_of(excinfo) == {"handling_summary": ["办结前须填写办结情况。"]}
    assert OpinionIncident.objects.get(pk=handling.pk).status == Status.HANDLING


def test_a_response_before_the_discovery_is_refused(handling, office_a):
    with pytest.raises(ValidationError) as excinfo:
        services.incident_transition(
            actor=office_a,
            incident=handling,
            to_status=Status.CLOSED,
            data={
                "response": "已回应。",
                "responded_at": handling.discovered_at - dt.timedelta(minutes=1),
                "handling_summary": "已整改。",
            },
        )

    assert errors_of(excinfo) == {"responded_at": ["回应时间不能早于发现时间。"]}


def test_the_database_refuses_a_closed_incident_without_its_response(incident_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        OpinionIncident.objects.filter(pk=incident_a.pk).update(
            status=Status.CLOSED, closed_on=dt.date(2025, 5, 21), handling_summary="已整改。"
        )


def test_a_closed_incident_cannot_be_edited(handling, office_a):
    services.incident_transition(
        actor=office_a,
        incident=handling,
        to_status=Status.CLOSED,
        data={"response": "已回应。", "responded_at": timezone.now(), "handling_summary": "已整改。"},
    )

    with pytest.raises(ValidationError, match="已办结"):
        services.incident_update(actor=office_a, incident=handling, data={"title": "改"})


def every_service(incident):
    """Each write service with arguments that would succeed for the handling office."""
    return {
        "update": lambda actor: services.incident_update(
            actor=actor, incident=incident, data={"title": "改"}
        ),
        "transition": lambda actor: services.incident_transition(
            actor=actor, incident=incident, to_status=Status.ASSESSING
        ),
        "report": lambda actor: services.incident_report_to_county(actor=actor, incident=incident),
        "delete": lambda actor: services.incident_delete(actor=actor, incident=incident),
    }


@pytest.mark.parametrize("name", ["update", "transition", "report", "delete"])
def test_another_units_office_gets_not_found_from_every_service(incident_a, office_b, name):
    with pytest.raises(Http404):
        every_service(incident_a)[name](office_b)

    stored = OpinionIncident.objects.get(pk=incident_a.pk)
    assert (stored.title, stored.status, stored.reported_to_county_at) == (
        incident_a.title,
        Status.DISCOVERED,
        None,
    )


@pytest.mark.parametrize("name", ["update", "transition", "report", "delete"])
def test_leadership_reads_but_every_service_refuses_it(incident_a, leader, name):
    with pytest.raises(PermissionDenied):
        every_service(incident_a)[name](leader)

    stored = OpinionIncident.objects.get(pk=incident_a.pk)
    assert (stored.title, stored.status, stored.reported_to_county_at) == (
        incident_a.title,
        Status.DISCOVERED,
        None,
    )


def test_leadership_cannot_log_an_incident(campaign, leader):
    with pytest.raises(PermissionDenied):
        services.incident_create(actor=leader, data=incident_data())
    assert not OpinionIncident.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("status", Status.CLOSED), ("handling_unit_id", 999), ("campaign", None)]
)
def test_fields_outside_the_allow_list_are_refused(incident_a, office_a, field, value):
    with pytest.raises(ValidationError) as excinfo:
        services.incident_update(actor=office_a, incident=incident_a, data={field: value, "title": "改"})

    assert field in errors_of(excinfo)
    stored = OpinionIncident.objects.get(pk=incident_a.pk)
    assert (stored.title, stored.status, stored.handling_unit_id) == (
        incident_a.title,
        Status.DISCOVERED,
        incident_a.handling_unit_id,
    )


def test_a_transition_refuses_fields_it_does_not_fill(incident_a, office_a):
    with pytest.raises(ValidationError) as excinfo:
        services.incident_transition(
            actor=office_a, incident=incident_a, to_status=Status.ASSESSING, data={"title": "改"}
        )

    assert "title" in errors_of(excinfo)
    assert OpinionIncident.objects.get(pk=incident_a.pk).status == Status.DISCOVERED


def test_the_report_to_the_county_is_recorded_once(incident_a, office_a):
    reported = services.incident_report_to_county(actor=office_a, incident=incident_a)

    assert reported.reported_to_county_at is not None
    with pytest.raises(ValidationError, match="已于"):
        services.incident_report_to_county(actor=office_a, incident=incident_a)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("discovered_at", dt.datetime(2099, 1, 1, tzinfo=SHANGHAI), "发现时间不能晚于现在。"),
        (
            "reported_to_county_at",
            dt.datetime(2025, 5, 20, 23, 0, tzinfo=SHANGHAI),
            "向县局报告时间不能早于发现时间。",
        ),
        ("url", "ftp://bbs.example.com/thread/1", "请输入以 http:// 或 https:// 开头的有效网址。"),
        ("reach", -5, None),
    ],
)
def test_bad_incident_input_is_refused(campaign, office_a, field, value, message):
    with pytest.raises(ValidationError) as excinfo:
        services.incident_create(actor=office_a, data=incident_data(**{field: value}))

    assert field in errors_of(excinfo)
    if message:
        assert errors_of(excinfo)[field] == [message]
    assert not OpinionIncident.objects.exists()
