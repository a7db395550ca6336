"""Trainings, dissemination conferences and seminars held by an area."""

from __future__ import annotations

from typing import Self

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .access import ScopedQuerySet
from .areas import Area, KeptOnItsArea, attribution_field


class TrainingKind(models.TextChoices):
    CLASS = "class", _("Lớp tập huấn, bồi dưỡng")
    CONFERENCE = "conference", _("Hội nghị quán triệt, tuyên truyền")
    SEMINAR = "seminar", _("Tọa đàm, hội thảo")


class TrainingQuerySet(ScopedQuerySet):
    def in_year(self, year: int) -> Self:
        return self.filter(held_on__year=year)

    def totals(self) -> dict[str, int]:
        """Classes, all sessions and attendances, summed in the database."""
        return self.aggregate(
            sessions=models.Count("id"),
            classes=models.Count("id", filter=Q(kind=TrainingKind.CLASS)),
            attendances=Coalesce(models.Sum("attendances"), 0),
        )


class Training(KeptOnItsArea, models.Model):
    """A training class, dissemination conference or seminar (tọa đàm) held by an area."""

    area_dates = ("held_on",)

    area = models.ForeignKey(
        Area, verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="trainings"
    )
    kind = models.CharField(_("hình thức"), max_length=20, choices=TrainingKind)
    title = models.CharField(_("nội dung"), max_length=255)
    held_on = models.DateField(_("ngày tổ chức"))
    audience = models.CharField(
        _("đối tượng"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: cán bộ chủ chốt cấp xã, đoàn viên, người lao động"),
    )
    attendances = models.PositiveIntegerField(_("số lượt người tham dự"))
    papers = models.PositiveIntegerField(_("số tham luận"), default=0)
    notes = models.TextField(_("ghi chú"), blank=True)
    attributed_to = attribution_field()
    history = HistoricalRecords()

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("tập huấn, tuyên truyền")
        verbose_name_plural = pgettext_lazy("plural", "tập huấn, tuyên truyền")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["area", "held_on"], name="training_area_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendances__gte=0) & Q(papers__gte=0),
                name="training_counts_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("committees:training_detail", args=[self.pk])
