"""Documents issued for leadership and direction, with their files."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .access import ScopedQuerySet
from .areas import Area, KeptOnItsArea, attribution_field


class DocumentKind(models.TextChoices):
    DIRECTIVE = "directive", _("Chỉ thị")
    RESOLUTION = "resolution", _("Nghị quyết")
    PLAN = "plan", _("Kế hoạch")
    GUIDANCE = "guidance", _("Hướng dẫn")
    DECISION = "decision", _("Quyết định")
    REPORT = "report", _("Báo cáo")
    OFFICIAL_LETTER = "official_letter", _("Công văn")
    NOTICE = "notice", _("Thông báo")


def document_upload_to(instance: Document, filename: str) -> str:
    # ``filename`` is already the portal's own (uploads.stored_name); grouped by year.
    return f"documents/{instance.issued_on:%Y}/{filename}"


class Document(KeptOnItsArea, models.Model):
    """A document issued to lead and direct the work (e.g. ``12-KH/BCĐ``), with its file."""

    area_dates = ("issued_on",)

    area = models.ForeignKey(
        Area, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=DocumentKind)
    number = models.CharField(_("số, ký hiệu"), max_length=60, help_text=_("Ví dụ: 12-KH/BCĐ"))
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = models.CharField(
        _("cơ quan ban hành"), max_length=255, help_text=_("Ví dụ: Ban Chỉ đạo tỉnh")
    )
    summary = models.TextField(_("trích yếu"))
    file = models.FileField(_("tệp đính kèm"), upload_to=document_upload_to, blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True, editable=False)
    attributed_to = attribution_field()
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = pgettext_lazy("plural", "văn bản chỉ đạo")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                models.F("issuer"),
                models.F("number"),
                models.functions.ExtractYear("issued_on"),
                name="document_number_per_issuer_year",
                violation_error_message=_(
                    "Cơ quan này đã có một văn bản cùng số, ký hiệu trong năm đó."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.summary[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("committees:document_detail", args=[self.pk])

    def get_download_url(self) -> str:
        return reverse("committees:document_file", args=[self.pk]) if self.file else ""
