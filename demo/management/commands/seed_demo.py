from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from campaigns.seeding import seed_campaign_2025
from demo.campaigns import seed_campaign_demo
from demo.enterprises import seed_enterprise_demo
from demo.inspections import seed_inspections
from demo.microstations import seed_activities, seed_stations
from demo.organizations import seed_accounts, seed_units
from demo.publicity import seed_publicity_demo
from demo.volunteers import seed_volunteers


class Command(BaseCommand):
    help = "Load deterministic demo units, accounts and records on top of the 2025 campaign (demo mode only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=int, default=1, help="multiplies the demo record counts (default 1)"
        )
        parser.add_argument("--seed", type=int, default=520, help="random seed (default 520)")
        parser.add_argument(
            "--allow-production", action="store_true", help="load demo accounts even with DEBUG off"
        )

    def handle(self, *args: Any, scale: int, seed: int, allow_production: bool, **options: Any) -> None:
        if scale < 1:
            raise CommandError("--scale must be at least 1")
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "demo accounts are for demo mode (DEBUG on); pass --allow-production to insist"
            )
        with transaction.atomic():
            units = seed_units()
            campaign = seed_campaign_2025()
            accounts = seed_accounts(units, settings.DEMO_PASSWORD)
            actors = {user.unit_id: user for user in accounts.values() if user.unit_id}
            assignments = seed_campaign_demo(campaign, scale=scale, seed=seed, actors=actors)
            admin = accounts["demo_admin"]
            stations = seed_stations(campaign, units, admin)
            activities = seed_activities(stations, scale=scale, seed=seed, office_users=actors, admin=admin)
            volunteers = seed_volunteers(stations, actors, admin)
            publicity = seed_publicity_demo(
                campaign, units, stations, scale=scale, seed=seed, office_users=actors, admin=admin
            )
            visits = seed_enterprise_demo(campaign, scale=scale, seed=seed, office_users=actors, admin=admin)
            inspections = seed_inspections(
                campaign, units, scale=scale, seed=seed, office_users=actors, admin=admin
            )
        self.stdout.write(
            f"demo data: {len(units)} units, {len(accounts)} accounts, "
            f"{campaign.tasks.count()} tasks, {assignments} assignments, {len(stations)} stations, "
            f"{activities} new station activities, {volunteers} new volunteers"
            f", {publicity['activities']} new publicity activities, {publicity['news']} new news items, "
            f"{publicity['incidents']} new opinion incidents"
            f", {visits} new enterprise visits"
            f", {inspections} new inspections"
        )
