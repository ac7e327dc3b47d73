from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from campaigns.cloning import campaign_clone


class Command(BaseCommand):
    help = (
        "Copy a campaign into a new year: workstreams, targets, groups, tasks, parties, milestones and "
        "reporting windows, dates shifted by whole years (or --shift-days), every assignment 待签收. "
        "A campaign of the target year that exists is left as it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from", dest="from_year", type=int, required=True, help="year to copy, e.g. 2025"
        )
        parser.add_argument("--to", dest="to_year", type=int, required=True, help="new year, e.g. 2026")
        parser.add_argument(
            "--shift-days", type=int, default=None, help="shift every date by N days instead of whole years"
        )

    def handle(
        self, *args: Any, from_year: int, to_year: int, shift_days: int | None, **options: Any
    ) -> None:
        try:
            result = campaign_clone(actor=None, from_year=from_year, to_year=to_year, shift_days=shift_days)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        campaign = result.campaign
        if not result.created:
            self.stdout.write(f"{campaign.year} exists already ({campaign.name}): nothing changed")
            return
        self.stdout.write(
            f"{campaign.name}: {campaign.workstreams.count()} workstreams, {campaign.tasks.count()} tasks, "
            f"{campaign.targets.count()} targets, {campaign.reporting_windows.count()} reporting windows, "
            f"{sum(t.assignments.count() for t in campaign.tasks.all())} assignments (待签收)"
        )
