"""Dashboard budget (DESIGN.md "Quality budgets"): the leadership dashboard over `seed_demo --records
100000` within 2x a bare logged-in page (the inbox) on the same gunicorn server, in requests per
second and p95 latency, under a local load generator on 127.0.0.1.

Run (the database named by DATABASE_URL must hold the volume; see benchmarks/README.md):

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python benchmarks/dashboard.py [--rounds 6]

Exits 1 when over budget.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wushan_metrology.settings")

import django  # noqa: E402 (Django is configured by the lines above)

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402

from organizations.models import User  # noqa: E402
from records.models import record_types  # noqa: E402

BUDGET = 2.0
PAGES = {"bare page (/inbox/)": "/inbox/", "dashboard (/dashboard/)": "/dashboard/"}


def session_cookie(username: str) -> str:
    """A logged-in session for `username`, made the way django.contrib.auth.login stores one."""
    user = User.objects.get(username=username)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def load(port: int, path: str, cookie: str, requests: int, concurrency: int) -> tuple[float, list[float]]:
    """`requests` GETs of `path` over `concurrency` keep-alive connections: (wall seconds, latencies)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Cookie": cookie, "Host": "127.0.0.1"}
        while True:
            with lock:
                if next(counter, None) is None:
                    break
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{path} answered {response.status}")
                break
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(errors[0])
    return time.perf_counter() - started, latencies


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--rounds", type=int, default=6, help="rounds; each runs both pages (default 6)")
    parser.add_argument("--requests", type=int, default=40, help="requests per page and round (default 40)")
    parser.add_argument("--concurrency", type=int, default=2, help="parallel connections (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    args = parser.parse_args()

    records = sum(model._default_manager.count() for model in record_types())
    vendor = django.db.connection.vendor
    print(f"database: {vendor}, {records} records")
    cookie = session_cookie("demo_leader")
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (a fixed command line: our gunicorn, our app)
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "wushan_metrology.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
    )
    try:
        wait_until_up(port)
        for path in PAGES.values():  # warm each worker's caches, as a running server has
            load(port, path, cookie, 4 * args.workers, args.concurrency)
        wall = dict.fromkeys(PAGES, 0.0)
        latencies: dict[str, list[float]] = {name: [] for name in PAGES}
        for round_no in range(args.rounds):
            order = list(PAGES) if round_no % 2 == 0 else list(reversed(PAGES))
            for name in order:
                seconds, taken = load(port, PAGES[name], cookie, args.requests, args.concurrency)
                wall[name] += seconds
                latencies[name] += taken
    finally:
        server.terminate()
        server.wait(timeout=30)

    bare, dashboard = list(PAGES)
    rps = {name: len(latencies[name]) / wall[name] for name in PAGES}
    tail = {name: p95(latencies[name]) for name in PAGES}
    for name in PAGES:
        print(
            f"{name:26} {rps[name]:7.1f} req/s  median {statistics.median(latencies[name]) * 1000:7.1f} ms"
            f"  p95 {tail[name] * 1000:7.1f} ms"
        )
    throughput_ratio = rps[bare] / rps[dashboard]
    tail_ratio = tail[dashboard] / tail[bare]
    print(
        f"ratios: {throughput_ratio:.2f}x fewer requests/s, {tail_ratio:.2f}x p95 (budget {BUDGET:.1f}x each)"
    )
    return 0 if max(throughput_ratio, tail_ratio) <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
