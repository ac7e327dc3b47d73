from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from campaigns.models import Campaign
from records.facts import facts_rebuild, facts_verify


class Command(BaseCommand):
    help = (
        "Recount the precomputed official figures from the records (after bulk inserts that bypass the "
        "services), or with --verify only compare them (exit 1 when they differ)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", type=int, help="the campaign's id (default: every campaign)")
        parser.add_argument(
            "--verify", action="store_true", help="only compare the stored figures with a recount"
        )

    def handle(self, *args: Any, campaign: int | None, verify: bool, **options: Any) -> None:
        campaigns = Campaign.objects.order_by("pk")
        if campaign is not None:
            campaigns = campaigns.filter(pk=campaign)
            if not campaigns.exists():
                raise CommandError(f"no campaign with id {campaign}")
        differing = 0
        for row in campaigns:
            if verify:
                cells = facts_verify(row)
                differing += cells
                self.stdout.write(f"{row.name}: {cells} cells differ from a recount")
            else:
                self.stdout.write(f"{row.name}: {facts_rebuild(row)} cells recounted")
        if differing:
            raise CommandError(f"{differing} cells differ from a recount")
