"""In a real browser: provincial staff filter trainings by an area typed by name, without
its accents, and pick the area of a new training the same way, by keyboard and by mouse."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.factories import TrainingFactory, area

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_pick_an_area_by_name_in_a_filter_and_in_a_form(
    live_server, page, provincial_staff, password
):
    cao_xanh = area("06658", "2025")
    TrainingFactory(area=cao_xanh, title="Lớp ở Cao Xanh", held_on=datetime.date(2026, 3, 2))
    TrainingFactory(area=area("195"), title="Lớp ở Cẩm Phả")
    page.goto(f"{live_server.url}/accounts/login/?next=/trainings/")
    page.fill("#id_username", "tinh")
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")

    # The filter: typed without accents, chosen with the keyboard.
    picker = page.get_by_role("combobox", name="Địa bàn (cả cấp dưới)")
    picker.fill("cao xanh")
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options.first).to_contain_text("Phường Cao Xanh (từ 01/07/2025)")
    expect(options.first).to_contain_text("Cấp xã · Tỉnh Quảng Ninh")
    expect(picker).to_have_attribute("aria-expanded", "true")
    picker.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    picker.press("Enter")
    expect(picker).to_have_value("Phường Cao Xanh (từ 01/07/2025)")
    expect(picker).to_have_attribute("aria-expanded", "false")
    expect(page).to_have_url(re.compile(r"[?&]area=2025%3A06658(&|$)"))
    expect(page.locator("#record-results")).to_contain_text("Lớp ở Cao Xanh")
    expect(page.locator("#record-results")).not_to_contain_text("Lớp ở Cẩm Phả")

    # The form: the areas in force today, picked with the mouse; the select follows.
    page.goto(f"{live_server.url}/trainings/new/")
    field = page.get_by_role("combobox", name="Đơn vị tổ chức")
    field.fill("Cao Xanh")
    page.get_by_role("option", name="Phường Cao Xanh (từ 01/07/2025)").click()
    expect(field).to_have_value("Phường Cao Xanh (từ 01/07/2025)")
    expect(page.locator("#id_area")).to_have_value(str(cao_xanh.pk))
