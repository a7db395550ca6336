"""Importing member units from an XLSX sheet: every row is checked, and nothing is saved
unless every row is valid. Errors name the row and the column, in Vietnamese.

The sheet's columns are those of the list's Excel export (``kinds.MEMBER_UNIT``), so a
secretariat can export, edit in Excel and import back. A unit is matched on (area code,
name): a known unit is updated, a new one created. A day in the conference or dialogue
column is an event of the unit (``UnitEvent``), added unless the unit has that event on
that day already: importing the export again adds nothing, and never removes an event.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import load_workbook

from ..models import Area, MemberUnit, UnitEvent, UnitEventKind, UnitKind
from ..platform.history import bulk_create_with_history, bulk_update_with_history
from ..platform.records import area_choices
from ..platform.uploads import OLE_MAGIC, check_name, check_not_legacy_office, check_office_archive

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a zip bomb unpacks to far more than it weighs
MAX_ROWS = 5000
ZIP_MAGIC = b"PK\x03\x04"

# Header in the sheet → model field. A header is recognised in Vietnamese and in the
# language of the page (the export writes headers in the user's language).
COLUMNS = {
    gettext_noop("Mã địa bàn"): "area",
    gettext_noop("Tên đơn vị"): "name",
    gettext_noop("Loại hình"): "kind",
    gettext_noop("Đã ban hành quy chế"): "regulation_issued",
    gettext_noop("Ngày ban hành quy chế"): "regulation_date",
    gettext_noop("Hội nghị CBCC, NLĐ"): UnitEventKind.CONFERENCE,
    gettext_noop("Đối thoại tại nơi làm việc"): UnitEventKind.DIALOGUE,
    gettext_noop("Ngày thành lập"): "established_on",
    gettext_noop("Ngày giải thể, sáp nhập"): "dissolved_on",
}
REQUIRED = ("area", "name", "kind")
UPDATED_FIELDS = ["kind", "regulation_issued", "regulation_date", "established_on", "dissolved_on"]
YES = {"có", "co", "x", "yes", "true", "1", "đã ban hành"}
NO = {"không", "khong", "chưa", "chua", "no", "false", "0", ""}


class ImportRefused(Exception):
    """The file as a whole cannot be read; the message says why."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    events: int = 0
    errors: list[RowError] = field(default_factory=list)


def _check_file(upload: IO[bytes], size: int) -> None:
    """The checks of every upload (platform/uploads.py), with the import's own limits; the
    contents are checked before the name, which a .docx would fail for the wrong reason."""
    if size > MAX_BYTES:
        raise ImportRefused(_("Tệp quá lớn: tối đa 5 MB."))
    upload.seek(0)
    head = upload.read(len(OLE_MAGIC))
    try:
        check_not_legacy_office(head)
        if not head.startswith(ZIP_MAGIC):
            raise ImportRefused(_("Tệp không phải là bảng tính Excel (.xlsx)."))
        check_office_archive(upload, "xlsx", max_unpacked=MAX_UNPACKED_BYTES)
        check_name(getattr(upload, "name", None) or "", "xlsx")
    except ValidationError as exc:
        raise ImportRefused(exc.messages[0]) from exc
    upload.seek(0)


def _read_rows(upload: IO[bytes]) -> list[tuple[Any, ...]]:
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                raise ImportRefused(
                    _("Tệp có quá nhiều dòng: tối đa %(n)s dòng.") % {"n": MAX_ROWS}
                )
        book.close()
    except ImportRefused:
        raise
    except Exception as exc:  # openpyxl raises many kinds of errors on a broken file
        raise ImportRefused(_("Tệp Excel bị hỏng, không đọc được.")) from exc
    return rows


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _area(value: Any, areas: dict[str, Area]) -> Area:
    code = _text(value)
    # A code typed as a number loses its leading zeros in Excel (06649 → 6649).
    for candidate in (code, code.zfill(2), code.zfill(3), code.zfill(5)):
        if candidate in areas:
            return areas[candidate]
    raise ValidationError(
        _("Không có địa bàn mã “%(code)s” trong phạm vi của bạn.") % {"code": code}
    )


def _kind(value: Any) -> str:
    text = _text(value).lower()
    for choice, label in UnitKind.choices:
        if text in {choice, str(label).lower()}:
            return choice
    labels = ", ".join(str(label) for label in UnitKind.labels)
    raise ValidationError(
        _("Loại hình không hợp lệ. Dùng một trong: %(labels)s.") % {"labels": labels}
    )


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValidationError(_("Ghi “Có” hoặc “Không”."))


def _date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.strptime(_text(value), "%d/%m/%Y").date()
    except ValueError as exc:
        raise ValidationError(
            _("Ngày không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 19/12/2024.")
        ) from exc


PARSERS = {
    "kind": _kind,
    "name": lambda v: _text(v),
    "regulation_issued": _bool,
    "regulation_date": _date,
    "established_on": _date,
    "dissolved_on": _date,
    UnitEventKind.CONFERENCE: _date,
    UnitEventKind.DIALOGUE: _date,
}


def _header_map(header: tuple[Any, ...]) -> tuple[dict[str, int], list[RowError]]:
    names = {label.lower(): name for label, name in COLUMNS.items()}
    names.update({_(label).lower(): name for label, name in COLUMNS.items()})
    positions = {
        names[_text(h).lower()]: i for i, h in enumerate(header) if _text(h).lower() in names
    }
    labels = {name: _(label) for label, name in COLUMNS.items()}
    missing = [RowError(1, labels[n], _("Thiếu cột này.")) for n in REQUIRED if n not in positions]
    return positions, missing


def _parse_row(row, positions, areas, labels) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    values: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for name, index in positions.items():
        raw = row[index] if index < len(row) else None
        try:
            values[name] = _area(raw, areas) if name == "area" else PARSERS[name](raw)
        except ValidationError as exc:
            errors.append((labels[name], exc.messages[0]))
    for name in REQUIRED:
        if name in positions and not errors and not values.get(name):
            errors.append((labels[name], _("Không được để trống.")))
    return values, errors


def _row_errors(unit: MemberUnit, events: dict[str, datetime.date], labels) -> list[tuple]:
    """What the unit's own rules say of a row (``MemberUnit.clean``), and of its events'
    days (``MemberUnit.event_day_error``), by column."""
    errors = []
    try:
        unit.clean_fields()
        unit.clean()
    except ValidationError as exc:
        errors += [(labels.get(n, n), messages[0]) for n, messages in exc.message_dict.items()]
    if errors:
        return errors
    for kind, day in events.items():
        message = unit.event_day_error(day)
        if message:
            errors.append((labels[kind], message))
    return errors


def _new_events(planned: list[tuple[MemberUnit, dict]]) -> list[UnitEvent]:
    """The rows' events their units do not have yet (one query)."""
    units = [unit for unit, events in planned if events]
    known = set(UnitEvent.objects.filter(unit__in=units).values_list("unit_id", "kind", "held_on"))
    return [
        UnitEvent(unit=unit, kind=kind, held_on=day)
        for unit, events in planned
        for kind, day in events.items()
        if (unit.pk, kind, day) not in known
    ]


@transaction.atomic
def member_units_import(*, upload: IO[bytes], size: int, actor) -> ImportResult:
    """Check every row of the sheet; save all of them, or none and say what is wrong."""
    _check_file(upload, size)
    rows = _read_rows(upload)
    if not rows:
        raise ImportRefused(_("Bảng tính trống."))
    positions, header_errors = _header_map(rows[0])
    result = ImportResult(errors=header_errors)
    if header_errors:
        return result
    labels = {name: _(label) for label, name in COLUMNS.items()}
    # Where a code was reused, the unit it means today (``Area.objects.for_code``).
    areas = Area.objects.filter(pk__in=area_choices(actor).values("pk")).by_code()
    existing = {
        (u.area_id, u.name.lower()): u
        for u in MemberUnit.objects.editable_by(actor).filter(area__in=list(areas.values()))
    }
    planned, seen = [], set()
    for number, row in enumerate(rows[1:], start=2):
        if all(_text(v) == "" for v in row):
            continue
        values, errors = _parse_row(row, positions, areas, labels)
        result.errors += [RowError(number, column, message) for column, message in errors]
        if errors:
            continue
        key = (values["area"].pk, values["name"].lower())
        if key in seen:
            result.errors.append(
                RowError(number, labels["name"], _("Đơn vị này đã có ở một dòng trên."))
            )
            continue
        seen.add(key)
        days = {kind: values.pop(kind, None) for kind in UnitEventKind.values}
        events = {kind: day for kind, day in days.items() if day is not None}
        unit = existing.get(key) or MemberUnit()
        for name, value in values.items():
            setattr(unit, name, value)
        if unit.regulation_date and not unit.regulation_issued:
            result.errors.append(
                RowError(
                    number,
                    labels["regulation_issued"],
                    _("Có ngày ban hành quy chế thì phải ghi “Có” ở cột này."),
                )
            )
            continue
        errors = _row_errors(unit, events, labels)
        result.errors += [RowError(number, column, message) for column, message in errors]
        if not errors:
            planned.append((unit, events))
    if result.errors:
        return result
    to_create = [unit for unit, _events in planned if not unit.pk]
    to_update = [unit for unit, _events in planned if unit.pk]
    bulk_create_with_history(to_create, MemberUnit, actor=actor)
    if to_update:
        bulk_update_with_history(to_update, MemberUnit, UPDATED_FIELDS, actor=actor)
    events = bulk_create_with_history(_new_events(planned), UnitEvent, actor=actor)
    result.created, result.updated, result.events = len(to_create), len(to_update), len(events)
    return result
