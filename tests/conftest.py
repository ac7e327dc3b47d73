"""The actors every scoped test uses, in the manner of healthchecks' hc/test.py.

Two offices (``office_a``, ``office_b``) in two different 市场监管所, a leader with no unit who reads
everything, and a bureau admin of 价监科 who is staff but not superuser. Each actor's unit has one
pending assignment of a shared task (``assignment_a``, ``assignment_b``). Log in with
``client.force_login(user)``: django-axes makes ``client.login()`` ask for a request.

``campaign_clock`` freezes time inside the 2025 campaign (tests/clock.py). Under ``CI`` Hypothesis has
no deadline: a shared runner's pauses are not a property of the code.

The migrated SQLite test database is built once and kept in var/test-db/ under a hash of what the
migrations make it from (``migrated_db_key``); every later test process copies it into its in-memory
database instead of running every migration again. ``--create-db`` or ``TEST_DB_CACHE=0`` migrates anew.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing, suppress
from pathlib import Path
from typing import Any
from unittest import mock

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


TEST_DB_CACHE = Path(__file__).resolve().parents[1] / "var" / "test-db"


def migrated_db_key() -> str:
    """A hash of everything the migrated database is made from: every migration file (the project's
    and the packages'), the project's own code outside tests/ (data migrations import it, and the
    content types and permissions made after `migrate` come from its models and settings), the apps
    installed, and the versions of Django, Python and SQLite."""
    import django
    from django.conf import settings
    from django.db.migrations.loader import MigrationLoader

    files = {
        Path(sys.modules[m.__module__].__file__ or "") for m in MigrationLoader(None).disk_migrations.values()
    }
    root = Path(settings.BASE_DIR)
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        subfolders[:] = [
            name
            for name in subfolders
            if not name.startswith((".", "__"))
            and (
                here != root or name not in {"tests", "benchmarks", "var", "build", "media", "test-artifacts"}
            )
        ]
        files.update(here / name for name in names if name.endswith(".py"))
    digest = hashlib.sha256()
    for part in (django.__version__, sys.version, sqlite3.sqlite_version, repr(settings.INSTALLED_APPS)):
        digest.update(part.encode() + b"\0")
    for path in sorted(files):
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _copy_sqlite(connection: Any, cached: Path) -> bool:
    """Copy the cached migrated database into the in-memory one; False when there is none."""
    try:  # read-only: a missing file is an error here, not a new empty database
        with closing(sqlite3.connect(f"{cached.as_uri()}?mode=ro", uri=True)) as source:
            source.backup(connection.connection)
    except sqlite3.OperationalError:
        return False
    return True


def _keep_sqlite(connection: Any, cached: Path) -> None:
    partial = cached.with_suffix(f".{os.getpid()}.partial")
    with closing(sqlite3.connect(partial)) as target:
        connection.connection.backup(target)
    os.replace(partial, cached)


def _template_name(connection: Any, key: str) -> str:
    """The PostgreSQL template shared by the test processes of one test database name."""
    base = re.sub(r"_gw\d+$", "", connection.settings_dict["NAME"])[:40]
    return f"{base}_migrated_{key[:12]}"


def _copy_postgresql(connection: Any, template: str) -> bool:
    """Make the (empty, just created) test database anew from the migrated template, if there is one."""
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        if cursor.fetchone() is None:
            return False
    name, quote = connection.settings_dict["NAME"], connection.ops.quote_name
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE {quote(name)}")
        cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
    return True


def _keep_postgresql(connection: Any, template: str) -> None:
    from django.db import DatabaseError

    name, quote = connection.settings_dict["NAME"], connection.ops.quote_name
    connection.close()  # a template database must have no one connected
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(template)}")
        cursor.execute(f"CREATE DATABASE {quote(template)} TEMPLATE {quote(name)}")
        stem = template[: template.rindex("_migrated_")]
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
            [stem.replace("_", r"\_") + r"\_migrated\_%", template],
        )
        for (old,) in cursor.fetchall():
            with suppress(DatabaseError):  # another run is copying it: the next new template drops it
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(old)}")


def _migrate_or_copy(fresh: bool, reuse: bool) -> Any:
    """`call_command` as Django's test database creation calls it, except that `migrate` into an
    in-memory SQLite database copies the cached migrated database in, and into a new PostgreSQL test
    database makes it again from a migrated template database. The cache or template is made here
    the first time, under a lock, so that the other test processes wait for it and copy it rather
    than migrate as well. `--create-db` migrates anew; `--reuse-db` keeps PostgreSQL's old database."""
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections

    def command(name: str, *args: Any, **options: Any) -> Any:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if name != "migrate":
            return call_command(name, *args, **options)
        if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
            copy, keep = _copy_sqlite, _keep_sqlite
        elif connection.vendor == "postgresql" and not reuse:
            copy, keep = _copy_postgresql, _keep_postgresql
        else:
            return call_command(name, *args, **options)
        TEST_DB_CACHE.mkdir(parents=True, exist_ok=True)
        key = migrated_db_key()
        cached = TEST_DB_CACHE / f"migrated-{key}.sqlite3"
        store: Any = cached if connection.vendor == "sqlite" else _template_name(connection, key)
        with open(TEST_DB_CACHE / f"migrated-{key}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            connection.ensure_connection()
            if not fresh and copy(connection, store):
                return None
            result = call_command(name, *args, **options)
            keep(connection, store)
        for old in TEST_DB_CACHE.glob("migrated-*"):
            if old.stem != cached.stem and old.suffix in {".sqlite3", ".lock"}:
                old.unlink(missing_ok=True)
        return result

    return command


@pytest.fixture(scope="session")
def _migrated_db_cache(request: pytest.FixtureRequest, django_db_use_migrations: bool) -> Iterator[Any]:
    """`call_command` replaced by `_migrate_or_copy` until `django_db_setup` has made the databases."""
    if not django_db_use_migrations or os.environ.get("TEST_DB_CACHE") == "0":
        yield None
        return
    patcher = mock.patch(
        "django.core.management.call_command",
        _migrate_or_copy(
            bool(request.config.getvalue("create_db")), bool(request.config.getvalue("reuse_db"))
        ),
    )
    patcher.start()
    yield patcher
    patcher.stop()  # does nothing once `django_db_setup` has stopped it


@pytest.fixture(scope="session")
def django_db_setup(_migrated_db_cache: Any, django_db_setup: None) -> None:
    """pytest-django's test database setup, with `_migrated_db_cache` in place while it runs only."""
    if _migrated_db_cache is not None:
        _migrated_db_cache.stop()


def _flush_by_delete(original: Any) -> Any:
    """PostgreSQL's `sql_flush` for a transactional test's flush: a DELETE per table, its foreign keys
    checked once at the end (Django makes them deferrable), instead of one TRUNCATE of every table.
    A TRUNCATE makes new files for each of the 130-odd tables and their indexes: about a second per
    flush here, against some 20 ms for deleting the few rows a test made. Sequences are left as they
    were, as TRUNCATE without RESTART IDENTITY leaves them; a flush that resets them keeps TRUNCATE."""

    def sql_flush(self: Any, style: Any, tables: Any, *, reset_sequences: bool = False, **kwargs: Any) -> Any:
        if not tables or reset_sequences:
            return original(self, style, tables, reset_sequences=reset_sequences, **kwargs)
        return ["SET CONSTRAINTS ALL DEFERRED;"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
        ]

    return sql_flush


@pytest.fixture(scope="session", autouse=True)
def _postgresql_flush_by_delete() -> Iterator[None]:
    from django.db.backends.postgresql.operations import DatabaseOperations

    with mock.patch.object(DatabaseOperations, "sql_flush", _flush_by_delete(DatabaseOperations.sql_flush)):
        yield


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
