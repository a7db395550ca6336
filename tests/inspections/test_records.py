"""Inspections, reception sessions and dialogues: validation, scope, API, constant
queries, and the demo's 2024 figures for Quảng Ninh."""

import datetime

import pytest
from django.core.management import call_command

from committees.models import Area
from inspections.models import Dialogue, Inspection, Petition, ReceptionSession
from tests.conftest import COMMUNE_A, DISTRICT_A, DISTRICT_B
from tests.factories import area
from tests.helpers import query_count

pytestmark = pytest.mark.django_db

INSPECTION = {
    "kind": "inspection",
    "form": "thematic",
    "held_on": "2024-05-10",
    "conducted_by": "Ban Thường vụ Thành ủy",
    "subject": "Kiểm tra thực hiện dân chủ ở cơ sở",
    "party_organisations": "12",
    "party_members": "85",
    "violations": "0",
    "follow_up": "none",
}


def test_a_secretariat_records_an_inspection_and_bad_counts_are_refused(login, secretariat_a):
    client = login(secretariat_a)
    data = {**INSPECTION, "area": area(DISTRICT_A).pk}
    assert client.post("/inspections/new/", data).status_code == 302
    refused = client.post("/inspections/new/", {**data, "party_members": "-3"})
    assert "Số liệu không được là số âm." in refused.text
    outside = client.post("/inspections/new/", {**data, "area": area(DISTRICT_B).pk})
    assert "Hãy chọn một lựa chọn hợp lệ" in outside.text
    assert Inspection.objects.count() == 1


def test_a_dialogue_cannot_resolve_more_issues_than_were_raised(login, secretariat_a):
    client = login(secretariat_a)
    data = {
        "area": area(DISTRICT_A).pk,
        "held_on": "2024-06-01",
        "kind": "workers",
        "leader": "Giám đốc công ty",
        "participants": "80",
        "issues_raised": "5",
        "issues_resolved": "6",
    }
    response = client.post("/dialogues/new/", data)
    assert "Số ý kiến được giải quyết không được lớn hơn số ý kiến, kiến nghị." in response.text
    api = client.post("/api/v1/dialogues/", data, content_type="application/json")
    assert api.status_code == 400
    assert not Dialogue.objects.exists()


def test_a_reception_session_lists_the_petitions_it_produced(login, secretariat_a):
    session = ReceptionSession.objects.create(
        area=area(DISTRICT_A), held_on=datetime.date(2024, 5, 2), kind="regular", leader="A"
    )
    Petition.objects.create(
        area=area(COMMUNE_A),
        kind="denunciation",
        channel="reception",
        field="land",
        received_on=datetime.date(2024, 5, 2),
        petitioner_name="Người Tố Cáo Bí Mật",
        subject="Tố cáo",
        handling_body="UBND",
        reception=session,
    )
    page = login(secretariat_a).get(session.get_absolute_url()).text
    assert "Đơn tố cáo số" in page and "Người Tố Cáo Bí Mật" not in page


def test_scope_and_read_only_roles(login, secretariat_b, viewer):
    inspection = Inspection.objects.create(
        area=area(DISTRICT_A),
        kind="supervision",
        form="regular",
        held_on=datetime.date(2024, 3, 1),
        conducted_by="A",
        subject="B",
    )
    outsider = login(secretariat_b)
    assert outsider.get(inspection.get_absolute_url()).status_code == 404
    assert outsider.get(f"/api/v1/inspections/{inspection.pk}/").status_code == 404
    reader = login(viewer)
    assert reader.get(inspection.get_absolute_url()).status_code == 200
    assert reader.post(f"/inspections/{inspection.pk}/delete/").status_code == 403
    assert reader.delete(f"/api/v1/inspections/{inspection.pk}/").status_code == 403
    assert Inspection.objects.count() == 1


def test_lists_and_api_run_constant_queries(login, provincial_staff):
    client = login(provincial_staff)
    urls = [
        "/inspections/",
        "/receptions/",
        "/dialogues/",
        "/api/v1/inspections/",
        "/api/v1/receptions/",
        "/api/v1/dialogues/",
    ]

    def add(code, n):
        Inspection.objects.create(
            area=area(code),
            kind="inspection",
            form="regular",
            held_on=datetime.date(2024, 3, 1 + n),
            conducted_by="A",
            subject=f"Kiểm tra {n}",
        )
        ReceptionSession.objects.create(
            area=area(code), held_on=datetime.date(2024, 3, 1 + n), kind="regular", leader="A"
        )
        Dialogue.objects.create(
            area=area(code), held_on=datetime.date(2024, 3, 1 + n), kind="citizens", leader="A"
        )

    add(DISTRICT_A, 0)
    few = [query_count(client, url) for url in urls]
    for n in range(1, 10):
        add(DISTRICT_B if n % 2 else COMMUNE_A, n)
    many = [query_count(client, url) for url in urls]
    assert few == many


def test_the_demo_inspections_add_up_to_the_provinces_2024_report(quang_ninh):
    call_command("seed_demo", stdout=None)
    province = Area.objects.get(structure="legacy", code="22")
    totals = Inspection.objects.within(province).filter(held_on__year=2024).totals()
    assert (totals["inspection_organisations"], totals["inspection_members"]) == (1688, 7113)
    assert (totals["supervision_organisations"], totals["supervision_members"]) == (1524, 5955)
    halong = Area.objects.get(structure="legacy", code="193")
    assert Petition.objects.within(halong).overdue().exists()
