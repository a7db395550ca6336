"""Reports as PDF (WeasyPrint), in the Party document layout of Hướng dẫn 36-HD/VPTW.

``render_report_pdf(content)`` is a pure function of a document's content (see
``reports.documents``). It is safe with any text a user typed: templates escape it, and
WeasyPrint fetches nothing but the project's own static files (``StaticFilesOnly``) —
no network, no ``file://``, no ``data:``. Its memory stays bounded however long the
annex: the body and each slice of the annex are rendered as separate documents, written
out, and joined page by page (pypdf). The slices are independent, so a long annex is
rendered by several processes at once (``QCDC_EXPORT_PROCESSES``); its page numbers are
stamped on after the join, when every slice's length is known.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import io
import mimetypes
import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import cssselect2
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    StreamObject,
)
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from committees.templatetags.portal import portal_number

from . import pdf_pool
from .charts import chart_svg
from .documents import ANNEX_KEY_CODES

# Documents resolve their relative URLs against this base; it is no real host, and the
# fetcher below answers it from the static files instead of the network.
STATIC_BASE = "https://static.qcdc.invalid/"


class StaticFilesOnly(URLFetcher):
    """A URL fetcher that serves the project's static files and refuses everything else
    (http(s) elsewhere, file://, data:), remembering what it refused."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=())
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = unquote(url.removeprefix(STATIC_BASE).split("?")[0].split("#")[0])
        if not url.startswith(STATIC_BASE) or posixpath.normpath(path) != path or ".." in path:
            self.refused.append(url)
            raise ValueError(f"Refused: {url[:200]}")
        found = finders.find(path)
        if not found and settings.STATIC_ROOT:
            candidate = Path(settings.STATIC_ROOT) / path
            found = str(candidate) if candidate.is_file() else None
        if not found:
            self.refused.append(url)
            raise ValueError(f"No such static file: {path}")
        mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": mime})


def date_line(content: dict) -> str:
    """ "Quảng Ninh, ngày 19 tháng 12 năm 2024"; days below 10 and months 1 and 2 take a
    leading zero. Without a date, the blanks a draft leaves for the signing day."""
    place = content["place"]
    if not content.get("date"):
        # Year-end reports are signed in December of their year.
        blank = "\u00a0" * 6
        return f"{place}, ngày{blank}tháng{blank}năm {content['year']}"
    day = datetime.date.fromisoformat(content["date"])
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_line(content: dict) -> str:
    return f"Số {content['number']}" if content["number"] else "Số" + "\u00a0" * 8 + "-BC/BCĐ"


def annex_note(content: dict) -> str:
    """ "(Kèm theo Báo cáo số 125-BC/BCĐ, ngày 19/12/2024 của Ban Chỉ đạo …)"."""
    number = _(" số %(number)s") % {"number": content["number"]} if content["number"] else ""
    day = ""
    if content.get("date"):
        day = _(", ngày %(day)s") % {
            "day": datetime.date.fromisoformat(content["date"]).strftime("%d/%m/%Y")
        }
    return _("(Kèm theo Báo cáo%(number)s%(day)s của Ban Chỉ đạo thực hiện dân chủ ở cơ sở)") % {
        "number": number,
        "day": day,
    }


def _context(content: dict) -> dict:
    return {
        "doc": content,
        "annex_note": annex_note(content),
        "date_line": date_line(content),
        "number_line": number_line(content),
        "charts": [
            {"title": chart["title"], "svg": chart_svg(chart)}
            for chart in content.get("charts", [])
        ],
    }


class _BuiltHTML(HTML):
    """An annex document handed to WeasyPrint as an element tree built here (``annex_tree``)
    rather than as markup for it to parse: the parser took a tenth of an annex page's
    rendering, and the tree is simple. ``HTML.__init__`` parses markup and sets exactly
    these attributes; ``test_pdf_parts`` checks that both ways print the same.

    An annex page holds some 300 table cells; matching each against WeasyPrint's default
    user-agent stylesheet (every HTML element there is) took a fifth of the rendering. These
    documents use a handful of elements, so they get a user-agent stylesheet of just those
    (``static/css/document-ua.css``, the same rules as WeasyPrint's)."""

    def __init__(self, root: ET.Element, fetcher: StaticFilesOnly) -> None:
        self.base_url = STATIC_BASE
        self.url_fetcher = fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [_annex_styles().user_agent]


@dataclass(frozen=True)
class _Styles:
    """The annex documents' stylesheets and fonts, parsed and loaded once per process
    rather than for each part."""

    fonts: FontConfiguration
    user_agent: CSS
    document: CSS


@functools.cache
def _annex_styles() -> _Styles:
    fetcher = StaticFilesOnly()
    fonts = FontConfiguration()
    user_agent = CSS(string=Path(finders.find("css/document-ua.css")).read_text())
    document = CSS(url=f"{STATIC_BASE}css/document.css", url_fetcher=fetcher, font_config=fonts)
    if fetcher.refused:
        # A vendored font or the stylesheet missing is a broken deployment, not a fallback.
        raise RuntimeError(f"The document stylesheet needs what is not there: {fetcher.refused}")
    return _Styles(fonts, user_agent, document)


def warm_up() -> None:
    """Parse the stylesheet and load the fonts before the first part arrives."""
    _annex_styles()


# Annex parts leave the page number out; it is stamped on after the join.
UNNUMBERED = "@page annex { @top-center { content: none !important } }"


def _write_built(root: ET.Element, extra_css: str, **options) -> bytes:
    styles = _annex_styles()
    document = _BuiltHTML(root, StaticFilesOnly()).render(
        stylesheets=[styles.document, CSS(string=extra_css, font_config=styles.fonts)],
        font_config=styles.fonts,
    )
    return document.write_pdf(uncompressed_pdf=False, **options)


def _write(html: str, fetcher: StaticFilesOnly) -> bytes:
    document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher)
    return document.write_pdf(uncompressed_pdf=False)


def render_part(part: dict) -> bytes:
    """One part of the annex (``annex_parts``), unnumbered; in a rendering process or in
    place. It fetches nothing: the tree has no link, the stylesheet is the portal's own."""
    with translation.override("vi"):
        return _write_built(annex_tree(part), UNNUMBERED)


def annex_parts(content: dict, context: dict, part_rows: int) -> list[dict]:
    """The annex, ``part_rows`` areas at a time, as what ``annex_tree`` needs: plain data,
    sent to the rendering processes."""
    annex = content["annex"]
    columns = annex_columns(annex)
    rows = annex["rows"]
    common = {
        "title": f"{content['title']} {content['subtitle']}",
        "annex_title": annex["title"],
        "annex_note": context["annex_note"],
        "area_label": annex["area_label"],
        "columns": [
            f"{column['label']} ({column['unit']})" if column["unit"] else column["label"]
            for _n, column in columns
        ],
        "total": _pick(annex["total"], columns),
    }
    return [
        {
            **common,
            "rows": [
                (row["name"], _pick(row["values"], columns)) for row in rows[at : at + part_rows]
            ],
            "offset": at,
            "first": at == 0,
            "last": at + part_rows >= len(rows),
        }
        for at in range(0, len(rows), part_rows)
    ]


def annex_tree(part: dict) -> ET.Element:
    """A part of the annex as a document: on the first, the annex's heading; a table whose
    header row repeats on every page; on the last, the total row. Text goes into the tree
    as text, never as markup."""
    html = ET.Element("html", lang="vi")
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "meta", charset="utf-8")
    ET.SubElement(head, "title").text = part["title"]
    annex = _element(ET.SubElement(html, "body"), "div", "annex")
    if part["first"]:
        _element(annex, "p", "annex-title", _("PHỤ LỤC"))
        _element(annex, "p", "annex-title", part["annex_title"])
        _element(annex, "p", "annex-note", part["annex_note"])
    table = _element(annex, "table", "figures")
    header = ET.SubElement(ET.SubElement(table, "thead"), "tr")
    _element(header, "th", "number", _("STT"))
    _element(header, "th", "area", part["area_label"])
    for label in part["columns"]:
        _element(header, "th", None, label)
    body = ET.SubElement(table, "tbody")
    for number, (name, values) in enumerate(part["rows"], start=part["offset"] + 1):
        # As a template prints a number: 1.016 (grouped, as the figures are).
        _figures_row(body, None, formats.localize(number), name, values)
    if part["last"]:
        _figures_row(body, "total", None, _("Tổng cộng"), part["total"])
    return html


def _figures_row(body: ET.Element, kind: str | None, number, label: str, values: list) -> None:
    row = _element(body, "tr", kind)
    _element(row, "td", "center" if number else None, number)
    _element(row, "td", None, label)
    for value in values:
        _element(row, "td", "num", portal_number(value))


def _element(parent: ET.Element, tag: str, kind: str | None, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag, {"class": kind} if kind else {})
    element.text = text
    return element


def _rendered_parts(parts: list[dict], renderers: pdf_pool.Renderers | None) -> Iterator[bytes]:
    """Each part's PDF, in order; by the rendering processes when there are some."""
    if renderers is None:
        yield from map(render_part, parts)
    else:
        yield from renderers.map(parts)


def render_report_pdf(
    content: dict,
    *,
    part_rows: int | None = None,
    processes: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    fetcher: StaticFilesOnly | None = None,
) -> tuple[bytes, int]:
    """The document as PDF bytes, and its number of pages.

    The annex is rendered ``part_rows`` areas at a time (``QCDC_EXPORT_PART_ROWS``), by up
    to ``processes`` processes (``QCDC_EXPORT_PROCESSES``), started first so that they get
    ready while this one renders the body; ``progress(done, total)`` is called after each
    part.
    """
    part_rows = part_rows or settings.QCDC_EXPORT_PART_ROWS
    processes = processes or settings.QCDC_EXPORT_PROCESSES
    fetcher = fetcher or StaticFilesOnly()
    writer = PdfWriter()
    with translation.override("vi"):
        context = _context(content)
        parts = (
            annex_parts(content, context, part_rows)
            if (content.get("annex") or {}).get("rows")
            else []
        )
        total = 1 + len(parts)
        helpers = min(processes, len(parts))
        with pdf_pool.Renderers(helpers) if helpers > 1 else contextlib.nullcontext() as renderers:
            body = _write(render_to_string("reports/document/pdf.html", context), fetcher)
            writer.append(PdfReader(io.BytesIO(body)))
            if progress:
                progress(1, total)
            first_annex_page = len(writer.pages)
            for n, pdf in enumerate(_rendered_parts(parts, renderers), start=2):
                writer.append(PdfReader(io.BytesIO(pdf)))
                if progress:
                    progress(n, total)
        if parts:
            _stamp_page_numbers(writer, first_annex_page)
        # What the portal knows of the document stays out of its text (it is signed as
        # printed) and goes into its properties: the data version it was made from.
        writer.add_metadata(
            {
                "/Title": f"{content['title']} {content['subtitle']}",
                "/Subject": content["area"],
                "/Keywords": _("phiên bản dữ liệu %(version)s")
                % {"version": content.get("version", 0)},
                "/Creator": "QCDC Portal",
                **({"/Comments": content["on_behalf"]} if content.get("on_behalf") else {}),
            }
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def numbers_tree(count: int) -> ET.Element:
    """As many empty annex pages, each carrying only its number."""
    html = ET.Element("html", lang="vi")
    body = ET.SubElement(html, "body")
    for _page in range(count):
        _element(body, "div", "annex page-number")
    return html


# The annex pages' content is left as it is (still compressed), wrapped in q … Q, and the
# number page is drawn over it as a form XObject: merging the pages themselves rewrote
# every content stream uncompressed (a 429-page annex took 35 MB) and copied the number's
# font resource onto every page. (pypdf has no public way to add an object: _add_object.)
_NUMBER = NameObject("/QcdcPageNumber")


def _stamp_page_numbers(writer: PdfWriter, first: int) -> None:
    """Numbers the annex pages ``first``… on: a document of as many empty annex pages,
    numbered by the same page rule, laid over them."""
    count = len(writer.pages) - first
    numbers = PdfReader(
        io.BytesIO(
            _write_built(numbers_tree(count), f"@page :first {{ counter-reset: page {first + 1} }}")
        )
    )
    save = writer._add_object(_stream(b"q\n"))
    restore_and_draw = writer._add_object(_stream(b"\nQ q %s Do Q\n" % _NUMBER.encode()))
    for page, number in zip(writer.pages[first:], numbers.pages, strict=True):
        resources = DictionaryObject(page["/Resources"].get_object())
        xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        xobjects[_NUMBER] = writer._add_object(_form(writer, number))
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        contents = page.raw_get("/Contents")  # a stream's reference, or an array of them
        own = contents.get_object()
        own = list(own) if isinstance(own, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([save, *own, restore_and_draw])


def _stream(data: bytes) -> StreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _form(writer: PdfWriter, page: PageObject) -> StreamObject:
    """A page of another document as a form XObject of ``writer``."""
    form = _stream(page.get_contents().get_data())
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(page.mediabox),
            NameObject("/Resources"): page["/Resources"].clone(writer),
        }
    )
    return form.flate_encode()


def annex_columns(annex: dict) -> list[tuple[int, dict]]:
    """The annex columns a page has room for (``documents.ANNEX_KEY_CODES``), with their
    position in the content."""
    positions = {c["code"]: (n, c) for n, c in enumerate(annex["columns"])}
    return [positions[code] for code in ANNEX_KEY_CODES if code in positions]


def _pick(values: list, columns: list[tuple[int, dict]]) -> list:
    return [values[n] for n, _c in columns]
