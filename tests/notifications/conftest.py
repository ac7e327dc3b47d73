"""Notification tests run tasks eagerly (see tests/celery_fixtures.py) and keep a fake robot at hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from notifications.models import Digest
from notifications.services import digest_create
from tests.celery_fixtures import eager_tasks
from tests.notifications.mail import FlakyEmailBackend
from tests.notifications.robots import FakeRobot

__all__ = ["eager_tasks"]

DAY = dt.date(2025, 5, 20)


@pytest.fixture(autouse=True)
def _eager(eager_tasks: None) -> None:
    pass


@pytest.fixture
def robot() -> Iterator[FakeRobot]:
    server = FakeRobot()
    yield server
    server.close()


@pytest.fixture
def flaky_mail(settings: Any) -> Iterator[type[FlakyEmailBackend]]:
    settings.EMAIL_BACKEND = "tests.notifications.mail.FlakyEmailBackend"
    FlakyEmailBackend.failures = 0
    FlakyEmailBackend.during_send = None
    yield FlakyEmailBackend
    FlakyEmailBackend.failures = 0
    FlakyEmailBackend.during_send = None


@pytest.fixture
def make_digest(unit_a: Any, office_a: Any) -> Callable[..., Digest]:
    """A unit digest for 20 May, planned through the service (the claim and its deliveries)."""

    def make(**overrides: Any) -> Digest:
        values: dict[str, Any] = {
            "kind": "daily_reminder",
            "audience": f"unit:{unit_a.pk}",
            "day": DAY,
            "unit": unit_a,
            "subject": "05月20日 任务提醒：甲地市场监管所",
            "body": "【已逾期】\n· 开展计量专项检查（2025-05-18，逾期 2 天）",
            "recipients": [office_a],
            "url": "/workbench/",
        }
        values.update(overrides)
        digest = digest_create(**values)
        assert digest is not None
        return digest

    return make
