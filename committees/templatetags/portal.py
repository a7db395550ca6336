"""Template helpers of the portal's own layout."""

import datetime
import functools
from decimal import Decimal

from django import forms, template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.forms.boundfield import BoundField
from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

from committees.platform.percent import Percent

register = template.Library()

_CHECK_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def bootstrap(field: BoundField) -> str:
    """Render a form field's widget with Bootstrap's classes and its error state."""
    widget = field.field.widget
    if isinstance(widget, _CHECK_WIDGETS):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.simple_tag
def row_class(kind, obj) -> str:
    """The CSS class of a list row (``table-danger`` for an overdue task)."""
    return kind.row_class(obj) if kind.row_class else ""


@register.simple_tag
def column_value(obj, column) -> str:
    """A list cell, formatted by ``portal_value``."""
    return portal_value(column.value(obj))


@register.simple_tag
def record_rows(kind, page) -> str:
    """The rows of a record list, as ``records/partials/_rows.html`` wrote them with a
    loop of tags per cell: one ``<tr>`` per record, a ``<td>`` per column (its classes and
    label once per list), the linked column opening the record, each value by
    ``portal_value``."""
    cells = [
        (
            f'<td class="{_text(column.css_class)}{" stack-title" if column.link else ""}"'
            f' data-label="{_text(column.label)}">',
            column,
        )
        for column in kind.columns
    ]
    rows = []
    for obj in page:
        row_css = conditional_escape(kind.row_class(obj) if kind.row_class else "")
        row = [f'\n    <tr class="{row_css}">']
        for opening, column in cells:
            value = conditional_escape(portal_value(column.value(obj)))
            if column.link:
                value = f'<a href="{_text(obj.get_absolute_url())}">{value}</a>'
            row.append(f"{opening}{value}</td>")
        row.append("</tr>\n  ")
        rows.append("".join(row))
    return mark_safe("".join(rows))  # noqa: S308 - every text above is escaped


def _text(value) -> str:
    """``{{ value }}`` in a template (``render_value_in_context`` with autoescaping)."""
    value = formats.localize(template_localtime(value))
    return conditional_escape(value if issubclass(type(value), str) else str(value))


@register.simple_tag
def annex_row(line, links, own_parts, areas) -> str:
    """A line of the summary's annex: the indicator, its total, the province's own parts
    and each reporting area's figure, each opening its records where they have a list —
    one tag per line, not a dozen per cell."""
    code = line.indicator.code
    link = get_item(links, code)
    total = conditional_escape(portal_number(line.total))
    cells = [f'<tr><th scope="row" class="fw-normal">{_text(line.indicator.label)}</th>']
    if link:
        cells.append(
            f'<td class="text-end fw-semibold"><a href="{_text(link["total"])}">{total}</a></td>'
        )
    else:
        cells.append(f'<td class="text-end fw-semibold">{total}</td>')
    for level, _label in own_parts:
        value = conditional_escape(portal_number(get_item(line.own_parts, level)))
        if link:
            value = f'<a href="{_text(get_item(link["own"], level))}">{value}</a>'
        cells.append(f'<td class="text-end">{value}</td>')
    testid = f"records-{_text(code)}-"
    for area in areas:
        value = conditional_escape(portal_number(get_item(line.by_area, area.pk)))
        if link:
            href = _text(get_item(link["areas"], area.pk))
            value = f'<a href="{href}" data-testid="{testid}{_text(area.code)}">{value}</a>'
        cells.append(f'<td class="text-end">{value}</td>')
    cells.append("</tr>")
    return mark_safe("".join(cells))  # noqa: S308 - every text above is escaped


@register.filter
def portal_value(value) -> str:
    """Dates as dd/mm/yyyy, numbers grouped (8.532), yes/no in words, the rest as text."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, Percent):
        return formats.number_format(value, decimal_pos=1 if value % 1 else 0) + "%"
    if isinstance(value, int | float):
        return formats.number_format(value, force_grouping=True)
    return str(value)


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (a figure of one area in the summary's annex)."""
    return mapping.get(key) if mapping else None


@register.filter
def portal_number(value) -> str:
    """A report figure: grouped, decimals only when it has them (8.532; 66,7)."""
    if value is None or value == "":
        return "—"
    try:
        return _number_text(value, translation.get_language())
    except TypeError:  # unhashable: not a number either, Decimal() says so
        return _number(value)


# A figure goes through the locale's formats, a dozen lookups each time; the same figures
# come back on every page (counts of a few dozen, a country's table has 500 of them), so
# each is formatted once per language. Equal numbers print the same, whatever their type
# (7, Decimal("7.00")), so they may share an entry.
@functools.lru_cache(maxsize=4096)
def _number_text(value, language: str | None) -> str:
    return _number(value)


def _number(value) -> str:
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 1 if value * 10 % 1 == 0 else 2
    return formats.number_format(value, decimal_pos=places, force_grouping=True)


@receiver(setting_changed)
def _forget_number_texts(**kwargs) -> None:
    """Formats depend on settings, which only tests change."""
    _number_text.cache_clear()


@register.simple_tag(takes_context=True)
def sort_link(context, column) -> str:
    """The query string that sorts a list by a column (again: the other way round)."""
    current = context.get("sort", "")
    target = f"-{column.sort}" if current == column.sort else column.sort
    query = context["request"].GET.copy()
    query["sort"] = target
    query.pop("page", None)
    return "?" + query.urlencode()


@register.filter
def urlname(name: str, arg=None) -> str:
    """``reverse`` for a URL name built in a template (``prefix|add:'_list'|urlname``)."""
    return reverse(name, args=[arg] if arg is not None else [])


@register.filter
def bootstrap_sm(field: BoundField) -> str:
    """``bootstrap`` in the small size used by filter bars."""
    widget = field.field.widget
    css = (
        "form-select form-select-sm"
        if isinstance(widget, forms.Select)
        else "form-control form-control-sm"
    )
    return field.as_widget(attrs={"class": css})
