"""The four ways of losing work that the soak provokes, each repeated and counted.

Each scenario returns a ``Result``: what it did how many times, and for each count what
it should be and what it was.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from django.conf import settings
from django.db import connections

from load.html import csrf_token, export_status, form_fields

from .data import PASSWORD

QUEUE_MESSAGE = "Hàng đợi xử lý tạm thời không hoạt động"
UNAVAILABLE_PAGE = "Cổng thông tin tạm thời gián đoạn"


@dataclass
class Check:
    what: str
    expected: Any
    got: Any

    @property
    def ok(self) -> bool:
        return self.expected == self.got


@dataclass
class Result:
    name: str
    runs: int
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


def wait_for(predicate: Callable[[], Any], timeout: float, interval: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None


def session(base: str, username: str) -> requests.Session:
    """A browser of this official, logged in through the login form."""
    browser = requests.Session()
    page = browser.get(f"{base}/accounts/login/", timeout=60)
    done = browser.post(
        f"{base}/accounts/login/",
        data={
            "csrfmiddlewaretoken": csrf_token(page.text),
            "username": username,
            "password": PASSWORD,
        },
        allow_redirects=False,
        timeout=60,
    )
    if done.status_code != 302:
        raise RuntimeError(f"{username} could not log in ({done.status_code})")
    return browser


def csrf(browser: requests.Session) -> str:
    return browser.cookies.get("csrftoken", "")


def _fresh() -> None:
    """The soak's own queries see what the portal's processes wrote since."""
    connections.close_all()


# --- 1. a worker killed mid-render ---------------------------------------------------------


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


def _orphans(session_id: int) -> list[int]:
    """Processes of the worker's session whose parent has left it (orphaned renderers)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z" and int(fields[2]) == session_id:
                parents[int(entry.name)] = int(fields[1])
    return [p for p, parent in parents.items() if p != session_id and parent not in parents]


def _export_files(job_pk: int) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "exports"
    return [p for p in root.rglob(f"{job_pk}-*") if p.is_file()] if root.exists() else []


def killed_worker(args, w, portal, redis) -> Result:
    """export jobs whose worker process is SIGKILLed mid-render"""
    from reports.models import ExportJob, JobStatus
    from reports.services import export_request, summary_save

    started = time.monotonic()
    # One process renders, with two helpers for the annex's parts (one area each): a
    # rendering long enough to be killed in the middle of.
    portal.worker.stop()
    worker = portal.start_worker(1, QCDC_EXPORT_PART_ROWS="1", QCDC_EXPORT_PROCESSES="2")
    result = Result(f"{args.kills} PDF exports, worker SIGKILLed mid-render", args.kills)
    finished = one_file = killed = orphans = 0
    attempts: Counter = Counter()
    try:
        for n in range(args.kills):
            _fresh()
            # A new text each time: a new document, so a new job (same content: same job).
            summary_save(
                period=w.period,
                version=_summary_version(w.period),
                texts={"results": f"Bản tổng hợp thử số {n}"},
                actor=w.staff,
            )
            job = export_request(actor=w.staff, format="pdf", period=w.period)
            running = ExportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, progress__gt=0)
            if not wait_for(running.exists, 180):
                result.notes.append(f"job {job.pk} never started rendering")
                continue
            pool = _children(worker.process.pid)
            if len(pool) == 1:
                os.kill(pool[0], signal.SIGKILL)
                killed += 1
            else:
                result.notes.append(f"job {job.pk}: worker {worker.process.pid} children {pool}")
            done = ExportJob.objects.filter(pk=job.pk, status=JobStatus.DONE)
            if wait_for(done.exists, 300):
                finished += 1
            job.refresh_from_db()
            attempts[job.attempts] += 1
            files = _export_files(job.pk)
            if len(files) == 1 and hashlib.sha256(files[0].read_bytes()).hexdigest() == (
                job.checksum
            ):
                one_file += 1
            if wait_for(lambda: not _orphans(worker.process.pid), 20) is None:
                orphans += len(_orphans(worker.process.pid))
    finally:
        worker.stop()
        portal.start_worker()
    result.checks = [
        Check("pool process killed mid-render", args.kills, killed),
        Check("jobs finished", args.kills, finished),
        Check("jobs with exactly one file (checksum as recorded)", args.kills, one_file),
        Check("orphaned renderer processes", 0, orphans),
    ]
    result.notes.append(f"attempts per job: {dict(sorted(attempts.items()))}")
    result.seconds = time.monotonic() - started
    return result


def _summary_version(period) -> int:
    from reports.models import SummaryReport

    return SummaryReport.objects.get_or_create(period=period)[0].version


# --- 2. two officials saving one report at once --------------------------------------------


def concurrent_saves(args, w, portal, redis) -> Result:
    """pairs of officials saving the same report at the same version at once"""
    from reports.models import AnnualReport

    started = time.monotonic()
    base = portal.base
    browsers = [session(base, u.username) for u in w.halong]
    url = f"{base}/reports/{w.draft.pk}/edit/"
    history = AnnualReport.history.filter(id=w.draft.pk)
    _fresh()
    history_before = history.count()
    saved = conflicts_shown = both_versions = lost = errors = 0
    barrier = threading.Barrier(2)

    def save(browser: requests.Session, fields: dict[str, str]) -> requests.Response:
        barrier.wait()
        return browser.post(url, data=fields, allow_redirects=False, timeout=60)

    with ThreadPoolExecutor(2) as pool:
        for n in range(args.pairs):
            forms = [form_fields(b.get(url, timeout=60).text, "data-testid", "report-form")
                     for b in browsers]  # fmt: skip
            typed = [f"Lượt {n}: bản của {u.username}" for u in w.halong]
            for form, text in zip(forms, typed, strict=True):
                form["results"] = text
                form["save"] = ""
            answers = list(pool.map(save, browsers, forms))
            statuses = sorted(a.status_code for a in answers)
            if statuses != [200, 302]:
                errors += 1
                continue
            saved += 1
            winner = next(i for i, a in enumerate(answers) if a.status_code == 302)
            loser = answers[1 - winner]
            if 'data-testid="conflict"' in loser.text:
                conflicts_shown += 1
                # What they typed stays in the form; what is saved now is shown beside it.
                if typed[1 - winner] in loser.text and typed[winner] in loser.text:
                    both_versions += 1
            _fresh()
            if AnnualReport.objects.get(pk=w.draft.pk).results != typed[winner]:
                lost += 1
    _fresh()
    history_rows = history.count() - history_before
    result = Result(f"{args.pairs} pairs saving one report at one version over HTTP", args.pairs)
    result.checks = [
        Check("one save and one refusal per pair", args.pairs, saved),
        Check("conflicts shown", args.pairs, conflicts_shown),
        Check("conflicts showing both versions", args.pairs, both_versions),
        Check("saves lost", 0, lost),
        Check("history rows of the report = saves", saved, history_rows),
        Check("pairs answered otherwise", 0, errors),
    ]
    result.seconds = time.monotonic() - started
    return result


# --- 3. PostgreSQL stopped and started under load -----------------------------------------


def pg_ctl(action: str) -> None:
    command = [
        f"{os.environ['QCDC_SERVICES_PG_BIN']}/pg_ctl", "-D", os.environ["QCDC_SERVICES_PGDATA"],
        "-w", "-t", "60",
    ]  # fmt: skip
    if action == "start":
        command += ["-o", os.environ["QCDC_SERVICES_PG_OPTIONS"],
                    "-l", os.environ["QCDC_SERVICES_PG_LOG"], "start"]  # fmt: skip
    else:
        command += ["-m", "fast", "stop"]
    if os.environ.get("QCDC_SERVICES_PG_USER"):
        command = ["runuser", "-u", os.environ["QCDC_SERVICES_PG_USER"], "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=90)  # noqa: S603


@dataclass
class Observed:
    at: float
    user: str
    path: str
    status: int  # 0: no HTTP answer at all
    leak: bool
    unavailable_page: bool


def database_outage(args, w, portal, redis) -> Result:
    """PostgreSQL stopped and started under load"""
    started = time.monotonic()
    base = portal.base
    users = [w.halong[0], w.campha]
    others = {
        u.username: [
            text
            for v in users
            if v.username != u.username
            for text in (w.markers[v.username], v.full_name)
        ]
        for u in users
    }
    paths = ["/", "/petitions/", "/api/v1/petitions/", "/petitions/dashboard/"]
    observed: list[Observed] = []
    stop = threading.Event()
    lock = threading.Lock()

    def official(n: int, browser: requests.Session) -> None:
        user = users[n % 2]
        i = n
        while not stop.is_set():
            path = paths[i % len(paths)]
            i += 1
            try:
                answer = browser.get(base + path, timeout=30, allow_redirects=False)
                status, body = answer.status_code, answer.text
            except requests.RequestException:
                status, body = 0, ""
            leak = any(text in body for text in others[user.username])
            with lock:
                observed.append(
                    Observed(
                        time.monotonic(),
                        user.username,
                        path,
                        status,
                        leak,
                        UNAVAILABLE_PAGE in body or "database_unavailable" in body,
                    )
                )
            time.sleep(0.2)

    outages: list[tuple[float, float, float]] = []  # stopped, started, first 200 after
    # Logged in first: a login is a request like any other, and would fail while it is down.
    browsers = [session(base, users[n % 2].username) for n in range(8)]
    threads = [
        threading.Thread(target=official, args=(n, browsers[n]), daemon=True) for n in range(8)
    ]
    for t in threads:
        t.start()
    time.sleep(5)
    _fresh()
    for _ in range(args.outages):
        stopped = time.monotonic()
        pg_ctl("stop")
        time.sleep(5)
        pg_ctl("start")
        restarted = time.monotonic()
        back = wait_for(
            lambda since=restarted: any(o.status == 200 and o.at > since for o in observed), 60
        )
        recovered = min((o.at for o in observed if o.status == 200 and o.at > restarted),
                        default=float("nan")) if back else float("nan")  # fmt: skip
        outages.append((stopped, restarted, recovered))
        time.sleep(5)
    stop.set()
    for t in threads:
        t.join(timeout=40)
    _fresh()

    def during(o: Observed) -> bool:
        return any(s + 0.5 <= o.at <= r for s, r, _back in outages)

    down = [o for o in observed if during(o)]
    failed_down = [o for o in down if o.status not in (200, 503)]
    wrong_503 = [o for o in down if o.status == 503 and not o.unavailable_page]
    last_back = max(b for _s, _r, b in outages)
    after = [o for o in observed if o.at > last_back]
    result = Result(f"{args.outages} PostgreSQL stops under load (8 officials)", args.outages)
    result.checks = [
        Check(
            "requests while it was down answered by the 503 page",
            True,
            bool(down) and not failed_down and not wrong_503,
        ),
        Check("responses with another user's data", 0, sum(o.leak for o in observed)),
        Check(
            "recovered without a restart (200 again)",
            args.outages,
            sum(1 for _s, _r, b in outages if b == b),
        ),
        Check(
            "failed requests after the last recovery", 0, sum(1 for o in after if o.status != 200)
        ),
    ]
    statuses = Counter(o.status for o in down)
    result.notes.append(
        f"{len(observed)} requests; while down: {dict(statuses)} "
        f"({len(failed_down)} neither 200 nor 503); back after "
        + ", ".join(f"{b - r:.1f} s" for _s, r, b in outages)
    )
    result.seconds = time.monotonic() - started
    return result


# --- 4. Redis stopped while exports are requested -----------------------------------------


def broker_outage(args, w, portal, redis) -> Result:
    """Redis stopped while exports are requested"""
    from reports.models import ExportJob, JobStatus

    started = time.monotonic()
    base = portal.base
    browser = session(base, w.staff.username)
    _fresh()
    before = set(ExportJob.objects.values_list("pk", flat=True))
    redis.stop()
    asked, with_message, refused_badly = [], 0, 0
    for n in range(args.exports):
        report = w.accepted[n % len(w.accepted)]
        fmt = ("pdf", "xlsx", "docx")[n // len(w.accepted) % 3]
        answer = browser.post(
            f"{base}/reports/{report.pk}/export/",
            data={"csrfmiddlewaretoken": csrf(browser), "format": fmt},
            allow_redirects=False,
            timeout=60,
        )
        if answer.status_code != 302:
            refused_badly += 1
            continue
        page = browser.get(base + answer.headers["location"], timeout=60)
        asked.append(answer.headers["location"])
        if QUEUE_MESSAGE in page.text:
            with_message += 1
    time.sleep(3)
    redis.start()
    back = time.monotonic()
    # Half of the officials keep their export's page open (it polls); the others left, and
    # their jobs are handed over by the beat task.
    polled = asked[: len(asked) // 2]

    def all_done() -> bool:
        for url in polled:
            browser.get(base + url, headers={"HX-Request": "true"}, timeout=60)
        _fresh()
        jobs = ExportJob.objects.exclude(pk__in=before)
        return jobs.count() == len(asked) and not jobs.exclude(status=JobStatus.DONE).exists()

    wait_for(all_done, 240, interval=2)
    _fresh()
    jobs = list(ExportJob.objects.exclude(pk__in=before))
    done = [j for j in jobs if j.status == JobStatus.DONE]
    one_file = sum(1 for j in done if len(_export_files(j.pk)) == 1)
    final = {export_status(browser.get(base + u, timeout=60).text) for u in asked}
    result = Result(f"{args.exports} exports asked for while Redis was down", args.exports)
    result.checks = [
        Check(
            "requests answered with the job's page (not an error)",
            args.exports,
            args.exports - refused_badly,
        ),
        Check("pages saying the queue is down and the file will come", args.exports, with_message),
        Check("jobs finished once Redis was back", args.exports, len(done)),
        Check("jobs with exactly one file", args.exports, one_file),
        Check("jobs lost", 0, args.exports - len(done)),
    ]
    result.notes.append(
        f"all done {time.monotonic() - back:.0f} s after Redis returned "
        f"({len(polled)} polled by their page, {len(asked) - len(polled)} by the beat task); "
        f"pages now say {sorted(final)}"
    )
    result.seconds = time.monotonic() - started
    return result


ALL = [killed_worker, concurrent_saves, database_outage, broker_outage]


def table(results: list[Result], seconds: float) -> str:
    lines = [f"make soak — {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
             f"load average {os.getloadavg()[0]:.2f}", ""]  # fmt: skip
    width = max((len(c.what) for r in results for c in r.checks), default=20)
    for r in results:
        lines.append(f"{r.name}  ({r.seconds:.0f} s)  {'ok' if r.ok else 'FAILED'}")
        lines.append(f"  {'':<{width}}  {'expected':>9} {'got':>9}")
        for c in r.checks:
            mark = " " if c.ok else "!"
            lines.append(f"{mark} {c.what:<{width}}  {c.expected!s:>9} {c.got!s:>9}")
        lines += [f"  {note}" for note in r.notes]
        lines.append("")
    verdict = "every count as expected" if all(r.ok for r in results) else "SOME COUNTS DIFFER"
    lines.append(f"{len(results)} scenarios in {seconds:.0f} s: {verdict}")
    return "\n".join(lines)
