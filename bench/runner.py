"""The benchmark from start to end: its database, the real areas, the generated records,
the measurements, the table and the JSON file.

Django is configured here, after the benchmark's own database exists, so the modules
that import the portal's models are imported only inside ``run``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import os
import platform
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import database

if TYPE_CHECKING:
    from .report import Measurement

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_JSON = BASE_DIR / "var" / "bench" / "results.json"
PROVINCE = "22"  # Quảng Ninh: the province of the seeds' 2024 report
SUMMARY_YEAR = 2024  # the last full year of the legacy structure
SEED = 2024


@dataclass(frozen=True)
class Scale:
    """How much data a run generates and how many times it repeats each timing."""

    name: str
    province: str | None  # load only this province's areas (None: the whole country)
    petitions: int
    trainings: int
    inspections: int
    repeats: int
    # Annex lengths of the PDF exports (communes; more than there are: all of them).
    pdf_rows: tuple[int, ...] = (60,)
    # The PDF tries: an annex of so many communes, parts of so many rows.
    try_rows: int = 60
    try_part_rows: int = 20


FULL = Scale(
    "full",
    None,
    petitions=2_000_000,
    trainings=200_000,
    inspections=200_000,
    repeats=7,
    pdf_rows=(250, 1_400, 20_000),
    try_rows=2_000,
    try_part_rows=400,
)
# Enough rows for every code path (several pages, every state); a few seconds of work.
SMALL = Scale("small", PROVINCE, petitions=3_000, trainings=400, inspections=400, repeats=3)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="National-scale benchmark of the QCDC portal on PostgreSQL (DATABASE_URL).",
    )
    parser.add_argument(
        "--small", action="store_true", help="one province and a few thousand rows (seconds)"
    )
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"results file (default {DEFAULT_JSON})"
    )
    parser.add_argument(
        "--database",
        default=database.DEFAULT_DATABASE,
        help="database created (dropped first if it exists) on the server of DATABASE_URL",
    )
    parser.add_argument("--repeats", type=int, help="timed runs per measurement (median)")
    parser.add_argument(
        "--only",
        type=_groups,
        default=GROUPS,
        metavar="GROUP,…",
        help=f"measure only these groups ({', '.join(GROUPS)}; default all)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the records of the last run of the same mode in --database if it has "
        "them (no load_areas, no generation); migrate it and measure",
    )
    return parser.parse_args(argv)


# The measurements, in the order they run; ``--only`` picks some of them.
GROUPS = (
    "summaries",
    "pages",
    "deep",
    "dashboard",
    "completeness",
    "validation",
    "pdf",
    "pdf_tries",
)


def _groups(value: str) -> tuple[str, ...]:
    chosen = tuple(g.strip() for g in value.split(",") if g.strip())
    unknown = sorted(set(chosen) - set(GROUPS))
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown group {', '.join(unknown) or '(none)'}; choose among {', '.join(GROUPS)}"
        )
    return chosen


class Clock:
    """Wall time since the start, a progress line per step on stderr, seconds per step."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.steps: dict[str, float] = {}

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def log(self, message: str) -> None:
        print(f"[bench {self.elapsed():7.1f}s] {message}", file=sys.stderr, flush=True)

    @contextlib.contextmanager
    def step(self, label: str) -> Iterator[None]:
        self.log(f"{label}…")
        start = time.perf_counter()
        yield
        self.steps[label] = time.perf_counter() - start
        self.log(f"{label}: {self.steps[label]:.1f} s")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    scale = SMALL if args.small else FULL
    if args.repeats:
        scale = Scale(**{**asdict(scale), "repeats": args.repeats})
    clock = Clock()
    try:
        server = database.server_url()
        kept = database.generated(server, args.database, scale.name) if args.reuse else None
        if kept is None:
            url = database.recreate(server, args.database)
        else:
            url = database.with_database(server, args.database)
    except database.BenchSetupError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    database.configure_environment(url)
    # WhiteNoise looks for collected static files, which pages served to the test client
    # do not need (as in the test suite's settings).
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    if kept is None:
        clock.log(f"database {args.database} created; {scale.name} run")
    else:
        since = kept["generated_on"]
        clock.log(f"database {args.database} kept (records of {since}); {scale.name} run")
    payload = run(scale, clock, args.only, kept)
    payload["database"] = args.database
    payload["total_seconds"] = clock.elapsed()
    from .report import write_json

    write_json(args.json, payload)
    print(f"\n{len(payload['measurements'])} measurements in {args.json}")
    print(f"total wall time: {payload['total_seconds']:.1f} s")
    return 0


def run(
    scale: Scale,
    clock: Clock,
    only: tuple[str, ...] = GROUPS,
    kept: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything after Django is configured; returns the JSON payload (and prints the table).

    ``kept``: the records of an earlier run are in the database (``--reuse``): they are
    migrated, not generated again, and ``load_areas`` is not measured."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    from committees.models import REORGANISATION_DATE
    from inspections.models import PetitionMonthCount

    from . import exports, measure, pdf_tries
    from .generate import REPORT_YEAR, Counts, generate, mark_generated, settle
    from .report import table

    with clock.step("migrate"):
        call_command("migrate", verbosity=0, interactive=False)
    measurements = []
    if kept is None:
        with clock.step("load_areas"):
            measurements.append(measure.load_areas(scale.province))
        counts = Counts(scale.petitions, scale.trainings, scale.inspections)
        with clock.step("generate records"):
            written = generate(counts, datetime.date.today(), SEED, clock.step)
        with clock.step("vacuum analyze"):
            visibility = settle()
        mark_generated(scale.name, written)
    else:
        written = {k: v for k, v in kept.items() if k != "generated_on"}
        visibility = {}
    clock.log(", ".join(f"{n:,} {name}" for name, n in written.items()))
    # The records came by COPY, around the portal: its petition counts are built as after
    # a restore. Kept records keep their counts (the dashboard lines check them against a
    # recount).
    if kept is None or not PetitionMonthCount.objects.exists():
        with clock.step("petition counts"):
            call_command("rebuild_petition_counts", stdout=io.StringIO())
    personas = _personas()
    # Pages render {% static %} names: serve them as in development, without the manifest
    # that only ``collectstatic`` writes (its lookup costs the same).
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        if "summaries" in only:
            with clock.step("summaries"):
                measurements += measure.summaries(_province(), SUMMARY_YEAR, scale.repeats)
                measurements += measure.summaries_across_the_reform(
                    REORGANISATION_DATE.year, scale.repeats
                )
        if "pages" in only:
            with clock.step("list and API pages"):
                measurements += measure.pages(personas, scale.repeats)
        if "deep" in only:
            with clock.step("deepest cursor pages"):
                measurements += measure.deep_pages(
                    personas, scale.repeats, full_walk=scale.name == SMALL.name
                )
        if "dashboard" in only:
            with clock.step("dashboard"):
                measurements += measure.dashboard(personas, scale.repeats)
        if "completeness" in only:
            with clock.step("completeness of the reporting year"):
                measurements += measure.completeness(
                    personas["superuser"], REPORT_YEAR, scale.repeats
                )
        if "validation" in only:
            with clock.step("validation rules of the reporting year"):
                measurements.append(
                    measure.validation(personas["superuser"], REPORT_YEAR, scale.repeats)
                )
        if "pdf" in only:
            with clock.step("PDF exports"):
                measurements += exports.pdf_exports(scale.pdf_rows)
        if "pdf_tries" in only:
            with clock.step("PDF tries"):
                content = exports.national_content(scale.try_rows)
                measurements += pdf_tries.pdf_tries(
                    content, scale.try_part_rows, max(1, scale.repeats - 2)
                )
    print(table(measurements))
    _warn(measurements, aims=scale.name == FULL.name)
    return {
        "mode": scale.name,
        "date": datetime.date.today().isoformat(),
        "scale": asdict(scale),
        "records": written,
        "records_generated_on": (kept or {}).get("generated_on", datetime.date.today().isoformat()),
        "only": list(only),
        "all_visible_pages": visibility,
        "machine": _machine(),
        "steps_seconds": clock.steps,
        "measurements": {m.key: m.as_dict() for m in measurements},
    }


def _province() -> Any:
    from committees.models import Area, Level, Structure

    return Area.objects.get(structure=Structure.LEGACY, level=Level.PROVINCE, code=PROVINCE)


def _personas() -> dict[str, Any]:
    """A superuser (the whole country) and the provincial staff of Quảng Ninh (its subtree,
    in both structures, as the portal's own test persona)."""
    from committees.models import Area, Level, Role, RoleAssignment, User

    superuser = User.objects.filter(username="bench.quantri").first()
    superuser = superuser or User.objects.create_superuser("bench.quantri", email="")
    staff, created = User.objects.get_or_create(
        username="bench.tinh", defaults={"full_name": "Cơ quan thường trực tỉnh"}
    )
    if created:
        for area in Area.objects.filter(level=Level.PROVINCE, code=PROVINCE):
            RoleAssignment.objects.create(user=staff, area=area, role=Role.PROVINCIAL_STAFF)
    return {"provincial_staff": staff, "superuser": superuser}


def _machine() -> dict[str, Any]:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": server_version,
    }


def _warn(measurements: list[Measurement], aims: bool) -> None:
    """Point out, after the table, what a reader must not miss."""
    if not aims:
        print(
            "(small run: the queries take a millisecond, so the ratios mostly show Django's "
            "fixed cost per call; only a full run's ratios say anything about the aims)"
        )
    for m in measurements:
        if "peak_mb" in m.details:
            d = m.details
            print(
                f"{m.label}: {d['seconds']:.1f} s, {d['seconds_per_page']:.3f} s/page, peak "
                f"{d['peak_mb']:.0f} MB (one-document render: {d['naive_seconds']:.1f} s, "
                f"peak {d['naive_peak_mb']:.0f} MB; aims {d['aim_seconds_per_page']} s/page, "
                f"{d['aim_peak_mb']} MB)"
            )
        if m.details.get("same_figures") is False:
            print(f"! {m.label}: the portal and the SQL baseline disagree: {m.details}")
        if aims and m.misses_aim:
            print(f"! {m.label}: ratio {m.ratio:.2f} is above the aim of {m.aim:g}")
        walk = m.details.get("walk_busiest_day") or {}
        if walk.get("repeated_page"):
            print(
                f"! {m.label}: following `next` through {walk['day']} ({walk['rows']:,} "
                f"petitions that day) returns the same page again after {walk['pages'] - 1} "
                "pages: the cursor's offset is capped and it never gets past that day"
            )
        full = m.details.get("walk_all_pages") or {}
        if full and not (full.get("ended") and full.get("same_last_row")):
            print(f"! {m.label}: following every `next` link did not end on the last page")
