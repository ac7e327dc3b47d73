import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from campaigns.reminders import reminders_send


class Command(BaseCommand):
    help = "Send the daily task reminders for a day (default today); a day already sent sends nothing again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD (Asia/Shanghai); default today")

    def handle(self, *args: Any, date: str | None, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--date must be YYYY-MM-DD") from exc
        run = reminders_send(day=day)
        self.stdout.write(
            f"{day}: {run.digests_created} digests sent, {run.digests_skipped} already sent, "
            f"{run.escalations_created} escalations"
        )
