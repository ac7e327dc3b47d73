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
