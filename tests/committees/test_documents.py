"""Documents: numbers unique per issuer and year, uploads checked by content, scoped files."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from committees.models import Document
from tests.conftest import DISTRICT_A, DISTRICT_B
from tests.factories import DocumentFactory, area
from tests.helpers import query_counts

pytestmark = pytest.mark.django_db

# The smallest PDF with a page: uploads are opened with pypdf, and must have one.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


def _docx(payload: bytes = b"<w:document/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", payload)
    return buffer.getvalue()


def _data(**changes):
    return {
        "area": area(DISTRICT_A).pk,
        "kind": "plan",
        "number": "12-KH/BCĐ",
        "issued_on": "2024-02-20",
        "issuer": "Ban Chỉ đạo thành phố Hạ Long",
        "summary": "Kế hoạch thực hiện dân chủ ở cơ sở năm 2024",
        **changes,
    }


def _create(client, content=PDF, name="ke-hoach.pdf", **changes):
    return client.post("/documents/new/", _data(file=SimpleUploadedFile(name, content), **changes))


def test_it_stores_a_pdf_under_its_own_name_and_serves_it_in_scope(login, secretariat_a, settings):
    client = login(secretariat_a)
    assert _create(client).status_code == 302
    document = Document.objects.get()
    assert document.original_name == "ke-hoach.pdf"
    assert document.file.name.startswith("documents/2024/") and document.file.name.endswith(".pdf")
    assert "ke-hoach" not in document.file.name
    assert str(settings.MEDIA_ROOT) not in str(settings.STATIC_ROOT)
    response = client.get(f"/documents/{document.pk}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_another_district_cannot_download(login, secretariat_a, secretariat_b):
    _create(login(secretariat_a))
    document = Document.objects.get()
    assert login(secretariat_b).get(f"/documents/{document.pk}/file/").status_code == 404
    assert login(secretariat_b).get(f"/documents/{document.pk}/").status_code == 404


def test_the_anonymous_visitor_cannot_download(client, login, secretariat_a):
    _create(login(secretariat_a))
    response = client.get(f"/documents/{Document.objects.get().pk}/file/")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"#!/bin/sh\necho pwned\n", "bao-cao.pdf", "Chỉ nhận tệp PDF"),
        (b"MZ\x90\x00\x03" + b"\x00" * 200, "quyet-dinh.docx", "Chỉ nhận tệp PDF"),
        (b"%PDF-1.4\n1 0 obj<<>>", "cut.pdf", "Tệp PDF bị hỏng"),
        (PDF + b"0" * (10 * 1024 * 1024), "big.pdf", "Tệp quá lớn"),
    ],
)
def test_it_refuses_a_hostile_upload_and_stores_nothing(
    login, secretariat_a, settings, content, name, message
):
    response = _create(login(secretariat_a), content=content, name=name)
    assert response.status_code == 200
    assert message in response.text
    assert not Document.objects.exists()
    assert not (settings.MEDIA_ROOT / "documents").exists()


def test_it_refuses_a_zip_bomb_disguised_as_docx(login, secretariat_a):
    response = _create(
        login(secretariat_a), content=_docx(b"0" * (120 * 1024 * 1024)), name="bomb.docx"
    )
    assert "giải nén quá lớn" in response.text
    assert not Document.objects.exists()


def test_it_accepts_a_real_docx(login, secretariat_a):
    assert _create(login(secretariat_a), content=_docx(), name="hd.docx").status_code == 302
    assert Document.objects.get().file.name.endswith(".docx")


def test_a_number_is_unique_per_issuer_and_year(login, secretariat_a):
    client = login(secretariat_a)
    _create(client)
    response = _create(client)
    assert "Cơ quan này đã có một văn bản cùng số, ký hiệu trong năm đó." in response.text
    assert _create(client, issued_on="2025-01-05").status_code == 302
    assert _create(client, issuer="Thành ủy Hạ Long").status_code == 302
    assert Document.objects.count() == 3


def test_the_api_uploads_checks_and_scopes(login, secretariat_a, secretariat_b):
    client = login(secretariat_a)
    ok = client.post("/api/v1/documents/", _data(file=SimpleUploadedFile("a.pdf", PDF)))
    assert ok.status_code == 201, ok.json()
    assert ok.json()["download_url"].endswith("/file/")
    bad = client.post(
        "/api/v1/documents/",
        _data(number="13-KH/BCĐ", file=SimpleUploadedFile("a.pdf", b"<script>")),
    )
    assert bad.status_code == 400 and "file" in bad.json()
    dup = client.post("/api/v1/documents/", _data())
    assert dup.status_code == 400
    pk = ok.json()["id"]
    assert login(secretariat_b).get(f"/api/v1/documents/{pk}/").status_code == 404
    outside = client.post("/api/v1/documents/", _data(number="14", area=area(DISTRICT_B).pk))
    assert outside.status_code == 400 and "area" in outside.json()
    assert Document.objects.count() == 1


def test_the_area_page_counts_the_years_documents(login, secretariat_a):
    client = login(secretariat_a)
    _create(client)
    _create(client, number="2-BC/BCĐ", issued_on="2023-12-01")
    assert client.get(f"/areas/{DISTRICT_A}/", {"year": 2024}).context["documents"] == 1


def test_the_list_and_api_run_constant_queries(login, provincial_staff):
    client = login(provincial_staff)
    urls = ["/documents/", "/api/v1/documents/"]
    DocumentFactory(area=area(DISTRICT_A))
    few = query_counts(client, urls)
    DocumentFactory.create_batch(30, area=area(DISTRICT_A))
    assert query_counts(client, urls) == few == {"/documents/": 7, "/api/v1/documents/": 6}
