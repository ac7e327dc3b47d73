"""List budget (DESIGN.md "Quality budgets"): every list page and API list over `seed_demo --records
100000` within 1.5x its time over `--records 1000`, with the same number of SQL queries.

Two databases of the same engine, seeded with the two volumes, are measured side by side in one
process (the default connection is pointed at one, then the other, round by round):

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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wushan_metrology.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402 (Django is configured by the lines above)

django.setup()

import environ  # noqa: E402
from django.core.cache import cache  # noqa: E402
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


def use(url: str) -> None:
    """Point the default connection at the database `url` names (same engine as settings)."""
    connection.close()
    connection.settings_dict.update(environ.Env.db_url_config(url))
    # Cached parts of a page (the map's layers) are keyed by ids both databases share: start cold.
    cache.clear()


def measure(path: str, username: str, repeat: int) -> tuple[float, int, int]:
    """(median seconds, queries, status) of `repeat` GETs by `username`, after one warm-up."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.get(path)
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
    return statistics.median(times), len(queries.captured_queries), response.status_code


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

    sizes = {}
    for label, url in (("small", args.small), ("large", args.large)):
        use(url)
        sizes[label] = sum(model._default_manager.count() for model in record_types())
    print(f"{connection.vendor}: {sizes['small']} records against {sizes['large']}")
    print(f"{'list':42} {'small ms':>9} {'large ms':>9} {'ratio':>6} {'queries':>9}")
    paths = [path for path in PAGES + API if not args.only or any(part in path for part in args.only)]
    failures = 0
    for path in paths:
        result = {}
        for label, url in (("small", args.small), ("large", args.large)):
            use(url)
            result[label] = measure(path, args.user, args.rounds)
        (small, small_q, small_status), (large, large_q, large_status) = result["small"], result["large"]
        ratio = large / small
        over = ratio > BUDGET or small_q != large_q or small_status != 200 or large_status != 200
        failures += over
        print(
            f"{path:42} {small * 1000:9.1f} {large * 1000:9.1f} {ratio:5.2f}x {small_q:4}/{large_q:<4}"
            + (f"  OVER ({small_status}/{large_status})" if over else "")
        )
    print(f"{failures} of {len(paths)} lists over budget ({BUDGET}x time, same queries)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
