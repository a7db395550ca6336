"""Petitions: the workflow refuses every illegal step, the denouncer's identity is masked
for all but petition officers in scope (page, API, export) and every view is logged,
overdue and backlog counts, scope, cursor pagination, constant queries."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from committees.platform.history import untracked_writes
from inspections.models import IdentityAccess, Petition, PetitionEvent, Status
from inspections.services import MASK, TRANSITIONS, petition_transition
from tests.conftest import COMMUNE_A, COMMUNE_A_TODAY, DISTRICT_A, DISTRICT_B
from tests.factories import PetitionFactory, area
from tests.helpers import query_counts

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
NAME = "Nguyễn Văn Tố Cáo"


def _petition(code=DISTRICT_A, kind="denunciation", days_ago=2, **extra) -> Petition:
    return PetitionFactory(
        area=area(code),
        kind=kind,
        channel="post",
        field="land",
        received_on=extra.pop("received_on", TODAY - datetime.timedelta(days=days_ago)),
        petitioner_name=extra.pop("petitioner_name", NAME),
        petitioner_address="Số 1 đường Bạch Đằng",
        petitioner_contact="0912 345 678",
        subject="Tố cáo cán bộ địa chính",
        handling_body="UBND thành phố",
        **extra,
    )


ILLEGAL = [
    (current, target)
    for current in Status.values
    for target in Status.values
    if target not in TRANSITIONS[current]
]


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_every_illegal_step_is_refused_and_changes_nothing(login, secretariat_a, current, target):
    petition = _petition(days_ago=40)
    with untracked_writes():  # a state no step of the workflow may lead to
        Petition.objects.filter(pk=petition.pk).update(status=current)
    client = login(secretariat_a)
    response = client.post(
        f"/petitions/{petition.pk}/step/",
        {"to": target, "on": TODAY.isoformat(), "note": "lý do", "outcome": "right"},
        follow=True,
    )
    assert "Không thể chuyển đơn từ trạng thái" in response.text
    api = client.post(
        f"/api/v1/petitions/{petition.pk}/step/",
        {"to": target, "note": "lý do", "outcome": "right"},
        content_type="application/json",
    )
    assert api.status_code == 400
    petition.refresh_from_db()
    assert petition.status == current
    assert not PetitionEvent.objects.exists()


def test_the_workflow_records_each_step_and_the_deadlines_follow(login, secretariat_a):
    petition = _petition(kind="complaint", days_ago=20)
    assert petition.is_overdue  # 10 days to accept have passed
    client = login(secretariat_a)
    accepted_on = TODAY - datetime.timedelta(days=1)
    for to in ("classified", "accepted"):
        client.post(f"/petitions/{petition.pk}/step/", {"to": to, "on": accepted_on.isoformat()})
    petition.refresh_from_db()
    assert (petition.status, petition.accepted_on) == ("accepted", accepted_on)
    assert petition.resolve_due_on >= accepted_on + datetime.timedelta(days=30)
    assert not petition.is_overdue
    response = client.post(
        f"/petitions/{petition.pk}/step/", {"to": "being_resolved", "on": TODAY.isoformat()}
    )
    refused = client.post(
        f"/petitions/{petition.pk}/step/",
        {"to": "resolved", "on": TODAY.isoformat()},
        follow=True,
    )
    assert "Hãy chọn kết quả giải quyết" in refused.text
    client.post(
        f"/petitions/{petition.pk}/step/",
        {"to": "resolved", "on": TODAY.isoformat(), "outcome": "partly"},
    )
    petition.refresh_from_db()
    assert (petition.status, petition.outcome, petition.resolved_on) == (
        "resolved",
        "partly",
        TODAY,
    )
    events = list(petition.events.values_list("to_status", "actor__username"))
    assert events == [
        ("classified", "halong"),
        ("accepted", "halong"),
        ("being_resolved", "halong"),
        ("resolved", "halong"),
    ]
    page = client.get(f"/petitions/{petition.pk}/").text
    assert "Điều 28 Luật Khiếu nại 2011: 30 ngày" in page
    assert response.status_code == 302


def test_a_refusal_needs_a_reason_and_a_step_cannot_be_dated_in_the_future(login, secretariat_a):
    petition = _petition()
    client = login(secretariat_a)
    client.post(f"/petitions/{petition.pk}/step/", {"to": "classified", "on": TODAY})
    no_reason = client.post(
        f"/petitions/{petition.pk}/step/", {"to": "not_accepted", "on": TODAY}, follow=True
    )
    assert "Hãy ghi lý do." in no_reason.text
    future = client.post(
        f"/petitions/{petition.pk}/step/",
        {"to": "accepted", "on": TODAY + datetime.timedelta(days=3)},
        follow=True,
    )
    assert "Ngày thực hiện không được sau ngày hôm nay." in future.text
    petition.refresh_from_db()
    assert petition.status == "classified"


def test_extensions_are_refused_beyond_what_the_law_allows(login, secretariat_a):
    petition = _petition(complexity="complex", days_ago=40)
    for to in ("classified", "accepted", "being_resolved"):
        petition = petition_transition(petition=petition, to=to, actor=secretariat_a)
    due = petition.resolve_due_on
    client = login(secretariat_a)
    client.post(f"/petitions/{petition.pk}/extend/", {"note": "Cần giám định"})
    petition.refresh_from_db()
    assert petition.extensions == 1 and petition.resolve_due_on > due
    again = client.post(f"/petitions/{petition.pk}/extend/", {"note": "Lần nữa"}, follow=True)
    assert "Không thể gia hạn thêm" in again.text
    petition.refresh_from_db()
    assert petition.extensions == 1


def test_the_identity_is_masked_for_all_but_petition_officers_and_each_view_is_logged(
    login, secretariat_a, provincial_staff, viewer, petition_officer, administrator
):
    petition = _petition()
    for user in (secretariat_a, provincial_staff, viewer, administrator):
        client = login(user)
        page = client.get(f"/petitions/{petition.pk}/").text
        assert NAME not in page and "0912 345 678" not in page and MASK in page
        api = client.get(f"/api/v1/petitions/{petition.pk}/").json()
        assert api["petitioner_name"] == MASK and api["petitioner_contact"] == MASK
        listing = client.get("/api/v1/petitions/").json()["results"][0]
        assert listing["petitioner_name"] == MASK
        sheet = client.get("/petitions/", {"format": "xlsx"}).content
        assert NAME not in _cells(sheet)
        edit = client.get(f"/petitions/{petition.pk}/edit/")
        assert NAME not in edit.text
    assert not IdentityAccess.objects.exists()

    officer = login(petition_officer)
    assert NAME in officer.get(f"/petitions/{petition.pk}/").text
    assert officer.get(f"/api/v1/petitions/{petition.pk}/").json()["petitioner_name"] == NAME
    assert officer.get("/api/v1/petitions/").json()["results"][0]["petitioner_name"] == MASK
    assert NAME not in _cells(officer.get("/petitions/", {"format": "xlsx"}).content)
    assert NAME in officer.get(f"/petitions/{petition.pk}/edit/").text
    log = list(IdentityAccess.objects.order_by("at").values_list("user__username", "channel"))
    assert log == [("donthu", "page"), ("donthu", "api"), ("donthu", "edit")]
    admin_page = login(administrator).get("/admin/inspections/identityaccess/")
    assert admin_page.status_code == 200 and str(petition_officer) in admin_page.text


def test_a_complainant_is_not_masked_and_an_edit_keeps_a_masked_identity(login, secretariat_a):
    complaint = _petition(kind="complaint", petitioner_name="Trần Thị Khiếu Nại")
    client = login(secretariat_a)
    assert "Trần Thị Khiếu Nại" in client.get(f"/petitions/{complaint.pk}/").text
    # Of Hạ Long, a district until 30/06/2025: an edit is refused on a later one.
    denunciation = _petition(received_on=datetime.date(2025, 3, 2))
    client.patch(
        f"/api/v1/petitions/{denunciation.pk}/",
        {"petitioner_name": "Đoán Tên", "subject": "Nội dung sửa"},
        content_type="application/json",
    )
    denunciation.refresh_from_db()
    assert (denunciation.petitioner_name, denunciation.subject) == (NAME, "Nội dung sửa")
    history_fields = {f.name for f in Petition.history.model._meta.fields}
    assert not history_fields & {"petitioner_name", "petitioner_address", "petitioner_contact"}


def _cells(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row)


def test_overdue_and_backlog_counts_on_the_dashboard_and_filters(login, secretariat_a):
    late = _petition(kind="complaint", days_ago=30)  # not accepted in 10 days
    _petition(kind="complaint", days_ago=1)  # in time
    stuck = _petition(kind="denunciation", days_ago=100, complexity="very_complex")
    for to in ("classified", "accepted"):
        stuck = petition_transition(
            petition=stuck, to=to, actor=secretariat_a, on=TODAY - datetime.timedelta(days=95)
        )
    _petition(kind="petition", days_ago=300)  # no legal deadline: never overdue
    client = login(secretariat_a)
    page = client.get("/petitions/dashboard/").text
    assert 'data-testid="overdue">2<' in page
    assert 'data-testid="backlog">1<' in page
    assert 'data-testid="prolonged">1<' in page
    # Every count says the period it covers: today's state of all years' cases, then
    # the chosen year's intake.
    assert f"Hiện nay ({TODAY:%d/%m/%Y}) — đơn nhận ở mọi năm" in page
    assert f"Đơn nhận năm {TODAY.year}" in page
    overdue = client.get("/api/v1/petitions/", {"state": "overdue"}).json()["results"]
    assert {p["id"] for p in overdue} == {late.pk, stuck.pk}
    assert client.get("/api/v1/petitions/", {"state": "prolonged"}).json()["results"][0]["id"] == (
        stuck.pk
    )
    listing = client.get("/petitions/", {"state": "overdue"}).text
    assert listing.count("table-danger") == 2


def test_scope_outside_is_404_and_read_only_roles_cannot_move_a_petition(
    login, secretariat_b, viewer, commune_official
):
    petition = _petition()
    outsider = login(secretariat_b)
    for url in [
        f"/petitions/{petition.pk}/",
        f"/petitions/{petition.pk}/edit/",
        f"/api/v1/petitions/{petition.pk}/",
    ]:
        assert outsider.get(url).status_code == 404
    assert outsider.post(f"/petitions/{petition.pk}/step/", {"to": "classified"}).status_code == 404
    assert login(commune_official).get(f"/petitions/{petition.pk}/").status_code == 404
    reader = login(viewer)
    assert reader.post(f"/petitions/{petition.pk}/step/", {"to": "classified"}).status_code == 403
    api = reader.post(
        f"/api/v1/petitions/{petition.pk}/step/",
        {"to": "classified"},
        content_type="application/json",
    )
    assert api.status_code == 403
    petition.refresh_from_db()
    assert petition.status == "received"


def test_a_petition_officer_registers_and_moves_petitions(login, petition_officer):
    client = login(petition_officer)
    response = client.post(
        "/api/v1/petitions/",
        {
            "area": area(COMMUNE_A_TODAY, "2025").pk,
            "kind": "complaint",
            "channel": "in_person",
            "field": "land",
            "received_on": TODAY.isoformat(),
            "petitioner_name": "Lê Văn Khiếu",
            "subject": "Khiếu nại quyết định thu hồi đất",
            "handling_body": "UBND phường",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "received" and body["deadlines"][0]["step"] == "first"
    step = client.post(
        f"/api/v1/petitions/{body['id']}/step/",
        {"to": "classified"},
        content_type="application/json",
    )
    assert step.status_code == 200 and step.json()["status"] == "classified"


def test_bad_input_gets_field_errors(login, secretariat_a):
    client = login(secretariat_a)
    response = client.post(
        "/api/v1/petitions/",
        {
            "area": area(DISTRICT_A).pk,
            "kind": "complaint",
            "channel": "post",
            "field": "land",
            "received_on": (TODAY + datetime.timedelta(days=2)).isoformat(),
            "petitioner_name": "A",
            "subject": "B",
            "handling_body": "C",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Ngày nhận đơn không được sau ngày hôm nay." in str(response.json()["received_on"])
    assert not Petition.objects.exists()


def test_the_api_pages_petitions_by_cursor_even_through_a_crowded_day(login, provincial_staff):
    # 1,100 petitions on one day: more than DRF's cursor could page through by offset.
    day = TODAY - datetime.timedelta(days=3)
    with untracked_writes():  # fast: their history plays no part here
        Petition.objects.bulk_create(
            Petition(
                area=area(DISTRICT_A if n % 2 else DISTRICT_B),
                kind="complaint",
                channel="post",
                field="land",
                received_on=day,
                petitioner_name="A",
                subject="B",
                handling_body="C",
            )
            for n in range(1100)
        )
    newest = _petition(kind="complaint", days_ago=0)
    client = login(provincial_staff)
    first = client.get("/api/v1/petitions/").json()
    assert first["results"][0]["id"] == newest.pk and first["previous"] is None
    seen, page, pages = [], first, 0
    while True:
        seen += [p["id"] for p in page["results"]]
        pages += 1
        if not page["next"]:
            break
        page = client.get(page["next"]).json()
    assert len(seen) == len(set(seen)) == 1101 and pages == 23
    back = client.get(page["previous"]).json()
    assert [p["id"] for p in back["results"]] == seen[-51:-1]  # the page before the last
    assert client.get("/api/v1/petitions/", {"cursor": "%%%"}).status_code == 404


def test_lists_and_api_run_constant_queries(login, provincial_staff):
    client = login(provincial_staff)
    _petition()
    urls = ["/petitions/", "/api/v1/petitions/", "/petitions/dashboard/"]
    few = query_counts(client, urls)
    for n in range(12):
        _petition(DISTRICT_B if n % 2 else COMMUNE_A, kind=["complaint", "denunciation"][n % 2])
    many = query_counts(client, urls)
    assert few == many == dict(zip(urls, [7, 5, 6], strict=True))


def test_documents_are_checked_stored_and_served_only_in_scope(login, secretariat_a, secretariat_b):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from inspections.models import PetitionDocument

    petition = _petition(kind="complaint")
    client = login(secretariat_a)
    # The smallest PDF with a page: uploads are opened with pypdf, and must have one.
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
        b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
    )
    client.post(
        f"/petitions/{petition.pk}/documents/",
        {"title": "Quyết định giải quyết số 12", "file": SimpleUploadedFile("qd.pdf", pdf)},
    )
    document = PetitionDocument.objects.get()
    assert document.original_name == "qd.pdf" and "qd" not in document.file.name
    assert "Quyết định giải quyết số 12" in client.get(f"/petitions/{petition.pk}/").text
    download = client.get(document.get_download_url())
    assert b"".join(download.streaming_content) == pdf
    assert login(secretariat_b).get(document.get_download_url()).status_code == 404
    refused = client.post(
        f"/petitions/{petition.pk}/documents/",
        {"title": "Giả", "file": SimpleUploadedFile("x.pdf", b"#!/bin/sh\nrm -rf /\n")},
        follow=True,
    )
    assert "Chỉ nhận tệp PDF" in refused.text
    assert PetitionDocument.objects.count() == 1
