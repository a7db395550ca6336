"""Pages of the reporting cycle: periods and their completeness, the filing form, a
report's review, and the province's summary."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.models import Area

from .catalogue import window_of
from .changes import report_changes
from .charts import trend_charts
from .drilldown import figure_links
from .forms import ExceptionForm, PeriodForm, ReportForm, SummaryForm
from .models import (
    AnnualReport,
    ExportFormat,
    ExportJob,
    JobStatus,
    ReportingPeriod,
    ReportStatus,
    Source,
    SummaryReport,
)
from .rules import Violation, violations
from .selectors import (
    completeness,
    completeness_overview,
    period_checks,
    province_trend,
    summary,
)
from .services import (
    TRANSITIONS,
    ReportConflict,
    active_rules,
    exception_grant,
    export_request,
    may_accept,
    may_file,
    may_review,
    missing_sections,
    open_for_filing,
    report_numbers,
    report_save,
    report_start,
    report_transition,
    report_violations,
    summary_save,
)
from .tasks import export_requeue


def _period(request: HttpRequest, pk: int) -> ReportingPeriod:
    return get_object_or_404(
        ReportingPeriod.objects.visible_to(request.user).select_related("province"), pk=pk
    )


def _report(request: HttpRequest, pk: int) -> AnnualReport:
    """A report the user may see: of an area in their scope, or any of the province for
    its reviewers (``ReportQuerySet.visible_to``, as in the API)."""
    reports = AnnualReport.objects.visible_to(request.user)
    related = reports.select_related("period__province", "area", "submitted_by")
    return get_object_or_404(related, pk=pk)


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    """The reporting years the user sees; for the chosen one (the latest by default), each
    province's completeness and, over several provinces, the country's."""
    periods = ReportingPeriod.objects.visible_to(request.user)
    years = list(periods.order_by("-year").values_list("year", flat=True).distinct())
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else next(iter(years), None)
    # A year asked for that the user's scope has no period of is said, not swapped silently.
    missing = int(asked) if asked.isdigit() and int(asked) not in years else None
    can_open = Area.objects.editable_by(request.user).filter(level="province").exists()
    context = {
        "years": years,
        "year": year,
        "overview": completeness_overview(periods, year) if year else None,
        "can_open": can_open,
        "missing_year": missing,
    }
    return render(request, "reports/period_list.html", context)


@login_required
def period_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    period = _period(request, pk) if pk else None
    if period is not None and not may_review(request.user, period):
        raise PermissionDenied
    if period is None and not Area.objects.editable_by(request.user).filter(level="province"):
        raise PermissionDenied
    form = PeriodForm(request.POST or None, instance=period, user=request.user)
    if request.method == "POST" and form.is_valid():
        period = form.save()
        messages.success(request, _("Đã lưu kỳ báo cáo."))
        return redirect(period)
    return render(request, "reports/period_form.html", {"form": form, "period": period})


@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Completeness of the period for the user's part of the province, and the way in to
    each report they may file or review. The province's trend over the years comes as a
    fragment of this page (htmx, ``?trend=1``) once it is scrolled into view: it costs the
    queries of each year's summary, which the list of who has filed should not wait for."""
    period = _period(request, pk)
    reviewer = may_review(request.user, period)
    if request.htmx and "trend" in request.GET:
        return _period_trend(request, period, reviewer)
    scope = None if reviewer or request.user.is_superuser else _own_area(request, period)
    figures = completeness(period, within=scope)
    area_ids = [row.area.pk for row in figures["rows"]]
    filing = open_for_filing(period, area_ids)
    user = request.user
    rows = [(row, user.keeps(row.area), row.area.pk in filing) for row in figures["rows"]]
    context = {
        "period": period,
        "figures": figures,
        "rows": rows,
        "reviewer": reviewer,
        "exception_form": ExceptionForm(period=period) if reviewer else None,
        "chart": {
            "type": "doughnut",
            "labels": [_("Đúng hạn"), _("Muộn"), _("Bị trả lại"), _("Chưa nộp")],
            "label": _("Tình hình nộp báo cáo"),
            "values": [
                figures["on_time"],
                figures["late"],
                figures["returned"],
                figures["missing"],
            ],
        },
    }
    return render(request, "reports/period_detail.html", context)


def _period_trend(request: HttpRequest, period: ReportingPeriod, reviewer: bool) -> HttpResponse:
    """The province's trend up to the period's year, for those who review its reports."""
    if not reviewer:
        raise PermissionDenied
    trend = province_trend(period.province, period.year)
    context = {
        "trend": trend,
        "today": datetime.date.today(),
        # (id, spec, its small multiples' panels, each with its id)
        "trend_charts": [
            (
                f"trend-chart-{n}",
                spec,
                [(f"trend-chart-{n}-{k}", panel) for k, panel in enumerate(spec.get("charts", []))],
            )
            for n, spec in enumerate(trend_charts(trend))
        ],
    }
    return render(request, "reports/partials/_trend.html", context)


def _own_area(request: HttpRequest, period: ReportingPeriod) -> Area | None:
    """The user's own area within the province (a district secretariat's district)."""
    paths = [p for p in request.user.scope_paths() if p.startswith(period.province.path)]
    return Area.objects.filter(path__in=paths).order_by("path").first()


@login_required
@require_POST
def report_open(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    period = _period(request, pk)
    area = get_object_or_404(Area.objects.visible_to(request.user), pk=area_pk)
    report = report_start(period=period, area=area, actor=request.user)
    return redirect(
        "reports:report_edit" if report.is_editable else "reports:report_detail", report.pk
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    values = list(report.values.select_related("indicator").order_by("indicator__order"))
    sections: dict[str, list] = {}
    for value in values:
        sections.setdefault(value.indicator.section_label, []).append(value)
    link = figure_links(window_of(report.period))
    steps = [
        s
        for s in TRANSITIONS[report.status]
        if (s == ReportStatus.SUBMITTED and may_file(request.user, report.area))
        or (s != ReportStatus.SUBMITTED and may_review(request.user, report.period))
    ]
    own_report = ReportStatus.ACCEPTED in steps and not may_accept(request.user, report)
    if own_report:
        steps.remove(ReportStatus.ACCEPTED)
    context = {
        "report": report,
        "sections": sections,
        "violations": report_violations(report),
        "changes": report_changes(report),
        "links": _computed_links(values, link, report.area),
        "notes": {n.rule_id: n.note for n in report.notes.all()},
        "events": report.events.select_related("actor"),
        "steps": steps,
        "own_report": own_report,
        "can_edit": report.is_editable and may_file(request.user, report.area),
        "formats": ExportFormat.choices,
        "exports": report.exports.select_related("requested_by")[:5],
    }
    return render(request, "reports/report_detail.html", context)


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The filing form. A save based on an older version is refused and both versions
    are shown: what is saved now, and what this user typed (still in the form). As the
    figures are typed, the page asks again (htmx, ``?check=1``) which validation rules
    they break."""
    report = _report(request, pk)
    if not may_file(request.user, report.area):
        raise PermissionDenied
    if not report.is_editable:
        messages.info(request, _("Báo cáo đã nộp; không sửa được nữa."))
        return redirect(report)
    if request.htmx and "check" in request.GET:
        numbers = _typed_numbers(request.GET, report)
        context = {"oob": True, **_checks(numbers, ReportForm(report=report))}
        return render(request, "reports/partials/_rule_check.html", context)
    form = ReportForm(request.POST or None, report=report)
    conflict, incomplete = None, False
    if request.method == "POST" and form.is_valid():
        save = partial(
            report_save,
            report=report,
            version=form.cleaned_data["version"],
            narrative=form.narrative(),
            figures=form.figures(),
            notes=form.notes(),
            actor=request.user,
            issued_on=form.issued_date(),
        )
        try:
            form, conflict = _save_unless_stale(
                request, save, lambda data, saved: ReportForm(data, report=saved), form
            )
        except ValidationError as exc:
            for code, errors in exc.message_dict.items():
                field = f"r_{code}" if f"r_{code}" in form.fields else None
                form.add_error(field, errors)
        else:
            if conflict is None:
                if "submit" not in request.POST:
                    messages.success(request, _("Đã lưu báo cáo."))
                    return redirect("reports:report_edit", report.pk)
                report.refresh_from_db()
                missing = missing_sections(report)
                if not missing:
                    messages.success(request, _("Đã lưu báo cáo."))
                    back = reverse("reports:report_edit", args=[report.pk])
                    return _step(request, report, ReportStatus.SUBMITTED, "", refused=back)
                # Saved as a draft, not sent: the form again, each empty section marked.
                data = request.POST.copy()
                data["version"] = report.version
                form = ReportForm(data, report=report)
                form.is_valid()
                for name, message in missing.items():
                    form.add_error(name, message)
                incomplete = True
    numbers = _typed_numbers(request.POST, report) if form.is_bound else report_numbers(report)
    context = {
        "report": report,
        "form": form,
        "conflict": conflict,
        "incomplete": incomplete,
        "links": _computed_links(
            [row[0] for row in form.rows], figure_links(window_of(report.period)), report.area
        ),
        **_checks(numbers, form),
    }
    if conflict is not None:
        context["theirs"] = list(
            conflict.values.select_related("indicator").order_by("indicator__order")
        )
    return render(request, "reports/report_form.html", context)


def _computed_links(values, link, area: Area) -> dict[str, str | None]:
    """The list of the records behind each computed figure of a report."""
    return {
        v.indicator.code: link(v.indicator.code, area=area)
        for v in values
        if v.indicator.source == Source.COMPUTED and v.computed is not None
    }


def _typed_numbers(data, report: AnnualReport) -> dict[str, Decimal | None]:
    """The figures as typed in the form (``v_<code>``), the saved ones where a field is
    not sent; what does not read as a number is missing."""
    numbers = report_numbers(report)
    for code in numbers:
        raw = data.get(f"v_{code}")
        if raw is None:
            continue
        try:
            number = Decimal(raw.strip().replace(",", ".")) if raw.strip() else None
        except InvalidOperation:
            number = None
        numbers[code] = number if number is not None and number.is_finite() else None
    return numbers


def _checks(numbers: dict[str, Decimal | None], form: ReportForm) -> dict:
    """The rules ``numbers`` break (each with its note field if it is a warning), and
    for each figure the broken rules that name it."""
    found: list[Violation] = violations(active_rules(), numbers)
    flagged: dict[str, list[Violation]] = defaultdict(list)
    for violation in found:
        left, right = violation.rule.sides()
        for code in sorted(left.codes | right.codes):
            flagged[code].append(violation)
    return {
        "checks": [(v, form.note_field(v.rule)) for v in found],
        "flagged": dict(flagged),
        "numeric_codes": list(numbers),
    }


def _save_unless_stale(request, save, rebind, form):
    """Save a document's form (a report, the province's summary) unless someone saved
    the document since the version the form was opened at. A stale save writes nothing
    (``ReportConflict``): the form comes back with what this user typed, now based on the
    saved version (saving again overwrites it knowingly), and the saved document is
    returned to be shown beside it. Returns (form, saved document or None)."""
    try:
        save()
    except ReportConflict as exc:
        data = request.POST.copy()
        data["version"] = exc.current.version
        form = rebind(data, exc.current)
        form.is_valid()  # shown as typed, with its own errors
        return form, exc.current
    return form, None


def _step(
    request: HttpRequest, report: AnnualReport, to: str, note: str, refused: str = ""
) -> HttpResponse:
    """Take a workflow step; where it is refused, say why (and go back to ``refused``)."""
    try:
        report_transition(report=report, to=to, actor=request.user, note=note)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        if refused:
            return redirect(refused)
    else:
        messages.success(
            request, _("Báo cáo đã chuyển sang “%(status)s”.") % {"status": ReportStatus(to).label}
        )
    return redirect("reports:report_detail", report.pk)


@login_required
@require_POST
def report_step(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    to = request.POST.get("to", "")
    if to not in ReportStatus.values:
        messages.error(request, _("Bước xử lý không hợp lệ."))
        return redirect(report)
    return _step(request, report, to, request.POST.get("note", ""))


def _summary_period(request: HttpRequest, pk: int) -> ReportingPeriod:
    period = _period(request, pk)
    # The summary is the province's: for those who see the whole province.
    if not ReportingPeriod.objects.summary_visible_to(request.user).contains(period):
        raise PermissionDenied
    return period


@login_required
def period_summary(request: HttpRequest, pk: int) -> HttpResponse:
    period = _summary_period(request, pk)
    data = summary(period)
    context = {
        **data,
        "links": _summary_links(period, data),
        "today": datetime.date.today(),
        "text": SummaryReport.objects.filter(period=period).first(),
        "can_edit": may_review(request.user, period),
        "formats": ExportFormat.choices,
        "exports": ExportJob.objects.filter(period=period, report=None).select_related(
            "requested_by"
        )[:10],
    }
    return render(request, "reports/summary.html", context)


def _summary_links(period: ReportingPeriod, data: dict) -> dict[str, dict]:
    """The records behind each computed figure of the summary: the province's total, each
    reporting area's column of the annex, and each of the province's own parts."""
    link = figure_links(window_of(period))
    province = period.province
    links = {}
    for line in data["lines"]:
        code = line.indicator.code
        if line.indicator.source != Source.COMPUTED or link(code, area=province) is None:
            continue
        links[code] = {
            "total": link(code, area=province),
            "areas": {a.pk: link(code, area=a) for a in data["areas"]},
            "own": {
                level: link(code, own_to=province, level=level) for level, _l in data["own_parts"]
            },
        }
    return links


@login_required
def period_validation(request: HttpRequest, pk: int) -> HttpResponse:
    """Every area's report of the period against the validation rules (DHIS2's
    validation rule analysis), for those who see the whole province."""
    period = _summary_period(request, pk)
    checks = period_checks(period, active_rules())
    return render(request, "reports/period_validation.html", {"period": period, **checks})


@login_required
def summary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The words of the province's summary report; a stale save is refused and the
    user's text stays in the form beside the saved one."""
    period = _summary_period(request, pk)
    if not may_review(request.user, period):
        raise PermissionDenied
    text = SummaryReport.objects.filter(period=period).first() or SummaryReport(period=period)
    form = SummaryForm(request.POST or None, instance=text)
    conflict = None
    if request.method == "POST" and form.is_valid():
        save = partial(
            summary_save,
            period=period,
            version=form.cleaned_data["version"],
            texts=form.cleaned_data,
            actor=request.user,
        )
        try:
            form, conflict = _save_unless_stale(
                request, save, lambda data, saved: SummaryForm(data, instance=saved), form
            )
        except ValidationError as exc:  # refused (a signer not in office): the form again
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            if conflict is None:
                messages.success(request, _("Đã lưu báo cáo tổng kết."))
                return redirect("reports:period_summary", period.pk)
    theirs = [
        (form.fields[name].label, getattr(conflict, name))
        for name in SummaryForm.Meta.fields
        if conflict is not None and name != "signatory"
    ]
    return render(
        request,
        "reports/summary_form.html",
        {"period": period, "form": form, "conflict": conflict, "theirs": theirs},
    )


def _export(request: HttpRequest, period: ReportingPeriod, report=None) -> HttpResponse:
    fmt = request.POST.get("format", "")
    back = (
        report.get_absolute_url() if report else reverse("reports:period_summary", args=[period.pk])
    )
    if fmt not in ExportFormat.values:
        messages.error(request, _("Định dạng tệp không hợp lệ."))
        return redirect(back)
    job = export_request(actor=request.user, format=fmt, period=period, report=report)
    return redirect(job)


@login_required
@require_POST
def summary_export(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, _summary_period(request, pk))


@login_required
@require_POST
def report_export(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return _export(request, report.period, report)


def _job(request: HttpRequest, pk: int) -> ExportJob:
    jobs = ExportJob.objects.visible_to(request.user)
    return get_object_or_404(
        jobs.select_related("period__province", "report__area", "requested_by"), pk=pk
    )


@login_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The export's progress; the htmx fragment polls itself until the file is ready."""
    job = _job(request, pk)
    if job.status == JobStatus.QUEUED and job.error:
        # The broker refused it when it was asked for: try again while the user waits.
        export_requeue(job.pk)
        job.refresh_from_db()
    context = {"job": job}
    if request.htmx:
        return render(request, "reports/partials/_export_status.html", context)
    return render(request, "reports/export_detail.html", context)


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _job(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


@login_required
@require_POST
def exception_create(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    if not may_review(request.user, period):
        raise PermissionDenied
    form = ExceptionForm(request.POST, period=period)
    if form.is_valid():
        try:
            exception_grant(period=period, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã cho phép nộp muộn."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(period)
