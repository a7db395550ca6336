"""The filter pieces every list shares: years, yes/no, an area with its subtree."""

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from ..models.areas import Area


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


class AreaSubtreeFilterSet(django_filters.FilterSet):
    """A FilterSet for records of an area: ``area`` is an area code, its subtree included."""

    area = django_filters.CharFilter(method="filter_area", label=_("Mã địa bàn (cả cấp dưới)"))

    def filter_area(self, queryset, name, value):
        paths = list(Area.objects.filter(code=value.strip()).values_list("path", flat=True))
        return queryset._within(paths) if paths else queryset.none()
