"""A figure opens the records behind it: every computed figure of a report, of the
summary and of its annex links to its record kind's list filtered by the area whose
figure it is (``counting_for``, its legacy predecessors included on today's map), the
window and the indicator's condition — and the list holds exactly the counted records."""

import datetime
import html
import re
from decimal import Decimal

import pytest

from committees.models import Commendation, Document, TypicalModel
from inspections.models import Dialogue, Inspection, Petition, ReceptionSession
from reports.catalogue import MEASURES
from reports.models import AnnualReport, ReportingPeriod, ReportStatus
from reports.services import report_start, report_transition
from tests.conftest import COMMUNE_A, COMMUNE_A_TODAY, DISTRICT_A, DISTRICT_B, PROVINCE
from tests.factories import (
    DemocracyActivityFactory,
    MemberUnitFactory,
    TrainingFactory,
    UnitEventFactory,
    UserFactory,
    VillageConventionFactory,
    area,
    written,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 6, 3)


def _petition(place, received_on=DAY, **extra):
    values = {
        "kind": "complaint",
        "channel": "post",
        "field": "land",
        "petitioner_name": "Trần Thị Đơn",
        "subject": "Khiếu nại về đất",
        "handling_body": "UBND thành phố",
        **extra,
    }
    return Petition.objects.create(area=place, received_on=received_on, **values)


def _records(place, day=DAY):
    """One or more records of every kind a computed indicator counts, kept on ``place``."""
    TrainingFactory(area=place, held_on=day, attendances=40)
    TrainingFactory(area=place, held_on=day, kind="conference", attendances=300)
    MemberUnitFactory(area=place)
    MemberUnitFactory(area=place, regulation_issued=False, regulation_date=None)
    held = MemberUnitFactory(area=place)
    UnitEventFactory(unit=held, held_on=day)
    UnitEventFactory(unit=held, kind="dialogue", held_on=day)
    Document.objects.create(
        area=place, kind="plan", number=f"{place.code}-{day.year}-KH/BCĐ", issued_on=day,
        issuer="Ban Chỉ đạo", summary="Kế hoạch thực hiện",
    )  # fmt: skip
    for kind, organisations in (("inspection", 3), ("supervision", 5)):
        Inspection.objects.create(
            area=place, kind=kind, form="regular", held_on=day, conducted_by="Ban Thường vụ",
            subject="Thực hiện dân chủ", party_organisations=organisations, party_members=20,
        )  # fmt: skip
    ReceptionSession.objects.create(
        area=place, held_on=day, kind="regular", leader="Chủ tịch UBND", citizens=7
    )
    Dialogue.objects.create(
        area=place, held_on=day, kind="citizens", leader="Bí thư", participants=50,
        issues_raised=4, issues_resolved=2,
    )  # fmt: skip
    _petition(place, received_on=day)
    _petition(place, received_on=day, kind="denunciation")
    _petition(place, received_on=day, kind="petition", status="resolved")
    _dated_petitions(place, day)
    TypicalModel.objects.create(
        area=place, name=f"Dân vận khéo {day.year}", field="economy", recognised_on=day
    )
    for kind in ("disclosure", "decision", "consultation", "supervision"):
        for counted, participants in (("households", 120), ("people", 35)):
            DemocracyActivityFactory(
                area=place, kind=kind, held_on=day, participants=participants, counted_as=counted
            )
    VillageConventionFactory(area=place, recognised_on=day)
    Commendation.objects.create(
        area=place, recipient="Phường Hà Khánh", recipient_kind="collective",
        award="certificate", decision_number=f"{place.code}-{day.year}-QĐ/TU", awarded_on=day,
        awarded_by="Chủ tịch UBND tỉnh",
    )  # fmt: skip


def _dated_petitions(place, day):
    """Petitions whose dated steps give every petition statistic of ``day``'s year: one
    accepted the year before and still open (carried over, outstanding, overdue), one of
    each kind resolved on time, a second-round complaint forwarded, one not accepted."""
    year_before = day - datetime.timedelta(days=365)
    _petition(
        place, year_before, status="being_resolved", accepted_on=year_before
    )  # carried over and outstanding, long overdue
    for kind in ("complaint", "denunciation", "petition"):
        _petition(
            place, day, kind=kind, status="resolved", accepted_on=day, resolved_on=day,
            settled_on=day,
        )  # fmt: skip
    _petition(place, day, round="second", status="forwarded", settled_on=day)
    _petition(place, day, status="not_accepted", settled_on=day)


def _links(page: str) -> dict[str, str]:
    found = re.findall(r'<a href="([^"]+)"[^>]*data-records="([a-z_]+)"', page)
    return {code: html.unescape(url) for url, code in found}


def _listed(client, url: str) -> Decimal:
    """The figure the list recomputes over the records it holds."""
    page = client.get(url)
    assert page.status_code == 200, url
    found = re.search(r'data-testid="counted-total">([^<]+)<', page.text)
    assert found, page.text[:3000]
    return Decimal(found.group(1).replace(".", "").replace(",", "."))


@pytest.fixture
def period(quang_ninh):
    return ReportingPeriod.objects.create(
        province=area(PROVINCE),
        year=2024,
        opens_on=datetime.date(2024, 11, 15),
        due_on=datetime.date(2099, 12, 15),
    )


def test_every_computed_figure_of_a_report_opens_exactly_its_records(login, secretariat_a, period):
    _records(area(COMMUNE_A))
    _records(area(DISTRICT_A), datetime.date(2024, 11, 20))
    _records(area(DISTRICT_B))  # another district: not Hạ Long's
    _records(area(COMMUNE_A), datetime.date(2023, 6, 3))  # another year
    report = written(report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a))
    client = login(secretariat_a)
    links = _links(client.get(f"/reports/{report.pk}/").text)
    with_lists = {m.code for m in MEASURES if m.code != "committees_consolidated"}
    assert set(links) == with_lists  # decisions have no list of their own
    for code, url in links.items():
        figure = report.values.get(indicator__code=code).computed
        assert figure, code  # every figure has records to find
        assert _listed(client, url) == figure, (code, url)
    attendances = links["training_attendances"]
    # The period's window (15/12/2023 to 14/12/2024), not the calendar year.
    assert "counting_for=" in attendances and "start=2023-12-15" in attendances
    assert "end=2024-12-14" in attendances
    # The list is the record kind's own: its rows are the counted trainings.
    page = client.get(links["training_classes"])
    assert page.context["page"].paginator.count == 2


def test_the_link_of_a_commune_of_todays_map_holds_its_predecessors_records(
    login, quang_ninh, commune_official_today
):
    period = ReportingPeriod.objects.create(
        province=area(PROVINCE, "2025"),
        year=2025,
        opens_on=datetime.date(2025, 11, 15),
        due_on=datetime.date(2099, 12, 15),
    )
    # Hà Khánh's training before the reorganisation, Cao Xanh's after it.
    TrainingFactory(area=area(COMMUNE_A), held_on=datetime.date(2025, 3, 1), attendances=30)
    cao_xanh = area(COMMUNE_A_TODAY, "2025")
    TrainingFactory(area=cao_xanh, held_on=datetime.date(2025, 9, 1), attendances=12)
    report = written(report_start(period=period, area=cao_xanh, actor=commune_official_today))
    client = login(commune_official_today)
    links = _links(client.get(f"/reports/{report.pk}/").text)
    assert _listed(client, links["training_attendances"]) == 42
    assert _listed(client, links["training_classes"]) == 2
    assert report.values.get(indicator__code="training_attendances").computed == 42


def test_the_summary_and_its_annex_open_their_records_on_todays_map(login, quang_ninh):
    """The 2025 summary of Quảng Ninh: 54 communes' accepted reports and the province's
    own records (the former district's, until 30/06/2025, a line of their own)."""
    province = area(PROVINCE, "2025")
    period = ReportingPeriod.objects.create(
        province=province,
        year=2025,
        opens_on=datetime.date(2025, 11, 15),
        due_on=datetime.date(2099, 12, 15),
    )
    TrainingFactory(area=area(COMMUNE_A), held_on=datetime.date(2025, 3, 1), attendances=30)
    TrainingFactory(area=area(DISTRICT_A), held_on=datetime.date(2025, 4, 1), attendances=200)
    TrainingFactory(area=province, held_on=datetime.date(2025, 9, 1), attendances=1000)
    cao_xanh = area(COMMUNE_A_TODAY, "2025")
    TrainingFactory(area=cao_xanh, held_on=datetime.date(2025, 10, 1), attendances=5)
    chief, deputy = UserFactory(username="chief"), UserFactory(username="deputy")
    chief.is_superuser = deputy.is_superuser = True
    chief.save()
    deputy.save()
    for commune in period.filing_areas():
        report = written(report_start(period=period, area=commune, actor=chief))
        report_transition(report=report, to=ReportStatus.SUBMITTED, actor=chief, notify=False)
        report_transition(report=report, to=ReportStatus.ACCEPTED, actor=deputy, notify=False)
    client = login(deputy)
    page = client.get(f"/reports/periods/{period.pk}/summary/").text
    total = _links(page)["training_attendances"]
    assert _listed(client, total) == 1235
    assert 'data-testid="total-training_attendances"><a href=' in page
    annex = re.findall(
        r'<a href="([^"]+)" data-testid="records-training_attendances-(\d+)">([^<]+)<', page
    )
    assert len(annex) == AnnualReport.objects.filter(period=period).count() == 54
    for url, code, shown in annex:
        listed = _listed(client, html.unescape(url))
        assert listed == Decimal(shown.replace(".", "")), code
        assert listed == (35 if code == COMMUNE_A_TODAY else 0), code
    own = re.findall(r'<a href="([^"]*own_to=[^"]+)">([^<]+)<', page)
    district_own = [html.unescape(u) for u, _v in own if "area_level=district" in u]
    assert any(_listed(client, u) == 200 for u in district_own)


def test_a_figure_of_another_record_kind_is_refused_with_a_message(login, secretariat_a):
    client = login(secretariat_a)
    page = client.get(
        "/trainings/",
        {"counted": "petitions_received", "start": "2024-01-01", "end": "2024-12-31"},
    )
    assert "Không có chỉ tiêu “petitions_received” cho loại hồ sơ này." in page.text
    no_window = client.get("/trainings/", {"counted": "training_classes"})
    assert "Hãy chọn khoảng thời gian (từ ngày, đến ngày)." in no_window.text
    api = client.get("/api/v1/trainings/", {"counted": "training_classes", "start": "2024-02-02",
                                            "end": "2024-01-01"})  # fmt: skip
    assert api.status_code == 400 and "end" in api.json()


def test_the_api_holds_the_same_records(login, secretariat_a, period):
    _records(area(COMMUNE_A))
    _records(area(DISTRICT_B))
    client = login(secretariat_a)
    params = {
        "counting_for": area(DISTRICT_A).pk,
        "counted": "training_classes",
        "start": "2024-01-01",
        "end": "2024-12-31",
    }
    assert client.get("/api/v1/trainings/", params).json()["count"] == 1


def test_a_typed_percent_sign_in_a_figure_code_is_refused_not_a_server_error(login, secretariat_a):
    """Found by the API fuzz: the code was formatted into the message, whose "%" then
    broke django-filter's own formatting (500)."""
    client = login(secretariat_a)
    params = {"counted": "50%", "start": "2024-01-01", "end": "2024-12-31"}
    response = client.get("/api/v1/trainings/", params)
    assert response.status_code == 400
    assert "50%" in response.json()["counted"][0]
    page = client.get("/trainings/", params)
    assert page.status_code == 200 and "50%" in page.text


def test_a_period_year_is_a_whole_number(login, provincial_staff):
    client = login(provincial_staff)
    assert client.get("/api/v1/reporting-periods/", {"year": "6.2"}).status_code == 400
    assert client.get("/api/v1/reporting-periods/", {"year": "2024"}).status_code == 200
