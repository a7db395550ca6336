"""In a real browser: a district secretariat records a training and sees it counted."""

import pytest
from playwright.sync_api import expect

from tests.factories import area

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_secretariat_adds_a_training_and_sees_it_on_the_area_page(
    live_server, page, secretariat_a, password
):
    year = 2024  # Hạ Long was a district until 30/06/2025
    page.goto(f"{live_server.url}/accounts/login/?next=/trainings/")
    page.fill("#id_username", "halong")
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")

    page.get_by_role("link", name="Thêm mới").click()
    page.select_option("#id_kind", "class")
    page.fill("#id_title", "Tập huấn Luật Thực hiện dân chủ ở cơ sở")
    page.fill("#id_held_on", f"{year}-03-15")
    page.fill("#id_attendances", "8532")
    # Hạ Long is offered for a day when it existed: the choices follow the date (htmx).
    page.select_option("#id_area", str(area("193").pk))
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã thêm")
    expect(page.get_by_test_id("history")).to_contain_text("tạo mới")

    page.goto(f"{live_server.url}/areas/193/?year={year}")
    expect(page.get_by_test_id("training-classes")).to_have_text("1")
    expect(page.get_by_test_id("training-attendances")).to_have_text("8.532")
    # The chart is drawn from the same figures (Chart.js from static/, no inline script).
    expect(page.locator("canvas[data-chart]")).to_be_visible()
