"""``python -m load.profile``: where each main page of a load run spends its time.

Run inside ``scripts/with-services.sh`` after ``python -m load --prepare-only`` (or a
load run with ``--reuse``): it reads the kept database and the officials of
``var/load/cast.json``, and for each page as the official who opens it in the load run
prints the median time of a few requests (Django's test client, debug off), its SQL
queries (count, time, the slowest) and, with ``--pyinstrument``, the call tree of one
request (where the Python time goes: middleware, view, template).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import warnings

from bench import database

from .runner import VAR


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m load.profile")
    parser.add_argument("--database", default="qcdc_load")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", help="profile only pages whose label contains this")
    parser.add_argument("--pyinstrument", action="store_true", help="print a call tree per page")
    parser.add_argument("--sql", type=int, default=3, help="slowest queries shown per page")
    parser.add_argument("--sql-chars", type=int, default=300, help="characters of each shown")
    parser.add_argument(
        "--cprofile",
        type=int,
        default=0,
        metavar="N",
        help="run N requests of each page under cProfile and print the functions that took "
        "the most time of their own (steadier than one call tree for pages of a few ms)",
    )
    return parser.parse_args()


def pages(cast: dict) -> list[tuple[str, str, str]]:
    """(label, kind of official, URL) of the pages the officials open."""
    officials = cast["officials"]
    reviewer = next(o for o in officials if o["kind"] == "reviewer")
    filer = next(o for o in officials if o["kind"] == "filer")
    period, year = reviewer["period"], cast["year"]
    return [
        ("home (reviewer)", "reviewer", "/"),
        ("home (filer)", "filer", "/"),
        ("period page (reviewer)", "reviewer", f"/reports/periods/{period}/"),
        ("period page (filer)", "filer", f"/reports/periods/{filer['period']}/"),
        ("summary page", "reviewer", f"/reports/periods/{period}/summary/"),
        ("reporting years", "reader", "/reports/"),
        ("petitions list", "reviewer", f"/petitions/?year={year}&state=open"),
        ("petitions list (filer)", "filer", f"/petitions/?year={year}&state=open"),
        ("petitions dashboard", "reviewer", "/petitions/dashboard/"),
        ("petitions dashboard (filer)", "filer", "/petitions/dashboard/"),
        ("trainings list", "reviewer", f"/trainings/?year={year}"),
        ("units list", "reader", f"/units/?year={year}"),
        ("API petitions", "api", f"/api/v1/petitions/?year={year}"),
        ("API trainings", "api", f"/api/v1/trainings/?year={year}"),
        ("API reports", "api", f"/api/v1/reports/?period={period}"),
        ("API me", "api", "/api/v1/me/"),
        ("login page", "", "/accounts/login/"),
    ]


def report_pages(reviewer, filer) -> list[tuple[str, str, str]]:
    """The page of a report the reviewer reads (one of this year's where the officials
    have filed some, else the newest), and the form of the filer's own report of this
    year (once a load run has opened it), where there are such."""
    from reports.models import AnnualReport

    pages = []
    report = AnnualReport.objects.visible_to(reviewer).order_by("-period__year", "pk").first()
    if report:
        pages.append(("report page (reviewer)", "reviewer", report.get_absolute_url()))
    own = AnnualReport.objects.editable_by(filer).order_by("-period__year", "pk").first()
    if own:
        pages.append(("report form (filer)", "filer", f"{own.get_absolute_url()}edit/"))
    return pages


def main() -> int:
    args = parse()
    url = database.with_database(database.server_url(), args.database)
    database.configure_environment(url)
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    os.environ["QCDC_STATIC_ROOT"] = str(VAR / "static")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from committees.models import User

    cast = json.loads((VAR / "cast.json").read_text())
    clients: dict[str, Client] = {"": Client()}
    users: dict[str, User] = {}
    for kind in ("reviewer", "filer", "reader", "api"):
        official = next(o for o in cast["officials"] if o["kind"] == kind)
        client = Client()
        users[kind] = User.objects.get(username=official["username"])
        client.force_login(users[kind], backend="django.contrib.auth.backends.ModelBackend")
        clients[kind] = client
    for label, kind, path in pages(cast) + report_pages(users["reviewer"], users["filer"]):
        if args.only and args.only not in label:
            continue
        client = clients[kind]
        response = client.get(path)
        if response.status_code != 200:
            print(f"{label}: {path} answered {response.status_code}", file=sys.stderr)
            continue
        seconds = []
        cpu = CpuClock(connection)
        for _ in range(args.repeats):
            start = time.perf_counter()
            client.get(path)
            seconds.append(time.perf_counter() - start)
        python_cpu, database_cpu = cpu.per_request(args.repeats)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        sql = sum(float(q["time"]) for q in queries.captured_queries)
        print(
            f"{label:<30} {statistics.median(seconds) * 1000:>8.0f} ms  "
            f"{len(queries.captured_queries):>3} queries {sql * 1000:>7.0f} ms SQL  "
            f"CPU {python_cpu * 1000:>5.1f} + {database_cpu * 1000:>5.1f} ms   {path}"
        )
        slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
        for q in slowest[: args.sql]:
            print(f"      {float(q['time']) * 1000:>7.1f} ms  {q['sql'][: args.sql_chars]}")
        if args.pyinstrument:
            from pyinstrument import Profiler

            with Profiler(interval=0.001) as profiler:
                client.get(path)
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        if args.cprofile:
            print_cprofile(client, path, args.cprofile)
    return 0


class CpuClock:
    """The CPU time a request costs the portal's process and its PostgreSQL backend:
    steadier than the wall clock on a machine whose cores other work shares (the kernel
    counts it in ticks, so it is read over all the repeats of a page, not per request)."""

    def __init__(self, connection) -> None:
        import psutil

        connection.ensure_connection()
        self.connection = connection
        self.pid = connection.connection.info.backend_pid
        self.backend = psutil.Process(self.pid)
        self.python = time.process_time()
        self.database = self._backend_seconds()

    def _backend_seconds(self) -> float:
        times = self.backend.cpu_times()
        return times.user + times.system

    def per_request(self, requests: int) -> tuple[float, float]:
        """Seconds of CPU per request: this process, the database backend."""
        python = (time.process_time() - self.python) / requests
        if self.connection.connection is None or (
            self.connection.connection.info.backend_pid != self.pid
        ):
            return python, float("nan")  # a new connection: its first backend is gone
        return python, (self._backend_seconds() - self.database) / requests


def print_cprofile(client, path: str, requests: int) -> None:
    """The 25 functions with the most time of their own over ``requests`` requests."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
    print(out.getvalue())


if __name__ == "__main__":
    raise SystemExit(main())
