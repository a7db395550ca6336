"""Member units: validation, the all-or-nothing XLSX import, hostile files, API, figures."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from committees.models import MemberUnit
from tests.conftest import COMMUNE_A, DISTRICT_A, DISTRICT_B
from tests.factories import MemberUnitFactory, area
from tests.helpers import query_counts

pytestmark = pytest.mark.django_db

HEADER = [
    "Mã địa bàn",
    "Tên đơn vị",
    "Loại hình",
    "Đã ban hành quy chế",
    "Ngày ban hành quy chế",
    "Hội nghị CBCC, NLĐ",
    "Đối thoại tại nơi làm việc",
]


def _sheet(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, content: bytes, name="units.xlsx"):
    return client.post("/units/import/", {"file": SimpleUploadedFile(name, content)})


GOOD = [
    [
        "193",
        "Văn phòng Thành ủy Hạ Long",
        "Cơ quan hành chính nhà nước",
        "Có",
        "01/06/2023",
        None,
        None,
    ],
    [
        6649,
        "Phường Hà Khánh",
        "Xã, phường, thị trấn",
        "có",
        "15/03/2023",
        "20/01/2024",
        "15/07/2024",
    ],
    ["193", "Công ty Than Hà Lầm", "Doanh nghiệp", "Không", None, None, None],
]


def test_it_imports_a_valid_sheet(login, secretariat_a):
    response = _upload(login(secretariat_a), _sheet(GOOD))
    assert response.status_code == 302
    assert MemberUnit.objects.count() == 3
    ha_khanh = MemberUnit.objects.get(name="Phường Hà Khánh")
    assert ha_khanh.area.code == COMMUNE_A  # 6649 typed as a number keeps its code
    assert ha_khanh.history.get().history_user == secretariat_a


def test_one_bad_row_changes_nothing_and_is_reported_by_row_and_column(login, secretariat_a):
    MemberUnitFactory(
        area=area(DISTRICT_A),
        name="Công ty Than Hà Lầm",
        regulation_issued=False,
        regulation_date=None,
    )
    bad = [*GOOD, ["193", "Trường THPT Hạ Long", "Trường học", "Có", "31/02/2024", None, None]]
    response = _upload(login(secretariat_a), _sheet(bad))
    assert response.status_code == 200
    errors = {(e.row, e.column) for e in response.context["errors"]}
    assert errors == {(5, "Loại hình"), (5, "Ngày ban hành quy chế")}
    assert "chưa có dữ liệu nào được lưu" in response.text
    assert list(MemberUnit.objects.values_list("name", flat=True)) == ["Công ty Than Hà Lầm"]


def test_it_refuses_an_area_outside_scope_in_a_row(login, secretariat_a):
    rows = [
        [
            DISTRICT_B,
            "Văn phòng Thành ủy Cẩm Phả",
            "Cơ quan hành chính nhà nước",
            "Có",
            None,
            None,
            None,
        ]
    ]
    response = _upload(login(secretariat_a), _sheet(rows))
    assert [(e.row, e.column) for e in response.context["errors"]] == [(2, "Mã địa bàn")]
    assert not MemberUnit.objects.exists()


def test_it_reports_missing_columns_and_duplicates(login, secretariat_a):
    client = login(secretariat_a)
    response = _upload(client, _sheet([["x"]], header=["Tên đơn vị"]))
    assert {e.column for e in response.context["errors"]} == {"Mã địa bàn", "Loại hình"}
    response = _upload(client, _sheet([GOOD[0], GOOD[0]]))
    assert [(e.row, e.column) for e in response.context["errors"]] == [(3, "Tên đơn vị")]
    assert not MemberUnit.objects.exists()


def test_an_exported_sheet_imports_back_as_an_update(login, secretariat_a):
    client = login(secretariat_a)
    MemberUnitFactory(
        area=area(DISTRICT_A),
        name="Văn phòng Thành ủy Hạ Long",
        regulation_issued=False,
        regulation_date=None,
    )
    exported = load_workbook(io.BytesIO(client.get("/units/", {"format": "xlsx"}).content))
    sheet = exported.active
    sheet.cell(row=2, column=5, value=True)  # "Đã ban hành quy chế"
    sheet.cell(row=2, column=6, value=datetime.date(2024, 3, 8))  # "Ngày ban hành quy chế"
    buffer = io.BytesIO()
    exported.save(buffer)
    response = _upload(client, buffer.getvalue())
    assert response.status_code == 302
    unit = MemberUnit.objects.get()
    assert (unit.regulation_issued, unit.regulation_date) == (True, datetime.date(2024, 3, 8))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"#!/bin/sh\nrm -rf /\n", "không phải là bảng tính Excel"),
        (b"PK\x03\x04 not really a zip", "bị hỏng"),
        (b"PK\x03\x04" + b"0" * (5 * 1024 * 1024), "Tệp quá lớn"),
    ],
)
def test_it_refuses_a_hostile_file_with_a_message(login, secretariat_a, content, message):
    response = _upload(login(secretariat_a), content)
    assert response.status_code == 200
    assert message in response.text
    assert not MemberUnit.objects.exists()


def test_it_refuses_a_zip_bomb(login, secretariat_a):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    response = _upload(login(secretariat_a), buffer.getvalue())
    assert "giải nén quá lớn" in response.text
    assert not MemberUnit.objects.exists()


def test_a_viewer_cannot_import(login, viewer):
    assert _upload(login(viewer), _sheet(GOOD)).status_code == 403
    assert not MemberUnit.objects.exists()


def test_it_refuses_a_regulation_date_without_regulation(login, secretariat_a):
    response = login(secretariat_a).post(
        "/units/new/",
        {
            "area": area(DISTRICT_A).pk,
            "kind": "enterprise",
            "name": "Công ty A",
            "regulation_date": "2024-01-01",
        },
    )
    assert "Có ngày ban hành quy chế thì phải đánh dấu đã ban hành quy chế." in response.text
    assert not MemberUnit.objects.exists()


def test_it_refuses_a_duplicate_name_in_an_area(login, secretariat_a):
    MemberUnitFactory(area=area(DISTRICT_A), name="Công ty A")
    data = {"area": area(DISTRICT_A).pk, "kind": "enterprise", "name": "Công ty A"}
    response = login(secretariat_a).post("/units/new/", data)
    assert "Địa bàn này đã có một đơn vị cùng tên." in response.text
    api = login(secretariat_a).post("/api/v1/units/", data, content_type="application/json")
    assert api.status_code == 400
    assert MemberUnit.objects.count() == 1


def test_the_api_is_scoped(login, secretariat_b, viewer):
    unit = MemberUnitFactory(area=area(DISTRICT_A))
    assert login(secretariat_b).get(f"/api/v1/units/{unit.pk}/").status_code == 404
    assert login(viewer).delete(f"/api/v1/units/{unit.pk}/").status_code == 403
    assert MemberUnit.objects.exists()


def test_the_list_and_api_run_constant_queries(login, provincial_staff):
    client = login(provincial_staff)
    urls = ["/units/", "/api/v1/units/"]
    MemberUnitFactory(area=area(DISTRICT_A))
    few = query_counts(client, urls)
    MemberUnitFactory.create_batch(30, area=area(COMMUNE_A))
    # The API's 7th: the units' conferences and dialogues, prefetched in one query.
    assert query_counts(client, urls) == few == {"/units/": 7, "/api/v1/units/": 7}


def test_the_area_page_shows_the_share_with_a_regulation(login, secretariat_a):
    MemberUnitFactory.create_batch(3, area=area(COMMUNE_A))
    MemberUnitFactory(area=area(DISTRICT_A), regulation_issued=False, regulation_date=None)
    MemberUnitFactory(area=area(DISTRICT_B))
    figures = login(secretariat_a).get(f"/areas/{DISTRICT_A}/").context["units"]
    assert (figures["units"], figures["with_regulation"], figures["share"]) == (4, 3, 75.0)


def test_a_regulation_needs_its_date_on_the_form_the_api_and_in_a_sheet(login, secretariat_a):
    """A year's share of units with a regulation reads its date: ticked without one, a
    regulation of 2026 would change the figure of 2024."""
    client = login(secretariat_a)
    data = {"area": area(DISTRICT_A).pk, "kind": "enterprise", "name": "Công ty A"}
    page = client.post("/units/new/", {**data, "regulation_issued": "on"})
    message = "Hãy nhập ngày ban hành quy chế: số liệu của mỗi năm tính theo ngày này."
    assert message in page.text
    api = client.post(
        "/api/v1/units/", {**data, "regulation_issued": True}, content_type="application/json"
    )
    assert api.status_code == 400 and api.json() == {"regulation_date": [message]}
    row = ["193", "Công ty A", "Doanh nghiệp", "Có", None, None, None]
    sheet = _upload(client, _sheet([row]))
    assert [(e.row, e.column, e.message) for e in sheet.context["errors"]] == [
        (2, "Ngày ban hành quy chế", message)
    ]
    assert not MemberUnit.objects.exists()


def test_the_conference_and_dialogue_columns_add_events_once(login, secretariat_a):
    client = login(secretariat_a)
    response = _upload(client, _sheet(GOOD), name="units.xlsx")
    assert response.status_code == 302
    ha_khanh = MemberUnit.objects.get(name="Phường Hà Khánh")
    events = set(ha_khanh.events.values_list("kind", "held_on"))
    assert events == {
        ("conference", datetime.date(2024, 1, 20)),
        ("dialogue", datetime.date(2024, 7, 15)),
    }
    assert ha_khanh.events.get(kind="conference").history.get().history_user == secretariat_a
    # The list's export read back: the same units, no event twice, none removed.
    exported = client.get("/units/", {"format": "xlsx"}).content
    followed = _upload(client, exported)
    assert followed.status_code == 302
    assert "cập nhật 3 đơn vị, thêm 0 hội nghị, đối thoại" in client.get("/units/").text
    assert set(ha_khanh.events.values_list("kind", "held_on")) == events


def test_a_sheet_cannot_put_an_event_after_the_units_commune_ended(login, secretariat_a):
    row = [COMMUNE_A, "Phường Hà Khánh", "Xã, phường, thị trấn", "Có", "15/03/2023", "10/01/2026"]
    response = _upload(login(secretariat_a), _sheet([row], header=HEADER[:6]))
    [error] = response.context["errors"]
    assert (error.row, error.column) == (2, "Hội nghị CBCC, NLĐ")
    assert "không còn từ 01/07/2025" in error.message and "Phường Cao Xanh" in error.message
    assert not MemberUnit.objects.exists()
