"""seed_demo: the demo province, a user per role, the 2024 figures of the seed article,
and the present: 2025 on both sides of the reform, 2026 on today's map, Phú Thọ merged."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F, Q

from committees.demo import DEMO_PASSWORD, DEMO_USERS
from committees.models import (
    AnnualPlan,
    Area,
    Commendation,
    Document,
    Membership,
    MemberUnit,
    PlanTask,
    RoleAssignment,
    SteeringCommittee,
    Training,
    TypicalModel,
    User,
)
from committees.services.reorganisation import (
    assignments_left_behind,
    dated_models,
    records_outside_area_validity,
)
from inspections import counts as petition_counts
from inspections.models import Inspection, Petition
from reports.catalogue import Window, computed_figures
from reports.demo import RETURN_REASON
from reports.models import AnnualReport, ReportingPeriod
from reports.selectors import summary
from tests.helpers import kept_for_the_module
from tests.snapshots import demo_just_seeded

pytestmark = [pytest.mark.django_db, pytest.mark.long]
REFORM = datetime.date(2025, 7, 1)
ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture(scope="module", autouse=True)
def _demo(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module (its first run; the tests run it again): it
    takes seconds."""
    with kept_for_the_module(django_db_blocker):
        call_command("seed_demo", stdout=io.StringIO())
        demo_just_seeded()
        yield


def _today(code: str) -> Area:
    return Area.objects.get(structure="2025", code=code)


def _row_counts() -> dict[str, int]:
    """Rows of every table (the change histories included), in one query."""
    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {quote(t)}" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def test_it_seeds_quang_ninh_with_a_user_per_role_and_runs_again_safely(quang_ninh):
    call_command("seed_demo", stdout=None)
    before = _row_counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert _row_counts() == before  # a second run creates nothing, changes nothing
    printed = {spec.username for spec in DEMO_USERS}
    assert printed == {
        "quantri",
        "tinh.quangninh",
        "duyet.quangninh",
        "huyen.halong",
        "xa.hakhanh",
        "xa.caoxanh",
        "xa.baichay",
        "xem.quangninh",
        "donthu.quangninh",
        "tinh.phutho",
    }
    assert all(f"  {name} " in out.getvalue() for name in printed)
    # Every commune of today's Quảng Ninh has its official (those not printed included).
    communes = Area.objects.filter(parent=_today("22"), level="commune")
    officials = RoleAssignment.objects.filter(role="commune_official", area__in=communes)
    assert officials.values("area").distinct().count() == communes.count() == 54
    others = set(User.objects.values_list("username", flat=True)) - printed
    assert others == set(officials.values_list("user__username", flat=True)) - printed
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert len(roles) == 5
    for name in ("huyen.halong", "xa.caoxanh", "xa.hatu"):
        assert User.objects.get(username=name).check_password("qcdc-demo-2024")


def test_its_2024_trainings_sum_to_the_provinces_reported_figures(quang_ninh):
    call_command("seed_demo", stdout=None)
    totals = (
        Training.objects.within(Area.objects.get(structure="legacy", code="22"))
        .in_year(2024)
        .totals()
    )
    assert (totals["classes"], totals["attendances"]) == (72, 8532)


def test_all_its_units_issued_their_regulation(quang_ninh):
    call_command("seed_demo", stdout=None)
    figures = MemberUnit.objects.within(Area.objects.get(structure="legacy", code="22"))
    figures = figures.regulation_figures(datetime.date(2024, 12, 31))
    assert figures["units"] == 13 + 171
    assert figures["with_regulation"] == figures["units"]


def test_its_2024_documents_match_the_provinces_report(quang_ninh):
    call_command("seed_demo", stdout=None)
    province = Area.objects.get(structure="legacy", code="22")
    issued_by_the_province = Document.objects.filter(area=province, issued_on__year=2024)
    assert issued_by_the_province.count() == 28
    halong = Area.objects.get(structure="legacy", code="193")
    assert Document.objects.within(halong).filter(issued_on__year=2024).count() == 6


def test_it_holds_plans_models_and_a_consolidated_committee(quang_ninh):
    call_command("seed_demo", stdout=None)
    province = Area.objects.get(structure="legacy", code="22")
    # The 2024 plan on the legacy map; this year's on a commune of today's map.
    assert list(AnnualPlan.objects.within(province).values_list("year", flat=True)) == [2024]
    present = AnnualPlan.objects.get(year=datetime.date.today().year)
    assert present.area == _today("06658")
    assert PlanTask.objects.within(_today("22")).overdue().exists()
    assert TypicalModel.objects.within(province).count() == 5
    assert Commendation.objects.within(province).count() == 5
    committee = SteeringCommittee.objects.get(area=province)
    assert [d.kind for d in committee.decisions.order_by("signed_on")] == [
        "established",
        "consolidated",
    ]
    call_command("seed_demo", stdout=None)  # a second run adds nothing
    assert TypicalModel.objects.within(province).count() == 5
    assert committee.decisions.count() == 2


def test_the_2024_summary_reproduces_the_provinces_report(quang_ninh):
    from reports.models import ReportingPeriod
    from reports.selectors import completeness, summary

    call_command("seed_demo", stdout=None)
    period = ReportingPeriod.objects.get(province__code="22", year=2024)
    totals = {line.indicator.code: line.total for line in summary(period)["lines"]}
    assert totals["training_classes"] == 72 and totals["training_attendances"] == 8532
    assert (totals["inspection_organisations"], totals["inspection_members"]) == (1688, 7113)
    assert (totals["supervision_organisations"], totals["supervision_members"]) == (1524, 5955)
    assert totals["units_regulation_share"] == 100
    figures = completeness(period)
    assert (figures["expected"], figures["on_time"], figures["late"]) == (13, 12, 1)


def test_the_demo_inspections_add_up_to_the_provinces_2024_report(quang_ninh):
    province = Area.objects.get(structure="legacy", code="22")
    totals = Inspection.objects.within(province).filter(held_on__year=2024).totals()
    assert (totals["inspection_organisations"], totals["inspection_members"]) == (1688, 7113)
    assert (totals["supervision_organisations"], totals["supervision_members"]) == (1524, 5955)
    # This year's petitions are on today's map: Phường Cao Xanh took over Hà Khánh.
    cao_xanh = Area.objects.get(structure="2025", code="06658")
    assert Petition.objects.filter(area=cao_xanh).overdue().exists()


# The present: 2025 across the reform, 2026 on today's map, a merged province.


def _totals(period: ReportingPeriod) -> dict[str, Decimal | None]:
    return {line.indicator.code: line.total for line in summary(period)["lines"]}


def _sql(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


BOTH_MAPS = ["legacy/22/%", "2025/22/%"]
YEAR_2025 = [datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)]


def test_quang_ninhs_2025_is_filed_by_its_communes_and_holds_both_half_years(quang_ninh):
    call_command("seed_demo", stdout=None)
    period = ReportingPeriod.objects.get(province=_today("22"), year=2025)
    reports = AnnualReport.objects.filter(period=period).select_related("submitted_by")
    assert reports.count() == 54 and {r.status for r in reports} == {"accepted"}
    for report in reports:
        # Filed by the commune's own official; accepted by a reviewer who did not file it.
        assert not report.on_behalf
        assert report.submitted_by.assignments.filter(area=report.area_id).exists()
        accepted = report.events.get(to_status="accepted")
        assert accepted.actor.username in {"tinh.quangninh", "duyet.quangninh"}
        assert accepted.actor != report.submitted_by
    totals = _totals(period)
    training = (
        "SELECT {what} FROM committees_training t JOIN committees_area a ON a.id = t.area_id "
        "WHERE t.held_on BETWEEN %s AND %s AND (a.path LIKE %s OR a.path LIKE %s) {kind}"
    )
    classes = _sql(
        training.format(what="COUNT(*)", kind="AND t.kind = 'class'"), YEAR_2025 + BOTH_MAPS
    )
    attendances = _sql(training.format(what="SUM(t.attendances)", kind=""), YEAR_2025 + BOTH_MAPS)
    assert (totals["training_classes"], totals["training_attendances"]) == (classes, attendances)
    first_half = [datetime.date(2025, 1, 1), datetime.date(2025, 6, 30), "legacy/22/%", "-"]
    assert _sql(training.format(what="SUM(t.attendances)", kind=""), first_half) > 3000
    inspected = _sql(
        "SELECT SUM(i.party_organisations) FROM inspections_inspection i "
        "JOIN committees_area a ON a.id = i.area_id WHERE i.kind = 'inspection' "
        "AND i.held_on BETWEEN %s AND %s AND (a.path LIKE %s OR a.path LIKE %s)",
        YEAR_2025 + BOTH_MAPS,
    )
    assert totals["inspection_organisations"] == inspected
    received = _sql(
        "SELECT COUNT(*) FROM inspections_petition p JOIN committees_area a ON a.id = p.area_id "
        "WHERE p.received_on BETWEEN %s AND %s AND (a.path LIKE %s OR a.path LIKE %s)",
        YEAR_2025 + BOTH_MAPS,
    )
    assert totals["petitions_received"] == received == 15
    # Cao Xanh's petitions of 2025 give each petition statistic (inspections/demo.py).
    assert totals["complaints_second_round_received"] >= 1
    assert totals["petitions_forwarded"] >= 1 and totals["petitions_not_accepted"] >= 1
    assert totals["petitions_outstanding"] >= 1  # the denunciation extended to verify
    assert totals["petitions_resolved"] > totals["petitions_resolved_on_time"]
    # The annex lines of what no commune counts: the former districts', the split commune's.
    parts = {line.indicator.code: line.own_parts for line in summary(period)["lines"]}
    assert parts["training_attendances"]["district"] > 0
    assert parts["training_attendances"]["commune"] == 52  # Hà Khẩu, not attributed yet
    # The committee carried onto today's province signs the summary of 26/12/2025.
    from reports.documents import summary_content

    assert summary_content(period)["signer"] == "Đặng Xuân Phương"
    carried = SteeringCommittee.objects.get(area=_today("22"))
    assert carried.carried_from.area == Area.objects.get(structure="legacy", code="22")


def test_the_2026_period_is_open_and_cao_xanh_files_from_its_records(quang_ninh, login):
    call_command("seed_demo", stdout=None)
    period = ReportingPeriod.objects.get(province=_today("22"), year=2026)
    assert (period.opens_on, period.due_on, period.closed_on) == (
        datetime.date(2026, 11, 15),
        datetime.date(2026, 12, 15),
        None,
    )
    statuses = sorted(period.reports.values_list("status", flat=True))
    assert statuses.count("submitted") >= 2 and "accepted" in statuses
    returned = period.reports.get(status="returned")
    assert returned.return_reason
    cao_xanh = _today("06658")
    assert not period.reports.filter(area=cao_xanh).exists()

    client = login(User.objects.get(username="xa.caoxanh"))
    response = client.post(f"/reports/periods/{period.pk}/areas/{cao_xanh.pk}/open/")
    report = period.reports.get(area=cao_xanh)
    assert response.status_code == 302 and response.url == f"/reports/{report.pk}/edit/"
    values = {v.indicator.code: v.value for v in report.values.select_related("indicator")}
    # The report counts its period's window, 15/12/2025 to 14/12/2026, not the calendar year.
    window = (datetime.date(2025, 12, 15), datetime.date(2026, 12, 14))
    assert (period.window_start, period.window_end) == window
    assert values["training_classes"] == 3
    assert (
        values["training_attendances"]
        == Training.objects.filter(area=cao_xanh, held_on__range=window).totals()["attendances"]
    )
    figures = computed_figures(cao_xanh, Window(*window))
    assert all(values[code] == figures[code] for code in figures if code in values)
    received = Petition.objects.filter(area=cao_xanh, received_on__range=window).count()
    assert values["petitions_received"] == received
    # The denunciation accepted in 2025 is carried over and resolved late in 2026.
    assert values["petitions_carried_over"] == 1
    assert values["petitions_resolved"] > values["petitions_resolved_on_time"]
    assert (
        values["inspections"] + values["supervisions"]
        == Inspection.objects.filter(area=cao_xanh, held_on__range=window).count()
    )


def test_new_phu_thos_last_year_sums_the_three_provinces_that_became_it(quang_ninh):
    call_command("seed_demo", stdout=None)
    period = ReportingPeriod.objects.get(province=_today("25"), year=2025)
    data = summary(period)
    assert sorted(p.province.name for p in data["previous_periods"]) == [
        "Tỉnh Hòa Bình",
        "Tỉnh Phú Thọ",
        "Tỉnh Vĩnh Phúc",
    ]
    previous = {line.indicator.code: line.previous for line in data["lines"]}
    legacy = [_totals(p) for p in data["previous_periods"]]
    for code in ("training_classes", "training_attendances", "inspection_members", "units"):
        assert previous[code] == sum(t[code] for t in legacy), code
    assert (previous["training_classes"], previous["training_attendances"]) == (13, 1445)
    # 28 of 32 units with a regulation: recomputed, not the mean of 100, 88.9 and 70.0.
    assert previous["units_regulation_share"] == Decimal("87.5")
    staff = User.objects.get(username="tinh.phutho")
    assert staff.assignments.count() == 4


def test_each_printed_login_holds_the_scope_make_run_prints(quang_ninh):
    call_command("seed_demo", stdout=None)
    for spec in DEMO_USERS:
        user = User.objects.get(username=spec.username)
        assert user.is_active and user.check_password(DEMO_PASSWORD), spec.username
        assert user.is_superuser == (spec.role is None), spec.username
        held = set(user.assignments.values_list("role", "area__structure", "area__code"))
        assert held == {(spec.role, *area) for area in spec.areas}, spec.username


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_logins_of_todays_map_reach_their_2026_reports(quang_ninh, login):
    call_command("seed_demo", stdout=None)
    period = ReportingPeriod.objects.get(province=_today("22"), year=2026)
    reports = {r.area.code: r for r in period.reports.select_related("area")}
    pill = 'aria-current="page" href="?year=2026"'

    # Commune officials (printed or not): 2026 is the year shown, their commune the only
    # row, the way in open to them; the report of another commune is out of their reach.
    for username, code, way_in in (
        ("xa.caoxanh", "06658", 'data-testid="file-06658"'),  # to file
        ("xa.baichay", "06673", reports["06673"].get_absolute_url()),  # submitted
        ("xa.hatu", "06652", 'data-testid="file-06652"'),  # returned: to correct
    ):
        client = login(User.objects.get(username=username))
        assert pill in _html(client.get("/reports/")), username
        page = _html(client.get(period.get_absolute_url()))
        assert way_in in page and page.count('data-testid="file-') <= 1, username
        assert "reorganised" not in page
        if code in reports:
            report = _html(client.get(reports[code].get_absolute_url()))
            assert 'data-testid="report-status"' in report
        assert client.get(reports["06685"].get_absolute_url()).status_code == 404  # Hồng Gai
    assert RETURN_REASON in _html(
        login(User.objects.get(username="xa.hatu")).get(reports["06652"].get_absolute_url())
    )

    # Both reviewers see the 54 communes and the summary, and may accept what a commune
    # submitted; the viewer reads without a way to file or decide.
    submitted = reports["06673"].get_absolute_url()
    for username in ("tinh.quangninh", "duyet.quangninh"):
        client = login(User.objects.get(username=username))
        assert pill in _html(client.get("/reports/"))
        page = _html(client.get(period.get_absolute_url()))
        assert page.count("<tr>") >= 54 and 'data-testid="summary-link"' in page
        assert 'data-testid="annex"' in _html(client.get(f"{period.get_absolute_url()}summary/"))
        assert 'data-testid="step-accepted"' in _html(client.get(submitted)), username
    viewer = login(User.objects.get(username="xem.quangninh"))
    page = _html(viewer.get(period.get_absolute_url()))
    assert 'data-testid="file-' not in page
    assert 'data-testid="step-' not in _html(viewer.get(submitted))

    # Today's Phú Thọ reads its 2025 with last year summed over the three provinces.
    phu_tho = ReportingPeriod.objects.get(province=_today("25"), year=2025)
    client = login(User.objects.get(username="tinh.phutho"))
    page = _html(client.get(f"{phu_tho.get_absolute_url()}summary/"))
    assert 'data-testid="previous-provinces"' in page
    assert all(name in page for name in ("Tỉnh Phú Thọ", "Tỉnh Vĩnh Phúc", "Tỉnh Hòa Bình"))


def test_the_logins_of_abolished_units_keep_2024_and_are_told_where_their_unit_went(
    quang_ninh, login
):
    call_command("seed_demo", stdout=None)
    present = ReportingPeriod.objects.get(province=_today("22"), year=2026)
    past = ReportingPeriod.objects.get(province__structure="legacy", province__code="22")
    for username, heir in (("huyen.halong", "Phường Cao Xanh"), ("xa.hakhanh", "Phường Cao Xanh")):
        client = login(User.objects.get(username=username))
        home = _html(client.get("/"))
        assert 'data-testid="reorganised"' in home and heir in home, username
        response = client.get(present.get_absolute_url())
        assert response.status_code == 404
        assert 'data-testid="reorganised"' in response.content.decode()
        assert 'data-testid="missing-year"' in _html(client.get("/reports/?year=2026"))
        assert 'data-testid="completeness"' in _html(client.get(past.get_absolute_url()))


def test_nothing_of_the_present_is_kept_on_an_abolished_unit(quang_ninh):
    """``check_area_dates`` asked of the demo: no record dated outside its unit's validity,
    and only the two legacy logins printed as such left on abolished units (they show
    the reorganised banner); the periods, reports, committees and seats of the present on
    today's map."""
    call_command("seed_demo", stdout=None)
    out = io.StringIO()
    assert records_outside_area_validity() == []
    left = {(a.user.username, a.area.code) for a in assignments_left_behind()}
    printed = {(s.username, code) for s in DEMO_USERS for map_, code in s.areas if map_ == "legacy"}
    assert left == {("huyen.halong", "193"), ("xa.hakhanh", "06649")}
    assert left < printed  # the others on legacy units hold their heirs too
    call_command("check_area_dates", stdout=out)
    assert "Không có bản ghi nào có ngày nằm ngoài" in out.getvalue()
    # The check read the present, not an empty demo.
    present = {
        model.__name__
        for model in dated_models()
        for name in model.area_dates
        if model.objects.filter(**{f"{name}__gte": REFORM}).exists()
    }
    kinds = {"Training", "Document", "Inspection", "Petition", "CommitteeDecision", "AnnualPlan"}
    assert kinds <= present, present
    assert not ReportingPeriod.objects.filter(year__gte=2025, province__valid_to__isnull=False)
    assert not AnnualReport.objects.filter(period__year__gte=2025, area__valid_to__isnull=False)
    assert not AnnualReport.objects.filter(period__year__lt=2025, area__valid_from__isnull=False)
    # Hạ Long's committee waits for its carry-over (the README shows the page for it);
    # the province's was carried: the former composition ended on 30/06/2025.
    waiting = SteeringCommittee.objects.filter(area__valid_to__isnull=False, is_active=True)
    assert [c.area.code for c in waiting] == ["193"]
    in_office = Membership.objects.filter(
        Q(term_end__isnull=True) | Q(term_end__gt=F("committee__area__valid_to")),
        committee__area__valid_to__isnull=False,
    ).exclude(committee__in=waiting)
    assert Membership.objects.filter(committee__area__code="22", term_end=REFORM - ONE_DAY)
    assert not in_office.exists(), list(in_office[:3])


def test_the_petition_counts_of_the_demo_agree_with_its_petitions(quang_ninh):
    """The dashboard's counts, kept by every write of the seed (its back-dated steps
    included), equal a recount for each printed login's scope, in each year of the demo."""
    call_command("seed_demo", stdout=None)
    day = datetime.date.today()
    for spec in DEMO_USERS:
        user = User.objects.get(username=spec.username)
        mine = Petition.objects.visible_to(user)
        for year in (2024, 2025, 2026):
            assert petition_counts.figures(
                petition_counts.roots_of(user), year, day
            ) == petition_counts.recount(mine, year, day), (spec.username, year)


def test_2024_is_the_seeds_and_the_last_year_of_quang_ninhs_2025(quang_ninh):
    call_command("seed_demo", stdout=None)
    legacy = Area.objects.get(structure="legacy", code="22")
    # Nothing of the present is dated 2024, and 2024's records stay on the legacy map.
    for model in (Training, Document, Inspection, Petition):
        day = next(iter(model.area_dates))
        of_2024 = model.objects.filter(**{f"{day}__year": 2024})
        assert not of_2024.filter(area__structure="2025").exists(), model.__name__
    periods = ReportingPeriod.objects.filter(year=2024)
    assert {p.province.structure for p in periods} == {"legacy"}
    assert periods.get(province=legacy).reports.count() == 13
    # Today's Quảng Ninh's 2025 has the seeds' 2024 as its last year.
    period = ReportingPeriod.objects.get(province=_today("22"), year=2025)
    previous = {line.indicator.code: line.previous for line in summary(period)["lines"]}
    past = _totals(ReportingPeriod.objects.get(province=legacy, year=2024))
    assert (previous["training_classes"], previous["training_attendances"]) == (72, 8532)
    assert (previous["inspection_organisations"], previous["inspection_members"]) == (1688, 7113)
    assert all(previous[code] == past[code] for code in past if code in previous)
