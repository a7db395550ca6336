"""The upload corpus (issue 8): every way a user can hand the portal a file refuses
disguised executables, oversized files, zip bombs dressed as DOCX/XLSX, broken PDFs and
misleading file names — with a specific message on the file field — and stores nothing:
no row changes, no history row, no file on disk.

Entry points: the document form (new, edit) and API (create, patch); the committee's
establishing and consolidating forms and the decision API (the decision's signed file);
a petition's documents; the member-unit XLSX import; and the admin's inlines for
decisions and petition documents. The corpus is generated here, never committed.
"""

from __future__ import annotations

import datetime
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from docx import Document as WordDocument
from openpyxl import Workbook
from pypdf import PdfWriter

from committees.models import (
    CommitteeDecision,
    Document,
    Membership,
    MemberUnit,
    SteeringCommittee,
)
from committees.platform import uploads
from committees.services import units as unit_import
from inspections.models import Petition, PetitionDocument
from tests import personas
from tests.conftest import COMMUNE_A, DISTRICT_A
from tests.factories import (
    DocumentFactory,
    MembershipFactory,
    PetitionFactory,
    SteeringCommitteeFactory,
    area,
)
from tests.helpers import kept_for_the_module

pytestmark = pytest.mark.django_db


# --- the corpus ---------------------------------------------------------------------------

OOXML = {
    "docx": ("word/document.xml", "wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
}
HEADER = ["Mã địa bàn", "Tên đơn vị", "Loại hình", "Đã ban hành quy chế", "Ngày ban hành quy chế"]
UNIT = ["193", "Văn phòng Thành ủy Hạ Long", "Cơ quan hành chính nhà nước", "Có", "01/06/2023"]


@cache
def _pdf(pages: int = 1, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if password:
        writer.encrypt(password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@cache
def _docx() -> bytes:
    document = WordDocument()
    document.add_paragraph("Kế hoạch thực hiện dân chủ ở cơ sở năm 2024")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@cache
def _xlsx() -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(UNIT)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _raw_zip(entries: list[tuple]) -> bytes:
    """A zip written by hand, so that it can carry what ``zipfile`` would not write: an
    encryption flag, a traversal name, a declared size. Entries are (name, bytes as
    stored, method, declared uncompressed size, crc, flags)."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, method, size, crc, flags in entries:
        encoded, offset = name.encode(), out.tell()
        fields = (20, flags, method, 0, 0x21, crc, len(data), size, len(encoded), 0)
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields) + encoded + data)
        central.write(
            struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, offset) + encoded
        )
    directory, start, count = central.getvalue(), out.tell(), len(entries)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0)
    return out.getvalue() + directory + end


def _stored(name: str, data: bytes, flags: int = 0) -> tuple:
    return (name, data, zipfile.ZIP_STORED, len(data), zlib.crc32(data), flags)


@cache
def _zeros(megabytes: int) -> tuple:
    """A deflate stream of ``megabytes`` MB of zeros, built from one flushed 1 MB block
    (about 1 KB), with its size and CRC: a bomb made in milliseconds."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b"\0" * 2**20) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    # Summing the CRC of gigabytes would take seconds: a large bomb keeps a wrong one,
    # which only matters to whoever unpacks it, and the portal must refuse it before that.
    for _ in range(megabytes if megabytes <= 200 else 0):
        crc = zlib.crc32(b"\0" * 2**20, crc)
    return block * megabytes + b"\x03\x00", megabytes * 2**20, crc


def _ooxml(ext: str, *extra: tuple, main: tuple | None = None, content_type: str = "") -> bytes:
    """An Office archive: content types, relationships, the main part, then ``extra``."""
    part, main_type = OOXML[ext]
    content_type = content_type or f"application/vnd.openxmlformats-officedocument.{main_type}"
    content_types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
    )
    return _raw_zip(
        [
            _stored("[Content_Types].xml", content_types.encode()),
            _stored("_rels/.rels", b"<Relationships/>"),
            main or _stored(part, b"<document/>"),
            *extra,
        ]
    )


def _bomb(ext: str, megabytes: int) -> bytes:
    data, size, crc = _zeros(megabytes)
    return _ooxml(ext, main=(OOXML[ext][0], data, zipfile.ZIP_DEFLATED, size, crc, 0))


def _executable(kind: str) -> bytes:
    if kind == "elf":
        return b"\x7fELF\x02\x01\x01\x00" + b"\0" * 8 + b"\x02\x00\x3e\x00" + b"\0" * 480
    return (
        b"MZ\x90\x00\x03\0\0\0\x04\0\0\0\xff\xff" + b"\0" * 46 + b"\x80\0\0\0PE\0\0" + b"\0" * 400
    )


def _polyglot(eof_comment: bool) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as inner:
        inner.writestr("run.sh", "#!/bin/sh\necho pwned\n" * 200)
    if not eof_comment:
        return _pdf() + archive.getvalue()
    # The zip's own comment ends the file with "%%EOF": it still ends like a PDF.
    body = archive.getvalue()
    return _pdf() + body[:-2] + struct.pack("<H", 7) + b"\n%%EOF\n"


@dataclass(frozen=True)
class Case:
    """One hostile file: how to build it for an entry point, and what the page must say."""

    id: str
    build: Callable[[EntryPoint], tuple[str, bytes]]
    message: str
    import_message: str | None = None  # the XLSX import's own wording, when it differs

    def expected(self, entry: EntryPoint) -> str:
        return self.import_message if entry.is_import and self.import_message else self.message


NOT_ACCEPTED = "Chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx) hoặc ảnh PNG, JPEG"
NOT_EXCEL = "Tệp không phải là bảng tính Excel (.xlsx)"
BROKEN_PDF = "Tệp PDF bị hỏng hoặc không đầy đủ"
LEGACY = "dạng cũ (.doc, .xls) hoặc đã đặt mật khẩu"


def _fixed(name: str, content: bytes) -> Callable[[EntryPoint], tuple[str, bytes]]:
    return lambda _entry: (name, content)


def _lazy(name: str, make: Callable[[], bytes]) -> Callable[[EntryPoint], tuple[str, bytes]]:
    return lambda _entry: (name, make())


def _named(template: str) -> Callable[[EntryPoint], tuple[str, bytes]]:
    """A misleading name on the entry point's own valid file: the name alone is refused."""

    def build(entry: EntryPoint) -> tuple[str, bytes]:
        ext = "xlsx" if entry.is_import else "pdf"
        content = _xlsx() if entry.is_import else _pdf()
        return template.format(ext=ext, rev=ext[::-1]), content

    return build


def _oversized(entry: EntryPoint) -> tuple[str, bytes]:
    """One byte over the entry point's own limit."""
    if entry.is_import:
        name, limit, head = "lon.xlsx", unit_import.MAX_BYTES, b"PK\x03\x04"
    else:
        name, limit, head = "lon.pdf", uploads.MAX_UPLOAD_BYTES, b"%PDF-1.7\n"
    return name, head + b"\0" * (limit + 1 - len(head))


def _truncated(content: bytes) -> bytes:
    """The first two thirds: the parts' headers are there, the archive's directory is not."""
    return content[: len(content) * 2 // 3]


def _archive_cases(ext: str) -> list[Case]:
    """The same hostile archives dressed as a .docx and as a .xlsx. A .docx sent to the
    import is not an Excel package, which the import says before looking further."""
    kind = "Word" if ext == "docx" else "Excel"
    not_excel = "Tệp không phải là tệp Excel hợp lệ" if ext == "docx" else None
    name, (main, _type) = f"tai-lieu.{ext}", OOXML[ext]
    prefix = main.split("/")[0]
    macro_type = f"application/vnd.ms-{'word.document' if ext == 'docx' else 'excel.sheet'}"
    embedded = f"{prefix}/embeddings/o.zip"
    deep = _raw_zip([_stored("inner.zip", _raw_zip([_stored("x.txt", b"x")]))])
    return [
        Case(f"{ext}-bomb-150mb", _lazy(name, lambda: _bomb(ext, 150)), "giải nén quá lớn"),
        Case(f"{ext}-bomb-3500mb", _lazy(name, lambda: _bomb(ext, 3500)), "giải nén quá lớn"),
        Case(
            f"{ext}-bomb-nested",
            _lazy(name, lambda: _ooxml(ext, _stored(embedded, _bomb(ext, 3500)))),
            "giải nén quá lớn",
            not_excel,
        ),
        Case(
            f"{ext}-zip-in-zip-in-zip",
            _lazy(name, lambda: _ooxml(ext, _stored(embedded, deep))),
            "tệp nén lồng nhiều lớp",
            not_excel,
        ),
        Case(
            f"{ext}-too-many-members",
            _lazy(
                name,
                lambda: _ooxml(ext, *(_stored(f"{prefix}/m/{n}.xml", b"") for n in range(3000))),
            ),
            "quá nhiều thành phần",
        ),
        Case(
            f"{ext}-path-traversal",
            _lazy(name, lambda: _ooxml(ext, _stored("../../evil.sh", b"#!/bin/sh\n"))),
            "đường dẫn không hợp lệ",
        ),
        Case(
            f"{ext}-absolute-path",
            _lazy(name, lambda: _ooxml(ext, _stored("/etc/cron.d/evil", b"* * * * * x\n"))),
            "đường dẫn không hợp lệ",
        ),
        Case(
            f"{ext}-encrypted-member",
            _lazy(name, lambda: _ooxml(ext, main=_stored(main, b"\x8f" * 40, flags=1))),
            "đặt mật khẩu",
        ),
        Case(
            f"{ext}-with-macros",
            _lazy(
                name,
                lambda: _ooxml(
                    ext,
                    _stored(f"{prefix}/vbaProject.bin", b"\xd0\xcf\x11\xe0macro"),
                    content_type=f"{macro_type}.macroEnabled.main+xml",
                ),
            ),
            "có chứa macro",
            not_excel,
        ),
        Case(
            f"{ext}-without-main-part",
            _lazy(name, lambda: _raw_zip([_stored(f"{prefix}/notes.txt", b"xin chao")])),
            f"Tệp không phải là tệp {kind} hợp lệ",
            not_excel,
        ),
        Case(
            f"{ext}-truncated",
            _lazy(name, lambda: _truncated(_docx() if ext == "docx" else _xlsx())),
            f"Tệp {kind} bị hỏng",
            "Tệp Excel bị hỏng",
        ),
    ]


CORPUS = [
    *(
        Case(
            f"{kind}-as-{ext}",
            _lazy(f"quyet-dinh.{ext}", lambda k=kind: _executable(k)),
            NOT_ACCEPTED,
            NOT_EXCEL,
        )
        for kind in ("elf", "pe")
        for ext in ("pdf", "docx", "xlsx")
    ),
    Case(
        "script-as-pdf", _fixed("bao-cao.pdf", b"#!/bin/sh\ncurl x | sh\n"), NOT_ACCEPTED, NOT_EXCEL
    ),
    Case(
        "html-with-script-as-pdf",
        _fixed("bao-cao.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        NOT_ACCEPTED,
        NOT_EXCEL,
    ),
    Case(
        "svg-with-script-as-pdf",
        _fixed(
            "bao-cao.pdf",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
            b"<script>alert(2)</script></svg>",
        ),
        NOT_ACCEPTED,
        NOT_EXCEL,
    ),
    Case(
        "ole-as-docx",
        _fixed("hop-dong.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1536),
        LEGACY,
    ),
    Case(
        "ole-as-xlsx",
        _fixed("don-vi.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1536),
        LEGACY,
    ),
    Case("empty-file", _fixed("trong.pdf", b""), "Tập tin được gửi là rỗng"),
    Case("oversized", _oversized, "Tệp quá lớn"),
    Case(
        "pdf-truncated",
        _lazy("cat.pdf", lambda: _pdf(3)[: len(_pdf(3)) // 2]),
        BROKEN_PDF,
        NOT_EXCEL,
    ),
    Case("pdf-header-only", _fixed("dau.pdf", b"%PDF-1.7\n"), BROKEN_PDF, NOT_EXCEL),
    Case(
        "pdf-garbage-after-header",
        _fixed("rac.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"),
        BROKEN_PDF,
        NOT_EXCEL,
    ),
    Case("pdf-without-pages", _lazy("rong.pdf", lambda: _pdf(0)), "không có trang nào", NOT_EXCEL),
    Case(
        "pdf-with-password",
        _lazy("mat-khau.pdf", lambda: _pdf(1, "bi-mat")),
        "đặt mật khẩu",
        NOT_EXCEL,
    ),
    Case("pdf-zip-polyglot", _lazy("lai.pdf", lambda: _polyglot(False)), "tệp lai", NOT_EXCEL),
    Case("pdf-zip-polyglot-eof", _lazy("lai.pdf", lambda: _polyglot(True)), "tệp lai", NOT_EXCEL),
    *_archive_cases("docx"),
    *_archive_cases("xlsx"),
    Case("name-double-extension", _named("bao-cao.{ext}.exe"), "đuôi “.exe”"),
    Case("name-right-to-left-override", _named("bao-cao\u202e{rev}.exe"), "đuôi “.exe”"),
    Case("name-null-byte", _named("bao-cao.{ext}\x00.exe"), "đuôi “.exe”"),
]


# --- the entry points ---------------------------------------------------------------------

BOUNDARY = "UploadCorpusBoundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def _multipart(fields: dict, file_field: str, name: str, content: bytes) -> bytes:
    """The body a browser (or an attacker's script) sends, the file name exactly as given:
    the test client would cut it to its basename first."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
        if value is not None
    ]
    disposition = f'form-data; name="{file_field}"; filename="{name}"'
    parts.append(
        f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join([*parts, f"--{BOUNDARY}--\r\n".encode()])


def _document_fields() -> dict:
    return {
        "area": area(DISTRICT_A).pk,
        "kind": "plan",
        "number": "12-KH/BCĐ",
        "issued_on": "2024-02-20",
        "issuer": "Ban Chỉ đạo thành phố Hạ Long",
        "summary": "Kế hoạch thực hiện dân chủ ở cơ sở năm 2024",
    }


def _formset(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": initial}
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


NEW_MEMBER = {
    "full_name": "Đinh Thị Ngọc",
    "position": "Trưởng Ban Dân vận",
    "committee_role": "member",
}


def _establish_fields() -> dict:
    return {
        "committee-area": area(DISTRICT_A).pk,
        "committee-name": "Ban Chỉ đạo thực hiện dân chủ ở cơ sở thành phố Hạ Long",
        "committee-standing_body": "Ban Dân vận Thành ủy",
        "decision-number": "412-QĐ/ThU",
        "decision-signed_on": "2023-05-04",
        **_formset("new", [{**NEW_MEMBER, "committee_role": "head"}]),
    }


def _consolidate_fields(world) -> dict:
    return {
        "decision-number": "87-QĐ/ThU",
        "decision-signed_on": "2024-08-20",
        **_formset("current", [], initial=0),
        **_formset("new", [NEW_MEMBER]),
    }


def _admin_fields(response) -> dict:
    """The admin change form as the page shows it, ready to post back unchanged."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(k): management[k].value() for k in management.fields})
        forms += inline.formset.forms
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            widgets = getattr(field.widget, "widgets", None)
            if widgets:
                for n, part in enumerate(field.widget.decompress(value)):
                    data[f"{form.add_prefix(name)}_{n}"] = part
            elif value is True:
                data[form.add_prefix(name)] = "on"
            elif value not in (None, False):
                data[form.add_prefix(name)] = value
    return data


def _admin_send(world, url: str, prefix: str, row: dict, name: str, content: bytes):
    """Post the admin change form back with one inline row changed to carry the file."""
    page = world.admin.get(url)
    data = _admin_fields(page)
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    n = row.pop("_index", total)
    if n == total:
        data[f"{prefix}-TOTAL_FORMS"] = total + 1
    data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    body = _multipart(data, f"{prefix}-{n}-file", name, content)
    response = world.admin.generic("POST", url, body, content_type=MULTIPART)
    world.admin_row = n
    return response


def _form_errors(form_key: str, field: str = "file"):
    def errors(world, response) -> list[str]:
        assert response.status_code == 200, response.status_code
        return list(response.context[form_key].errors.get(field, []))

    return errors


def _api_errors(world, response) -> list[str]:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    return response.json().get("file", [])


def _message_errors(world, response) -> list[str]:
    assert response.status_code == 302, response.status_code
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def _admin_errors(prefix: str):
    def errors(world, response) -> list[str]:
        assert response.status_code == 200, response.status_code
        for inline in response.context["inline_admin_formsets"]:
            if inline.formset.prefix == prefix:
                return list(inline.formset.forms[world.admin_row].errors.get("file", []))
        raise AssertionError(f"no inline {prefix}")

    return errors


@dataclass(frozen=True)
class EntryPoint:
    """A way to upload: how to send a file, how to read the refusal, where a kept file goes."""

    id: str
    send: Callable
    errors: Callable
    stored_under: str | None = "documents"
    is_import: bool = False
    accepted: int = 302  # the status of a successful upload


def _post(client, url: str, fields: dict, field: str, name: str, content: bytes):
    return client.generic(
        "POST", url, _multipart(fields, field, name, content), content_type=MULTIPART
    )


def _patch(client, url: str, name: str, content: bytes):
    return client.generic(
        "PATCH", url, _multipart({}, "file", name, content), content_type=MULTIPART
    )


ENTRY_POINTS = [
    EntryPoint(
        "web-document-new",
        lambda w, n, c: _post(w.user, "/documents/new/", _document_fields(), "file", n, c),
        _form_errors("form"),
    ),
    EntryPoint(
        "web-document-edit",
        lambda w, n, c: _post(
            w.user, f"/documents/{w.document.pk}/edit/", _document_fields(), "file", n, c
        ),
        _form_errors("form"),
    ),
    EntryPoint(
        "api-document-create",
        lambda w, n, c: _post(w.user, "/api/v1/documents/", _document_fields(), "file", n, c),
        _api_errors,
        accepted=201,
    ),
    EntryPoint(
        "api-document-patch",
        lambda w, n, c: _patch(w.user, f"/api/v1/documents/{w.document.pk}/", n, c),
        _api_errors,
        accepted=200,
    ),
    EntryPoint(
        "web-committee-establish",
        lambda w, n, c: _post(
            w.user, "/committees/new/", _establish_fields(), "decision-file", n, c
        ),
        _form_errors("decision_form"),
        stored_under="decisions",
    ),
    EntryPoint(
        "web-committee-consolidate",
        lambda w, n, c: _post(
            w.user,
            f"/committees/{w.committee.pk}/consolidate/",
            _consolidate_fields(w),
            "decision-file",
            n,
            c,
        ),
        _form_errors("decision_form"),
        stored_under="decisions",
    ),
    EntryPoint(
        "api-decision-patch",
        lambda w, n, c: _patch(w.user, f"/api/v1/committee-decisions/{w.decision.pk}/", n, c),
        _api_errors,
        stored_under="decisions",
        accepted=200,
    ),
    EntryPoint(
        "web-petition-document",
        lambda w, n, c: _post(
            w.user,
            f"/petitions/{w.petition.pk}/documents/",
            {"title": "Quyết định số 12"},
            "file",
            n,
            c,
        ),
        _message_errors,
        stored_under="petitions",
    ),
    EntryPoint(
        "web-unit-import",
        lambda w, n, c: _post(w.user, "/units/import/", {}, "file", n, c),
        _form_errors("form"),
        stored_under=None,
        is_import=True,
    ),
    EntryPoint(
        "admin-decision-inline",
        lambda w, n, c: _admin_send(
            w,
            f"/admin/committees/steeringcommittee/{w.committee.pk}/change/",
            "decisions",
            {"_index": 0},
            n,
            c,
        ),
        _admin_errors("decisions"),
        stored_under="decisions",
    ),
    EntryPoint(
        "admin-petition-document-inline",
        lambda w, n, c: _admin_send(
            w,
            f"/admin/inspections/petition/{w.petition.pk}/change/",
            "documents",
            {"title": "Quyết định số 12"},
            n,
            c,
        ),
        _admin_errors("documents"),
        stored_under="petitions",
    ),
]
STORING = [e for e in ENTRY_POINTS if e.stored_under]


@pytest.fixture(scope="module")
def _world_once(django_db_setup, django_db_blocker):
    """The records the uploads go to and the signed-in clients, made once for the module
    (every test rolls back to them)."""
    with kept_for_the_module(django_db_blocker):
        committee = SteeringCommitteeFactory(area=area(COMMUNE_A))
        MembershipFactory(
            committee=committee, committee_role="head", term_start=datetime.date(2023, 3, 15)
        )
        document = DocumentFactory(
            area=area(DISTRICT_A),
            number="1-KH/BCĐ",
            issued_on=datetime.date(2024, 1, 5),
            issuer="Ban Chỉ đạo thành phố Hạ Long",
            summary="Kế hoạch năm 2024",
        )
        petition = PetitionFactory(
            area=area(DISTRICT_A),
            channel="post",
            received_on=datetime.date(2025, 3, 2),  # Hạ Long was a district until 30/06/2025
            subject="Khiếu nại về bồi thường đất",
            handling_body="UBND thành phố",
        )
        clients = {}
        for key in ("secretariat_a", "administrator"):
            clients[key] = Client()
            clients[key].force_login(
                personas.make(key), backend="django.contrib.auth.backends.ModelBackend"
            )
        yield SimpleNamespace(
            user=clients["secretariat_a"],
            admin=clients["administrator"],
            committee=committee,
            decision=committee.decisions.get(),
            document=document,
            petition=petition,
        )


@pytest.fixture
def world(_world_once, db):
    return SimpleNamespace(**vars(_world_once))


TRACKED = [
    Document,
    CommitteeDecision,
    SteeringCommittee,
    Membership,
    Petition,
    PetitionDocument,
    MemberUnit,
]


def _snapshot(tmp_path) -> dict:
    """Every row and history row of the models an upload can touch, and every file the
    test has on disk (MEDIA_ROOT is tmp_path/media; anything elsewhere in tmp_path would
    be a file that escaped it)."""
    return {
        "rows": {m.__name__: list(m.objects.order_by("pk").values()) for m in TRACKED},
        "history": {m.__name__: m.history.count() for m in TRACKED},
        "files": sorted(
            str(p.relative_to(tmp_path)) + ("/" if p.is_dir() else "") for p in tmp_path.rglob("*")
        ),
    }


def _new_files(before: dict, after: dict) -> list[str]:
    return sorted(f for f in set(after["files"]) - set(before["files"]) if not f.endswith("/"))


# --- the tests ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: c.id)
@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=lambda e: e.id)
def test_it_refuses_with_a_specific_message_and_stores_nothing(entry, case, world, tmp_path):
    name, content = case.build(entry)
    before = _snapshot(tmp_path)
    response = entry.send(world, name, content)
    errors = entry.errors(world, response)
    assert any(case.expected(entry) in error for error in errors), errors
    assert _snapshot(tmp_path) == before


VALID = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx}


@pytest.mark.parametrize("ext", VALID)
@pytest.mark.parametrize("entry", STORING, ids=lambda e: e.id)
def test_it_keeps_a_real_file_under_its_own_name(entry, ext, world, tmp_path):
    name = f"Kế hoạch số 12-KH.{ext}"
    before = _snapshot(tmp_path)
    response = entry.send(world, name, VALID[ext]())
    assert response.status_code == entry.accepted, response.content[:1000]
    (stored,) = _new_files(before, _snapshot(tmp_path))
    assert re.fullmatch(rf"media/{entry.stored_under}/\d{{4}}/[0-9a-f]{{32}}\.{ext}", stored)
    assert (tmp_path / stored).read_bytes() == VALID[ext]()


def test_the_import_accepts_a_real_sheet(world, tmp_path):
    (entry,) = [e for e in ENTRY_POINTS if e.is_import]
    before = _snapshot(tmp_path)
    response = entry.send(world, "don-vi.xlsx", _xlsx())
    assert response.status_code == 302
    assert MemberUnit.objects.get().name == UNIT[1]
    assert _new_files(before, _snapshot(tmp_path)) == []


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\quyet-dinh.pdf", "quyet-dinh.pdf"),
        ("Quyết định " * 20 + ".pdf", "Quyết định " * 20 + ".pdf"),
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
    ],
    ids=["unix-path", "windows-path", "long-vietnamese-name", "name-over-255"],
)
@pytest.mark.parametrize("entry", STORING, ids=lambda e: e.id)
def test_the_uploaders_name_is_only_shown_never_a_path(entry, sent, kept, world, tmp_path):
    """Django cuts a path in the name to its last part, and a name to 255 characters
    keeping its extension, before the portal sees it; a long name is fine. Either way the
    name is only shown: the disk gets the portal's own."""
    before = _snapshot(tmp_path)
    response = entry.send(world, sent, _pdf())
    assert response.status_code == entry.accepted, response.content[:1000]
    (stored,) = _new_files(before, _snapshot(tmp_path))
    assert re.fullmatch(rf"media/{entry.stored_under}/\d{{4}}/[0-9a-f]{{32}}\.pdf", stored)
    models = (Document, CommitteeDecision, PetitionDocument)
    assert kept in {row.original_name for model in models for row in model.objects.all()}
