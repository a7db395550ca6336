"""In a real browser: a commune official of today's map registers a denunciation received
weeks ago (so already overdue), moves it through its workflow, and sees it leave the overdue
list, without ever seeing the denouncer's name again."""

import datetime

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_commune_moves_a_denunciation_out_of_the_overdue_list(
    live_server, page, commune_official_today, password
):
    received = datetime.date.today() - datetime.timedelta(days=30)
    page.goto(f"{live_server.url}/accounts/login/?next=/petitions/new/")
    page.fill("#id_username", "caoxanh")
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")

    page.select_option("#id_kind", "denunciation")
    page.fill("#id_received_on", received.isoformat())
    page.select_option("#id_channel", "post")
    page.select_option("#id_field", "corruption")
    page.fill("#id_petitioner_name", "Người Tố Cáo Ẩn Danh")
    page.fill("#id_subject", "Tố cáo cán bộ địa chính nhận tiền")
    page.fill("#id_handling_body", "UBND phường Cao Xanh")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã thêm")
    expect(page.get_by_test_id("identity")).not_to_contain_text("Người Tố Cáo Ẩn Danh")
    expect(page.get_by_test_id("deadline-first")).to_contain_text("Quá hạn")
    detail = page.url

    page.goto(f"{live_server.url}/petitions/?state=overdue")
    expect(page.get_by_test_id("record-table")).to_contain_text("Tố cáo cán bộ địa chính")

    page.goto(detail)
    for step in ("classified", "accepted", "being_resolved"):
        page.select_option("#step-to", step)
        page.get_by_role("button", name="Ghi nhận").click()
        expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("events")).to_contain_text("Đang giải quyết")
    expect(page.get_by_test_id("deadline-resolve")).to_contain_text("Điều 30 Luật Tố cáo 2018")

    page.goto(f"{live_server.url}/petitions/?state=overdue")
    expect(page.get_by_test_id("record-table")).not_to_contain_text("Tố cáo cán bộ địa chính")
    page.goto(f"{live_server.url}/petitions/dashboard/")
    expect(page.get_by_test_id("overdue")).to_have_text("0")
