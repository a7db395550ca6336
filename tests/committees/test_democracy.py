"""Grassroots democracy in the communes (Luật Thực hiện dân chủ ở cơ sở 2022): what was
made public, decided, consulted on, supervised — and the village conventions recognised —
as dated records of a commune, through their pages, the API and the XLSX export."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from committees.models import DemocracyActivity, VillageConvention
from tests.conftest import COMMUNE_A, COMMUNE_A_TODAY, COMMUNE_B, DISTRICT_A
from tests.factories import DemocracyActivityFactory, VillageConventionFactory, area
from tests.helpers import query_counts

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "decision",
    "subject": "Mức đóng góp bê tông hóa đường ngõ khu 3",
    "held_on": "12/04/2024",
    "village": "Khu 3",
    "method": "Họp khu dân cư",
    "participants": "186",
    "counted_as": "households",
    "outcome": "87% hộ gia đình tán thành mức 300.000 đồng/hộ",
}
BODY = {
    "kind": "consultation",
    "subject": "Lấy ý kiến dự thảo kế hoạch phát triển kinh tế - xã hội năm 2025",
    "held_on": "2024-10-08",
    "participants": 240,
    "counted_as": "people",
}


def _post(client, data):
    return client.post("/api/v1/democracy-activities/", data, content_type="application/json")


def test_an_editor_records_an_activity_and_reads_it_with_its_history(login, secretariat_a):
    client = login(secretariat_a)
    response = client.post("/democracy-activities/new/", {**FORM, "area": area(COMMUNE_A).pk})
    activity = DemocracyActivity.objects.get()
    assert response.url == f"/democracy-activities/{activity.pk}/"
    assert (activity.participants, activity.counted_as) == (186, "households")
    page = client.get(response.url).text
    assert "Nhân dân bàn và quyết định" in page and "hộ gia đình" in page
    assert activity.history.get().history_user == secretariat_a
    listed = client.get("/democracy-activities/", {"year": 2024, "kind": "decision"}).text
    assert "Mức đóng góp bê tông hóa đường ngõ khu 3" in listed
    assert "Mức đóng góp" not in client.get("/democracy-activities/", {"year": 2023}).text


def test_the_form_says_what_is_wrong_and_saves_nothing(login, secretariat_a):
    client = login(secretariat_a)
    district = "Chỉ ghi cho cấp xã; Thành phố Hạ Long thuộc cấp huyện."
    cases = {
        # Kept on communes: the democracy of the 2022 law is theirs.
        "area": ({"area": area(DISTRICT_A).pk}, district),
        "counted_as": (
            {"area": area(COMMUNE_A).pk, "counted_as": ""},
            "Hãy chọn số tham gia tính theo hộ gia đình hay theo người.",
        ),
        "participants": (
            {"area": area(COMMUNE_A).pk, "participants": ""},
            "Hãy nhập số hộ gia đình hoặc số người tham gia.",
        ),
        "supervisor": (
            {"area": area(COMMUNE_A).pk, "supervisor": "peoples_inspection"},
            "Chỉ hoạt động kiểm tra, giám sát có chủ thể giám sát.",
        ),
    }  # fmt: skip
    for field, (changes, message) in cases.items():
        form = client.post("/democracy-activities/new/", {**FORM, **changes}).context["form"]
        assert form.errors[field] == [message], field
    assert not DemocracyActivity.objects.exists()


def test_an_activity_of_2026_is_not_kept_on_a_commune_abolished_in_2025(login, provincial_staff):
    client = login(provincial_staff)
    late = {**FORM, "area": area(COMMUNE_A).pk, "held_on": "12/04/2026"}
    error = client.post("/democracy-activities/new/", late).context["form"].errors["area"][0]
    assert "Phường Hà Khánh không còn từ 01/07/2025" in error and "Phường Cao Xanh" in error
    answer = _post(client, {**BODY, "area": area(COMMUNE_A).pk, "held_on": "2026-04-12"})
    assert answer.status_code == 400 and "Phường Cao Xanh" in answer.json()["area"][0]
    cao_xanh = area(COMMUNE_A_TODAY, "2025")
    assert _post(client, {**BODY, "area": cao_xanh.pk, "held_on": "2026-04-12"}).status_code == 201
    assert DemocracyActivity.objects.get().area == cao_xanh


def test_the_api_is_scoped_and_answers_field_errors(login, secretariat_a, secretariat_b, viewer):
    client = login(secretariat_a)
    created = _post(client, {**BODY, "area": area(COMMUNE_A).pk})
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["area_code"] == COMMUNE_A
    assert login(secretariat_b).get(f"/api/v1/democracy-activities/{pk}/").status_code == 404
    assert login(viewer).delete(f"/api/v1/democracy-activities/{pk}/").status_code == 403
    elsewhere = _post(login(secretariat_b), {**BODY, "area": area(COMMUNE_A).pk})
    assert elsewhere.json() == {"area": ["Không tìm thấy bản ghi này."]}
    bad = _post(client, {**BODY, "area": area(COMMUNE_A).pk, "participants": -4, "kind": "x"})
    assert set(bad.json()) == {"participants", "kind"}
    unpaired = _post(client, {**BODY, "area": area(COMMUNE_A).pk, "counted_as": ""})
    assert unpaired.json() == {
        "counted_as": ["Hãy chọn số tham gia tính theo hộ gia đình hay theo người."]
    }
    district = _post(client, {**BODY, "area": area(DISTRICT_A).pk})
    assert district.json() == {"area": ["Chỉ ghi cho cấp xã; Thành phố Hạ Long thuộc cấp huyện."]}
    assert DemocracyActivity.objects.count() == 1
    listed = client.get("/api/v1/democracy-activities/", {"kind": "consultation", "year": 2024})
    assert [a["id"] for a in listed.json()["results"]] == [pk]


def test_an_administrator_records_on_a_commune_by_the_api(login, administrator):
    answer = _post(login(administrator), {**BODY, "area": area(COMMUNE_B).pk})
    assert answer.status_code == 201, answer.json()


def test_the_export_keeps_numbers_as_numbers_and_the_lists_constant_queries(
    login, provincial_staff
):
    client = login(provincial_staff)
    DemocracyActivityFactory(participants=186, counted_as="households", kind="decision")
    sheet = load_workbook(io.BytesIO(client.get("/democracy-activities/?format=xlsx").content))
    header = [c.value for c in sheet.active[1]]
    row = dict(zip(header, [c.value for c in sheet.active[2]], strict=True))
    assert row["Số tham gia"] == 186 and row["Tính theo"] == "hộ gia đình"
    assert row["Hình thức"] == "Nhân dân bàn và quyết định"
    urls = [
        "/democracy-activities/",
        "/api/v1/democracy-activities/",
        "/village-conventions/",
        "/api/v1/village-conventions/",
    ]
    VillageConventionFactory()
    few = query_counts(client, urls)
    DemocracyActivityFactory.create_batch(20, area=area(COMMUNE_B))
    VillageConventionFactory.create_batch(20, area=area(COMMUNE_B))
    assert query_counts(client, urls) == few


def test_a_village_convention_is_recorded_once_per_decision(login, secretariat_a, viewer):
    client = login(secretariat_a)
    form = {
        "area": area(COMMUNE_A).pk,
        "village": "Khu 5",
        "kind": "residential",
        "name": "Quy ước khu 5 (sửa đổi, bổ sung)",
        "decision_number": "1205/QĐ-UBND",
        "recognised_on": "10/09/2024",
        "recognised_by": "Chủ tịch UBND thành phố Hạ Long",
    }
    response = client.post("/village-conventions/new/", form)
    convention = VillageConvention.objects.get()
    assert response.url == convention.get_absolute_url()
    twice = client.post("/village-conventions/new/", form)
    assert (
        "Quyết định này đã công nhận một hương ước, quy ước của thôn, tổ dân phố này." in twice.text
    )
    body = {**form, "recognised_on": "2024-09-10", "area": area(COMMUNE_A).pk}
    api = client.post("/api/v1/village-conventions/", body, content_type="application/json")
    assert api.status_code == 400 and "non_field_errors" in api.json()
    assert login(viewer).post(f"/village-conventions/{convention.pk}/delete/").status_code == 403
    sheet = load_workbook(io.BytesIO(client.get("/village-conventions/?format=xlsx").content))
    assert sheet.active["B2"].value == "Quy ước khu 5 (sửa đổi, bổ sung)"
    assert sheet.active["A2"].value == datetime.datetime(2024, 9, 10)
    assert VillageConvention.objects.count() == 1
