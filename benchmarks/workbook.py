"""Workbook budgets (DESIGN.md "Quality budgets", issue 14):

1. time: the per-inspection sheet (检查记录) over about 100,000 approved inspection rows, from the
   database to a saved .xlsx, within 1.5x raw openpyxl write-only appending the same cells;
2. memory: the peak resident memory of a process building it for 100k rows within 1.2x that of one
   building it for 10k rows.

Run (SQLite, a benchmark database under var/):
    .venv/bin/python benchmarks/workbook.py [--rows 100000] [--repeat 3]
Run on PostgreSQL:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wushan_h16 .venv/bin/python benchmarks/workbook.py

The first run migrates the database and bulk-inserts the inspections with `seed_demo --records`
(inspections only: the other record types play no part in this sheet). Exits 1 when over a budget.
See benchmarks/README.md for what is compared and the last results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wushan_metrology.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_workbook.sqlite3'}")

import django  # noqa: E402 (Django is configured by the lines above)

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.cell import WriteOnlyCell  # noqa: E402

from core import exporters  # noqa: E402
from core import spreadsheets as xl  # noqa: E402
from inspections.exports import RecordsSheet  # noqa: E402
from inspections.models import InspectionRecord  # noqa: E402
from inspections.selectors import inspection_counted_records  # noqa: E402
from reports.builders import Period, report_context  # noqa: E402

TIME_BUDGET = 1.5
MEMORY_BUDGET = 1.2
SAMPLE_ROWS = 2000
# About 70 % of seed_demo's bulk inspections come out approved (measured: 89,464 of 127,500); the
# sheet lists approved ones only.
APPROVED_SHARE = 0.7


def seed(rows: int) -> Any:
    """The 2025 campaign with at least `rows` approved inspections (inserted once, kept for reruns)."""
    call_command("migrate", verbosity=0)
    from campaigns.models import Campaign

    campaign = Campaign.objects.filter(year=2025).first()
    have = inspection_counted_records(campaign=campaign).count() if campaign else 0
    if have < rows:
        import demo.bulk

        # Inspections only: the bulk builder's other record types are not in this sheet.
        demo.bulk.shares_of = lambda records: {InspectionRecord: records}
        # seed_demo tops the campaign's inspections up to this total.
        wanted = int(rows / APPROVED_SHARE * 1.05)
        started = time.perf_counter()
        with Path(os.devnull).open("w") as quiet:
            call_command("seed_demo", records=wanted, allow_production=True, stdout=quiet)
        print(f"seeded inspections in {time.perf_counter() - started:.0f} s")
        campaign = Campaign.objects.get(year=2025)
    return campaign


def period_with(campaign: Any, rows: int) -> Period:
    """The shortest period from the first inspection day holding at least `rows` approved rows."""
    by_day = (
        inspection_counted_records(campaign=campaign)
        .order_by()
        .values_list("date")
        .annotate(n=Count("pk"))
        .order_by("date")
    )
    total, first = 0, None
    for day, n in by_day:
        first = first or day
        total += n
        if total >= rows:
            return Period(first, day)
    return Period(first, None)


def count_rows(campaign: Any, period: Period) -> int:
    return inspection_counted_records(
        campaign=campaign, date_from=period.date_from, date_to=period.date_to
    ).count()


def build_sheet(campaign: Any, period: Period) -> int:
    """Ours: the registered 检查记录 sheet in the official layout, from the database to a saved file."""
    context = report_context(campaign, period=period)
    workbook = xl.new_workbook()
    styles = exporters.Styles(workbook)
    written = exporters.write_sheet(workbook, styles, RecordsSheet(), context)
    with tempfile.TemporaryFile() as out:
        workbook.save(out)
    return written


def raw_rows(campaign: Any, period: Period, rows: int) -> Iterable[list[Any]]:
    """The same cells as plain values (labels resolved, datetimes naive), cycled from a real sample."""
    context = report_context(campaign, period=period)
    sheet = RecordsSheet()
    sample = [
        [None if v is None else xl.excel_value(v) for v in row]
        for row in itertools.islice(exporters.with_labels(sheet.rows(context), sheet.labels), SAMPLE_ROWS)
    ]
    return itertools.islice(itertools.cycle(sample), rows)


def build_raw(rows: Iterable[list[Any]], headers: list[str]) -> int:
    """The baseline: openpyxl write-only as its documentation shows it: a header row, then each row's
    values appended, the cells with a number format (dates, rates, money) as WriteOnlyCell with it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("检查记录")
    sheet.append(headers)
    formats = RecordsSheet.number_formats
    written = 0
    for row in rows:
        cells: list[Any] = []
        for index, value in enumerate(row):
            if index in formats and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = formats[index]
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
        written += 1
    with tempfile.TemporaryFile() as out:
        workbook.save(out)
    return written


def timed(run: Callable[[], int]) -> tuple[float, int]:
    gc.collect()
    started = time.perf_counter()
    written = run()
    return time.perf_counter() - started, written


def peak_memory(period: Period) -> tuple[int, int]:
    """The peak resident memory (bytes) of a fresh process building the sheet for `period`, and its rows.

    A process of its own each time, so that neither size inherits the other's high-water mark.
    """
    command = [sys.executable, __file__, "--memory-of", str(period.date_from), str(period.date_to or "")]
    # Our own interpreter running this file with dates it computed: no untrusted input.
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout.split()  # noqa: S603
    return int(output[-2]), int(output[-1])


def memory_child(date_from: str, date_to: str) -> None:
    from campaigns.models import Campaign

    campaign = Campaign.objects.get(year=2025)
    period = Period(dt.date.fromisoformat(date_from), dt.date.fromisoformat(date_to) if date_to else None)
    written = build_sheet(campaign, period)
    print(peak_rss(), written)


def peak_rss() -> int:
    """This process's peak resident memory in bytes. On Linux VmHWM, the peak of the process's own
    address space: ru_maxrss is kept across exec, so a child started from a large parent reported the
    parent's size (every earlier run measured the same peak at both sizes for that reason)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory-of", nargs=2, metavar=("FROM", "TO"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_of:
        memory_child(*args.memory_of)
        return 0

    campaign = seed(args.rows)
    full = period_with(campaign, args.rows)
    small = period_with(campaign, args.rows // 10)
    rows_full, rows_small = count_rows(campaign, full), count_rows(campaign, small)
    vendor = connection.vendor
    print(f"database: {vendor}; rows: {rows_full} (period {full.date_from}..{full.date_to}), {rows_small}")
    samples = raw_rows(campaign, full, rows_full)
    cells = list(samples)  # materialised once, outside the timing (a cycle of SAMPLE_ROWS real rows)

    ours_times, raw_times = [], []
    for round_no in range(args.repeat):
        # Alternate who goes first, so that neither always meets a warm or a cold cache.
        order = [
            ("ours", lambda: build_sheet(campaign, full)),
            ("raw", lambda: build_raw(cells, RecordsSheet.headers)),
        ]
        for name, run in order if round_no % 2 == 0 else reversed(order):
            seconds, written = timed(run)
            assert written == rows_full, (name, written, rows_full)
            (ours_times if name == "ours" else raw_times).append(seconds)
            print(f"  round {round_no + 1}: {name:4} {seconds:7.2f} s")
    ours, raw = statistics.median(ours_times), statistics.median(raw_times)
    time_ratio = ours / raw

    peak_small, written_small = peak_memory(small)
    peak_full, written_full = peak_memory(full)
    memory_ratio = peak_full / peak_small

    print()
    print(
        f"| {timezone.localdate()} | {vendor} | {written_full:,} rows × {len(RecordsSheet.headers)} cells "
        f"| ours {ours:.1f} s / raw openpyxl {raw:.1f} s = **{time_ratio:.2f}×** (≤ {TIME_BUDGET}×) "
        f"| peak {peak_full / 2**20:.1f} MiB ({written_full:,} rows) / {peak_small / 2**20:.1f} MiB "
        f"({written_small:,} rows) = **{memory_ratio:.2f}×** (≤ {MEMORY_BUDGET}×) |"
    )
    ok = time_ratio <= TIME_BUDGET and memory_ratio <= MEMORY_BUDGET
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
