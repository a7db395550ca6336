"""Reading the reporting cycle: completeness of a period (as DHIS2 counts reporting rates)
and the reviewing level's summary, aggregated in the database."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committees.models import Area, Level, share

from .catalogue import Window, own_figures_by_level, ratio, window_of
from .models import (
    Aggregation,
    AnnualReport,
    Indicator,
    ReportingPeriod,
    ReportRuleNote,
    ReportStatus,
    ReportValue,
    Source,
    ValidationRule,
    filed_for,
)
from .rules import Violation, violations

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
    the sum of them all — the country's, for the central level: one query, counted in the
    database by an indexed subquery per figure and province, however many provinces and
    districts. The same rules as ``completeness``."""
    level = ReportingPeriod(year=year).filing_level
    filed = AnnualReport.objects.filter(
        period=OuterRef("pk"), area__level=level, first_submitted_at__isnull=False
    )
    kept = filed.exclude(status=ReportStatus.RETURNED)
    in_time = Q(first_submitted_at__date__lte=OuterRef("due_on"))
    # The filing areas under a province (``filing_areas``) are its children of the filing
    # level in both structures (districts of the legacy tree, communes of the two-level
    # one): counted through the parent's index, not by matching every area's path.
    filing = Area.objects.filter(parent=OuterRef("province"), level=level)
    rows = list(
        periods.filter(year=year)
        .select_related("province")
        .annotate(
            on_time=_count(kept.filter(in_time), "period"),
            late=_count(kept.exclude(in_time), "period"),
            returned=_count(filed.filter(status=ReportStatus.RETURNED), "period"),
            expected=_count(filing, "parent"),
        )
        .order_by("province__path")
    )
    keys = ("expected", "on_time", "late", "returned")
    total = {key: sum(getattr(p, key) for p in rows) for key in keys}
    return {
        "rows": [_rates(p, {key: getattr(p, key) for key in keys}) for p in rows],
        "total": _rates(None, total),
    }


def _count(rows: QuerySet, outer: str) -> Coalesce:
    """How many ``rows`` there are for the outer row (``rows`` filter on ``outer`` by it)."""
    counted = rows.order_by().values(outer).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


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
    """The rates of every year the province reported, oldest first; for a province of
    today's map, the years before it existed are its predecessors' periods summed (rates
    recomputed from the summed counts). Two queries, however many years and provinces."""
    predecessors = Area.objects.filter(successors=province, level=Level.PROVINCE)
    periods = list(
        ReportingPeriod.objects.filter(Q(province=province) | Q(province__in=predecessors))
        .select_related("province")
        .annotate(**_REPORT_COUNTS)
        .order_by("year", "province__path")
    )
    filing = Counter(
        ("/".join(path.split("/")[:2]) + "/", level)
        for path, level in Area.objects.filter(level__in=[Level.DISTRICT, Level.COMMUNE])
        ._within({p.province.path for p in periods})
        .values_list("path", "level")
    )
    keys = ("expected", "on_time", "late", "returned")
    by_year: dict[int, list[ReportingPeriod]] = defaultdict(list)
    for period in periods:
        period.expected = filing[(period.province.path, period.filing_level)]
        by_year[period.year].append(period)
    return [
        {
            **_rates(None, {key: sum(getattr(p, key) for p in group) for key in keys}),
            "year": year,
            "period": group[0],  # the first province's, for a year summed over several
            "provinces": [p.province for p in group],
        }
        for year, group in sorted(by_year.items())
    ]


# A period's reports by how they were filed (the rules of ``completeness``).
_SUBMITTED = Q(reports__first_submitted_at__isnull=False)
_RETURNED = Q(reports__status=ReportStatus.RETURNED)
_IN_TIME = Q(reports__first_submitted_at__date__lte=F("due_on"))
_REPORT_COUNTS = {
    "on_time": Count("reports", filter=_SUBMITTED & ~_RETURNED & _IN_TIME),
    "late": Count("reports", filter=_SUBMITTED & ~_RETURNED & ~_IN_TIME),
    "returned": Count("reports", filter=_SUBMITTED & _RETURNED),
}


@dataclass
class SummaryLine:
    indicator: Indicator
    total: Decimal | None
    previous: Decimal | None
    by_area: dict[int, Decimal | None]
    own: Decimal | None  # the province's own records, all parts together
    own_parts: dict[str, Decimal | None]  # … by where they were kept (OWN_PARTS)


# Where the province's own records were kept, as the annex shows them: on the province;
# on a former district (until 30/06/2025); on a split commune not attributed yet.
OWN_PARTS = {
    Level.PROVINCE: _("Cấp tỉnh"),
    Level.DISTRICT: _("Cấp huyện (đến 30/06/2025)"),
    Level.COMMUNE: _("Xã chia tách, chưa phân bổ"),
}


def _own_parts(
    province: Area, window: Window, indicators: list[Indicator]
) -> dict[str, dict[int, Decimal]]:
    """The province's own records (not its subtree's reports'), by part: they are in no
    child's report."""
    summed = [
        i for i in indicators if i.source == Source.COMPUTED and i.aggregation == Aggregation.SUM
    ]
    parts = own_figures_by_level(province, window)
    return {
        level: {i.pk: figures[i.code] for i in summed if i.code in figures}
        for level, figures in parts.items()
    }


def _add(target: dict[int, Decimal], values: dict[int, Decimal]) -> None:
    for pk, value in values.items():
        if value is not None:
            target[pk] = (target.get(pk) or Decimal(0)) + value


def _sums(periods: list[ReportingPeriod], indicators: list[Indicator]) -> tuple[dict, dict, dict]:
    """Sums of the accepted reports' figures plus the provinces' own, per indicator; per
    (indicator, reporting area); and the own parts: two GROUP BY queries and one query per
    kind of record."""
    if not periods:
        return {}, {}, {}
    accepted = ReportValue.objects.filter(
        report__period__in=periods, report__status=ReportStatus.ACCEPTED
    )
    totals = dict(
        accepted.values("indicator_id").annotate(s=Sum("value")).values_list("indicator_id", "s")
    )
    parts: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for period in periods:
        for level, values in _own_parts(period.province, window_of(period), indicators).items():
            _add(parts[level], values)
    for values in parts.values():
        _add(totals, values)
    by_area = defaultdict(dict)
    rows = accepted.values("indicator_id", "report__area_id").annotate(s=Sum("value"))
    for row in rows:
        by_area[row["indicator_id"]][row["report__area_id"]] = row["s"]
    return totals, by_area, parts


def _figure(indicator: Indicator, source: dict) -> Decimal | None:
    """A sum as it stands; a ratio recomputed from its summed parts, never averaged."""
    if indicator.aggregation == Aggregation.RATIO:
        return ratio(source.get(indicator.numerator_id), source.get(indicator.denominator_id))
    return source.get(indicator.pk)


def summary(period: ReportingPeriod) -> dict:
    """The province's summary of its accepted reports: sums, ratios of sums (never an
    average of percentages), a breakdown by reporting area and by the province's own
    parts, and last year's figures (summed over the provinces that became this one)."""
    indicators = list(Indicator.objects.filter(active=True).exclude(aggregation=Aggregation.TEXT))
    previous_periods = list(
        ReportingPeriod.objects.filter(
            province__in=filed_for(period.province, period.year - 1), year=period.year - 1
        )
        .select_related("province")
        .order_by("province__path")
    )
    totals, by_area, parts = _sums([period], indicators)
    previous, _previous_by_area, _previous_parts = _sums(previous_periods, indicators)
    reporting = list(
        Area.objects.filter(
            annual_reports__period=period, annual_reports__status=ReportStatus.ACCEPTED
        ).order_by("path")
    )
    own = {}
    for values in parts.values():
        _add(own, values)
    present = [
        level for level in OWN_PARTS if level == Level.PROVINCE or any(parts[level].values())
    ]
    # Each area's figures, once (a ratio reads two of them).
    of_area = {a.pk: by_area_of(by_area, a.pk) for a in reporting}
    lines = [
        SummaryLine(
            indicator,
            _figure(indicator, totals),
            _figure(indicator, previous),
            {a.pk: _figure(indicator, of_area[a.pk]) for a in reporting},
            _figure(indicator, own),
            {level: _figure(indicator, parts[level]) for level in present},
        )
        for indicator in indicators
    ]
    sections = defaultdict(list)
    for line in lines:
        sections[line.indicator.section_label].append(line)
    return {
        "period": period,
        "previous_period": previous_periods[0] if previous_periods else None,
        "previous_periods": previous_periods,
        "previous_year": period.year - 1 if previous_periods else None,
        "areas": reporting,
        "own_parts": [(level, OWN_PARTS[level]) for level in present],
        "sections": dict(sections),
        "lines": lines,
    }


def by_area_of(by_area: dict[int, dict[int, Decimal]], area_pk: int) -> dict[int, Decimal]:
    """One reporting area's figures, per indicator."""
    return {pk: values.get(area_pk) for pk, values in by_area.items()}


@dataclass
class ReportCheck:
    """One report of a period against the validation rules, with the filer's notes."""

    report: AnnualReport
    violations: list[Violation]
    notes: dict[int, str]

    @property
    def errors(self) -> int:
        return sum(v.is_error for v in self.violations)

    @property
    def warnings(self) -> int:
        return len(self.violations) - self.errors


def period_checks(period: ReportingPeriod, rules: list[ValidationRule]) -> dict:
    """Every report of the period against ``rules``: the figures of all reports in one
    query, the notes in another, the rules evaluated in Python over them — the same
    number of queries for 13 districts or 54 communes. Also, per rule, how many reports
    break it."""
    reports = list(
        AnnualReport.objects.filter(period=period).select_related("area").order_by("area__path")
    )
    figures: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    rows = ReportValue.objects.filter(
        report__period=period, indicator__aggregation=Aggregation.SUM
    ).values_list("report_id", "indicator__code", "value")
    for report_id, code, value in rows:
        figures[report_id][code] = value
    notes: dict[int, dict[int, str]] = defaultdict(dict)
    noted = ReportRuleNote.objects.filter(report__period=period)
    for report_id, rule_id, note in noted.values_list("report_id", "rule_id", "note"):
        notes[report_id][rule_id] = note
    checks = [ReportCheck(r, violations(rules, figures[r.pk]), notes[r.pk]) for r in reports]
    broken = Counter(v.rule.pk for check in checks for v in check.violations)
    failing = [check for check in checks if check.violations]
    return {
        "checks": checks,
        "failing": failing,
        "passing": len(checks) - len(failing),
        "rules": [(rule, broken[rule.pk]) for rule in rules],
        "with_errors": sum(1 for check in checks if check.errors),
        "with_warnings": sum(1 for check in checks if check.warnings),
    }


# The figures the province follows over the years (the trend of its page and summary).
TREND_COUNTS = (
    "documents",
    "training_classes",
    "inspections",
    "supervisions",
    "receptions",
    "dialogues",
    "typical_models",
)
TREND_RATES = ("units_regulation_share", "petitions_resolution_rate")
TREND_TABLE = (
    "training_classes",
    "training_attendances",
    "inspection_members",
    "supervision_members",
    "petitions_received",
    *TREND_RATES,
)


def province_trend(province: Area, until: int) -> dict:
    """Every year up to ``until`` the province (or, before it existed, the provinces
    that became it) reported: completeness and the key indicators as each year's summary
    gives them — the accepted reports and the province's own records, ratios recomputed
    from the summed parts. Queries: two for completeness, one for the periods, and per
    year those of its summary's sums."""
    indicators = list(Indicator.objects.filter(active=True).exclude(aggregation=Aggregation.TEXT))
    by_code = {i.code: i for i in indicators}
    predecessors = Area.objects.filter(successors=province, level=Level.PROVINCE)
    periods: dict[int, list[ReportingPeriod]] = defaultdict(list)
    for period in (
        ReportingPeriod.objects.filter(Q(province=province) | Q(province__in=predecessors))
        .filter(year__lte=until)
        .select_related("province")
        .order_by("year", "province__path")
    ):
        periods[period.year].append(period)
    rows = []
    for row in completeness_trend(province):
        if row["year"] > until:
            continue
        totals = _sums(periods[row["year"]], indicators)[0]
        figures = {code: _figure(i, totals) for code, i in by_code.items()}
        rows.append({**row, "figures": figures})
    return {
        "rows": rows,
        "indicators": [by_code[code] for code in TREND_TABLE if code in by_code],
        "counts": [by_code[code] for code in TREND_COUNTS if code in by_code],
        "rates": [by_code[code] for code in TREND_RATES if code in by_code],
    }
