"""Administrative areas: the two structures, their levels and the tree of units."""

from __future__ import annotations

import datetime
import unicodedata
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .access import ScopedQuerySet
from .choices import Level, Structure


def in_force(on: datetime.date) -> Q:
    """Areas in force on a day: an open end (NULL) is no limit."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


class AreaQuerySet(ScopedQuerySet):
    scope_path = "path"

    def current(self, on: datetime.date | None = None) -> Self:
        """Areas in force on a day (today by default)."""
        return self.filter(in_force(on or datetime.date.today()))

    def for_code(self, code: str, on: datetime.date | None = None) -> Area | None:
        """The unit a code means. Codes were reused by the 2025 map (Quảng Ninh is 22 on
        both), so a code alone may name two units: on a day, the one in force that day;
        without a day, the one in force today, else the newest. None if there is none."""
        return self.filter(code=code.strip()).by_code(on).get(code.strip())

    def by_code(self, on: datetime.date | None = None) -> dict[str, Area]:
        """Each code of these areas and the unit it means, as ``for_code`` says (all of
        them in one query: an import reads hundreds of codes)."""
        units = self.current(on) if on is not None else self
        today = datetime.date.today()
        # NULLs are placed by hand: PostgreSQL sorts them first when descending, SQLite
        # last, and a legacy unit's open start (NULL) must not read as the newest.
        preferred = units.order_by(
            Case(When(in_force(today), then=Value(0)), default=Value(1)),
            F("valid_from").desc(nulls_last=True),
            F("valid_to").desc(nulls_first=True),
            "path",
        )
        found: dict[str, Area] = {}
        for area in preferred:
            found.setdefault(area.code, area)
        return found

    def search(self, text: str) -> Self:
        """Areas whose name starts as typed, with or without its accents and with or
        without its kind ("cao xanh", "Phường Cao Xanh"), or whose code it is."""
        text = text.strip()
        if not text:
            return self
        keys = name_keys(text)
        named = Q(search_name__startswith=keys[0])
        for key in keys[1:]:
            named |= Q(search_name__startswith=key)
        # Codes are digits: a name is searched on its index alone (an OR with the code,
        # which has no index of its own, read all 14,149 rows).
        return self.filter(named | Q(code=text) if text.isdigit() else named)


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
    # The short name without accents, in lower case ("cao xanh" for Phường Cao Xanh): a
    # search by name is a prefix query on an index, for any spelling an official types.
    search_name = models.CharField(max_length=120, default="", editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        symmetrical=False,
        related_name="predecessors",
        blank=True,
    )
    # Where this legacy unit's records count on today's map (see ``counting_for``): the
    # one successor of a commune, the new province of a district or province; for a
    # commune split between several successors, the one an operator chose (empty until).
    attributed_to = models.ForeignKey(
        "self",
        verbose_name=_("số liệu tính cho"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attributed_from",
        limit_choices_to={"structure": Structure.Y2025},
    )
    history = HistoricalRecords(excluded_fields=["path", "search_name"])

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
            models.Index(
                fields=["search_name"],
                name="area_search_name_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        # With its map: the admin's selects and the history list both "Tỉnh Quảng Ninh"s.
        return self.label

    def save(self, *args, **kwargs) -> None:
        # The path is derived from the row's own identity (structure, code, parent), never
        # edited by hand; keeping it in step here is part of this row's truth.
        self.path = self.build_path(self.structure, self.code, self.parent)
        self.search_name = search_key(self.short_name)
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

    @property
    def label(self) -> str:
        """The name with the map it belongs to: two units of both maps often share a name
        ("Tỉnh Quảng Ninh (từ 01/07/2025)", "Phường Cao Xanh (đến 30/06/2025)")."""
        # gettext, not the lazy _: a form's area select asks every unit for its label.
        if self.valid_to:
            return gettext("%(name)s (đến %(day)s)") % {
                "name": self.name,
                "day": _day(self.valid_to),
            }
        if self.valid_from:
            return gettext("%(name)s (từ %(day)s)") % {
                "name": self.name,
                "day": _day(self.valid_from),
            }
        return self.name

    @cached_property
    def counting_paths(self) -> list[str]:
        """The subtrees whose records count for this unit: its own; for a province of
        today's map also its legacy predecessors' (read once per object: a summary asks
        for every kind of record)."""
        if self.structure == Structure.LEGACY or self.level != Level.PROVINCE:
            return [self.path]
        legacy = self.predecessors.filter(level=Level.PROVINCE).order_by("path")
        return [self.path, *legacy.values_list("path", flat=True)]

    def heirs(self) -> AreaQuerySet:
        """The units of today's map that took over this one: its successors; for a
        district (which has none), the successors of its communes."""
        if self.level == Level.DISTRICT:
            return Area.objects.filter(predecessors__parent=self).distinct().order_by("path")
        return self.successors.order_by("path")

    def in_force_error(self, day: datetime.date) -> str | None:
        """Why a record dated ``day`` cannot be kept on this unit, naming the units to
        choose instead; None when the unit is in force on that day."""
        if self.valid_to and day > self.valid_to:
            heirs = list(self.heirs())
            kind = _("phường, xã") if self.level != Level.PROVINCE else _("tỉnh, thành phố")
            message = _("%(area)s không còn từ %(end)s; hãy chọn %(kind)s kế thừa: %(heirs)s.") % {
                "area": self.name,
                "end": _day(self.valid_to + datetime.timedelta(days=1)),
                "kind": kind,
                "heirs": ", ".join(a.name for a in heirs) or "—",
            }
            province = self.attributed_to if self.level == Level.DISTRICT else None
            if province is not None:
                message += " " + _("Việc chung của cấp huyện cũ ghi cho %(province)s.") % {
                    "province": province.name
                }
            return message
        if self.valid_from and day < self.valid_from:
            return _(
                "%(area)s chỉ có từ %(start)s; việc trước ngày đó ghi cho đơn vị cũ: %(before)s."
            ) % {
                "area": self.name,
                "start": _day(self.valid_from),
                "before": ", ".join(a.name for a in self.predecessors.order_by("path")) or "—",
            }
        return None


# The kinds a full name starts with, as keys: "phường cao xanh" is searched as "cao xanh".
_KIND_KEYS = ("thanh pho", "thi tran", "thi xa", "dac khu", "tinh", "huyen", "quan", "phuong", "xa")


def search_key(text: str) -> str:
    """``text`` without its accents, in lower case, its spaces single: "Hạ  Long" → "ha long".
    Đ is a letter of its own, not a D with a mark: Unicode does not decompose it."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.lower().split())


def name_keys(text: str) -> list[str]:
    """The keys a typed name is searched by: as typed, and without the kind it starts
    with (short names have none)."""
    key = search_key(text)
    keys = [key]
    for kind in _KIND_KEYS:
        if key.startswith(f"{kind} ") and len(key) > len(kind) + 1:
            keys.append(key[len(kind) + 1 :])
            break
    return keys


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


class KeptOnItsArea:
    """A record whose area must be in force on the record's dates (DESIGN.md, "Two maps,
    one present"): a training of 2026 cannot be kept on a district abolished in 2025.
    ``area_dates`` names the date fields; the message names the units to choose instead.
    Mixed into the models of records; forms and the API meet it through ``full_clean``."""

    area_dates: tuple[str, ...] = ()
    # The form field the message belongs to (a decision has no area of its own).
    area_error_field = "area"
    # A record that outlives its area (a member unit) moves, whatever its dates, to the
    # unit that took the area over (services/reorganisation.py) and keeps the dates of its
    # past there: only a date after its area ended is out of place.
    outlives_area = False
    # The levels of area such a record is kept on (empty: any): the democracy of the 2022
    # law is the communes'. The forms and the API offer only those (``area_choices``).
    area_levels: tuple[str, ...] = ()

    def record_area(self) -> Area | None:
        return self.area if getattr(self, "area_id", None) else None

    def clean(self) -> None:
        super().clean()
        area = self.record_area()
        if area is not None and self.area_levels and area.level not in self.area_levels:
            levels = ", ".join(str(Level(level).label).lower() for level in self.area_levels)
            message = _("Chỉ ghi cho %(levels)s; %(area)s thuộc %(level)s.") % {
                "levels": levels,
                "area": area.name,
                "level": str(Level(area.level).label).lower(),
            }
            raise ValidationError({self.area_error_field: message}, code="area_level")
        days = [getattr(self, name) for name in self.area_dates]
        for day in filter(None, days) if area is not None else ():
            if self.outlives_area and not (area.valid_to and day > area.valid_to):
                continue
            message = area.in_force_error(day)
            if message:
                raise ValidationError({self.area_error_field: message}, code="area_not_in_force")


def attribution_field() -> models.ForeignKey:
    """A record of a commune split between several successors may count for the one an
    operator chose, record by record (``ScopedQuerySet.counting_for``); set by the
    attribution service, never in the record's own form."""
    return models.ForeignKey(
        Area,
        verbose_name=_("số liệu tính cho"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
