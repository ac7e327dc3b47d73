"""List budget (DESIGN.md "Quality budgets"): every list page and API list over `seed_demo --records
100000` within 1.5x its time over `--records 1000`, with the same number of SQL queries.

Two databases of the same engine, seeded with the two volumes, are measured side by side in one
process (the default connection is pointed at one, then the other, round by round, each database with
its own cache):

    .venv/bin/python benchmarks/lists.py --small sqlite:////tmp/bench_1k.sqlite3 \\
        --large sqlite:////tmp/bench_100k.sqlite3 [--rounds 5] [--only /review --only stations/]

Exits 1 when a list is over budget. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wushan_metrology.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402 (Django is configured by the lines above)

django.setup()

import environ  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from organizations.models import User  # noqa: E402
from records.models import record_types  # noqa: E402

BUDGET = 1.5
PAGES = [
    "/workbench/",
    "/workbench/review/",
    "/workbench/microstations/stations/",
    "/workbench/microstations/activities/",
    "/workbench/volunteers/",
    "/workbench/publicity/activities/",
    "/workbench/publicity/news/",
    "/workbench/publicity/incidents/",
    "/workbench/enterprises/",
    "/workbench/enterprises/visits/",
    "/workbench/inspections/",
    "/reports/",
    "/inbox/",
]
API = [
    f"/api/v1/{name}/"
    for name in (
        "tasks",
        "assignments",
        "stations",
        "station-activities",
        "volunteers",
        "publicity-activities",
        "news-items",
        "opinion-incidents",
        "enterprises",
        "enterprise-visits",
        "enterprise-problems",
        "inspections",
        "review-queue",
        "reports",
        "inbox",
    )
]


def use(label: str, url: str) -> None:
    """Point the default connection at the database `url` names (same engine as settings), connected
    before anything is timed, with the cache of its own (the map's layers are cached by ids both
    databases share), as two servers would have."""
    connection.close()
    connection.settings_dict.update(environ.Env.db_url_config(url))
    connection.ensure_connection()
    caches["default"].key_prefix = label


@dataclass
class Measured:
    times: list[float] = field(default_factory=list)
    queries: int = 0
    status: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def measure(path: str, username: str, repeat: int, databases: dict[str, str]) -> dict[str, Measured]:
    """`repeat` GETs of `path` by `username` on each database, after one warm-up each, interleaved
    round by round (the order alternating), so that a change in the machine's load falls on both."""
    clients = {}
    for label, url in databases.items():
        use(label, url)
        clients[label] = Client()
        clients[label].force_login(User.objects.get(username=username))
        clients[label].get(path)
    results = {label: Measured() for label in databases}
    labels = list(databases)
    for round_no in range(repeat):
        for label in labels if round_no % 2 == 0 else labels[::-1]:
            use(label, databases[label])
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = clients[label].get(path)
                results[label].times.append(time.perf_counter() - started)
            results[label].queries, results[label].status = (
                len(queries.captured_queries),
                response.status_code,
            )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--small", required=True, help="database URL seeded with --records 1000")
    parser.add_argument("--large", required=True, help="database URL seeded with --records 100000")
    parser.add_argument("--rounds", type=int, default=5, help="GETs per list and database (default 5)")
    parser.add_argument("--user", default="demo_admin", help="who lists (default demo_admin: sees all)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="measure only the lists whose path contains this (repeatable)",
    )
    args = parser.parse_args()

    databases = {"small": args.small, "large": args.large}
    sizes = {}
    for label, url in databases.items():
        use(label, url)
        sizes[label] = sum(model._default_manager.count() for model in record_types())
    print(f"{connection.vendor}: {sizes['small']} records against {sizes['large']}")
    print(f"{'list':42} {'small ms':>9} {'large ms':>9} {'ratio':>6} {'queries':>9}")
    paths = [path for path in PAGES + API if not args.only or any(part in path for part in args.only)]
    failures = 0
    for path in paths:
        result = measure(path, args.user, args.rounds, databases)
        small, large = result["small"], result["large"]
        ratio = large.median / small.median
        over = ratio > BUDGET or small.queries != large.queries or {small.status, large.status} != {200}
        failures += over
        print(
            f"{path:42} {small.median * 1000:9.1f} {large.median * 1000:9.1f} {ratio:5.2f}x "
            f"{small.queries:4}/{large.queries:<4}"
            + (f"  OVER ({small.status}/{large.status})" if over else "")
        )
    print(f"{failures} of {len(paths)} lists over budget ({BUDGET}x time, same queries)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
