"""Unit figures as of the year: a conference counts in the year it was held, whatever is
held later; the units and their regulation are those of the window's end."""

import datetime
import html
import re
from decimal import Decimal

import pytest

from reports.catalogue import Window, computed_figures
from reports.models import ReportStatus
from reports.selectors import summary
from reports.services import report_start, report_transition
from tests.conftest import COMMUNE_A, COMMUNE_A_TODAY, DISTRICT_A, DISTRICT_B
from tests.factories import (
    MemberUnitFactory,
    ReportingPeriodFactory,
    UnitEventFactory,
    area,
    written,
)

pytestmark = pytest.mark.django_db
TODAY = "2025"


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _accepted(period, place, actor):
    report = written(report_start(period=period, area=place, actor=actor))
    report_transition(report=report, to=ReportStatus.SUBMITTED, actor=actor, notify=False)
    report_transition(report=report, to=ReportStatus.ACCEPTED, actor=actor, notify=False)
    return report


def _figure(report, code):
    return report.values.get(indicator__code=code).value


def _summary_total(client, period, code) -> str:
    page = client.get(f"/reports/periods/{period.pk}/summary/").text
    cell = page.split(f'data-testid="total-{code}">')[1].split("</td>")[0]
    return re.sub(r"<[^>]+>", "", cell).strip()


def test_a_2024_conference_and_a_2026_one_each_count_in_their_own_year(login, provincial_staff):
    office = MemberUnitFactory(area=area(DISTRICT_A), name="Văn phòng Thành ủy")
    UnitEventFactory(unit=office, held_on=day("2023-01-18"))
    UnitEventFactory(unit=office, held_on=day("2024-01-20"))
    cao_xanh = area(COMMUNE_A_TODAY, TODAY)
    people = MemberUnitFactory(area=cao_xanh, name="UBND phường Cao Xanh")
    UnitEventFactory(unit=people, held_on=day("2025-12-02"))
    UnitEventFactory(unit=people, held_on=day("2026-02-03"))
    UnitEventFactory(unit=people, kind="dialogue", held_on=day("2026-06-10"))
    # Everything of 2026 is entered before 2024's report is (re)made: it changes nothing.
    past = ReportingPeriodFactory(year=2024)
    present = ReportingPeriodFactory(year=2026, province=area("22", TODAY))
    old = _accepted(past, area(DISTRICT_A), provincial_staff)
    new = _accepted(present, cao_xanh, provincial_staff)
    assert (_figure(old, "units_conference"), _figure(old, "units_dialogue")) == (1, 0)
    assert (_figure(new, "units_conference"), _figure(new, "units_dialogue")) == (1, 1)
    client = login(provincial_staff)
    assert _summary_total(client, past, "units_conference") == "1"
    assert _summary_total(client, present, "units_conference") == "1"
    lines = {line.indicator.code: line for line in summary(present)["lines"]}
    assert lines["units_conference"].total == 1
    # Each year on its own, and a unit with two conferences in a year counts once.
    UnitEventFactory(unit=people, held_on=day("2026-09-09"))
    by_year = {
        year: computed_figures(cao_xanh, Window.year(year))["units_conference"]
        for year in (2024, 2025, 2026)
    }
    assert by_year == {2024: 0, 2025: 1, 2026: 1}
    assert computed_figures(area(DISTRICT_A), Window.year(2024))["units_conference"] == 1


def test_the_units_and_their_regulation_are_those_of_the_windows_end(provincial_staff):
    ha_long = area(DISTRICT_A)
    MemberUnitFactory(area=ha_long, name="Có quy chế từ 2023")
    MemberUnitFactory(area=ha_long, name="Quy chế năm 2025", regulation_date=day("2025-03-01"))
    MemberUnitFactory(area=ha_long, name="Thành lập 2025", established_on=day("2025-02-01"))
    MemberUnitFactory(area=ha_long, name="Giải thể 2026", dissolved_on=day("2026-01-01"))
    MemberUnitFactory(area=ha_long, name="Giải thể giữa 2024", dissolved_on=day("2024-06-01"))
    MemberUnitFactory(area=area(COMMUNE_A), kind="commune", name="Phường Hà Khánh")
    MemberUnitFactory(area=area(DISTRICT_B), name="Cẩm Phả")  # another district
    report = _accepted(ReportingPeriodFactory(year=2024), ha_long, provincial_staff)
    # Existing at the end of 2024: the first, the regulation of 2025 (not yet issued),
    # the one dissolved in 2026, and the commune's own unit.
    assert (_figure(report, "units"), _figure(report, "units_regulation")) == (4, 3)
    window = Window(day("2024-01-01"), day("2024-05-31"))
    before = computed_figures(ha_long, window)
    assert (before["units"], before["units_regulation"]) == (5, 4)  # not dissolved yet
    # On today's map: Hà Khánh's own unit ended with Hà Khánh, Cao Xanh's began with it.
    cao_xanh = area(COMMUNE_A_TODAY, TODAY)
    MemberUnitFactory(
        area=cao_xanh,
        kind="commune",
        name="UBND phường Cao Xanh",
        established_on=day("2025-07-01"),
        regulation_date=day("2025-08-05"),
    )
    MemberUnitFactory(area=area(COMMUNE_A), name="Trường THCS Hà Khánh")  # lives on
    figures = computed_figures(cao_xanh, Window.year(2025))
    assert (figures["units"], figures["units_regulation"]) == (2, 2)
    first_half = computed_figures(cao_xanh, Window(day("2025-01-01"), day("2025-06-30")))
    assert first_half["units"] == 2  # Hà Khánh's own unit and its school, not Cao Xanh's yet
    lines = {line.indicator.code: line for line in summary(report.period)["lines"]}
    assert lines["units_regulation_share"].total == Decimal("75.0")


def test_the_conference_figures_list_holds_exactly_the_units_it_counts(login, secretariat_a):
    held = MemberUnitFactory(area=area(COMMUNE_A), name="Trường Tiểu học Hà Khánh")
    UnitEventFactory(unit=held, held_on=day("2024-03-01"))
    UnitEventFactory(unit=held, held_on=day("2024-09-01"))  # twice: one unit
    earlier = MemberUnitFactory(area=area(DISTRICT_A), name="Hội nghị năm trước")
    UnitEventFactory(unit=earlier, held_on=day("2023-12-01"))
    dialogue_only = MemberUnitFactory(area=area(DISTRICT_A), name="Chỉ đối thoại")
    UnitEventFactory(unit=dialogue_only, kind="dialogue", held_on=day("2024-05-05"))
    elsewhere = MemberUnitFactory(area=area(DISTRICT_B), name="Cẩm Phả")
    UnitEventFactory(unit=elsewhere, held_on=day("2024-03-01"))
    period = ReportingPeriodFactory(year=2024, due_on=day("2099-12-15"))
    report = written(report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a))
    client = login(secretariat_a)
    page = client.get(f"/reports/{report.pk}/").text
    found = re.findall(r'<a href="([^"]+)"[^>]*data-records="([a-z_]+)"', page)
    links = {code: html.unescape(url) for url, code in found}
    listed = client.get(links["units_conference"]).context["page"].object_list
    assert [u.name for u in listed] == ["Trường Tiểu học Hà Khánh"]
    assert _figure(report, "units_conference") == 1
    dialogues = client.get(links["units_dialogue"]).context["page"].object_list
    assert [u.name for u in dialogues] == ["Chỉ đối thoại"]
