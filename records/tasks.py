"""Scheduled checks of the precomputed official figures (records.facts)."""

from __future__ import annotations

import logging

from celery import shared_task

from campaigns.models import Campaign
from records.facts import facts_verify

logger = logging.getLogger(__name__)


@shared_task(name="records.facts_verify")
def verify_facts(repair: bool = True) -> int:
    """Beat runs this nightly: every campaign's stored figures against a recount from its records.

    A difference means a counted change bypassed the services (a bulk import, a manual SQL fix): it is
    logged as an error, so that the cause is looked for, and repaired. Returns the cells that differed.
    """
    differing = 0
    for campaign in Campaign.objects.order_by("pk"):
        cells = facts_verify(campaign, repair=repair)
        if cells:
            logger.error(
                "precomputed figures of campaign %s differed from a recount in %d cells%s",
                campaign.pk,
                cells,
                " (repaired)" if repair else "",
            )
        differing += cells
    return differing
