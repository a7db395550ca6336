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

import datetime
import io
import mimetypes
import posixpath
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import pdf_pool
from .charts import bar_chart_svg
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
            {"title": chart["title"], "svg": bar_chart_svg(chart)}
            for chart in content.get("charts", [])
        ],
    }


class _LeanHTML(HTML):
    """An annex page holds some 400 table cells; matching each against WeasyPrint's default
    user-agent stylesheet (every HTML element there is) took a fifth of the rendering. The
    annex documents use a handful of elements, so they get a user-agent stylesheet of just
    those (``static/css/document-ua.css``, the same rules as WeasyPrint's)."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [_lean_ua()]


_LEAN_UA: list[CSS] = []


def _lean_ua() -> CSS:
    if not _LEAN_UA:
        _LEAN_UA.append(CSS(string=Path(finders.find("css/document-ua.css")).read_text()))
    return _LEAN_UA[0]


# Annex slices leave the page number out; it is stamped on after the join. (A stylesheet
# given to WeasyPrint has the "user" origin: it overrides document.css only if important.)
UNNUMBERED = "@page annex { @top-center { content: none !important } }"


def _write(html: str, fetcher: StaticFilesOnly, extra_css: str = "", lean: bool = False) -> bytes:
    stylesheets = [CSS(string=extra_css)] if extra_css else None
    document = (_LeanHTML if lean else HTML)(string=html, base_url=STATIC_BASE, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=stylesheets, uncompressed_pdf=False)


def render_slice(html: str) -> tuple[bytes, list[str]]:
    """One slice of the annex, unnumbered; in a pool process or in place."""
    fetcher = StaticFilesOnly()
    return _write(html, fetcher, UNNUMBERED, lean=True), fetcher.refused


def _rendered_slices(htmls: list[str], processes: int) -> Iterator[tuple[bytes, list[str]]]:
    """Each slice's PDF and refused URLs, in order; by several processes when allowed."""
    if processes < 2 or len(htmls) < 2:
        yield from map(render_slice, htmls)
        return
    with pdf_pool.Renderers(min(processes, len(htmls))) as renderers:
        yield from renderers.map(htmls)


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
    to ``processes`` processes (``QCDC_EXPORT_PROCESSES``); ``progress(done, total)`` is
    called after each part.
    """
    part_rows = part_rows or settings.QCDC_EXPORT_PART_ROWS
    processes = processes or settings.QCDC_EXPORT_PROCESSES
    fetcher = fetcher or StaticFilesOnly()
    annex = content.get("annex") or None
    rows = annex["rows"] if annex else []
    slices = [rows[i : i + part_rows] for i in range(0, len(rows), part_rows)] if rows else []
    total = 1 + len(slices)
    writer = PdfWriter()
    with translation.override("vi"):
        context = _context(content)
        body = _write(render_to_string("reports/document/pdf.html", context), fetcher)
        writer.append(PdfReader(io.BytesIO(body)))
        if progress:
            progress(1, total)
        if annex:
            columns = annex_columns(annex)
            htmls = [
                render_to_string(
                    "reports/document/pdf_annex.html",
                    {
                        **context,
                        "columns": columns,
                        "rows": [(row["name"], _pick(row["values"], columns)) for row in part],
                        "first": n == 0,
                        "last": n == len(slices) - 1,
                        "total": _pick(annex["total"], columns),
                        "offset": n * part_rows,
                    },
                )
                for n, part in enumerate(slices)
            ]
            first_annex_page = len(writer.pages)
            slices_done = _rendered_slices(htmls, processes)
            for n, (pdf, refused) in enumerate(slices_done, start=2):
                fetcher.refused.extend(refused)
                writer.append(PdfReader(io.BytesIO(pdf)))
                if progress:
                    progress(n, total)
            _stamp_page_numbers(writer, first_annex_page, context, fetcher)
    writer.add_metadata({"/Title": f"{content['title']} {content['subtitle']}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def _stamp_page_numbers(
    writer: PdfWriter, first: int, context: dict, fetcher: StaticFilesOnly
) -> None:
    """Numbers the annex pages ``first``… on: a document of as many empty annex pages,
    numbered by the same page rule, laid over them."""
    count = len(writer.pages) - first
    html = render_to_string(
        "reports/document/pdf_page_numbers.html", {**context, "pages": range(count)}
    )
    numbers = PdfReader(
        io.BytesIO(
            _write(html, fetcher, f"@page :first {{ counter-reset: page {first + 1} }}", lean=True)
        )
    )
    for page, number in zip(writer.pages[first:], numbers.pages, strict=True):
        page.merge_page(number)


def annex_columns(annex: dict) -> list[tuple[int, dict]]:
    """The annex columns a page has room for (``documents.ANNEX_KEY_CODES``), with their
    position in the content."""
    positions = {c["code"]: (n, c) for n, c in enumerate(annex["columns"])}
    return [positions[code] for code in ANNEX_KEY_CODES if code in positions]


def _pick(values: list, columns: list[tuple[int, dict]]) -> list:
    return [values[n] for n, _c in columns]
