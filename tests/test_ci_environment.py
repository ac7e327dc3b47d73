"""CI runs the suite a second time on PostgreSQL and Redis; these make sure it really did."""

import os

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.skipif("EXPECT_DB_VENDOR" not in os.environ, reason="only when CI names the database it expects")
def test_suite_runs_on_the_database_ci_asked_for():
    assert connection.vendor == os.environ["EXPECT_DB_VENDOR"]


@pytest.mark.skipif("EXPECT_BROKER" not in os.environ, reason="only when CI names the broker it expects")
def test_suite_runs_on_the_broker_ci_asked_for(client):
    assert settings.CELERY_BROKER_URL.split(":", 1)[0] == os.environ["EXPECT_BROKER"]
    response = client.get("/healthz/")
    assert response.json()["broker"] == "ok"
