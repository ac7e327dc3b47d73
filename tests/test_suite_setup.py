"""The test database the suite starts from: copied from var/test-db/ when the migrations are unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from organizations.roles import Role
from tests.conftest import migrated_db_key


@pytest.mark.django_db
def test_the_test_database_has_every_migration_applied_and_the_data_they_make():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


def test_the_cached_database_is_made_again_when_the_project_code_changes(settings, tmp_path: Path):
    settings.BASE_DIR = tmp_path
    (tmp_path / "roles.py").write_text("OFFICE = 'office'\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("def test_x(): pass\n")
    first = migrated_db_key()

    (tmp_path / "tests" / "test_x.py").write_text("def test_x(): assert True\n")
    assert migrated_db_key() == first  # a test's change leaves the migrated database as it is

    (tmp_path / "roles.py").write_text("OFFICE = 'an office'\n")
    assert migrated_db_key() != first


@pytest.mark.django_db(transaction=True)
def test_a_transactional_flush_empties_every_table():
    """On PostgreSQL the flush deletes table by table (tests/conftest.py `_flush_by_delete`), in an order
    that ignores the foreign keys: rows that point at each other all go, and the flush commits, so every
    deferred check passed."""
    from django.core.management import call_command

    from tests.factories import TaskAssignmentFactory

    TaskAssignmentFactory()  # an assignment, its task, campaign and unit, pointing at one another

    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)

    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            assert cursor.fetchone() == (0,), table


def test_the_postgresql_flush_deletes_rows_and_truncates_only_to_reset_sequences():
    from django.core.management.color import no_style
    from django.db.backends.postgresql.operations import DatabaseOperations

    from tests.conftest import _flush_by_delete

    ops = DatabaseOperations(connection)  # only quotes names here
    flush = _flush_by_delete(lambda self, style, tables, **kwargs: ["TRUNCATE …;"])

    assert flush(ops, no_style(), ["a", "b"]) == [
        "SET CONSTRAINTS ALL DEFERRED;",
        'DELETE FROM "a";',
        'DELETE FROM "b";',
    ]
    assert flush(ops, no_style(), ["a"], reset_sequences=True) == ["TRUNCATE …;"]
    assert flush(ops, no_style(), []) == ["TRUNCATE …;"]
