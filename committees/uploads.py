"""Checking an uploaded file by its content, never by its name.

Accepted: PDF, DOCX, XLSX and images (PNG, JPEG). The type comes from the file's bytes
(the ``filetype`` library reads the magic numbers and, for Office files, the archive's
parts); an Office file must also not unpack to far more than it weighs (a zip bomb), and
a PDF must end like a PDF. Files are stored under a name the portal chooses, outside the
web root, and served only by views that check scope.
"""

from __future__ import annotations

import uuid
import zipfile

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
ACCEPTED = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "image/png": "png",
    "image/jpeg": "jpg",
}
ZIPPED = {"docx", "xlsx"}


def checked_extension(upload: UploadedFile) -> str:
    """The file's real extension, or a ValidationError saying why it is refused."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("Tệp quá lớn: tối đa 10 MB."), code="too_large")
    upload.seek(0)
    head = upload.read(8192)
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
        _check_archive(upload)
    if extension == "pdf":
        _check_pdf(upload)
    upload.seek(0)
    return extension


def _check_archive(upload: UploadedFile) -> None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            broken = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ValidationError(_("Tệp Office bị hỏng, không đọc được."), code="broken") from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(_("Tệp giải nén quá lớn (nghi là tệp độc hại)."), code="zip_bomb")
    if broken is not None:
        raise ValidationError(_("Tệp Office bị hỏng, không đọc được."), code="broken")


def _check_pdf(upload: UploadedFile) -> None:
    upload.seek(max(upload.size - 2048, 0))
    if b"%%EOF" not in upload.read():
        raise ValidationError(_("Tệp PDF bị hỏng hoặc không đầy đủ."), code="broken")


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


def download_response(record) -> FileResponse:
    """A record's attached file as a download under the uploader's name; 404 when none.
    The caller has already checked that the user may see the record."""
    if not record.file:
        raise Http404
    name = record.original_name or record.file.name.rsplit("/", 1)[-1]
    return FileResponse(record.file.open("rb"), as_attachment=True, filename=name)
