"""Rendering an export job: what a worker does with it.

A job is asked for by ``services.export_request`` and handed to the workers by
``tasks`` (the Celery task, its dispatch and the hand-over of jobs that waited).
``export_run`` renders a job; it is what the Celery task calls, may run again after a
worker died (``acks_late``), and finishes a job once: one file, one checksum.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import resource

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ExportFormat, ExportJob, JobStatus
from .office import render_docx, render_xlsx
from .pdf import render_report_pdf

log = logging.getLogger(__name__)


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
