"""Trainings: validation, scope in pages and API, constant queries, XLSX, history."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from committees.models import Training
from committees.platform.records import CappedPaginator
from tests.conftest import COMMUNE_A, DISTRICT_A, DISTRICT_B
from tests.factories import TrainingFactory, area
from tests.helpers import query_counts

pytestmark = pytest.mark.django_db

VALID = {
    "kind": "class",
    "title": "Tập huấn Luật Thực hiện dân chủ ở cơ sở 2022",
    "held_on": "2024-05-14",
    "audience": "Cán bộ chủ chốt cấp xã",
    "attendances": "120",
    "papers": "3",
}


def _post(client, url, **changes):
    return client.post(url, {**VALID, **changes})


def test_a_secretariat_records_a_training_in_its_district(login, secretariat_a):
    client = login(secretariat_a)
    response = _post(client, "/trainings/new/", area=area(DISTRICT_A).pk)
    training = Training.objects.get()
    assert response.status_code == 302
    assert response.url == f"/trainings/{training.pk}/"
    assert training.attendances == 120
    assert training.history.get().history_user == secretariat_a


def test_it_explains_a_negative_count_and_saves_nothing(login, secretariat_a):
    response = _post(
        login(secretariat_a), "/trainings/new/", area=area(DISTRICT_A).pk, attendances="-5"
    )
    assert response.status_code == 200
    assert "Số lượt người tham dự không được là số âm." in response.text
    assert not Training.objects.exists()


def test_it_explains_a_date_it_cannot_read(login, secretariat_a):
    response = _post(
        login(secretariat_a), "/trainings/new/", area=area(DISTRICT_A).pk, held_on="31/02/2024"
    )
    assert "Nhập một ngày có thật theo dạng ngày/tháng/năm, ví dụ 19/12/2024." in response.text
    assert not Training.objects.exists()


def test_it_accepts_dates_as_officials_write_them(login, secretariat_a):
    _post(login(secretariat_a), "/trainings/new/", area=area(DISTRICT_A).pk, held_on="14/05/2024")
    assert Training.objects.get().held_on == datetime.date(2024, 5, 14)


def test_it_refuses_an_area_outside_scope(login, secretariat_a):
    response = _post(login(secretariat_a), "/trainings/new/", area=area(DISTRICT_B).pk)
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.text
    assert not Training.objects.exists()


def test_a_viewer_reads_but_cannot_write(login, viewer):
    training = TrainingFactory(area=area(DISTRICT_A))
    client = login(viewer)
    assert client.get(f"/trainings/{training.pk}/").status_code == 200
    assert client.get("/trainings/new/").status_code == 403
    assert _post(client, "/trainings/new/", area=area(DISTRICT_A).pk).status_code == 403
    assert client.post(f"/trainings/{training.pk}/edit/", VALID).status_code == 403
    assert client.post(f"/trainings/{training.pk}/delete/").status_code == 403
    assert Training.objects.get().title == training.title


@pytest.mark.parametrize("suffix", ["", "edit/", "delete/"])
def test_another_district_gets_404(login, secretariat_b, suffix):
    training = TrainingFactory(area=area(DISTRICT_A))
    client = login(secretariat_b)
    assert client.get(f"/trainings/{training.pk}/{suffix}").status_code == 404
    if suffix:
        assert client.post(f"/trainings/{training.pk}/{suffix}", VALID).status_code == 404
    assert Training.objects.filter(pk=training.pk).exists()


def test_it_keeps_the_history_of_edits(login, secretariat_a):
    training = TrainingFactory(area=area(DISTRICT_A), attendances=50)
    client = login(secretariat_a)
    client.post(f"/trainings/{training.pk}/edit/", {**VALID, "area": area(DISTRICT_A).pk})
    page = client.get(f"/trainings/{training.pk}/").text
    assert "Số lượt người tham dự" in page and "50" in page and "120" in page


def test_it_deletes_and_remembers(login, secretariat_a):
    training = TrainingFactory(area=area(DISTRICT_A))
    response = login(secretariat_a).post(f"/trainings/{training.pk}/delete/")
    assert response.status_code == 302
    assert not Training.objects.exists()
    assert Training.history.filter(id=training.pk, history_type="-").exists()


def test_the_list_and_api_run_constantquery_count(login, provincial_staff):
    client = login(provincial_staff)
    TrainingFactory.create_batch(2, area=area(DISTRICT_A))
    urls = ["/trainings/", "/api/v1/trainings/"]
    few = query_counts(client, urls)
    TrainingFactory.create_batch(30, area=area(COMMUNE_A))
    many = query_counts(client, urls)
    assert few == many == {"/trainings/": 7, "/api/v1/trainings/": 6}


def test_the_list_filters_by_year_and_area_subtree(login, provincial_staff):
    TrainingFactory(
        area=area(COMMUNE_A), title="Trong Hạ Long 2024", held_on=datetime.date(2024, 3, 1)
    )
    TrainingFactory(
        area=area(DISTRICT_B), title="Ở Cẩm Phả 2024", held_on=datetime.date(2024, 3, 1)
    )
    TrainingFactory(area=area(DISTRICT_A), title="Hạ Long 2023", held_on=datetime.date(2023, 3, 1))
    text = login(provincial_staff).get("/trainings/", {"year": 2024, "area": DISTRICT_A}).text
    assert "Trong Hạ Long 2024" in text
    assert "Ở Cẩm Phả 2024" not in text and "Hạ Long 2023" not in text


def test_the_list_exports_xlsx_with_numbers_and_no_formula(login, secretariat_a):
    TrainingFactory(area=area(DISTRICT_A), title='=HYPERLINK("http://x")', attendances=8532)
    response = login(secretariat_a).get("/trainings/", {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Nội dung"
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert rows[1][4] == 8532
    assert sheet.freeze_panes == "A2"


def test_the_api_creates_within_scope_and_refuses_outside(login, secretariat_a):
    client = login(secretariat_a)
    data = {**VALID, "area": area(DISTRICT_A).pk}
    created = client.post("/api/v1/trainings/", data, content_type="application/json")
    assert created.status_code == 201, created.json()
    outside = client.post(
        "/api/v1/trainings/", {**data, "area": area(DISTRICT_B).pk}, content_type="application/json"
    )
    assert outside.status_code == 400
    assert "area" in outside.json()
    negative = client.post(
        "/api/v1/trainings/", {**data, "attendances": -1}, content_type="application/json"
    )
    assert negative.status_code == 400 and "attendances" in negative.json()
    assert Training.objects.count() == 1


def test_the_api_answers_404_outside_and_403_to_a_viewer(login, secretariat_b, viewer):
    training = TrainingFactory(area=area(DISTRICT_A))
    url = f"/api/v1/trainings/{training.pk}/"
    assert login(secretariat_b).get(url).status_code == 404
    assert login(secretariat_b).delete(url).status_code == 404
    assert login(viewer).get(url).status_code == 200
    assert (
        login(viewer).patch(url, {"attendances": 1}, content_type="application/json").status_code
        == 403
    )
    assert login(viewer).delete(url).status_code == 403
    assert Training.objects.get().attendances == training.attendances


def test_the_api_updates_and_keeps_history(login, secretariat_a):
    training = TrainingFactory(area=area(DISTRICT_A), attendances=10)
    response = login(secretariat_a).patch(
        f"/api/v1/trainings/{training.pk}/", {"attendances": 11}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    assert Training.objects.get().attendances == 11
    assert training.history.count() == 2


def test_the_area_page_counts_the_years_trainings_of_its_subtree(login, secretariat_a):
    TrainingFactory(
        area=area(COMMUNE_A), kind="class", attendances=100, held_on=datetime.date(2024, 4, 2)
    )
    TrainingFactory(
        area=area(DISTRICT_A), kind="seminar", attendances=32, held_on=datetime.date(2024, 9, 9)
    )
    TrainingFactory(
        area=area(DISTRICT_A), kind="class", attendances=7, held_on=datetime.date(2023, 1, 1)
    )
    response = login(secretariat_a).get(f"/areas/{DISTRICT_A}/", {"year": 2024})
    figures = response.context["trainings"]
    assert (figures["classes"], figures["sessions"], figures["attendances"]) == (1, 2, 132)
    assert figures["chart"]["values"][3] == 100


def test_a_list_longer_than_the_cap_stops_counting_and_says_so(
    login, provincial_staff, monkeypatch
):
    monkeypatch.setattr(CappedPaginator, "cap", 30)
    client = login(provincial_staff)
    TrainingFactory.create_batch(30, area=area(DISTRICT_A))
    text = client.get("/trainings/").text
    assert "30 kết quả" in text and "Trang 1/2" in text and "Hơn" not in text
    TrainingFactory.create_batch(2, area=area(DISTRICT_A))
    text = client.get("/trainings/").text
    assert "Hơn 30 kết quả" in text and "Trang 1<" in text
    # Pages stop at the cap: the last one holds rows 26 to 30.
    last = client.get("/trainings/", {"page": 99})
    assert last.context["page"].number == 2 and len(last.context["page"].object_list) == 5
