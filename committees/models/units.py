"""Member units: the places where the democracy rules apply (Nghị định 145/2020/NĐ-CP)."""

from __future__ import annotations

from typing import Self

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .access import ScopedQuerySet
from .areas import Area, KeptOnItsArea


class UnitKind(models.TextChoices):
    COMMUNE = "commune", _("Xã, phường, thị trấn")
    STATE_AGENCY = "state_agency", _("Cơ quan hành chính nhà nước")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp công lập")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    ARMED_FORCES = "armed_forces", _("Đơn vị lực lượng vũ trang")


class MemberUnitQuerySet(ScopedQuerySet):
    def outliving_their_area(self) -> Self:
        """Agencies, schools, enterprises live on; a commune's own unit ends with the
        commune (the commune of today is a unit of its own)."""
        return super().outliving_their_area().exclude(kind=UnitKind.COMMUNE)

    def regulation_figures(self) -> dict[str, int]:
        """Units, and those that issued their QCDC regulation, counted in the database."""
        return self.aggregate(
            units=models.Count("id"),
            with_regulation=models.Count("id", filter=Q(regulation_issued=True)),
        )


class MemberUnit(KeptOnItsArea, models.Model):
    """A place where the democracy rules apply: a commune, agency, public service unit,
    enterprise or armed-forces unit, with its own regulation, its annual conference of
    officials or workers and its workplace dialogue (Nghị định 145/2020/NĐ-CP)."""

    area_dates = ("regulation_date", "conference_held_on", "dialogue_held_on")
    # A unit outlives the reorganisation: on the commune of today it keeps the regulation
    # it issued in 2021, but a conference of 2026 is not kept on an abolished commune.
    outlives_area = True

    area = models.ForeignKey(
        Area, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="member_units"
    )
    kind = models.CharField(_("loại hình"), max_length=20, choices=UnitKind)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    regulation_issued = models.BooleanField(_("đã ban hành quy chế dân chủ"), default=False)
    regulation_date = models.DateField(_("ngày ban hành quy chế"), null=True, blank=True)
    conference_held_on = models.DateField(
        _("hội nghị CBCC, NLĐ gần nhất"),
        null=True,
        blank=True,
        help_text=_("Hội nghị cán bộ, công chức, viên chức hoặc hội nghị người lao động"),
    )
    dialogue_held_on = models.DateField(
        _("đối thoại tại nơi làm việc gần nhất"), null=True, blank=True
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    history = HistoricalRecords()

    objects = MemberUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị thực hiện QCDC")
        verbose_name_plural = pgettext_lazy("plural", "đơn vị thực hiện QCDC")
        ordering = ["area__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="member_unit_name_per_area",
                violation_error_message=_("Địa bàn này đã có một đơn vị cùng tên."),
            ),
            models.CheckConstraint(
                condition=Q(regulation_issued=True) | Q(regulation_date__isnull=True),
                name="member_unit_regulation_date_needs_regulation",
                violation_error_message=_(
                    "Có ngày ban hành quy chế thì phải đánh dấu đã ban hành quy chế."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("committees:memberunit_detail", args=[self.pk])
