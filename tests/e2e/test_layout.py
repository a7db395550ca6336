"""In a real browser: the main pages fit a 1,280 px screen and a 390 px phone in both
languages (no sideways scrolling, the user menu whole), and lists become readable cards
on the phone."""

import pytest
from playwright.sync_api import expect

from committees.models import SteeringCommittee, Training, User
from inspections.models import Petition
from reports.models import AnnualReport, ReportingPeriod

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "qcdc-demo-2024"


def _main_pages() -> list[str]:
    # The demo holds several provinces and both maps: Quảng Ninh's 2024 and its records.
    user = User.objects.get(username="tinh.quangninh")
    period = ReportingPeriod.objects.get(province__code="22", year=2024)
    return [
        "/",
        "/areas/22/",
        SteeringCommittee.objects.visible_to(user).first().get_absolute_url(),
        "/trainings/",
        Training.objects.visible_to(user).first().get_absolute_url(),
        "/trainings/new/",
        "/committees/new/",  # a table of inputs with hidden labels
        "/petitions/",
        Petition.objects.visible_to(user).first().get_absolute_url(),
        "/petitions/dashboard/",
        "/reports/",
        period.get_absolute_url(),
        AnnualReport.objects.filter(period=period).first().get_absolute_url(),
        f"/reports/periods/{period.pk}/summary/",
    ]


def _open(browser, live_server, width: int, height: int, language: str):
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=width < 500, locale="en-US"
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "tinh.quangninh")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    expect(page.get_by_test_id("user-menu")).to_be_attached()
    return context, page


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_the_main_pages_fit_the_screen_in_both_languages(
    live_server, browser, seeded_demo, width, height
):
    pages = _main_pages()
    too_wide = []
    for language in ("vi", "en"):
        context, page = _open(browser, live_server, width, height, language)
        for path in pages:
            page.goto(live_server.url + path)
            page.wait_for_load_state("load")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                too_wide.append(f"{language} {path}: {scroll} px")
            if width >= 1200:
                # The menu on one line, the user menu whole on the screen.
                box = page.get_by_test_id("user-menu").bounding_box()
                if box["x"] + box["width"] > width or box["y"] > 20:
                    too_wide.append(f"{language} {path}: user menu at {box}")
        context.close()
    assert too_wide == []


def test_a_list_on_a_phone_is_one_readable_card_per_row(live_server, browser, seeded_demo):
    context, page = _open(browser, live_server, 390, 844, "vi")
    page.goto(f"{live_server.url}/petitions/")
    rows = page.get_by_test_id("record-table").locator("tbody tr")
    expect(rows.first).to_be_visible()
    # The subject is the card's title, on the card's whole width (not a column of one
    # or two words), and each essential column reads as "label  value".
    title = rows.first.locator("td.stack-title")
    assert title.bounding_box()["width"] > 300
    received = rows.first.locator("td[data-label='Ngày nhận']")
    assert received.bounding_box()["width"] > 300
    label = received.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Ngày nhận"'
    # The columns a phone does without stay hidden; the filters wait under their button.
    expect(rows.first.locator("td[data-label='Lĩnh vực']")).to_be_hidden()
    expect(page.get_by_label("Loại đơn")).to_be_hidden()
    page.get_by_text("Bộ lọc").click()
    expect(page.get_by_label("Loại đơn")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
