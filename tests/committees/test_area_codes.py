"""Which unit a code means (``Area.objects.for_code``), answered the same on PostgreSQL
and on SQLite: the 2025 map reused the codes of the legacy one (Quảng Ninh is 22 on
both), and the two databases sort a legacy unit's open start (NULL) at opposite ends."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from openpyxl import Workbook

from committees.models import Area, Level, MemberUnit, Structure
from inspections.models import Petition
from reports.catalogue import computed_figures
from tests.conftest import DISTRICT_A, PROVINCE
from tests.factories import TrainingFactory, area

DATABASES = ["default", "sqlite"]
pytestmark = pytest.mark.django_db(databases=DATABASES)

LEGACY_END = datetime.date(2025, 6, 30)
NEW_START = datetime.date(2025, 7, 1)


@pytest.fixture(params=DATABASES)
def using(request) -> str:
    return request.param


def _unit(using: str, structure: str, code: str, name: str, **dates) -> Area:
    unit = Area(
        structure=structure,
        code=code,
        name=name,
        short_name=name,
        kind="Tỉnh",
        level=Level.PROVINCE,
        **dates,
    )
    unit.save(using=using)
    return unit


@pytest.fixture
def units(using, request) -> dict[str, Area]:
    """Quảng Ninh on both maps (one code), and a legacy province that has no successor of
    its code (Hà Tây, merged into Hà Nội in 2008, stands in for any abolished unit); on
    PostgreSQL without the real areas the test database starts with."""
    if using == "default":
        request.getfixturevalue("no_areas")
    return {
        "legacy": _unit(using, Structure.LEGACY, "22", "Tỉnh Quảng Ninh", valid_to=LEGACY_END),
        "today": _unit(using, Structure.Y2025, "22", "Tỉnh Quảng Ninh", valid_from=NEW_START),
        "former": _unit(using, Structure.LEGACY, "28", "Tỉnh Hà Tây", valid_to=LEGACY_END),
    }


def test_the_second_database_is_sqlite():
    assert connections["sqlite"].vendor == "sqlite"


def test_a_code_means_the_unit_in_force_today(using, units):
    assert Area.objects.using(using).for_code("22") == units["today"]


def test_on_a_day_a_code_means_the_unit_in_force_that_day(using, units):
    areas = Area.objects.using(using)
    assert areas.for_code("22", on=datetime.date(2024, 12, 31)) == units["legacy"]
    assert areas.for_code("22", on=LEGACY_END) == units["legacy"]
    assert areas.for_code("22", on=NEW_START) == units["today"]


def test_a_code_of_an_abolished_unit_means_it_when_nothing_else_holds_it(using, units):
    assert Area.objects.using(using).for_code("28") == units["former"]


def test_a_code_no_unit_holds_on_that_day_means_none(using, units):
    assert Area.objects.using(using).for_code("28", on=NEW_START) is None


def test_an_unknown_code_means_none(using, units):
    assert Area.objects.using(using).for_code("99") is None


def test_among_units_out_of_force_the_newest_wins(using, units):
    """Two units of one code, neither in force today: the one that started last."""
    _unit(using, Structure.Y2025, "28", "Tỉnh Thử Nghiệm", valid_from=NEW_START, valid_to=NEW_START)
    assert Area.objects.using(using).for_code("28").structure == Structure.Y2025


def test_every_code_of_a_list_in_one_query(using, units, django_assert_num_queries):
    with django_assert_num_queries(1, connection=connections[using]):
        found = Area.objects.using(using).by_code()
    assert found == {"22": units["today"], "28": units["former"]}


# --- every page that reads a code asks for_code ------------------------------------------


def _sheet(*rows) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(["Mã địa bàn", "Tên đơn vị", "Loại hình"])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("don-vi.xlsx", buffer.getvalue())


@pytest.fixture
def both_maps(quang_ninh, provincial_staff, login):
    """Quảng Ninh on both maps, and its staff (assigned to both) signed in."""
    return area(PROVINCE), area(PROVINCE, Structure.Y2025), login(provincial_staff)


def test_the_area_page_shows_the_unit_in_force_today_or_the_map_asked_for(both_maps):
    legacy, today, client = both_maps
    assert client.get(f"/areas/{PROVINCE}/").context["area"] == today
    assert client.get(f"/areas/{PROVINCE}/", {"structure": "legacy"}).context["area"] == legacy


def test_the_petitions_dashboard_counts_the_unit_in_force_today(both_maps):
    _legacy, today, client = both_maps
    page = client.get("/petitions/dashboard/", {"area": PROVINCE})
    assert page.context["area"] == today


def test_a_list_filtered_by_a_code_shows_the_records_of_the_unit_it_means(both_maps):
    _legacy, today, client = both_maps
    TrainingFactory(area=today, title="Hội nghị tỉnh năm 2026", held_on=datetime.date(2026, 3, 2))
    page = client.get("/trainings/", {"area": PROVINCE}).text
    assert "Hội nghị tỉnh năm 2026" in page


def test_the_api_lists_the_units_under_the_one_a_code_means(both_maps):
    legacy, today, client = both_maps
    children = client.get("/api/v1/areas/", {"parent": PROVINCE}).json()["results"]
    assert {row["parent"] for row in children} == {today.pk}
    old = client.get("/api/v1/areas/", {"parent": PROVINCE, "structure": "legacy"}).json()
    assert {row["parent"] for row in old["results"]} == {legacy.pk}


def test_an_import_keeps_a_unit_on_the_area_its_code_means_today(both_maps):
    _legacy, today, client = both_maps
    sheet = _sheet([PROVINCE, "Văn phòng Tỉnh ủy", "Cơ quan hành chính nhà nước"])
    assert client.post("/units/import/", {"file": sheet}).status_code == 302
    assert MemberUnit.objects.get(name="Văn phòng Tỉnh ủy").area == today


# --- today's unit counts the legacy units it took over (``counting_for``) ---------------


def test_a_list_filtered_by_a_code_of_today_includes_the_legacy_units_it_took_over(both_maps):
    legacy, today, client = both_maps
    assert today.predecessors.filter(pk=legacy.pk).exists()
    TrainingFactory(area=legacy, title="Hội nghị tỉnh năm 2024", held_on=datetime.date(2024, 3, 2))
    page = client.get("/trainings/", {"area": PROVINCE}).text
    assert "Hội nghị tỉnh năm 2024" in page


def test_the_petitions_dashboard_of_today_counts_the_legacy_units_it_took_over(both_maps):
    _legacy, today, client = both_maps
    Petition.objects.create(
        area=area(DISTRICT_A),
        kind="complaint",
        channel="post",
        field="land",
        received_on=datetime.date(2024, 3, 1),
        petitioner_name="Nguyễn Văn An",
        subject="Tranh chấp đất đai",
        handling_body="UBND thành phố Hạ Long",
    )
    page = client.get("/petitions/dashboard/", {"area": PROVINCE, "year": 2024})
    assert page.context["area"] == today
    assert page.context["counts"]["received"] == 1
    assert computed_figures(today, 2024)["petitions_received"] == 1
