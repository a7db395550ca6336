"""``make soak`` from start to end: a database of its own with Quảng Ninh's areas and a
reporting year, its own Redis, the portal under gunicorn, a Celery worker and beat; the
four scenarios, each repeated and counted; the table.

Inside ``scripts/with-services.sh``: its PostgreSQL is stopped and started by the third
scenario (``QCDC_SERVICES_PG_*``); Redis is this runner's own, so that the fourth can stop
it and start it again on the same port.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from bench import database
from load import servers

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var" / "soak"


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m soak", description="See load/README.md.")
    parser.add_argument("--kills", type=int, default=20, help="exports killed mid-render")
    parser.add_argument("--pairs", type=int, default=50, help="pairs saving one report at once")
    parser.add_argument("--outages", type=int, default=3, help="PostgreSQL stops under load")
    parser.add_argument("--exports", type=int, default=10, help="exports asked while Redis is down")
    parser.add_argument("--only", help="run only the scenarios whose name contains this")
    parser.add_argument("--database", default="qcdc_soak")
    return parser.parse_args(argv)


class Redis:
    """A Redis server of the soak's own, stopped and started on the same port."""

    def __init__(self, directory: Path) -> None:
        self.port = servers.free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(  # noqa: S603 - the system's redis-server
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        servers.wait_until(lambda: servers.listener(self.port) is not None, 20, "Redis")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


class Portal:
    """gunicorn, the Celery worker and beat of the soak, with the environment they share."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.port = servers.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.web: servers.Service | None = None
        self.worker: servers.Service | None = None
        self.beat: servers.Service | None = None

    def start(self) -> None:
        self.web = servers.gunicorn(self.env, self.port, self.logs / "gunicorn.log")
        self.start_worker()
        schedule = self.logs / "celerybeat-schedule"
        schedule.unlink(missing_ok=True)
        self.beat = servers.start(
            "beat",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "qcdc_portal",
                "beat",
                "-s",
                str(schedule),
                "--loglevel=WARNING",
            ],
            self.env,
            self.logs / "beat.log",
        )
        servers.wait_until(
            servers.answers(f"{self.base}/healthz"), 300, "the portal", [self.web, self.worker]
        )

    def start_worker(self, concurrency: int = servers.CELERY_CONCURRENCY, **extra: str):
        self.worker = servers.celery_worker(
            {**self.env, **extra}, self.logs / "worker.log", concurrency
        )
        return self.worker

    def stop(self) -> None:
        for service in (self.beat, self.worker, self.web):
            if service is not None:
                service.stop()


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        server_url = database.server_url()
        url = database.recreate(server_url, args.database)
    except database.BenchSetupError as exc:
        print(f"soak: {exc}", file=sys.stderr)
        return 2
    if not os.environ.get("QCDC_SERVICES_PGDATA"):
        print("soak: run it through make soak (scripts/with-services.sh)", file=sys.stderr)
        return 2
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    os.environ["QCDC_MEDIA_ROOT"] = str(VAR / "media")
    static = BASE_DIR / "var" / "soak-static"  # kept between runs: collecting takes minutes
    os.environ["QCDC_STATIC_ROOT"] = str(static)
    # Exports that a restarted Redis lost are queued again after 20 s instead of 15 min.
    os.environ["QCDC_EXPORT_REQUEUE_AFTER"] = "20"
    database.configure_environment(url)
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    redis = Redis(Path(tempfile.mkdtemp(prefix="qcdc-soak-redis-")))
    redis.start()
    os.environ["CELERY_BROKER_URL"] = redis.url
    import django

    django.setup()
    from django.core.management import call_command

    from load.runner import _collectstatic

    from . import scenarios
    from .data import world

    started = time.monotonic()
    print("soak: preparing the database…", file=sys.stderr, flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_areas", "--province", "22", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    _collectstatic(call_command, static)
    w = world()
    env = {**os.environ, "DJANGO_LOG_LEVEL": "WARNING", "QCDC_EXPORT_IN_THREAD": "false"}
    portal = Portal(env, VAR)
    results: list[scenarios.Result] = []
    try:
        portal.start()
        chosen = [s for s in scenarios.ALL if not args.only or args.only in s.__name__]
        for scenario in chosen:
            print(f"soak: {scenario.__doc__.splitlines()[0]}", file=sys.stderr, flush=True)
            results.append(scenario(args, w, portal, redis))
    finally:
        portal.stop()
        redis.stop()
        shutil.rmtree(redis.directory, ignore_errors=True)
    text = scenarios.table(results, time.monotonic() - started)
    (VAR / "latest.txt").write_text(text + "\n")
    print(text)
    print(f"\nwritten to {VAR / 'latest.txt'}")
    return 0 if all(r.ok for r in results) else 1
