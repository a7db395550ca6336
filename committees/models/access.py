"""Who may see and write what: roles, the scoped QuerySet, users and their assignments.

The one access rule of the portal lives here: a role on an area covers that area and its
whole subtree, nothing else. Every scoped model's QuerySet derives from
``ScopedQuerySet`` and answers ``visible_to(user)`` and ``editable_by(user)`` with a
single indexed prefix query on the stored area path.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Self

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ..platform.history import HistoryQuerySet
from .choices import Level, Structure

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .areas import Area


class Role(models.TextChoices):
    PROVINCIAL_STAFF = "provincial_staff", _("Cơ quan thường trực BCĐ tỉnh")
    DISTRICT_SECRETARIAT = "district_secretariat", _("Tổ giúp việc BCĐ cấp huyện")
    COMMUNE_OFFICIAL = "commune_official", _("Cán bộ cấp xã")
    VIEWER = "viewer", _("Thành viên BCĐ (chỉ xem)")
    PETITION_OFFICER = "petition_officer", _("Cán bộ xử lý đơn thư")


# Roles that keep the records of their subtree; viewers and petition officers read them.
EDITOR_ROLES = frozenset({Role.PROVINCIAL_STAFF, Role.DISTRICT_SECRETARIAT, Role.COMMUNE_OFFICIAL})


def covering_paths(paths: Iterable[str]) -> list[str]:
    """The paths that are not inside another one: the roots of a union of subtrees."""
    roots: list[str] = []
    for path in sorted(set(paths)):
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    return roots


class ScopedQuerySet(HistoryQuerySet):
    """A QuerySet that knows which area each row belongs to, through ``scope_path``.

    ``scope_path`` is the lookup from the model to ``Area.path`` (``"path"`` for areas,
    ``"area__path"`` for records of an area). Scope is a prefix match on that path, so a
    subtree is one indexed range scan whatever its depth. Scoped records are the users'
    records, all with a change history: bulk writes that skip it are refused.
    """

    scope_path = "area__path"
    # The roles that may write these rows (petitions add the petition officer).
    editor_roles: frozenset[str] = EDITOR_ROLES

    def _within(self, paths: Iterable[str]) -> Self:
        roots = covering_paths(paths)
        if not roots:
            return self.none()
        condition = Q()
        for root in roots:
            condition |= Q(**{f"{self.scope_path}__startswith": root})
        return self.filter(condition)

    def visible_to(self, user: User | AnonymousUser) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self._within(user.scope_paths())

    def editable_by(self, user: User | AnonymousUser, roles: Iterable[str] | None = None) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self._within(user.scope_paths(self.editor_roles if roles is None else roles))

    def within(self, area: Area) -> Self:
        """Rows of ``area`` and its subtree."""
        return self._within([area.path])

    # Figures across the 2025 reorganisation (DESIGN.md, "Two maps, one present").

    @property
    def area_field(self) -> str:
        """The lookup from a row to its area (``area``, ``committee__area``)."""
        return self.scope_path.removesuffix("path").removesuffix("__")

    @property
    def _rows_attributed(self) -> bool:
        """Whether rows carry their own attribution (records of a split commune)."""
        return self.scope_path != "path" and any(
            f.name == "attributed_to" for f in self.model._meta.concrete_fields
        )

    def dated_outside_area(self, *, before: bool = True) -> Self:
        """Rows with a date (the model's ``area_dates``) outside their area's validity: after
        it ended — kept on an abolished unit — or, with ``before``, before it began (a
        unit outliving its area keeps its past dates: ``outlives_area``)."""
        model = self.model
        before = before and not getattr(model, "outlives_area", False)
        condition = Q()
        for name in getattr(model, "area_dates", ()):
            condition |= Q(**{f"{name}__gt": models.F(f"{self.area_field}__valid_to")})
            if before:
                condition |= Q(**{f"{name}__lt": models.F(f"{self.area_field}__valid_from")})
        return self.filter(condition) if condition else self.none()

    def outliving_their_area(self) -> Self:
        """Rows that live on when their area is abolished (``outlives_area``: a member
        unit), and move with what it held to the unit that took it over."""
        return self if getattr(self.model, "outlives_area", False) else self.none()

    def dated_after_area(self) -> Self:
        """Rows with a date after their area ended: misfiled on an abolished unit."""
        return self.dated_outside_area(before=False)

    def counting_for(self, area: Area) -> Self:
        """Rows whose figures count for ``area``: its subtree; for an area of today's map
        also the records of the legacy areas that became it. A commune counts its
        predecessors' records (those of a split commune where an operator attributed
        them); a province counts its legacy predecessors' whole subtrees."""
        if area.structure == Structure.LEGACY:
            return self.within(area)
        if area.level == Level.PROVINCE:
            return self._within(area.counting_paths)
        # The commune, and the legacy units that count for it whole; a split commune's
        # records only where an operator attributed them to it. Rows are attributed one
        # by one only among a split commune's successors (``records_attribute``), so
        # those attributed to it lie on its predecessors: each kept unit's rows are read
        # from the area index, never by a scan of the whole table (national data, a
        # commune's petitions of 2026: 497 → 4 ms).
        areas = area._meta.model.objects
        # A legacy unit counted whole for it is one of its predecessors: its one
        # successor, or the heir an operator chose (``split_commune_attribute``).
        held = areas.filter(pk=area.pk).order_by().values("pk")
        held = held.union(area.predecessors.order_by().values("pk"))
        rows = self._of_areas(held)
        whole = Q(**{self.area_field: area}) | Q(**{f"{self.area_field}__attributed_to": area})
        if not self._rows_attributed:
            return rows.filter(whole)
        return rows.filter(Q(attributed_to=area) | Q(whole, attributed_to__isnull=True))

    def own_to(self, area: Area) -> Self:
        """Rows of ``area`` that no report below it counts: a legacy area's own records;
        for a province of today's map, its own, its legacy predecessors' own, the former
        districts' own, and those of split communes not attributed to a successor yet."""
        if area.structure == Structure.LEGACY:
            return self.filter(**{self.area_field: area})
        if area.level != Level.PROVINCE:
            return self.counting_for(area)
        # The units whose rows no commune counts: not a commune of today, not a legacy
        # unit counted whole by one. A row attributed on its own is always a commune's
        # (``counting_for``). Chosen first among the areas, so that each unit's rows come
        # from the area index (national data, Hà Nội's own petitions: 466 → 13 ms).
        own = (
            area._meta.model.objects.all()
            ._within(area.counting_paths)
            .exclude(structure=Structure.Y2025, level=Level.COMMUNE)
            .exclude(attributed_to__level=Level.COMMUNE)
        )
        rows = self._of_areas(own.values("pk"))
        return rows.filter(attributed_to__isnull=True) if self._rows_attributed else rows

    def _of_areas(self, areas: models.QuerySet) -> Self:
        """Rows of the areas a subquery names."""
        return self.filter(**{f"{self.area_field}__in": areas})


class UserQuerySet(HistoryQuerySet):
    """Users, with bulk writes that would skip the change history refused."""

    def holding(self, area: Area, roles: Iterable[str]) -> Self:
        """Active users who hold one of ``roles`` on ``area`` itself (those who are told
        about its report: its editors, the province's staff)."""
        return self.filter(
            is_active=True, assignments__area=area, assignments__role__in=roles
        ).distinct()

    def emails(self) -> list[str]:
        """Their e-mail addresses, each once, in order; those without one are left out."""
        return sorted(set(self.exclude(email="").values_list("email", flat=True)))


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    """Django's user manager over ``UserQuerySet``."""


class User(AbstractUser):
    """An official who logs in. What they see comes from their role assignments."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    # Who changed an account and when; the password hash and login times stay out of it.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = pgettext_lazy("plural", "người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def role_assignments(self) -> list[RoleAssignment]:
        """This user's assignments with their areas, loaded once per user object."""
        if not hasattr(self, "_assignments_cache"):
            self._assignments_cache = list(
                self.assignments.select_related("area").order_by("area__path", "role")
            )
        return self._assignments_cache

    def scope_paths(self, roles: Iterable[str] | None = None) -> list[str]:
        """The roots of the subtrees the user's roles cover. A unit of today's map covers
        the legacy units it took over too: their records count for it (DESIGN.md, "Two
        maps, one present"), so its people read and keep them."""
        wanted = set(roles) if roles is not None else None
        inherited = self._inherited_paths()
        return [
            path
            for a in self.role_assignments()
            if wanted is None or a.role in wanted
            for path in (a.area.path, *inherited.get(a.area_id, ()))
        ]

    def _inherited_paths(self) -> dict[int, list[str]]:
        """For each assigned unit of today's map, the paths of the legacy units it took
        over (a province's predecessors, a commune's): one query, once per user object."""
        if not hasattr(self, "_inherited_cache"):
            self._inherited_cache: dict[int, list[str]] = {}
            today = {
                a.area_id: a.area
                for a in self.role_assignments()
                if a.area.structure == Structure.Y2025
            }
            if today:
                areas = type(next(iter(today.values()))).objects
                # The units they took over, by two indexed lookups in a subquery: one
                # filter ORing both through the successors' join read the whole area table.
                taken_over = (
                    areas.model.successors.through.objects.filter(to_area__in=today)
                    .values_list("from_area")
                    .union(areas.filter(attributed_to__in=today).order_by().values_list("pk"))
                )
                legacy = areas.filter(pk__in=taken_over, structure=Structure.LEGACY)
                for path, heir, attributed in legacy.values_list(
                    "path", "successors", "attributed_to"
                ):
                    for area_id in {heir, attributed} & today.keys():
                        self._inherited_cache.setdefault(area_id, []).append(path)
        return self._inherited_cache

    def keeps(self, area: Area) -> bool:
        """Whether the user keeps ``area``'s records: ``Area.objects.editable_by`` for one
        area, read from the assignments already loaded, without a query."""
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        return any(area.path.startswith(root) for root in self.scope_paths(EDITOR_ROLES))

    def has_role(self, *roles: str) -> bool:
        return any(a.role in roles for a in self.role_assignments())


class RoleAssignment(models.Model):
    """A user's role on an area: it covers that area and its whole subtree."""

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="assignments"
    )
    # By name: areas' QuerySet derives from ScopedQuerySet, so areas.py imports this module.
    area = models.ForeignKey(
        "committees.Area",
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("vai trò"), max_length=30, choices=Role)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = pgettext_lazy("plural", "phân quyền")
        constraints = [
            models.UniqueConstraint(fields=["user", "area", "role"], name="one_role_per_user_area")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.area}"
