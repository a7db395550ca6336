"""The annual reporting cycle: prefill, corrections with reasons, frozen figures, the
workflow and its e-mails, the concurrent-edit conflict, completeness, reminders, the
summary's sums and ratios, scope, and constant queries."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from committees.models import Area, MemberUnit
from committees.platform.history import untracked_writes
from reports.models import AnnualReport, ReportEvent, ReportingPeriod, ReportStatus
from reports.selectors import completeness, completeness_overview, summary
from reports.services import TRANSITIONS, report_start, report_transition
from reports.tasks import send_reminders
from tests.conftest import COMMUNE_A, DISTRICT_A, DISTRICT_B, PROVINCE
from tests.factories import (
    REPORT_SECTIONS,
    AnnualReportFactory,
    MemberUnitFactory,
    ReportingPeriodFactory,
    TrainingFactory,
    area,
    written,
)
from tests.helpers import query_count, query_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2024)


def _value(report, code):
    return report.values.get(indicator__code=code)


def _form(report, **changes):
    """The filing form as the page posts it, with the report's current figures."""
    data = {"version": report.version, **REPORT_SECTIONS, "results": "Kết quả tốt"}
    for v in report.values.select_related("indicator"):
        code = v.indicator.code
        number = "" if v.value is None else v.value
        data[f"v_{code}"] = v.text if v.indicator.aggregation == "text" else number
        data[f"r_{code}"] = v.correction_reason
    data.update(changes)
    return data


def test_the_prefill_equals_what_the_records_say(login, secretariat_a, period):
    TrainingFactory(area=area(COMMUNE_A), attendances=120, held_on=datetime.date(2024, 5, 1))
    TrainingFactory(area=area(DISTRICT_A), attendances=80, held_on=datetime.date(2024, 9, 1))
    TrainingFactory(area=area(DISTRICT_B), attendances=999, held_on=datetime.date(2024, 9, 1))
    TrainingFactory(area=area(DISTRICT_A), attendances=7, held_on=datetime.date(2023, 9, 1))
    MemberUnitFactory.create_batch(3, area=area(COMMUNE_A))
    MemberUnitFactory(area=area(COMMUNE_A), regulation_issued=False, regulation_date=None)
    client = login(secretariat_a)
    response = client.post(f"/reports/periods/{period.pk}/areas/{area(DISTRICT_A).pk}/open/")
    report = AnnualReport.objects.get()
    assert response.url == f"/reports/{report.pk}/edit/"
    assert _value(report, "training_attendances").value == 200
    assert _value(report, "training_classes").value == 2
    assert (_value(report, "units").value, _value(report, "units_regulation").value) == (4, 3)
    page = client.get(f"/reports/{report.pk}/").text
    assert 'data-testid="value-training_attendances">200' in page


def test_a_changed_computed_figure_needs_a_reason_and_both_are_kept(login, secretariat_a, period):
    TrainingFactory(area=area(DISTRICT_A), attendances=80, held_on=datetime.date(2024, 9, 1))
    client = login(secretariat_a)
    report = written(report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a))
    refused = client.post(f"/reports/{report.pk}/edit/", _form(report, v_training_attendances="95"))
    assert "hãy ghi lý do điều chỉnh" in refused.text
    assert _value(report, "training_attendances").value == 80
    saved = client.post(
        f"/reports/{report.pk}/edit/",
        _form(
            report, v_training_attendances="95", r_training_attendances="Lớp ngày 9/12 chưa nhập"
        ),
    )
    assert saved.status_code == 302
    value = _value(report, "training_attendances")
    assert (value.computed, value.value, value.correction_reason) == (
        80,
        95,
        "Lớp ngày 9/12 chưa nhập",
    )
    negative = client.post(
        f"/reports/{AnnualReport.objects.get().pk}/edit/",
        _form(AnnualReport.objects.get(), v_village_conventions="-2"),
    )
    assert "Số liệu không được là số âm." in negative.text


def test_figures_freeze_when_the_report_is_submitted(login, secretariat_a, period):
    report = written(report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a))
    TrainingFactory(area=area(DISTRICT_A), attendances=50, held_on=datetime.date(2024, 6, 1))
    report_transition(report=report, to="submitted", actor=secretariat_a)
    assert _value(report, "training_attendances").value == 50  # read again at submission
    TrainingFactory(area=area(DISTRICT_A), attendances=70, held_on=datetime.date(2024, 7, 1))
    report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a)  # opening it again
    login(secretariat_a).get(f"/reports/{report.pk}/")
    assert _value(report, "training_attendances").value == 50
    edit = login(secretariat_a).post(f"/reports/{report.pk}/edit/", _form(report), follow=True)
    assert "không sửa được nữa" in edit.text


ILLEGAL = [
    (a, b) for a in ReportStatus.values for b in ReportStatus.values if b not in TRANSITIONS[a]
]


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_every_illegal_step_is_refused(login, provincial_staff, period, current, target):
    report = AnnualReportFactory(period=period, area=area(DISTRICT_A), status=current)
    client = login(provincial_staff)
    response = client.post(
        f"/reports/{report.pk}/step/", {"to": target, "note": "lý do"}, follow=True
    )
    assert "Không thể chuyển báo cáo" in response.text
    api = client.post(
        f"/api/v1/reports/{report.pk}/step/",
        {"to": target, "note": "x"},
        content_type="application/json",
    )
    assert api.status_code == 400
    report.refresh_from_db()
    assert report.status == current and not ReportEvent.objects.exists()


def test_only_the_reviewing_level_returns_or_accepts_and_a_return_needs_a_reason(
    login, secretariat_a, provincial_staff, period, django_capture_on_commit_callbacks
):
    report = written(report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a))
    report_transition(report=report, to="submitted", actor=secretariat_a)
    own = login(secretariat_a).post(f"/reports/{report.pk}/step/", {"to": "accepted"})
    assert own.status_code == 403
    no_reason = login(provincial_staff).post(
        f"/reports/{report.pk}/step/", {"to": "returned"}, follow=True
    )
    assert "Hãy ghi lý do trả lại." in no_reason.text
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        login(provincial_staff).post(
            f"/reports/{report.pk}/step/", {"to": "returned", "note": "Thiếu số liệu đối thoại"}
        )
    report.refresh_from_db()
    assert report.status == "returned" and report.return_reason == "Thiếu số liệu đối thoại"
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["halong@example.test", "tinh@example.test"]
    assert "Bị trả lại" in mail.outbox[0].subject


def test_a_second_save_on_an_old_version_is_refused_and_both_versions_are_shown(
    login, secretariat_a, period
):
    report = written(report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a))
    first, second = login(secretariat_a), login(secretariat_a)
    opened = _form(report)
    first.post(f"/reports/{report.pk}/edit/", {**opened, "results": "Bản của người thứ nhất"})
    response = second.post(
        f"/reports/{report.pk}/edit/",
        {
            **opened,
            "results": "Bản của người thứ hai",
            "v_village_conventions": "12",
            "r_village_conventions": "Theo sổ theo dõi",
        },
    )
    assert response.status_code == 200
    assert 'data-testid="conflict"' in response.text
    assert "Bản của người thứ nhất" in response.text  # what is saved
    assert "Bản của người thứ hai" in response.text  # what the second typed, kept in the form
    report.refresh_from_db()
    assert report.results == "Bản của người thứ nhất"
    assert _value(report, "village_conventions").value == 0  # as the records say
    api = second.put(
        f"/api/v1/reports/{report.pk}/",
        {"version": 1, "results": "API"},
        content_type="application/json",
    )
    assert api.status_code == 409 and api.json()["current"]["results"] == "Bản của người thứ nhất"
    # saving again deliberately, on the version now shown, goes through
    again = second.post(
        f"/reports/{report.pk}/edit/",
        {**opened, "version": report.version, "results": "Bản của người thứ hai"},
    )
    assert again.status_code == 302
    report.refresh_from_db()
    assert report.results == "Bản của người thứ hai"


def _submit(report, actor, when):
    written(report)
    report_transition(report=report, to="submitted", actor=actor, notify=False)
    with untracked_writes():  # submitted on a day in the past
        AnnualReport.objects.filter(pk=report.pk).update(first_submitted_at=when)


def test_completeness_counts_on_time_late_returned_and_missing(
    login, secretariat_a, provincial_staff, period
):
    districts = list(period.filing_areas().order_by("code"))
    assert len(districts) == 13
    due = timezone.make_aware(datetime.datetime(2024, 12, 15, 17, 0))
    late = timezone.make_aware(datetime.datetime(2024, 12, 20, 9, 0))
    for district, when in [(districts[0], due), (districts[1], due), (districts[2], late)]:
        _submit(
            report_start(period=period, area=district, actor=provincial_staff),
            provincial_staff,
            when,
        )
    sent_back = report_start(period=period, area=districts[3], actor=provincial_staff)
    _submit(sent_back, provincial_staff, due)
    report_transition(
        report=sent_back, to="returned", actor=provincial_staff, note="Sai số", notify=False
    )
    report_start(
        period=period, area=districts[4], actor=provincial_staff
    )  # a draft is still missing
    figures = completeness(period)
    assert (figures["expected"], figures["actual"], figures["on_time"]) == (13, 3, 2)
    assert (figures["late"], figures["returned"], figures["missing"]) == (1, 1, 9)
    assert figures["rate"] == 23.1 and figures["on_time_rate"] == 15.4
    page = login(provincial_staff).get(period.get_absolute_url()).text
    assert 'data-testid="missing">9<' in page
    # A returned report says so once (its state), not "Bị trả lại · Bị trả lại".
    assert "· Bị trả lại" not in page
    assert "· Đang soạn" in page  # a draft's status does add to "Chưa nộp"
    # Each area's row: its state, its first submission in local time, its way in.
    row = page[page.index(f"<td>{districts[2].name}</td>") :].split("</tr>")[0]
    assert "Muộn" in row and "20/12/2024 09:00" in row
    assert f'href="/reports/{districts[2].annual_reports.get().pk}/"' in row
    draft = page[page.index(f"<td>{districts[4].name}</td>") :].split("</tr>")[0]
    assert f'data-testid="file-{districts[4].code}">Tiếp tục soạn<' in draft
    assert 'name="csrfmiddlewaretoken"' in draft
    own = login(secretariat_a).get(period.get_absolute_url()).text
    assert 'data-testid="expected">1<' in own  # a district sees its own line


def test_the_years_page_counts_each_province_and_the_whole_country(
    login, provincial_staff, administrator, secretariat_a, period
):
    districts = list(period.filing_areas().order_by("code"))
    # Due on 15/12 (Vietnam time): filed at 23:30 that evening is on time, 00:30 is late.
    evening = timezone.make_aware(datetime.datetime(2024, 12, 15, 23, 30))
    night = timezone.make_aware(datetime.datetime(2024, 12, 16, 0, 30))
    for district, when in [(districts[0], evening), (districts[1], night)]:
        _submit(
            report_start(period=period, area=district, actor=provincial_staff),
            provincial_staff,
            when,
        )
    sent_back = report_start(period=period, area=districts[2], actor=provincial_staff)
    _submit(sent_back, provincial_staff, evening)
    report_transition(
        report=sent_back, to="returned", actor=provincial_staff, note="Sai số", notify=False
    )
    figures = completeness(period)
    assert (figures["on_time"], figures["late"], figures["returned"]) == (1, 1, 1)
    # Another province's year, with no report yet, and an older year of Quảng Ninh.
    other = Area.objects.create(
        structure="legacy", level="province", code="99", name="Tỉnh Thử", short_name="Thử"
    )
    for n in range(4):
        Area.objects.create(
            structure="legacy", level="district", code=f"99{n}", name=f"Huyện {n}",
            short_name=str(n), parent=other,
        )  # fmt: skip
    ReportingPeriodFactory(province=other, year=2024)
    ReportingPeriodFactory(province=period.province, year=2023)

    overview = completeness_overview(ReportingPeriod.objects.all(), 2024)
    mine = overview["rows"][0]
    assert mine["period"] == period
    for key in ("expected", "actual", "on_time", "late", "returned", "missing", "rate"):
        assert mine[key] == figures[key], key
    assert overview["total"]["expected"] == 13 + 4
    assert overview["total"]["actual"] == 2 and overview["total"]["missing"] == 14
    assert overview["total"]["rate"] == 11.8

    page = login(administrator).get("/reports/")
    assert page.context["year"] == 2024 and page.context["years"] == [2024, 2023]
    total = page.text.split('data-testid="total"')[1]
    assert 'data-testid="expected">17<' in total and 'data-testid="rate">11,8%<' in total
    # A province's staff see their province only, and no total.
    page = login(provincial_staff).get("/reports/", {"year": "2023"})
    assert page.context["year"] == 2023
    assert [r["period"].year for r in page.context["overview"]["rows"]] == [2023]
    assert 'data-testid="total"' not in page.text
    assert login(secretariat_a).get("/reports/", {"year": "abc"}).context["year"] == 2024


def test_reminders_go_to_the_editors_of_areas_that_have_not_filed(
    secretariat_a, secretariat_b, viewer, provincial_staff, period
):
    _submit(
        written(report_start(period=period, area=area(DISTRICT_B), actor=secretariat_b)),
        secretariat_b,
        timezone.now(),
    )
    mail.outbox.clear()
    assert send_reminders("2024-12-01") == 0  # not a reminder day
    assert send_reminders("2024-12-08") == 1  # 7 days before the due date
    assert [m.to for m in mail.outbox] == [["halong@example.test"]]
    assert "Hạn nộp: 15/12/2024" in mail.outbox[0].body
    assert send_reminders("2024-12-08") == 0  # once a day
    assert send_reminders("2024-12-18") == 1  # three days late
    # A closing day set ahead closes nothing yet: reminders go on until that day.
    period.closed_on = datetime.date(2024, 12, 22)
    period.save(update_fields=["closed_on"])
    assert send_reminders("2024-12-21") == 1  # six days late
    assert send_reminders("2024-12-24") == 0  # closed (nine days late)


def test_the_summary_adds_sums_and_divides_sums_never_averages_percentages(
    provincial_staff, period
):
    # Hạ Long: 1 unit of 1 with a regulation (100 %); Cẩm Phả: 1 of 9 (11.1 %).
    # The average of the percentages would be 55.6 %; the true share is 2 of 10 = 20 %.
    MemberUnitFactory(area=area(COMMUNE_A))
    MemberUnitFactory(area=area(DISTRICT_B))
    MemberUnitFactory.create_batch(
        8, area=area(DISTRICT_B), regulation_issued=False, regulation_date=None
    )
    for code in (DISTRICT_A, DISTRICT_B):
        report = written(report_start(period=period, area=area(code), actor=provincial_staff))
        report_transition(report=report, to="submitted", actor=provincial_staff, notify=False)
        report_transition(report=report, to="accepted", actor=provincial_staff, notify=False)
    # Not accepted: left out.
    draft = report_start(period=period, area=area("196"), actor=provincial_staff)
    with untracked_writes():  # straight to submitted, no step taken
        AnnualReport.objects.filter(pk=draft.pk).update(status="submitted")
    assert MemberUnit.objects.count() == 10
    lines = {line.indicator.code: line for line in summary(period)["lines"]}
    assert lines["units"].total == 10
    assert lines["units_regulation"].total == 2
    assert lines["units_regulation_share"].total == Decimal("20.0")
    by_area = lines["units_regulation_share"].by_area
    assert by_area[area(DISTRICT_A).pk] == Decimal("100.0")
    assert by_area[area(DISTRICT_B).pk] == Decimal("11.1")


def test_scope_of_periods_reports_and_summary(login, secretariat_a, secretariat_b, period):
    report = written(report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a))
    outsider = login(secretariat_b)
    assert outsider.get(f"/reports/{report.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/reports/{report.pk}/").status_code == 404
    assert outsider.post(f"/reports/{report.pk}/edit/", _form(report)).status_code == 404
    refused = outsider.post(f"/reports/periods/{period.pk}/areas/{area(DISTRICT_A).pk}/open/")
    assert refused.status_code in (403, 404)
    assert login(secretariat_a).get(f"/reports/periods/{period.pk}/summary/").status_code == 403
    other = ReportingPeriodFactory(  # another province: here the 2025 one
        province=area(PROVINCE, "2025"),
        year=2024,
        opens_on=datetime.date(2024, 11, 1),
        due_on=datetime.date(2024, 12, 1),
    )
    assert login(secretariat_a).get(other.get_absolute_url()).status_code == 404


def test_a_closed_period_takes_a_report_only_with_an_exception(
    login, secretariat_a, provincial_staff, period
):
    report = written(report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a))
    period.closed_on = datetime.date.today() - datetime.timedelta(days=1)
    period.save()
    refused = login(secretariat_a).post(
        f"/reports/{report.pk}/step/", {"to": "submitted"}, follow=True
    )
    assert "Kỳ báo cáo đã khóa sổ" in refused.text
    login(provincial_staff).post(
        f"/reports/periods/{period.pk}/exceptions/",
        {
            "area": area(DISTRICT_A).pk,
            "until": (datetime.date.today() + datetime.timedelta(days=5)).isoformat(),
            "reason": "Mất điện kéo dài",
        },
    )
    login(secretariat_a).post(f"/reports/{report.pk}/step/", {"to": "submitted"})
    report.refresh_from_db()
    assert report.status == "submitted"


def test_pages_and_api_run_constant_queries(login, provincial_staff, period):
    client = login(provincial_staff)
    districts = list(period.filing_areas().order_by("code"))

    def file(district):
        report = written(report_start(period=period, area=district, actor=provincial_staff))
        report_transition(report=report, to="submitted", actor=provincial_staff, notify=False)
        report_transition(report=report, to="accepted", actor=provincial_staff, notify=False)

    file(districts[0])
    urls = [
        "/reports/",
        period.get_absolute_url(),
        f"/reports/periods/{period.pk}/summary/",
        "/api/v1/reports/",
        "/api/v1/reporting-periods/",
    ]
    few = query_counts(client, urls)
    for district in districts[1:6]:
        file(district)
    many = query_counts(client, urls)
    # The reports' API: one more, the notes on warning rules of every report listed. The
    # period page: two fewer, its trend over the years is a fragment of its own (htmx).
    # The summary: two more (26), the province's own democracy activities and village
    # conventions, one query per kind of record as for every other kind; then one fewer
    # (25) and the period page two fewer (8): whether the user reviews the province and
    # which rows they keep are read from their assignments (``User.keeps``).
    assert few == many == dict(zip(urls, [7, 8, 25, 9, 6], strict=True))


def test_the_period_page_runs_the_same_queries_for_13_districts_or_54_communes(
    login, provincial_staff, period
):
    communes = ReportingPeriodFactory(
        province=area(PROVINCE, "2025"), year=2025, closed_on=datetime.date(2026, 1, 15)
    )
    period.closed_on = datetime.date(2025, 1, 15)
    period.save()
    assert communes.filing_areas().count() == 54
    client = login(provincial_staff)
    districts = query_count(client, period.get_absolute_url())
    # 11: the trend over the years (its own fragment, htmx) is no longer counted here;
    # 9: whether the user reviews and which rows they keep come from their assignments.
    assert districts == query_count(client, communes.get_absolute_url()) == 9
