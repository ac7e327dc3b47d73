from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.selectors import campaign_current
from reports.builders import Period, write_workbook
from reports.services import weekly_period
from reports.summary import write_summary


class Command(BaseCommand):
    help = (
        "Write a report to a file, as the report jobs build it: the summary workbook (.xlsx, the "
        "default) or the narrative 工作总结 (--format docx)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", choices=["weekly", "final"], default="weekly")
        parser.add_argument("--format", choices=["xlsx", "docx"], default="xlsx")
        parser.add_argument("--year", type=int, help="campaign year (default: the newest campaign)")
        parser.add_argument("--out", help="output path (default: ./<year>-<kind>-<date>.<format>)")

    def handle(
        self, *args: Any, kind: str, format: str, year: int | None, out: str | None, **options: Any
    ) -> None:
        campaign = Campaign.objects.filter(year=year).first() if year else campaign_current()
        if campaign is None:
            raise CommandError("no campaign: run seed_campaign first")
        today = timezone.localdate()
        final = Period(date_to=campaign.end_date or today)
        period = final if kind == "final" else weekly_period(today)
        path = Path(out or f"{campaign.year}-{kind}-{today:%Y%m%d}.{format}")
        write = write_summary if format == "docx" else write_workbook
        with path.open("wb") as target:
            write(campaign, target, period=period)
        self.stdout.write(f"wrote {path}")
