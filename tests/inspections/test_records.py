"""Inspections, reception sessions and dialogues: validation, scope, API, constant
queries. (The demo's 2024 figures for Quảng Ninh: tests/committees/test_demo.py.)"""

import datetime

import pytest

from inspections.models import Dialogue, Inspection
from tests.conftest import COMMUNE_A, DISTRICT_A, DISTRICT_B
from tests.factories import (
    DialogueFactory,
    InspectionFactory,
    PetitionFactory,
    ReceptionSessionFactory,
    area,
)
from tests.helpers import query_counts

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
    session = ReceptionSessionFactory(area=area(DISTRICT_A), held_on=datetime.date(2024, 5, 2))
    PetitionFactory(
        area=area(COMMUNE_A),
        kind="denunciation",
        channel="reception",
        received_on=datetime.date(2024, 5, 2),
        petitioner_name="Người Tố Cáo Bí Mật",
        reception=session,
    )
    page = login(secretariat_a).get(session.get_absolute_url()).text
    assert "Đơn tố cáo số" in page and "Người Tố Cáo Bí Mật" not in page


def test_scope_and_read_only_roles(login, secretariat_b, viewer):
    inspection = InspectionFactory(area=area(DISTRICT_A), kind="supervision")
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
        day = datetime.date(2024, 3, 1 + n)
        InspectionFactory(area=area(code), held_on=day)
        ReceptionSessionFactory(area=area(code), held_on=day)
        DialogueFactory(area=area(code), held_on=day)

    add(DISTRICT_A, 0)
    few = query_counts(client, urls)
    for n in range(1, 10):
        add(DISTRICT_B if n % 2 else COMMUNE_A, n)
    many = query_counts(client, urls)
    assert few == many == dict(zip(urls, [7, 7, 7, 6, 6, 6], strict=True))
