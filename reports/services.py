"""Writing annual reports: starting one prefilled from the records, saving it without
losing anybody's work (optimistic version), moving it through its workflow (with e-mail),
granting late filing, and asking for an export of a report or of the summary."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from committees.models import EDITOR_ROLES, Area, Level, Role, User
from committees.platform.history import bulk_create_with_history

from .catalogue import computed_figures, window_of
from .documents import digest, file_stem, report_content, summary_content
from .models import (
    Aggregation,
    AnnualReport,
    ExportFormat,
    ExportJob,
    FilingException,
    Indicator,
    JobStatus,
    ReportEvent,
    ReportingPeriod,
    ReportRuleNote,
    ReportStatus,
    ReportSubmission,
    ReportValue,
    Source,
    SummaryReport,
    ValidationRule,
)
from .rules import Violation, violations
from .signing import signer_error
from .tasks import enqueue

# What a report says in words, and the details it is signed and sent with.
NARRATIVE = (
    "results",
    "limitations",
    "causes_subjective",
    "causes_objective",
    "lessons",
    "next_tasks",
    "proposals",
    "number",
    "signer",
    "signer_role",
    "recipients",
)
# The sections a year-end report cannot be sent without (a draft may leave them empty);
# the causes may be subjective, objective or both.
REQUIRED_SECTIONS = (
    ("results", _lazy("Kết quả đạt được")),
    ("limitations", _lazy("Hạn chế")),
    ("causes_subjective", _lazy("Nguyên nhân")),
    ("lessons", _lazy("Bài học kinh nghiệm")),
    ("next_tasks", _lazy("Nhiệm vụ năm tới")),
)
TRANSITIONS = {
    ReportStatus.DRAFT: (ReportStatus.SUBMITTED,),
    ReportStatus.RETURNED: (ReportStatus.SUBMITTED,),
    ReportStatus.SUBMITTED: (ReportStatus.RETURNED, ReportStatus.ACCEPTED),
    ReportStatus.ACCEPTED: (),
}
# Who takes each step: the area's own editors submit; the reviewing level decides.
REVIEW_STEPS = (ReportStatus.RETURNED, ReportStatus.ACCEPTED)


def may_file(user: User, area: Area) -> bool:
    """The area's editors file its report (``AnnualReport.objects.editable_by``), read
    from the user's assignments (``User.keeps``), without a query."""
    return user.keeps(area)


def may_review(user: User, period: ReportingPeriod) -> bool:
    """The reviewing level: ``ReportingPeriod.objects.reviewable_by``, read from the
    user's assignments (``User.keeps`` of the province), without a query."""
    return user.keeps(period.province)


def is_own_official(user: User, area: Area) -> bool:
    """Whether ``user`` keeps ``area``'s records from within it (a commune official of
    the commune, the secretariat of the district), not from the province that reviews."""
    return any(
        a.role in EDITOR_ROLES
        and a.area.level != Level.PROVINCE
        and area.path.startswith(a.area.path)
        for a in user.role_assignments()
    )


def report_filers(report: AnnualReport) -> set[int]:
    """Who filed the report: saved a version of its draft or submitted it."""
    filers = set(
        report.events.filter(to_status=ReportStatus.SUBMITTED).values_list("actor_id", flat=True)
    )
    rows = report.history.order_by("history_date", "history_id").values_list(
        "history_user_id", "version"
    )
    previous = None
    for user_id, version in rows:
        if previous is not None and version != previous:
            filers.add(user_id)
        previous = version
    filers.discard(None)
    return filers


def other_reviewer_exists(period: ReportingPeriod, user: User) -> bool:
    """Whether the province has another active reviewer than ``user``."""
    reviewers = User.objects.filter(
        is_active=True, assignments__area=period.province, assignments__role__in=EDITOR_ROLES
    )
    return reviewers.exclude(pk=user.pk).exists()


def may_accept(user: User, report: AnnualReport) -> bool:
    """DHIS2's separation of data entry and approval: whoever filed a report does not
    accept it while the province has another reviewer to do it."""
    return user.pk not in report_filers(report) or not other_reviewer_exists(report.period, user)


def open_for_filing(
    period: ReportingPeriod, area_ids: list[int], today: datetime.date | None = None
) -> set[int]:
    """Which of these areas may file now: all of them from opening to closing; after
    closing, those with an exception still running (for many periods at once:
    ``ReportingPeriod.objects.taking_reports``). One query at most."""
    today = today or datetime.date.today()
    if today < period.opens_on:
        return set()
    if not period.closed_by(today):
        return set(area_ids)
    running = period.exceptions.running(today).filter(area_id__in=area_ids)
    return set(running.values_list("area_id", flat=True))


def filing_open(period: ReportingPeriod, area: Area, today: datetime.date | None = None) -> bool:
    return area.pk in open_for_filing(period, [area.pk], today)


def _refresh_computed(report: AnnualReport) -> None:
    """Read the computed figures again; a figure nobody corrected follows the records."""
    figures = computed_figures(report.area, window_of(report.period))
    for value in report.values.select_related("indicator"):
        code = value.indicator.code
        if value.indicator.source != Source.COMPUTED or code not in figures:
            continue
        before = (value.computed, value.value)
        if value.value == value.computed or value.value is None:
            value.value = figures[code]
        value.computed = figures[code]
        # Only what changed: opening a report wrote all its figures and a history row for
        # each (67 queries per opening, a history of nothing).
        if (value.computed, value.value) != before:
            value.save(update_fields=["computed", "value"])


@transaction.atomic
def report_start(*, period: ReportingPeriod, area: Area, actor: User) -> AnnualReport:
    """The area's report for the period, created prefilled from the records if missing."""
    if not may_file(actor, area) or not period.filing_areas().filter(pk=area.pk).exists():
        raise PermissionDenied
    report, created = AnnualReport.objects.get_or_create(period=period, area=area)
    if created:
        figures = computed_figures(area, window_of(period))
        bulk_create_with_history(
            (
                ReportValue(
                    report=report,
                    indicator=indicator,
                    computed=figures.get(indicator.code),
                    value=figures.get(indicator.code),
                )
                for indicator in Indicator.objects.filter(
                    active=True, aggregation__in=["sum", "text"]
                )
            ),
            ReportValue,
            actor=actor,
        )
    elif report.is_editable:
        _refresh_computed(report)
    return report


@dataclass
class Figure:
    value: Decimal | None = None
    text: str = ""
    reason: str = ""


@dataclass
class ReportConflict(Exception):
    """Someone saved the report since this version was opened."""

    current: AnnualReport | SummaryReport
    errors: dict = field(default_factory=dict)


def active_rules() -> list[ValidationRule]:
    return list(ValidationRule.objects.filter(active=True))


def report_numbers(report: AnnualReport) -> dict[str, Decimal | None]:
    """The report's figures by indicator code, as the validation rules read them."""
    return dict(
        report.values.filter(indicator__aggregation=Aggregation.SUM).values_list(
            "indicator__code", "value"
        )
    )


def report_violations(
    report: AnnualReport, rules: list[ValidationRule] | None = None
) -> list[Violation]:
    """The validation rules the report's saved figures break, errors first."""
    return violations(active_rules() if rules is None else rules, report_numbers(report))


@transaction.atomic
def report_save(
    *,
    report: AnnualReport,
    version: int,
    narrative: dict[str, str],
    figures: dict[str, Figure],
    actor: User,
    notes: dict[int, str] | None = None,
    issued_on: datetime.date | None = None,
) -> AnnualReport:
    """Save a draft's narrative, issue date, figures and notes if nobody saved it since
    ``version``.

    A computed figure that differs from the records needs a reason; a stale version is
    refused with ``ReportConflict`` and nothing is written, so the caller can show both.
    ``notes`` (rule id → text) answer the warning rules the figures break; a note on a
    rule they no longer break is dropped.
    """
    if not may_file(actor, report.area):
        raise PermissionDenied
    if not report.is_editable:
        raise ValidationError(_("Báo cáo đã nộp không sửa được nữa."), code="frozen")
    values = {v.indicator.code: v for v in report.values.select_related("indicator")}
    errors = {}
    for code, figure in figures.items():
        current = values.get(code)
        if current is None:
            continue
        if figure.value is not None and figure.value < 0:
            errors[code] = _("Số liệu không được là số âm.")
        elif (
            current.indicator.source == Source.COMPUTED
            and figure.value != current.computed
            and not figure.reason.strip()
        ):
            errors[code] = _(
                "Số liệu khác với dữ liệu (%(computed)s): hãy ghi lý do điều chỉnh."
            ) % {"computed": _number(current.computed)}
    day = issued_on or timezone.localdate()
    wrong_signer = signer_error(
        report.area, day, narrative.get("signer", ""), narrative.get("signer_role", "")
    )
    if wrong_signer:
        errors["signer"] = wrong_signer
    if errors:
        raise ValidationError(errors)
    # The row is locked until the end of the transaction: of two saves on one version,
    # the second waits, then finds the version moved on.
    locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if locked.version != version:
        raise ReportConflict(locked)
    for name in NARRATIVE:
        setattr(locked, name, narrative.get(name, ""))
    locked.issued_on = issued_on
    locked.version += 1
    locked.save()
    for code, figure in figures.items():
        current = values.get(code)
        if current is None:
            continue
        before = (current.value, current.text, current.correction_reason)
        current.value = figure.value
        current.text = figure.text
        corrected = current.computed is not None and figure.value != current.computed
        current.correction_reason = figure.reason.strip() if corrected else ""
        if (current.value, current.text, current.correction_reason) != before:
            current.save(update_fields=["value", "text", "correction_reason"])
    _save_notes(report, notes)
    report.refresh_from_db()
    return report


def _save_notes(report: AnnualReport, notes: dict[int, str] | None) -> None:
    """Keep a note for each warning the figures break and its filer answered (``None``:
    the notes as they are, less those on warnings no longer broken)."""
    broken = {v.rule.pk for v in report_violations(report) if not v.is_error}
    kept = {n.rule_id: n for n in report.notes.all()}
    if notes is None:
        notes = {pk: n.note for pk, n in kept.items()}
    wanted = {pk: text.strip() for pk, text in notes.items() if pk in broken and text.strip()}
    for pk, note in kept.items():
        if pk not in wanted:
            note.delete()
        elif note.note != wanted[pk]:
            note.note = wanted[pk]
            note.save(update_fields=["note"])
    for pk, text in wanted.items():
        if pk not in kept:
            ReportRuleNote.objects.create(report=report, rule_id=pk, note=text)


def _check_rules(report: AnnualReport) -> None:
    """Submitting: an error rule broken refuses it; so does a warning without a note."""
    found = report_violations(report)
    noted = set(report.notes.exclude(note="").values_list("rule_id", flat=True))
    errors = [
        _("Số liệu vi phạm quy tắc: %(message)s (%(formula)s)")
        % {"message": v.rule.label, "formula": v.rule.formula}
        for v in found
        if v.is_error
    ]
    errors += [
        _("Cảnh báo cần giải trình trước khi nộp: %(message)s") % {"message": v.rule.label}
        for v in found
        if not v.is_error and v.rule.pk not in noted
    ]
    if errors:
        raise ValidationError(errors, code="rules")


def _snapshot(report: AnnualReport, event: ReportEvent) -> ReportSubmission:
    """What the report says as it is submitted (see ``ReportSubmission``)."""
    figures = {
        v.indicator.code: {
            "value": None if v.value is None else str(v.value),
            "computed": None if v.computed is None else str(v.computed),
            "text": v.text,
            "reason": v.correction_reason,
        }
        for v in report.values.select_related("indicator")
    }
    notes = {
        str(n.rule_id): {"rule": n.rule.formula, "message": n.rule.message, "note": n.note}
        for n in report.notes.select_related("rule")
    }
    return ReportSubmission.objects.create(
        report=report,
        event=event,
        figures=figures,
        narrative={name: getattr(report, name) for name in NARRATIVE},
        notes=notes,
    )


def missing_sections(text) -> dict[str, str]:
    """The required sections of a report's text left empty, each with its message."""
    missing = {}
    for name, label in REQUIRED_SECTIONS:
        value = getattr(text, name)
        if name == "causes_subjective":
            value += text.causes_objective
        if not value.strip():
            missing[name] = _("Mục “%(section)s” cần có nội dung trước khi nộp.") % {
                "section": label
            }
    return missing


def _number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}".replace(",", ".") if value == value.to_integral() else str(value)


@transaction.atomic
def report_transition(
    *, report: AnnualReport, to: str, actor: User, note: str = "", notify: bool = True
) -> AnnualReport:
    """Submit, return (with a reason) or accept; any other step is refused. Each step is
    e-mailed to the area's editors and the reviewing level (``notify``)."""
    report = (
        AnnualReport.objects.select_for_update().select_related("period", "area").get(pk=report.pk)
    )
    if to not in TRANSITIONS[report.status]:
        raise ValidationError(
            _("Không thể chuyển báo cáo từ “%(current)s” sang “%(target)s”.")
            % {"current": report.get_status_display(), "target": ReportStatus(to).label},
            code="transition",
        )
    if to in REVIEW_STEPS:
        if not may_review(actor, report.period):
            raise PermissionDenied
        if to == ReportStatus.ACCEPTED and not may_accept(actor, report):
            raise ValidationError(
                _(
                    "Bạn đã lập hoặc nộp báo cáo này nên không tự tiếp nhận: một cán bộ khác "
                    "của tỉnh sẽ tiếp nhận."
                ),
                code="own_report",
            )
    elif not may_file(actor, report.area):
        raise PermissionDenied
    now = timezone.now()
    if to == ReportStatus.SUBMITTED:
        if not filing_open(report.period, report.area):
            raise ValidationError(
                _("Kỳ báo cáo đã khóa sổ; cần cấp trên cho phép nộp muộn."), code="closed"
            )
        missing = missing_sections(report)
        if missing:
            raise ValidationError(missing, code="incomplete")
        _refresh_computed(report)  # the figures freeze as the records say today
        _check_rules(report)
        report.submitted_at = now
        # Dated by its own issue date; the day it is sent when none was entered.
        report.issued_on = report.issued_on or timezone.localdate(now)
        report.first_submitted_at = report.first_submitted_at or now
        report.return_reason = ""
        report.submitted_by = actor
        report.on_behalf = not is_own_official(actor, report.area)
    if to == ReportStatus.RETURNED:
        if not note.strip():
            raise ValidationError({"note": _("Hãy ghi lý do trả lại.")})
        report.return_reason = note.strip()
    if to == ReportStatus.ACCEPTED:
        report.accepted_at = now
    event = ReportEvent.objects.create(
        report=report, from_status=report.status, to_status=to, actor=actor, note=note
    )
    if to == ReportStatus.SUBMITTED:
        _snapshot(report, event)
    report.status = to
    report.save()
    if notify:
        transaction.on_commit(lambda: _notify(report, to, actor, note))
    return report


def _notify(report: AnnualReport, to: str, actor: User, note: str) -> None:
    """E-mail the area's editors and the reviewing level about a step of the report."""
    recipients = sorted(
        {
            *User.objects.holding(report.area, EDITOR_ROLES).emails(),
            *User.objects.holding(report.period.province, [Role.PROVINCIAL_STAFF]).emails(),
        }
    )
    if not recipients:
        return
    subject = _("[QCDC] %(report)s: %(status)s") % {
        "report": report,
        "status": ReportStatus(to).label,
    }
    body = _(
        "%(report)s chuyển sang “%(status)s” bởi %(actor)s.\n%(note)s\n\nXem báo cáo: %(url)s"
    ) % {
        "report": report,
        "status": ReportStatus(to).label,
        "actor": actor.get_full_name(),
        "note": note,
        "url": settings.QCDC_BASE_URL + reverse("reports:report_detail", args=[report.pk]),
    }
    send_mass_mail(
        [(subject, body, settings.DEFAULT_FROM_EMAIL, [r]) for r in recipients],
        fail_silently=False,
    )


@transaction.atomic
def exception_grant(
    *, period: ReportingPeriod, area: Area, reason: str, until: datetime.date, actor: User
) -> FilingException:
    if not may_review(actor, period):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do.")})
    if until < datetime.date.today():
        raise ValidationError({"until": _("Ngày được nộp đến không được trước hôm nay.")})
    return FilingException.objects.create(
        period=period, area=area, reason=reason.strip(), until=until, granted_by=actor
    )


@transaction.atomic
def summary_save(
    *, period: ReportingPeriod, version: int, texts: dict, actor: User
) -> SummaryReport:
    """Save the words of the province's summary report (reviewers only) if nobody saved
    them since ``version``; else ``ReportConflict`` and nothing is written."""
    if not may_review(actor, period):
        raise PermissionDenied
    SummaryReport.objects.get_or_create(period=period)
    text = SummaryReport.objects.select_for_update().get(period=period)  # as in report_save
    if text.version != version:
        raise ReportConflict(text)
    day = texts.get("issued_on") or timezone.localdate()
    wrong_signer = signer_error(
        period.province, day, texts.get("signer", ""), texts.get("signer_role", "")
    )
    if wrong_signer:
        raise ValidationError({"signer": wrong_signer})
    for name in NARRATIVE:
        setattr(text, name, texts.get(name, ""))
    text.issued_on = texts.get("issued_on")
    text.version += 1
    text.save()
    return text


def export_request(
    *,
    actor: User,
    format: str,
    period: ReportingPeriod,
    report: AnnualReport | None = None,
) -> ExportJob:
    """The export job of the document's current content in this format: the one already
    asked for (queued, running or done), else a new one, queued after commit."""
    if format not in ExportFormat.values:
        raise ValueError(format)
    content = report_content(report) if report is not None else summary_content(period)
    key = digest(content)
    live = ExportJob.objects.exclude(status=JobStatus.FAILED).filter(digest=key, format=format)
    with transaction.atomic():
        job = live.first()
        if job is not None:
            if _lost(job):
                # Started again now, so that a second click does not start it twice.
                ExportJob.objects.filter(pk=job.pk).update(started_at=timezone.now())
                transaction.on_commit(lambda: enqueue(job.pk))
            return job
        version = report.version if report is not None else _summary_version(period)
        try:
            with transaction.atomic():
                job = ExportJob.objects.create(
                    period=period,
                    report=report,
                    format=format,
                    version=version,
                    digest=key,
                    content=content,
                    filename=f"{file_stem(content)}.{format}",
                    requested_by=actor,
                )
        except IntegrityError:  # someone asked for the same a moment ago
            return live.get()
        transaction.on_commit(lambda: enqueue(job.pk))
    return job


def _lost(job: ExportJob) -> bool:
    """Without a broker a job is rendered by a thread of the web server (make run), which
    dies with it (Ctrl+C, a restart): a job still queued a minute after it was asked for,
    or running past the rendering's time limit, has no renderer left, and nothing else
    would ever finish it. With a broker, Celery delivers it again (acks_late)."""
    if not settings.QCDC_EXPORT_IN_THREAD or job.is_finished:
        return False
    if job.status == JobStatus.QUEUED and job.started_at is None:
        waited, limit = job.requested_at, datetime.timedelta(minutes=1)
    else:
        waited = job.started_at or job.requested_at
        limit = datetime.timedelta(seconds=settings.QCDC_EXPORT_TIME_LIMIT + 60)
    return timezone.now() - waited > limit


def _summary_version(period: ReportingPeriod) -> int:
    text = getattr(period, "summary_report", None)
    return text.version if text is not None else 0
