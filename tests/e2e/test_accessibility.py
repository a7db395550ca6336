"""Accessibility of the main pages, checked by axe-core in a real browser: no serious or
critical violation (a field without its label, text without enough contrast, a control
without a name…), on the desktop and on a phone; and a focus that shows wherever the
keyboard goes.

axe-core (npm ``axe-core``, MPL-2.0) is vendored for the tests only, in
``tests/e2e/vendor/axe-core/``; no page of the portal loads it. It is injected as an init
script, which the pages' Content-Security-Policy does not stop.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from committees.models import User
from inspections.models import Petition
from reports.models import AnnualReport, ReportingPeriod

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "qcdc-demo-2024"
# Tab this many times through a page, checking each stop shows where the focus is.
TAB_STOPS = 15

FOCUS_SHOWS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "end";  // past the page's last stop
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const ring = style.boxShadow && style.boxShadow !== "none";
  const box = el.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return "";  // a field hidden on this screen
  return outline || ring ? "" : `${el.tagName.toLowerCase()} ${el.textContent.trim().slice(0, 40)}`;
}"""


def _violations(page) -> list[str]:
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{rule['impact']} {rule['id']}: {rule['help']} — {[n['target'] for n in rule['nodes']]}"
        for rule in result["violations"]
        if rule["impact"] in ("serious", "critical")
    ]


def _unfocused(page) -> list[str]:
    page.locator("body").focus()
    stops = []
    for _ in range(TAB_STOPS):
        page.keyboard.press("Tab")
        problem = page.evaluate(FOCUS_SHOWS)
        if problem == "end":
            break
        if problem:
            stops.append(f"no visible focus on {problem}")
    return stops


def _context(browser, live_server, width: int, height: int, language: str):
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=width < 500
    )
    context.add_init_script(path=str(AXE))
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.mark.parametrize(
    ("width", "height", "language"), [(1280, 900, "vi"), (390, 844, "vi"), (1280, 900, "en")]
)
def test_the_main_pages_have_no_serious_accessibility_violation(
    live_server, browser, seeded_demo, width, height, language
):
    # The demo holds several provinces and both maps: Quảng Ninh's 2024 and its records.
    user = User.objects.get(username="tinh.quangninh")
    period = ReportingPeriod.objects.get(province__code="22", year=2024)
    pages = {
        "home": "/",
        "list": "/petitions/",
        "detail": Petition.objects.visible_to(user).first().get_absolute_url(),
        "form": "/trainings/new/",
        "report": AnnualReport.objects.filter(period=period).first().get_absolute_url(),
        "summary": f"/reports/periods/{period.pk}/summary/",
        "dashboard": "/petitions/dashboard/",
    }
    context, page = _context(browser, live_server, width, height, language)
    problems = []
    page.goto(f"{live_server.url}/accounts/login/")
    problems += [f"login: {p}" for p in _violations(page) + _unfocused(page)]
    page.fill("#id_username", "tinh.quangninh")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    expect(page.get_by_test_id("user-menu")).to_be_attached()
    for name, path in pages.items():
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        problems += [f"{name} {path}: {p}" for p in _violations(page) + _unfocused(page)]
    # The form as a user meets it after a mistake, and with its calendar open.
    page.goto(f"{live_server.url}/trainings/new/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    problems += [f"form with errors: {p}" for p in _violations(page)]
    page.locator(".day-field button").first.click()
    expect(page.locator("calendar-date")).to_be_visible()
    problems += [f"calendar: {p}" for p in _violations(page)]
    context.close()
    assert problems == [], "\n".join(problems)
