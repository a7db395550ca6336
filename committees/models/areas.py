"""Administrative areas: the two structures, their levels and the tree of units."""

from __future__ import annotations

import datetime
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .access import ScopedQuerySet


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class Structure(models.TextChoices):
    """The two administrative structures: before and after the 2025 reorganisation."""

    LEGACY = "legacy", _("63 tỉnh, 3 cấp (đến 30/06/2025)")
    Y2025 = "2025", _("34 tỉnh, 2 cấp (từ 01/07/2025)")


# The day the two-level structure (Nghị quyết 202/2025/QH15) took effect.
REORGANISATION_DATE = datetime.date(2025, 7, 1)


class AreaQuerySet(ScopedQuerySet):
    scope_path = "path"

    def current(self, on: datetime.date | None = None) -> Self:
        """Areas in force on a day (today by default)."""
        on = on or datetime.date.today()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        )

    def search(self, text: str) -> Self:
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(code=text))


class Area(models.Model):
    """An administrative unit (province, district, commune) with its official GSO code.

    Areas of the legacy three-level structure end on 30/06/2025; those of the two-level
    structure start on 01/07/2025. Codes are unique within a structure only (the GSO
    re-used codes), so the structure is part of the identity and the first segment of
    ``path``: ``legacy/22/193/06649/`` is a commune of Hạ Long in Quảng Ninh. Successors
    link an old unit to the new units it was merged into.
    """

    structure = models.CharField(_("cơ cấu hành chính"), max_length=8, choices=Structure)
    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên"), max_length=150)
    short_name = models.CharField(_("tên ngắn"), max_length=120)
    kind = models.CharField(_("loại"), max_length=30, help_text=_("Tỉnh, Thành phố, Huyện, Xã…"))
    level = models.CharField(_("cấp"), max_length=10, choices=Level)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("đường dẫn"), max_length=80, unique=True, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        symmetrical=False,
        related_name="predecessors",
        blank=True,
    )
    history = HistoricalRecords(excluded_fields=["path"])

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("địa bàn")
        verbose_name_plural = pgettext_lazy("plural", "địa bàn")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["structure", "code"], name="area_code_per_structure"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="area_validity_ordered",
            ),
        ]
        indexes = [
            # A LIKE 'prefix%' on PostgreSQL uses a btree only with the pattern operator class
            # (or the C collation); subtree queries rely on it.
            models.Index(
                fields=["path"], name="area_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["level", "structure"], name="area_level_structure"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The path is derived from the row's own identity (structure, code, parent), never
        # edited by hand; keeping it in step here is part of this row's truth.
        self.path = self.build_path(self.structure, self.code, self.parent)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        url = reverse("committees:area_detail", args=[self.code])
        if self.structure == Structure.LEGACY:
            return f"{url}?structure={Structure.LEGACY}"
        return url

    @staticmethod
    def build_path(structure: str, code: str, parent: Area | None) -> str:
        return f"{parent.path}{code}/" if parent else f"{structure}/{code}/"

    def clean(self) -> None:
        if self.parent and self.parent.structure != self.structure:
            raise ValidationError({"parent": _("Đơn vị trực thuộc phải cùng cơ cấu hành chính.")})

    @property
    def ancestor_codes(self) -> list[str]:
        return self.path.strip("/").split("/")[1:-1]

    def ancestors(self) -> AreaQuerySet:
        """Parents up to the province, top first, in one query."""
        return Area.objects.filter(structure=self.structure, code__in=self.ancestor_codes)

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or datetime.date.today()
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )
