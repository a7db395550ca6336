"""A unit's conferences and workplace dialogues are dated events, one row each: listed on
the unit's page, added, corrected and deleted by its editors, in the API and the XLSX
export, each with its history; and the dates units kept before become events."""

import datetime
import importlib
import io

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from openpyxl import load_workbook

from committees.models import MemberUnit, UnitEvent
from tests.conftest import COMMUNE_A, DISTRICT_A
from tests.factories import MemberUnitFactory, UnitEventFactory, area
from tests.helpers import query_counts

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 1, 20)


def _form(unit, **extra):
    return {"unit": unit.pk, "kind": "conference", "held_on": "20/01/2024", **extra}


def test_the_units_page_lists_its_events_with_links_to_change_them(login, secretariat_a):
    unit = MemberUnitFactory(area=area(DISTRICT_A))
    UnitEventFactory(unit=unit, held_on=datetime.date(2024, 1, 20), participants=48)
    UnitEventFactory(unit=unit, held_on=datetime.date(2026, 2, 3), participants=51)
    UnitEventFactory(unit=unit, kind="dialogue", held_on=datetime.date(2024, 7, 15))
    page = login(secretariat_a).get(unit.get_absolute_url()).text
    table = page.split('data-testid="unit-events"')[1].split("</table>")[0]
    # Both conferences: the one of 2026 does not replace the one of 2024.
    assert table.index("03/02/2026") < table.index("15/07/2024") < table.index("20/01/2024")
    assert table.count("Hội nghị cán bộ, công chức, viên chức, người lao động") == 2
    assert f"/unit-events/new/?unit={unit.pk}" in page


def test_a_viewer_reads_the_events_and_gets_no_link_to_change_them(login, viewer):
    unit = MemberUnitFactory(area=area(DISTRICT_A))
    event = UnitEventFactory(unit=unit)
    page = login(viewer).get(unit.get_absolute_url()).text
    assert event.get_absolute_url() in page
    assert "/unit-events/new/" not in page and f"/unit-events/{event.pk}/edit/" not in page
    assert login(viewer).post(f"/unit-events/{event.pk}/delete/").status_code == 403
    assert UnitEvent.objects.filter(pk=event.pk).exists()


def test_an_editor_adds_corrects_and_deletes_an_event(login, secretariat_a):
    client = login(secretariat_a)
    unit = MemberUnitFactory(area=area(DISTRICT_A))
    form = client.get(f"/unit-events/new/?unit={unit.pk}")
    assert form.context["form"].initial["unit"] == str(unit.pk)
    response = client.post("/unit-events/new/", _form(unit, participants="45"))
    event = UnitEvent.objects.get()
    assert response.status_code == 302 and (event.held_on, event.participants) == (DAY, 45)
    client.post(f"/unit-events/{event.pk}/edit/", _form(unit, participants="47"))
    event.refresh_from_db()
    assert event.participants == 47
    assert [h.history_type for h in event.history.order_by("history_date")] == ["+", "~"]
    assert event.history.latest().history_user == secretariat_a
    client.post(f"/unit-events/{event.pk}/delete/")
    assert not UnitEvent.objects.exists()


def test_the_form_refuses_bad_input_with_its_message_and_saves_nothing(login, secretariat_a):
    client = login(secretariat_a)
    unit = MemberUnitFactory(area=area(DISTRICT_A), established_on=datetime.date(2024, 3, 1))
    UnitEventFactory(unit=unit, held_on=datetime.date(2024, 5, 2))
    same_day = client.post("/unit-events/new/", _form(unit, held_on="02/05/2024"))
    assert "Đơn vị này đã có sự kiện cùng loại vào ngày đó." in same_day.text
    before = client.post("/unit-events/new/", _form(unit))
    assert "thành lập ngày 01/03/2024; sự kiện không thể trước đó." in before.text
    negative = client.post("/unit-events/new/", _form(unit, held_on="02/06/2024", participants=-3))
    assert "Số người tham dự không được là số âm." in negative.text
    assert UnitEvent.objects.count() == 1


def test_an_event_after_its_units_commune_ended_is_refused_naming_the_heirs(login, secretariat_a):
    unit = MemberUnitFactory(area=area(COMMUNE_A), kind="state_agency")
    response = login(secretariat_a).post("/unit-events/new/", _form(unit, held_on="10/01/2026"))
    errors = response.context["form"].errors["held_on"]
    assert "Phường Hà Khánh không còn từ 01/07/2025" in errors[0]
    assert "Phường Cao Xanh" in errors[0]
    # An event of 2024 stays with the unit once it moved onto the commune of today.
    unit.area = area("06658", "2025")
    unit.save()
    UnitEvent(unit=unit, kind="conference", held_on=DAY).full_clean()


def test_the_api_writes_events_within_the_units_scope(login, secretariat_a, secretariat_b, viewer):
    unit = MemberUnitFactory(area=area(DISTRICT_A))
    body = {"unit": unit.pk, "kind": "dialogue", "held_on": "2024-07-15", "participants": 30}
    client = login(secretariat_a)
    created = client.post("/api/v1/unit-events/", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["kind_display"] == "Đối thoại tại nơi làm việc"
    listed = client.get(f"/api/v1/units/{unit.pk}/").json()["events"]
    assert [(e["kind"], e["held_on"]) for e in listed] == [("dialogue", "2024-07-15")]
    event = created.json()["id"]
    # Another district's secretariat: neither the event nor the unit exist for them.
    other = login(secretariat_b)
    assert other.get(f"/api/v1/unit-events/{event}/").status_code == 404
    refused = other.post("/api/v1/unit-events/", body, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json() == {"unit": ["Không tìm thấy bản ghi này."]}
    assert login(viewer).delete(f"/api/v1/unit-events/{event}/").status_code == 403
    twice = client.post("/api/v1/unit-events/", body, content_type="application/json")
    assert twice.json() == {"non_field_errors": ["Đơn vị này đã có sự kiện cùng loại vào ngày đó."]}
    late = client.post(
        "/api/v1/unit-events/",
        {**body, "held_on": "2026-01-10", "unit": MemberUnitFactory(area=area(COMMUNE_A)).pk},
        content_type="application/json",
    )
    assert late.status_code == 400 and "không còn từ 01/07/2025" in late.json()["held_on"][0]
    assert UnitEvent.objects.count() == 1


def test_the_lists_export_the_events_and_run_constant_queries(login, provincial_staff):
    client = login(provincial_staff)
    unit = MemberUnitFactory(area=area(DISTRICT_A), name="Trung tâm Y tế Hạ Long")
    UnitEventFactory(unit=unit, held_on=datetime.date(2024, 1, 20))
    UnitEventFactory(unit=unit, held_on=datetime.date(2026, 2, 3))
    sheet = load_workbook(io.BytesIO(client.get("/units/?format=xlsx").content)).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert row["Hội nghị CBCC, NLĐ"] == datetime.datetime(2026, 2, 3)  # the latest
    events = load_workbook(io.BytesIO(client.get("/unit-events/?format=xlsx").content)).active
    assert [c.value for c in events["C"][1:]] == ["Trung tâm Y tế Hạ Long"] * 2
    urls = ["/unit-events/", "/api/v1/unit-events/", "/units/"]
    few = query_counts(client, urls)
    for n in range(20):
        UnitEventFactory(unit=unit, held_on=datetime.date(2023, 1, 1) + datetime.timedelta(n))
    assert query_counts(client, urls) == few


# The migration of the dates units kept into events.

MIGRATION = importlib.import_module("committees.migrations.0014_unit_events_from_dates")


@pytest.fixture
def before_events():
    """The models as they were before the dates became events (the test's transaction
    takes the schema back, PostgreSQL's DDL being transactional)."""
    executor = MigrationExecutor(connection)
    executor.migrate([("committees", "0013_unit_events")])
    executor.loader.build_graph()
    return executor.loader.project_state(("committees", "0013_unit_events")).apps


def test_the_migration_turns_every_date_a_unit_held_into_an_event(before_events):
    apps = before_events
    units = apps.get_model("committees", "MemberUnit")
    versions = apps.get_model("committees", "HistoricalMemberUnit")
    events = apps.get_model("committees", "UnitEvent")
    place = area(DISTRICT_A).pk
    unit = units.objects.create(
        area_id=place,
        kind="state_agency",
        name="Văn phòng HĐND và UBND thành phố",
        conference_held_on=datetime.date(2024, 1, 20),
        dialogue_held_on=datetime.date(2024, 7, 15),
    )
    now = datetime.datetime.now(datetime.UTC)
    for day in (datetime.date(2023, 1, 18), datetime.date(2024, 1, 20)):
        # The history remembers the conference of 2023 that the one of 2024 overwrote.
        versions.objects.create(
            id=unit.pk, area_id=place, kind="state_agency", name=unit.name, notes="",
            regulation_issued=False, conference_held_on=day, history_date=now,
            history_type="~",
        )  # fmt: skip
    versions.objects.create(
        id=unit.pk + 1000, area_id=place, kind="enterprise", name="Đã xóa", notes="",
        regulation_issued=False, conference_held_on=DAY, history_date=now, history_type="-",
    )  # fmt: skip
    MIGRATION.events_from_dates(apps, None)
    MIGRATION.events_from_dates(apps, None)  # run again: nothing twice
    held = set(events.objects.values_list("unit_id", "kind", "held_on"))
    assert held == {
        (unit.pk, "conference", datetime.date(2023, 1, 18)),
        (unit.pk, "conference", datetime.date(2024, 1, 20)),
        (unit.pk, "dialogue", datetime.date(2024, 7, 15)),
    }
    history = apps.get_model("committees", "HistoricalUnitEvent").objects
    assert history.count() == 3
    assert set(history.values_list("history_type", "history_change_reason")) == {
        ("+", MIGRATION.REASON)
    }
    # Reversed: the unit's latest date of each kind, as it kept them.
    units.objects.filter(pk=unit.pk).update(conference_held_on=None, dialogue_held_on=None)
    MIGRATION.dates_from_events(apps, None)
    unit.refresh_from_db()
    assert (unit.conference_held_on, unit.dialogue_held_on) == (
        datetime.date(2024, 1, 20),
        datetime.date(2024, 7, 15),
    )


def test_the_units_form_keeps_no_date_of_an_event(login, secretariat_a):
    names = set(login(secretariat_a).get("/units/new/").context["form"].fields)
    assert names == {
        "area", "kind", "name", "established_on", "dissolved_on", "regulation_issued",
        "regulation_date", "notes",
    }  # fmt: skip
    assert not {"conference_held_on", "dialogue_held_on"} & {
        f.name for f in MemberUnit._meta.get_fields()
    }
