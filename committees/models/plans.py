"""Annual plans and their tasks."""

from __future__ import annotations

import datetime
from typing import Self

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ..platform.percent import share
from .access import ScopedQuerySet
from .areas import Area, KeptOnItsArea


def progress_counts(today: datetime.date, tasks: str = "") -> dict[str, models.Count]:
    """How far plans have come, counted once for the list, the plan's page, the area page
    and the API: the tasks (cancelled ones do not count), those done, and those open past
    their deadline. Over tasks; over each plan's tasks with ``tasks="tasks__"``."""

    def where(**lookups: object) -> Q:
        return Q(**{f"{tasks}{name}": value for name, value in lookups.items()})

    return {
        "tasks": models.Count(f"{tasks}id", filter=~where(status=TaskStatus.CANCELLED)),
        "done": models.Count(f"{tasks}id", filter=where(status=TaskStatus.DONE)),
        "overdue": models.Count(
            f"{tasks}id", filter=where(status__in=OPEN_STATUSES, deadline__lt=today)
        ),
    }


class AnnualPlanQuerySet(ScopedQuerySet):
    def in_year(self, year: int) -> Self:
        return self.filter(year=year)

    def with_progress(self, today: datetime.date | None = None) -> Self:
        """Each plan with ``task_count``, ``done_count`` and ``overdue_count`` (see
        ``progress_counts``), and so its ``completion``."""
        counts = progress_counts(today or datetime.date.today(), tasks="tasks__")
        return self.annotate(
            task_count=counts["tasks"], done_count=counts["done"], overdue_count=counts["overdue"]
        )


class AnnualPlan(KeptOnItsArea, models.Model):
    """A year's plan of an area's committee (e.g. ``05-KH/BCĐ``), made of tasks."""

    area_dates = ("issued_on",)

    area = models.ForeignKey(
        Area, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(
        _("năm"),
        validators=[
            MinValueValidator(2000, _("Năm kế hoạch phải từ 2000.")),
            MaxValueValidator(2100, _("Năm kế hoạch phải trước 2100.")),
        ],
    )
    number = models.CharField(_("số, ký hiệu"), max_length=60, help_text=_("Ví dụ: 05-KH/BCĐ"))
    title = models.CharField(_("tên kế hoạch"), max_length=500)
    issued_on = models.DateField(_("ngày ban hành"))
    notes = models.TextField(_("ghi chú"), blank=True)
    history = HistoricalRecords()

    objects = AnnualPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch năm")
        verbose_name_plural = pgettext_lazy("plural", "kế hoạch năm")
        ordering = ["-year", "area__path", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "number"],
                name="one_plan_number_per_area_year",
                violation_error_message=_("Địa bàn này đã có một kế hoạch cùng số trong năm đó."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("committees:plan_detail", args=[self.pk])

    def _read_progress(self) -> None:
        """The counts ``with_progress`` annotates; for a plan read without them, the same
        counts of its tasks now (one query)."""
        if not hasattr(self, "task_count"):
            figures = self.tasks.progress()
            self.task_count, self.done_count = figures["tasks"], figures["done"]
            self.overdue_count = figures["overdue"]

    @property
    def completion(self) -> float | None:
        """The share of tasks done, in percent (``progress_counts``)."""
        self._read_progress()
        return share(self.done_count, self.task_count)

    @property
    def overdue_tasks(self) -> int:
        """Open tasks past their deadline (``progress_counts``)."""
        self._read_progress()
        return self.overdue_count


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    CANCELLED = "cancelled", _("Không thực hiện")


OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)
OPEN_TASK = Q(status__in=OPEN_STATUSES)


class PlanTaskQuerySet(ScopedQuerySet):
    scope_path = "plan__area__path"

    def overdue(self, today: datetime.date | None = None) -> Self:
        """Open tasks whose deadline has passed."""
        return self.filter(OPEN_TASK, deadline__lt=today or datetime.date.today())

    def progress(self, today: datetime.date | None = None) -> dict[str, int | float | None]:
        """Tasks, done, overdue (``progress_counts``) and the completion share."""
        figures = self.aggregate(**progress_counts(today or datetime.date.today()))
        figures["share"] = share(figures["done"], figures["tasks"])
        return figures


class PlanTask(models.Model):
    """A task of a plan: who leads it, by when, how far it has come."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    responsible = models.CharField(
        _("cơ quan chủ trì"), max_length=255, help_text=_("Ví dụ: Ban Dân vận Huyện ủy")
    )
    deadline = models.DateField(_("thời hạn"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=TaskStatus, default=TaskStatus.NOT_STARTED
    )
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    progress_note = models.TextField(_("tiến độ, kết quả"), blank=True)
    history = HistoricalRecords()

    objects = PlanTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = pgettext_lazy("plural", "nhiệm vụ")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=TaskStatus.DONE, completed_on__isnull=False)
                | (~Q(status=TaskStatus.DONE) & Q(completed_on__isnull=True)),
                name="task_completed_on_iff_done",
                violation_error_message=_(
                    "Nhiệm vụ đã hoàn thành phải có ngày hoàn thành; "
                    "nhiệm vụ chưa hoàn thành thì không có."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title[:80]

    def get_absolute_url(self) -> str:
        return reverse("committees:task_detail", args=[self.pk])

    def clean(self) -> None:
        if self.status == TaskStatus.DONE and not self.completed_on:
            raise ValidationError(
                {"completed_on": _("Nhiệm vụ đã hoàn thành: hãy nhập ngày hoàn thành.")}
            )
        if self.status != TaskStatus.DONE and self.completed_on:
            raise ValidationError(
                {"completed_on": _("Chỉ ghi ngày hoàn thành khi nhiệm vụ đã hoàn thành.")}
            )
        if self.completed_on and self.completed_on > datetime.date.today():
            raise ValidationError(
                {"completed_on": _("Ngày hoàn thành không được sau ngày hôm nay.")}
            )

    @property
    def is_overdue(self) -> bool:
        return self.status in OPEN_STATUSES and self.deadline < datetime.date.today()

    @property
    def days_overdue(self) -> int:
        return (datetime.date.today() - self.deadline).days if self.is_overdue else 0
