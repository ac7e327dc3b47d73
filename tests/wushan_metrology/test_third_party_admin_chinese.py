"""The third-party admin pages the bureau admin reaches are in Chinese: django-axes (unlocking an
account) through wushan_metrology/locale, django-celery-beat (the reminder schedules) through its own."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt

from organizations.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def superuser(jianjianke):
    return UserFactory(
        username="demo_admin", unit=jianjianke, is_staff=True, is_superuser=True, roles=[Role.BUREAU_ADMIN]
    )


def test_the_lockout_list_where_an_account_is_unlocked_is_in_chinese(client, superuser):
    AccessAttempt.objects.create(
        username="gaotang",
        ip_address="10.0.0.8",
        user_agent="Mozilla/5.0",
        http_accept="text/html",
        path_info="/accounts/login/",
        get_data="",
        post_data="username=gaotang",
        failures_since_start=5,
    )
    client.force_login(superuser)

    index = client.get("/admin/")
    listing = client.get("/admin/axes/accessattempt/")

    # (Read as text: the admin's pages are parsed wrongly by lxml without a declared encoding.)
    assert ">登录保护（账号锁定）</a>" in index.content.decode()
    assert listing.status_code == 200
    page = listing.content.decode()
    for header in ("用户名", "IP 地址", "失败次数", "尝试时间"):
        assert f">{header}</a>" in page, header
    assert "清理已过期的失败记录</option>" in page
    for english in ("Username", "Failed Logins", "Attempt Time", "Clean up expired attempts"):
        assert english not in page


def test_the_periodic_task_list_is_in_chinese(client, superuser):
    client.force_login(superuser)

    response = client.get("/admin/django_celery_beat/periodictask/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>选择 周期性任务 来修改" in page
    assert "Periodic Tasks" not in page
