"""The measurements, each against a baseline run in the same process on the same data.

Every timing is the median of several runs after one warm-up run (caches, compiled
templates and PostgreSQL's buffers are then as warm as on a live server), with the portal
and its baseline interleaved so that a slow moment of the machine hits both.
"""

from __future__ import annotations

import datetime
import io
import math
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from psycopg import sql

from committees.models import Area, Training, User
from committees.platform.records import PAGE_SIZE
from committees.services import gso
from inspections import counts
from inspections import statistics as petition_statistics
from inspections.models import Inspection, Petition
from inspections.pagination import ReceivedCursorPagination, encode_position
from reports.catalogue import Window

from .report import Measurement

# The aims of the quality bars (DESIGN.md) and of the issue.
SUMMARY_AIM = 1.2
DEEP_PAGE_AIM = 1.5
COMPLETENESS_AIM = 1.5  # issue 18: the national completeness page

LIST_URL = "/petitions/"
API_URL = "/api/v1/petitions/"
DASHBOARD_URL = "/petitions/dashboard/"
# What the list page and the API show of each row, for their ``.values()`` baselines.
LIST_VALUES = (
    "id",
    "received_on",
    "kind",
    "petitioner_name",
    "subject",
    "field",
    "status",
    "first_due_on",
    "resolve_due_on",
    "area__name",
)
API_VALUES = (
    *(f.attname for f in Petition._meta.concrete_fields),
    "area__code",
)
ORDERING = ("-received_on", "-id")
MORE_ROUNDS_WITHIN = 1.0  # seconds


class BenchError(RuntimeError):
    """A page did not answer as it should: the timings would mean nothing."""


def medians(operations: Sequence[Callable[[], Any]], repeats: int) -> list[float]:
    """The median seconds of each operation: one warm-up run, then at least ``repeats``
    interleaved rounds — more (up to five times as many) while they take under a second,
    so that the fast operations, the noisiest, get the most samples."""
    for operation in operations:
        operation()
    samples: list[list[float]] = [[] for _ in operations]
    started = time.perf_counter()
    rounds = 0
    while rounds < repeats or (
        rounds < 5 * repeats and time.perf_counter() - started < MORE_ROUNDS_WITHIN
    ):
        for sample, operation in zip(samples, operations, strict=True):
            start = time.perf_counter()
            operation()
            sample.append(time.perf_counter() - start)
        rounds += 1
    return [statistics.median(sample) for sample in samples]


def fetch(client: Client, url: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        raise BenchError(f"GET {url} answered {response.status_code}")
    return response


def captured(client: Client, url: str) -> tuple[int, list[dict[str, str]]]:
    """How many queries one GET runs, and the slowest five (where the time goes)."""
    with CaptureQueriesContext(connection) as context:
        fetch(client, url)
    queries = sorted(context.captured_queries, key=lambda q: float(q["time"]), reverse=True)
    slowest = [{"ms": f"{float(q['time']) * 1000:.1f}", "sql": q["sql"][:400]} for q in queries]
    return len(context.captured_queries), slowest[:5]


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


# --- (e) load_areas -------------------------------------------------------------------------

AREA_COPY_TABLE = "bench_area_copy"


def load_areas(province: str | None) -> Measurement:
    """``load_areas`` as an operator runs it, vs the same units written with one COPY.

    The baseline reads the units through the portal's own reader (the package's tables are
    already in memory by then) and COPYs them into a temporary table without history,
    indexes or successor links: the floor of writing that many rows.
    """
    arguments = ["--province", province] if province else []
    start = time.perf_counter()
    call_command("load_areas", *arguments, stdout=io.StringIO())
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    units = _copy_source_units(province)
    baseline = time.perf_counter() - start
    return Measurement(
        "load_areas",
        "load_areas, whole country" if not province else f"load_areas --province {province}",
        seconds,
        baseline_seconds=baseline,
        baseline="COPY of the units",
        details={"units": units, "areas_in_database": Area.objects.count()},
    )


def _copy_source_units(province: str | None) -> int:
    rows = [*gso.legacy_rows(province), *gso.current_rows(province)]
    table = sql.Identifier(AREA_COPY_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL(
                "CREATE TEMPORARY TABLE {} (structure text, code text, name text, "
                "short_name text, kind text, level text, parent_code text, "
                "valid_from date, valid_to date)"
            ).format(table)
        )
        with cursor.copy(sql.SQL("COPY {} FROM STDIN").format(table)) as copy:
            for r in rows:
                copy.write_row(
                    (
                        r.structure,
                        r.code,
                        r.name,
                        r.short_name,
                        r.kind,
                        r.level,
                        r.parent_code,
                        r.valid_from,
                        r.valid_to,
                    )
                )
        cursor.execute(sql.SQL("DROP TABLE {}").format(table))
    return len(rows)


# --- (a) summaries ------------------------------------------------------------------------

# The select lists of the summaries, shared by the national, provincial and by-province
# queries so that they cannot count differently.
TRAININGS_FIGURES = """
       count(*) AS sessions,
       count(*) FILTER (WHERE t.kind = 'class') AS classes,
       coalesce(sum(t.attendances), 0) AS attendances"""
INSPECTIONS_FIGURES = """
       count(*) FILTER (WHERE i.kind = 'inspection') AS inspections,
       coalesce(sum(i.party_organisations) FILTER (WHERE i.kind = 'inspection'), 0)
           AS inspection_organisations,
       coalesce(sum(i.party_members) FILTER (WHERE i.kind = 'inspection'), 0)
           AS inspection_members,
       count(*) FILTER (WHERE i.kind = 'supervision') AS supervisions,
       coalesce(sum(i.party_organisations) FILTER (WHERE i.kind = 'supervision'), 0)
           AS supervision_organisations,
       coalesce(sum(i.party_members) FILTER (WHERE i.kind = 'supervision'), 0)
           AS supervision_members"""
TRAININGS_SQL = (
    "SELECT"
    + TRAININGS_FIGURES
    + """
  FROM committees_training t
 WHERE t.held_on BETWEEN %(first)s AND %(last)s
"""
)
TRAININGS_IN_SUBTREE_SQL = (
    "SELECT"
    + TRAININGS_FIGURES
    + """
  FROM committees_training t
  JOIN committees_area a ON a.id = t.area_id
 WHERE a.path LIKE %(prefix)s
   AND t.held_on BETWEEN %(first)s AND %(last)s
"""
)
INSPECTIONS_SQL = (
    "SELECT"
    + INSPECTIONS_FIGURES
    + """
  FROM inspections_inspection i
 WHERE i.held_on BETWEEN %(first)s AND %(last)s
"""
)
INSPECTIONS_IN_SUBTREE_SQL = (
    "SELECT"
    + INSPECTIONS_FIGURES
    + """
  FROM inspections_inspection i
  JOIN committees_area a ON a.id = i.area_id
 WHERE a.path LIKE %(prefix)s
   AND i.held_on BETWEEN %(first)s AND %(last)s
"""
)


# The petition statistics of a window (``inspections.statistics``), written by hand: one
# pass over the petitions some figure counts, a FILTER per figure.
PETITION_STATISTICS_FIGURES = """
       count(*) FILTER (WHERE p.accepted_on < %(first)s
                          AND (p.settled_on IS NULL OR p.settled_on >= %(first)s))
           AS petitions_carried_over,
       count(*) FILTER (WHERE p.received_on BETWEEN %(first)s AND %(last)s)
           AS petitions_received,
       count(*) FILTER (WHERE p.received_on BETWEEN %(first)s AND %(last)s
                          AND p.kind = 'complaint') AS complaints_received,
       count(*) FILTER (WHERE p.received_on BETWEEN %(first)s AND %(last)s
                          AND p.kind = 'complaint' AND p.round = 'first')
           AS complaints_first_round_received,
       count(*) FILTER (WHERE p.received_on BETWEEN %(first)s AND %(last)s
                          AND p.kind = 'complaint' AND p.round = 'second')
           AS complaints_second_round_received,
       count(*) FILTER (WHERE p.received_on BETWEEN %(first)s AND %(last)s
                          AND p.kind = 'denunciation') AS denunciations_received,
       count(*) FILTER (WHERE p.received_on BETWEEN %(first)s AND %(last)s
                          AND p.kind = 'petition') AS reflections_received,
       count(*) FILTER (WHERE p.accepted_on BETWEEN %(first)s AND %(last)s)
           AS petitions_accepted,
       count(*) FILTER (WHERE p.status = 'forwarded'
                          AND p.settled_on BETWEEN %(first)s AND %(last)s)
           AS petitions_forwarded,
       count(*) FILTER (WHERE p.status = 'not_accepted'
                          AND p.settled_on BETWEEN %(first)s AND %(last)s)
           AS petitions_not_accepted,
       count(*) FILTER (WHERE p.accepted_on <= %(last)s
                          AND (p.settled_on IS NULL OR p.settled_on >= %(first)s))
           AS petitions_to_resolve,
       count(*) FILTER (WHERE p.resolved_on IS NOT NULL
                          AND p.settled_on BETWEEN %(first)s AND %(last)s)
           AS petitions_resolved,
       count(*) FILTER (WHERE p.resolved_on IS NOT NULL
                          AND p.settled_on BETWEEN %(first)s AND %(last)s
                          AND (p.resolve_due_on IS NULL OR p.settled_on <= p.resolve_due_on))
           AS petitions_resolved_on_time,
       count(*) FILTER (WHERE p.resolved_on IS NOT NULL AND p.kind = 'complaint'
                          AND p.settled_on BETWEEN %(first)s AND %(last)s)
           AS complaints_resolved,
       count(*) FILTER (WHERE p.resolved_on IS NOT NULL AND p.kind = 'denunciation'
                          AND p.settled_on BETWEEN %(first)s AND %(last)s)
           AS denunciations_resolved,
       count(*) FILTER (WHERE p.resolved_on IS NOT NULL AND p.kind = 'petition'
                          AND p.settled_on BETWEEN %(first)s AND %(last)s)
           AS reflections_resolved,
       count(*) FILTER (WHERE p.accepted_on <= %(last)s
                          AND (p.settled_on IS NULL OR p.settled_on > %(last)s))
           AS petitions_outstanding,
       count(*) FILTER (WHERE p.accepted_on <= %(last)s
                          AND (p.settled_on IS NULL OR p.settled_on > %(last)s)
                          AND p.resolve_due_on < %(closing)s)
           AS petitions_overdue"""
PETITION_STATISTICS_ROWS = """
 WHERE (p.received_on BETWEEN %(first)s AND %(last)s
        OR p.settled_on BETWEEN %(first)s AND %(last)s
        OR (p.accepted_on <= %(last)s AND (p.settled_on IS NULL OR p.settled_on >= %(first)s)))
"""
PETITION_STATISTICS_SQL = (
    "SELECT"
    + PETITION_STATISTICS_FIGURES
    + "\n  FROM inspections_petition p"
    + PETITION_STATISTICS_ROWS
)
PETITION_STATISTICS_IN_SUBTREE_SQL = (
    "SELECT"
    + PETITION_STATISTICS_FIGURES
    + """
  FROM inspections_petition p
  JOIN committees_area a ON a.id = p.area_id"""
    + PETITION_STATISTICS_ROWS
    + "   AND a.path LIKE %(prefix)s\n"
)


def _sql_petition_statistics(query: str, params: dict[str, Any]) -> dict[str, Any]:
    """The hand-written figures, and the rate from them as the portal rounds it."""
    figures = _sql_figures(query, params)
    figures["petitions_resolution_rate"] = petition_statistics.rate(
        figures["petitions_resolved"], figures["petitions_to_resolve"]
    )
    return figures


def _sql_figures(query: str, params: dict[str, Any]) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        names = [column.name for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def summaries(province: Area, year: int, repeats: int) -> list[Measurement]:
    """A year's trainings and inspections of a province and of the whole country, as the
    portal's QuerySets compute them, vs one hand-written SQL query each. Both must give
    the same figures, or the comparison is void."""
    params = {
        "first": datetime.date(year, 1, 1),
        "last": datetime.date(year, 12, 31),
        "prefix": f"{province.path}%",
    }
    window = Window(params["first"], params["last"])
    params["closing"] = petition_statistics.closing(window)
    cases = [
        (
            "summary_province_trainings",
            f"trainings {year}, {province.name}",
            lambda: Training.objects.within(province).in_year(year).totals(),
            TRAININGS_IN_SUBTREE_SQL,
        ),
        (
            "summary_province_inspections",
            f"inspections {year}, {province.name}",
            lambda: Inspection.objects.within(province).filter(held_on__year=year).totals(),
            INSPECTIONS_IN_SUBTREE_SQL,
        ),
        (
            "summary_province_petition_statistics",
            f"petition statistics {year}, {province.name}",
            lambda: Petition.objects.within(province).statistics(window),
            PETITION_STATISTICS_IN_SUBTREE_SQL,
        ),
        (
            "summary_national_trainings",
            f"trainings {year}, whole country",
            lambda: Training.objects.all().in_year(year).totals(),
            TRAININGS_SQL,
        ),
        (
            "summary_national_inspections",
            f"inspections {year}, whole country",
            lambda: Inspection.objects.all().filter(held_on__year=year).totals(),
            INSPECTIONS_SQL,
        ),
        (
            "summary_national_petition_statistics",
            f"petition statistics {year}, whole country",
            lambda: Petition.objects.all().statistics(window),
            PETITION_STATISTICS_SQL,
        ),
    ]
    results = []
    for key, label, portal, query in cases:
        with CaptureQueriesContext(connection) as context:
            figures = portal()
        by_hand = _sql_petition_statistics if "petitions_carried_over" in query else _sql_figures
        expected = by_hand(query, params)
        seconds, baseline = medians([portal, lambda q=query, f=by_hand: f(q, params)], repeats)
        results.append(
            Measurement(
                key,
                f"summary: {label}",
                seconds,
                baseline_seconds=baseline,
                baseline="1 SQL query",
                queries=len(context.captured_queries),
                aim=SUMMARY_AIM,
                details={
                    "figures": figures,
                    "same_figures": figures == expected,
                    "sql_figures": expected,
                },
            )
        )
    return results


# The provinces of today's map with every subtree that counts for them: their own and
# their legacy predecessors' (the successor links), as ``counting_for`` reads them.
TODAY_SOURCES = """
WITH source AS (
    SELECT p.id AS province, p.path AS prefix
      FROM committees_area p
     WHERE p.structure = '2025' AND p.level = 'province'
    UNION ALL
    SELECT s.to_area_id, l.path
      FROM committees_area l
      JOIN committees_area_successors s ON s.from_area_id = l.id
     WHERE l.structure = 'legacy' AND l.level = 'province'
)
"""
TRAININGS_BY_TODAY_PROVINCE_SQL = (
    TODAY_SOURCES
    + """
SELECT src.province, """
    + TRAININGS_FIGURES
    + """
  FROM committees_training t
  JOIN committees_area a ON a.id = t.area_id
  JOIN source src ON a.path LIKE src.prefix || '%%'
 WHERE t.held_on BETWEEN %(first)s AND %(last)s
 GROUP BY src.province
"""
)
INSPECTIONS_BY_TODAY_PROVINCE_SQL = (
    TODAY_SOURCES
    + """
SELECT src.province, """
    + INSPECTIONS_FIGURES
    + """
  FROM inspections_inspection i
  JOIN committees_area a ON a.id = i.area_id
  JOIN source src ON a.path LIKE src.prefix || '%%'
 WHERE i.held_on BETWEEN %(first)s AND %(last)s
 GROUP BY src.province
"""
)


def _sql_by_province(query: str, params: dict[str, Any]) -> dict[int, dict[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        names = [column.name for column in cursor.description][1:]
        return {row[0]: dict(zip(names, row[1:], strict=True)) for row in cursor.fetchall()}


def summaries_across_the_reform(year: int, repeats: int) -> list[Measurement]:
    """The year of the reform for the whole country on today's map: each of the (34)
    provinces' figures as its summary computes them (``counting_for``: its own subtree and
    its legacy predecessors' — the first half-year on the old tree, the second on the new),
    vs one hand-written SQL query grouped by province. Besides the same figures, the
    provinces must add up to every record of the year: none lost, none counted twice."""
    provinces = list(Area.objects.filter(structure="2025", level="province").order_by("path"))
    params = {"first": datetime.date(year, 1, 1), "last": datetime.date(year, 12, 31)}
    cases = [
        (
            "summary_reform_trainings",
            f"trainings {year}, {len(provinces)} provinces of today",
            lambda p: Training.objects.counting_for(p).in_year(year).totals(),
            TRAININGS_BY_TODAY_PROVINCE_SQL,
            TRAININGS_SQL,
        ),
        (
            "summary_reform_inspections",
            f"inspections {year}, {len(provinces)} provinces of today",
            lambda p: Inspection.objects.counting_for(p).filter(held_on__year=year).totals(),
            INSPECTIONS_BY_TODAY_PROVINCE_SQL,
            INSPECTIONS_SQL,
        ),
    ]
    results = []
    for key, label, of_province, query, national in cases:

        def portal(of_province=of_province):
            return {p.pk: of_province(p) for p in provinces}

        with CaptureQueriesContext(connection) as context:
            figures = portal()
        expected = _sql_by_province(query, params)
        everything = _sql_figures(national, params)
        summed = {name: sum(f[name] for f in figures.values()) for name in everything}
        seconds, baseline = medians([portal, lambda q=query: _sql_by_province(q, params)], repeats)
        results.append(
            Measurement(
                key,
                f"summary: {label}",
                seconds,
                baseline_seconds=baseline,
                baseline="1 SQL query",
                queries=len(context.captured_queries),
                aim=SUMMARY_AIM,
                details={
                    "same_figures": {k: v for k, v in figures.items() if any(v.values())}
                    == expected,
                    "provinces_add_up_to_the_year": summed == everything,
                    "national": everything,
                },
            )
        )
    return results


# --- (b) the list page and the API page ------------------------------------------------------


def pages(personas: dict[str, User], repeats: int) -> list[Measurement]:
    """The first page of ``/petitions/`` (25 rows) and of the API (50 rows) for each persona:
    queries per request, and time vs a bare ``.values()`` query of the same rows."""
    results = []
    for persona, user in personas.items():
        client = logged_in(user)
        for key, label, url, size, fields in (
            ("petition_list", "list page /petitions/", LIST_URL, PAGE_SIZE, LIST_VALUES),
            (
                "petition_api",
                "API page /api/v1/petitions/",
                API_URL,
                ReceivedCursorPagination.page_size,
                API_VALUES,
            ),
        ):
            queries, slowest = captured(client, url)
            rows = Petition.objects.visible_to(user).order_by(*ORDERING).values(*fields)

            def bare(rows=rows, size=size) -> list[dict]:
                return list(rows[:size])

            seconds, baseline = medians(
                [lambda url=url, client=client: fetch(client, url), bare], repeats
            )
            results.append(
                Measurement(
                    f"{key}_{persona}",
                    f"{label}, {persona.replace('_', ' ')}",
                    seconds,
                    baseline_seconds=baseline,
                    baseline=f".values() of {size} rows",
                    queries=queries,
                    details={"rows": size, "slowest_queries": slowest},
                )
            )
    return results


# --- (c) the deepest cursor page -------------------------------------------------------------


def deepest_page(visible) -> tuple[str, dict[str, Any]]:
    """The cursor of the last full page (the 50 oldest rows), as ``next`` links encode it:
    the keyset ``(received_on, id)`` of the row just newer than them."""
    size = ReceivedCursorPagination.page_size
    oldest = list(
        visible.order_by("received_on", "id").values_list("received_on", "id")[: size + 1]
    )
    if len(oldest) <= size:
        return API_URL, {"position": None}
    day, pk = oldest[-1]
    cursor = encode_position(day, pk)
    return f"{API_URL}?cursor={cursor}", {"position": f"{day}|{pk}"}


def walk(client: Client, url: str, limit: int) -> dict[str, Any]:
    """Follow ``next`` from ``url`` for at most ``limit`` pages: pages seen, whether a page
    came back twice (then the walk would never end), and the last row reached."""
    seen: set[tuple[int, ...]] = set()
    pages, repeated, last = 0, False, {}
    while url and pages < limit:
        body = fetch(client, url).json()
        ids = tuple(row["id"] for row in body["results"])
        pages += 1
        if ids in seen:
            repeated = True
            break
        seen.add(ids)
        last, url = (body["results"] or [last])[-1], body["next"]
    return {
        "pages": pages,
        "ended": not url,
        "repeated_page": repeated,
        "last_id": last.get("id"),
        "last_received_on": last.get("received_on"),
    }


def busiest_day_walk(client: Client, visible) -> dict[str, Any]:
    """Follow ``next`` through the day with the most petitions: does it get past that day?

    (DRF's own cursor paged within a day by an offset capped at 1,000: on a busier day
    every ``next`` returned the same page. The keyset cursor must get through.)
    """
    busiest = (
        visible.values("received_on").annotate(n=Count("id")).order_by("-n", "received_on").first()
    )
    if busiest is None:
        return {}
    day, rows = busiest["received_on"], busiest["n"]
    limit = math.ceil(rows / ReceivedCursorPagination.page_size) + 2
    newer = visible.filter(received_on__gt=day).order_by("received_on", "id")
    start = newer.values_list("received_on", "id").first()
    url = f"{API_URL}?cursor={encode_position(*start)}" if start else API_URL
    result = walk(client, url, limit)
    last = result.pop("last_received_on")
    result.pop("last_id")
    passed = result["ended"] or (last is not None and last < day.isoformat())
    return {"day": str(day), "rows": rows, **result, "got_past_the_day": passed}


def deep_pages(personas: dict[str, User], repeats: int, full_walk: bool) -> list[Measurement]:
    """The API's last cursor page vs its first page, for each persona."""
    results = []
    for persona, user in personas.items():
        client = logged_in(user)
        visible = Petition.objects.visible_to(user)
        url, details = deepest_page(visible)
        queries, slowest = captured(client, url)
        deep = fetch(client, url).json()
        details["rows"] = len(deep["results"])
        details["has_next"] = deep["next"] is not None
        details["slowest_queries"] = slowest
        if full_walk:
            # Small data: follow every ``next`` link and check that the last page built
            # above ends on the same petition as the one the links lead to.
            traversal = walk(client, API_URL, limit=10_000)
            last_id = deep["results"][-1]["id"] if deep["results"] else None
            traversal["same_last_row"] = traversal.pop("last_id") == last_id
            traversal.pop("last_received_on")
            details["walk_all_pages"] = traversal
        details["walk_busiest_day"] = busiest_day_walk(client, visible)
        seconds, baseline = medians(
            [lambda u=url, c=client: fetch(c, u), lambda c=client: fetch(c, API_URL)], repeats
        )
        results.append(
            Measurement(
                f"petition_api_deep_{persona}",
                f"API deepest cursor page, {persona.replace('_', ' ')}",
                seconds,
                baseline_seconds=baseline,
                baseline="first page",
                queries=queries,
                aim=DEEP_PAGE_AIM,
                details=details,
            )
        )
    return results


# --- (d) the dashboard ------------------------------------------------------------------------

# The year of the reform of 01/07/2025: the dashboard's counts are checked in it too.
REFORM_YEAR = 2025

DASHBOARD_SQL = """
SELECT count(*) FILTER (WHERE y) AS received,
       count(*) FILTER (WHERE y AND kind = 'complaint') AS complaints,
       count(*) FILTER (WHERE y AND kind = 'denunciation') AS denunciations,
       count(*) FILTER (WHERE y AND kind = 'petition') AS petitions,
       count(*) FILTER (WHERE y AND is_crowd) AS crowd,
       count(*) FILTER (WHERE y AND status IN ('resolved', 'closed')) AS resolved,
       count(*) FILTER (WHERE status IN ('received', 'classified', 'accepted', 'being_resolved'))
           AS open,
       count(*) FILTER (WHERE (status IN ('received', 'classified') AND first_due_on < %(today)s)
                           OR (status IN ('accepted', 'being_resolved')
                               AND resolve_due_on < %(today)s)) AS overdue,
       count(*) FILTER (WHERE status IN ('accepted', 'being_resolved')
                          AND resolve_due_on < %(today)s) AS backlog,
       count(*) FILTER (WHERE status IN ('accepted', 'being_resolved')
                          AND resolve_due_on < %(today)s AND complexity <> 'normal') AS prolonged,
       count(*) FILTER (WHERE y AND month = 1) AS m01,
       count(*) FILTER (WHERE y AND month = 2) AS m02,
       count(*) FILTER (WHERE y AND month = 3) AS m03,
       count(*) FILTER (WHERE y AND month = 4) AS m04,
       count(*) FILTER (WHERE y AND month = 5) AS m05,
       count(*) FILTER (WHERE y AND month = 6) AS m06,
       count(*) FILTER (WHERE y AND month = 7) AS m07,
       count(*) FILTER (WHERE y AND month = 8) AS m08,
       count(*) FILTER (WHERE y AND month = 9) AS m09,
       count(*) FILTER (WHERE y AND month = 10) AS m10,
       count(*) FILTER (WHERE y AND month = 11) AS m11,
       count(*) FILTER (WHERE y AND month = 12) AS m12,
       count(*) FILTER (WHERE y AND field = 'land') AS land,
       count(*) FILTER (WHERE y AND field = 'compensation') AS compensation,
       count(*) FILTER (WHERE y AND field = 'policy') AS policy,
       count(*) FILTER (WHERE y AND field = 'administration') AS administration,
       count(*) FILTER (WHERE y AND field = 'corruption') AS corruption,
       count(*) FILTER (WHERE y AND field = 'other') AS other
  FROM (SELECT p.*,
               p.received_on BETWEEN %(first)s AND %(last)s AS y,
               extract(month FROM p.received_on)::int AS month
          FROM inspections_petition p) rows
"""


def _sql_names(figures: dict) -> dict[str, int]:
    """The dashboard's figures (``inspections.counts.figures``) as ``DASHBOARD_SQL`` names
    them."""
    numbers = figures["counts"]
    return {
        **{name: numbers[name] for name in ("received", "crowd", "resolved", "open")},
        **{name: numbers[name] for name in ("overdue", "backlog", "prolonged")},
        "complaints": numbers["complaints"],
        "denunciations": numbers["denunciations"],
        "petitions": numbers["petitions"],
        **{f"m{month:02d}": n for month, n in figures["by_month"].items()},
        **figures["by_field"],
    }


def dashboard(personas: dict[str, User], repeats: int) -> list[Measurement]:
    """``/petitions/dashboard/`` for the whole country (this year's figures, open, overdue,
    backlog, charts by month and field) vs the same figures from hand-written SQL; and for
    each persona, the figures read from the counts the portal keeps vs counted from the
    petitions as the dashboard did before — which must be the same figures."""
    today = datetime.date.today()
    params = {
        "today": today,
        "first": datetime.date(today.year, 1, 1),
        "last": datetime.date(today.year, 12, 31),
    }
    superuser = personas["superuser"]
    client = logged_in(superuser)
    queries, slowest = captured(client, DASHBOARD_URL)
    figures = counts.figures(counts.roots_of(superuser), today.year, today)
    expected = _sql_figures(DASHBOARD_SQL, params)
    seconds, baseline = medians(
        [lambda: fetch(client, DASHBOARD_URL), lambda: _sql_figures(DASHBOARD_SQL, params)],
        repeats,
    )
    results = [
        Measurement(
            "petition_dashboard_superuser",
            "dashboard /petitions/dashboard/, superuser",
            seconds,
            baseline_seconds=baseline,
            baseline="hand-written SQL",
            queries=queries,
            details={
                "year": today.year,
                "figures": _sql_names(figures),
                "same_figures": _sql_names(figures) == expected,
                "sql_figures": expected,
                "slowest_queries": slowest,
            },
        )
    ]
    for persona, user in personas.items():
        roots, visible = counts.roots_of(user), Petition.objects.visible_to(user)
        kept = counts.figures(roots, today.year, today)
        recounted = counts.recount(visible, today.year, today)
        # And in the year that straddles the reform: petitions of the legacy units until
        # 30/06/2025, of today's after (the staff's province of today counts both).
        reform = {
            year: counts.figures(roots, year, today) == counts.recount(visible, year, today)
            for year in {REFORM_YEAR} - {today.year}
        }
        # The recount takes seconds: fewer rounds.
        seconds, baseline = medians(
            [
                lambda r=roots: counts.figures(r, today.year, today),
                lambda v=visible: counts.recount(v, today.year, today),
            ],
            max(1, repeats // 2),
        )
        results.append(
            Measurement(
                f"petition_dashboard_counts_{persona}",
                f"dashboard figures from the counts, {persona.replace('_', ' ')}",
                seconds,
                baseline_seconds=baseline,
                baseline="recount (before)",
                queries=2,
                details={
                    "scopes": roots,
                    "figures": kept,
                    "same_figures": kept == recounted and all(reform.values()),
                    "same_figures_by_year": {today.year: kept == recounted, **reform},
                    "recount": recounted,
                },
            )
        )
    return results


# --- (f) the reporting year's completeness, whole country -----------------------------------

COMPLETENESS_SQL = """
SELECT p.id AS period,
       (SELECT count(*) FROM committees_area a
         WHERE a.level = 'district' AND a.path LIKE pr.path || '%%') AS expected,
       count(r.id) FILTER (WHERE r.status <> 'returned'
                             AND (r.first_submitted_at AT TIME ZONE %(zone)s)::date <= p.due_on)
           AS on_time,
       count(r.id) FILTER (WHERE r.status <> 'returned'
                             AND (r.first_submitted_at AT TIME ZONE %(zone)s)::date > p.due_on)
           AS late,
       count(r.id) FILTER (WHERE r.status = 'returned') AS returned
  FROM reports_reportingperiod p
  JOIN committees_area pr ON pr.id = p.province_id
  LEFT JOIN (reports_annualreport r
             JOIN committees_area ra ON ra.id = r.area_id AND ra.level = 'district')
         ON r.period_id = p.id AND r.first_submitted_at IS NOT NULL
 WHERE p.year = %(year)s
 GROUP BY p.id, pr.path
 ORDER BY pr.path
"""


def _sql_completeness(year: int) -> list[tuple]:
    from django.conf import settings

    with connection.cursor() as cursor:
        cursor.execute(COMPLETENESS_SQL, {"year": year, "zone": settings.TIME_ZONE})
        return cursor.fetchall()


def completeness(user: User, year: int, repeats: int) -> list[Measurement]:
    """``/reports/?year=`` for a superuser: every province's completeness of the year and
    the country's (696 districts), vs the same counts from hand-written SQL; and the
    counts alone (``completeness_overview``, the page's query) vs the same SQL. The page's
    details give what the same page costs for an official who sees no period (session,
    user, menu, layout: what no query of its own can save)."""
    from committees.models import User
    from reports.models import ReportingPeriod
    from reports.selectors import completeness_overview

    url = f"/reports/?year={year}"
    nobody = User.objects.filter(username="bench.khach").first()
    if nobody is None:
        nobody = User(username="bench.khach")
        nobody.set_unusable_password()
        nobody.save()
    client, empty_client = logged_in(user), logged_in(nobody)
    queries, slowest = captured(client, url)
    overview = completeness_overview(ReportingPeriod.objects.all(), year)
    portal = [
        (r["period"].pk, r["expected"], r["on_time"], r["late"], r["returned"])
        for r in overview["rows"]
    ]
    same_figures = portal == [tuple(row) for row in _sql_completeness(year)]
    seconds, empty, counts, baseline = medians(
        [
            lambda: fetch(client, url),
            lambda: fetch(empty_client, url),
            lambda: completeness_overview(ReportingPeriod.objects.all(), year),
            lambda: _sql_completeness(year),
        ],
        repeats,
    )
    return [
        Measurement(
            "completeness_country",
            f"reporting year {year}: completeness, whole country",
            seconds,
            baseline_seconds=baseline,
            baseline="hand-written SQL",
            queries=queries,
            aim=COMPLETENESS_AIM,
            details={
                "provinces": len(portal),
                "total": {k: v for k, v in overview["total"].items() if k != "period"},
                "same_figures": same_figures,
                "empty_page_seconds": empty,
                "counts_seconds": counts,
                "slowest_queries": slowest,
            },
        ),
        Measurement(
            "completeness_country_counts",
            f"reporting year {year}: completeness counts (the page's query)",
            counts,
            baseline_seconds=baseline,
            baseline="hand-written SQL",
            queries=1,
            details={"same_figures": same_figures},
        ),
    ]


# --- (g) the validation rules of the reporting year, whole country --------------------------

# Each default rule (``reports.rules.DEFAULT_RULES``: left, operator, right) written by hand
# over the figures pivoted by code: (left side, comparison, right side, its codes). A
# missing figure counts as 0, and a rule whose figures are all missing is skipped (DHIS2's
# "skip if all values are missing"), as the portal reads them.
RULES_SQL: dict[tuple[str, str, str], tuple[str, str, str, str]] = {
    (
        "complaints_received + denunciations_received + reflections_received",
        "==",
        "petitions_received",
    ): (
        "coalesce(complaints_received, 0) + coalesce(denunciations_received, 0)"
        " + coalesce(reflections_received, 0)",
        "=",
        "coalesce(petitions_received, 0)",
        "complaints_received, denunciations_received, reflections_received, petitions_received",
    ),
    ("units_regulation", "<=", "units"): (
        "coalesce(units_regulation, 0)",
        "<=",
        "coalesce(units, 0)",
        "units_regulation, units",
    ),
    ("training_attendances", ">=", "training_classes"): (
        "coalesce(training_attendances, 0)",
        ">=",
        "coalesce(training_classes, 0)",
        "training_attendances, training_classes",
    ),
    ("petitions_resolved", "<=", "petitions_carried_over + petitions_accepted"): (
        "coalesce(petitions_resolved, 0)",
        "<=",
        "coalesce(petitions_carried_over, 0) + coalesce(petitions_accepted, 0)",
        "petitions_resolved, petitions_carried_over, petitions_accepted",
    ),
    (
        "complaints_first_round_received + complaints_second_round_received",
        "==",
        "complaints_received",
    ): (
        "coalesce(complaints_first_round_received, 0)"
        " + coalesce(complaints_second_round_received, 0)",
        "=",
        "coalesce(complaints_received, 0)",
        "complaints_first_round_received, complaints_second_round_received, complaints_received",
    ),
    ("petitions_resolved_on_time", "<=", "petitions_resolved"): (
        "coalesce(petitions_resolved_on_time, 0)",
        "<=",
        "coalesce(petitions_resolved, 0)",
        "petitions_resolved_on_time, petitions_resolved",
    ),
    ("petitions_overdue", "<=", "petitions_outstanding"): (
        "coalesce(petitions_overdue, 0)",
        "<=",
        "coalesce(petitions_outstanding, 0)",
        "petitions_overdue, petitions_outstanding",
    ),
}
# The figures of every report of the year's periods, one column per code the rules read.
RULE_FIGURES_SQL = """
WITH figures AS (
    SELECT r.id AS report,
           max(v.value) FILTER (WHERE i.code = 'complaints_received') AS complaints_received,
           max(v.value) FILTER (WHERE i.code = 'denunciations_received')
               AS denunciations_received,
           max(v.value) FILTER (WHERE i.code = 'reflections_received') AS reflections_received,
           max(v.value) FILTER (WHERE i.code = 'petitions_received') AS petitions_received,
           max(v.value) FILTER (WHERE i.code = 'petitions_resolved') AS petitions_resolved,
           max(v.value) FILTER (WHERE i.code = 'petitions_carried_over')
               AS petitions_carried_over,
           max(v.value) FILTER (WHERE i.code = 'petitions_accepted') AS petitions_accepted,
           max(v.value) FILTER (WHERE i.code = 'complaints_first_round_received')
               AS complaints_first_round_received,
           max(v.value) FILTER (WHERE i.code = 'complaints_second_round_received')
               AS complaints_second_round_received,
           max(v.value) FILTER (WHERE i.code = 'petitions_resolved_on_time')
               AS petitions_resolved_on_time,
           max(v.value) FILTER (WHERE i.code = 'petitions_overdue') AS petitions_overdue,
           max(v.value) FILTER (WHERE i.code = 'petitions_outstanding')
               AS petitions_outstanding,
           max(v.value) FILTER (WHERE i.code = 'units_regulation') AS units_regulation,
           max(v.value) FILTER (WHERE i.code = 'units') AS units,
           max(v.value) FILTER (WHERE i.code = 'training_attendances') AS training_attendances,
           max(v.value) FILTER (WHERE i.code = 'training_classes') AS training_classes
      FROM reports_annualreport r
      JOIN reports_reportingperiod p ON p.id = r.period_id
      JOIN reports_reportvalue v ON v.report_id = r.id
      JOIN reports_indicator i ON i.id = v.indicator_id AND i.aggregation = 'sum'
     WHERE p.year = %(year)s
     GROUP BY r.id
)
"""
RULE_BRANCH_SQL = """
SELECT report, %(rule_{n})s AS rule, {left} AS lhs, {right} AS rhs
  FROM figures
 WHERE coalesce({codes}) IS NOT NULL AND NOT ({left}) {compare} ({right})
"""


def _validation_sql(rules: Sequence[Any]) -> tuple[str, dict[str, int]]:
    """One query for the active rules: the hand-written branch of each (a rule without
    one stops the benchmark: its SQL must be written here first)."""
    branches, params = [], {}
    for n, rule in enumerate(rules):
        written = RULES_SQL.get((rule.left, rule.operator, rule.right))
        if written is None:
            raise BenchError(f"no hand-written SQL for the validation rule {rule.formula}")
        left, compare, right, codes = written
        branches.append(
            RULE_BRANCH_SQL.format(n=n, left=left, compare=compare, right=right, codes=codes)
        )
        params[f"rule_{n}"] = rule.pk
    return RULE_FIGURES_SQL + " UNION ALL ".join(branches), params


def _sql_violations(query: str, params: dict[str, Any]) -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return set(cursor.fetchall())


def validation(user: User, year: int, repeats: int) -> Measurement:
    """The validation page's work for every province's period of ``year``: each period's
    reports against the active rules as the page reads them (``period_checks``: the
    figures in one query, the rules evaluated in Python), vs one hand-written SQL query
    that evaluates the rules' sums in the database. Both must find the same violations,
    with the same two sides; and the page must run as many queries for the province with
    the fewest reports as for the one with the most."""
    from reports.models import ReportingPeriod, ReportValue
    from reports.selectors import period_checks
    from reports.services import active_rules

    periods = list(
        ReportingPeriod.objects.filter(year=year)
        .annotate(report_count=Count("reports"))
        .select_related("province")
        .order_by("report_count", "province__path")
    )

    def portal() -> dict[int, dict]:
        return {p.pk: period_checks(p, active_rules()) for p in periods}

    rules = active_rules()
    query, params = _validation_sql(rules)
    params["year"] = year
    checks = [c for page in portal().values() for c in page["checks"]]
    found = {(c.report.pk, v.rule.pk, v.left, v.right) for c in checks for v in c.violations}
    expected = _sql_violations(query, params)
    client = logged_in(user)
    pages = {
        name: {
            "reports": period.report_count,
            "queries": captured(client, reverse("reports:period_validation", args=[period.pk]))[0],
        }
        for name, period in (("fewest_reports", periods[0]), ("most_reports", periods[-1]))
    }
    seconds, baseline = medians([portal, lambda: _sql_violations(query, params)], repeats)
    formulas = {rule.pk: rule.formula for rule in rules}
    codes = {code for rule in rules for side in rule.sides() for code in side.codes}
    empty = ReportValue.objects.filter(
        report__period__year=year, indicator__code__in=codes, value__isnull=True
    )
    return Measurement(
        "validation_country",
        f"validation rules {year}: {len(periods)} provinces' reports",
        seconds,
        baseline_seconds=baseline,
        baseline="hand-written SQL",
        queries=pages["most_reports"]["queries"],
        details={
            "provinces": len(periods),
            "reports": len(checks),
            "rules": list(formulas.values()),
            "violations": len(found),
            "by_rule": dict(Counter(formulas[rule] for _, rule, _, _ in found)),
            "reports_with_errors": sum(1 for c in checks if c.errors),
            "reports_with_warnings": sum(1 for c in checks if c.warnings),
            "empty_figures": empty.count(),
            "same_figures": found == expected,
            "only_portal": sorted(map(str, found - expected))[:5],
            "only_sql": sorted(map(str, expected - found))[:5],
            "page_queries": pages,
        },
    )
