from typing import Any

from django.core.management.base import BaseCommand

from campaigns.seeding import seed_campaign_2025


class Command(BaseCommand):
    help = "Create the 2025 campaign exactly as the county bureau's notice states it (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = seed_campaign_2025()
        self.stdout.write(
            f"{campaign.name}: {campaign.workstreams.count()} workstreams, "
            f"{campaign.tasks.count()} tasks, {campaign.targets.count()} targets"
        )
