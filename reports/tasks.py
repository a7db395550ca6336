"""Background work of the reporting cycle: daily reminders to areas that have not filed."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from committees.models import EDITOR_ROLES, User

from .models import ReminderLog, ReportingPeriod
from .selectors import LATE, ON_TIME, RETURNED, completeness


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
    from .exports import export_run, memory_limit

    limit = None if self.request.is_eager else settings.QCDC_EXPORT_MEMORY_LIMIT_MB
    with memory_limit(limit):
        export_run(job_id)


@shared_task(acks_late=True)
def requeue_exports() -> int:
    """Every minute (beat): hand the export jobs that wait for the broker to it again, and
    those whose message a restarted broker lost (``reports.exports.export_requeue``)."""
    from .exports import export_requeue

    return export_requeue(older_than=settings.QCDC_EXPORT_REQUEUE_AFTER)
