"""Re-running the project's data migrations after a test flushed the database.

Live-server and real-worker tests end with a flush, which empties what the data migrations made (role
groups and their permissions, beat schedules, 舆情 levels). The data migrations are idempotent, so they
are run again against today's models, each after the migrations it depends on, as `migrate` ran them
(an alphabetical order would rename the 舆情 schedule in opinion 0002 before publicity 0004 made it).
A step about a model that has since moved to another app has nothing to do in today's state and is
skipped; the later migration that follows the move does its work.
"""

from __future__ import annotations

from pathlib import Path


def rerun_data_migrations() -> None:
    from django.apps import apps
    from django.conf import settings
    from django.core.exceptions import ObjectDoesNotExist
    from django.db import connection, transaction
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.operations import RunPython

    project_apps = {c.label for c in apps.get_app_configs() if Path(c.path).is_relative_to(settings.BASE_DIR)}
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    plan = list(dict.fromkeys(node for leaf in graph.leaf_nodes() for node in graph.forwards_plan(leaf)))
    state_apps = executor.loader.project_state().apps
    with connection.schema_editor() as schema_editor:
        for app_label, name in plan:
            if app_label not in project_apps:
                continue
            for operation in graph.nodes[app_label, name].operations:
                if isinstance(operation, RunPython):
                    try:
                        with transaction.atomic():
                            operation.code(state_apps, schema_editor)
                    except (ObjectDoesNotExist, LookupError):
                        pass
