from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.selectors import campaign_current
from reports.builders import Period, build_workbook


class Command(BaseCommand):
    help = "Write the summary workbook (the same the report jobs build) to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", choices=["weekly", "final"], default="weekly")
        parser.add_argument("--year", type=int, help="campaign year (default: the newest campaign)")
        parser.add_argument("--out", help="output path (default: ./<campaign>-<kind>-<date>.xlsx)")

    def handle(self, *args: Any, kind: str, year: int | None, out: str | None, **options: Any) -> None:
        campaign = Campaign.objects.filter(year=year).first() if year else campaign_current()
        if campaign is None:
            raise CommandError("no campaign: run seed_campaign first")
        today = timezone.localdate()
        date_to = campaign.end_date if kind == "final" and campaign.end_date else today
        path = Path(out or f"{campaign.year}-{kind}-{today:%Y%m%d}.xlsx")
        path.write_bytes(build_workbook(campaign, period=Period(date_to=date_to)))
        self.stdout.write(f"wrote {path}")
