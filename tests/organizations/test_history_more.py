"""Changes to parties, webhooks, beat schedules, roles (with their permissions) and tokens keep history."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from rest_framework.authtoken.models import Token

from notifications.models import UnitWebhook
from tests.factories import TaskPartyFactory, UserFactory


def test_a_task_party_change_leaves_a_history_row(shared_task, unit_a, unit_b):
    party = TaskPartyFactory(task=shared_task, unit=unit_a, label=unit_a.name)
    party.unit = unit_b
    party.save()

    assert [row.unit_id for row in party.history.order_by("history_id")] == [unit_a.pk, unit_b.pk]
    assert party.history.latest().history_type == "~"


def test_a_webhook_change_leaves_a_history_row_without_its_secret(unit_a):
    webhook = UnitWebhook.objects.create(
        unit=unit_a,
        kind=UnitWebhook.Kind.DINGTALK,
        url="https://oapi.dingtalk.com/robot/send?a=1",
        secret="S1",
    )
    webhook.url = "https://oapi.dingtalk.com/robot/send?a=2"
    webhook.save()

    rows = list(webhook.history.order_by("history_id"))
    assert [row.url for row in rows] == [
        "https://oapi.dingtalk.com/robot/send?a=1",
        "https://oapi.dingtalk.com/robot/send?a=2",
    ]
    assert not hasattr(rows[0], "secret")


def test_a_schedule_edit_leaves_history_but_a_beat_run_does_not(db):
    crontab = CrontabSchedule.objects.create(minute="0", hour="9", timezone="Asia/Shanghai")
    task = PeriodicTask.objects.create(
        name="测试任务", task="organizations.prune_security_events", crontab=crontab
    )
    assert task.history.count() == 1

    # What beat saves after a run: the run count and time, nothing an admin edited.
    task.total_run_count += 1
    task.save()
    assert task.history.count() == 1

    task.enabled = False
    task.save()
    crontab.hour = "10"
    crontab.save()
    assert task.history.count() == 2
    assert task.history.latest().enabled is False
    assert [row.hour for row in crontab.history.order_by("history_id")] == ["9", "10"]


def test_a_group_permission_change_leaves_a_history_row_with_the_permissions(db):
    group = Group.objects.create(name="测试角色")
    permission = Permission.objects.get(codename="view_securityevent")

    group.permissions.add(permission)

    latest = group.history.latest()
    assert group.history.count() == 2
    assert [row.permission_id for row in latest.permissions.all()] == [permission.pk]


def test_creating_and_deleting_a_token_leaves_history(office_a):
    token = Token.objects.create(user=office_a)
    token.delete()

    assert list(
        Token.history.filter(user=office_a).order_by("history_id").values_list("history_type", flat=True)
    ) == [
        "+",
        "-",
    ]


def test_a_roles_history_is_browsable_in_the_admin(client, db):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    group = Group.objects.create(name="测试角色")
    group.permissions.add(Permission.objects.get(codename="view_securityevent"))
    client.force_login(superuser)

    response = client.get(f"/admin/auth/group/{group.pk}/history/")

    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 2
