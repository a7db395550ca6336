"""What each try at a faster annex did, one line each: a part of the national annex
rendered the way it was before and with each change, in this process, in CPU milliseconds
per page (the median of several renders: CPU time, not wall time, so that other work on
the machine shows less), and whether its pages look the same as before — rasterised with
``pdftoppm`` and compared pixel by pixel.

The tries that stayed are in ``reports.pdf``; the others (separated borders, whole fonts,
the grid drawn as backgrounds) are only here, as stylesheet or option changes of the same
render, so that their effect can be measured again on another machine.
"""

from __future__ import annotations

import io
import shutil
import statistics
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .report import Measurement

# A cell's border on two sides only, the table's on the other two: the same grid drawn in
# the separated-borders model.
SEPARATE_BORDERS = """
.annex table.figures { border-collapse: separate !important; border-spacing: 0 !important;
  border-top: 0.5pt solid #000; border-left: 0.5pt solid #000; }
.annex table.figures th, .annex table.figures td { border-width: 0 0.5pt 0.5pt 0 !important; }
"""
# The grid as the table's black background seen between white cells.
BACKGROUND_GRID = """
.annex table.figures { border-collapse: separate !important; border-spacing: 0.5pt !important;
  background: #000; }
.annex table.figures th, .annex table.figures td { border: none !important; background: #fff; }
"""
DPI = 60  # enough to see a line move; a whole part rasterises in a second


def _markup(part: dict, link: bool) -> ET.Element:
    from reports import pdf

    root = pdf.annex_tree(part)
    if link:
        ET.SubElement(root.find("head"), "link", rel="stylesheet", href="css/document.css")
    return root


def _before(part: dict) -> bytes:
    """As before: the part as markup (what the template printed), parsed by WeasyPrint,
    its stylesheet fetched and parsed and its fonts loaded for each part."""
    from weasyprint import CSS, HTML

    from reports import pdf

    class Markup(HTML):
        def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
            return [pdf._annex_styles().user_agent]

    html = "<!DOCTYPE html>" + ET.tostring(_markup(part, link=True), "unicode", method="html")
    document = Markup(string=html, base_url=pdf.STATIC_BASE, url_fetcher=pdf.StaticFilesOnly())
    return document.write_pdf(stylesheets=[CSS(string=pdf.UNNUMBERED)])


def _built_tree_linked(part: dict) -> bytes:
    """The tree handed to WeasyPrint, the stylesheet still linked (parsed for each part)."""
    from weasyprint import CSS

    from reports import pdf

    document = pdf._BuiltHTML(_markup(part, link=True), pdf.StaticFilesOnly())
    return document.write_pdf(stylesheets=[CSS(string=pdf.UNNUMBERED)])


def _current(extra_css: str = "", **options: Any) -> Callable[[dict], bytes]:
    from reports import pdf

    def render(part: dict) -> bytes:
        return pdf._write_built(pdf.annex_tree(part), pdf.UNNUMBERED + extra_css, **options)

    return render


def tries(part_rows: int) -> list[tuple[str, str, Callable[[dict], bytes], int]]:
    """(key, label, render, rows per part); the first is the baseline of the others."""
    kept = _current()
    return [
        ("before", "markup parsed, stylesheet and fonts per part", _before, part_rows),
        ("built_tree", "+ tree handed to WeasyPrint", _built_tree_linked, part_rows),
        ("styles_once", "+ stylesheet and fonts once per process", kept, part_rows),
        ("separate_borders", "+ separate borders (dropped)", _current(SEPARATE_BORDERS), part_rows),
        ("whole_fonts", "+ whole fonts (dropped)", _current(full_fonts=True), part_rows),
        ("grid_backgrounds", "+ backgrounds grid (dropped)", _current(BACKGROUND_GRID), part_rows),
        *(
            (f"part_{rows}", f"kept, parts of {rows} rows", kept, rows)
            for rows in (part_rows // 4, part_rows // 2, part_rows * 2)
        ),
    ]


def pdf_tries(content: dict[str, Any], part_rows: int, repeats: int) -> list[Measurement]:
    """One line per try: CPU ms per page of the second part of the annex (the first has
    the annex's heading), against the render as it was before."""
    from django.utils import translation

    from reports import pdf

    with translation.override("vi"):
        context = pdf._context(content)
        chosen = tries(part_rows)
        parts = {rows: pdf.annex_parts(content, context, rows) for *_try, rows in chosen}
        runs = [(key, label, render, rows, parts[rows][1]) for key, label, render, rows in chosen]
        outputs = {key: render(part) for key, _label, render, _rows, part in runs}  # warm
        samples: dict[str, list[float]] = {key: [] for key, *_rest in runs}
        # Round by round, every try once: a busy moment of the machine hits them all.
        for _round in range(repeats):
            for key, _label, render, _rows, part in runs:
                start = time.process_time()
                outputs[key] = render(part)
                samples[key].append(time.process_time() - start)
    measured = [
        (key, label, rows, statistics.median(samples[key]), outputs[key])
        for key, label, _render, rows, _part in runs
    ]
    before_pdf = measured[0][4]
    results = []
    for key, label, rows, seconds, output in measured:
        pages = _pages(output)
        per_page = seconds / pages
        base = measured[0][3] / _pages(before_pdf)
        same = _same_pixels(before_pdf, output) if rows == part_rows else None
        results.append(
            Measurement(
                f"pdf_try_{key}",
                f"PDF annex part, {label}: CPU per page",
                per_page,
                baseline_seconds=base,
                baseline="as before",
                details={
                    "rows": rows,
                    "pages": pages,
                    "cpu_seconds": seconds,
                    "bytes_per_page": len(output) / pages,
                    "looks_the_same": same,
                },
            )
        )
    return results


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _same_pixels(before: bytes, after: bytes) -> dict[str, Any] | None:
    """Pages and pixels that differ once both are rasterised (None without pdftoppm)."""
    if not shutil.which("pdftoppm"):
        return None
    from PIL import Image, ImageChops

    with tempfile.TemporaryDirectory() as folder:
        images = {}
        for name, pdf in (("a", before), ("b", after)):
            (Path(folder) / f"{name}.pdf").write_bytes(pdf)
            command = ["pdftoppm", "-r", str(DPI), "-png", f"{name}.pdf", name]
            subprocess.run(command, cwd=folder, check=True)  # noqa: S603 (fixed arguments)
            images[name] = sorted(Path(folder).glob(f"{name}-*.png"))
        if len(images["a"]) != len(images["b"]):
            return {"same": False, "pages": [len(images["a"]), len(images["b"])]}
        pages = pixels = 0
        for a, b in zip(images["a"], images["b"], strict=True):
            difference = ImageChops.difference(
                Image.open(a).convert("L"), Image.open(b).convert("L")
            )
            if difference.getbbox():
                pages += 1
                pixels += difference.width * difference.height - difference.histogram()[0]
    return {"same": pages == 0, "pages_differing": pages, "pixels_differing": pixels}
