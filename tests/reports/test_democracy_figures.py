"""The figures of the 2022 law's democracy in the communes, from their records: for each
way citizens take part, the activities and those taking part (households and people
apart, never added up); the village conventions recognised; on the report, the summary,
its annex and the document — and the village conventions a report held when they were
typed by hand keep their figure."""

import datetime
import html
import importlib
import re

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from reports.documents import summary_content
from reports.models import ReportStatus, ReportValue
from reports.selectors import summary
from reports.services import report_start, report_transition
from tests.conftest import COMMUNE_A, DISTRICT_A, DISTRICT_B
from tests.factories import (
    REPORT_SECTIONS,
    DemocracyActivityFactory,
    ReportingPeriodFactory,
    VillageConventionFactory,
    area,
    written,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 5, 6)

EXPECTED = {
    "democracy_disclosures": 2,
    "democracy_disclosure_households": 0,
    "democracy_disclosure_people": 40,
    "democracy_decisions": 3,
    "democracy_decision_households": 330,
    "democracy_decision_people": 60,
    "democracy_consultations": 1,
    "democracy_consultation_households": 0,
    "democracy_consultation_people": 240,
    "democracy_supervisions": 2,
    "democracy_supervision_households": 0,
    "democracy_supervision_people": 11,
    "village_conventions": 2,
}


def _activity(kind, participants=None, counted_as="", **extra):
    return DemocracyActivityFactory(
        area=extra.pop("area", area(COMMUNE_A)),
        kind=kind,
        held_on=extra.pop("held_on", DAY),
        participants=participants,
        counted_as=counted_as,
        **extra,
    )


def _records():
    """Hạ Long's year 2024 in Hà Khánh; the year before and Cẩm Phả's, not counted."""
    _activity("disclosure")
    _activity("disclosure", 40, "people")
    _activity("decision", 180, "households")
    _activity("decision", 150, "households")
    _activity("decision", 60, "people")
    _activity("consultation", 240, "people")
    _activity("supervision", 6, "people", supervisor="peoples_inspection")
    _activity("supervision", 5, "people", supervisor="community_investment")
    _activity("decision", 99, "households", held_on=datetime.date(2023, 5, 6))
    _activity("consultation", 77, "people", area=area(DISTRICT_B))
    VillageConventionFactory.create_batch(2, recognised_on=DAY)
    VillageConventionFactory(recognised_on=datetime.date(2023, 9, 1))


@pytest.fixture
def accepted(provincial_staff):
    _records()
    period = ReportingPeriodFactory(year=2024)
    report = written(report_start(period=period, area=area(DISTRICT_A), actor=provincial_staff))
    report_transition(report=report, to=ReportStatus.SUBMITTED, actor=provincial_staff)
    report_transition(report=report, to=ReportStatus.ACCEPTED, actor=provincial_staff)
    return report


def _shown(page: str, testid: str) -> str:
    cell = page.split(f'data-testid="{testid}">')[1].split("</td>")[0]
    return re.sub(r"<[^>]+>", "", cell).strip()


def test_each_way_citizens_take_part_has_its_figures_from_the_records(
    login, provincial_staff, accepted
):
    figures = {code: int(accepted.values.get(indicator__code=code).value) for code in EXPECTED}
    assert figures == EXPECTED
    client = login(provincial_staff)
    report_page = client.get(f"/reports/{accepted.pk}/").text
    assert "Việc Nhân dân bàn và quyết định" in report_page
    assert "Lượt hộ gia đình tham gia bàn và quyết định" in report_page
    summary_page = client.get(f"/reports/periods/{accepted.period.pk}/summary/").text
    assert _shown(summary_page, "total-democracy_decision_households") == "330"
    assert _shown(summary_page, "total-village_conventions") == "2"
    annex = summary_page.split('data-testid="annex"')[1]
    assert f'data-testid="records-democracy_consultation_people-{DISTRICT_A}">240<' in annex
    lines = {line.indicator.code: line for line in summary(accepted.period)["lines"]}
    assert lines["democracy_supervisions"].total == 2


def test_the_document_has_the_figures_and_compares_the_activities_by_year(accepted):
    content = summary_content(accepted.period)
    rows = {row["code"]: row for s in content["sections"] for row in s["rows"]}
    assert rows["democracy_decisions"]["value"] == "3.00"  # as the report keeps it
    assert rows["democracy_decision_households"]["unit"] == "lượt hộ"
    chart = next(c for c in content["charts"] if c["title"].startswith("Việc công khai"))
    assert chart["labels"] == [
        "Việc công khai cho Nhân dân biết",
        "Việc Nhân dân bàn và quyết định",
        "Việc Nhân dân tham gia ý kiến",
    ]
    assert [float(v) for v in chart["series"][-1]["values"]] == [2, 3, 1]
    annex_codes = [c["code"] for c in content["annex"]["columns"]]
    assert {"democracy_decisions", "village_conventions"} <= set(annex_codes)


def test_the_households_of_a_figure_open_exactly_the_activities_counted_in_households(
    login, secretariat_a
):
    _records()
    period = ReportingPeriodFactory(year=2024, due_on=datetime.date(2099, 12, 15))
    report = written(report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a))
    client = login(secretariat_a)
    page = client.get(f"/reports/{report.pk}/").text
    found = re.findall(r'<a href="([^"]+)"[^>]*data-records="([a-z_]+)"', page)
    links = {code: html.unescape(url) for url, code in found}
    listed = client.get(links["democracy_decision_households"])
    assert sorted(a.participants for a in listed.context["page"].object_list) == [150, 180]
    assert 'data-testid="counted-total">330<' in listed.text
    conventions = client.get(links["village_conventions"]).context["page"].object_list
    assert len(conventions) == 2 and all(c.recognised_on == DAY for c in conventions)


# Village conventions were typed by hand before they were counted from records.

MIGRATION = importlib.import_module("reports.migrations.0011_democracy_indicators")


def _form(report, **changes):
    """The filing form as the page posts it, with the report's figures and reasons."""
    data = {"version": report.version, **REPORT_SECTIONS}
    for v in report.values.select_related("indicator"):
        code = v.indicator.code
        number = "" if v.value is None else v.value
        data[f"v_{code}"] = v.text if v.indicator.aggregation == "text" else number
        data[f"r_{code}"] = v.correction_reason
    return data | changes


def _typed(report, figure, reason=""):
    value = report.values.get(indicator__code="village_conventions")
    value.computed, value.value, value.correction_reason = None, figure, reason
    value.save()
    return value


def test_a_typed_figure_of_conventions_is_kept_and_reads_as_a_correction(
    login, secretariat_a, secretariat_b, provincial_staff
):
    period = ReportingPeriodFactory(year=2024, due_on=datetime.date(2099, 12, 15))
    draft = report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a)
    sent = written(report_start(period=period, area=area(DISTRICT_B), actor=secretariat_b))
    returned = written(report_start(period=period, area=area("196"), actor=provincial_staff))
    for report, actor in ((sent, secretariat_b), (returned, provincial_staff)):
        report_transition(report=report, to=ReportStatus.SUBMITTED, actor=actor)
    report_transition(
        report=returned, to=ReportStatus.RETURNED, actor=provincial_staff, note="Bổ sung số liệu"
    )
    _typed(draft, 5)
    _typed(sent, 4)
    _typed(returned, 3, "Theo báo cáo của phòng Tư pháp")
    VillageConventionFactory(recognised_on=DAY)  # one in Hà Khánh, in the records

    state = MigrationLoader(connection).project_state(("reports", "0011_democracy_indicators"))
    MIGRATION.keep_typed_conventions(state.apps, None)  # the models as the migration has them

    kept = {
        v.report_id: (v.value, v.correction_reason)
        for v in ReportValue.objects.filter(indicator__code="village_conventions")
    }
    assert kept == {
        draft.pk: (5, MIGRATION.REASON),
        sent.pk: (4, ""),  # frozen as it was sent
        returned.pk: (3, "Theo báo cáo của phòng Tư pháp"),
    }
    value = draft.values.get(indicator__code="village_conventions")
    assert value.history.latest().history_change_reason.startswith("Chỉ tiêu hương ước")
    # Read again from the records: the typed 5 beside the records' 1, with its reason;
    # the draft is submitted as it is.
    report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a)
    value.refresh_from_db()
    assert (value.computed, value.value, value.is_corrected) == (1, 5, True)
    draft.refresh_from_db()
    login(secretariat_a).post(f"/reports/{draft.pk}/edit/", _form(draft, submit="1"))
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED
    assert draft.values.get(indicator__code="village_conventions").value == 5
