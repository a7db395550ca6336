"""In a real browser set up in English (en-US): days are typed and picked as dd/mm/yyyy and
saved as the day the user meant, in both languages of the portal, with or without
scripts; the areas offered follow the day as soon as it is whole. The user is the commune
official of Phường Cao Xanh on today's map, which took over Phường Hà Khánh."""

import datetime

import pytest
from playwright.sync_api import expect

from committees.models import Training

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def english_browser(browser):
    contexts = []

    def _open(**options):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="en-US", **options
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield _open
    for context in contexts:
        context.close()


def _log_in(page, url: str, password: str, next_path: str) -> None:
    page.goto(f"{url}/accounts/login/?next={next_path}")
    page.fill("#id_username", "caoxanh")
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"**{next_path}")


def _fill_training(page) -> None:
    page.select_option("#id_kind", "class")
    page.fill("#id_title", "Tập huấn Luật Thực hiện dân chủ ở cơ sở")
    page.fill("#id_attendances", "120")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_day_typed_in_an_english_browser_is_saved_as_that_day(
    live_server, english_browser, commune_official_today, password, language
):
    page = english_browser()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    _log_in(page, live_server.url, password, "/trainings/new/")
    assert page.evaluate("navigator.language") == "en-US"
    _fill_training(page)
    day = page.locator("#id_held_on")
    expect(day).to_have_attribute("placeholder", "dd/mm/yyyy")
    # Digits only, as on a phone's number pad: the slashes come by themselves.
    day.click()
    page.keyboard.type("01122025")
    expect(day).to_have_value("01/12/2025")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert Training.objects.get().held_on == datetime.date(2025, 12, 1)
    expect(page.locator("main")).to_contain_text("01/12/2025")


def test_a_day_that_does_not_exist_is_explained_before_sending(
    live_server, english_browser, commune_official_today, password
):
    page = english_browser()
    _log_in(page, live_server.url, password, "/trainings/new/")
    _fill_training(page)
    page.fill("#id_held_on", "31/02/2026")
    save = page.locator("main form button[type=submit]").first
    # Leaving the field shows the message at once (it may move the button away from
    # under the pointer, as it does for a user)...
    save.click()
    expect(page.locator("#id_held_on-day-problem")).to_have_text(
        "31/02/2026 không phải là ngày có thật: tháng 2/2026 có 28 ngày."
    )
    # ...and the form is not sent with it: the field gets the focus back.
    save.click()
    expect(page.locator("#id_held_on")).to_be_focused()
    expect(page.locator("#id_held_on")).to_have_attribute("aria-invalid", "true")
    assert Training.objects.count() == 0
    # Corrected, the message goes and the form is sent.
    page.fill("#id_held_on", "28/02/2026")
    expect(page.locator("#id_held_on-day-problem")).to_have_text("")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert Training.objects.get().held_on == datetime.date(2026, 2, 28)


def test_a_day_is_picked_on_a_calendar_in_the_pages_language(
    live_server, english_browser, commune_official_today, password
):
    page = english_browser()
    _log_in(page, live_server.url, password, "/trainings/new/")
    _fill_training(page)
    page.fill("#id_held_on", "10/12/2025")
    page.get_by_role("button", name="Chọn ngày trên lịch").click()
    calendar = page.locator("calendar-date")
    expect(calendar).to_be_visible()
    # Vietnamese month names and weekdays (Intl, lang="vi"), whatever the browser's own.
    month = calendar.get_by_role("combobox", name="Tháng")
    expect(month.locator("option:checked")).to_have_attribute("label", "Tháng 12")
    calendar.locator("calendar-month").get_by_role("button", name="19").click()
    expect(page.locator("#id_held_on")).to_have_value("19/12/2025")
    expect(calendar).to_be_hidden()
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert Training.objects.get().held_on == datetime.date(2025, 12, 19)


def test_without_scripts_a_day_is_plain_typed_text(
    live_server, english_browser, commune_official_today, password
):
    page = english_browser(java_script_enabled=False)
    _log_in(page, live_server.url, password, "/trainings/new/")
    _fill_training(page)
    page.fill("#id_held_on", "01/12/2025")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert Training.objects.get().held_on == datetime.date(2025, 12, 1)


def test_the_areas_offered_follow_a_day_as_soon_as_it_is_typed_or_picked(
    live_server, english_browser, commune_official_today, password
):
    page = english_browser()
    _log_in(page, live_server.url, password, "/trainings/new/")
    refreshes = []
    page.on("request", lambda r: "/trainings/new/?" in r.url and refreshes.append(r.url))
    _fill_training(page)
    areas = page.locator("#id_area")
    # Today: the commune of today's map, the one it took over is not offered.
    expect(areas.locator("option:checked")).to_contain_text("Phường Cao Xanh (từ 01/07/2025)")
    expect(areas).not_to_contain_text("Phường Hà Khánh")
    day = page.locator("#id_held_on")
    # A day that does not exist, or half a day, asks for nothing.
    day.click()
    page.keyboard.type("31022024")
    page.keyboard.press("Backspace")
    page.wait_for_timeout(300)
    assert refreshes == []
    # Whole and real, typed: the areas of that day come while the field is still in use.
    day.fill("")
    page.keyboard.type("15032024")
    expect(areas).to_contain_text("Phường Hà Khánh (đến 30/06/2025)")
    expect(areas).not_to_contain_text("(từ 01/07/2025)")
    expect(day).to_be_focused()
    assert len(refreshes) == 1 and "held_on=15%2F03%2F2024" in refreshes[0]
    # Picked on the calendar: a day of today's map brings its commune back.
    page.get_by_role("button", name="Chọn ngày trên lịch").click()
    calendar = page.locator("calendar-date")
    calendar.get_by_role("combobox", name="Năm").select_option("2026")
    calendar.locator("calendar-month").get_by_role("button", name="10").click()
    expect(day).to_have_value("10/03/2026")
    expect(areas).to_contain_text("Phường Cao Xanh (từ 01/07/2025)")
    expect(areas).not_to_contain_text("Phường Hà Khánh")
    assert len(refreshes) == 2
    # Leaving the field with the same day asks nothing again.
    page.locator("#id_title").click()
    page.wait_for_timeout(300)
    assert len(refreshes) == 2
    areas.select_option(label="— — Phường Cao Xanh (từ 01/07/2025)")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".alert-success")).to_be_visible()
    training = Training.objects.get()
    assert (training.held_on, training.area.name) == (datetime.date(2026, 3, 10), "Phường Cao Xanh")
