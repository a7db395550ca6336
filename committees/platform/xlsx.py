"""XLSX exports: numbers stay numbers, and no cell text can become a formula."""

from __future__ import annotations

import datetime
import io
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# A spreadsheet treats text starting with these as a formula (or as DDE in old Excel);
# OWASP's CSV-injection advice: prefix such text with an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: object) -> object:
    """A cell value that a spreadsheet will show and never evaluate. Control characters
    that XML cannot hold are dropped first (they would stop the export, and dropping
    them must not uncover a formula)."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell_value(value: object) -> object:
    if value is None or isinstance(value, int | float | datetime.date | bool):
        return value
    if isinstance(value, Decimal):  # a figure stays a number: 8532, 55.6
        return int(value) if value == value.to_integral_value() else float(value)
    return neutralise(str(value))


Sheet = tuple[str, Sequence[str], Iterable[Sequence[object]]]


def workbook_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """One sheet: a bold header row, frozen under the header, then the rows."""
    return sheets_bytes([(title, headers, rows)])


def sheets_bytes(
    sheets: Sequence[Sheet], freeze: str = "A2", hidden: Collection[str] = ()
) -> bytes:
    """Sheets of (title, headers, rows), each with a bold header row and frozen panes.
    ``hidden``: the headers of columns a reader need not see (codes kept in the file for
    a machine, such as a re-import): hidden, not left out."""
    book = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        sheet.freeze_panes = freeze
        for n, header in enumerate(headers, start=1):
            if header in hidden:  # before any row: a write-only sheet writes them first
                sheet.column_dimensions[get_column_letter(n)].hidden = True
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=neutralise(str(header)))
            cell.font = Font(bold=True)
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=_cell_value(value))
                if isinstance(value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
