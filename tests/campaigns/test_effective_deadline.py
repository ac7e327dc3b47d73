"""A unit's own deadline is THE deadline: the API, the overdue selector, timeliness as of a date, the
workbench and the cooperating units' copies all read it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from campaigns import reminders, selectors
from campaigns.models import Campaign, Task, TaskAssignment, TaskParty
from organizations.models import Unit
from tests.clock import CAMPAIGN_END, CAMPAIGN_START, METROLOGY_DAY, SHANGHAI, CampaignClock, local
from tests.factories import CampaignFactory, TaskAssignmentFactory, TaskFactory, UnitFactory, UserFactory

Status = TaskAssignment.Status
TASK_DUE = dt.date(2025, 5, 25)
OWN_DUE = dt.date(2025, 5, 15)


@pytest.fixture(autouse=True)
def _in_the_campaign(campaign_clock: CampaignClock) -> None:
    """20 May 2025, 10:00 in Shanghai."""


@pytest.fixture
def campaign(db) -> Campaign:
    return CampaignFactory(year=2025, start_date=CAMPAIGN_START, end_date=CAMPAIGN_END)


@pytest.fixture
def task(campaign) -> Task:
    return TaskFactory(campaign=campaign, title="加强信息报送", due_date=TASK_DUE)


@pytest.fixture
def early_a(task, unit_a) -> TaskAssignment:
    """Office A must finish five days before 5·20, though the task gives everyone until 05-25."""
    return TaskAssignmentFactory(task=task, unit=unit_a, status=Status.ACKNOWLEDGED, due_date=OWN_DUE)


@pytest.fixture
def plain_b(task, unit_b) -> TaskAssignment:
    return TaskAssignmentFactory(task=task, unit=unit_b, status=Status.ACKNOWLEDGED)


def test_the_api_gives_the_units_own_deadline_as_its_due_date(api_client, office_a, early_a, plain_b):
    api_client.force_login(office_a)

    row = api_client.get(f"/api/v1/assignments/{early_a.pk}/").json()

    assert (row["due_date"], row["task_due_date"], row["own_due_date"], row["is_overdue"]) == (
        "2025-05-15",
        "2025-05-25",
        "2025-05-15",
        True,
    )


def test_the_api_gives_the_tasks_deadline_where_the_unit_has_none(api_client, office_b, plain_b):
    api_client.force_login(office_b)

    row = api_client.get(f"/api/v1/assignments/{plain_b.pk}/").json()

    assert (row["due_date"], row["own_due_date"], row["is_overdue"]) == ("2025-05-25", None, False)


def test_the_api_orders_by_the_effective_deadline(api_client, bureau_admin, task, early_a, plain_b):
    later = TaskAssignmentFactory(
        task=TaskFactory(campaign=task.campaign, title="总结", due_date=dt.date(2025, 5, 10)),
        unit=UnitFactory(name="丙地市场监管所", kind=Unit.Kind.OFFICE),
        due_date=dt.date(2025, 6, 1),
    )
    api_client.force_login(bureau_admin)

    rows = api_client.get("/api/v1/assignments/", {"ordering": "effective_due"}).json()["results"]

    assert [row["id"] for row in rows] == [early_a.pk, plain_b.pk, later.pk]


def test_the_task_list_nests_each_units_effective_deadline(api_client, bureau_admin, early_a, plain_b):
    api_client.force_login(bureau_admin)

    rows = api_client.get("/api/v1/tasks/").json()["results"]

    assert {a["unit"]: a["due_date"] for a in rows[0]["assignments"]} == {
        early_a.unit_id: "2025-05-15",
        plain_b.unit_id: "2025-05-25",
    }


def test_overdue_as_of_a_date_uses_each_units_deadline(campaign, early_a, plain_b):
    assert list(selectors.assignments_overdue(campaign=campaign, as_of=METROLOGY_DAY)) == [early_a]
    assert list(selectors.assignments_overdue(campaign=campaign, as_of=OWN_DUE)) == []
    later = selectors.assignments_overdue(campaign=campaign, as_of=dt.date(2025, 5, 26))
    assert [(a, a.effective_due) for a in later] == [(early_a, OWN_DUE), (plain_b, TASK_DUE)]


def test_overdue_can_be_narrowed_to_one_unit(campaign, early_a, plain_b):
    late = selectors.assignments_overdue(
        campaign=campaign, as_of=dt.date(2025, 5, 26), unit_id=plain_b.unit_id
    )
    assert list(late) == [plain_b]


def test_work_finished_after_the_as_of_date_was_still_overdue_then(campaign, early_a):
    early_a.status, early_a.completed_at = Status.DONE, local(dt.datetime(2025, 5, 18, 16, tzinfo=SHANGHAI))
    early_a.save()

    assert list(selectors.assignments_overdue(campaign=campaign, as_of=dt.date(2025, 5, 17))) == [early_a]
    assert list(selectors.assignments_overdue(campaign=campaign, as_of=dt.date(2025, 5, 18))) == []


def test_timeliness_counts_as_the_tasks_stood_on_the_as_of_date(campaign, early_a, plain_b):
    early_a.status, early_a.completed_at = Status.DONE, local(dt.datetime(2025, 5, 18, 16, tzinfo=SHANGHAI))
    early_a.acknowledged_at = local(dt.datetime(2025, 5, 2, 9, tzinfo=SHANGHAI))
    early_a.save()
    plain_b.acknowledged_at = local(dt.datetime(2025, 5, 12, 9, tzinfo=SHANGHAI))
    plain_b.save()

    def row(as_of: dt.date) -> dict[str, int]:
        found = {r["unit_id"]: r for r in selectors.timeliness_by_unit(campaign=campaign, today=as_of)}
        return {
            name: found[early_a.unit_id][name] + 10 * found[plain_b.unit_id][name]
            for name in ("done_on_time", "done_late", "overdue", "open", "unacknowledged")
        }

    # 05-10: A open (due 05-15) and signed; B not yet signed (signed on 05-12).
    assert row(dt.date(2025, 5, 10)) == {
        "done_on_time": 0,
        "done_late": 0,
        "overdue": 0,
        "open": 11,
        "unacknowledged": 10,
    }
    # 05-16: A overdue by its own deadline; B open.
    assert row(dt.date(2025, 5, 16))["overdue"] == 1
    # 05-20: A finished late (05-18 after its 05-15), B still open until 05-25.
    assert row(METROLOGY_DAY) == {
        "done_on_time": 0,
        "done_late": 1,
        "overdue": 0,
        "open": 10,
        "unacknowledged": 0,
    }


def test_the_workbench_shows_the_units_own_deadline(client, office_a, early_a):
    client.force_login(office_a)

    page = client.get("/workbench/").content.decode()

    assert "2025年5月15日（本单位时限）" in page
    assert "2025年5月25日" not in page


def test_a_cooperating_copy_names_the_urgent_units_own_deadline(campaign, task, unit_a, unit_b, early_a):
    # The task is due 05-25 (beyond the 3-day horizon) but office A's own deadline has passed.
    TaskAssignmentFactory(task=task, unit=unit_b, status=Status.ACKNOWLEDGED)
    water = UnitFactory(name="县自来水公司", kind=Unit.Kind.UTILITY)
    UserFactory(username="water_staff", unit=water)
    TaskParty.objects.create(task=task, role=TaskParty.Role.COOPERATING, label=water.name, unit=water)

    copies = reminders.collect_copies(METROLOGY_DAY)

    assert copies[water.pk].cooperating == [
        f"加强信息报送（2025-05-15，逾期 5 天）（责任单位：{unit_a.name}）"
    ]


def test_the_days_timeliness_equals_the_live_state_today(campaign, early_a, plain_b):
    today = timezone.localdate()
    row = {r["unit_id"]: r for r in selectors.timeliness_by_unit(campaign=campaign, today=today)}
    assert (row[early_a.unit_id]["overdue"], row[plain_b.unit_id]["open"]) == (1, 1)
