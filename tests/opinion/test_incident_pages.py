"""The 舆情 desk pages: logging, deadlines shown and judged, the status steps, scoping."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from evidence.models import PendingPhoto, Photo
from opinion.models import OpinionIncident
from tests.evidence.images import jpeg, upload
from tests.html import one, select
from tests.opinion.factories import OpinionIncidentFactory, level

LIST = "/workbench/publicity/incidents/"
CREATE = "/workbench/publicity/incidents/new/"
Status = OpinionIncident.Status
SHANGHAI = ZoneInfo("Asia/Shanghai")


def detail_url(incident) -> str:
    return f"/workbench/publicity/incidents/{incident.pk}/"


def status_url(incident) -> str:
    return f"/workbench/publicity/incidents/{incident.pk}/status/"


def report_url(incident) -> str:
    return f"/workbench/publicity/incidents/{incident.pk}/report/"


def incident_form(**overrides):
    return {
        "title": "网传超市电子秤缺斤少两",
        "discovered_at": "2025-05-20T23:30",
        "discovered_by": "舆情监测员",
        "source": "self_media",
        "platform": "抖音",
        "url": "https://www.douyin.com/video/1",
        "summary": "网民发布视频称购买水果缺斤少两。",
        "domain": "scales",
        "reach": "3000",
        "sentiment": "negative",
        "level": level("major").pk,
        **overrides,
    }


def fresh(incident) -> OpinionIncident:
    return OpinionIncident.objects.get(pk=incident.pk)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- scoping ------------------------------------------------------------------------------------------


def test_office_lists_only_the_incidents_its_unit_handles(client, office_a, incident_a, incident_b):
    client.force_login(office_a)

    response = client.get(LIST)

    assert list(response.context["paginator"].object_list) == [incident_a]
    assert "乙地加油机跳枪" not in response.content.decode()


@pytest.mark.parametrize("actor", ["leader", "bureau_admin"])
def test_leadership_and_the_bureau_see_every_incident(client, request, incident_a, incident_b, actor):
    client.force_login(request.getfixturevalue(actor))

    assert set(client.get(LIST).context["paginator"].object_list) == {incident_a, incident_b}
    assert client.get(detail_url(incident_b)).status_code == 200


@pytest.mark.parametrize("target", ["detail", "edit", "status", "report"])
def test_another_units_office_gets_404(client, office_b, incident_a, target):
    client.force_login(office_b)

    if target == "detail":
        response = client.get(detail_url(incident_a))
    elif target == "edit":
        response = client.post(f"{detail_url(incident_a)}edit/", incident_form(title="被改了"))
    elif target == "status":
        response = client.post(status_url(incident_a), {"status": "assessing"})
    else:
        response = client.post(report_url(incident_a))

    assert response.status_code == 404
    stored = fresh(incident_a)
    assert (stored.title, stored.status, stored.reported_to_county_at) == (
        "甲地网传电子秤短斤少两",
        Status.DISCOVERED,
        None,
    )


def test_leader_gets_403_on_every_write(client, leader, incident_a):
    client.force_login(leader)

    assert client.post(CREATE, incident_form()).status_code == 403
    assert client.post(status_url(incident_a), {"status": "assessing"}).status_code == 403
    assert client.post(report_url(incident_a)).status_code == 403
    assert 'data-testid="transition"' not in client.get(detail_url(incident_a)).content.decode()
    assert fresh(incident_a).status == Status.DISCOVERED
    assert OpinionIncident.objects.count() == 1


# --- logging and deadlines ----------------------------------------------------------------------------


def test_office_logs_an_incident_found_late_at_night_and_sees_its_deadlines(client, office_a, campaign):
    client.force_login(office_a)

    response = client.post(CREATE, incident_form(), follow=True)

    incident = OpinionIncident.objects.get()
    # The picker's 23:30 is Wushan time, so the instant is 15:30 UTC.
    assert incident.discovered_at == dt.datetime(2025, 5, 20, 15, 30, tzinfo=dt.UTC)
    assert (incident.handling_unit, incident.status) == (office_a.unit, Status.DISCOVERED)
    html = response.content.decode()
    assert 'datetime="2025-05-21T01:30:00+08:00">2025年5月21日 01:30</time>' in html  # report within 2 h
    assert 'datetime="2025-05-21T04:30:00+08:00">2025年5月21日 04:30</time>' in html  # respond within 5 h
    assert "已逾期" in html  # long past, and neither reported nor answered


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"url": "ftp://bbs.example.com/1"}, "url", "请输入以 http:// 或 https:// 开头的有效网址。"),
        ({"reach": "-1"}, "reach", "确保该值大于或等于0。"),
        ({"discovered_at": "2099-01-01T08:00"}, "discovered_at", "发现时间不能晚于现在。"),
        (
            {"reported_to_county_at": "2025-05-20T22:00"},
            "reported_to_county_at",
            "向县局报告时间不能早于发现时间。",
        ),
        ({"discovered_at": "昨晚"}, "discovered_at", "输入一个有效的日期/时间。"),
    ],
)
def test_bad_incident_input_is_shown_and_nothing_is_saved(
    client, office_a, campaign, overrides, field, message
):
    client.force_login(office_a)

    response = client.post(CREATE, incident_form(**overrides))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not OpinionIncident.objects.exists()


def test_the_list_finds_incidents_not_reported_in_time(client, office_a, campaign):
    late = OpinionIncidentFactory(handling_unit=office_a.unit, level=level("major"))
    OpinionIncidentFactory(
        handling_unit=office_a.unit,
        level=level("major"),
        reported_to_county_at=dt.datetime(2025, 5, 20, 10, 0, tzinfo=SHANGHAI),
    )
    client.force_login(office_a)

    response = client.get(LIST, {"timing": "report_overdue"})

    assert list(response.context["paginator"].object_list) == [late]
    assert response.context["counts"]["report_overdue"] == 1


# --- the steps ----------------------------------------------------------------------------------------


def test_office_moves_an_incident_through_to_closed(client, office_a, incident_a):
    client.force_login(office_a)

    client.post(report_url(incident_a))
    client.post(status_url(incident_a), {"status": "assessing"})
    client.post(
        status_url(incident_a), {"status": "handling", "assessment": "一般舆情。", "actions": "现场核查。"}
    )
    response = client.post(
        status_url(incident_a),
        {
            "status": "closed",
            "response": "经核查，已责令整改。",
            "responded_at": "2025-05-20T18:00",
            "handling_summary": "涉事电子秤已停用。",
            "closed_on": "2025-05-21",
        },
        follow=True,
    )

    stored = fresh(incident_a)
    assert stored.status == Status.CLOSED
    assert stored.closed_on == dt.date(2025, 5, 21)
    assert stored.reported_to_county_at is not None
    assert "舆情已转为“已办结”。" in messages_of(response)
    assert 'data-testid="transition"' not in response.content.decode()


def test_closing_without_a_response_shows_errors_and_changes_nothing(client, office_a, incident_a):
    OpinionIncident.objects.filter(pk=incident_a.pk).update(status=Status.HANDLING, assessment="一般舆情。")
    client.force_login(office_a)

    response = client.post(status_url(incident_a), {"status": "closed", "handling_summary": "已整改。"})

    assert response.status_code == 200
    form = response.context["close_form"]
    assert form.errors["response"] == ["该字段是必填项。"]
    assert form.errors["responded_at"] == ["该字段是必填项。"]
    assert fresh(incident_a).status == Status.HANDLING


def test_handling_without_an_assessment_shows_an_error(client, office_a, incident_a):
    OpinionIncident.objects.filter(pk=incident_a.pk).update(status=Status.ASSESSING)
    client.force_login(office_a)

    response = client.post(status_url(incident_a), {"status": "handling", "assessment": ""})

    assert response.context["assess_form"].errors["assessment"] == ["该字段是必填项。"]
    assert fresh(incident_a).status == Status.ASSESSING


def test_skipping_a_step_is_refused(client, office_a, incident_a):
    client.force_login(office_a)

    response = client.post(
        status_url(incident_a), {"status": "handling", "assessment": "跳过研判"}, follow=True
    )

    assert "舆情当前为“已发现”，不能改为“处置中”。" in messages_of(response)
    assert fresh(incident_a).status == Status.DISCOVERED


def test_a_closed_incident_cannot_be_edited(client, office_a, incident_a):
    OpinionIncident.objects.filter(pk=incident_a.pk).update(
        status=Status.CLOSED, response="已回应。", handling_summary="已整改。", closed_on=dt.date(2025, 5, 21)
    )
    client.force_login(office_a)

    response = client.post(f"{detail_url(incident_a)}edit/", incident_form(title="改"), follow=True)

    assert "该舆情已办结，不能再修改。" in messages_of(response)
    assert fresh(incident_a).title == "甲地网传电子秤短斤少两"


def test_the_edit_form_shows_the_discovery_time_in_wushan_time(client, office_a, incident_a):
    client.force_login(office_a)

    html = client.get(f"{detail_url(incident_a)}edit/").content.decode()

    assert 'type="datetime-local" name="discovered_at" value="2025-05-20T09:30"' in html


def test_a_double_submit_logs_one_incident(client, office_a, campaign):
    client.force_login(office_a)
    key = client.get(CREATE).context["submission_key"]

    client.post(CREATE, incident_form(submission_key=key))
    second = client.post(CREATE, incident_form(submission_key=key), follow=True)

    incident = OpinionIncident.objects.get()
    assert second.redirect_chain == [(f"/workbench/publicity/incidents/{incident.pk}/", 302)]
    assert "该表单已提交过，未重复保存。" in [str(m) for m in second.context["messages"]]


def test_another_units_office_gets_404_on_the_edit_page_and_leadership_403(
    client, office_b, leader, incident_a
):
    edit = f"/workbench/publicity/incidents/{incident_a.pk}/edit/"
    client.force_login(office_b)
    assert client.get(edit).status_code == 404
    assert client.post(edit, incident_form(title="改")).status_code == 404

    client.force_login(leader)
    assert client.get(edit).status_code == 403
    assert client.post(edit, incident_form(title="改")).status_code == 403
    assert OpinionIncident.objects.get(pk=incident_a.pk).title == incident_a.title


@pytest.mark.django_db(transaction=True)
def test_the_edit_page_opens_outside_a_transaction(data_migrations, client, office_a, incident_a):
    """As in production (no ATOMIC_REQUESTS): showing the form takes no row lock, which PostgreSQL
    refuses outside a transaction (a 500 found by the phone crawl); the save locks in its own."""
    client.force_login(office_a)

    response = client.get(f"{detail_url(incident_a)}edit/")

    assert response.status_code == 200


# --- screenshots upload ahead, as on the record kit's forms ------------------------------------------


def test_a_screenshot_uploaded_ahead_survives_a_validation_error_and_is_attached_on_save(
    client, office_a, campaign, django_capture_on_commit_callbacks
):
    client.force_login(office_a)
    token = client.post("/evidence/pending/", {"photo": upload("截图.jpg", jpeg())}).json()["token"]

    refused = client.post(CREATE, incident_form(title="", photos_pending=[token]))

    assert refused.status_code == 200
    assert refused.context["form"].errors["title"]
    assert not OpinionIncident.objects.exists()
    assert one(refused, "[data-photo-input] input[type=hidden][name=photos_pending]").get("value") == token
    assert len(select(refused, "[data-photo-input] img.photo-input__thumb")) == 1

    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(CREATE, incident_form(photos_pending=[token]))

    assert saved.status_code == 302
    incident = OpinionIncident.objects.get()
    assert Photo.objects.get().record == incident
    assert not PendingPhoto.objects.exists()


def test_the_incident_form_says_please_choose(client, office_a, campaign):
    client.force_login(office_a)
    html = client.get(CREATE).content.decode()
    assert "请选择" in html
    assert "---------" not in html
