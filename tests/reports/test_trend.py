"""The province's trend over the years: completeness and the key indicators, each year as
its summary gives it (ratios recomputed from summed parts), with one chart specification
drawn by Chart.js on the period page and as SVG in the summary's PDF."""

import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from committees.models import User
from reports.catalogue import MEASURES
from reports.charts import chart_svg, trend_charts
from reports.documents import summary_content
from reports.models import ReportingPeriod, ReportStatus
from reports.pdf import render_report_pdf
from reports.selectors import province_trend, summary
from reports.services import report_start, report_transition
from tests.conftest import COMMUNE_A, DISTRICT_B, PROVINCE
from tests.factories import MemberUnitFactory, TrainingFactory, area, written
from tests.helpers import query_count

pytestmark = pytest.mark.django_db


def _accepted_year(year: int, chief: User, deputy: User, due: int) -> ReportingPeriod:
    period = ReportingPeriod.objects.create(
        province=area(PROVINCE),
        year=year,
        opens_on=datetime.date(year, 11, 15),
        due_on=datetime.date(due, 12, 15),
    )
    for district in period.filing_areas():
        report = written(report_start(period=period, area=district, actor=chief))
        report_transition(report=report, to=ReportStatus.SUBMITTED, actor=chief, notify=False)
        report_transition(report=report, to=ReportStatus.ACCEPTED, actor=deputy, notify=False)
    return period


@pytest.fixture
def two_years(quang_ninh):
    """2023 and 2024 of Quảng Ninh, every district's report accepted; one unit of four
    issued its regulation (Hà Khánh's, not Cẩm Phả's three)."""
    MemberUnitFactory(area=area(COMMUNE_A))
    for _n in range(3):
        MemberUnitFactory(area=area(DISTRICT_B), regulation_issued=False, regulation_date=None)
    TrainingFactory(area=area(COMMUNE_A), attendances=100, held_on=datetime.date(2023, 5, 1))
    TrainingFactory(area=area(COMMUNE_A), attendances=8000, held_on=datetime.date(2024, 5, 1))
    TrainingFactory(area=area(DISTRICT_B), attendances=532, held_on=datetime.date(2024, 9, 1))
    TrainingFactory(area=area(PROVINCE), attendances=10, held_on=datetime.date(2024, 10, 1))
    chief = User.objects.create_superuser("chief", "chief@example.org", "x")
    deputy = User.objects.create_superuser("deputy", "deputy@example.org", "x")
    # Filed today: late for 2023, on time for 2024 (its due date is far ahead).
    return _accepted_year(2023, chief, deputy, 2023), _accepted_year(2024, chief, deputy, 2099)


def test_each_year_is_its_summary_and_ratios_come_from_summed_parts(two_years):
    earlier, period = two_years
    trend = province_trend(area(PROVINCE), 2024)
    rows = {row["year"]: row for row in trend["rows"]}
    assert sorted(rows) == [2023, 2024]
    for year_period in (earlier, period):
        lines = {line.indicator.code: line.total for line in summary(year_period)["lines"]}
        figures = rows[year_period.year]["figures"]
        assert {code: figures[code] for code in lines} == lines
    assert rows[2024]["figures"]["training_attendances"] == 8542  # with the province's own
    assert rows[2023]["figures"]["training_attendances"] == 100
    # 1 unit of 4: 25%, not the mean of Hạ Long's 100% and Cẩm Phả's 0%.
    assert rows[2024]["figures"]["units_regulation_share"] == Decimal("25.0")
    assert rows[2024]["expected"] == 13 and rows[2024]["actual"] == 13
    assert [row["year"] for row in province_trend(area(PROVINCE), 2023)["rows"]] == [2023]


def _trend(client, period):
    """The trend fragment the period page loads (htmx) once it is scrolled into view."""
    url = f"/reports/periods/{period.pk}/"
    assert f'hx-get="{url}?trend=1"' in client.get(url).text
    return client.get(url, {"trend": "1"}, headers={"HX-Request": "true"})


def _trend_queries(client, period) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert _trend(client, period).status_code == 200
    # Less the period page's own, which _trend reads first to find the fragment's link.
    with CaptureQueriesContext(connection) as page:
        client.get(f"/reports/periods/{period.pk}/")
    return len(queries.captured_queries) - len(page.captured_queries)


def test_the_period_page_and_the_summary_pdf_draw_the_same_trend(
    login, provincial_staff, two_years
):
    _earlier, period = two_years
    page = _trend(login(provincial_staff), period).text
    assert 'data-testid="trend-2024-training_attendances">8.542<' in page
    assert 'data-testid="trend-2023-training_attendances">100<' in page
    assert 'data-testid="trend-2024-units_regulation_share">25<' in page
    # 2024 is still being filed (due in 2099): its figures are those accepted so far.
    assert 'data-testid="trend-2024-open"' in page and 'data-testid="trend-2023-open"' not in page
    assert f'<a href="/reports/periods/{period.pk}/">2024</a>' in page  # each year opens
    drawn = {
        chart_id: json.loads(spec)
        for chart_id, spec in re.findall(
            r'<script id="(trend-chart-[\d-]+)" type="application/json">(.*?)</script>', page
        )
    }
    content = summary_content(period)
    rates, counts = content["charts"][-2:]
    assert [rates, counts] == trend_charts(province_trend(area(PROVINCE), 2024))
    # The page draws the rates, and each small chart of the counts, from the same specs.
    assert drawn == {
        "trend-chart-0": rates,
        **{f"trend-chart-1-{n}": chart for n, chart in enumerate(counts["charts"])},
    }
    assert rates["labels"] == ["2023", "2024"]
    assert rates["series"][0] == {"label": "Báo cáo nộp đúng hạn", "values": [0.0, 100.0]}
    assert {"label": "Tỷ lệ đơn vị đã ban hành quy chế", "values": [25.0, 25.0]} in rates["series"]
    assert chart_svg(counts).count("<polyline") == len(counts["charts"])
    pdf, _pages = render_report_pdf(content)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Các tỷ lệ qua các năm (%)" in text
    assert "Một số kết quả chủ yếu qua các năm" in text


def test_each_count_has_its_own_chart_and_axis_with_its_unit(two_years):
    """Documents, classes and sessions on one axis made the smaller counts flat lines:
    each count is a small chart of its own, its title naming the unit, its axis from 0 to
    a round number above its own highest figure."""
    _rates, counts = trend_charts(province_trend(area(PROVINCE), 2024))
    titles = [chart["title"] for chart in counts["charts"]]
    assert "Lớp tập huấn, bồi dưỡng (lớp)" in titles
    assert "Văn bản lãnh đạo, chỉ đạo ban hành (văn bản)" in titles
    assert all(len(chart["series"]) == 1 for chart in counts["charts"])
    classes = counts["charts"][titles.index("Lớp tập huấn, bồi dưỡng (lớp)")]
    svg = chart_svg({**counts, "charts": [classes]})
    # One class in 2023, three in 2024 (with the province's own): an axis up to 5.
    assert classes["series"][0]["values"] == [1.0, 3.0]
    assert re.findall(r'text-anchor="end" font-size="10">([^<]+)<', svg) == ["0", "5"]


def test_a_single_year_has_no_trend_chart(login, provincial_staff, accepted_period):
    page = _trend(login(provincial_staff), accepted_period).text
    assert 'data-testid="trend-2024-training_attendances">8.532<' in page
    assert "trend-chart-0" not in page
    assert trend_charts(province_trend(area(PROVINCE), 2024)) == []


def test_the_trend_is_for_the_reviewers(login, secretariat_a, two_years):
    _earlier, period = two_years
    client = login(secretariat_a)
    page = client.get(f"/reports/periods/{period.pk}/").text
    assert "?trend=1" not in page
    fragment = client.get(
        f"/reports/periods/{period.pk}/", {"trend": "1"}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 403


def test_a_year_more_costs_the_queries_of_its_summarys_sums(login, provincial_staff, two_years):
    """The accepted reports' sums (two GROUP BY) and the province's own records (one query
    per kind of record): not a query per district. The period page itself does not pay
    for them (its trend is a fragment)."""
    earlier, period = two_years
    client = login(provincial_staff)
    assert query_count(client, f"/reports/periods/{earlier.pk}/") == query_count(
        client, f"/reports/periods/{period.pk}/"
    )
    one_year, two_years_page = (_trend_queries(client, p) for p in (earlier, period))
    kinds = len({(m.model, m.date_field) for m in MEASURES})
    assert two_years_page - one_year == kinds + 2
