from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from campaigns.notice_import import CampaignProposal, NoticeError, read_notice_file
from campaigns.notice_services import PartyMatch, campaign_import_notice, notice_parse, party_matches


class Command(BaseCommand):
    help = (
        "Read a bureau notice (.txt or .docx) into a campaign: workstreams, tasks with their units, "
        "targets and 工作要求. Creates only what is missing; --dry-run prints the proposal and writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the notice, .txt (UTF-8 or GB18030) or .docx")
        parser.add_argument(
            "--year", type=int, default=None, help="the campaign's year (default: the notice's)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be created; write nothing"
        )
        parser.add_argument(
            "--map",
            dest="mappings",
            action="append",
            default=[],
            metavar="NAME=CHOICE",
            help="what an unknown name stands for: unit:<id>, new:<kind> or group:<kind> (repeatable)",
        )

    def handle(
        self, *args: Any, path: Path, year: int | None, dry_run: bool, mappings: list[str], **options: Any
    ) -> None:
        try:
            proposal = notice_parse(read_notice_file(path.name, path.read_bytes()), year=year)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        except NoticeError as exc:
            raise CommandError(str(exc)) from exc
        decisions = dict(item.split("=", 1) for item in mappings if "=" in item)
        if dry_run:
            self._print(proposal, party_matches(proposal))
            return
        try:
            result = campaign_import_notice(actor=None, proposal=proposal, decisions=decisions)
        except ValidationError as exc:
            raise CommandError(
                "; ".join(exc.messages) + " (use --map NAME=unit:<id>|new:<kind>|group:<kind>)"
            ) from exc
        created = ", ".join(f"{count} {name}" for name, count in result.created.items())
        self.stdout.write(f"{result.campaign.name}: created {created}")

    def _print(self, proposal: CampaignProposal, matches: dict[str, PartyMatch]) -> None:
        write = self.stdout.write
        write(f"{proposal.year} {proposal.name} (theme: {proposal.theme}; notice: {proposal.notice_title})")
        for ws in proposal.workstreams:
            write(f"workstream {ws.number} {ws.notice_ref} {ws.title}")
        for task in proposal.tasks:
            write(f"task {task.notice_ref} {task.title}")
            for party in task.parties:
                match = matches[party.label]
                what = match.unit.name if match.unit else ",".join(match.kinds) or "UNKNOWN"
                write(f"  {party.role}: {party.label} -> {what}")
        for target in proposal.targets:
            metric = target.metric if target.matched else f"{target.metric} (no registered metric)"
            write(f"target {target.label} {target.goal}{target.unit_label} -> {metric}")
        for item in proposal.requirements:
            write(f"requirement {item.notice_ref} {item.title}")
        write("dry run: nothing written")
