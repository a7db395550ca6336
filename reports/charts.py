"""Charts for documents: the chart specification of the pages, drawn as SVG.

The pages draw ``{type, labels, series}`` with Chart.js in the browser; a PDF cannot run
JavaScript, so the same specification is drawn here: bars horizontally (long area names
read better down the side than under the bars), lines over the years, and small
multiples — one small line chart per indicator, each on its own axis from zero, for
figures of different units that one axis would flatten. Every label is escaped.
``trend_charts`` makes the specification of a province's trend once, for its page and its
summary's PDF.
"""

from __future__ import annotations

from collections.abc import Callable
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


def _line(
    row: list[float | None], x: Callable, y: Callable, colour: str, radius: float
) -> list[str]:
    """A series as a line through its points; a missing value leaves a gap."""
    parts, segment = [], []
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
    for i, v in enumerate(row):
        if v is not None:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="{radius}" fill="{colour}"/>')
    return parts


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
        parts += _line(row, x, y, colour, radius=3)
        last = max((i for i, v in enumerate(row) if v is not None), default=None)
        if last is not None:
            parts.append(
                f'<text x="{x(last) + 6:.1f}" y="{y(row[last]) - 5:.1f}" font-size="10" '
                f'fill="{colour}">{escape(portal_number(Decimal(str(row[last]))))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


# Small multiples: so many panels a row, each with its title, a plot and the years.
PANEL_COLUMNS = 3
PANEL_GAP = 18
PANEL_PLOT = 72
PANEL_AXIS = 30  # room on the left for the axis' numbers
PANEL_ROOM = 20  # between the title and the plot: a top point's figure goes there


def _title_limit(width: float) -> int:
    """How many characters of a panel's title fit on a line of its width."""
    return int(width / 6.6)


def _panel(chart: dict, left: float, top: float, width: float, title_lines: int) -> list[str]:
    """One small chart of ``multiples_svg``: its title, the axis from 0 to a round top,
    the line and each year's figure written above its point."""
    labels = chart["labels"]
    row = [None if v is None else float(v) for v in chart["series"][0]["values"]]
    axis_top = _nice_top(max((v for v in row if v is not None), default=0))
    plot_top = top + LINE * title_lines + PANEL_ROOM
    plot_w = width - PANEL_AXIS

    def x(i: int) -> float:
        return left + PANEL_AXIS + plot_w * (i + 0.5) / max(len(labels), 1)

    def y(v: float) -> float:
        return plot_top + PANEL_PLOT * (1 - v / axis_top)

    parts = [f'<text x="{left:.1f}" y="{top + LINE - 2:.1f}" font-weight="bold">']
    for k, line in enumerate(_wrap(chart["title"], _title_limit(width))):
        parts.append(f'<tspan x="{left:.1f}" dy="{0 if k == 0 else LINE}">{escape(line)}</tspan>')
    parts.append("</text>")
    for tick in (0.0, axis_top):
        parts.append(
            f'<line x1="{left + PANEL_AXIS:.1f}" x2="{left + width:.1f}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}" stroke="{"#888" if tick == 0 else "#d0d0d0"}" '
            f'stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{left + PANEL_AXIS - 4:.1f}" y="{y(tick) + 3:.1f}" text-anchor="end" '
            f'font-size="10">{escape(portal_number(Decimal(str(tick))))}</text>'
        )
    parts += _line(row, x, y, LINE_COLOURS[0], radius=2.5)
    for i, v in enumerate(row):
        if v is not None:  # each year's figure: a few years, read without the axis
            parts.append(
                f'<text x="{x(i):.1f}" y="{y(v) - 6:.1f}" text-anchor="middle" font-size="10">'
                f"{escape(portal_number(Decimal(str(v))))}</text>"
            )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{plot_top + PANEL_PLOT + 13:.1f}" text-anchor="middle" '
            f'font-size="10">{escape(label)}</text>'
        )
    return parts


def multiples_svg(spec: dict) -> SafeString:
    """Small multiples: the charts of ``spec["charts"]`` (one series each) side by side,
    ``PANEL_COLUMNS`` a row, each on its own axis."""
    charts = spec["charts"]
    columns = max(1, min(PANEL_COLUMNS, len(charts)))
    width = (WIDTH - PANEL_GAP * (columns - 1)) / columns
    rows = [charts[n : n + columns] for n in range(0, len(charts), columns)]
    parts, top = [], 0.0
    for row in rows:
        title_lines = max(len(_wrap(c["title"], _title_limit(width))) for c in row)
        for k, chart in enumerate(row):
            parts += _panel(chart, k * (width + PANEL_GAP), top, width, title_lines)
        top += LINE * title_lines + PANEL_ROOM + PANEL_PLOT + 18 + PANEL_GAP
    height = top - PANEL_GAP
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" class="chart" role="img" aria-label="{escape(spec["title"])}" '
        f'font-family="QCDC Serif, serif" font-size="12">'
    )
    return mark_safe(svg + "".join(parts) + "</svg>")  # noqa: S308 - every text is escaped


DRAWINGS = {"line": line_chart_svg, "multiples": multiples_svg}


def chart_svg(spec: dict) -> SafeString:
    """A chart specification drawn for a document, by its type."""
    return DRAWINGS.get(spec.get("type", "bar"), bar_chart_svg)(spec)


def _series(label: str, values: list) -> dict:
    return {"label": str(label), "values": [None if v is None else float(v) for v in values]}


def trend_charts(trend: dict) -> list[dict]:
    """The specification of a province's trend (``selectors.province_trend``): its rates
    (reports filed on time, and the key ratios: all percentages, one axis) and its main
    counts over the years, one small chart each with its unit — documents, classes and
    sessions on one axis would make the smaller ones flat lines. None before there are two
    years to compare."""
    rows = trend["rows"]
    if len(rows) < 2:
        return []
    years = [str(row["year"]) for row in rows]
    rates = [_series(_("Báo cáo nộp đúng hạn"), [row["on_time_rate"] for row in rows])]
    rates += [
        _series(i.label, [row["figures"].get(i.code) for row in rows]) for i in trend["rates"]
    ]
    counts = [
        {
            "type": "line",
            "title": f"{i.label} ({i.unit_label})" if i.unit_label else i.label,
            "labels": years,
            "series": [_series(i.label, [row["figures"].get(i.code) for row in rows])],
            "legend": False,  # the title says what the one line is
        }
        for i in trend["counts"]
    ]
    return [
        {
            "type": "line",
            "title": _("Các tỷ lệ qua các năm (%)"),
            "labels": years,
            "series": rates,
        },
        {
            "type": "multiples",
            "title": _("Một số kết quả chủ yếu qua các năm"),
            "labels": years,
            "charts": counts,
        },
    ]
