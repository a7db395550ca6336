"""A real Celery worker on the real Redis broker renders an export; its process is killed
in the middle of the rendering; the job is delivered again and finishes exactly once."""

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from reports.models import ExportJob, JobStatus
from reports.services import export_request

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.long]


def _services() -> tuple[str, str]:
    database, broker = os.environ.get("DATABASE_URL", ""), os.environ.get("CELERY_BROKER_URL", "")
    if not database.startswith("postgres") or not broker.startswith("redis"):
        message = "needs the PostgreSQL and Redis of scripts/with-services.sh (make test)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    # The worker reads the test database, not the one the URL names.
    parts = urlsplit(database)
    test_database = urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))
    return test_database, broker


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _orphans(session: int) -> list[int]:
    """Processes of the worker's session whose parent has left it (orphaned renderers)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z" and int(fields[2]) == session:
                parents[int(entry.name)] = int(fields[1])
    return [pid for pid, parent in parents.items() if pid != session and parent not in parents]


def _wait(predicate, timeout: float, what: str, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}; worker log:\n{log.read_text()[-4000:]}")


@pytest.fixture
def worker(tmp_path, settings):
    database, broker = _services()
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "CELERY_BROKER_URL": broker,
        "QCDC_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        # One area per part: a rendering long enough to be killed in the middle of, by
        # two processes besides the worker's.
        "QCDC_EXPORT_PART_ROWS": "1",
        "QCDC_EXPORT_PROCESSES": "2",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "qcdc_portal", "worker", "--pool=prefork",
        "--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--loglevel=INFO",
    ]  # fmt: skip
    with log.open("w") as output:
        process = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    yield process, log
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_a_killed_worker_leaves_exactly_one_finished_export(
    worker, accepted_period, provincial_staff, settings
):
    process, log = worker
    job = export_request(actor=provincial_staff, format="pdf", period=accepted_period)
    running = ExportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, progress__gt=0)
    _wait(running.exists, 90, "the rendering to start", log)
    children = _wait(lambda: _children(process.pid), 10, "the pool process", log)
    assert len(children) == 1
    os.kill(children[0], signal.SIGKILL)  # in the middle of the rendering

    finished = ExportJob.objects.filter(pk=job.pk, status=JobStatus.DONE)
    _wait(finished.exists, 120, "the job to be redone", log)
    job.refresh_from_db()
    assert job.attempts == 2
    assert ExportJob.objects.count() == 1
    files = [p for p in (Path(settings.MEDIA_ROOT) / "exports").rglob("*") if p.is_file()]
    assert len(files) == 1
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == job.checksum
    assert files[0].read_bytes().startswith(b"%PDF")
    assert "WorkerLostError" in log.read_text() or "exited with" in log.read_text()
    # The processes that rendered the annex for the killed one did not stay behind.
    _wait(lambda: not _orphans(process.pid), 15, "orphaned renderers to leave", log)
