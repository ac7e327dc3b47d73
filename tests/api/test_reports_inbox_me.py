"""/api/v1/reports/ (request, poll, download, retry), /api/v1/inbox/ and /api/v1/me/."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from notifications.models import Notification
from reports.models import Report

REPORTS = "/api/v1/reports/"
INBOX = "/api/v1/inbox/"


@pytest.fixture(autouse=True)
def _eager(eager_tasks):
    pass


def test_leadership_requests_polls_and_downloads_a_report(
    api_client, leader, campaign, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(leader)

    with django_capture_on_commit_callbacks(execute=True):
        asked = api_client.post(REPORTS, {"campaign": campaign.pk, "date_to": "2025-05-31"}, format="json")

    assert asked.status_code == 202, asked.json()
    polled = api_client.get(f"{REPORTS}{asked.json()['id']}/").json()
    assert (polled["status"], polled["progress"]) == ("done", 100)
    assert polled["download_url"] == f"{REPORTS}{polled['id']}/download/"
    download = api_client.get(polled["download_url"])
    assert download.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert workbook.sheetnames


def test_a_report_not_built_yet_is_409_on_download(api_client, leader, campaign):
    report = Report.objects.create(campaign=campaign, kind=Report.Kind.ON_DEMAND, requested_by=leader)
    api_client.force_authenticate(leader)

    response = api_client.get(f"{REPORTS}{report.pk}/download/")

    assert response.status_code == 409
    assert "尚未生成完成" in response.json()["detail"]
    assert api_client.post(f"{REPORTS}{report.pk}/retry/").status_code == 409


def test_a_bad_period_is_refused_and_nothing_is_queued(api_client, leader, campaign):
    api_client.force_authenticate(leader)

    response = api_client.post(
        REPORTS, {"campaign": campaign.pk, "date_from": "2025-06-01", "date_to": "2025-05-01"}, format="json"
    )

    assert response.status_code == 400
    assert "date_to" in response.json()
    assert not Report.objects.exists()


def test_offices_neither_see_nor_request_reports(api_client, office_a, leader, campaign):
    report = Report.objects.create(campaign=campaign, kind=Report.Kind.ON_DEMAND, requested_by=leader)
    api_client.force_authenticate(office_a)

    assert api_client.get(REPORTS).status_code == 403
    assert api_client.get(f"{REPORTS}{report.pk}/download/").status_code == 403
    assert api_client.post(REPORTS, {"campaign": campaign.pk}, format="json").status_code == 403
    assert Report.objects.count() == 1


def test_the_reports_list_runs_the_same_queries_whatever_its_length(
    api_client, leader, campaign, django_assert_num_queries
):
    api_client.force_authenticate(leader)
    Report.objects.create(campaign=campaign, kind=Report.Kind.ON_DEMAND, requested_by=leader)
    # Queries: the permission check (user's and groups' permissions), the count, the page with
    # campaign and requester joined.
    with django_assert_num_queries(4):
        assert api_client.get(REPORTS).json()["count"] == 1
    Report.objects.bulk_create(
        [Report(campaign=campaign, kind=Report.Kind.ON_DEMAND, requested_by=leader) for _ in range(5)]
    )
    with django_assert_num_queries(2):  # the permissions are cached on the user by now
        assert api_client.get(REPORTS).json()["count"] == 6


def test_the_inbox_shows_only_the_users_own_messages_and_marks_them_read(api_client, office_a, office_b):
    mine = Notification.objects.create(recipient=office_a, subject="【已通过】检查记录", body="已通过。")
    Notification.objects.create(recipient=office_a, subject="任务提醒", body="明天到期。")
    theirs = Notification.objects.create(recipient=office_b, subject="乙所消息", body="乙所的。")
    api_client.force_authenticate(office_a)

    listed = api_client.get(INBOX).json()
    assert {row["subject"] for row in listed["results"]} == {"【已通过】检查记录", "任务提醒"}
    assert api_client.get(f"{INBOX}{theirs.pk}/").status_code == 404
    assert api_client.post(f"{INBOX}{theirs.pk}/read/").status_code == 404

    assert api_client.post(f"{INBOX}{mine.pk}/read/").json() == {"marked": 1, "unread": 1}
    assert api_client.get(INBOX, {"unread": "true"}).json()["count"] == 1
    assert api_client.post(f"{INBOX}read-all/").json() == {"marked": 1, "unread": 0}
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_inbox_runs_the_same_queries_whatever_its_length(api_client, office_a, django_assert_num_queries):
    api_client.force_authenticate(office_a)
    Notification.objects.create(recipient=office_a, subject="一", body="一")
    # Queries: the count, the page.
    with django_assert_num_queries(2):
        assert api_client.get(INBOX).json()["count"] == 1
    Notification.objects.bulk_create(
        [Notification(recipient=office_a, subject=f"第{n}条", body="…") for n in range(30)]
    )
    with django_assert_num_queries(2):
        assert api_client.get(INBOX).json()["count"] == 31


def test_each_user_sees_their_own_token_and_only_theirs(office_a, office_b):
    token = Token.objects.create(user=office_a)
    Token.objects.create(user=office_b)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    body = client.get("/api/v1/me/").json()

    assert (body["username"], body["token"], body["unit"]) == ("office_a", token.key, office_a.unit_id)


def test_a_user_without_a_token_reads_none(api_client, leader):
    api_client.force_authenticate(leader)

    assert api_client.get("/api/v1/me/").json()["token"] is None


@pytest.mark.parametrize("url", ["/api/v1/me/", INBOX, REPORTS, "/api/v1/review-queue/"])
def test_unauthenticated_calls_answer_401_with_www_authenticate(url):
    response = APIClient().get(url)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
