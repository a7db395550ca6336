"""The simulated officials (locust users): each logs in with their own account and
follows a path that real officials follow in December, reading each page for 1 to 5 s.

- a commune official files: the period's page, opens the commune's report, saves a draft
  (with the version the form gave), submits it, then reads the lists;
- a provincial reviewer reviews: completeness, a submitted report, accepts or returns it
  (returned reports come back to their commune, so the cycle goes on), the summary, an
  export of it (polled as the page's htmx does until the file is ready);
- a viewer or petition officer reads lists with filters and the dashboards;
- an API client takes a token and reads API pages, following ``next``.

Every request carries a step name (``name=``): the run's table is by step. This module is
imported only in the load generator's own process (locust patches the standard library
with gevent on import), never by the portal.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import deque
from urllib.parse import urlencode, urlsplit

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

from .html import csrf_token, export_status, form_fields

# The sections a report needs in words before it can be submitted (Django is not imported
# here: reports.services.REQUIRED_SECTIONS).
SECTIONS = {
    "limitations": "Việc lấy ý kiến Nhân dân ở một số nơi còn hình thức.",
    "causes_subjective": "Nhận thức của một bộ phận cán bộ chưa đầy đủ.",
    "lessons": "Người đứng đầu gương mẫu, sâu sát cơ sở.",
    "next_tasks": "Nhân rộng mô hình “Dân vận khéo”.",
}

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
HTMX = {"HX-Request": "true"}
EXPORT_POLL_SECONDS = 2.0
EXPORT_WAIT_SECONDS = float(os.environ.get("LOAD_EXPORT_WAIT", "180"))


def _cast() -> dict:
    with open(os.environ["LOAD_CAST"], encoding="utf-8") as f:
        return json.load(f)


CAST = _cast() if os.environ.get("LOAD_CAST") else {"officials": [], "password": "", "year": 0}
_queues: dict[str, deque] = {}


def _next(kind: str) -> dict:
    """The next official of this kind not yet played (each account is played once)."""
    if kind not in _queues:
        _queues[kind] = deque(o for o in CAST["officials"] if o["kind"] == kind)
    return _queues[kind].popleft()


def _path(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Official(FastHttpUser):
    abstract = True
    kind = ""
    wait_time = between(1, 5)
    # One connection per official, as one browser tab; no keep-alive across officials.
    concurrency = 1
    max_retries = 0
    network_timeout = 60.0
    connection_timeout = 60.0

    def on_start(self) -> None:
        self.me = _next(self.kind)
        self.year = CAST["year"]
        self.login()

    # --- helpers ----------------------------------------------------------------------

    def get(self, url: str, step: str, headers: dict | None = None):
        return self.client.get(url, name=step, headers=headers or {})

    def post(self, url: str, step: str, fields: dict, expect_redirect: bool = True):
        with self.client.request(
            "POST",
            url,
            name=step,
            data=urlencode(fields),
            headers=FORM,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if expect_redirect and response.status_code != 302:
                response.failure(f"expected a redirect, got {response.status_code}")
            return response

    def page(self, url: str, step: str) -> str:
        """GET a page and wait as its reader would."""
        response = self.get(url, step)
        self.wait()
        return response.text or ""

    def login(self) -> None:
        html = self.get("/accounts/login/", "login page").text or ""
        self.wait()
        self.post(
            "/accounts/login/",
            "log in",
            {
                "csrfmiddlewaretoken": csrf_token(html),
                "username": self.me["username"],
                "password": CAST["password"],
            },
        )
        self.page("/", "home")

    def token(self) -> str:
        """The CSRF token of the session (what a page's forms carry)."""
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                return cookie.value
        return csrf_token(self.get("/", "home").text or "")

    def lists(self) -> None:
        year = random.choice((self.year, self.year - 1))  # noqa: S311 - not a secret
        state = random.choice(("open", "overdue", "backlog", ""))  # noqa: S311
        self.page(f"/petitions/?year={year}&state={state}", "petitions list (filters)")
        self.page("/petitions/dashboard/", "petitions dashboard")
        self.page(f"/trainings/?year={year}", "trainings list (filters)")


class Filer(Official):
    """A commune official filing the commune's report."""

    kind = "filer"
    fixed_count = 0

    @task
    def file(self) -> None:
        period = self.me["period"]
        self.page("/", "home")
        self.page(f"/reports/periods/{period}/", "period page")
        opened = self.post(
            f"/reports/periods/{period}/areas/{self.me['area']}/open/",
            "open report",
            {"csrfmiddlewaretoken": self.token()},
        )
        location = _path(opened.headers.get("location", ""))
        if location.endswith("/edit/"):
            self.edit(location)
        elif location:
            self.page(location, "report page")
        self.lists()

    def edit(self, url: str) -> None:
        html = self.page(url, "report form")
        fields = form_fields(html, "data-testid", "report-form")
        fields.update(SECTIONS)  # what a report needs to be submitted
        fields["results"] = f"Kết quả năm {self.year} (bản lưu lúc {time.strftime('%H:%M:%S')})."
        saved = self.post(url, "save draft", fields)
        html = self.page(_path(saved.headers.get("location", url)), "report form")
        fields = form_fields(html, "data-testid", "report-form")
        fields["submit"] = ""
        submitted = self.post(url, "submit", fields)
        self.page(_path(submitted.headers.get("location", url)), "report page")


class Reviewer(Official):
    """Provincial staff: completeness, review, summary, export."""

    kind = "reviewer"
    fixed_count = 0

    @task
    def review(self) -> None:
        period = self.me["period"]
        self.page("/", "home")
        self.page(f"/reports/periods/{period}/", "period page")
        submitted = self.client.get(
            f"/api/v1/reports/?period={period}&status=submitted", name="API reports submitted"
        ).json()
        self.wait()
        if submitted.get("results"):
            report = random.choice(submitted["results"])  # noqa: S311
            self.decide(report["id"])
        self.page(f"/reports/periods/{period}/summary/", "summary page")
        self.export(period)
        self.lists()

    def decide(self, report: int) -> None:
        self.page(f"/reports/{report}/", "report page")
        fields = {"csrfmiddlewaretoken": self.token(), "to": "accepted"}
        if random.random() < 0.4:  # noqa: S311 - sent back, so the commune files again
            fields.update(to="returned", note="Đề nghị bổ sung số liệu hội nghị đối thoại.")
        done = self.post(f"/reports/{report}/step/", "accept or return", fields)
        self.page(_path(done.headers.get("location", f"/reports/{report}/")), "report page")

    def export(self, period: int) -> None:
        fmt = random.choice(("pdf", "pdf", "xlsx", "docx"))  # noqa: S311
        asked = self.post(
            f"/reports/periods/{period}/summary/export/",
            "request export",
            {"csrfmiddlewaretoken": self.token(), "format": fmt},
        )
        url = _path(asked.headers.get("location", ""))
        if not url:
            return
        started = time.perf_counter()
        status = export_status(self.get(url, "export page").text or "")
        while status in ("queued", "running"):
            if time.perf_counter() - started > EXPORT_WAIT_SECONDS:
                break
            time.sleep(EXPORT_POLL_SECONDS)
            status = export_status(self.get(url, "export poll (htmx)", HTMX).text or "")
        waited = (time.perf_counter() - started) * 1000
        self.environment.events.request.fire(
            request_type="JOB",
            name=f"export ready ({fmt})",
            response_time=waited,
            response_length=0,
            exception=None if status == "done" else RuntimeError(f"export {status or 'lost'}"),
            context={},
        )
        self.wait()


class Reader(Official):
    """A committee member or petition officer reading the province's figures."""

    kind = "reader"
    fixed_count = 0

    @task
    def read(self) -> None:
        self.page("/", "home")
        self.lists()
        self.page("/reports/", "reporting years")
        self.page(f"/reports/periods/{self.me['period']}/", "period page")
        self.page(f"/units/?year={self.year}", "units list (filters)")
        self.page(f"/petitions/?year={self.year}&page=2", "petitions list (filters)")


class ApiClient(Official):
    """A district's own software reading the API with a token."""

    kind = "api"
    fixed_count = 0

    def login(self) -> None:
        response = self.client.post(
            "/api/v1/auth/token/",
            name="API token",
            data=urlencode({"username": self.me["username"], "password": CAST["password"]}),
            headers=FORM,
        )
        self.client.auth_header = f"Token {response.json().get('token', '')}"
        self.wait()

    @task
    def read(self) -> None:
        first = self.client.get(f"/api/v1/petitions/?year={self.year}", name="API petitions").json()
        self.wait()
        if first.get("next"):
            self.client.get(_path(first["next"]), name="API petitions next page")
            self.wait()
        self.client.get(f"/api/v1/trainings/?year={self.year}", name="API trainings")
        self.wait()
        self.client.get(f"/api/v1/reports/?period={self.me['period']}", name="API reports")
        self.wait()
        self.client.get("/api/v1/me/", name="API me")
        self.wait()


OFFICIALS = {"filer": Filer, "reviewer": Reviewer, "reader": Reader, "api": ApiClient}
