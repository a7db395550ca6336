"""Who reads and reviews what in the reporting cycle: one set of QuerySet methods
(``visible_to``, ``reviewable_by``, ``summary_visible_to``) that the pages and the API
both read, so that they cannot disagree."""

import pytest

from committees.models import Area
from reports.models import AnnualReport, ReportingPeriod
from reports.services import may_file, may_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted_period(accepted_period_of_the_module, db):
    """The accepted year, made once for the module (tests/conftest.py)."""
    accepted_period_of_the_module.refresh_from_db()  # as the last test's rollback left it
    return accepted_period_of_the_module


PERSONAS = ["provincial_staff", "secretariat_a", "secretariat_b", "commune_official", "viewer"]


def test_the_reviewing_level_reviews_every_report_of_its_province(
    accepted_period, provincial_staff, secretariat_a, viewer
):
    reports = set(AnnualReport.objects.filter(period=accepted_period))
    assert set(AnnualReport.objects.reviewable_by(provincial_staff)) == reports
    assert set(AnnualReport.objects.visible_to(provincial_staff)) == reports
    assert not AnnualReport.objects.reviewable_by(secretariat_a).exists()
    assert not AnnualReport.objects.reviewable_by(viewer).exists()


def test_the_summary_is_read_by_those_who_see_the_whole_province(
    accepted_period, provincial_staff, secretariat_a, viewer
):
    summaries = ReportingPeriod.objects.summary_visible_to
    assert summaries(provincial_staff).contains(accepted_period)
    assert summaries(viewer).contains(accepted_period)
    assert not summaries(secretariat_a).contains(accepted_period)
    # The district sees the period (to file in it), not the province's summary.
    assert ReportingPeriod.objects.visible_to(secretariat_a).contains(accepted_period)


@pytest.mark.parametrize("persona", [*PERSONAS, "commune_official_today", "administrator"])
def test_may_review_and_may_file_say_what_the_querysets_say_without_a_query(
    request, accepted_period, persona, django_assert_num_queries
):
    user = request.getfixturevalue(persona)
    reviewable = ReportingPeriod.objects.reviewable_by(user).contains(accepted_period)
    areas = list(accepted_period.filing_areas().select_related(None))
    keeps = set(Area.objects.editable_by(user).filter(pk__in=[a.pk for a in areas]))
    user.scope_paths()  # the assignments, loaded once per user object as on a page
    with django_assert_num_queries(0):
        assert may_review(user, accepted_period) is reviewable
        assert {a for a in areas if may_file(user, a)} == keeps
    assert reviewable is (persona in ("provincial_staff", "administrator"))
    # The 2024 period's filing areas are districts: a commune's official keeps none.
    kept_by = ("provincial_staff", "secretariat_a", "secretariat_b", "administrator")
    assert bool(keeps) is (persona in kept_by)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_pages_and_the_api_show_the_same_reports(request, login, accepted_period, persona):
    user = request.getfixturevalue(persona)
    client = login(user)
    listed = client.get("/api/v1/reports/", {"period": accepted_period.pk}).json()["results"]
    reports = AnnualReport.objects.filter(period=accepted_period)
    pages = {r.pk for r in reports if client.get(f"/reports/{r.pk}/").status_code == 200}
    visible = set(AnnualReport.objects.visible_to(user).values_list("pk", flat=True))
    assert {row["id"] for row in listed} == pages == visible


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_summary_page_and_the_api_agree(request, login, accepted_period, persona):
    user = request.getfixturevalue(persona)
    client = login(user)
    page = client.get(f"/reports/periods/{accepted_period.pk}/summary/").status_code
    api = client.get(f"/api/v1/reporting-periods/{accepted_period.pk}/summary/").status_code
    readable = ReportingPeriod.objects.summary_visible_to(user).contains(accepted_period)
    assert (page, api) == ((200, 200) if readable else (403, 403))
