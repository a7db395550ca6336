"""Checking an uploaded file by its content, never by its name.

Accepted: PDF, DOCX, XLSX and images (PNG, JPEG). The type comes from the file's bytes
(the ``filetype`` library reads the magic numbers and, for Office files, the archive's
parts). An Office file must be a sound package of its kind: its main part, no macros, no
password, no path that climbs out of the package, not too many parts, and it must not
unpack to far more than it weighs (a zip bomb; an archive inside counts with what it
unpacks to). A PDF must end like a PDF, open in pypdf, have pages, and not also be an
archive (a polyglot). The uploader's name is kept for display only, and refused when it
would mislead whoever downloads the file (``quyet-dinh.pdf.exe``). Files are stored
under a name the portal chooses, outside the web root, and served only by views that
check scope.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import uuid
import zipfile
import zlib

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import DependencyError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 1000  # a long report full of pictures has a few hundred parts
ACCEPTED = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "image/png": "png",
    "image/jpeg": "jpg",
}
ZIPPED = {"docx", "xlsx"}
LABELS = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel", "png": "PNG", "jpg": "JPEG"}
# The extensions a file's name may end with, for each type it really is.
NAME_EXTENSIONS = {
    "pdf": {"pdf"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "png": {"png"},
    "jpg": {"jpg", "jpeg", "jpe", "jfif"},
}
MAIN_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
# The compound-file format of .doc and .xls, which Word and Excel also use to wrap a
# .docx or .xlsx protected by a password.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EXTENSION = re.compile(r"\.([a-z0-9]*[a-z][a-z0-9]*)$", re.IGNORECASE)
# What zipfile and zlib raise on a damaged or crafted archive.
ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    struct.error,
    zlib.error,
)


def checked_extension(upload: UploadedFile) -> str:
    """The file's real extension, or a ValidationError saying why it is refused."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("Tệp quá lớn: tối đa 10 MB."), code="too_large")
    upload.seek(0)
    head = upload.read(8192)
    check_not_legacy_office(head)
    kind = filetype.guess(head) if head else None
    if kind is None or kind.mime not in ACCEPTED:
        raise ValidationError(
            _(
                "Chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx) hoặc ảnh PNG, JPEG; "
                "nội dung tệp này không thuộc loại nào trong số đó."
            ),
            code="type",
        )
    extension = ACCEPTED[kind.mime]
    if extension in ZIPPED:
        check_office_archive(upload, extension)
    if extension == "pdf":
        _check_pdf(upload)
    check_name(upload.name, extension)
    upload.seek(0)
    return extension


def check_not_legacy_office(head: bytes) -> None:
    """Refuse the old Office format: the portal cannot look inside it, nor inside the
    password-protected .docx or .xlsx that Word and Excel write in it."""
    if head.startswith(OLE_MAGIC):
        raise ValidationError(
            _(
                "Tệp Word/Excel dạng cũ (.doc, .xls) hoặc đã đặt mật khẩu: hãy lưu lại "
                "thành .docx, .xlsx không đặt mật khẩu rồi tải lên."
            ),
            code="legacy_office",
        )


def check_name(name: str, extension: str) -> None:
    """The uploader's name is shown and offered on download, never used on disk; refuse
    one that would mislead whoever downloads the file. (Django has already cut it to its
    last path component and to 255 characters, and dropped most control characters.)"""
    # Control and format characters include U+202E, which shows "fdp.exe" as "exe.pdf".
    if any(c in "/\\" or unicodedata.category(c).startswith("C") for c in name):
        raise ValidationError(
            _(
                "Tên tệp chứa ký tự không được phép (ký tự điều khiển, ký tự đảo chiều "
                "chữ, dấu “/” hoặc “\\”); hãy đổi tên tệp rồi tải lên."
            ),
            code="name_characters",
        )
    given = EXTENSION.search(name.rstrip(". "))
    if given and given.group(1).lower() not in NAME_EXTENSIONS[extension]:
        raise ValidationError(
            _(
                "Tên tệp có đuôi “.%(given)s” nhưng nội dung là tệp %(kind)s; "
                "hãy đổi lại đuôi “.%(expected)s” rồi tải lên."
            )
            % {"given": given.group(1), "kind": LABELS[extension], "expected": extension},
            code="name_extension",
        )


def check_office_archive(
    upload: UploadedFile, extension: str, max_unpacked: int = MAX_UNPACKED_BYTES
) -> None:
    """Refuse an Office file that is not a sound package of its kind (see the module)."""
    label = LABELS[extension]
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            spent = _check_headers(archive.infolist(), label, max_unpacked, 0)
            _check_package(archive, extension, label)
            _read_members(archive, label, max_unpacked, spent)
    except ARCHIVE_ERRORS as exc:
        raise ValidationError(
            _("Tệp %(kind)s bị hỏng, không đọc được.") % {"kind": label}, code="broken"
        ) from exc
    upload.seek(0)


def _check_headers(infos: list[zipfile.ZipInfo], label: str, limit: int, spent: int) -> int:
    """What the archive's directory says, before anything is unpacked: the number of
    parts, their paths, passwords, and the total they unpack to (returned)."""
    if len(infos) > MAX_MEMBERS:
        raise ValidationError(
            _("Tệp %(kind)s chứa quá nhiều thành phần (hơn %(n)s), nghi là tệp độc hại.")
            % {"kind": label, "n": MAX_MEMBERS},
            code="members",
        )
    if any(_climbs_out(info.filename) for info in infos):
        raise ValidationError(
            _("Tệp %(kind)s chứa thành phần có đường dẫn không hợp lệ, nghi là tệp độc hại.")
            % {"kind": label},
            code="path",
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise ValidationError(
            _("Tệp %(kind)s đã đặt mật khẩu: hãy bỏ mật khẩu rồi tải lên.") % {"kind": label},
            code="password",
        )
    unpacked = sum(info.file_size for info in infos)
    if spent + unpacked > limit:
        raise ValidationError(
            _("Tệp %(kind)s giải nén quá lớn: hơn %(mb)s MB (nghi là tệp độc hại).")
            % {"kind": label, "mb": limit // (1024 * 1024)},
            code="zip_bomb",
        )
    return unpacked


def _climbs_out(name: str) -> bool:
    return name.startswith(("/", "\\")) or "\\" in name or ".." in name.split("/") or ":" in name


def _check_package(archive: zipfile.ZipFile, extension: str, label: str) -> None:
    """The parts a document of its kind is built on, and no macros."""
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names or MAIN_PARTS[extension] not in names:
        raise ValidationError(
            _("Tệp không phải là tệp %(kind)s hợp lệ: thiếu phần nội dung chính.")
            % {"kind": label},
            code="package",
        )
    with archive.open("[Content_Types].xml") as types:
        macros = b"macroEnabled" in types.read(MAX_UPLOAD_BYTES)
    if macros or any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError(
            _("Tệp %(kind)s có chứa macro; chỉ nhận tệp .docx, .xlsx không có macro.")
            % {"kind": label},
            code="macros",
        )


def _read_members(
    archive: zipfile.ZipFile, label: str, limit: int, spent: int, nested: bool = False
) -> None:
    """Unpack every part once (zipfile checks each CRC). An archive inside (a chart's
    data, an embedded sheet) counts with what it unpacks to, and may not hold another."""
    for info in archive.infolist():
        with archive.open(info) as member:
            head = member.read(len(ZIP_MAGIC))
            if head == ZIP_MAGIC and nested:
                raise ValidationError(
                    _("Tệp %(kind)s chứa tệp nén lồng nhiều lớp, nghi là tệp độc hại.")
                    % {"kind": label},
                    code="nested",
                )
            if head == ZIP_MAGIC:
                with zipfile.ZipFile(io.BytesIO(head + member.read())) as inner:
                    spent += _check_headers(inner.infolist(), label, limit, spent)
                    _read_members(inner, label, limit, spent, nested=True)
            else:
                while member.read(1024 * 1024):
                    pass


def _check_pdf(upload: UploadedFile) -> None:
    upload.seek(0)
    if _is_archive(upload):
        raise ValidationError(
            _("Tệp PDF có ghép thêm một tệp nén (tệp lai), không được nhận."), code="polyglot"
        )
    broken = ValidationError(_("Tệp PDF bị hỏng hoặc không đầy đủ."), code="broken")
    upload.seek(max(upload.size - 1024, 0))
    tail = upload.read()
    end = tail.rfind(b"%%EOF")
    if end < 0 or tail[end + 5 :].strip(b" \t\r\n\0"):
        raise broken
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        locked = reader.is_encrypted and not reader.decrypt("")
        pages = 0 if locked else len(reader.pages)
    except DependencyError:  # AES needs a cryptography library the portal does without
        locked = True
    except Exception as exc:  # pypdf raises many kinds of errors on a broken file
        raise broken from exc
    if locked:
        raise ValidationError(
            _("Tệp PDF đã đặt mật khẩu hoặc mã hóa: hãy lưu bản không mã hóa rồi tải lên."),
            code="password",
        )
    if not pages:
        raise ValidationError(_("Tệp PDF không có trang nào."), code="empty")


def _is_archive(upload: UploadedFile) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            return bool(archive.infolist())
    except ARCHIVE_ERRORS:
        return False


def stored_name(extension: str) -> str:
    """A name the portal chooses: the uploader's file name never reaches the disk."""
    return f"{uuid.uuid4().hex}.{extension}"


def accept_upload(upload, instance) -> object:
    """Check a form's new upload and give it the portal's name, keeping the original name
    on ``instance.original_name``; the stored file (no new upload) passes unchanged."""
    if upload and hasattr(upload, "content_type"):
        extension = checked_extension(upload)
        instance.original_name = upload.name[:255]
        upload.name = stored_name(extension)
    return upload


class CheckedFileMixin:
    """A model form's ``file``, checked and renamed by ``accept_upload``. The uploader's
    name may be as long as ``original_name`` keeps: the model field's own limit is that
    of the stored path, which the portal chooses."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].max_length = None

    def clean_file(self):
        return accept_upload(self.cleaned_data.get("file"), self.instance)


class CheckedFileForm(CheckedFileMixin, forms.ModelForm):
    """The admin's inline form for a record with a file: the same checks as the pages."""


def download_response(record) -> FileResponse:
    """A record's attached file as a download under the uploader's name; 404 when none.
    The caller has already checked that the user may see the record."""
    if not record.file:
        raise Http404
    name = record.original_name or record.file.name.rsplit("/", 1)[-1]
    return FileResponse(record.file.open("rb"), as_attachment=True, filename=name)
