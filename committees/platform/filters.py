"""The filter pieces every list shares: years, yes/no, an area with its subtree, and the
records one figure counts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.filters import QuerySetRequestMixin
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ..models.areas import Area
from ..models.choices import Level
from .area_picker import AreaPickFilter


def year_choices() -> list[tuple[int, int]]:
    """Reporting years offered by the year selectors: from 2020 to next year."""
    this_year = datetime.date.today().year
    # Labels are text: a year is not a quantity, it must not read "2.024".
    return [(y, str(y)) for y in range(this_year + 1, 2019, -1)]


def chosen_year(request) -> int:
    """The year chosen on a page (``?year=``): this year by default or when the choice is
    not one of the offered years."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return datetime.date.today().year
    offered = [y for y, _label in year_choices()]
    return year if year in offered else datetime.date.today().year


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 9999})
class YearFilter(django_filters.NumberFilter):
    """A year (the pages render it as a select of recent years, see records/list.html).
    A whole number within the dates the database can hold: a year lookup on 0, -5 or 2023.5
    would fail in the database instead of answering a field error."""

    field_class = forms.IntegerField

    def __init__(self, field_name: str, **kwargs) -> None:
        kwargs.setdefault("label", _("Năm"))
        super().__init__(field_name=field_name, min_value=1, max_value=9999, **kwargs)


class StrictNullBooleanField(forms.NullBooleanField):
    """Empty is "all"; "true"/"false" (or 1/0) filter; anything else is a field error.
    Django's NullBooleanField reads any other text as "all", which would hand an API
    client that wrote ``?is_crowd=yes`` every record as if it had been filtered."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if value in (True, "True", "true", "1"):
            return True
        if value in (False, "False", "false", "0"):
            return False
        raise forms.ValidationError(
            forms.ChoiceField.default_error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": value},
        )


class YesNoFilter(django_filters.BooleanFilter):
    field_class = StrictNullBooleanField


@dataclass(frozen=True)
class Counted:
    """A figure computed from records, as the app that computes it declares it (reports:
    each computed indicator), so a list can hold exactly the records behind it."""

    model: type[models.Model]
    label: Callable[[], str]
    # The rows the figure counts, of those given, over a window of days (both included).
    rows: Callable[[models.QuerySet, datetime.date, datetime.date], models.QuerySet]
    # The figure over those rows (a count, or a sum of one of their fields).
    total: Callable[[models.QuerySet], Decimal]
    summed: str = ""  # the label of the field a sum adds up; empty for a count


# Figures by code, filled in by the apps that compute them (reports.apps).
COUNTED: dict[str, Counted] = {}


class _CountedForm(forms.Form):
    """A figure's records need the figure to be one of the listed model's, and a window."""

    model: type[models.Model]

    def clean(self):
        data = super().clean()
        code = data.get("counted")
        if not code:
            return data
        counted = COUNTED.get(code)
        if counted is None or counted.model is not self.model:
            # The code as a parameter, not formatted in: a typed "%" must stay text.
            message = _("Không có chỉ tiêu “%(code)s” cho loại hồ sơ này.")
            self.add_error("counted", ValidationError(message, params={"code": code}))
        elif not data.get("start") or not data.get("end"):
            self.add_error("start", _("Hãy chọn khoảng thời gian (từ ngày, đến ngày)."))
        elif data["start"] > data["end"]:
            self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


class ScopedFilterSet(django_filters.FilterSet):
    """A FilterSet whose choices of records (a committee, a report's period) are those
    the user sees (``visible_to``): an id out of scope is refused just as one that does
    not exist, on the page and in the API. A filter that gives its own choices as a
    function of the request keeps them."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for choice in self.filters.values():
            if isinstance(choice, QuerySetRequestMixin) and not callable(choice.queryset):
                choice.queryset = _visible_choices(choice, self.request)


def _visible_choices(choice: QuerySetRequestMixin, request) -> models.QuerySet:
    queryset = choice.queryset
    if queryset is None:
        queryset = choice.model._meta.get_field(choice.field_name).related_model.objects.all()
    if request is None or not hasattr(queryset, "visible_to"):
        return queryset  # outside a request the results are scoped by the view alone
    return queryset.visible_to(request.user)


def visible_areas(request) -> models.QuerySet:
    """The areas a filter may name: those the user sees (all, outside a request)."""
    return Area.objects.visible_to(request.user) if request is not None else Area.objects.all()


class AreaSubtreeFilterSet(ScopedFilterSet):
    """A FilterSet for records of an area, its subtree included: ``area`` is picked by name
    (``2025:06658``) or typed as a code (see area_picker.py).

    The links of a report's figures use the rest (DESIGN.md, "a figure in a summary opens
    the records behind it"): ``counting_for`` (an area id) keeps the records whose figures
    count for that area, its legacy predecessors' included (``counting_for``);
    ``own_to`` and ``area_level`` those of a province's own part; ``counted`` with
    ``start`` and ``end`` those one figure counts in that window.

    The code means the unit ``Area.objects.for_code`` says, among those the user sees;
    the records are those that count for it (``counting_for``: a unit of today's map
    includes the legacy units it took over)."""

    area = AreaPickFilter()
    counting_for = django_filters.ModelChoiceFilter(
        queryset=visible_areas,
        method="filter_counting_for",
        label=_("Được tính cho địa bàn"),
        widget=forms.HiddenInput,
    )
    own_to = django_filters.ModelChoiceFilter(
        queryset=visible_areas,
        method="filter_own_to",
        label=_("Của riêng địa bàn"),
        widget=forms.HiddenInput,
    )
    area_level = django_filters.ChoiceFilter(
        choices=Level.choices,
        method="filter_area_level",
        label=_("Cấp của địa bàn"),
        widget=forms.HiddenInput,
    )
    counted = django_filters.CharFilter(
        method="filter_nothing", label=_("Chỉ tiêu"), widget=forms.HiddenInput
    )
    start = django_filters.DateFilter(
        method="filter_nothing", label=_("Từ ngày"), widget=forms.HiddenInput
    )
    end = django_filters.DateFilter(
        method="filter_nothing", label=_("Đến ngày"), widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.request is not None:
            areas = Area.objects.visible_to(self.request.user)
            self.form.fields["area"].widget.areas = areas

    def get_form_class(self):
        form = super().get_form_class()
        return type(form.__name__, (_CountedForm, form), {"model": self._meta.model})

    # An area's id in the query (the schema cannot guess it from a method filter).
    @extend_schema_field(OpenApiTypes.INT)
    def filter_counting_for(self, queryset, name, value):
        return queryset.counting_for(value)

    @extend_schema_field(OpenApiTypes.INT)
    def filter_own_to(self, queryset, name, value):
        return queryset.own_to(value)

    def filter_area_level(self, queryset, name, value):
        return queryset.filter(**{f"{queryset.area_field}__level": value})

    def filter_nothing(self, queryset, name, value):
        return queryset  # read with ``counted`` (filter_queryset)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("counted"):
            queryset = COUNTED[data["counted"]].rows(queryset, data["start"], data["end"])
        return queryset

    def counted_summary(self, rows: models.QuerySet, paginator) -> dict | None:
        """What the list holds when it is a figure's records: the figure, the area, the
        window, and the figure recomputed over the rows listed (one query for a sum)."""
        data = self.form.cleaned_data
        if not data.get("counted"):
            return None
        counted = COUNTED[data["counted"]]
        return {
            "label": counted.label(),
            "area": data.get("counting_for") or data.get("own_to"),
            "level": Level(data["area_level"]).label if data.get("area_level") else "",
            "start": data["start"],
            "end": data["end"],
            "rows": paginator.count,
            "capped": paginator.capped,
            "summed": counted.summed,
            "total": counted.total(rows) if counted.summed else paginator.count,
        }
