"""The review queue's 经费 filter (records/queue.py): only items above their campaign's threshold, with
the amount; the threshold is the campaign's own setting (issue 13)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from records.models import ReviewStatus
from tests.html import select, text
from tests.inspections.factories import InspectionFactory
from tests.microstations.factories import MicroStationFactory, StationActivityFactory

QUEUE = reverse("records:review_queue")


def submitted(factory, **kwargs):
    return factory(review_status=ReviewStatus.SUBMITTED, submitted_at=timezone.now(), **kwargs)


@pytest.fixture
def queue(office_a):
    station = MicroStationFactory(supervising_unit=office_a.unit, opened=True)
    return {
        "costly": submitted(
            StationActivityFactory, station=station, created_by=office_a, cost=Decimal("8000")
        ),
        "modest": submitted(
            StationActivityFactory, station=station, created_by=office_a, cost=Decimal("3000")
        ),
        "inspection": submitted(InspectionFactory, unit=office_a.unit, created_by=office_a),
    }


def listed(response) -> list[int]:
    return sorted(item.record.pk for item in response.context["items"])


def test_the_filter_keeps_only_items_above_the_threshold_with_their_amount(client, bureau_admin, queue):
    client.force_login(bureau_admin)

    everything = client.get(QUEUE)
    flagged = client.get(QUEUE, {"over_cost": "on"})

    assert len(everything.context["items"]) == 3
    assert listed(flagged) == [queue["costly"].pk]
    assert [text(mark) for mark in select(flagged, "mark[data-cost-flag]")] == ["¥8000.00"]
    assert "只看经费超过提示线的" in flagged.content.decode()


def test_lowering_the_campaigns_threshold_flags_more(client, bureau_admin, queue):
    Campaign.objects.filter(pk=queue["costly"].campaign_id).update(cost_flag_threshold=Decimal("2000"))
    client.force_login(bureau_admin)

    flagged = client.get(QUEUE, {"over_cost": "on"})

    assert listed(flagged) == sorted([queue["costly"].pk, queue["modest"].pk])


@pytest.mark.parametrize("items", [1, 4])
def test_the_flagged_queue_runs_the_same_queries_whatever_the_data_size(
    client, bureau_admin, office_a, items, django_assert_num_queries
):
    station = MicroStationFactory(supervising_unit=office_a.unit, opened=True)
    for _ in range(items):
        submitted(StationActivityFactory, station=station, created_by=office_a, cost=Decimal("9000"))
    client.force_login(bureau_admin)

    # Measured: 10 at both sizes, as the unfiltered queue: the session, the user, permissions, the
    # unit choices, the count, the page's (kind, pk) rows, one query per record type on the page (with
    # its campaign joined for the flag), the role context processor's groups and the user's unit.
    with django_assert_num_queries(10):
        response = client.get(QUEUE, {"over_cost": "on"})
    assert len(response.context["items"]) == items
