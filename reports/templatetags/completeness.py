"""The rows of the completeness table, built here rather than in a template: the country's
table has 63 provinces of a dozen cells each, and the template's lookups, filters and
translations over them took two thirds of the page (``bench``: reporting year
completeness, 4.3 times the hand-written SQL)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
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
def completeness_row(row: dict) -> SafeString:
    """A province's row: its period (link, filing level, due date), its figures, and
    whether the period is closed."""
    period = row["period"]
    province = period.province
    level = _("Cấp huyện") if period.filing_level == "district" else _("Cấp xã")
    if period.is_closed:
        state = format_html(BADGE, "text-bg-secondary", _("Đã khóa sổ"))
    else:
        state = format_html(BADGE, "text-bg-success", _("Đang mở"))
    return format_html(
        ROW,
        province.code,
        period.get_absolute_url(),
        province.name,
        level,
        portal_value(period.due_on),
        completeness_cells(row),
        state,
    )
