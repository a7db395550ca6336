"""PDF export at growing lengths: seconds per page and peak memory of the rendering
process, against the naive render of the whole document at once.

Each render runs in a fresh process (as a Celery worker's pool process would), so its
peak resident memory is its own. The document is a national summary whose annex lists
real communes (``--small``: a few dozen): the portal's renderer takes the annex in parts
(``QCDC_EXPORT_PART_ROWS``) and joins them; the baseline renders the same HTML as one
document.
"""

from __future__ import annotations

import multiprocessing
import resource
import time
from decimal import Decimal
from typing import Any

from .report import Measurement

AIM_SECONDS_PER_PAGE = 0.15
AIM_PEAK_MB = 400


def national_content(rows: int) -> dict[str, Any]:
    """A summary document with an annex of ``rows`` real communes (whole country order)."""
    from committees.models import Area, Level, Structure
    from reports.documents import LAYOUT
    from reports.models import Aggregation, Indicator

    indicators = list(Indicator.objects.exclude(aggregation=Aggregation.TEXT).order_by("order"))
    communes = Area.objects.filter(structure=Structure.LEGACY, level=Level.COMMUNE).order_by("path")
    names = list(communes.values_list("name", flat=True)[:rows])

    def figure(n: int, k: int) -> str:
        return str(Decimal((n * 37 + k * 11) % 900 + 10))

    columns = [
        {"code": i.code, "label": i.name, "unit": i.unit, "ratio": i.aggregation == "ratio"}
        for i in indicators
    ]
    return {
        "layout": LAYOUT,
        "issuer": ["BAN CHỈ ĐẠO TRUNG ƯƠNG", "BAN CHỈ ĐẠO THỰC HIỆN DÂN CHỦ Ở CƠ SỞ"],
        "number": "01-BC/BCĐ",
        "place": "Hà Nội",
        "date": "2024-12-19",
        "title": "BÁO CÁO",
        "subtitle": "Tổng kết năm 2024 thực hiện dân chủ ở cơ sở",
        "area": "Toàn quốc",
        "year": 2024,
        "previous_year": None,
        "narrative": [],
        "sources": "Số liệu sinh cho benchmark.",
        "sections": [
            {
                "title": "Số liệu",
                "rows": [{**c, "value": "1000", "previous": None} for c in columns],
            }
        ],
        "texts": [],
        "annex": {
            "title": "Số liệu theo xã, phường, thị trấn",
            "area_label": "Địa bàn",
            "columns": columns,
            "rows": [
                {"name": name, "values": [figure(n, k) for k in range(len(columns))]}
                for n, name in enumerate(names)
            ],
            "total": [None] * len(columns),
        },
        "charts": [],
        "recipients": ["Lưu."],
        "signer_for": "T/M BAN CHỈ ĐẠO",
        "signer_title": "TRƯỞNG BAN",
        "signer": "",
    }


def _render(content: dict[str, Any], part_rows: int, queue) -> None:
    import django

    django.setup()
    from reports.pdf import render_report_pdf

    start = time.perf_counter()
    pdf, pages = render_report_pdf(content, part_rows=part_rows)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((seconds, pages, peak_mb, len(pdf)))


def render_in_fresh_process(
    content: dict[str, Any], part_rows: int
) -> tuple[float, int, float, int]:
    """(seconds, pages, peak MB, bytes) of one render in a new Python process."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_render, args=(content, part_rows, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def pdf_exports(sizes: list[int]) -> list[Measurement]:
    from django.conf import settings

    measurements = []
    for rows in sizes:
        content = national_content(rows)
        rows = len(content["annex"]["rows"])
        seconds, pages, peak, size = render_in_fresh_process(
            content, settings.QCDC_EXPORT_PART_ROWS
        )
        naive_seconds, naive_pages, naive_peak, _size = render_in_fresh_process(content, rows)
        measurements.append(
            Measurement(
                f"pdf_export_{rows}_areas",
                f"PDF export, {pages} pages ({rows:,} communes): per page",
                seconds / pages,
                baseline_seconds=naive_seconds / naive_pages,
                baseline="one-document render",
                details={
                    "pages": pages,
                    "annex_rows": rows,
                    "part_rows": settings.QCDC_EXPORT_PART_ROWS,
                    "seconds": seconds,
                    "seconds_per_page": seconds / pages,
                    "peak_mb": peak,
                    "bytes": size,
                    "naive_seconds": naive_seconds,
                    "naive_pages": naive_pages,
                    "naive_peak_mb": naive_peak,
                    "aim_seconds_per_page": AIM_SECONDS_PER_PAGE,
                    "aim_peak_mb": AIM_PEAK_MB,
                },
            )
        )
    return measurements
