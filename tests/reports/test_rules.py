"""Validation rules (DHIS2's): the expression grammar and what it refuses, each operator,
the admin that refuses a rule over an unknown code, the filing form that shows violations
as the figures are typed, a submit blocked by an error, a warning that asks for a note
(shown to the reviewer), and the province's validation page in constant queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from committees.models import Area, Level, Structure
from reports.models import (
    AnnualReport,
    Indicator,
    ReportingPeriod,
    ReportRuleNote,
    ReportStatus,
    ValidationRule,
)
from reports.rules import DEFAULT_RULES, ExpressionError, install_default_rules, parse, violations
from reports.services import report_start
from tests.conftest import DISTRICT_A, PROVINCE
from tests.factories import REPORT_SECTIONS, TrainingFactory, area, written
from tests.helpers import query_count

CODES = {"a", "b", "c", "petitions_received", "complaints_received"}


# --- the grammar --------------------------------------------------------------------------


def test_it_reads_sums_differences_constants_and_parentheses():
    expression = parse("a + (b - 3) - -c", CODES)
    assert expression.codes == {"a", "b", "c"}
    values = {"a": Decimal(10), "b": Decimal(5), "c": Decimal(2)}
    assert expression.evaluate(values) == 10 + (5 - 3) + 2


def test_a_missing_figure_counts_as_zero_and_the_minus_sign_reads_as_minus():
    assert parse("a \u2212 b", CODES).evaluate({"a": Decimal(4)}) == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__", "“__import__” (vị trí 1) không phải mã chỉ tiêu dạng số."),
        ("__import__('os').system('ls')", "Ký tự không được phép “'” ở vị trí 12."),
        ("a + open", "“open” (vị trí 5) không phải mã chỉ tiêu dạng số."),
        ("a * b", "Ký tự không được phép “*” ở vị trí 3."),
        ("a / 2", "Ký tự không được phép “/” ở vị trí 3."),
        ("1.5 + a", "Ký tự không được phép “.” ở vị trí 2."),
        ("a.__class__", "Ký tự không được phép “.” ở vị trí 2."),
        ("a +", "Biểu thức chưa hết: thiếu một mã chỉ tiêu hoặc một số."),
        ("(a + b", "Thiếu dấu “)” đóng ngoặc mở ở vị trí 1."),
        ("a b", "Không chờ “b” ở vị trí 3."),
        ("a )", "Không chờ “)” ở vị trí 3."),
        ("()", "Không chờ “)” ở vị trí 2."),
        ("   ", "Biểu thức trống."),
        ("a == b", "Ký tự không được phép “=” ở vị trí 3."),
        ("(" * 30 + "a" + ")" * 30, "Biểu thức lồng nhau quá sâu."),
        ("-" * 30 + "a", "Biểu thức lồng nhau quá sâu."),
        ("a + " * 200 + "a", "Biểu thức dài quá 500 ký tự."),
    ],
)
def test_it_refuses_anything_but_the_grammar_with_a_message(text, message):
    with pytest.raises(ExpressionError) as refused:
        parse(text, CODES)
    assert str(refused.value) == message


def _rule(left: str, operator: str, right: str, importance: str = "error") -> ValidationRule:
    return ValidationRule(
        left=left, operator=operator, right=right, importance=importance, message=operator
    )


@pytest.mark.parametrize(
    ("operator", "holds", "breaks"),
    [
        ("==", (5, 5), (5, 4)),
        ("<=", (4, 5), (6, 5)),
        (">=", (5, 4), (4, 5)),
        ("<", (4, 5), (5, 5)),
        (">", (6, 5), (5, 5)),
    ],
)
def test_each_operator(operator, holds, breaks):
    rule = _rule("a", operator, "b")
    for (a, b), broken in ((holds, False), (breaks, True)):
        found = violations([rule], {"a": Decimal(a), "b": Decimal(b)})
        assert bool(found) is broken, (operator, a, b)
    broken = violations([rule], {"a": Decimal(breaks[0]), "b": Decimal(breaks[1])})
    assert [(v.left, v.right) for v in broken] == [breaks]


def test_a_rule_whose_figures_are_all_missing_is_skipped():
    rule = _rule("a", ">", "b + 1")
    assert violations([rule], {"a": None, "b": None}) == []
    assert len(violations([rule], {"a": None, "b": Decimal(0)})) == 1


def test_errors_come_before_warnings():
    warning, error = _rule("a", ">", "b", "warning"), _rule("a", "<", "b")
    found = violations([warning, error], {"a": Decimal(1), "b": Decimal(1)})
    assert [v.is_error for v in found] == [True, False]


# --- the rules as data ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_default_rules_ship_with_the_catalogue_where_their_codes_exist(quang_ninh):
    codes = set(Indicator.objects.values_list("code", flat=True))
    shipped = set(ValidationRule.objects.values_list("left", "operator", "right"))
    for left, operator, right, *_rest in DEFAULT_RULES:
        needed = parse(left).codes | parse(right).codes
        assert ((left, operator, right) in shipped) is (needed <= codes)
    assert ("units_regulation", "<=", "units") in shipped
    left_out = install_default_rules(ValidationRule, Indicator)  # again: nothing new
    assert ValidationRule.objects.count() == len(shipped) == len(DEFAULT_RULES) - len(left_out)


@pytest.mark.django_db
def test_the_admin_refuses_a_rule_over_an_unknown_code(login, administrator):
    client = login(administrator)
    url = reverse("admin:reports_validationrule_add")
    form = {
        "left": "petitions_resolved",
        "operator": "<=",
        "right": "petitions_carried_forward + petitions_received",
        "importance": "error",
        "message": "Đã giải quyết không quá số phải giải quyết.",
        "message_en": "Resolved at most what was to resolve.",
        "active": "on",
    }
    before = ValidationRule.objects.count()
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "“petitions_carried_forward” (vị trí 1) không phải mã chỉ tiêu dạng số." in refused.text
    ratio = client.post(url, {**form, "right": "units_regulation_share"})
    assert "“units_regulation_share” (vị trí 1) không phải mã chỉ tiêu dạng số." in ratio.text
    injected = client.post(url, {**form, "right": "__import__('os')"})
    assert "Ký tự không được phép “&#x27;” ở vị trí 12." in injected.text
    assert ValidationRule.objects.count() == before
    saved = client.post(url, {**form, "right": "petitions_received"})
    assert saved.status_code == 302
    assert ValidationRule.objects.filter(right="petitions_received", left="petitions_resolved")


# --- filing against the rules ----------------------------------------------------------


@pytest.fixture
def period(quang_ninh):
    return ReportingPeriod.objects.create(
        province=area(PROVINCE),
        year=2024,
        opens_on=datetime.date(2024, 11, 15),
        due_on=datetime.date(2099, 12, 15),
    )


def _form(report, **changes):
    data = {"version": report.version, **REPORT_SECTIONS, "results": "Kết quả tốt"}
    for v in report.values.select_related("indicator"):
        code = v.indicator.code
        number = "" if v.value is None else v.value
        data[f"v_{code}"] = v.text if v.indicator.aggregation == "text" else number
        data[f"r_{code}"] = v.correction_reason
    data.update(changes)
    return data


def _units_rule() -> ValidationRule:
    return ValidationRule.objects.get(left="units_regulation", right="units")


def _attendance_rule() -> ValidationRule:
    return ValidationRule.objects.get(left="training_attendances", right="training_classes")


@pytest.mark.django_db
def test_the_form_shows_violations_as_the_figures_are_typed(login, secretariat_a, period):
    client = login(secretariat_a)
    report = written(report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a))
    page = client.get(f"/reports/{report.pk}/edit/")
    assert 'data-testid="no-violations"' in page.text
    assert f'hx-get="/reports/{report.pk}/edit/?check=1"' in page.text
    typed = client.get(
        f"/reports/{report.pk}/edit/",
        {"check": "1", "v_units": "3", "v_units_regulation": "5"},
        headers={"HX-Request": "true"},
    )
    rule = _units_rule()
    assert f'data-testid="violation-{rule.pk}"' in typed.text
    assert "vế trái 5, vế phải 3" in typed.text
    # Beside each figure the rule names, swapped in out of band.
    for code in ("units", "units_regulation"):
        assert f'<div id="flag-{code}" hx-swap-oob="true"><div class="small text-danger"' in (
            typed.text
        )
    assert '<div id="flag-documents" hx-swap-oob="true"></div>' in typed.text
    nonsense = client.get(
        f"/reports/{report.pk}/edit/",
        {"check": "1", "v_units": "NaN", "v_units_regulation": "abc"},
        headers={"HX-Request": "true"},
    )
    assert nonsense.status_code == 200 and 'data-testid="no-violations"' in nonsense.text


@pytest.mark.django_db
def test_an_error_blocks_the_submit(login, secretariat_a, period):
    client = login(secretariat_a)
    report = written(report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a))
    response = client.post(
        f"/reports/{report.pk}/edit/",
        _form(report, v_units_regulation="4", r_units_regulation="Theo sổ theo dõi", submit="1"),
        follow=True,
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert response.redirect_chain[-1][0] == f"/reports/{report.pk}/edit/"
    assert (
        "Số liệu vi phạm quy tắc: Số đơn vị đã ban hành quy chế dân chủ không thể nhiều hơn "
        "số đơn vị thực hiện. (units_regulation ≤ units)" in response.text
    )
    assert report.values.get(indicator__code="units_regulation").value == 4  # saved, not sent
    assert f'data-testid="violation-{_units_rule().pk}"' in response.text


@pytest.mark.django_db
def test_a_warning_asks_for_a_note_which_the_reviewer_reads(
    login, secretariat_a, provincial_staff, period
):
    for _n in range(2):
        TrainingFactory(area=area(DISTRICT_A), kind="class", attendances=0)
    client = login(secretariat_a)
    report = written(report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a))
    rule = _attendance_rule()
    page = client.get(f"/reports/{report.pk}/edit/")
    assert f'name="n_{rule.pk}"' in page.text  # the warning asks for its note
    refused = client.post(f"/reports/{report.pk}/edit/", _form(report, submit="1"), follow=True)
    assert "Cảnh báo cần giải trình trước khi nộp" in refused.text
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    note = "Hai lớp tổ chức trực tuyến, chưa thống kê được người dự."
    client.post(
        f"/reports/{report.pk}/edit/", _form(report, **{f"n_{rule.pk}": note, "submit": "1"})
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert ReportRuleNote.objects.get(report=report, rule=rule).note == note
    reviewer = login(provincial_staff).get(f"/reports/{report.pk}/")
    assert f'data-testid="violation-{rule.pk}"' in reviewer.text
    assert note in reviewer.text
    validation = login(provincial_staff).get(f"/reports/periods/{period.pk}/validation/")
    assert note in validation.text
    assert report.submissions.get().notes == {
        str(rule.pk): {"rule": rule.formula, "message": rule.message, "note": note}
    }


@pytest.mark.django_db
def test_a_note_on_a_warning_no_longer_broken_is_dropped(login, secretariat_a, period):
    TrainingFactory(area=area(DISTRICT_A), kind="class", attendances=0)
    client = login(secretariat_a)
    report = written(report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a))
    rule = _attendance_rule()
    client.post(f"/reports/{report.pk}/edit/", _form(report, **{f"n_{rule.pk}": "Trực tuyến"}))
    assert report.notes.count() == 1
    report.refresh_from_db()
    fixed = _form(report, v_training_attendances="30", r_training_attendances="Theo danh sách ký")
    client.post(f"/reports/{report.pk}/edit/", {**fixed, f"n_{rule.pk}": "Trực tuyến"})
    assert report.notes.count() == 0


# --- the province's validation page ----------------------------------------------------


def _break_units(report: AnnualReport) -> None:
    value = report.values.get(indicator__code="units_regulation")
    value.value, value.correction_reason = Decimal(7), "Theo sổ"
    value.save()


def _validation_queries(client, period) -> int:
    return query_count(client, f"/reports/periods/{period.pk}/validation/")


@pytest.mark.django_db
def test_the_validation_page_lists_every_areas_violations_in_constant_queries(
    login, provincial_staff, quang_ninh
):
    """13 districts (2024, legacy map) and 54 communes (2026, today's map): the same
    number of queries."""
    client = login(provincial_staff)
    counts, pages = {}, {}
    for year, structure in ((2024, Structure.LEGACY), (2026, Structure.Y2025)):
        province = Area.objects.get(code=PROVINCE, structure=structure)
        period = ReportingPeriod.objects.create(
            province=province,
            year=year,
            opens_on=datetime.date(year, 11, 15),
            due_on=datetime.date(year, 12, 15),
        )
        areas = list(period.filing_areas().order_by("path"))
        for filing in areas:
            written(report_start(period=period, area=filing, actor=provincial_staff))
        for report in AnnualReport.objects.filter(period=period).order_by("area__path")[:2]:
            _break_units(report)
        counts[len(areas)] = _validation_queries(client, period)
        pages[len(areas)] = client.get(f"/reports/periods/{period.pk}/validation/").text
    assert set(counts) == {13, 54}
    assert counts[13] == counts[54], counts
    rule = _units_rule()
    for n, page in pages.items():
        assert f'data-testid="checked">{n}<' in page
        assert 'data-testid="with-errors">2<' in page
        assert f'data-testid="rule-{rule.pk}">2<' in page
    first = Area.objects.filter(level=Level.DISTRICT, structure=Structure.LEGACY)
    assert f'data-testid="check-{first.order_by("path").first().code}"' in pages[13]


@pytest.mark.django_db
def test_the_validation_page_is_the_provinces(login, secretariat_a, period):
    response = login(secretariat_a).get(f"/reports/periods/{period.pk}/validation/")
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_api_answers_a_warning_with_a_note(login, secretariat_a, period):
    TrainingFactory(area=area(DISTRICT_A), kind="class", attendances=0)
    report = written(report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a))
    client = login(secretariat_a)
    step = f"/api/v1/reports/{report.pk}/step/"
    refused = client.post(step, {"to": "submitted"}, content_type="application/json")
    assert refused.status_code == 400
    assert "Cảnh báo cần giải trình trước khi nộp" in str(refused.json())
    rule = _attendance_rule()
    saved = client.put(
        f"/api/v1/reports/{report.pk}/",
        {
            "version": report.version,
            **REPORT_SECTIONS,  # a PUT saves the draft's words too: submitting needs them
            "notes": [{"rule": rule.pk, "note": "Lớp trực tuyến"}],
        },
        content_type="application/json",
    )
    assert saved.status_code == 200
    assert saved.json()["notes"] == [{"rule": rule.pk, "note": "Lớp trực tuyến"}]
    assert (
        client.post(step, {"to": "submitted"}, content_type="application/json").status_code == 200
    )
