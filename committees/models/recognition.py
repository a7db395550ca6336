"""Recognition: typical models (mô hình điển hình) and commendations."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .access import ScopedQuerySet
from .areas import Area, KeptOnItsArea, attribution_field
from .units import MemberUnit


class ModelField(models.TextChoices):
    ECONOMY = "economy", _("Phát triển kinh tế")
    CULTURE_SOCIETY = "culture_society", _("Văn hóa, xã hội")
    DEFENCE_SECURITY = "defence_security", _("Quốc phòng, an ninh")
    POLITICAL_SYSTEM = "political_system", _("Xây dựng hệ thống chính trị")
    ADMINISTRATION = "administration", _("Cải cách hành chính")


class TypicalModel(KeptOnItsArea, models.Model):
    """A typical model (mô hình điển hình, e.g. "Dân vận khéo") and the units applying it."""

    area_dates = ("recognised_on",)

    area = models.ForeignKey(
        Area, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="typical_models"
    )
    name = models.CharField(_("tên mô hình"), max_length=255)
    field = models.CharField(_("lĩnh vực"), max_length=20, choices=ModelField)
    recognised_on = models.DateField(_("ngày công nhận"))
    recognised_by = models.CharField(
        _("cơ quan công nhận"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Ban Dân vận Tỉnh ủy"),
    )
    description = models.TextField(_("nội dung, cách làm, hiệu quả"), blank=True)
    units = models.ManyToManyField(
        MemberUnit, verbose_name=_("đơn vị áp dụng"), blank=True, related_name="typical_models"
    )
    attributed_to = attribution_field()
    history = HistoricalRecords(m2m_fields=[units])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mô hình điển hình")
        verbose_name_plural = pgettext_lazy("plural", "mô hình điển hình")
        ordering = ["-recognised_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="one_typical_model_name_per_area",
                violation_error_message=_("Địa bàn này đã có một mô hình cùng tên."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("committees:typicalmodel_detail", args=[self.pk])

    @staticmethod
    def check_units(area: Area | None, units: Iterable[MemberUnit]) -> None:
        """A model's units are units of its area (or of its subtree): the form and the API
        refuse any other with this message. (Checked before saving: a many-to-many is
        set after the row, where ``clean()`` cannot see it.)"""
        outside = [u for u in units if area is not None and not u.area.path.startswith(area.path)]
        if outside:
            message = _("Đơn vị “%(unit)s” không thuộc địa bàn %(area)s.") % {
                "unit": outside[0].name,
                "area": area.name,
            }
            raise ValidationError({"units": message}, code="unit_outside_area")


class RecipientKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")


class AwardForm(models.TextChoices):
    CERTIFICATE_OF_MERIT = "certificate_of_merit", _("Bằng khen")
    CERTIFICATE = "certificate", _("Giấy khen")
    EMULATION_FLAG = "emulation_flag", _("Cờ thi đua")
    EMULATION_TITLE = "emulation_title", _("Danh hiệu thi đua")
    ORDER = "order", _("Huân chương")


class Commendation(KeptOnItsArea, models.Model):
    """A commendation for work on grassroots democracy, to a collective or a person."""

    area_dates = ("awarded_on",)

    area = models.ForeignKey(
        Area, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="commendations"
    )
    recipient = models.CharField(_("tập thể, cá nhân được khen"), max_length=255)
    recipient_kind = models.CharField(_("đối tượng"), max_length=20, choices=RecipientKind)
    award = models.CharField(_("hình thức khen thưởng"), max_length=30, choices=AwardForm)
    decision_number = models.CharField(
        _("số quyết định"), max_length=60, help_text=_("Ví dụ: 2150-QĐ/TU")
    )
    awarded_on = models.DateField(_("ngày quyết định"))
    awarded_by = models.CharField(
        _("cấp khen"), max_length=255, help_text=_("Ví dụ: Chủ tịch UBND tỉnh")
    )
    achievement = models.TextField(_("thành tích"), blank=True)
    typical_model = models.ForeignKey(
        TypicalModel,
        verbose_name=_("mô hình điển hình"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commendations",
    )
    attributed_to = attribution_field()
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = pgettext_lazy("plural", "khen thưởng")
        ordering = ["-awarded_on", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision_number", "recipient", "award"],
                name="one_award_per_recipient_per_decision",
                violation_error_message=_(
                    "Quyết định này đã ghi nhận hình thức khen thưởng đó cho tập thể, cá nhân này."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_award_display()} — {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("committees:commendation_detail", args=[self.pk])
