"""Exports of reports as background jobs.

``export_request`` records what is asked for (the document's content as it stands now)
and queues it once the transaction commits; asking again for the same content in the
same format returns the job already there. ``export_run`` renders a job; it is what the
Celery task calls, may run again after a worker died (``acks_late``), and finishes a job
once: one file, one checksum.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
import resource
import threading

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import User

from .documents import digest, file_stem, report_content, summary_content
from .models import AnnualReport, ExportFormat, ExportJob, JobStatus, ReportingPeriod
from .office import render_docx, render_xlsx
from .pdf import render_report_pdf

log = logging.getLogger(__name__)


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


def _summary_version(period: ReportingPeriod) -> int:
    text = getattr(period, "summary_report", None)
    return text.version if text is not None else 0


def enqueue(job_id: int) -> bool:
    """Hand the job to the workers. The job is a row before it is a message: if the broker
    cannot take the message (Redis stopped, restarting), the job stays queued with a note,
    the request still succeeds, and the job is handed over again when the broker is back
    (``export_requeue``: the job's page as it polls, and the beat task every minute)."""
    from .tasks import render_export

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
    from .tasks import render_export

    try:
        render_export.apply((job_id,))
    finally:
        connections.close_all()


RENDERERS = {
    ExportFormat.PDF: lambda content, progress: render_report_pdf(content, progress=progress),
    ExportFormat.XLSX: lambda content, _progress: (render_xlsx(content), None),
    ExportFormat.DOCX: lambda content, _progress: (render_docx(content), None),
}


def export_run(job_id: int) -> ExportJob:
    """Render a job and store its file. A job already finished is left as it is (a task
    delivered twice); a job left running by a killed worker is rendered again."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_id)
        if job.is_finished:
            return job
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.progress = 0
        job.started_at = timezone.now()
        job.save(update_fields=["status", "attempts", "progress", "started_at"])

    def progress(done: int, total: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(progress=min(99, done * 100 // total))

    try:
        data, pages = RENDERERS[job.format](job.content, progress)
    except SoftTimeLimitExceeded:
        return _fail(job_id, _("Quá thời gian cho phép để tạo tệp."))
    except MemoryError:
        return _fail(job_id, _("Vượt giới hạn bộ nhớ khi tạo tệp."))
    except Exception as exc:
        log.exception("export %s failed", job_id)
        return _fail(job_id, _("Không tạo được tệp (%(error)s).") % {"error": type(exc).__name__})
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_id)
        if job.is_finished:  # another delivery finished first
            return job
        name = f"exports/{job.pk}-{job.digest[:16]}.{job.format}"
        if default_storage.exists(name):  # left by an attempt that died after writing
            default_storage.delete(name)
        job.file.name = default_storage.save(name, ContentFile(data))
        job.size = len(data)
        job.checksum = hashlib.sha256(data).hexdigest()
        job.pages = pages
        job.status = JobStatus.DONE
        job.progress = 100
        job.finished_at = timezone.now()
        job.save()
    return job


def _fail(job_id: int, message: str) -> ExportJob:
    ExportJob.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED, error=message, finished_at=timezone.now()
    )
    return ExportJob.objects.get(pk=job_id)


@contextlib.contextmanager
def memory_limit(megabytes: int | None):
    """Cap the process's address space while rendering (a worker process, not the web
    server): a runaway document fails with MemoryError instead of taking the machine."""
    if not megabytes:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
