"""Charts for documents: the chart specification of the pages, drawn as SVG.

The pages draw ``{type, labels, series}`` with Chart.js in the browser; a PDF cannot run
JavaScript, so the same specification is drawn here: bars horizontally (long area names
read better down the side than under the bars), lines over the years. Every label is
escaped. ``trend_charts`` makes the specification of a province's trend once, for its
page and its summary's PDF.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from committees.templatetags.portal import portal_number

WIDTH = 640
LABEL_WIDTH = 270
VALUE_WIDTH = 70
# Compact enough that the chart of 13 districts fits the rest of the page after the
# figures' table instead of leaving a third of it empty.
BAR = 12
GAP = 5
COLOURS = ("#9e9e9e", "#a4161a")  # last year grey, this year the portal's red


LINE = 12  # a label's line height


def _wrap(label: str, limit: int = 40) -> list[str]:
    """A label on as many lines as it needs, broken between words: never cut."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def bar_chart_svg(spec: dict) -> SafeString:
    """A horizontal bar chart: one group of bars per label, one bar per series."""
    labels = [_wrap(label) for label in spec["labels"]]
    series = spec["series"][-len(COLOURS) :]
    colours = COLOURS[-len(series) :]
    values = [[Decimal(v or 0) for v in s["values"]] for s in series]
    top = max((v for row in values for v in row), default=Decimal(0)) or Decimal(1)
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = BAR * len(series)
    groups = [max(bars, LINE * len(lines)) + GAP for lines in labels]
    legend = 22
    height = legend + sum(groups) + 4
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
    y = legend
    for n, lines in enumerate(labels):
        group = groups[n]
        first = y + (group - GAP - LINE * len(lines)) / 2 + LINE - 3
        parts.append(f'<text y="{first:.1f}" text-anchor="end">')
        for k, line in enumerate(lines):
            dy = 0 if k == 0 else LINE
            parts.append(f'<tspan x="{LABEL_WIDTH - 6}" dy="{dy}">{escape(line)}</tspan>')
        parts.append("</text>")
        top_bar = y + (group - GAP - bars) / 2
        for k, colour in enumerate(colours):
            value = values[k][n]
            width = float(value / top) * plot
            bar_y = top_bar + k * BAR
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{bar_y:.1f}" width="{width:.1f}" '
                f'height="{BAR - 2}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{bar_y + BAR - 3:.1f}" '
                f'font-size="11">{escape(portal_number(value))}</text>'
            )
        y += group
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


LINE_COLOURS = ("#a4161a", "#0d6efd", "#198754", "#6f42c1", "#fd7e14", "#495057", "#20c997")
LINE_HEIGHT = 230
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_BOTTOM = 56, 24, 26


def _nice_top(top: float) -> float:
    """An axis maximum a reader can count in: 1, 2, 2.5 or 5 times a power of ten."""
    if top <= 0:
        return 1.0
    power = 10 ** (len(str(int(top))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if top <= step * power:
            return step * power
    return 10.0 * power


def _legend(series: list[dict]) -> tuple[list[str], float]:
    """The legend's items, wrapped into rows across the chart; and its height."""
    parts, x, y = [], float(MARGIN_LEFT), 4.0
    for colour, s in zip(LINE_COLOURS, series, strict=False):
        label = s["label"]  # whole: the legend wraps into rows instead
        width = 18 + 6.2 * len(label) + 14
        if x + width > WIDTH and x > MARGIN_LEFT:
            x, y = float(MARGIN_LEFT), y + 16
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14:.1f}" y="{y + 9}" class="legend">{escape(label)}</text>')
        x += width
    return parts, y + 20


def line_chart_svg(spec: dict) -> SafeString:
    """Lines over the labels (years): one per series, a missing value leaves a gap; the
    last value of each line is written beside it."""
    labels, series = spec["labels"], spec["series"][: len(LINE_COLOURS)]
    values = [[None if v is None else float(v) for v in s["values"]] for s in series]
    legend, top_margin = _legend(series)
    height = top_margin + LINE_HEIGHT
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = LINE_HEIGHT - MARGIN_BOTTOM
    top = _nice_top(max((v for row in values for v in row if v is not None), default=0))

    def x(i: int) -> float:
        return MARGIN_LEFT + (plot_w * (i + 0.5) / max(len(labels), 1))

    def y(v: float) -> float:
        return top_margin + plot_h * (1 - v / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" class="chart" role="img" aria-label="{escape(spec["title"])}" '
        f'font-family="QCDC Serif, serif" font-size="12">',
        *legend,
    ]
    for k in range(5):
        tick = top * k / 4
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}" stroke="#d0d0d0" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{MARGIN_LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" '
            f'font-size="10">{escape(portal_number(Decimal(str(tick))))}</text>'
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{top_margin + plot_h + 17:.1f}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    for colour, row in zip(LINE_COLOURS, values, strict=False):
        points = [(x(i), y(v)) for i, v in enumerate(row) if v is not None]
        segment: list[str] = []
        for i, v in enumerate([*row, None]):
            if v is not None:
                segment.append(f"{x(i):.1f},{y(v):.1f}")
                continue
            if len(segment) > 1:
                parts.append(
                    f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"/>'
                )
            segment = []
        for px, py in points:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"/>')
        last = max((i for i, v in enumerate(row) if v is not None), default=None)
        if last is not None:
            parts.append(
                f'<text x="{x(last) + 6:.1f}" y="{y(row[last]) - 5:.1f}" font-size="10" '
                f'fill="{colour}">{escape(portal_number(Decimal(str(row[last]))))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def chart_svg(spec: dict) -> SafeString:
    """A chart specification drawn for a document, by its type."""
    return line_chart_svg(spec) if spec.get("type") == "line" else bar_chart_svg(spec)


def _series(label: str, values: list) -> dict:
    return {"label": str(label), "values": [None if v is None else float(v) for v in values]}


def trend_charts(trend: dict) -> list[dict]:
    """The specification of a province's trend (``selectors.province_trend``): its rates
    (reports filed on time, and the key ratios) and its main counts over the years. None
    before there are two years to compare."""
    rows = trend["rows"]
    if len(rows) < 2:
        return []
    years = [str(row["year"]) for row in rows]
    rates = [_series(_("Báo cáo nộp đúng hạn"), [row["on_time_rate"] for row in rows])]
    rates += [
        _series(i.label, [row["figures"].get(i.code) for row in rows]) for i in trend["rates"]
    ]
    counts = [
        _series(i.label, [row["figures"].get(i.code) for row in rows]) for i in trend["counts"]
    ]
    return [
        {
            "type": "line",
            "title": _("Các tỷ lệ qua các năm (%)"),
            "labels": years,
            "series": rates,
        },
        {
            "type": "line",
            "title": _("Một số kết quả chủ yếu qua các năm"),
            "labels": years,
            "series": counts,
        },
    ]
