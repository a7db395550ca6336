"""Steering committees, the decisions that establish and consolidate them, and their seats."""

from __future__ import annotations

import datetime
from typing import Self

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .access import ScopedQuerySet
from .areas import Area, KeptOnItsArea


class CommitteeQuerySet(ScopedQuerySet):
    def active(self) -> Self:
        return self.filter(is_active=True)

    def with_latest_decision(self) -> Self:
        """Each committee with its latest decision: ``latest_number``, ``latest_signed_on``
        and ``latest_kind`` (the list's columns, the area page's committee)."""
        latest = CommitteeDecision.objects.filter(committee=OuterRef("pk"))
        latest = latest.order_by("-signed_on", "-id")
        return self.annotate(
            latest_number=Subquery(latest.values("number")[:1]),
            latest_signed_on=Subquery(latest.values("signed_on")[:1]),
            latest_kind=Subquery(latest.values("kind")[:1]),
        )


class SteeringCommittee(models.Model):
    """The steering committee (Ban Chỉ đạo) of an area; one is active at a time.

    It is established by a decision and consolidated (kiện toàn) by later ones; each
    decision ends some seats and opens others, so the membership on any day can be read
    back (``Membership.objects.on(day)``) and nothing of the former composition is lost.
    When its area is abolished, a consolidation decision carries it onto the unit that
    took the area over: a new committee there continues it (``carried_from``).
    """

    area = models.ForeignKey(
        Area, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="committees"
    )
    name = models.CharField(_("tên"), max_length=255)
    standing_body = models.CharField(_("cơ quan thường trực"), max_length=255, blank=True)
    regulation = models.CharField(
        _("quy chế hoạt động"), max_length=255, blank=True, help_text=_("Số, ngày ban hành")
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    # The committee of an abolished unit this one continues, on the unit that took it over
    # (``committee_carry_over``): its members and decisions before 01/07/2025 stay there.
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("tiếp nối ban chỉ đạo"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="carried_to",
    )
    history = HistoricalRecords()

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("ban chỉ đạo")
        verbose_name_plural = pgettext_lazy("plural", "ban chỉ đạo")
        ordering = ["area__path", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["area"],
                condition=Q(is_active=True),
                name="one_active_committee_per_area",
                violation_error_message=_("Địa bàn này đã có một ban chỉ đạo đang hoạt động."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("committees:committee_detail", args=[self.pk])


class DecisionKind(models.TextChoices):
    ESTABLISHED = "established", _("Thành lập")
    CONSOLIDATED = "consolidated", _("Kiện toàn")


def decision_upload_to(instance: CommitteeDecision, filename: str) -> str:
    return f"decisions/{instance.signed_on:%Y}/{filename}"


class DecisionQuerySet(ScopedQuerySet):
    scope_path = "committee__area__path"


class CommitteeDecision(KeptOnItsArea, models.Model):
    """A decision that established or consolidated a committee, with its signed file."""

    area_dates = ("signed_on",)
    area_error_field = "signed_on"

    committee = models.ForeignKey(
        SteeringCommittee,
        verbose_name=_("ban chỉ đạo"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    kind = models.CharField(_("loại quyết định"), max_length=20, choices=DecisionKind)
    number = models.CharField(_("số quyết định"), max_length=60, help_text=_("Ví dụ: 1125-QĐ/TU"))
    signed_on = models.DateField(_("ngày ký"))
    summary = models.CharField(_("trích yếu"), max_length=500, blank=True)
    file = models.FileField(_("tệp quyết định"), upload_to=decision_upload_to, blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True, editable=False)
    history = HistoricalRecords()

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("quyết định thành lập, kiện toàn")
        verbose_name_plural = pgettext_lazy("plural", "quyết định thành lập, kiện toàn")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "number"],
                name="one_decision_number_per_committee",
                violation_error_message=_("Ban chỉ đạo này đã có một quyết định cùng số."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.number}"

    def get_download_url(self) -> str:
        return reverse("committees:decision_file", args=[self.pk]) if self.file else ""

    def record_area(self) -> Area | None:
        return self.committee.area if self.committee_id else None


class CommitteeRole(models.TextChoices):
    HEAD = "head", _("Trưởng ban")
    STANDING_DEPUTY = "standing_deputy", _("Phó Trưởng ban thường trực")
    DEPUTY = "deputy", _("Phó Trưởng ban")
    MEMBER = "member", _("Ủy viên")
    SUPPORT = "support", _("Tổ giúp việc")


# Seats a working committee cannot leave empty.
REQUIRED_ROLES = (CommitteeRole.HEAD, CommitteeRole.STANDING_DEPUTY)


class MembershipQuerySet(ScopedQuerySet):
    scope_path = "committee__area__path"

    def on(self, day: datetime.date) -> Self:
        """Members in office on a day."""
        return self.filter(Q(term_start__lte=day), Q(term_end__isnull=True) | Q(term_end__gte=day))

    def by_rank(self) -> Self:
        """Head first, in the order of the committee's own documents."""
        rank = models.Case(
            *[
                models.When(committee_role=role, then=n)
                for n, role in enumerate(CommitteeRole.values)
            ],
            output_field=models.IntegerField(),
        )
        return self.order_by(rank, "full_name", "id")


class Membership(models.Model):
    """A person's seat on a steering committee in one role, with its term.

    A change of role or position is a new seat: the former one ends the day before, so
    the composition on any past day stays readable.
    """

    committee = models.ForeignKey(
        SteeringCommittee,
        verbose_name=_("ban chỉ đạo"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    position = models.CharField(_("chức vụ"), max_length=255)
    organisation = models.CharField(_("cơ quan, đơn vị"), max_length=255, blank=True)
    committee_role = models.CharField(
        _("chức danh trong BCĐ"), max_length=20, choices=CommitteeRole
    )
    term_start = models.DateField(_("ngày bắt đầu"))
    term_end = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    appointed_by = models.ForeignKey(
        CommitteeDecision,
        verbose_name=_("theo quyết định"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointed",
    )
    ended_by = models.ForeignKey(
        CommitteeDecision,
        verbose_name=_("thôi theo quyết định"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ended",
    )
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("thành viên ban chỉ đạo")
        verbose_name_plural = pgettext_lazy("plural", "thành viên ban chỉ đạo")
        ordering = ["committee", "committee_role", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="membership_term_ordered",
                violation_error_message=_("Ngày kết thúc không được trước ngày bắt đầu."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_committee_role_display()})"
