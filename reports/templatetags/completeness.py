"""The rows of the completeness tables, built here rather than in a template: the country's
table has 63 provinces of a dozen cells each, and the template's lookups, filters and
translations over them took two thirds of the page (``bench``: reporting year
completeness, 4.3 times the hand-written SQL); a province's period lists every commune
(126 in Hà Nội), and its loop took half of the reviewer's page (58 ms, national data)."""

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

from committees.platform.percent import Percent
from committees.templatetags.portal import portal_number, portal_value

register = template.Library()

CELLS = (
    '<td class="text-end" data-testid="expected">{}</td>'
    '<td class="text-end" data-testid="actual">{}</td>'
    '<td class="text-end d-none d-lg-table-cell">{}</td>'
    '<td class="text-end d-none d-lg-table-cell">{}</td>'
    '<td class="text-end d-none d-lg-table-cell">{}</td>'
    '<td class="text-end" data-testid="missing">{}</td>'
    '<td class="text-end" data-testid="rate">{}</td>'
    '<td class="text-end d-none d-md-table-cell">{}</td>'
)


@register.simple_tag
def completeness_cells(row: dict) -> SafeString:
    """Expected, filed, on time, late, returned, missing, and the two rates of a row of
    ``reports.selectors.completeness_overview`` (a province's, or the total)."""
    numbers = [
        portal_number(row[key])
        for key in ("expected", "actual", "on_time", "late", "returned", "missing")
    ]
    rates = [
        "—" if row[key] is None else portal_value(Percent(row[key]))
        for key in ("rate", "on_time_rate")
    ]
    return format_html(CELLS, *numbers, *rates)


ROW = (
    '<tr data-testid="province-{}"><td><a href="{}">{}</a></td>'
    '<td class="d-none d-md-table-cell">{}</td><td>{}</td>{}<td>{}</td></tr>'
)
BADGE = '<span class="badge {}">{}</span>'


@register.simple_tag
def completeness_rows(rows: list[dict]) -> SafeString:
    """The provinces' rows: each one's period (link, filing level, due date), its figures,
    and whether the period is closed."""
    period_url = _address("reports:period_detail")
    levels = {"district": _("Cấp huyện"), "commune": _("Cấp xã")}
    states = {
        True: format_html(BADGE, "text-bg-secondary", _("Đã khóa sổ")),
        False: format_html(BADGE, "text-bg-success", _("Đang mở")),
    }
    html = []
    for row in rows:
        period = row["period"]
        province = period.province
        html.append(
            format_html(
                ROW,
                province.code,
                period_url.format(period.pk),
                province.name,
                levels.get(period.filing_level, levels["commune"]),
                portal_value(period.due_on),
                completeness_cells(row),
                states[bool(period.is_closed)],
            )
        )
    return mark_safe("".join(html))  # noqa: S308 - every row above is format_html's


def _state_badges() -> dict[str, str]:
    """A filing area's state as a badge, each made once per table ("" stands for missing)."""
    return {
        state: format_html(BADGE, css, text)
        for state, css, text in (
            ("on_time", "text-bg-success", _("Đúng hạn")),
            ("late", "text-bg-warning", _("Muộn")),
            ("returned", "text-bg-danger", _("Bị trả lại")),
            ("", "text-bg-secondary", _("Chưa nộp")),
        )
    }


def _address(name: str, *args: int) -> str:
    """A route's address with ``{}`` where its last number goes: reversed once per table,
    not once per row."""
    address = reverse(name, args=[*args, 0])
    head, tail = address.rsplit("/0/", 1)
    return f"{head}/{{}}/{tail}"


@register.simple_tag(takes_context=True)
def period_rows(context, rows, period) -> SafeString:
    """The rows of a period's completeness: each filing area, its state, its first
    submission, the way to its report and, where the user may file it now, the button that
    opens it. ``rows`` are (row, can file, is open) as ``period_detail`` gives them."""
    report_url = _address("reports:report_detail")
    open_url = _address("reports:report_open", period.pk)
    token = context.get("csrf_token")
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
    see, resume, start = _("Xem"), _("Tiếp tục soạn"), _("Lập báo cáo")
    badges = _state_badges()
    html = []
    for row, can_file, is_open in rows:
        report = row.report
        status = SafeString("")
        if report and row.state != "returned":
            status = format_html(
                '<span class="small text-body-secondary">· {}</span>',
                report.get_status_display(),
            )
        submitted = report.first_submitted_at if report else None
        when = (
            date_format(template_localtime(submitted), "SHORT_DATETIME_FORMAT")
            if submitted
            else "—"
        )
        actions = SafeString("")
        if report:
            actions = format_html(
                '<a class="btn btn-outline-primary btn-sm" href="{}">{}</a>',
                report_url.format(report.pk),
                see,
            )
        if can_file and is_open and (not report or report.is_editable):
            actions += format_html(
                '\n<form method="post" action="{}" class="d-inline">{}<button class="btn '
                'btn-primary btn-sm" type="submit" data-testid="file-{}">{}</button></form>',
                open_url.format(row.area.pk),
                csrf,
                row.area.code,
                resume if report else start,
            )
        html.append(
            format_html(
                '<tr>\n<td>{}</td>\n<td>{}\n{}</td>\n<td class="small d-none '
                'd-md-table-cell">{}</td>\n<td class="text-end">\n{}\n</td>\n</tr>\n',
                row.area.name,
                badges.get(row.state, badges[""]),
                status,
                when,
                actions,
            )
        )
    return mark_safe("".join(html))  # noqa: S308 - every part above is format_html's
