"""Background work of the reporting cycle: daily reminders to areas that have not filed,
and the rendering of export jobs, which this module hands to the workers (``enqueue``)
and hands over again when they waited for the broker (``export_requeue``)."""

from __future__ import annotations

import datetime
import logging
import threading

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, connections, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from committees.models import EDITOR_ROLES, User

from .exports import export_run, memory_limit
from .models import ExportJob, JobStatus, ReminderLog, ReportingPeriod
from .selectors import LATE, ON_TIME, RETURNED, completeness

log = logging.getLogger(__name__)


def reminder_due(period: ReportingPeriod, today: datetime.date) -> bool:
    """A reminder day: n days before the due date, the due date, and every m days after."""
    before = (period.due_on - today).days
    if before == settings.QCDC_REMINDER_DAYS_BEFORE or before == 0:
        return True
    after = -before
    return after > 0 and after % settings.QCDC_REMINDER_EVERY_DAYS_AFTER == 0


@shared_task(acks_late=True)
def send_reminders(today: str | None = None) -> int:
    """E-mail the editors of every area that has not submitted (or was sent back) in an
    open period, on reminder days only, once a day. Returns the e-mails sent."""
    day = datetime.date.fromisoformat(today) if today else datetime.date.today()
    sent = 0
    for period in ReportingPeriod.objects.open(day).select_related("province"):
        if not reminder_due(period, day):
            continue
        for row in completeness(period)["rows"]:
            if row.state in (ON_TIME, LATE):
                continue
            sent += _remind(period, row.area, row.state, day)
    return sent


def _remind(period, area, state, day) -> int:
    recipients = User.objects.holding(area, EDITOR_ROLES).emails()
    if not recipients:
        return 0
    try:
        with transaction.atomic():
            ReminderLog.objects.create(
                period=period, area=area, sent_on=day, recipients=len(recipients)
            )
    except IntegrityError:
        return 0  # already reminded today
    with override("vi"):
        subject = _("[QCDC] Nhắc nộp báo cáo năm %(year)s — %(area)s") % {
            "year": period.year,
            "area": area.name,
        }
        why = (
            _("Báo cáo đã bị trả lại, cần chỉnh sửa và nộp lại.")
            if state == RETURNED
            else _("Chưa nhận được báo cáo.")
        )
        body = _("%(why)s Hạn nộp: %(due)s.\nNộp báo cáo tại: %(url)s") % {
            "why": why,
            "due": period.due_on.strftime("%d/%m/%Y"),
            "url": settings.QCDC_BASE_URL + reverse("reports:period_detail", args=[period.pk]),
        }
    send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [r]) for r in recipients])
    return len(recipients)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.QCDC_EXPORT_TIME_LIMIT,
    time_limit=settings.QCDC_EXPORT_TIME_LIMIT + 30,
)
def render_export(self, job_id: int) -> None:
    """Render one export job (``reports.exports.export_run``). Acknowledged only when
    done, so a job whose worker was killed is delivered again and rendered once more."""
    limit = None if self.request.is_eager else settings.QCDC_EXPORT_MEMORY_LIMIT_MB
    with memory_limit(limit):
        export_run(job_id)


@shared_task(acks_late=True)
def requeue_exports() -> int:
    """Every minute (beat): hand the export jobs that wait for the broker to it again, and
    those whose message a restarted broker lost (``export_requeue``)."""
    return export_requeue(older_than=settings.QCDC_EXPORT_REQUEUE_AFTER)


# --- handing export jobs to the workers ---------------------------------------------


def enqueue(job_id: int) -> bool:
    """Hand the job to the workers. The job is a row before it is a message: if the broker
    cannot take the message (Redis stopped, restarting), the job stays queued with a note,
    the request still succeeds, and the job is handed over again when the broker is back
    (``export_requeue``: the job's page as it polls, and the beat task every minute)."""
    if settings.QCDC_EXPORT_IN_THREAD:
        # The embedded set-up has no worker: render beside the web process, never in
        # the request.
        threading.Thread(target=_render_in_thread, args=(job_id,), daemon=True).start()
        return True
    queued = ExportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED)
    try:
        # No retries in the request: a broker that does not answer at once is down.
        render_export.apply_async((job_id,), retry=False)
    except Exception as exc:  # kombu's OperationalError, redis' ConnectionError, timeouts
        log.warning("export %s: the broker did not take it (%s); it waits", job_id, exc)
        queued.update(error=f"{QUEUE_UNAVAILABLE}: {type(exc).__name__}")
        return False
    queued.update(handed_at=timezone.now())
    return True


# The note a queued job carries while the broker could not take it (not shown as such:
# the job's page explains it in the user's language).
QUEUE_UNAVAILABLE = "queue unavailable"


def export_requeue(job_id: int | None = None, older_than: int | None = None) -> int:
    """Hand waiting jobs to the workers again; returns how many were handed over.

    A job waits when the broker refused its message (its note says so), or when its
    message was handed over (or the job asked for) more than ``older_than`` seconds ago
    and no worker has started it (a broker restarted without its data loses its
    messages). Each job is claimed
    before it is sent, so two pollers never send it twice; a second delivery would be
    harmless anyway (``export_run`` finishes a job once).
    """
    queued = ExportJob.objects.filter(status=JobStatus.QUEUED)
    if job_id is not None:
        queued = queued.filter(pk=job_id)
    waiting = Q(error__startswith=QUEUE_UNAVAILABLE)
    if older_than is not None:
        since = timezone.now() - datetime.timedelta(seconds=older_than)
        # Handed over long ago and never started; or never handed over at all (the web
        # process died between the commit and the hand-over).
        waiting |= Q(handed_at__lt=since) | Q(handed_at__isnull=True, requested_at__lt=since)
    handed = 0
    for pk, note, handed_at in queued.filter(waiting).values_list("pk", "error", "handed_at"):
        claimed = ExportJob.objects.filter(
            pk=pk, status=JobStatus.QUEUED, error=note, handed_at=handed_at
        )
        if claimed.update(error="", handed_at=timezone.now()) and enqueue(pk):
            handed += 1
    return handed


def _render_in_thread(job_id: int) -> None:
    try:
        render_export.apply((job_id,))
    finally:
        connections.close_all()
