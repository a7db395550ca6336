"""The benchmark cannot rot: its small run goes from an empty database to the JSON results.

Performance is measured by ``make bench``, never timed here; this test checks behaviour:
the run ends well, reports every measurement with numbers, its baselines compute the same
figures as the portal, and the list and API pages run the same queries whoever asks.
"""

import fcntl
import json
import os
import subprocess
import sys
from numbers import Real
from pathlib import Path

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.long]

ROOT = Path(__file__).resolve().parents[2]
# Its own database, so that the test never drops the one a `make bench` run is using.
DATABASE = f"qcdc_bench_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"

SUMMARIES = [
    "summary_province_trainings",
    "summary_province_inspections",
    "summary_national_trainings",
    "summary_national_inspections",
    # The petition statistics of the year, from the petitions' dated steps.
    "summary_province_petition_statistics",
    "summary_national_petition_statistics",
    # The year of the reform on today's map: legacy predecessors' records counted too.
    "summary_reform_trainings",
    "summary_reform_inspections",
]
PERSONAS = ["provincial_staff", "superuser"]
PAGES = [f"{page}_{persona}" for page in ("petition_list", "petition_api") for persona in PERSONAS]
DEEP_PAGES = [f"petition_api_deep_{persona}" for persona in PERSONAS]
PDF = "pdf_export_60_areas"
DASHBOARD_COUNTS = [f"petition_dashboard_counts_{persona}" for persona in PERSONAS]
PDF_TRIES = [
    f"pdf_try_{key}"
    for key in (
        "before",
        "built_tree",
        "styles_once",
        "separate_borders",
        "whole_fonts",
        "grid_backgrounds",
        "part_5",
        "part_10",
        "part_40",
    )
]
MEASUREMENTS = [
    "load_areas",
    *SUMMARIES,
    *PAGES,
    *DEEP_PAGES,
    "petition_dashboard_superuser",
    *DASHBOARD_COUNTS,
    "completeness_country",
    "completeness_country_counts",
    "validation_country",
    PDF,
    *PDF_TRIES,
]


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict:
    """The results of one run of ``python -m bench --small``, for the whole test session.

    The module's tests may be shared by two xdist workers (``make test`` runs
    ``--dist worksteal``): the first that asks runs the benchmark, under a lock in the
    directory the workers share, and the other reads what it wrote."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip(
            "the benchmark runs on PostgreSQL: run the tests under scripts/with-services.sh"
        )
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the session's directory, above each worker's own
    path = shared / "bench-results.json"
    with (shared / "bench-results.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            _run_bench(path)
    return json.loads(path.read_text("utf-8"))


def _run_bench(path: Path) -> None:
    """Run the benchmark; its results appear at ``path`` only if it ended well."""
    written = path.with_suffix(".partial")
    command = [sys.executable, "-m", "bench", "--small", "--json", str(written)]
    run = subprocess.run(
        [*command, "--database", DATABASE],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, f"python -m bench --small failed:\n{run.stdout}\n{run.stderr}"
    written.rename(path)


def _number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and value >= 0


def test_it_reports_every_measurement_with_numbers(results):
    measurements = results["measurements"]
    assert sorted(measurements) == sorted(MEASUREMENTS)
    for key, measurement in measurements.items():
        assert _number(measurement["seconds"]), key
        assert _number(measurement["baseline_seconds"]), key
        assert _number(measurement["ratio"]), key
    for key in [*SUMMARIES, *PAGES, *DEEP_PAGES, "petition_dashboard_superuser"]:
        assert _number(measurements[key]["queries"]), key
    assert _number(measurements["completeness_country"]["queries"])
    assert _number(measurements["validation_country"]["queries"])
    assert results["records"]["petitions"] > 0


def test_the_baselines_compute_the_same_figures_as_the_portal(results):
    measurements = results["measurements"]
    for key in [
        *SUMMARIES,
        "petition_dashboard_superuser",
        *DASHBOARD_COUNTS,
        "completeness_country",
        "completeness_country_counts",
        "validation_country",
    ]:
        assert measurements[key]["details"]["same_figures"], key


def test_the_provinces_of_today_add_up_to_every_record_of_the_reform_year(results):
    for key in ("summary_reform_trainings", "summary_reform_inspections"):
        details = results["measurements"][key]["details"]
        assert details["provinces_add_up_to_the_year"], key
        assert any(details["national"].values()), key  # records on both sides of the seam


def test_the_reporting_year_is_complete_for_every_district(results):
    records = results["records"]
    details = results["measurements"]["completeness_country"]["details"]
    assert records["reporting_periods"] == details["provinces"] >= 1
    total = details["total"]
    # Every district is expected; most filed, a few did not.
    assert total["expected"] > records["annual_reports"] * 0.9
    assert 0 < total["missing"] < total["actual"]
    assert records["report_values"] >= records["annual_reports"] * 20


def test_the_validation_rules_find_violations_among_figures_some_of_them_empty(results):
    details = results["measurements"]["validation_country"]["details"]
    assert details["reports"] == results["records"]["annual_reports"]
    # Not an agreement on nothing: rules broken, some by a report with an empty figure.
    assert details["violations"] > 0 and details["empty_figures"] > 0
    pages = details["page_queries"]
    assert pages["fewest_reports"]["queries"] == pages["most_reports"]["queries"]


def test_the_deepest_page_is_the_one_the_next_links_lead_to(results):
    for key in DEEP_PAGES:
        walk = results["measurements"][key]["details"]["walk_all_pages"]
        assert walk["ended"] and walk["same_last_row"], key


def test_the_list_and_api_pages_run_the_same_queries_for_both_users(results):
    queries = {key: m["queries"] for key, m in results["measurements"].items()}
    # The staff's province is of today's map: its scope covers the legacy units it took
    # over, read in one query (User.scope_paths) that a superuser does not need.
    staff, superuser = queries["petition_list_provincial_staff"], queries["petition_list_superuser"]
    assert staff == superuser + 1
    # A superuser's scope needs no role assignments either: the API, which (unlike pages)
    # has no menu that loads them anyway, may run that one query less for a superuser.
    staff, superuser = queries["petition_api_provincial_staff"], queries["petition_api_superuser"]
    assert superuser + 1 <= staff <= superuser + 2
    for persona in PERSONAS:
        # Constant whatever the depth: the last cursor page runs the first page's queries.
        assert queries[f"petition_api_deep_{persona}"] == queries[f"petition_api_{persona}"]


def test_the_pdf_export_is_measured_against_the_one_document_render(results):
    details = results["measurements"][PDF]["details"]
    assert details["annex_rows"] == 60
    # The same document both ways: as many pages, rendered in parts or at once.
    assert details["pages"] == details["naive_pages"] >= 2
    measured = ("seconds", "cpu_seconds_per_page", "peak_mb", "naive_peak_mb", "bytes")
    assert all(_number(details[k]) for k in measured)


def test_each_pdf_try_is_measured_and_the_kept_ones_look_the_same(results):
    measurements = results["measurements"]
    for key in PDF_TRIES:
        assert measurements[key]["details"]["pages"] >= 1, key
    # Rasterised and compared with the render as it was before: the kept tries change no
    # pixel; the dropped ones do (that is why they were dropped, with their cost).
    for key in ("built_tree", "styles_once"):
        assert measurements[f"pdf_try_{key}"]["details"]["looks_the_same"]["same"], key
    for key in ("separate_borders", "grid_backgrounds"):
        assert not measurements[f"pdf_try_{key}"]["details"]["looks_the_same"]["same"], key
