"""The security event log: what writes it, who reads it, how long it is kept."""

from __future__ import annotations

import datetime as dt
import logging

from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from organizations.models import SecurityEvent
from organizations.roles import Role
from organizations.security import security_event_log, security_events_prune
from organizations.tasks import prune_security_events
from reports import services as report_services
from tests.factories import PASSWORD, UserFactory
from tests.microstations.factories import MicroStationFactory, VolunteerFactory, campaign_2025

Kind = SecurityEvent.Kind
CHANGELIST = "admin:organizations_securityevent_changelist"


def _login(client, username: str, password: str, remote: str = "203.0.113.5"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=remote)


def test_a_login_and_a_logout_are_logged_with_user_and_address(client, office_a):
    assert _login(client, "office_a", PASSWORD).status_code == 302
    client.post(reverse("logout"), REMOTE_ADDR="203.0.113.5")

    events = list(SecurityEvent.objects.order_by("pk").values_list("kind", "user", "username", "ip"))
    assert events == [
        (Kind.LOGIN, office_a.pk, "office_a", "203.0.113.5"),
        (Kind.LOGOUT, office_a.pk, "office_a", "203.0.113.5"),
    ]


def test_failed_logins_and_the_lockout_are_logged(client, office_a):
    for _ in range(5):
        _login(client, "office_a", "wrong")

    kinds = list(SecurityEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds.count(Kind.LOGIN_FAILED) == 5
    assert kinds.count(Kind.LOCKED_OUT) == 1
    locked = SecurityEvent.objects.get(kind=Kind.LOCKED_OUT)
    assert (locked.username, locked.ip, locked.user) == ("office_a", "203.0.113.5", None)


def test_a_login_leaves_no_user_history_row(client, office_a):
    before = office_a.history.count()

    assert _login(client, "office_a", PASSWORD).status_code == 302

    office_a.refresh_from_db()
    assert office_a.last_login is not None
    assert office_a.history.count() == before


def test_a_real_change_to_a_user_still_leaves_a_history_row(office_a):
    before = office_a.history.count()
    office_a.phone = "13900000000"
    office_a.save()
    assert office_a.history.count() == before + 1


def test_a_permission_denial_is_logged_without_a_traceback(client, leader, assignment_a, caplog):
    client.force_login(leader)

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post(f"/workbench/tasks/{assignment_a.pk}/acknowledged/")

    assert response.status_code == 403
    event = SecurityEvent.objects.get(kind=Kind.PERMISSION_DENIED)
    assert (event.user, event.path) == (leader, f"/workbench/tasks/{assignment_a.pk}/acknowledged/")
    assert all(record.exc_info is None for record in caplog.records)


def test_an_api_refusal_is_logged(api_client, leader, assignment_a):
    api_client.force_authenticate(leader)

    response = api_client.post(f"/api/v1/assignments/{assignment_a.pk}/acknowledge/")

    assert response.status_code == 403
    assert SecurityEvent.objects.filter(kind=Kind.PERMISSION_DENIED, path__startswith="/api/v1/").count() == 1


def test_the_admin_export_is_logged(client, bureau_admin):
    volunteer = VolunteerFactory(station=MicroStationFactory(opened=True))
    client.force_login(bureau_admin)

    response = client.post(
        reverse("admin:volunteers_volunteer_changelist"),
        {"action": "export_xlsx", "_selected_action": [volunteer.pk]},
    )

    assert response.status_code == 200
    event = SecurityEvent.objects.get(kind=Kind.EXPORT)
    assert event.user == bureau_admin
    assert event.detail


def test_a_report_download_is_logged(client, leader):
    report = report_services.report_request(actor=leader, campaign=campaign_2025())
    report = report_services.report_build(report_id=report.pk)
    client.force_login(leader)

    response = client.get(f"/reports/{report.pk}/download/")

    assert response.status_code == 200
    b"".join(response.streaming_content)
    event = SecurityEvent.objects.get(kind=Kind.REPORT_DOWNLOAD)
    assert (event.user, event.detail) == (leader, report.filename)


def test_events_older_than_180_days_are_pruned_by_the_daily_task(db):
    old = security_event_log(kind=Kind.LOGIN_FAILED, username="old")
    recent = security_event_log(kind=Kind.LOGIN_FAILED, username="recent")
    now = timezone.now()
    SecurityEvent.objects.filter(pk=old.pk).update(at=now - dt.timedelta(days=181))
    SecurityEvent.objects.filter(pk=recent.pk).update(at=now - dt.timedelta(days=179))

    assert prune_security_events() == 1

    assert list(SecurityEvent.objects.values_list("username", flat=True)) == ["recent"]
    assert security_events_prune() == 0


def test_the_prune_task_is_scheduled_daily_by_migration(db):
    task = PeriodicTask.objects.get(task="organizations.prune_security_events")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("30", "3", "*")


def test_the_bureau_admin_browses_and_filters_the_log_read_only(client, bureau_admin):
    security_event_log(kind=Kind.LOGIN_FAILED, username="someone")
    security_event_log(kind=Kind.EXPORT, username="other")
    client.force_login(bureau_admin)

    response = client.get(reverse(CHANGELIST), {"kind": "login_failed", "q": "someone"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    event = SecurityEvent.objects.get(username="someone")
    assert client.get(reverse("admin:organizations_securityevent_add")).status_code == 403
    change_url = reverse("admin:organizations_securityevent_change", args=[event.pk])
    assert client.post(change_url, {"username": "changed"}).status_code == 403
    assert (
        client.post(reverse("admin:organizations_securityevent_delete", args=[event.pk])).status_code == 403
    )
    event.refresh_from_db()
    assert event.username == "someone"


def test_office_staff_cannot_read_the_log(client, unit_a):
    staff = UserFactory(username="staff_a", unit=unit_a, is_staff=True, roles=[Role.OFFICE])
    client.force_login(staff)

    assert client.get(reverse(CHANGELIST)).status_code == 403
