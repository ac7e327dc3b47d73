"""The nightly check of the precomputed figures (records.tasks.verify_facts, scheduled by a data
migration) and `manage.py facts_rebuild [--verify]`."""

from __future__ import annotations

import logging
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_celery_beat.models import PeriodicTask

from records.facts import facts_differences, facts_rebuild, facts_recount, facts_stored, facts_verify
from records.models import Fact, ReviewStatus
from records.tasks import verify_facts
from tests.microstations.factories import MicroStationFactory, StationActivityFactory, campaign_2025

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    """Three approved activities inserted behind the services' back: no figures stored for them."""
    campaign = campaign_2025()
    station = MicroStationFactory(campaign=campaign, opened=True)
    StationActivityFactory.create_batch(3, station=station, review_status=ReviewStatus.APPROVED)
    StationActivityFactory(station=station, review_status=ReviewStatus.SUBMITTED)
    return campaign


def test_verify_counts_the_differing_cells_and_repair_makes_them_equal_a_recount(campaign):
    differing = facts_differences(campaign)
    assert differing
    assert all(stored == 0 for stored, _recounted in differing.values())

    assert facts_verify(campaign) == len(differing)
    assert facts_stored(campaign) == {}  # without repair nothing is written

    assert facts_verify(campaign, repair=True) == len(differing)
    assert facts_stored(campaign) == facts_recount(campaign)
    assert facts_verify(campaign) == 0


def test_the_task_repairs_a_corrupted_cell_and_logs_it(campaign, caplog):
    facts_rebuild(campaign)
    cell = Fact.objects.filter(campaign=campaign, metric="count").first()
    Fact.objects.filter(pk=cell.pk).update(value=cell.value + 7)

    with caplog.at_level(logging.ERROR, logger="records.tasks"):
        assert verify_facts() == 1

    assert "differed from a recount in 1 cells (repaired)" in caplog.text
    cell.refresh_from_db()
    assert cell.value == Decimal(3)
    assert verify_facts() == 0


def test_the_command_verifies_without_writing_and_rebuilds(campaign):
    out = StringIO()
    with pytest.raises(CommandError, match="cells differ from a recount"):
        call_command("facts_rebuild", "--verify", stdout=out)
    assert facts_stored(campaign) == {}

    call_command("facts_rebuild", "--campaign", str(campaign.pk), stdout=out)
    call_command("facts_rebuild", "--verify", stdout=out)

    assert "0 cells differ from a recount" in out.getvalue()
    assert facts_stored(campaign) == facts_recount(campaign)
    with pytest.raises(CommandError, match="no campaign"):
        call_command("facts_rebuild", "--campaign", "999999")


def test_the_check_is_scheduled_every_night():
    task = PeriodicTask.objects.select_related("crontab").get(task="records.facts_verify")

    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("30", "3", "*")
    assert str(task.crontab.timezone) == "Asia/Shanghai"
