"""``make load`` from start to end: the data of ``make bench``, the portal's processes,
the simulated officials, the saturation throughput, the table and its files.

It runs inside ``scripts/with-services.sh`` (a throw-away PostgreSQL and Redis), builds a
database of its own next to the one named by ``DATABASE_URL`` (as the benchmark does),
and stops by itself: ramp, hold, saturation, then every process it started is stopped.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from bench import database
from bench.runner import FULL, SMALL
from bench.runner import Clock as BenchClock

from . import report, saturation, servers

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var" / "load"
SEED = 2024


class Clock(BenchClock):
    """The benchmark's clock, its progress lines marked as the load run's."""

    def log(self, message: str) -> None:
        print(f"[load {self.elapsed():7.1f}s] {message}", file=sys.stderr, flush=True)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m load", description="Bounded load run of the portal (see load/README.md)."
    )
    parser.add_argument(
        "--scale",
        choices=("full", "small"),
        default=os.environ.get("LOAD_SCALE") or "full",
        help="full: the national data of make bench; small: one province (LOAD_SCALE)",
    )
    parser.add_argument("--users", type=int, default=200, help="simulated officials at once")
    parser.add_argument("--ramp", type=float, default=60, help="seconds to reach all users")
    parser.add_argument("--hold", type=float, default=120, help="seconds at full load")
    parser.add_argument("--connections", type=int, default=50, help="saturation: at once")
    parser.add_argument("--saturation-seconds", type=int, default=10, help="per page")
    parser.add_argument("--database", default="qcdc_load")
    parser.add_argument("--out", type=Path, default=VAR / "latest.txt")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database of an earlier run (its records) if it is there; only the "
        "officials and their reports are made anew (for repeated runs while tuning)",
    )
    parser.add_argument(
        "--prepare-only", action="store_true", help="make the data and stop (for profiling)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    clock = Clock()
    try:
        server_url = database.server_url()
        reused = args.reuse and _has_records(server_url, args.database)
        if reused:
            url = database.with_database(server_url, args.database)
        else:
            url = database.recreate(server_url, args.database)
    except database.BenchSetupError as exc:
        print(f"load: {exc}", file=sys.stderr)
        return 2
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
        print("load: CELERY_BROKER_URL must name Redis (run make load)", file=sys.stderr)
        return 2
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ["QCDC_STATIC_ROOT"] = str(VAR / "static")
    os.environ["QCDC_MEDIA_ROOT"] = str(VAR / "media")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    database.configure_environment(url)
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    what = "kept" if reused else "created"
    clock.log(f"database {args.database} {what}; {args.scale} data, {args.users} officials")
    cast = prepare(args, clock, reused)
    from django.db import connections

    connections.close_all()
    if args.prepare_only:
        (VAR / "cast.json").write_text(json.dumps(cast))
        print(f"data ready in {args.database}; officials in {VAR / 'cast.json'}")
        return 0
    payload = drive(args, cast, server_url, clock)
    text = payload.pop("text")
    report.write(text, payload, args.out, args.out.with_suffix(".json"))
    print(text)
    print(f"\nwritten to {args.out} and {args.out.with_suffix('.json')}")
    return 0


def _has_records(server_url: str, name: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(database.with_database(server_url, name), connect_timeout=10) as c:
            return bool(c.execute("SELECT EXISTS (SELECT FROM inspections_petition)").fetchone()[0])
    except psycopg.Error:
        return False


def prepare(args: argparse.Namespace, clock: Clock, reused: bool) -> dict[str, Any]:
    """The data of ``make bench`` (its generator, at its scale), this year's period in a
    few provinces, the officials; static files collected as a deployment has them."""
    import shutil

    from django.core.management import call_command

    from bench.generate import Counts, generate, settle

    from .data import Mix, cast, reset

    scale = FULL if args.scale == "full" else SMALL
    today = datetime.date.today()
    written: dict[str, int] = {}
    with clock.step("migrate"):
        call_command("migrate", verbosity=0, interactive=False)
    if reused:
        from committees.models import Area
        from inspections.models import Petition

        reset(today)
        written = {"petitions": Petition.objects.count(), "areas": Area.objects.count()}
    else:
        with clock.step("load_areas"):
            extra = ["--province", scale.province] if scale.province else []
            call_command("load_areas", *extra, verbosity=0)
        counts = Counts(scale.petitions, scale.trainings, scale.inspections)
        with clock.step("generate records"):
            written = generate(counts, today, SEED, clock.step)
        with clock.step("vacuum analyze"):
            settle()
        # The petitions came by COPY, around the portal: the dashboard's counts are built
        # as after a bulk load (a kept database has them, or its migration built them).
        with clock.step("petition counts"):
            call_command("rebuild_petition_counts", verbosity=0)
    with clock.step("officials"):
        result = cast(Mix.of(args.users), today).as_dict()
    shutil.rmtree(VAR / "media", ignore_errors=True)
    with clock.step("collectstatic"):
        _collectstatic(call_command)
    result["records"] = written
    return result


def _collectstatic(call_command, root: Path = VAR / "static") -> None:
    """Static files as a deployment serves them (hashed names, compressed by WhiteNoise).
    Compressing the vendored assets takes minutes on a busy machine, so the collected
    files are kept between runs while the static sources and the lock file are the same."""
    import hashlib

    from django.contrib.staticfiles.finders import get_finders

    fingerprint = hashlib.sha256((BASE_DIR / "uv.lock").read_bytes())
    for finder in get_finders():
        for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
            stat = os.stat(storage.path(path))
            fingerprint.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    marker = root / ".fingerprint"
    if marker.exists() and marker.read_text() == fingerprint.hexdigest():
        return
    import shutil

    shutil.rmtree(root, ignore_errors=True)
    call_command("collectstatic", verbosity=0, interactive=False)
    marker.write_text(fingerprint.hexdigest())


def _env(server_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_LOG_LEVEL="WARNING",
        QCDC_EXPORT_IN_THREAD="false",
        PYTHONUNBUFFERED="1",
    )
    return env


def drive(
    args: argparse.Namespace, cast: dict[str, Any], server_url: str, clock: Clock
) -> dict[str, Any]:
    env = _env(server_url)
    load_before = os.getloadavg()
    port = servers.free_port()
    base = f"http://127.0.0.1:{port}"
    web = servers.gunicorn(env, port, VAR / "gunicorn.log")
    worker = servers.celery_worker(env, VAR / "celery.log")
    swarm_process: list[subprocess.Popen] = []
    pg_port = servers.port_of(server_url, 5432)
    redis_port = servers.port_of(env["CELERY_BROKER_URL"], 6379)
    groups = [
        servers.Group("gunicorn (web)", lambda: _process(web.process.pid)),
        servers.Group("celery (worker)", lambda: _process(worker.process.pid)),
        servers.Group("postgresql", lambda: servers.listener(pg_port)),
        servers.Group("redis", lambda: servers.listener(redis_port)),
        servers.Group(
            "locust (load generator)",
            lambda: _process(swarm_process[0].pid) if swarm_process else None,
        ),
    ]
    monitor = servers.Monitor(groups)
    try:
        servers.wait_until(
            servers.answers(f"{base}/healthz"), 300, "gunicorn to answer /healthz", [web, worker]
        )
        clock.log(f"gunicorn ({servers.GUNICORN_WORKERS} workers) on {base}, Celery worker up")
        monitor.start()
        samples_path = VAR / "requests.jsonl"
        cast_path = VAR / "cast.json"
        cast_path.write_text(json.dumps(cast))
        counts = _officials(cast)
        load_start = monitor_time(monitor)
        with clock.step(f"{args.users} officials: ramp {args.ramp:.0f} s, hold {args.hold:.0f} s"):
            swarm = subprocess.Popen(  # noqa: S603 - our interpreter, our module
                [
                    sys.executable,
                    "-m",
                    "load.swarm",
                    "--host",
                    base,
                    "--ramp",
                    str(args.ramp),
                    "--hold",
                    str(args.hold),
                    "--out",
                    str(samples_path),
                    "--counts",
                    json.dumps(counts),
                ],
                env={**env, "LOAD_CAST": str(cast_path)},
                cwd=BASE_DIR,
                stdout=subprocess.PIPE,
                stderr=open(VAR / "locust.log", "w"),  # noqa: SIM115 - closed with the process
            )
            swarm_process.append(swarm)
            swarm.communicate(timeout=args.ramp + args.hold + 120)
        hold_end = monitor_time(monitor)
        exports = _exports(hold_end_wall=datetime.datetime.now(datetime.UTC))
        hold_start = load_start + args.ramp
        # The officials left with requests still queued in gunicorn: let it drain them, so
        # that the saturation measures the pages and not that backlog.
        with clock.step("drain"):
            servers.wait_until(servers.answers(f"{base}/healthz", within=0.5), 300, "drain")
        with clock.step("saturation (wrk)"):
            saturated = _saturate(args, cast, base)
        resources_hold = monitor.summary(hold_start, hold_end)
        resources_saturation = monitor.summary(hold_end + 1, monitor_time(monitor))
    finally:
        if monitor.is_alive():
            monitor.stop()
        worker.stop()
        web.stop()
    samples = report.read_samples(samples_path)
    # The swarm's clock starts with its first official: the hold begins after the ramp.
    hold_samples = [s for s in samples if s[0] >= args.ramp]
    rows = report.step_table(samples)
    hold_rows = report.step_table(hold_samples)
    misses = report.verdict(rows, exports)
    timeouts = web.tail(10**7).count("WORKER TIMEOUT")
    text = _text(args, cast, rows, hold_rows, samples, resources_hold, saturated, exports, misses,
                 resources_saturation, timeouts, load_before)  # fmt: skip
    return {
        "text": text,
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "scale": args.scale,
        "users": args.users,
        "ramp_seconds": args.ramp,
        "hold_seconds": args.hold,
        "officials": _officials(cast),
        "records": cast["records"],
        "gunicorn_workers": servers.GUNICORN_WORKERS,
        "celery_concurrency": servers.CELERY_CONCURRENCY,
        "steps": rows,
        "steps_hold": hold_rows,
        "errors": report.errors(samples),
        "resources_hold": resources_hold,
        "resources_saturation": resources_saturation,
        "exports": exports,
        "saturation": [{k: v for k, v in r.items() if k != "output"} for r in saturated],
        "worker_timeouts": timeouts,
        "load_average_before": load_before,
        "misses": misses,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "steps_seconds": clock.steps,
    }


def _capacity(args: argparse.Namespace, hold: dict[str, Any], resources: dict) -> list[str]:
    """What the hold says about the server whatever else ran on the machine: the CPU one
    request of this mix costs (web and database), the rate the officials asked for (one
    request per mean wait of 3 s, when answers are quick) and the rate a 2-core host could
    serve at most at that cost."""
    served = hold["requests"] / args.hold if args.hold else 0.0
    if not served:
        return []
    cores = sum(
        resources.get(name, {}).get("cpu_mean", 0.0) / 100
        for name in ("gunicorn (web)", "postgresql")
    )
    per_request = cores / served
    wanted = args.users / 3.0
    ceiling = servers.HOST_CORES / per_request if per_request else float("inf")
    return [
        f"served {served:.1f} requests/s during the hold; the {args.users} officials ask about "
        f"{wanted:.0f}/s when answers are quick",
        f"server CPU per request of this mix (gunicorn + PostgreSQL): {per_request * 1000:.0f} ms"
        f" → a 2-core host with nothing else on it serves at most ~{ceiling:.0f} requests/s",
    ]


def _officials(cast: dict[str, Any]) -> dict[str, int]:
    return {
        kind: sum(1 for o in cast["officials"] if o["kind"] == kind)
        for kind in ("filer", "reviewer", "reader", "api")
    }


def monitor_time(monitor: servers.Monitor) -> float:
    return time.monotonic() - monitor.started


def _process(pid: int):
    import psutil

    try:
        return psutil.Process(pid)
    except psutil.Error:
        return None


def _exports(hold_end_wall: datetime.datetime) -> dict[str, Any]:
    """The export jobs the reviewers asked for: how many, finished when, how long."""
    from django.db import connections

    from reports.models import ExportJob, JobStatus

    connections.close_all()  # the servers changed the database since this process read it
    jobs = list(ExportJob.objects.values("status", "format", "requested_at", "finished_at"))
    done = [j for j in jobs if j["status"] == JobStatus.DONE]
    seconds = [(j["finished_at"] - j["requested_at"]).total_seconds() for j in done]
    return {
        "requested": len(jobs),
        "done": len(done),
        "failed": sum(1 for j in jobs if j["status"] == JobStatus.FAILED),
        "unfinished_at_end_of_hold": sum(
            1 for j in jobs if j["finished_at"] is None or j["finished_at"] > hold_end_wall
        ),
        "by_format": {f: sum(1 for j in done if j["format"] == f) for f in ("pdf", "xlsx", "docx")},
        "seconds_p50": report.percentile(seconds, 0.5) if seconds else None,
        "seconds_p95": report.percentile(seconds, 0.95) if seconds else None,
        "seconds_max": max(seconds) if seconds else None,
    }


def _saturate(args: argparse.Namespace, cast: dict[str, Any], base: str) -> list[dict[str, Any]]:
    """The main pages, one after the other, as the first province's staff (no waiting)."""
    if not saturation.available():
        print("load: wrk not found (scripts/install-test-deps.sh installs it); no saturation")
        return []
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from committees.models import User

    reviewer = next(o for o in cast["officials"] if o["kind"] == "reviewer")
    user = User.objects.get(username=reviewer["username"])
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    token = Token.objects.get_or_create(user=user)[0].key
    period = reviewer["period"]
    year = cast["year"]
    pages = [
        ("home page /", "/", {"Cookie": cookie}),
        ("petitions list", f"/petitions/?year={year}", {"Cookie": cookie}),
        ("trainings list", f"/trainings/?year={year}", {"Cookie": cookie}),
        ("petitions dashboard", "/petitions/dashboard/", {"Cookie": cookie}),
        ("period page (completeness)", f"/reports/periods/{period}/", {"Cookie": cookie}),
        ("summary page", f"/reports/periods/{period}/summary/", {"Cookie": cookie}),
        ("petitions API", f"/api/v1/petitions/?year={year}", {"Authorization": f"Token {token}"}),
    ]
    rows = []
    (VAR / "wrk.log").unlink(missing_ok=True)
    for label, path, headers in pages:
        # wrk stops with its last requests still queued in gunicorn: the next page waits
        # for them to be answered, not behind them.
        servers.wait_until(servers.answers(f"{base}/healthz", within=0.5), 300, "drain")
        result = saturation.run(base + path, headers, args.connections, args.saturation_seconds)
        rows.append({"page": label, "path": path, **result})
        with (VAR / "wrk.log").open("a") as log:
            log.write(f"=== {label}: {path}\n{result['output']}\n")
    return rows


def _text(args, cast, rows, hold_rows, samples, resources, saturated, exports, misses,
          resources_saturation, timeouts, load_before) -> str:  # fmt: skip
    officials = _officials(cast)
    records = cast["records"]
    head = [
        f"make load — {datetime.datetime.now():%Y-%m-%d %H:%M}, {args.scale} data "
        f"({records.get('petitions', 0):,} petitions, {records.get('areas', 0):,} areas), "
        f"{os.cpu_count()} CPUs",
        f"{args.users} officials ({officials['filer']} commune filers, {officials['reviewer']} "
        f"provincial reviewers, {officials['reader']} readers, {officials['api']} API clients), "
        f"1 to 5 s between steps; ramp {args.ramp:.0f} s, hold {args.hold:.0f} s",
        f"server: gunicorn {servers.GUNICORN_WORKERS} sync workers, Celery worker "
        f"concurrency {servers.CELERY_CONCURRENCY}, PostgreSQL, Redis, all on this machine",
        f"machine load average before the run (other work on it): "
        f"{load_before[0]:.2f} / {load_before[1]:.2f} / {load_before[2]:.2f} (1 / 5 / 15 min)",
        "",
        report.format_steps(rows, "Requests of the whole run (ramp and hold), by step:"),
        "",
        report.format_steps(hold_rows[-1:], "At full load only (the hold):"),
        "",
        report.format_resources(resources, "Server processes during the hold:"),
        *_capacity(args, hold_rows[-1], resources),
        "",
    ]
    if exports["requested"]:
        head.append(
            f"Exports: {exports['requested']} requested, {exports['done']} done "
            f"({exports['by_format']}), {exports['failed']} failed, "
            f"{exports['unfinished_at_end_of_hold']} unfinished at the end of the hold; "
            f"request to file p50 {exports['seconds_p50'] or 0:.1f} s, "
            f"p95 {exports['seconds_p95'] or 0:.1f} s, max {exports['seconds_max'] or 0:.1f} s"
        )
    head.append(f"gunicorn worker timeouts: {timeouts}")
    if saturated:
        head += [
            "",
            report.format_saturation(
                saturated,
                f"Saturation (wrk, {args.connections} connections, {args.saturation_seconds} s "
                "per page, no waiting, logged in as provincial staff):",
            ),
            report.format_resources(resources_saturation, "Server processes during saturation:"),
        ]
    errs = report.errors(samples)
    if errs:
        head += ["", "Errors (most frequent first):"]
        head += [f"  {n:>5} x {message}" for message, n in errs]
    head += ["", "Aims (p95 ≤ 300 ms, 0 errors, nothing over 5 s, exports done during the hold):"]
    head += [f"  ! {m}" for m in misses] or ["  all met"]
    return "\n".join(head)


if __name__ == "__main__":
    raise SystemExit(main())
