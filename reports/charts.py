"""Charts for documents: the chart specification of the pages, drawn as SVG.

The pages draw ``{type, labels, series}`` with Chart.js in the browser; a PDF cannot run
JavaScript, so the same specification is drawn here as horizontal bars (long area names
read better down the side than under the bars). Every label is escaped.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from committees.templatetags.portal import portal_number

WIDTH = 640
LABEL_WIDTH = 270
VALUE_WIDTH = 70
BAR = 15
GAP = 8
COLOURS = ("#9e9e9e", "#a4161a")  # last year grey, this year the portal's red


def _clip(label: str, limit: int = 38) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart_svg(spec: dict) -> SafeString:
    """A horizontal bar chart: one group of bars per label, one bar per series."""
    labels = spec["labels"]
    series = spec["series"][-len(COLOURS) :]
    colours = COLOURS[-len(series) :]
    values = [[Decimal(v or 0) for v in s["values"]] for s in series]
    top = max((v for row in values for v in row), default=Decimal(0)) or Decimal(1)
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    group = BAR * len(series) + GAP
    legend = 22
    height = legend + group * len(labels) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" class="chart" role="img" aria-label="{escape(spec["title"])}" '
        f'font-family="QCDC Serif, serif" font-size="12">'
    ]
    x = LABEL_WIDTH
    for colour, s in zip(colours, series, strict=True):
        parts.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="13" class="legend">{escape(s["label"])}</text>')
        x += 90
    for n, label in enumerate(labels):
        y = legend + n * group
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + group / 2 + 2:.1f}" text-anchor="end">'
            f"{escape(_clip(label))}</text>"
        )
        for k, colour in enumerate(colours):
            value = values[k][n]
            width = float(value / top) * plot
            bar_y = y + k * BAR
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{bar_y}" width="{width:.1f}" height="{BAR - 2}" '
                f'fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{bar_y + BAR - 3}" font-size="11">'
                f"{escape(portal_number(value))}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
