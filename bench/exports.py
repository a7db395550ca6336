"""PDF export at growing lengths: seconds per page and peak memory of the rendering
process, against the naive render of the whole document at once.

Each render runs in a fresh process (as a Celery worker's pool process would), so its
peak resident memory is its own; the processes rendering the annex's parts beside it
(``QCDC_EXPORT_PROCESSES``) are measured too. The document is a national summary whose
annex lists real communes (``--small``: a few dozen): the portal's renderer takes the annex
in parts (``QCDC_EXPORT_PART_ROWS``), several at once, and joins them; the baseline renders
the same HTML as one document in one process.
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


def _render(content: dict[str, Any], part_rows: int, processes: int, queue) -> None:
    import django

    django.setup()
    from reports.pdf import render_report_pdf

    start = time.perf_counter()
    pdf, pages = render_report_pdf(content, part_rows=part_rows, processes=processes)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF)
    helpers = resource.getrusage(resource.RUSAGE_CHILDREN)
    queue.put(
        {
            "seconds": seconds,
            "pages": pages,
            "bytes": len(pdf),
            "peak_mb": own.ru_maxrss / 1024,
            "helper_peak_mb": helpers.ru_maxrss / 1024,
            "cpu_seconds": own.ru_utime + own.ru_stime + helpers.ru_utime + helpers.ru_stime,
        }
    )


def render_in_fresh_process(
    content: dict[str, Any], part_rows: int, processes: int
) -> dict[str, float]:
    """Seconds, pages, bytes, peak MB (its own, and the largest of its helpers') and CPU
    seconds of one render in a new Python process."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_render, args=(content, part_rows, processes, queue))
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
        processes = settings.QCDC_EXPORT_PROCESSES
        parts = render_in_fresh_process(content, settings.QCDC_EXPORT_PART_ROWS, processes)
        naive = render_in_fresh_process(content, rows, 1)
        pages = parts["pages"]
        measurements.append(
            Measurement(
                f"pdf_export_{rows}_areas",
                f"PDF export, {pages} pages ({rows:,} communes): per page, "
                f"peak {max(parts['peak_mb'], parts['helper_peak_mb']):,.0f} MB",
                parts["seconds"] / pages,
                baseline_seconds=naive["seconds"] / naive["pages"],
                baseline="one-document render",
                details={
                    "pages": pages,
                    "annex_rows": rows,
                    "part_rows": settings.QCDC_EXPORT_PART_ROWS,
                    "processes": processes,
                    "seconds": parts["seconds"],
                    "seconds_per_page": parts["seconds"] / pages,
                    "cpu_seconds_per_page": parts["cpu_seconds"] / pages,
                    "peak_mb": parts["peak_mb"],
                    "helper_peak_mb": parts["helper_peak_mb"],
                    "bytes": parts["bytes"],
                    "naive_seconds": naive["seconds"],
                    "naive_pages": naive["pages"],
                    "naive_peak_mb": naive["peak_mb"],
                    "aim_seconds_per_page": AIM_SECONDS_PER_PAGE,
                    "aim_peak_mb": AIM_PEAK_MB,
                },
            )
        )
    return measurements
