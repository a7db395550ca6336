"""FilterSets of the reports app, shared by the pages and the API."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from committees.models import Area
from committees.platform.filters import ScopedFilterSet

from .models import AnnualReport, ReportingPeriod


def _provinces_of_periods(request) -> QuerySet:
    """The provinces of the periods the user sees (a district sees its province's periods,
    not the province itself)."""
    periods = ReportingPeriod.objects.visible_to(request.user)
    return Area.objects.filter(reporting_periods__in=periods).distinct()


class WholeNumberFilter(django_filters.NumberFilter):
    """A number filter that takes whole numbers only (a year): "6.2" is refused, not
    read as a decimal that matches nothing."""

    field_class = forms.IntegerField


class PeriodFilter(ScopedFilterSet):
    """Reporting periods by year and province."""

    year = WholeNumberFilter(label=_("Năm báo cáo"))
    province = django_filters.ModelChoiceFilter(queryset=_provinces_of_periods, label=_("Tỉnh"))

    class Meta:
        model = ReportingPeriod
        fields = ["year", "province"]


class ReportFilter(ScopedFilterSet):
    """Annual reports by period, area and status."""

    class Meta:
        model = AnnualReport
        fields = ["period", "area", "status"]
