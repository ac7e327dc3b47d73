from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from campaigns.seeding import seed_campaign_2025
from demo.bulk import Volume, planner_statistics_refresh, seed_volume
from demo.campaigns import seed_campaign_demo, seed_reporting_windows
from demo.enterprises import seed_enterprise_demo
from demo.inspections import seed_inspections
from demo.instruments import seed_instruments
from demo.microstations import seed_activities, seed_stations
from demo.organizations import seed_accounts, seed_units
from demo.publicity import seed_publicity_demo
from demo.volunteers import seed_volunteers
from records.facts import facts_rebuild
from records.services import reviewers_fill_all


class Command(BaseCommand):
    help = "Load deterministic demo units, accounts and records on top of the 2025 campaign (demo mode only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--records",
            type=int,
            default=0,
            help="about this many records in total, in fixed proportions over every record type "
            "(bulk-inserted; default 0: the showcase records only)",
        )
        parser.add_argument("--seed", type=int, default=520, help="random seed (default 520)")
        parser.add_argument(
            "--allow-production", action="store_true", help="load demo accounts even with DEBUG off"
        )

    def handle(self, *args: Any, records: int, seed: int, allow_production: bool, **options: Any) -> None:
        if records < 0:
            raise CommandError("--records must not be negative")
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "demo accounts are for demo mode (DEBUG on); pass --allow-production to insist"
            )
        with transaction.atomic():
            units = seed_units()
            campaign = seed_campaign_2025()
            accounts = seed_accounts(units, settings.DEMO_PASSWORD)
            actors = {user.unit_id: user for user in accounts.values() if user.unit_id}
            assignments = seed_campaign_demo(campaign, scale=1, seed=seed, actors=actors)
            admin = accounts["demo_admin"]
            windows = seed_reporting_windows(campaign, admin=admin)
            stations = seed_stations(campaign, units, admin)
            activities = seed_activities(stations, scale=1, seed=seed, office_users=actors, admin=admin)
            volunteers = seed_volunteers(stations, actors, admin)
            publicity = seed_publicity_demo(
                campaign, units, stations, scale=1, seed=seed, office_users=actors, admin=admin
            )
            visits = seed_enterprise_demo(campaign, scale=1, seed=seed, office_users=actors, admin=admin)
            inspections = seed_inspections(
                campaign, units, scale=1, seed=seed, office_users=actors, admin=admin
            )
            instruments = seed_instruments(units, admin)
            volume = Volume(
                campaign, seed=seed, units=units, stations=stations, office_users=actors, admin=admin
            )
            bulk = seed_volume(volume, records=records)
            # The bulk inserts bypass the services that route each submitted record to its reviewer
            # and keep the precomputed figures in step.
            reviewers_fill_all()
            cells = facts_rebuild(campaign)
        refreshed = planner_statistics_refresh()
        self.stdout.write(
            f"demo data: {len(units)} units, {len(accounts)} accounts, "
            f"{campaign.tasks.count()} tasks, {assignments} assignments, "
            f"{len(windows)} new reporting windows, {len(stations)} stations, "
            f"{activities} new station activities, {volunteers} new volunteers"
            f", {publicity['activities']} new publicity activities, {publicity['news']} new news items, "
            f"{publicity['incidents']} new opinion incidents"
            f", {visits} new enterprise visits"
            f", {inspections} new inspections"
            f", {instruments} new register lines"
            f"; bulk: {', '.join(f'{n} {label}' for label, n in bulk.items())}"
            f"; {cells} precomputed figure cells"
            + (f"; planner statistics refreshed ({refreshed})" if refreshed else "")
        )
