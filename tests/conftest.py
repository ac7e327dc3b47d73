"""The actors every scoped test uses, in the manner of healthchecks' hc/test.py.

Two offices (``office_a``, ``office_b``) in two different 市场监管所, a leader with no unit who reads
everything, and a bureau admin of 价监科 who is staff but not superuser. Each actor's unit has one
pending assignment of a shared task (``assignment_a``, ``assignment_b``). Log in with
``client.force_login(user)``: django-axes makes ``client.login()`` ask for a request.

``campaign_clock`` freezes time inside the 2025 campaign (tests/clock.py). Under ``CI`` Hypothesis has
no deadline: a shared runner's pauses are not a property of the code.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import time_machine
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from campaigns.models import Task, TaskAssignment
from organizations.models import Unit, User
from organizations.roles import Role
from tests.clock import IN_CAMPAIGN, CampaignClock, utc
from tests.data_migrations import rerun_data_migrations
from tests.factories import TaskAssignmentFactory, TaskFactory, UnitFactory, UserFactory

# Loaded here, before any test module builds its @settings, so that they inherit it.
hypothesis_settings.register_profile("ci", deadline=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Make `--dist=loadgroup` (make test) keep an `xdist_group` on one worker under pytest 9.

    pytest-xdist 3.8 groups tests by the `@group` suffix it writes into `item._nodeid`, which pytest 9
    no longer reads (a node's id is `item._id`): the suffix was lost and the groups were spread over
    the workers, each seeding a module's shared data again. Write the suffix where pytest reads it.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import coerce_node_id  # pytest 9; pinned in pyproject.toml

    for item in items:
        names = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        if names and item.nodeid.rfind("@") <= item.nodeid.rfind("]"):
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(sorted(names))}")


@pytest.fixture
def campaign_clock() -> Iterator[CampaignClock]:
    """Time stands still at 20 May 2025 10:00 in Shanghai; `campaign_clock.travel(name)` moves it."""
    with time_machine.travel(utc(IN_CAMPAIGN), tick=False) as traveller:
        yield CampaignClock(traveller)


@pytest.fixture
def unit_a(db) -> Unit:
    return UnitFactory(name="甲地市场监管所", short_name="甲地所", kind=Unit.Kind.OFFICE)


@pytest.fixture
def unit_b(db) -> Unit:
    return UnitFactory(name="乙地市场监管所", short_name="乙地所", kind=Unit.Kind.OFFICE)


@pytest.fixture
def jianjianke(db) -> Unit:
    """价监科, the bureau's price and metrology section (the seed reuses it by name)."""
    return UnitFactory(name="价监科", short_name="价监科", kind=Unit.Kind.SECTION)


@pytest.fixture
def office_a(unit_a) -> User:
    return UserFactory(username="office_a", name="甲所员", unit=unit_a, roles=[Role.OFFICE])


@pytest.fixture
def office_b(unit_b) -> User:
    return UserFactory(username="office_b", name="乙所员", unit=unit_b, roles=[Role.OFFICE])


@pytest.fixture
def leader(db) -> User:
    return UserFactory(username="leader", name="局领导", unit=None, roles=[Role.LEADER])


@pytest.fixture
def bureau_admin(jianjianke) -> User:
    return UserFactory(
        username="bureau_admin",
        name="县局管理员",
        unit=jianjianke,
        is_staff=True,
        is_superuser=False,
        roles=[Role.BUREAU_ADMIN],
    )


@pytest.fixture
def shared_task(db) -> Task:
    return TaskFactory(title="开展计量专项检查", description="检查电子计价秤和加油机。")


@pytest.fixture
def assignment_a(shared_task, unit_a) -> TaskAssignment:
    return TaskAssignmentFactory(task=shared_task, unit=unit_a)


@pytest.fixture
def assignment_b(shared_task, unit_b) -> TaskAssignment:
    return TaskAssignmentFactory(task=shared_task, unit=unit_b)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def data_migrations(transactional_db) -> None:
    """For a transactional test: an earlier transactional test's flush empties what the data
    migrations made (role groups and their permissions, schedules); make it again when it is gone.
    Name it first among the test's fixtures, before any that makes users with roles."""
    from django.contrib.auth.models import Group

    if not Group.objects.exists():
        rerun_data_migrations()
