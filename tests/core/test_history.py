"""core.history: the history manager class is made once per model, and history is kept as before."""

from __future__ import annotations

import pytest

from campaigns.models import Campaign
from tests.factories import CampaignFactory


@pytest.mark.django_db
def test_every_save_reuses_one_history_manager_class_and_still_records_the_change():
    campaign = CampaignFactory(name="2025年世界计量日")
    campaign.name = "2025年5·20世界计量日"
    campaign.save()

    assert type(campaign.history) is type(Campaign.objects.get(pk=campaign.pk).history)
    assert list(campaign.history.order_by("history_id").values_list("history_type", "name")) == [
        ("+", "2025年世界计量日"),
        ("~", "2025年5·20世界计量日"),
    ]
    assert campaign.history.model is Campaign.history.model
