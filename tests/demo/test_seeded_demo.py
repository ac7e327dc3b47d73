"""What one default `manage.py seed_demo` run leaves behind, read by many tests from a single seeding.

Seeding takes seconds, so the tests that only READ the default demo share one load: the module-scoped
`seeded` fixture runs `seed_demo` once inside a transaction and rolls it back when the module ends,
and each test runs in its own savepoint inside it (pytest-django's `db`), so whatever a test writes
(a login, a session) is undone before the next. A second run on top of that seeding (idempotence)
and the `--records` volume run on it too, so they seed once, not twice. Tests that need an empty
database (another seed, row ids, refusals, --allow-production) still seed on their own
(test_seed_demo.py, test_bulk.py and the per-app modules).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from campaigns import reporting
from campaigns.models import Campaign, ReportingWindow, Task, TaskAssignment
from demo.bulk import SHARES
from demo.enterprises import DEMO_ENTERPRISES
from demo.opinion import DEMO_INCIDENTS
from demo.publicity import DEMO_ACTIVITIES
from enterprises.models import Enterprise, EnterpriseVisit
from evidence.models import Photo
from inspections.models import Domain, FollowUpStatus, InspectedInstrument, InspectionRecord
from inspections.selectors import inspection_pending_count, inspection_statistics
from inspections.verification import VerificationStatus
from microstations.models import MicroStation, StationActivity
from opinion.models import OpinionIncident
from organizations.access import primary_role
from organizations.models import Unit, User
from organizations.roles import Role
from records.models import ReviewStatus
from volunteers.models import Volunteer

DEMO_PASSWORD = "demo-password-for-tests"


# The module's tests share one module-scoped seeding: under `--dist=loadgroup` (make test) they stay on
# one xdist worker, which seeds once, instead of each worker that draws one of them seeding again.
pytestmark = pytest.mark.xdist_group("demo-seeded")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """One default `seed_demo` for the module (its output), rolled back when the module ends."""
    media = tmp_path_factory.mktemp("seeded-demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=True, DEMO_PASSWORD=DEMO_PASSWORD, MEDIA_ROOT=media),
    ):
        with transaction.atomic():
            out = StringIO()
            call_command("seed_demo", stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)
        # Nothing leaks into the next module.
        assert not User.objects.filter(username__startswith="demo_").exists()
        assert not Campaign.objects.exists()


def test_the_module_stays_on_one_worker_under_loadgroup(request):
    """Its tests share one seeding: `make test` (`--dist=loadgroup`) keeps them on one xdist worker."""
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("only under --dist=loadgroup (make test)")
    assert request.node.nodeid.endswith("@demo-seeded")


@pytest.fixture
def demo(seeded, db) -> str:
    """The seeded demo, in a savepoint of this test's own; the seeding's output."""
    return seeded


# --- accounts, the campaign, the offices' tasks (organizations, campaigns) --------------------------


def test_seed_demo_creates_the_five_demo_accounts(demo):
    accounts = {
        u.username: u for u in User.objects.select_related("unit").filter(username__startswith="demo_")
    }
    assert set(accounts) == {"demo_admin", "demo_leader", "demo_office_a", "demo_office_b", "demo_enforce"}
    admin, leader = accounts["demo_admin"], accounts["demo_leader"]
    office_a, office_b, enforce = (
        accounts["demo_office_a"],
        accounts["demo_office_b"],
        accounts["demo_enforce"],
    )

    assert (admin.is_superuser, admin.is_staff, admin.unit.name) == (True, True, "价监科")
    assert (leader.is_superuser, leader.is_staff, leader.unit) == (False, False, None)
    assert primary_role(leader) == Role.LEADER
    assert office_a.unit.kind == office_b.unit.kind == Unit.Kind.OFFICE
    assert office_a.unit != office_b.unit
    assert enforce.unit.name == "执法一大队"
    for user in (office_a, office_b, enforce):
        assert primary_role(user) == Role.OFFICE
        assert not user.is_staff
    for user in accounts.values():
        assert user.check_password(DEMO_PASSWORD)


def test_demo_accounts_sign_in_with_the_demo_password(demo, client):
    response = client.post("/accounts/login/", {"username": "demo_office_a", "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert client.get("/workbench/").context["paginator"].count > 0


def test_seed_demo_loads_the_notice_campaign_with_demo_dates(demo):
    campaign = Campaign.objects.get()
    assert campaign.theme == "计量顺时代之需，应民生之盼"
    assert campaign.start_date is not None
    assert campaign.end_date is not None
    assert not Task.objects.filter(due_date=None).exists()
    assert "5 accounts" in demo
    assert set(TaskAssignment.objects.values_list("status", flat=True)) == set(TaskAssignment.Status.values)


def test_every_office_answers_for_its_tasks(demo):
    offices = Unit.objects.filter(kind=Unit.Kind.OFFICE)
    assert offices.count() == 6
    for office in offices:
        # The notice's 5 tasks naming the offices (the weekly 信息报送 is reporting windows, not tasks);
        # inspection follow-ups (整改复查) come on top for the offices that ordered rectification.
        campaign_tasks = TaskAssignment.objects.filter(unit=office).exclude(
            task__title__startswith="整改复查："
        )
        assert campaign_tasks.count() == 5


def test_the_weekly_news_reporting_is_reporting_windows_not_hand_made_tasks(demo):
    campaign = Campaign.objects.get()
    windows = list(campaign.reporting_windows.select_related("group").order_by("start_date"))
    assert not Task.objects.filter(title__contains="期计量宣传工作信息报送").exists()
    assert {(w.group.label, tuple(w.record_types)) for w in windows} == {
        ("各市场监管所", ("publicity.newsitem",))
    }
    # Weekly from the campaign's start until 5·20, then monthly to its end, each due the next day.
    weekly = [w for w in windows if w.end_date <= campaign.metrology_day]
    assert weekly[0].start_date == campaign.start_date
    assert weekly[-1].end_date == campaign.metrology_day
    assert all((w.end_date - w.start_date).days <= 6 for w in weekly)
    assert [w.label for w in windows if w.start_date > campaign.metrology_day] == ["5月", "6月"]
    assert all(w.due_date == w.end_date + dt.timedelta(days=1) for w in windows)
    # The demo's news items fill some cells of the grid and leave others missing.
    grid = reporting.reporting_grid(campaign=campaign, today=campaign.end_date + dt.timedelta(days=2))
    statuses = {cell.status for row in grid.rows for cell in row.cells}
    assert {reporting.ON_TIME, reporting.MISSING} <= statuses
    assert len(grid.rows) == Unit.objects.filter(kind=Unit.Kind.OFFICE, is_active=True).count()


# --- micro-stations and volunteers ------------------------------------------------------------------


def test_seed_demo_adds_nine_stations_seven_of_them_opened(demo):
    stations = MicroStation.objects.all()
    assert stations.count() == 9
    opened = stations.filter(stage=MicroStation.Stage.OPENED)
    assert opened.count() == 7
    assert not opened.filter(opened_on__isnull=True).exists()
    assert opened.exclude(plaque_no="").count() == 7
    kinds = set(stations.values_list("station_type", flat=True))
    assert {"water_hall", "power_hall", "gas_hall", "market", "gas_station", "school", "community"} <= kinds
    assert all(
        station.supervising_unit.kind == "office" for station in stations.select_related("supervising_unit")
    )


def test_seed_demo_adds_volunteers_including_two_juniors_with_guardian_consent(demo):
    assert Volunteer.objects.count() >= 9
    juniors = Volunteer.objects.filter(kind=Volunteer.Kind.JUNIOR)
    assert juniors.count() == 2
    for junior in juniors:
        assert junior.guardian_name
        assert junior.guardian_phone
        assert junior.guardian_consent is True
    adults = Volunteer.objects.filter(kind=Volunteer.Kind.PUBLICIST)
    assert not adults.exclude(guardian_name="").exists()


def test_seed_demo_adds_activities_with_photos_in_every_review_state(demo):
    activities = StationActivity.objects.select_related("station")
    assert activities.exists()
    assert all(a.station.stage == MicroStation.Stage.OPENED for a in activities)
    assert all(a.unit_id == a.station.supervising_unit_id for a in activities)
    with_photos = {p.object_id for p in Photo.objects.filter(content_type__model="stationactivity")}
    assert len(with_photos) >= 7
    for photo in Photo.objects.filter(object_id__in=with_photos)[:3]:
        assert photo.sha256
        assert photo.taken_at is not None
        assert photo.has_location
    statuses = set(activities.values_list("review_status", flat=True))
    assert {ReviewStatus.APPROVED, ReviewStatus.SUBMITTED, ReviewStatus.RETURNED} <= statuses


# --- publicity and 舆情 -----------------------------------------------------------------------------


def test_seed_demo_loads_the_publicity_demo(demo):
    assert f"{len(DEMO_ACTIVITIES)} new publicity activities" in demo
    assert OpinionIncident.objects.count() == len(DEMO_INCIDENTS)


# --- inspections ------------------------------------------------------------------------------------


def test_the_demo_covers_the_six_domains_with_the_showcase_facts(demo):
    assert "new inspections" in demo
    assert set(InspectionRecord.objects.values_list("domain", flat=True)) == set(Domain.values)
    statuses = {
        (i.serial_no, i.verification_status)
        for i in InspectedInstrument.objects.select_related("instrument_type", "inspection").filter(
            serial_no__in=["TCS-30-1102", "WS2018-00412", "JP-266", "TJ-07"]
        )
    }
    assert statuses == {
        ("TCS-30-1102", VerificationStatus.OVERDUE),
        ("WS2018-00412", VerificationStatus.LIFE_EXPIRED),
        ("JP-266", VerificationStatus.OVERDUE),
        ("TJ-07", VerificationStatus.NOT_MANDATORY),
    }
    assert InspectedInstrument.objects.get(serial_no="2号机1枪").seal_intact is False
    cheating = InspectionRecord.objects.get(case_no="巫市监立〔2025〕18号")
    assert (cheating.follow_up_status, cheating.penalty_total) == (FollowUpStatus.CASE_CLOSED, 6200)
    open_order = InspectionRecord.objects.get(rectification_notice_no="巫市监龙门责改〔2025〕11号")
    assert open_order.follow_up_status == FollowUpStatus.RECTIFYING
    assignment = TaskAssignment.objects.get(task=open_order.follow_up_task)
    assert (assignment.unit.name, assignment.status) == ("龙门市场监管所", TaskAssignment.Status.ACKNOWLEDGED)
    campaign = Campaign.objects.get()
    total = inspection_statistics(campaign=campaign)[-1]
    assert total.figures.instruments > 0
    # Official figures count approved records: the closed case counts, the open one (submitted) waits.
    assert total.cases_filed >= 1
    assert inspection_pending_count(campaign=campaign) >= 1


# --- enterprises ------------------------------------------------------------------------------------


def test_seed_demo_reports_the_enterprise_visits(demo):
    assert "12 new enterprise visits" in demo
    # Other workstreams' demos reuse these enterprises by name and add their own.
    names = set(Enterprise.objects.values_list("name", flat=True))
    assert {row[0] for row in DEMO_ENTERPRISES} <= names
    assert Enterprise.objects.filter(credit_code="").exclude(kind=Enterprise.Kind.STALL).count() == 0


# --- the --records volume on top of the default demo (demo/bulk.py) -------------------------------

RECORDS = 600


def test_records_gives_every_type_its_documented_share_with_history_and_all_review_states(demo):
    tasks, assignments = Task.objects.count(), TaskAssignment.objects.count()

    call_command("seed_demo", "--records", str(RECORDS), stdout=StringIO())

    # 30 % inspections, 25 % publicity activities, 20 % station activities, 15 % visits, 10 % news.
    assert {model._meta.label_lower: model.objects.count() for model in SHARES} == {
        "inspections.inspectionrecord": 180,
        "publicity.publicityactivity": 150,
        "microstations.stationactivity": 120,
        "enterprises.enterprisevisit": 90,
        "publicity.newsitem": 60,
    }
    for model in SHARES:
        # Every record has its history row (bulk-inserted ones too), and each type has every state.
        assert model.history.order_by().values("id").distinct().count() == model.objects.count()
        assert set(model.objects.values_list("review_status", flat=True)) == set(ReviewStatus.values)
    listed = InspectedInstrument.objects.all()
    assert listed.count() >= 3 * 20
    assert InspectedInstrument.history.count() == listed.count()
    # The task list is the campaign's: the volume adds no task and no assignment.
    assert (Task.objects.count(), TaskAssignment.objects.count()) == (tasks, assignments)
    # Approved and returned ones say who reviewed them; drafts were never submitted.
    approved = InspectionRecord.objects.filter(review_status=ReviewStatus.APPROVED)
    assert not approved.filter(reviewed_by=None).exists()
    assert not InspectionRecord.objects.filter(review_status=ReviewStatus.DRAFT, submitted_at__isnull=False)
    assert not InspectionRecord.objects.filter(review_status=ReviewStatus.RETURNED, return_reason="")


# --- a second run changes nothing (idempotence) ------------------------------------------------------
# One more `seed_demo` on top of the module's seeding, in a savepoint rolled back when the module ends;
# what the tests compare is taken just before and just after it. These tests come last in the module.


def statuses() -> dict[tuple[str, str, str], str]:
    """Each assignment's status, keyed by what identifies it in any database: (section, task, unit)."""
    rows = TaskAssignment.objects.values_list("task__notice_ref", "task__title", "unit__name", "status")
    return {(ref, title, unit): status for ref, title, unit, status in rows}


def state() -> dict[str, object]:
    """What a second run must leave as it was, by names and values, never by row ids."""
    return {
        "statuses": statuses(),
        "counts": (Unit.objects.count(), User.objects.count(), Task.objects.count()),
        "windows": list(
            ReportingWindow.objects.order_by("start_date", "label").values_list(
                "label", "start_date", "end_date", "due_date"
            )
        ),
        "stations": (
            MicroStation.objects.count(),
            StationActivity.objects.count(),
            Volunteer.objects.count(),
            Photo.objects.count(),
        ),
        "inspections": sorted(
            InspectionRecord.objects.values_list(
                "domain",
                "inspected_party__name",
                "unit__name",
                "date",
                "instruments_checked",
                "problems_found",
                "review_status",
                "follow_up_status",
            )
        ),
        "follow_ups": dict(
            TaskAssignment.objects.filter(task__title__startswith="整改复查").values_list(
                "task__title", "status"
            )
        ),
        "visits": EnterpriseVisit.objects.count(),
    }


@pytest.fixture(scope="module")
def second_run(seeded, django_db_blocker) -> Iterator[tuple[dict[str, object], str, dict[str, object]]]:
    """(the state before, the second run's output, the state after)."""
    with django_db_blocker.unblock(), transaction.atomic():
        before = state()
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield before, out.getvalue(), state()
        transaction.set_rollback(True)


def test_a_second_run_changes_no_status_account_task_or_reporting_window(second_run, db):
    before, output, after = second_run

    assert before["statuses"]
    assert after["statuses"] == before["statuses"]
    assert after["counts"] == before["counts"]
    assert after["windows"] == before["windows"]
    assert "0 new reporting windows" in output


def test_a_second_run_adds_no_station_activity_volunteer_or_photo(second_run, db):
    before, output, after = second_run

    assert after["stations"] == before["stations"]
    assert "0 new station activities, 0 new volunteers" in output


def test_a_second_run_adds_no_inspection_and_leaves_the_follow_up_tasks_as_they_were(second_run, db):
    before, output, after = second_run

    assert "0 new inspections" in output
    assert after["inspections"] == before["inspections"]
    assert after["follow_ups"] == before["follow_ups"]
    assert sorted(before["follow_ups"].values()) == ["acknowledged", "done", "done"]  # type: ignore[attr-defined]
    assert after["visits"] == before["visits"]
