"""The annex parts of a PDF: handed to WeasyPrint as a tree built by the portal, they print
exactly what the same document as markup prints; joined, the pages keep their compressed
content and each carries its number, drawn from one shared font."""

import io
import subprocess
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation
from PIL import Image, ImageChops
from pypdf import PdfReader
from weasyprint import CSS, HTML

from reports.documents import summary_content
from reports.pdf import (
    STATIC_BASE,
    UNNUMBERED,
    StaticFilesOnly,
    _annex_styles,
    _context,
    annex_parts,
    annex_tree,
    render_part,
    render_report_pdf,
)

pytestmark = pytest.mark.django_db


class _Markup(HTML):
    def _ua_stylesheets(self, forms=False):
        return [_annex_styles().user_agent]


def _as_markup(part: dict) -> bytes:
    """The part as WeasyPrint renders markup: parsed, its stylesheet linked."""
    with translation.override("vi"):
        root = annex_tree(part)
    ET.SubElement(root.find("head"), "link", rel="stylesheet", href="css/document.css")
    html = "<!DOCTYPE html>" + ET.tostring(root, "unicode", method="html")
    document = _Markup(string=html, base_url=STATIC_BASE, url_fetcher=StaticFilesOnly())
    return document.write_pdf(stylesheets=[CSS(string=UNNUMBERED)])


def _pixels(pdf: bytes, folder) -> list[Image.Image]:
    (folder / "page.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "72", "-png", "page.pdf", "page"], cwd=folder, check=True)
    pages = [Image.open(path).convert("L") for path in sorted(folder.glob("page-*.png"))]
    for path in folder.glob("page*"):
        path.unlink()
    return pages


def test_a_part_built_as_a_tree_prints_what_its_markup_prints(accepted_period, tmp_path):
    content = summary_content(accepted_period)
    rows = content["annex"]["rows"]
    content["annex"]["rows"] = [
        {**row, "name": f"{row['name']} <b>&amp;</b> & “{n}”"} for n, row in enumerate(rows * 3)
    ]
    with translation.override("vi"):
        first, *_rest = annex_parts(content, _context(content), part_rows=30)
    # The heading of the first part, the total row of the last, numbers past a thousand.
    part = {**first, "offset": 990, "last": True}
    built, markup = render_part(part), _as_markup(part)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(built)).pages)
    for words in ("PHỤ LỤC", "STT", "Tổng cộng", "1.001", "1.020", "<b>&amp;</b> & “0”"):
        assert words in text, words
    built_pages, markup_pages = _pixels(built, tmp_path), _pixels(markup, tmp_path)
    assert len(built_pages) == len(markup_pages) >= 2
    for ours, theirs in zip(built_pages, markup_pages, strict=True):
        assert ImageChops.difference(ours, theirs).getbbox() is None


def test_the_joined_annex_keeps_its_pages_compressed_and_numbers_them_from_one_font(
    accepted_period,
):
    content = summary_content(accepted_period)
    rows = content["annex"]["rows"]
    content["annex"]["rows"] = [{**rows[n % len(rows)], "name": f"Xã {n}"} for n in range(120)]
    pdf, pages = render_report_pdf(content, part_rows=30, processes=2)
    reader = PdfReader(io.BytesIO(pdf))
    assert pages == len(reader.pages) >= 6
    annex = next(n for n, page in enumerate(reader.pages) if "PHỤ LỤC" in page.extract_text())
    fonts = set()
    for page in reader.pages[annex:]:
        streams = [stream.get_object() for stream in page["/Contents"]]
        # Its own content as WeasyPrint wrote it, between a q and a "Q, draw the number".
        assert streams[0].get_data().strip() == b"q"
        assert b"Do" in streams[-1].get_data()
        assert all(s.get("/Filter") == "/FlateDecode" for s in streams[1:-1])
        number = page["/Resources"]["/XObject"]["/QcdcPageNumber"].get_object()
        fonts |= {ref.idnum for ref in number["/Resources"]["/Font"].values()}
    assert len(fonts) == 1
