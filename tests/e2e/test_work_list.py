"""In a real browser: the home page is a work list. A commune of today's map finds the
report it has to file and goes there in one click; the province finds it waiting for a
decision; on a phone the list reads without scrolling sideways."""

import datetime

import pytest
from playwright.sync_api import expect

from reports.models import ReportingPeriod
from tests.conftest import COMMUNE_A_TODAY, PROVINCE
from tests.factories import area
from tests.helpers import fill_sections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username, password):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")


def test_the_home_page_leads_each_official_to_their_work(
    live_server, page, commune_official_today, provincial_staff, password
):
    today = datetime.date.today()
    period = ReportingPeriod.objects.create(
        province=area(PROVINCE, "2025"),
        year=today.year,
        opens_on=today - datetime.timedelta(days=10),
        due_on=today + datetime.timedelta(days=10),
    )
    page.on("dialog", lambda dialog: dialog.accept())

    _login(page, live_server, "caoxanh", password)
    to_file = page.get_by_test_id("work-to_file")
    expect(to_file).to_contain_text("còn 10 ngày")
    to_file.get_by_role("link", name=f"Báo cáo năm {today.year} — Phường Cao Xanh").click()
    expect(page).to_have_url(f"{live_server.url}{period.get_absolute_url()}")
    page.get_by_test_id(f"file-{COMMUNE_A_TODAY}").click()
    page.fill("#id_results", "Tổ chức hội nghị nhân dân ở 12 khu phố.")
    fill_sections(page)
    page.get_by_role("button", name="Lưu và nộp").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã nộp")
    report_url = page.url

    _login(page, live_server, "tinh", password)
    waiting = page.get_by_test_id("work-to_review")
    expect(waiting.get_by_test_id("group-count")).to_have_text("1")
    expect(page.get_by_test_id("work-not_filed")).to_contain_text("đơn vị chưa nộp")
    waiting.get_by_role("link", name=f"Báo cáo năm {today.year} — Phường Cao Xanh").click()
    expect(page).to_have_url(report_url)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("work-to_review")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
