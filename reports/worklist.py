"""The reports' share of the home page's work list.

An area's own officials see the reports they have to file (with the due date) and those
returned to them (with the reason); the reviewing level sees the reports waiting for its
decision and, per open period, how many areas have not filed yet. A fixed number of
queries whatever the number of areas.
"""

from __future__ import annotations

import datetime
from functools import reduce
from operator import or_

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from committees.models import EDITOR_ROLES, Area, Level
from committees.platform.worklist import WorkGroup, WorkItem, first_and_count

from .models import AnnualReport, FilingException, ReportingPeriod, ReportStatus

FILED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def _open_periods(user, today: datetime.date) -> list[ReportingPeriod]:
    """The periods of the user's provinces that take reports today."""
    periods = (
        ReportingPeriod.objects.visible_to(user)
        .taking_reports(today)
        .select_related("province")
        .order_by("-year", "province__path")
    )
    return list(periods)


def _own_paths(user) -> list[str]:
    """The areas the user keeps records for from within (not the reviewing province)."""
    return [
        a.area.path
        for a in user.role_assignments()
        if a.role in EDITOR_ROLES and a.area.level != Level.PROVINCE
    ]


def _to_file(user, periods: list[ReportingPeriod], today: datetime.date) -> list[WorkGroup]:
    """Reports the user's own areas still have to file, and those returned to them."""
    own = _own_paths(user)
    if not own or not periods:
        return []
    where = reduce(
        or_,
        (
            Q(path__startswith=path)
            & Q(path__startswith=p.province.path, level=p.filing_level, structure=p.structure)
            for path in own
            for p in periods
        ),
    )
    areas = list(Area.objects.filter(where).order_by("path"))
    if not areas:
        return []
    # Only what the list shows: a report's texts are long, and a commune has one per year.
    reports = {
        (r.period_id, r.area_id): r
        for r in AnnualReport.objects.filter(period__in=periods, area__in=areas).only(
            "period", "area", "status", "version", "return_reason"
        )
    }
    # After closing, an area files only on leave (``open_for_filing``, for many periods).
    late_leave = {
        (e.period_id, e.area_id): e.until
        for e in FilingException.objects.running(today).filter(
            period__in=[p for p in periods if p.closed_by(today)], area__in=areas
        )
    }
    to_file, returned = [], []
    for period in periods:
        for area in areas:
            if not area.path.startswith(period.province.path) or area.level != period.filing_level:
                continue
            key = (period.pk, area.pk)
            if period.closed_by(today) and key not in late_leave:
                continue
            report = reports.get(key)
            if report is not None and report.status in FILED:
                continue
            due = late_leave.get(key, period.due_on)
            title = _("Báo cáo năm %(year)s — %(area)s") % {"year": period.year, "area": area.name}
            if report is not None and report.status == ReportStatus.RETURNED:
                reason = Truncator(report.return_reason).chars(160)
                detail = _("Lý do trả lại: %(reason)s") % {"reason": reason}
                returned.append(
                    WorkItem(
                        title, reverse("reports:report_edit", args=[report.pk]), detail, due, today
                    )
                )
            elif report is not None:
                detail = _("Đang soạn, phiên bản %(version)s") % {"version": report.version}
                to_file.append(
                    WorkItem(
                        title, reverse("reports:report_edit", args=[report.pk]), detail, due, today
                    )
                )
            else:
                detail = _("Chưa lập")
                to_file.append(WorkItem(title, period.get_absolute_url(), detail, due, today))
    more = reverse("reports:period_list")
    return [
        WorkGroup(
            "returned",
            _("Báo cáo bị trả lại"),
            "arrow-return-left",
            len(returned),
            returned,
            more,
            order=10,
        ),
        WorkGroup(
            "to_file",
            _("Báo cáo cần lập và nộp"),
            "journal-text",
            len(to_file),
            to_file,
            more,
            order=20,
        ),
    ]


def _reviewed_provinces(user, periods: list[ReportingPeriod]) -> list[ReportingPeriod]:
    """The periods whose province the user reviews (editors of the whole province)."""
    return [p for p in periods if p.province.level == Level.PROVINCE and user.keeps(p.province)]


def _to_review(user, periods: list[ReportingPeriod], today: datetime.date) -> list[WorkGroup]:
    """Reports waiting for the reviewer's decision, oldest submission first."""
    waiting = (
        AnnualReport.objects.filter(status=ReportStatus.SUBMITTED, period__in=periods)
        .select_related("area", "period")
        .only("submitted_at", "area__name", "period__year")
        .order_by("submitted_at", "id")
    )
    rows, count = first_and_count(waiting)
    items = [
        WorkItem(
            str(report),
            report.get_absolute_url(),
            _("Nộp ngày %(day)s") % {"day": date_format(report.submitted_at, "SHORT_DATE_FORMAT")}
            if report.submitted_at
            else "",
        )
        for report in rows
    ]
    more = periods[0].get_absolute_url() if len(periods) == 1 else reverse("reports:period_list")
    return [
        WorkGroup(
            "to_review", _("Báo cáo chờ xem xét, tiếp nhận"), "inbox", count, items, more, order=15
        )
    ]


def _not_filed(periods: list[ReportingPeriod], today: datetime.date) -> list[WorkGroup]:
    """Per period the reviewer follows: how many areas have not filed yet."""
    required = Area.objects.aggregate(
        **{
            f"p{p.pk}": Count(
                "pk",
                filter=Q(
                    path__startswith=p.province.path, level=p.filing_level, structure=p.structure
                ),
            )
            for p in periods
        }
    )
    filed = dict(
        AnnualReport.objects.filter(period__in=periods, status__in=FILED)
        .values("period")
        .annotate(n=Count("pk"))
        .values_list("period", "n")
    )
    items = []
    for period in periods:
        total = required[f"p{period.pk}"]
        missing = total - filed.get(period.pk, 0)
        if missing <= 0:
            continue
        items.append(
            WorkItem(
                _("Năm %(year)s: %(missing)s/%(total)s đơn vị chưa nộp")
                % {"year": period.year, "missing": missing, "total": total},
                period.get_absolute_url(),
                period.province.label,
                period.due_on,
                today,
            )
        )
    return [
        WorkGroup(
            "not_filed",
            _("Đơn vị chưa nộp báo cáo"),
            "hourglass-split",
            len(items),
            items,
            reverse("reports:period_list"),
            order=25,
        )
    ]


def work(user, today: datetime.date) -> list[WorkGroup]:
    periods = _open_periods(user, today)
    if not periods:
        return []
    reviewed = _reviewed_provinces(user, periods)
    groups = _to_file(user, periods, today)
    if reviewed:
        groups += _to_review(user, reviewed, today) + _not_filed(reviewed, today)
    return groups
