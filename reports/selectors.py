"""Reading the reporting cycle: completeness of a period (as DHIS2 counts reporting rates)
and the reviewing level's summary, aggregated in the database."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from committees.models import Area, share

from .catalogue import computed_figures, ratio
from .models import (
    Aggregation,
    AnnualReport,
    Indicator,
    ReportingPeriod,
    ReportStatus,
    ReportValue,
    Source,
)

ON_TIME, LATE, RETURNED, WAITING, MISSING = "on_time", "late", "returned", "waiting", "missing"


@dataclass
class CompletenessRow:
    area: Area
    report: AnnualReport | None
    state: str


def _state(report: AnnualReport | None, due: datetime.date) -> str:
    if report is None or report.first_submitted_at is None:
        return MISSING
    if report.status == ReportStatus.RETURNED:
        return RETURNED
    on_time = timezone.localdate(report.first_submitted_at) <= due
    return ON_TIME if on_time else LATE


def completeness(period: ReportingPeriod, within: Area | None = None) -> dict:
    """Expected reports (the filing areas), actual (submitted at least once and not sent
    back), actual on time, and both rates; one row per expected area."""
    areas = period.filing_areas()
    if within is not None:
        areas = areas.filter(path__startswith=within.path)
    areas = list(areas.order_by("path"))
    reports = {
        r.area_id: r
        for r in AnnualReport.objects.filter(period=period, area__in=[a.pk for a in areas])
    }
    rows = [
        CompletenessRow(a, reports.get(a.pk), _state(reports.get(a.pk), period.due_on))
        for a in areas
    ]
    counts = defaultdict(int)
    for row in rows:
        counts[row.state] += 1
    expected = len(rows)
    actual = counts[ON_TIME] + counts[LATE]
    return {
        "rows": rows,
        "expected": expected,
        "actual": actual,
        "on_time": counts[ON_TIME],
        "late": counts[LATE],
        "returned": counts[RETURNED],
        "missing": counts[MISSING],
        "rate": share(actual, expected),
        "on_time_rate": share(counts[ON_TIME], expected),
    }


def completeness_overview(periods: QuerySet[ReportingPeriod], year: int) -> dict:
    """Every province's completeness in ``year`` (of ``periods``, those the user sees) and
    the sum of them all — the country's, for the central level: two queries, counted in
    the database, however many provinces and districts. The same rules as
    ``completeness``."""
    level = ReportingPeriod(year=year).filing_level
    submitted = Q(reports__area__level=level, reports__first_submitted_at__isnull=False)
    returned = Q(reports__status=ReportStatus.RETURNED)
    in_time = Q(reports__first_submitted_at__date__lte=F("due_on"))
    rows = list(
        periods.filter(year=year)
        .select_related("province")
        .annotate(
            on_time=Count("reports", filter=submitted & ~returned & in_time),
            late=Count("reports", filter=submitted & ~returned & ~in_time),
            returned=Count("reports", filter=submitted & returned),
        )
        .order_by("province__path")
    )
    # Each province's filing areas, counted by the province part of their paths: one
    # query for the whole country (a count per province was a LIKE against every area).
    structures = {period.province.structure for period in rows}
    areas = Area.objects.filter(structure__in=structures, level=level)
    paths = areas.values_list("path", flat=True) if rows else []
    expected = Counter("/".join(path.split("/")[:2]) + "/" for path in paths)
    keys = ("expected", "on_time", "late", "returned")
    for period in rows:
        period.expected = expected.get(period.province.path, 0)
    total = {key: sum(getattr(p, key) for p in rows) for key in keys}
    return {
        "rows": [_rates(p, {key: getattr(p, key) for key in keys}) for p in rows],
        "total": _rates(None, total),
    }


def _rates(period: ReportingPeriod | None, counts: dict) -> dict:
    actual = counts["on_time"] + counts["late"]
    return {
        "period": period,
        **counts,
        "actual": actual,
        "missing": counts["expected"] - actual - counts["returned"],
        "rate": share(actual, counts["expected"]),
        "on_time_rate": share(counts["on_time"], counts["expected"]),
    }


def completeness_trend(province: Area) -> list[dict]:
    """The rates of every period of a province, oldest first."""
    periods = ReportingPeriod.objects.filter(province=province).order_by("year")
    return [
        {"period": p, **{k: v for k, v in completeness(p).items() if k != "rows"}} for p in periods
    ]


@dataclass
class SummaryLine:
    indicator: Indicator
    total: Decimal | None
    previous: Decimal | None
    by_area: dict[int, Decimal | None]
    own: Decimal | None  # the province's own records


def _own(period: ReportingPeriod | None, indicators: list[Indicator]) -> dict[int, Decimal]:
    """The province's own records (not its subtree's): they are in no child's report."""
    if period is None:
        return {}
    figures = computed_figures(period.province, period.year, own_only=True)
    return {
        i.pk: figures[i.code]
        for i in indicators
        if i.source == Source.COMPUTED and i.aggregation == Aggregation.SUM and i.code in figures
    }


def _sums(period: ReportingPeriod | None, own: dict[int, Decimal]) -> tuple[dict, dict]:
    """Sums of accepted reports' figures plus the province's own, per indicator, and per
    (indicator, reporting area): two GROUP BY queries."""
    if period is None:
        return {}, {}
    accepted = ReportValue.objects.filter(
        report__period=period, report__status=ReportStatus.ACCEPTED
    )
    totals = dict(
        accepted.values("indicator_id").annotate(s=Sum("value")).values_list("indicator_id", "s")
    )
    for pk, value in own.items():
        totals[pk] = (totals.get(pk) or Decimal(0)) + value
    by_area = defaultdict(dict)
    rows = accepted.values("indicator_id", "report__area_id").annotate(s=Sum("value"))
    for row in rows:
        by_area[row["indicator_id"]][row["report__area_id"]] = row["s"]
    return totals, by_area


def summary(period: ReportingPeriod) -> dict:
    """The province's summary of its accepted reports: sums, ratios of sums (never an
    average of percentages), a breakdown by reporting area and last year's figures."""
    indicators = list(Indicator.objects.filter(active=True).exclude(aggregation=Aggregation.TEXT))
    previous_period = ReportingPeriod.objects.filter(
        province=period.province, year=period.year - 1
    ).first()
    own = _own(period, indicators)
    totals, by_area = _sums(period, own)
    previous, _previous_by_area = _sums(previous_period, _own(previous_period, indicators))
    reporting = list(
        Area.objects.filter(
            annual_reports__period=period, annual_reports__status=ReportStatus.ACCEPTED
        ).order_by("path")
    )
    lines = []
    for indicator in indicators:
        if indicator.aggregation == Aggregation.RATIO:
            n, d = indicator.numerator_id, indicator.denominator_id
            line = SummaryLine(
                indicator,
                ratio(totals.get(n), totals.get(d)),
                ratio(previous.get(n), previous.get(d)),
                {a.pk: ratio(by_area[n].get(a.pk), by_area[d].get(a.pk)) for a in reporting},
                ratio(own.get(n), own.get(d)),
            )
        else:
            line = SummaryLine(
                indicator,
                totals.get(indicator.pk),
                previous.get(indicator.pk),
                {a.pk: by_area[indicator.pk].get(a.pk) for a in reporting},
                own.get(indicator.pk),
            )
        lines.append(line)
    sections = defaultdict(list)
    for line in lines:
        sections[line.indicator.section].append(line)
    return {
        "period": period,
        "previous_period": previous_period,
        "areas": reporting,
        "sections": dict(sections),
        "lines": lines,
    }
