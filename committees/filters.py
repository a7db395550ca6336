"""FilterSets shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Area, Level, Structure, Training, TrainingKind


class AreaFilter(django_filters.FilterSet):
    """Search the area tree: by name or code, level, structure, parent, day in force."""

    q = django_filters.CharFilter(method="filter_q", label=_("Tìm theo tên hoặc mã"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Cấp"))
    structure = django_filters.ChoiceFilter(choices=Structure.choices, label=_("Cơ cấu"))
    parent = django_filters.CharFilter(field_name="parent__code", label=_("Mã đơn vị trực thuộc"))
    valid_on = django_filters.DateFilter(method="filter_valid_on", label=_("Có hiệu lực vào ngày"))

    class Meta:
        model = Area
        fields = ["q", "level", "structure", "parent", "valid_on"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_valid_on(self, queryset, name, value):
        return queryset.current(value)


def year_choices() -> list[tuple[int, int]]:
    """Reporting years offered by the year selectors: from 2020 to next year."""
    import datetime

    this_year = datetime.date.today().year
    # Labels are text: a year is not a quantity, it must not read "2.024".
    return [(y, str(y)) for y in range(this_year + 1, 2019, -1)]


class YearFilter(django_filters.NumberFilter):
    """A year (the pages render it as a select of recent years, see records/list.html)."""

    def __init__(self, field_name: str, **kwargs) -> None:
        kwargs.setdefault("label", _("Năm"))
        super().__init__(field_name=field_name, **kwargs)


class TrainingFilter(django_filters.FilterSet):
    """Trainings by year, kind, organising area (and its subtree) and title."""

    year = YearFilter("held_on__year")
    kind = django_filters.ChoiceFilter(
        choices=TrainingKind.choices, label=_("Hình thức"), empty_label=_("Tất cả")
    )
    area = django_filters.CharFilter(method="filter_area", label=_("Mã địa bàn (cả cấp dưới)"))
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Nội dung"))

    class Meta:
        model = Training
        fields = ["year", "kind", "area", "q"]

    def filter_area(self, queryset, name, value):
        areas = Area.objects.filter(code=value.strip())
        paths = list(areas.values_list("path", flat=True))
        return queryset._within(paths) if paths else queryset.none()
