"""In a real browser: a district secretariat logs in, reaches the district, logs out."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_district_secretariat_logs_in_reaches_the_district_and_logs_out(
    live_server, page, secretariat_a, password
):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", "halong")
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")

    card = page.get_by_test_id("scope-card")
    expect(card).to_contain_text("Thành phố Hạ Long")
    card.get_by_role("link", name="Thành phố Hạ Long").click()
    expect(page.get_by_test_id("area-name")).to_have_text("Thành phố Hạ Long")
    expect(page.get_by_test_id("child-table")).to_contain_text("Phường Hà Khánh")

    # The children search narrows the list in place (htmx), without leaving the page.
    # htmx binds its triggers once the page has loaded: typing earlier would go unseen.
    page.wait_for_load_state("load")
    page.fill("#child-q", "Hà Khánh")
    expect(page.get_by_test_id("child-table").locator("tbody tr")).to_have_count(1)

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto(f"{live_server.url}/areas/193/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_the_portal_works_on_a_phone(live_server, browser, secretariat_a, password):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "halong")
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")
    expect(page.get_by_test_id("scope-card")).to_be_visible()
    # The navigation folds behind the toggler and opens on a tap.
    page.get_by_role("button", name="Mở menu").click()
    expect(page.get_by_role("link", name="Địa bàn")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_the_api_docs_render_from_local_files(live_server, page, viewer, password):
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(f"{live_server.url}/accounts/login/?next=/api/v1/docs/")
    page.fill("#id_username", "xem")
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")
    expect(page.get_by_text("/api/v1/areas/", exact=True)).to_be_visible()
    assert all(url.startswith(live_server.url) for url in failed)
