"""A period counts the records of its window (Nghị định 09/2019/NĐ-CP, Điều 12: from 15/12
of the previous year to 14/12 of the year reported), editable by the province; windows of
consecutive periods of a province — across the 2025 map seam too — neither overlap nor
leave a gap; the window is locked once a report is submitted, and printed on the pages and
documents of the report and the summary."""

import datetime
import io

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook

from committees.models import Area, Structure
from reports.documents import report_content, summary_content
from reports.models import ReportingPeriod, ReportStatus
from reports.office import render_docx, render_xlsx
from reports.pdf import render_report_pdf
from reports.services import report_start, report_transition
from tests.conftest import COMMUNE_A, COMMUNE_A_TODAY, DISTRICT_A, PROVINCE
from tests.factories import ReportingPeriodFactory, TrainingFactory, area, written
from tests.reports.test_signed_document import pdftotext

pytestmark = pytest.mark.django_db

API = "/api/v1/reporting-periods/"
SEAM = "(không trùng, không bỏ sót ngày nào)"


def today_map(code: str) -> Area:
    return Area.objects.get(structure=Structure.Y2025, code=code)


@pytest.fixture
def legacy_2024(quang_ninh):
    return ReportingPeriodFactory(province=area(PROVINCE), year=2024)


@pytest.fixture
def today_2025(quang_ninh):
    return ReportingPeriodFactory(province=today_map(PROVINCE), year=2025)


def _figures(report) -> dict:
    return {v.indicator.code: v.value for v in report.values.select_related("indicator")}


def _form(province: Area, year: int, **window) -> dict:
    return {
        "province": province.pk,
        "year": year,
        "opens_on": f"{year}-11-15",
        "due_on": f"{year}-12-15",
        **window,
    }


def test_a_training_of_16_12_2024_counts_in_2025_and_one_of_14_12_in_2024(
    login, secretariat_a, commune_official_today, legacy_2024, today_2025
):
    TrainingFactory(area=area(COMMUNE_A), held_on=datetime.date(2024, 12, 14), attendances=40)
    TrainingFactory(area=area(COMMUNE_A), held_on=datetime.date(2024, 12, 16), attendances=7)

    halong = login(secretariat_a)
    response = halong.post(f"/reports/periods/{legacy_2024.pk}/areas/{area(DISTRICT_A).pk}/open/")
    assert response.status_code == 302
    report_2024 = legacy_2024.reports.get(area=area(DISTRICT_A))
    figures = _figures(report_2024)
    assert (figures["training_classes"], figures["training_attendances"]) == (1, 40)

    # Cao Xanh took over Hà Khánh: its 2025 counts Hà Khánh's training of 16/12/2024.
    cao_xanh = today_map(COMMUNE_A_TODAY)
    official = login(commune_official_today)
    official.post(f"/reports/periods/{today_2025.pk}/areas/{cao_xanh.pk}/open/")
    figures = _figures(today_2025.reports.get(area=cao_xanh))
    assert (figures["training_classes"], figures["training_attendances"]) == (1, 7)

    # The figure's link opens the records of the window, not of the calendar year.
    page = halong.get(report_2024.get_absolute_url()).text
    assert "start=2023-12-15&amp;end=2024-12-14" in page
    assert "Số liệu tính từ ngày 15/12/2023 đến ngày 14/12/2024" in page


def test_a_new_period_defaults_to_15_12_of_last_year_to_14_12(login, provincial_staff, quang_ninh):
    client = login(provincial_staff)
    response = client.post("/reports/periods/new/", _form(today_map(PROVINCE), 2026))
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(year=2026)
    assert (period.window_start, period.window_end) == (
        datetime.date(2025, 12, 15),
        datetime.date(2026, 12, 14),
    )
    created = client.post(API, _form(today_map(PROVINCE), 2027), content_type="application/json")
    assert created.status_code == 201, created.json()
    assert (created.json()["window_start"], created.json()["window_end"]) == (
        "2026-12-15",
        "2027-12-14",
    )


def test_an_overlapping_window_is_refused_naming_the_previous_period(
    login, provincial_staff, today_2025
):
    client = login(provincial_staff)
    data = _form(today_map(PROVINCE), 2026, window_start="2025-12-10", window_end="2026-12-14")
    response = client.post("/reports/periods/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["window_start"] == [
        "Kỳ báo cáo năm 2025 của tỉnh Quảng Ninh (từ 01/07/2025) kết thúc ngày 14/12/2025; "
        f"kỳ này phải bắt đầu từ ngày 15/12/2025 {SEAM}."
    ]
    api = client.post(API, data, content_type="application/json")
    assert api.status_code == 400
    assert "bắt đầu từ ngày 15/12/2025" in api.json()["window_start"][0]
    assert not ReportingPeriod.objects.filter(year=2026).exists()


def test_a_gap_is_refused_both_ways(login, provincial_staff, today_2025):
    client = login(provincial_staff)
    data = _form(today_map(PROVINCE), 2026, window_start="2025-12-20", window_end="2026-12-14")
    response = client.post("/reports/periods/new/", data)
    assert "phải bắt đầu từ ngày 15/12/2025" in response.context["form"].errors["window_start"][0]
    assert not ReportingPeriod.objects.filter(year=2026).exists()

    ReportingPeriodFactory(province=today_map(PROVINCE), year=2026)
    # Shortening 2025 would leave 11 to 14/12/2025 counted nowhere.
    url = f"{API}{today_2025.pk}/"
    api = client.patch(url, {"window_end": "2025-12-10"}, content_type="application/json")
    assert api.status_code == 400
    assert api.json()["window_end"] == [
        "Kỳ báo cáo năm 2026 của tỉnh Quảng Ninh (từ 01/07/2025) bắt đầu từ ngày 15/12/2025; "
        f"kỳ này phải kết thúc ngày 14/12/2025 {SEAM}."
    ]
    today_2025.refresh_from_db()
    assert today_2025.window_end == datetime.date(2025, 12, 14)
    start = client.post(
        f"/reports/periods/{today_2025.pk}/edit/",
        _form(today_map(PROVINCE), 2025, window_start="2024-12-15", window_end="2025-12-31"),
    )
    assert "phải kết thúc ngày 14/12/2025" in start.context["form"].errors["window_end"][0]


def test_the_seam_of_the_maps_and_of_2025_to_2026_on_the_new_map(
    login, provincial_staff, legacy_2024, today_2025
):
    client = login(provincial_staff)
    # The legacy province's 2024 is followed by today's province's 2025.
    url = f"{API}{legacy_2024.pk}/"
    api = client.patch(url, {"window_end": "2024-12-31"}, content_type="application/json")
    assert api.status_code == 400
    assert api.json()["window_end"][0].startswith(
        "Kỳ báo cáo năm 2025 của tỉnh Quảng Ninh (từ 01/07/2025) bắt đầu từ ngày 15/12/2024"
    )
    url = f"{API}{today_2025.pk}/"
    api = client.patch(url, {"window_start": "2025-01-01"}, content_type="application/json")
    assert api.json()["window_start"][0] == (
        "Kỳ báo cáo năm 2024 của tỉnh Quảng Ninh (đến 30/06/2025) kết thúc ngày 14/12/2024; "
        f"kỳ này phải bắt đầu từ ngày 15/12/2024 {SEAM}."
    )
    # A calendar year on the new map: 2025 to 31/12/2025, 2026 from 01/01/2026.
    api = client.patch(url, {"window_end": "2025-12-31"}, content_type="application/json")
    assert api.status_code == 200, api.json()
    data = _form(today_map(PROVINCE), 2026, window_start="2026-01-01", window_end="2026-12-31")
    assert client.post("/reports/periods/new/", data).status_code == 302
    period = ReportingPeriod.objects.get(year=2026)
    assert (period.window_start, period.window_end) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )


def test_the_window_is_locked_once_a_report_is_submitted(
    login, provincial_staff, secretariat_a, legacy_2024
):
    client = login(provincial_staff)
    url = f"{API}{legacy_2024.pk}/"
    # While nothing is submitted (and no neighbour), the province moves it.
    api = client.patch(url, {"window_start": "2024-01-01"}, content_type="application/json")
    assert api.status_code == 200, api.json()
    report = written(report_start(period=legacy_2024, area=area(DISTRICT_A), actor=secretariat_a))
    report_transition(report=report, to=ReportStatus.SUBMITTED, actor=secretariat_a, notify=False)

    api = client.patch(url, {"window_end": "2024-12-31"}, content_type="application/json")
    assert api.status_code == 400
    assert "không sửa được" in api.json()["window_end"][0]
    form = client.post(
        f"/reports/periods/{legacy_2024.pk}/edit/",
        _form(area(PROVINCE), 2024, window_start="2023-12-15", window_end="2024-12-31"),
    )
    assert form.status_code == 302  # the fields are read-only: the rest is saved
    legacy_2024.refresh_from_db()
    assert (legacy_2024.window_start, legacy_2024.window_end) == (
        datetime.date(2024, 1, 1),
        datetime.date(2024, 12, 14),
    )
    # The same period's dates other than the window still change.
    api = client.patch(url, {"due_on": "2024-12-20"}, content_type="application/json")
    assert api.status_code == 200


def test_the_window_is_printed_on_the_pages_and_documents(login, provincial_staff, accepted_period):
    printed = "Số liệu tính từ ngày 15/12/2023 đến ngày 14/12/2024"
    client = login(provincial_staff)
    report = accepted_period.reports.get(area=area(DISTRICT_A))
    assert report.status == ReportStatus.ACCEPTED
    for url in (
        accepted_period.get_absolute_url(),
        f"/reports/periods/{accepted_period.pk}/summary/",
        report.get_absolute_url(),
    ):
        assert printed in client.get(url).text, url

    for content in (summary_content(accepted_period), report_content(report)):
        pdf, _pages = render_report_pdf(content)
        assert printed in pdftotext(pdf)
        paragraphs = [p.text for p in WordDocument(io.BytesIO(render_docx(content))).paragraphs]
        assert f"{printed}." in paragraphs
        book = load_workbook(io.BytesIO(render_xlsx(content)))
        assert book["Ghi chú"]["A2"].value == f"{printed}."
