"""Two maps, one present (DESIGN.md): records kept on the unit in force on their date,
figures that follow the successor links across 1 July 2025, periods on the map of their
year, and the new communes filing to the province with data entry and approval apart."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from committees.models import Area, Role, Structure, Training
from committees.services.areas import areas_load
from inspections.models import Inspection
from reports.catalogue import computed_figures
from reports.models import ReportingPeriod, ReportStatus
from reports.selectors import completeness_trend, province_trend, summary
from reports.services import report_start, report_transition
from tests.factories import (
    MemberUnitFactory,
    ReportingPeriodFactory,
    RoleAssignmentFactory,
    TrainingFactory,
    UserFactory,
    written,
)

pytestmark = pytest.mark.django_db

HA_KHANH = "06649"  # Phường Hà Khánh (Hạ Long), merged into Phường Cao Xanh
CAO_XANH = "06658"  # Phường Cao Xanh, of both maps
HA_LONG = "193"  # Thành phố Hạ Long, abolished with the districts
HA_KHAU = "06655"  # Phường Hà Khẩu, split between Tuần Châu and Việt Hưng


def legacy(code: str) -> Area:
    return Area.objects.get(structure=Structure.LEGACY, code=code)


def today_map(code: str) -> Area:
    return Area.objects.get(structure=Structure.Y2025, code=code)


def heir(name: str) -> Area:
    return Area.objects.get(structure=Structure.Y2025, name=name)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.fixture
def new_province(quang_ninh):
    return today_map("22")


@pytest.fixture
def cao_xanh(quang_ninh):
    return today_map(CAO_XANH)


def _reviewer(username: str, province: Area):
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, role=Role.PROVINCIAL_STAFF, area=province)
    return user


@pytest.fixture
def reviewer(new_province):
    return _reviewer("tinh1", new_province)


@pytest.fixture
def second_reviewer(new_province):
    return _reviewer("tinh2", new_province)


def _training_form(area: Area, held_on: str) -> dict:
    return {
        "area": area.pk,
        "kind": "class",
        "title": "Quán triệt Luật Thực hiện dân chủ ở cơ sở",
        "held_on": held_on,
        "attendances": "45",
        "papers": "0",
    }


# Time and place.


def test_a_training_of_2026_on_an_abolished_district_is_refused_naming_its_heirs(
    login, reviewer, new_province, quang_ninh
):
    RoleAssignmentFactory(user=reviewer, role=Role.PROVINCIAL_STAFF, area=quang_ninh)
    client = login(reviewer)
    response = client.post("/trainings/new/", _training_form(legacy(HA_LONG), "2026-03-10"))
    assert response.status_code == 200
    message = response.context["form"].errors["area"][0]
    assert message.startswith("Thành phố Hạ Long không còn từ 01/07/2025; hãy chọn phường, xã")
    assert "Phường Cao Xanh" in message
    assert "Việc chung của cấp huyện cũ ghi cho Tỉnh Quảng Ninh" in message
    assert not Training.objects.exists()

    api = client.post("/api/v1/trainings/", _training_form(legacy(HA_LONG), "2026-03-10"))
    assert api.status_code == 400
    assert api.json()["area"] == [message]
    assert not Training.objects.exists()


def test_the_same_training_on_the_heir_of_today_is_saved(login, commune_official_today, cao_xanh):
    client = login(commune_official_today)
    response = client.post("/trainings/new/", _training_form(cao_xanh, "2026-03-10"))
    assert response.status_code == 302
    api = client.post("/api/v1/trainings/", _training_form(cao_xanh, "2026-04-10"))
    assert api.status_code == 201, api.json()
    assert Training.objects.filter(area=cao_xanh).count() == 2


def test_a_unit_of_today_cannot_hold_a_record_from_before_it_existed(login, commune_official_today):
    client = login(commune_official_today)
    response = client.post("/trainings/new/", _training_form(today_map(CAO_XANH), "2025-03-10"))
    message = response.context["form"].errors["area"][0]
    assert message.startswith("Phường Cao Xanh chỉ có từ 01/07/2025")
    assert "Phường Hà Khánh" in message


def test_the_area_choices_follow_the_date_and_carry_their_map(login, reviewer, quang_ninh):
    RoleAssignmentFactory(user=reviewer, role=Role.PROVINCIAL_STAFF, area=quang_ninh)
    client = login(reviewer)
    today = client.get("/trainings/new/").content.decode()
    assert "Tỉnh Quảng Ninh (từ 01/07/2025)" in today
    assert "Thành phố Hạ Long" not in today
    earlier = client.get("/trainings/new/?held_on=2024-05-01").content.decode()
    assert "Tỉnh Quảng Ninh (đến 30/06/2025)" in earlier
    assert "Thành phố Hạ Long (đến 30/06/2025)" in earlier


# Figures across the reform.


def test_a_commune_of_today_counts_its_predecessors_records_of_the_year(
    commune_official_today, cao_xanh
):
    TrainingFactory(area=legacy(HA_KHANH), attendances=30, held_on=day("2025-03-12"))
    TrainingFactory(area=legacy(CAO_XANH), attendances=20, held_on=day("2025-05-02"))
    TrainingFactory(area=cao_xanh, attendances=50, held_on=day("2025-10-20"))
    TrainingFactory(area=legacy(HA_KHANH), attendances=999, held_on=day("2024-12-01"))
    TrainingFactory(area=today_map("06652"), attendances=999, held_on=day("2025-10-20"))
    period = ReportingPeriodFactory(province=today_map("22"), year=2025)
    report = written(report_start(period=period, area=cao_xanh, actor=commune_official_today))
    assert report.values.get(indicator__code="training_attendances").value == 100
    assert report.values.get(indicator__code="training_classes").value == 3


def test_a_split_communes_records_count_only_where_attributed(quang_ninh):
    split = legacy(HA_KHAU)
    assert split.attributed_to is None
    assert {a.name for a in split.successors.all()} == {"Phường Tuần Châu", "Phường Việt Hưng"}
    tuan_chau, viet_hung = heir("Phường Tuần Châu"), heir("Phường Việt Hưng")
    one = TrainingFactory(area=split, attendances=10, held_on=day("2025-02-01"))
    TrainingFactory(area=split, attendances=7, held_on=day("2025-04-01"))

    def attendances(area):
        return computed_figures(area, 2025)["training_attendances"]

    province = today_map("22")
    assert attendances(tuan_chau) == attendances(viet_hung) == 0
    assert computed_figures(province, 2025, own_only=True)["training_attendances"] == 17

    one.attributed_to = viet_hung  # record by record
    one.save()
    assert (attendances(tuan_chau), attendances(viet_hung)) == (0, 10)
    split.attributed_to = tuan_chau  # the rest, all to one
    split.save()
    assert (attendances(tuan_chau), attendances(viet_hung)) == (7, 10)
    assert computed_figures(province, 2025, own_only=True)["training_attendances"] == 0


def _sql_sum(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def test_the_2025_summary_of_today_holds_both_half_years(
    commune_official_today, reviewer, second_reviewer, new_province
):
    district = legacy(HA_LONG)
    rows = [
        (legacy("22"), 11, "2025-01-20"),  # the legacy province's own
        (district, 13, "2025-03-03"),  # a former district's own
        (legacy(HA_KHANH), 17, "2025-06-30"),
        (legacy(HA_KHAU), 19, "2025-05-05"),  # split, not attributed
        (today_map(CAO_XANH), 23, "2025-07-01"),
        (new_province, 29, "2025-12-14"),  # the window's last day
        (legacy(HA_KHANH), 1000, "2024-12-14"),  # other windows: 2024's
        (today_map(CAO_XANH), 1000, "2025-12-15"),  # and 2026's
    ]
    for area, attendances, held_on in rows:
        TrainingFactory(area=area, attendances=attendances, held_on=day(held_on))
    Inspection.objects.create(
        area=district,
        kind="inspection",
        form="regular",
        held_on=day("2025-02-10"),
        conducted_by="Ban Thường vụ Thành ủy Hạ Long",
        subject="Thực hiện dân chủ ở cơ sở",
        party_organisations=12,
        party_members=40,
    )
    period = ReportingPeriodFactory(province=new_province, year=2025)
    for commune in period.filing_areas():
        report = written(report_start(period=period, area=commune, actor=reviewer))
        report_transition(report=report, to=ReportStatus.SUBMITTED, actor=reviewer, notify=False)
        report_transition(
            report=report, to=ReportStatus.ACCEPTED, actor=second_reviewer, notify=False
        )

    data = summary(period)
    lines = {line.indicator.code: line for line in data["lines"]}
    expected = _sql_sum(
        "SELECT COALESCE(SUM(t.attendances), 0) FROM committees_training t "
        "JOIN committees_area a ON a.id = t.area_id "
        "WHERE t.held_on BETWEEN %s AND %s AND (a.path LIKE %s OR a.path LIKE %s)",
        [day("2024-12-15"), day("2025-12-14"), "legacy/22/%", "2025/22/%"],
    )
    assert expected == 11 + 13 + 17 + 19 + 23 + 29
    assert lines["training_attendances"].total == expected
    assert lines["inspection_organisations"].total == 12
    parts = lines["training_attendances"].own_parts
    assert parts == {"province": 11 + 29, "district": 13, "commune": 19}
    assert lines["inspection_organisations"].own_parts["district"] == 12
    assert lines["training_attendances"].by_area[today_map(CAO_XANH).pk] == 17 + 23
    assert [label for _level, label in data["own_parts"]] == [
        "Cấp tỉnh",
        "Cấp huyện (đến 30/06/2025)",
        "Xã chia tách, chưa phân bổ",
    ]


# Last year of a merged province.


@pytest.fixture
def phu_tho(db):
    """New Phú Thọ and the three legacy provinces that became it."""
    quiet = {"progress": lambda _message: None}
    areas_load(structures=Structure.values, province="25", **quiet)  # Phú Thọ
    for code in ("26", "17"):  # Vĩnh Phúc, Hòa Bình
        areas_load(structures=[Structure.LEGACY], province=code, **quiet)
    return today_map("25")


def test_a_merged_provinces_last_year_is_the_sum_of_its_predecessors(phu_tho):
    filer, reviewer = UserFactory(username="filer"), UserFactory(username="reviewer")
    regulation = {"26": (3, 4), "25": (1, 1), "17": (0, 5)}  # units with a regulation / all
    for code in regulation:
        RoleAssignmentFactory(user=reviewer, role=Role.PROVINCIAL_STAFF, area=legacy(code))
        RoleAssignmentFactory(user=filer, role=Role.PROVINCIAL_STAFF, area=legacy(code))
    for code, (issued, units) in regulation.items():
        province = legacy(code)
        period = ReportingPeriodFactory(province=province, year=2024)
        district = period.filing_areas().order_by("code").first()
        for n in range(units):
            MemberUnitFactory(
                area=district,
                name=f"Đơn vị {n}",
                regulation_issued=n < issued,
                regulation_date=day("2023-06-01") if n < issued else None,
            )
        TrainingFactory(area=district, attendances=100, held_on=day("2024-06-01"))
        report = written(report_start(period=period, area=district, actor=filer))
        report_transition(report=report, to=ReportStatus.SUBMITTED, actor=filer, notify=False)
        report_transition(report=report, to=ReportStatus.ACCEPTED, actor=reviewer, notify=False)
    period = ReportingPeriodFactory(province=phu_tho, year=2025)
    data = summary(period)
    lines = {line.indicator.code: line for line in data["lines"]}
    assert lines["training_attendances"].previous == 300
    assert lines["units"].previous == 10
    assert lines["units_regulation_share"].previous == Decimal("40.0")  # 4 of 10, not 58.3
    assert {p.province.name for p in data["previous_periods"]} == {
        "Tỉnh Phú Thọ",
        "Tỉnh Vĩnh Phúc",
        "Tỉnh Hòa Bình",
    }
    trend = completeness_trend(phu_tho)
    assert [(t["year"], t["actual"]) for t in trend] == [(2024, 3), (2025, 0)]
    assert len(trend[0]["provinces"]) == 3
    # The province's trend: 2024 as the three provinces' summaries summed.
    before = province_trend(phu_tho, 2025)["rows"][0]
    assert before["year"] == 2024 and before["figures"]["training_attendances"] == 300
    assert before["figures"]["units_regulation_share"] == Decimal("40.0")


# Periods on the map of their year.


def test_a_period_must_be_on_the_map_of_its_year(login, reviewer, quang_ninh, new_province):
    RoleAssignmentFactory(user=reviewer, role=Role.PROVINCIAL_STAFF, area=quang_ninh)
    client = login(reviewer)
    url, dates = "/reports/periods/new/", {"opens_on": "2026-11-15", "due_on": "2026-12-15"}
    response = client.post(url, {"province": quang_ninh.pk, "year": 2026, **dates})
    message = response.context["form"].errors["province"][0]
    assert "Tỉnh Quảng Ninh (từ 01/07/2025)" in message
    dates = {"opens_on": "2024-11-15", "due_on": "2024-12-15"}
    response = client.post(url, {"province": new_province.pk, "year": 2024, **dates})
    assert "Tỉnh Quảng Ninh (đến 30/06/2025)" in response.context["form"].errors["province"][0]
    api = "/api/v1/reporting-periods/"
    api = client.post(api, {"province": quang_ninh.pk, "year": 2026, **dates})
    assert api.status_code == 400 and "province" in api.json()
    assert not ReportingPeriod.objects.exists()


# Who files and who reviews.


def test_a_commune_files_the_province_returns_and_another_reviewer_accepts(
    login, commune_official_today, reviewer, second_reviewer, new_province, cao_xanh
):
    period = ReportingPeriodFactory(province=new_province, year=2026)
    official = login(commune_official_today)
    assert official.get(f"/reports/periods/{period.pk}/").status_code == 200
    response = official.post(f"/reports/periods/{period.pk}/areas/{cao_xanh.pk}/open/")
    report = written(period.reports.get(area=cao_xanh))
    assert response.url == f"/reports/{report.pk}/edit/"
    official.post(f"/reports/{report.pk}/step/", {"to": "submitted"})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and not report.on_behalf

    first = login(reviewer)
    first.post(f"/reports/{report.pk}/step/", {"to": "returned", "note": "Bổ sung số liệu"})
    official.post(f"/reports/{report.pk}/step/", {"to": "submitted"})
    first.post(f"/reports/{report.pk}/step/", {"to": "accepted"})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED  # the commune filed; a reviewer accepts


def test_whoever_files_a_report_cannot_accept_it_while_another_reviewer_exists(
    login, reviewer, second_reviewer, new_province, cao_xanh
):
    period = ReportingPeriodFactory(province=new_province, year=2026)
    client = login(reviewer)
    client.post(f"/reports/periods/{period.pk}/areas/{cao_xanh.pk}/open/")
    report = written(period.reports.get(area=cao_xanh))
    client.post(f"/reports/{report.pk}/step/", {"to": "submitted"})
    report.refresh_from_db()
    assert report.on_behalf and report.submitted_by == reviewer
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "Lập thay bởi" in page
    assert 'data-testid="step-accepted"' not in page
    response = client.post(f"/reports/{report.pk}/step/", {"to": "accepted"}, follow=True)
    assert "không tự tiếp nhận" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    login(second_reviewer).post(f"/reports/{report.pk}/step/", {"to": "accepted"})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


# The user whose area was abolished.


def test_a_user_of_an_abolished_district_is_told_where_it_went(login, secretariat_a, quang_ninh):
    client = login(secretariat_a)
    page = client.get("/").content.decode()
    assert 'data-testid="reorganised"' in page
    assert "Thành phố Hạ Long" in page and "Phường Cao Xanh" in page
    # The district's own business has no commune to go to: it is the new province's.
    assert "Việc chung của cấp huyện cũ từ 01/07/2025 thuộc Tỉnh Quảng Ninh (từ 01/07/2025)" in page
    period = ReportingPeriodFactory(province=today_map("22"), year=2026)
    missing = client.get(f"/reports/periods/{period.pk}/")
    assert missing.status_code == 404
    assert 'data-testid="reorganised"' in missing.content.decode()


def test_a_commune_of_today_keeps_the_records_of_the_units_it_took_over(
    login, commune_official_today, cao_xanh
):
    earlier = TrainingFactory(area=legacy(HA_KHANH), attendances=30, held_on=day("2025-03-12"))
    elsewhere = TrainingFactory(area=legacy("06652"), attendances=30, held_on=day("2025-03-12"))
    client = login(commune_official_today)
    assert client.get(f"/trainings/{earlier.pk}/").status_code == 200
    assert client.get(f"/trainings/{elsewhere.pk}/").status_code == 404
    # A training of March 2025 goes on the unit of that day, which Cao Xanh took over.
    response = client.post("/trainings/new/", _training_form(legacy(HA_KHANH), "2025-03-20"))
    assert response.status_code == 302
    assert Training.objects.filter(area=legacy(HA_KHANH)).count() == 2


def test_a_year_outside_ones_scope_is_said_not_swapped(login, secretariat_a, quang_ninh):
    ReportingPeriodFactory(province=quang_ninh, year=2024)
    page = login(secretariat_a).get("/reports/?year=2026").content.decode()
    assert "Không có kỳ báo cáo năm 2026 trong phạm vi của bạn." in page
    assert "Đang hiển thị năm 2024." in page
    assert 'data-testid="reorganised"' in page
