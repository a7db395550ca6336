"""Member units: the places where the democracy rules apply (Nghị định 145/2020/NĐ-CP),
and the dated events each holds: its officials' or workers' conference and its workplace
dialogue."""

from __future__ import annotations

import datetime
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
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


def existing_on(day: datetime.date) -> Q:
    """Units that exist on ``day``: founded by then (no date: before the records began)
    and not dissolved yet. A commune's own unit lives as long as its commune does: the
    2025 reorganisation ended the legacy communes' units and began those of today's."""
    commune_in_force = (Q(area__valid_from__isnull=True) | Q(area__valid_from__lte=day)) & (
        Q(area__valid_to__isnull=True) | Q(area__valid_to__gte=day)
    )
    return (
        (Q(established_on__isnull=True) | Q(established_on__lte=day))
        & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))
        & (~Q(kind=UnitKind.COMMUNE) | commune_in_force)
    )


def regulation_by(day: datetime.date) -> Q:
    """Units that had issued their regulation by ``day``. A regulation ticked without its
    date (entered before the date was asked for) counts whatever the day: the portal
    knows that it was issued, not when."""
    return Q(regulation_issued=True) & (
        Q(regulation_date__isnull=True) | Q(regulation_date__lte=day)
    )


class MemberUnitQuerySet(ScopedQuerySet):
    def outliving_their_area(self) -> Self:
        """Agencies, schools, enterprises live on; a commune's own unit ends with the
        commune (the commune of today is a unit of its own)."""
        return super().outliving_their_area().exclude(kind=UnitKind.COMMUNE)

    def existing_on(self, day: datetime.date) -> Self:
        return self.filter(existing_on(day))

    def regulation_figures(self, on: datetime.date | None = None) -> dict[str, int]:
        """Units existing on a day (today by default), and those of them that had issued
        their QCDC regulation by then, counted in the database."""
        on = on or datetime.date.today()
        return self.existing_on(on).aggregate(
            units=models.Count("id"),
            with_regulation=models.Count("id", filter=regulation_by(on)),
        )


class MemberUnit(KeptOnItsArea, models.Model):
    """A place where the democracy rules apply: a commune, agency, public service unit,
    enterprise or armed-forces unit, with its own regulation; its conferences and
    dialogues are its events (``UnitEvent``). It counts in a year's figures from its
    founding to its dissolution: a unit is dissolved, never deleted, so that the years it
    existed keep their figures."""

    area_dates = ("regulation_date", "established_on")
    # A unit outlives the reorganisation: on the commune of today it keeps the regulation
    # it issued in 2021, but a unit founded in 2026 is not kept on an abolished commune.
    outlives_area = True

    area = models.ForeignKey(
        Area, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="member_units"
    )
    kind = models.CharField(_("loại hình"), max_length=20, choices=UnitKind)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    established_on = models.DateField(
        _("ngày thành lập"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu đơn vị có từ trước; đơn vị được tính từ ngày này."),
    )
    dissolved_on = models.DateField(
        _("ngày giải thể, sáp nhập"),
        null=True,
        blank=True,
        help_text=_(
            "Đơn vị không còn được tính từ ngày này. Ghi ngày thay vì xóa đơn vị, để số "
            "liệu các năm trước giữ nguyên."
        ),
    )
    regulation_issued = models.BooleanField(_("đã ban hành quy chế dân chủ"), default=False)
    regulation_date = models.DateField(_("ngày ban hành quy chế"), null=True, blank=True)
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
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(established_on__isnull=True)
                | Q(dissolved_on__gt=models.F("established_on")),
                name="member_unit_dissolved_after_established",
                violation_error_message=_("Ngày giải thể phải sau ngày thành lập."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("committees:memberunit_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.established_on and self.dissolved_on and self.dissolved_on <= self.established_on:
            raise ValidationError(
                {"dissolved_on": _("Ngày giải thể phải sau ngày thành lập.")}, code="dissolved"
            )
        # The year's share of units with a regulation reads this date (``regulation_by``):
        # without it, a regulation ticked in 2026 would change the figure of 2024.
        if self.regulation_issued and not self.regulation_date:
            raise ValidationError(
                {
                    "regulation_date": _(
                        "Hãy nhập ngày ban hành quy chế: số liệu của mỗi năm tính theo ngày này."
                    )
                },
                code="regulation_date_required",
            )

    def event_day_error(self, day: datetime.date) -> str | None:
        """Why an event of ``day`` cannot be this unit's: its area had ended by then (the
        unit must move to the unit that took the area over first), it was not founded
        yet, or was dissolved already. None when it may hold one that day."""
        if self.area.valid_to and day > self.area.valid_to:
            return self.area.in_force_error(day)
        return self.lifetime_error(day)

    def lifetime_error(self, day: datetime.date) -> str | None:
        """Why the unit did not exist on ``day`` (None when it did)."""
        if self.established_on and day < self.established_on:
            return _("Đơn vị “%(unit)s” thành lập ngày %(day)s; sự kiện không thể trước đó.") % {
                "unit": self.name,
                "day": self.established_on.strftime("%d/%m/%Y"),
            }
        if self.dissolved_on and day >= self.dissolved_on:
            return _("Đơn vị “%(unit)s” không còn từ ngày %(day)s.") % {
                "unit": self.name,
                "day": self.dissolved_on.strftime("%d/%m/%Y"),
            }
        return None


class UnitEventKind(models.TextChoices):
    # The conference of an agency's officials (Luật Thực hiện dân chủ ở cơ sở 2022) or an
    # enterprise's workers (Nghị định 145/2020/NĐ-CP); the dialogue at the workplace, at
    # least once a year (Bộ luật Lao động 2019, Điều 63).
    CONFERENCE = "conference", _("Hội nghị cán bộ, công chức, viên chức, người lao động")
    DIALOGUE = "dialogue", _("Đối thoại tại nơi làm việc")


class UnitEventQuerySet(ScopedQuerySet):
    scope_path = "unit__area__path"

    def outliving_their_area(self) -> Self:
        """An event follows its unit: it never moves to a successor on its own."""
        return self.none()


def held_in(kind: str, start: datetime.date, end: datetime.date) -> Exists:
    """Units that held an event of ``kind`` between two days (both included): a
    subquery, so that counting them joins nothing that would count a unit twice."""
    events = UnitEvent.objects.filter(unit=OuterRef("pk"), kind=kind, held_on__range=(start, end))
    return Exists(events)


class UnitEvent(KeptOnItsArea, models.Model):
    """A conference of a unit's officials or workers, or a dialogue at its workplace, on
    its day: one row each, so that a year's figure reads the events of that year and an
    event of 2026 never overwrites one of 2024."""

    area_dates = ("held_on",)
    area_error_field = "held_on"
    # An event of 2024 stays with its unit when the unit moves onto the commune of today:
    # only a day after the unit's area ended is out of place (the unit must move first).
    outlives_area = True

    unit = models.ForeignKey(
        MemberUnit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("loại sự kiện"), max_length=20, choices=UnitEventKind)
    held_on = models.DateField(_("ngày tổ chức"))
    participants = models.PositiveIntegerField(_("số người tham dự"), null=True, blank=True)
    notes = models.TextField(_("nội dung, kết quả"), blank=True)
    history = HistoricalRecords()

    objects = UnitEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("hội nghị, đối thoại của đơn vị")
        verbose_name_plural = pgettext_lazy("plural", "hội nghị, đối thoại của đơn vị")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["kind", "held_on"], name="unit_event_kind_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "held_on"],
                name="one_unit_event_of_a_kind_a_day",
                violation_error_message=_("Đơn vị này đã có sự kiện cùng loại vào ngày đó."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("committees:unitevent_detail", args=[self.pk])

    def record_area(self) -> Area | None:
        return self.unit.area if self.unit_id else None

    def clean(self) -> None:
        super().clean()
        message = self.unit.lifetime_error(self.held_on) if self.unit_id and self.held_on else None
        if message:
            raise ValidationError({"held_on": message}, code="unit_not_existing")
