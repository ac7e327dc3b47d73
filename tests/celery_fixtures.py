"""How the job tests (notifications, reports, reminders) meet Celery without touching a real queue.

`eager_tasks`: a task queued after commit runs at once in the test's process, so that its outcome can be
asserted and nothing lands in the embedded broker under var/ (which a `make run` worker would pick up
against the demo database) or in a shared Redis. `with broker_unreachable():` tasks are really
published, to a Redis port where nothing listens, as when Redis is down in production.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from wushan_metrology.celery import app as celery_app

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def eager_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


@contextmanager
def broker_unreachable() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(celery_app.conf, "task_always_eager", False)
        patch.setenv("CELERY_BROKER_WRITE_URL", UNREACHABLE_BROKER)
        patch.setitem(
            celery_app.conf,
            "broker_transport_options",
            {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        )
        # The app keeps a producer pool for the broker it first published to: start without one, and
        # give the old one back afterwards.
        patch.setattr(celery_app, "_pool", None)
        patch.setattr(celery_app.amqp, "_producer_pool", None)
        try:
            yield
        finally:
            if celery_app._pool is not None:
                celery_app._pool.force_close_all()
