"""In a real browser, on the demo (``seed_demo``), as the README walks through it: a commune
official of today's map files the 2026 report from its records, the province returns
it, the commune resubmits, another reviewer accepts, and the province exports the 2026
summary with 2025 beside it; a user of an abolished district is told where it went."""

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from committees.demo import DEMO_PASSWORD
from committees.models import Area, Training
from reports.models import ReportingPeriod
from tests.helpers import fill_sections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEAR_PILL = 'a[aria-current="page"][href^="?year="]'  # the year shown on /reports/


@pytest.fixture
def demo(seeded_demo):
    return ReportingPeriod.objects.get(province__structure="2025", province__code="22", year=2026)


def _login(page, live_server, username, next_url):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")


def test_a_commune_of_today_files_2026_and_the_province_accepts_and_exports(
    live_server, page, demo, settings, tmp_path
):
    settings.QCDC_EXPORT_IN_THREAD = True  # as in make run without a broker
    page.on("dialog", lambda dialog: dialog.accept())
    cao_xanh = Area.objects.get(structure="2025", code="06658")
    attendances = Training.objects.filter(area=cao_xanh, held_on__year=2026).totals()

    # The commune official finds the open year and files from the records.
    _login(page, live_server, "xa.caoxanh", "/reports/")
    expect(page.locator(YEAR_PILL)).to_have_text("2026")
    page.get_by_test_id("province-22").get_by_role("link").click()
    page.get_by_test_id("file-06658").click()
    expect(page.locator("#id_v_training_classes")).to_have_value("3")
    expect(page.locator("#id_v_training_attendances")).to_have_value(
        str(attendances["attendances"])
    )
    page.fill("#id_results", "Tổ chức 3 lớp tập huấn; tiếp nhận, giải quyết đơn thư đúng hạn.")
    fill_sections(page)
    page.get_by_role("button", name="Lưu và nộp").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã nộp")
    expect(page.get_by_test_id("step-accepted")).to_have_count(0)
    expect(page.get_by_test_id("on-behalf")).to_have_count(0)
    report_url = page.url

    # A reviewer returns it with a reason; the commune corrects and resubmits.
    _login(page, live_server, "tinh.quangninh", report_url)
    page.fill("#note-returned", "Bổ sung kết quả đối thoại với Nhân dân năm 2026.")
    page.get_by_role("button", name="Trả lại").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Bị trả lại")
    _login(page, live_server, "xa.caoxanh", report_url)
    expect(page.locator(".alert-danger")).to_contain_text("Bổ sung kết quả đối thoại")
    page.get_by_role("link", name="Soạn báo cáo").click()
    page.fill("#id_lessons", "Đối thoại định kỳ với Nhân dân ở các khu phố.")
    page.get_by_role("button", name="Lưu và nộp").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã nộp")

    # The other reviewer accepts it.
    _login(page, live_server, "duyet.quangninh", report_url)
    page.get_by_role("button", name="Tiếp nhận").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã tiếp nhận")

    # A reviewer who files for a commune does not accept it: the other reviewer does.
    _login(page, live_server, "tinh.quangninh", demo.get_absolute_url())
    page.get_by_test_id("file-06724").click()
    page.fill("#id_results", "Tổ chức 2 lớp tập huấn cho cán bộ khu phố.")
    fill_sections(page)
    page.get_by_role("button", name="Lưu và nộp").click()
    expect(page.get_by_test_id("on-behalf")).to_contain_text("Lập thay bởi Nguyễn Thị Thu Hà")
    expect(page.get_by_test_id("own-report")).to_be_visible()
    expect(page.get_by_test_id("step-accepted")).to_have_count(0)
    behalf_url = page.url
    _login(page, live_server, "duyet.quangninh", behalf_url)
    expect(page.get_by_test_id("step-accepted")).to_be_visible()

    # The province exports the 2026 summary: last year's column is 2025.
    _login(page, live_server, "tinh.quangninh", f"/reports/periods/{demo.pk}/summary/")
    expect(page.get_by_test_id("annex")).to_contain_text("Phường Cao Xanh")
    page.get_by_test_id("export-pdf").click()
    download_link = page.get_by_test_id("download")
    expect(download_link).to_be_visible(timeout=90000)  # the htmx poll brings it
    with page.expect_download() as info:
        download_link.click()
    pdf = tmp_path / "tong-hop-2026.pdf"
    Path(info.value.path()).replace(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    # The figures' header: this year's column, then last year's ("Năm" over each year).
    assert re.search(r"Năm\s+Năm\s*\n(?:.*\n){0,2}.*\b2026\s+2025\b", text), text[:3000]
    assert "Phường Cao Xanh" in text


def test_a_user_of_an_abolished_district_is_told_where_it_went(live_server, page, demo):
    _login(page, live_server, "huyen.halong", "/")
    banner = page.get_by_test_id("reorganised")
    expect(banner).to_contain_text("Thành phố Hạ Long")
    expect(banner).to_contain_text("Phường Cao Xanh")
    expect(banner).to_contain_text("quản trị viên")

    response = page.goto(f"{live_server.url}{demo.get_absolute_url()}")
    assert response.status == 404
    banner = page.get_by_test_id("reorganised")
    expect(banner).to_contain_text("Thành phố Hạ Long")
    expect(banner).to_contain_text("Phường Bãi Cháy")
    # Hạ Long's own years stay readable: the 2024 period of the legacy province.
    page.goto(f"{live_server.url}/reports/")
    page.get_by_test_id("province-22").get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("2024")
    expect(page.get_by_test_id("completeness")).to_contain_text("Thành phố Hạ Long")
