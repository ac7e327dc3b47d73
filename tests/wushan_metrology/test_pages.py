"""Site-wide pages: /healthz/, the role redirect at /, the login page with its lockout, and the admin."""

from __future__ import annotations

import pytest
from django.test import Client

from campaigns.models import TaskAssignment
from organizations.roles import Role
from tests.factories import (
    PASSWORD,
    CampaignFactory,
    TaskAssignmentFactory,
    TaskPartyFactory,
    UnitFactory,
    UserFactory,
    WorkstreamFactory,
)
from wushan_metrology.celery import app as celery_app
from wushan_metrology.celery import ensure_broker_folders

LOGIN = "/accounts/login/"

# --- /healthz/ ------------------------------------------------------------------------------------


@pytest.fixture
def broker_folders(tmp_path, monkeypatch):
    """With the embedded filesystem broker, its folders live under a throw-away directory, made as the app makes them."""
    options = dict(celery_app.conf.broker_transport_options or {})
    if not celery_app.conf.broker_url.startswith("filesystem"):
        return None
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        options[key] = str(tmp_path / "celery" / key)
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", options)
    ensure_broker_folders()
    return tmp_path / "celery"


def test_healthz_reports_database_and_broker_ok(client, db, broker_folders):
    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_needs_no_login(client, db, broker_folders):
    assert client.get("/healthz/").status_code == 200


def test_broker_folders_are_made_before_the_first_message(broker_folders):
    if broker_folders is None:
        pytest.skip("the broker is not the filesystem transport")
    assert {path.name for path in broker_folders.iterdir()} == {
        "data_folder_in",
        "data_folder_out",
        "control_folder",
    }


def test_healthz_answers_503_when_the_broker_is_unreachable(client, db, settings, monkeypatch):
    # A real connection attempt to a port where nothing listens: no mock of the check itself.
    monkeypatch.setenv("CELERY_BROKER_WRITE_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {"socket_connect_timeout": 0.5})
    settings.HEALTHZ_BROKER_TIMEOUT = 0.5

    response = client.get("/healthz/")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "unreachable"}


def test_healthz_answers_only_get(client, db):
    assert client.post("/healthz/").status_code == 405


# --- / sends each role home -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "home"),
    [("office_a", "/workbench/"), ("leader", "/dashboard/"), ("bureau_admin", "/admin/")],
)
def test_home_sends_each_role_to_its_page(client, db, request, actor, home):
    # `db` is named so that pytest-django runs this test with the other database tests, before the
    # transactional (browser) tests flush the role groups that the data migrations made.
    client.force_login(request.getfixturevalue(actor))

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == home


def test_home_sends_anonymous_users_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/"


def test_bureau_admin_role_without_staff_flag_goes_to_the_workbench(client, jianjianke):
    client.force_login(UserFactory(unit=jianjianke, is_staff=False, roles=[Role.BUREAU_ADMIN]))
    assert client.get("/")["Location"] == "/workbench/"


# --- login and lockout ----------------------------------------------------------------------------


def _login(client: Client, username: str, password: str, ip: str = "127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_login_page_is_in_chinese(client, db):
    response = client.get(LOGIN)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>登录</h1>" in html
    assert "用户名" in html
    assert "连续输错密码5次，该账号在本机将被锁定30分钟。" in html


def test_right_password_signs_in_and_goes_home(client, office_a):
    response = _login(client, "office_a", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _signed_in(client)
    assert client.get("/")["Location"] == "/workbench/"


def test_wrong_password_is_refused_with_a_message(client, office_a):
    response = _login(client, "office_a", "wrong")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'class="message message-error"' in response.content.decode()
    assert not _signed_in(client)


def test_four_wrong_passwords_do_not_lock_the_account(client, office_a):
    for _ in range(4):
        _login(client, "office_a", "wrong")

    assert _login(client, "office_a", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_five_wrong_passwords_lock_the_sixth_attempt_even_with_the_right_password(client, office_a):
    for _ in range(5):
        _login(client, "office_a", "wrong")

    response = _login(client, "office_a", PASSWORD)

    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    assert not _signed_in(client)


def test_lockout_spares_another_username_from_the_same_address(client, office_a, office_b):
    for _ in range(5):
        _login(client, "office_a", "wrong")

    response = _login(client, "office_b", PASSWORD)

    assert response.status_code == 302
    assert _signed_in(client)


def test_lockout_spares_the_same_username_from_another_address(client, office_a):
    for _ in range(5):
        _login(client, "office_a", "wrong", ip="10.0.0.1")

    assert _login(client, "office_a", PASSWORD, ip="10.0.0.2").status_code == 302
    assert _signed_in(client)


def test_signed_in_user_visiting_login_is_sent_home(client, office_a):
    client.force_login(office_a)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == "/"


# --- admin ----------------------------------------------------------------------------------------


@pytest.fixture
def admin_data(unit_a, unit_b, bureau_admin):
    """`make(n)`: n of each kind of row the changelists show."""

    def make(size: int) -> None:
        for i in range(size):
            assignment = TaskAssignmentFactory(
                unit=unit_a, acknowledged_by=bureau_admin, status=TaskAssignment.Status.ACKNOWLEDGED
            )
            TaskAssignmentFactory(unit=unit_b, task=assignment.task)
            assignment.task.workstream = WorkstreamFactory()
            assignment.task.save()
            TaskPartyFactory(task=assignment.task, unit=UnitFactory(parent=unit_a))
            CampaignFactory(year=1990 + i)
            UserFactory(unit=unit_b, roles=[Role.OFFICE])

    return make


# Every changelist: 1 session, 2 user, 3-4 user and group permissions, then as listed, then the
# user's groups for the role context processor (last).
ADMIN_QUERIES = {
    # 5 count, 6 unfiltered count, 7 page (parent joined), 8 groups.
    "/admin/organizations/unit/": 8,
    # 5 group choices, 6 unit choices (filters), 7 count, 8 unfiltered count, 9 page (unit joined), 10 groups.
    "/admin/organizations/user/": 10,
    # 5 count, 6 unfiltered count, 7 page, 8 groups, 9 the years for the year filter.
    "/admin/campaigns/campaign/": 9,
    # 5 campaign choices, 6 workstream choices (filters), 7 count, 8 unfiltered count,
    # 9 page (campaign and workstream joined), 10 groups.
    "/admin/campaigns/task/": 10,
    # 5 campaign, 6 workstream, 7 unit choices (filters), 8 count, 9 unfiltered count,
    # 10 page (task, unit and signer joined), 11 groups.
    "/admin/campaigns/taskassignment/": 11,
}


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("url", list(ADMIN_QUERIES))
def test_bureau_admin_opens_every_changelist_with_constant_queries(
    client, django_assert_num_queries, bureau_admin, admin_data, url, size
):
    assert not bureau_admin.is_superuser
    admin_data(size)
    client.force_login(bureau_admin)

    with django_assert_num_queries(ADMIN_QUERIES[url]):
        response = client.get(url)

    assert response.status_code == 200
    assert response.context["cl"].result_count >= size


def test_bureau_admin_sees_every_units_assignments_in_the_admin(
    client, bureau_admin, assignment_a, assignment_b
):
    client.force_login(bureau_admin)

    response = client.get("/admin/campaigns/taskassignment/")

    assert set(response.context["cl"].result_list) == {assignment_a, assignment_b}


def test_office_staff_sees_only_its_own_units_assignments_in_the_admin(
    client, office_a, assignment_a, assignment_b
):
    office_a.is_staff = True
    office_a.save()
    client.force_login(office_a)

    response = client.get("/admin/campaigns/taskassignment/")

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [assignment_a]
    assert client.get(f"/admin/campaigns/taskassignment/{assignment_b.pk}/change/").status_code == 302
    assert client.get(f"/admin/campaigns/taskassignment/{assignment_a.pk}/change/").status_code == 200


def test_office_staff_may_not_open_the_user_admin(client, office_a):
    office_a.is_staff = True
    office_a.save()
    client.force_login(office_a)

    assert client.get("/admin/organizations/user/").status_code == 403


def test_non_staff_users_are_sent_to_the_admin_login(client, leader):
    client.force_login(leader)

    response = client.get("/admin/campaigns/taskassignment/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
