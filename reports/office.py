"""Reports as XLSX (openpyxl) and DOCX (python-docx), from the same content as the PDF.

The workbook holds the figures and the annex by area with every indicator, numbers as
numbers, a header row and frozen panes; no cell text can start a formula. The Word file
is the report itself, editable: secretariats correct it before it is signed.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from committees.platform.xlsx import sheets_bytes
from committees.templatetags.portal import portal_number

from .pdf import annex_columns, annex_note, date_line, number_line

FONT = "Times New Roman"  # Word's own Times; the PDF ships its metric twin


def _number(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def render_xlsx(content: dict) -> bytes:
    """The figures (a row per indicator, under Vietnamese headers; the catalogue's code
    last, hidden — a reader has the indicator's name, a re-import its code) and the annex
    by area."""
    with translation.override("vi"):
        year, previous = content["year"], content.get("previous_year")
        headers = [_("STT"), _("Chỉ tiêu"), _("Đơn vị tính"), _("Năm %s") % year]
        if previous:
            headers.append(_("Năm %s") % previous)
        code = _("Mã chỉ tiêu")
        headers += [_("Nhóm chỉ tiêu"), code]
        figures = [
            [n, row["label"], row["unit"], _number(row["value"])]
            + ([_number(row["previous"])] if previous else [])
            + [section["title"], row["code"]]
            for n, (section, row) in enumerate(
                ((section, row) for section in content["sections"] for row in section["rows"]),
                start=1,
            )
        ]
        sheets = [(_("Số liệu"), headers, figures)]
        annex = content.get("annex")
        if annex:
            columns = annex["columns"]
            sheets.append(
                (
                    _("Phụ lục theo địa bàn"),
                    [_("STT"), annex["area_label"]]
                    + [f"{c['label']} ({c['unit']})" if c["unit"] else c["label"] for c in columns],
                    [
                        [n, row["name"], *[_number(v) for v in row["values"]]]
                        for n, row in enumerate(annex["rows"], start=1)
                    ]
                    + [[None, _("Tổng cộng"), *[_number(v) for v in annex["total"]]]],
                )
            )
        if content.get("window"):
            # What the figures count, beside them: a reader of the workbook alone sees it.
            notes = [[content["window"] + "."]]
            if content.get("sources"):
                notes.append([content["sources"]])
            sheets.append((_("Ghi chú"), [_("Ghi chú")], notes))
        return sheets_bytes(sheets, freeze="C2", hidden={code})


def _paragraph(document, text: str = "", *, bold=False, italic=False, size=14, align=None,
               indent=False, underline=False):  # fmt: skip
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.paragraph_format.space_after = Pt(4)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    run.font.name = FONT
    return paragraph


def _cell(cell, text: str, *, bold=False, italic=False, underline=False, size=13,
          align=WD_ALIGN_PARAGRAPH.CENTER):  # fmt: skip
    paragraph = cell.add_paragraph() if cell.paragraphs[0].text else cell.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    run.font.name = FONT


def _table(document, headers: list[str], rows: list[list[str]], *, size=11, bold_rows=()):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, header, bold=True, size=size)
    # Word repeats a row marked as a header row on every page.
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)
    for n, row in enumerate(rows):
        cells = table.add_row().cells
        for k, (cell, text) in enumerate(zip(cells, row, strict=True)):
            align = WD_ALIGN_PARAGRAPH.LEFT if k == 1 else WD_ALIGN_PARAGRAPH.CENTER
            if k > 1 and (text[:1].isdigit() or text == "—"):
                align = WD_ALIGN_PARAGRAPH.RIGHT
            _cell(cell, text, size=size, align=align, bold=n in bold_rows)
    return table


def render_docx(content: dict) -> bytes:
    with translation.override("vi"):
        return _docx(content)


def _page_number(section, size: int) -> None:
    """The page number centred in the header from the second page on, as in the PDF."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.name, run.font.size = FONT, Pt(size)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _docx(content: dict) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _page_number(section, 13)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    properties = document.core_properties
    properties.title = f"{content['title']} {content['subtitle']}"
    properties.subject = content["area"]
    properties.keywords = _("phiên bản dữ liệu %(version)s") % {
        "version": content.get("version", 0)
    }
    properties.author = "QCDC Portal"
    properties.comments = content.get("on_behalf") or ""

    # The same sizes as the PDF's header (static/css/document.css).
    heading = document.add_table(rows=1, cols=2)
    left, right = heading.rows[0].cells
    _cell(left, content["issuer"][0], size=14)
    _cell(left, content["issuer"][1], bold=True, size=14)
    _cell(left, "*", size=14)
    _cell(left, number_line(content), size=14)
    _cell(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, size=15)
    _cell(right, date_line(content), italic=True, size=14)

    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, content["title"], bold=True, size=16, align=center)
    _paragraph(document, content["subtitle"], bold=True, align=center)
    _paragraph(document, "-----", align=center)
    narrative = content.get("narrative") or []
    for n, part in enumerate(narrative):
        if part["number"] in ("a", "b"):
            heading = f"{part['number']}) {part['heading']}"
            _paragraph(document, heading, bold=True, italic=True, indent=True)
        else:
            _paragraph(document, f"{part['number']}. {part['heading']}", bold=True, indent=True)
        for text in part["paragraphs"]:
            _paragraph(document, text, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        if n == 1:
            _figures(document, content)
    if not narrative:
        _figures(document, content)

    closing = document.add_table(rows=1, cols=2)
    recipients, signature = closing.rows[0].cells
    _cell(recipients, _("Nơi nhận:"), bold=True, italic=True, underline=True, size=12,
          align=WD_ALIGN_PARAGRAPH.LEFT)  # fmt: skip
    for line in content["recipients"]:
        _cell(recipients, f"- {line}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in (*content["signer_lines"], "", "", "", content["signer"]):
        _cell(signature, line, bold=True, size=14)

    annex = content.get("annex")
    if annex:
        landscape = document.add_section()
        landscape.orientation = WD_ORIENT.LANDSCAPE
        landscape.page_width, landscape.page_height = Mm(297), Mm(210)
        landscape.left_margin, landscape.right_margin = Mm(20), Mm(15)
        landscape.top_margin, landscape.bottom_margin = Mm(20), Mm(15)
        landscape.different_first_page_header_footer = False
        _paragraph(document, _("PHỤ LỤC"), bold=True, align=center)
        _paragraph(document, annex["title"], bold=True, align=center)
        _paragraph(document, annex_note(content), italic=True, size=12, align=center)
        columns = annex_columns(annex)
        headers = [_("STT"), annex["area_label"]] + [
            f"{c['label']} ({c['unit']})" if c["unit"] else c["label"] for _n, c in columns
        ]
        rows = [
            [str(n), row["name"], *[portal_number(row["values"][k]) for k, _c in columns]]
            for n, row in enumerate(annex["rows"], start=1)
        ]
        rows.append(["", _("Tổng cộng"), *[portal_number(annex["total"][k]) for k, _c in columns]])
        _table(document, headers, rows, size=9, bold_rows=(len(rows) - 1,))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _figures(document, content: dict) -> None:
    if content.get("window"):
        _paragraph(document, content["window"] + ".", italic=True, size=12, indent=True)
    if content.get("sources"):
        _paragraph(document, content["sources"], italic=True, size=12, indent=True)
    previous = content.get("previous_year")
    headers = [_("STT"), _("Chỉ tiêu"), _("Đơn vị tính"), _("Năm %s") % content["year"]]
    if previous:
        headers.append(_("Năm %s") % previous)
    rows, bold = [], []
    for section in content["sections"]:
        bold.append(len(rows))
        rows.append(["", section["title"], "", ""] + ([""] if previous else []))
        for n, row in enumerate(section["rows"], start=1):
            rows.append(
                [str(n), row["label"], row["unit"], portal_number(row["value"])]
                + ([portal_number(row["previous"])] if previous else [])
            )
    _table(document, headers, rows, size=12, bold_rows=tuple(bold))
    if content.get("previous_note"):
        _paragraph(document, content["previous_note"], italic=True, size=12, indent=True)
    for text in content.get("texts") or []:
        _paragraph(document, text["heading"], bold=True, indent=True)
        for paragraph in text["paragraphs"]:
            _paragraph(document, paragraph, indent=True)
