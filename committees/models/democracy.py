"""Democracy at the commune as the 2022 law organises it (Luật Thực hiện dân chủ ở cơ sở
số 10/2022/QH15, Chương II, in force from 01/07/2023; Nghị định 59/2023/NĐ-CP): what is
made public to citizens, what they discuss and decide, what they are consulted on, and
what they check and supervise; and the village conventions (hương ước, quy ước) that the
communes' villages and residential groups agree and the authorities recognise."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .access import ScopedQuerySet
from .areas import Area, KeptOnItsArea, attribution_field
from .choices import Level


class DemocracyKind(models.TextChoices):
    """The four ways citizens take part, one section each of the law's Chapter II."""

    DISCLOSURE = "disclosure", _("Công khai cho Nhân dân biết")
    DECISION = "decision", _("Nhân dân bàn và quyết định")
    CONSULTATION = "consultation", _("Nhân dân tham gia ý kiến")
    SUPERVISION = "supervision", _("Nhân dân kiểm tra, giám sát")


class Supervisor(models.TextChoices):
    """Who checks and supervises on the citizens' behalf (the law's Chapter II: the
    People's Inspection Board and the Community Investment Supervision Board)."""

    PEOPLES_INSPECTION = "peoples_inspection", _("Ban Thanh tra nhân dân")
    COMMUNITY_INVESTMENT = "community_investment", _("Ban giám sát đầu tư của cộng đồng")
    CITIZENS = "citizens", _("Nhân dân trực tiếp")


class CountedAs(models.TextChoices):
    """What a number of participants counts: a vote of a village meeting is counted by
    households (the law asks for more than half of them), a consultation by people."""

    HOUSEHOLDS = "households", _("hộ gia đình")
    PEOPLE = "people", _("người")


class DemocracyActivity(KeptOnItsArea, models.Model):
    """One dated activity of grassroots democracy in a commune: a matter made public,
    discussed and decided, put to the citizens for their views, or checked and
    supervised by them; who took part (households or people) and what came of it."""

    area_dates = ("held_on",)
    area_levels = (Level.COMMUNE,)

    area = models.ForeignKey(
        Area,
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="democracy_activities",
    )
    kind = models.CharField(_("hình thức thực hiện dân chủ"), max_length=20, choices=DemocracyKind)
    subject = models.CharField(
        _("nội dung"),
        max_length=500,
        help_text=_(
            "Ví dụ: Dự toán ngân sách xã năm 2025; mức đóng góp làm đường giao thông thôn Đồng Tâm"
        ),
    )
    held_on = models.DateField(_("ngày thực hiện"))
    village = models.CharField(
        _("thôn, tổ dân phố"), max_length=255, blank=True, help_text=_("Để trống nếu là cả xã.")
    )
    method = models.CharField(
        _("cách thức"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: niêm yết tại trụ sở, hội nghị thôn, phát phiếu lấy ý kiến hộ gia đình"),
    )
    supervisor = models.CharField(
        _("chủ thể giám sát"),
        max_length=30,
        choices=Supervisor,
        blank=True,
        help_text=_("Chỉ với hoạt động kiểm tra, giám sát."),
    )
    participants = models.PositiveIntegerField(_("số tham gia"), null=True, blank=True)
    counted_as = models.CharField(
        _("tính theo"),
        max_length=20,
        choices=CountedAs,
        blank=True,
        help_text=_("Số tham gia là số hộ gia đình hay số người."),
    )
    outcome = models.TextField(_("kết quả"), blank=True)
    attributed_to = attribution_field()
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("hoạt động thực hiện dân chủ ở xã")
        verbose_name_plural = pgettext_lazy("plural", "hoạt động thực hiện dân chủ ở xã")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["area", "held_on"], name="democracy_area_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants__isnull=True, counted_as="")
                | (Q(participants__isnull=False) & ~Q(counted_as="")),
                name="democracy_participants_counted_as",
                violation_error_message=_(
                    "Số tham gia phải ghi cùng cách tính (hộ gia đình hoặc người)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind=DemocracyKind.SUPERVISION) | Q(supervisor=""),
                name="democracy_supervisor_only_supervising",
                violation_error_message=_("Chỉ hoạt động kiểm tra, giám sát có chủ thể giám sát."),
            ),
        ]

    def __str__(self) -> str:
        return self.subject[:80]

    def get_absolute_url(self) -> str:
        return reverse("committees:democracyactivity_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.participants is not None and not self.counted_as:
            errors["counted_as"] = _("Hãy chọn số tham gia tính theo hộ gia đình hay theo người.")
        if self.counted_as and self.participants is None:
            errors["participants"] = _("Hãy nhập số hộ gia đình hoặc số người tham gia.")
        if self.supervisor and self.kind != DemocracyKind.SUPERVISION:
            errors["supervisor"] = _("Chỉ hoạt động kiểm tra, giám sát có chủ thể giám sát.")
        if errors:
            raise ValidationError(errors)


class ConventionKind(models.TextChoices):
    VILLAGE = "village", _("Hương ước (thôn, làng, ấp, bản)")
    RESIDENTIAL = "residential", _("Quy ước (tổ dân phố)")


class VillageConvention(KeptOnItsArea, models.Model):
    """A village's or residential group's convention (hương ước, quy ước) as it was
    recognised: by whom, by which decision, on which day. The residents' vote on it is a
    democracy activity of its own (discussed and decided); the recognition is this
    record, which the year's figure of conventions recognised counts."""

    area_dates = ("recognised_on",)
    area_levels = (Level.COMMUNE,)

    area = models.ForeignKey(
        Area,
        verbose_name=_("xã, phường"),
        on_delete=models.PROTECT,
        related_name="village_conventions",
    )
    village = models.CharField(_("thôn, tổ dân phố"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=ConventionKind)
    name = models.CharField(
        _("tên"), max_length=255, help_text=_("Ví dụ: Hương ước thôn Đồng Tâm (sửa đổi, bổ sung)")
    )
    decision_number = models.CharField(
        _("số quyết định công nhận"), max_length=60, help_text=_("Ví dụ: 125/QĐ-UBND")
    )
    recognised_on = models.DateField(_("ngày công nhận"))
    recognised_by = models.CharField(
        _("cấp công nhận"), max_length=255, help_text=_("Ví dụ: Chủ tịch UBND xã Quảng Tân")
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    attributed_to = attribution_field()
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("hương ước, quy ước")
        verbose_name_plural = pgettext_lazy("plural", "hương ước, quy ước")
        ordering = ["-recognised_on", "village"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "village", "decision_number"],
                name="one_convention_per_village_decision",
                violation_error_message=_(
                    "Quyết định này đã công nhận một hương ước, quy ước của thôn, tổ dân phố này."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("committees:villageconvention_detail", args=[self.pk])
