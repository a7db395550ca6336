"""FilterSets shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Area, Level, Structure


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
