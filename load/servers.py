"""The portal's processes as a deployment runs them: gunicorn and a Celery worker, each in
a session of its own so that it and its children are stopped together, and a sampler of
what the server's processes use (CPU, memory).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psutil

BASE_DIR = Path(__file__).resolve().parent.parent
# Gunicorn's own rule for sync workers, (2 x cores) + 1, for the 2-core host the portal is
# sized for, whatever the machine running the load has.
HOST_CORES = 2
GUNICORN_WORKERS = 2 * HOST_CORES + 1
CELERY_CONCURRENCY = 2  # as docker-compose.yml runs the worker


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Service:
    """A process group started here: its leader, its log, how to stop it."""

    name: str
    process: subprocess.Popen
    log: Path

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 20.0) -> None:
        if not self.alive():
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def start(name: str, command: list[str], env: dict[str, str], log: Path) -> Service:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command,
            env=env,
            cwd=BASE_DIR,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Service(name, process, log)


def gunicorn(env: dict[str, str], port: int, log: Path, workers: int = GUNICORN_WORKERS) -> Service:
    command = [
        sys.executable, "-m", "gunicorn", "qcdc_portal.wsgi",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--worker-tmp-dir", "/dev/shm",  # noqa: S108 - gunicorn's advice for heartbeats
        "--preload",  # as docker-compose.yml: warmed up once, before the fork
        "--timeout", "60", "--graceful-timeout", "5",
        "--error-logfile", "-", "--log-level", "warning",
    ]  # fmt: skip
    return start("gunicorn", command, env, log)


def celery_worker(env: dict[str, str], log: Path, concurrency: int = CELERY_CONCURRENCY) -> Service:
    command = [
        sys.executable, "-m", "celery", "-A", "qcdc_portal", "worker", "--pool=prefork",
        f"--concurrency={concurrency}", "--without-gossip", "--without-mingle",
        "--without-heartbeat", "--loglevel=WARNING",
    ]  # fmt: skip
    return start("celery", command, env, log)


def wait_until(predicate: Callable[[], bool], timeout: float, what: str, logs=()) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    tails = "\n".join(f"--- {s.name} ---\n{s.tail()}" for s in logs)
    raise RuntimeError(f"timed out waiting for {what}\n{tails}")


def answers(url: str, host: str = "127.0.0.1", within: float = 5.0) -> Callable[[], bool]:
    """Whether ``url`` answers 200 within ``within`` seconds."""

    def check() -> bool:
        started = time.monotonic()
        try:
            request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
                return response.status == 200 and time.monotonic() - started <= within
        except (urllib.error.URLError, OSError):
            return False

    return check


def listener(port: int) -> psutil.Process | None:
    """The process listening on 127.0.0.1:port (PostgreSQL's postmaster, Redis)."""
    for conn in psutil.net_connections(kind="tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port and conn.pid:
            return psutil.Process(conn.pid)
    return None


def port_of(url: str, default: int) -> int:
    return urlsplit(url).port or default


@dataclass
class Group:
    """A process tree to sample: its root, re-read each time (backends come and go)."""

    name: str
    root: Callable[[], psutil.Process | None]
    cpu: dict[int, float] = field(default_factory=dict)  # pid → CPU seconds last seen
    samples: list[tuple[float, float, float]] = field(default_factory=list)  # t, cpu %, MB

    def processes(self) -> list[psutil.Process]:
        root = self.root()
        if root is None:
            return []
        try:
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []

    def sample(self, now: float, interval: float) -> None:
        used = 0.0
        rss = 0
        seen = {}
        for process in self.processes():
            try:
                times = process.cpu_times()
                total = times.user + times.system
                rss += process.memory_info().rss
            except psutil.Error:
                continue
            seen[process.pid] = total
            # a process new since the last reading started within the interval
            used += total - self.cpu.get(process.pid, 0.0)
        self.cpu = seen
        self.samples.append((now, 100.0 * used / interval, rss / 2**20))


class Monitor(threading.Thread):
    """Samples CPU (percent of one core) and resident memory of each group, and the
    machine's load average, every ``interval`` seconds, until stopped."""

    def __init__(self, groups: list[Group], interval: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.groups = groups
        self.interval = interval
        self.halt = threading.Event()
        self.load: list[tuple[float, float]] = []
        self.started = time.monotonic()

    def run(self) -> None:
        for group in self.groups:
            group.sample(0.0, self.interval)  # the first reading: CPU seconds so far
            group.samples.clear()
        last = time.monotonic()
        while not self.halt.wait(self.interval):
            now = time.monotonic()
            for group in self.groups:
                group.sample(now - self.started, now - last)
            self.load.append((now - self.started, os.getloadavg()[0]))
            last = now

    def stop(self) -> None:
        self.halt.set()
        self.join()

    def summary(self, start: float, end: float) -> dict[str, dict[str, float]]:
        """Mean and peak CPU, peak memory of each group between two times of the run."""
        result = {}
        for group in self.groups:
            window = [s for s in group.samples if start <= s[0] <= end]
            if not window:
                continue
            cpus = [s[1] for s in window]
            result[group.name] = {
                "cpu_mean": sum(cpus) / len(cpus),
                "cpu_max": max(cpus),
                "rss_max_mb": max(s[2] for s in window),
                "rss_mean_mb": sum(s[2] for s in window) / len(window),
            }
        loads = [value for t, value in self.load if start <= t <= end]
        if loads:
            result["load average (1 min)"] = {"mean": sum(loads) / len(loads), "max": max(loads)}
        return result
