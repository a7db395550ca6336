"""In a real browser: a district secretariat fills and submits its annual report, the
province returns it, the district corrects and resubmits, the province accepts it and
sees it in the summary."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import ReportingPeriodFactory, TrainingFactory, area
from tests.helpers import fill_sections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username, password, next_url):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")


def test_a_report_goes_from_the_district_to_the_province_and_back(
    live_server, page, secretariat_a, provincial_staff, password
):
    today = datetime.date.today()
    period = ReportingPeriodFactory(
        year=2024,
        opens_on=today - datetime.timedelta(days=10),
        due_on=today + datetime.timedelta(days=10),
    )
    TrainingFactory(area=area("193"), attendances=120, held_on=datetime.date(2024, 5, 2))
    page.on("dialog", lambda dialog: dialog.accept())

    _login(page, live_server, "halong", password, period.get_absolute_url())
    page.get_by_test_id("file-193").click()
    expect(page.locator("#id_v_training_attendances")).to_have_value("120")
    page.fill("#id_results", "Tổ chức 1 lớp tập huấn cho 120 lượt người.")
    fill_sections(page)
    page.get_by_role("button", name="Lưu và nộp").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã nộp")
    report_url = page.url

    _login(page, live_server, "tinh", password, report_url)
    page.fill("#note-returned", "Bổ sung số hương ước được công nhận.")
    page.get_by_role("button", name="Trả lại").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Bị trả lại")

    _login(page, live_server, "halong", password, report_url)
    expect(page.locator(".alert-danger")).to_contain_text("Bổ sung số hương ước")
    page.get_by_role("link", name="Soạn báo cáo").click()
    page.fill("#id_v_village_conventions", "14")  # not in the records yet: a correction
    page.fill("#id_r_village_conventions", "14 quy ước công nhận chưa nhập vào hồ sơ")
    page.get_by_role("button", name="Lưu và nộp").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã nộp")

    _login(page, live_server, "tinh", password, report_url)
    page.get_by_role("button", name="Tiếp nhận").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã tiếp nhận")
    page.goto(f"{live_server.url}/reports/periods/{period.pk}/summary/")
    expect(page.get_by_test_id("total-training_attendances")).to_have_text("120")
    expect(page.get_by_test_id("total-village_conventions")).to_have_text("14")
    expect(page.get_by_test_id("annex")).to_contain_text("Thành phố Hạ Long")


def test_the_province_exports_its_summary_and_downloads_the_pdf(
    live_server, page, accepted_period, provincial_staff, password, settings
):
    # As in make run without a broker: rendered beside the web server, never in a request.
    settings.QCDC_EXPORT_IN_THREAD = True
    _login(page, live_server, "tinh", password, f"/reports/periods/{accepted_period.pk}/summary/")
    page.get_by_test_id("export-pdf").click()
    expect(page.get_by_test_id("export-status")).to_be_visible()
    download_link = page.get_by_test_id("download")
    expect(download_link).to_be_visible(timeout=60000)  # the htmx poll brings it
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename == "bao-cao-2024-tinh-quang-ninh.pdf"
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
