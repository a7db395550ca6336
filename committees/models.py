"""Areas, officials and their scope, and the steering committees of the areas.

The one access rule of the portal lives here: a role on an area covers that area and its
whole subtree, nothing else. Every scoped model's QuerySet derives from
``ScopedQuerySet`` and answers ``visible_to(user)`` and ``editable_by(user)`` with a
single indexed prefix query on the stored area path.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Self

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .history import HistoryQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


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


class Role(models.TextChoices):
    PROVINCIAL_STAFF = "provincial_staff", _("Cơ quan thường trực BCĐ tỉnh")
    DISTRICT_SECRETARIAT = "district_secretariat", _("Tổ giúp việc BCĐ cấp huyện")
    COMMUNE_OFFICIAL = "commune_official", _("Cán bộ cấp xã")
    VIEWER = "viewer", _("Thành viên BCĐ (chỉ xem)")
    PETITION_OFFICER = "petition_officer", _("Cán bộ xử lý đơn thư")


# Roles that keep the records of their subtree; viewers and petition officers read them.
EDITOR_ROLES = frozenset({Role.PROVINCIAL_STAFF, Role.DISTRICT_SECRETARIAT, Role.COMMUNE_OFFICIAL})


def share(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole`` to one decimal; None when there is no whole."""
    return round(100 * part / whole, 1) if whole else None


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


class UserManager(DjangoUserManager.from_queryset(HistoryQuerySet)):
    """Django's user manager, refusing bulk writes that would skip the change history."""


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
        wanted = set(roles) if roles is not None else None
        return [a.area.path for a in self.role_assignments() if wanted is None or a.role in wanted]

    def has_role(self, *roles: str) -> bool:
        return any(a.role in roles for a in self.role_assignments())


class RoleAssignment(models.Model):
    """A user's role on an area: it covers that area and its whole subtree."""

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="assignments"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="assignments"
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


class CommitteeQuerySet(ScopedQuerySet):
    def active(self) -> Self:
        return self.filter(is_active=True)


class SteeringCommittee(models.Model):
    """The steering committee (Ban Chỉ đạo) of an area; one is active at a time.

    It is established by a decision and consolidated (kiện toàn) by later ones; each
    decision ends some seats and opens others, so the membership on any day can be read
    back (``Membership.objects.on(day)``) and nothing of the former composition is lost.
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


class CommitteeDecision(models.Model):
    """A decision that established or consolidated a committee, with its signed file."""

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


class Training(models.Model):
    """A training class, dissemination conference or seminar (tọa đàm) held by an area."""

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


class UnitKind(models.TextChoices):
    COMMUNE = "commune", _("Xã, phường, thị trấn")
    STATE_AGENCY = "state_agency", _("Cơ quan hành chính nhà nước")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp công lập")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    ARMED_FORCES = "armed_forces", _("Đơn vị lực lượng vũ trang")


class MemberUnitQuerySet(ScopedQuerySet):
    def regulation_figures(self) -> dict[str, int]:
        """Units, and those that issued their QCDC regulation, counted in the database."""
        return self.aggregate(
            units=models.Count("id"),
            with_regulation=models.Count("id", filter=Q(regulation_issued=True)),
        )


class MemberUnit(models.Model):
    """A place where the democracy rules apply: a commune, agency, public service unit,
    enterprise or armed-forces unit, with its own regulation, its annual conference of
    officials or workers and its workplace dialogue (Nghị định 145/2020/NĐ-CP)."""

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


class DocumentKind(models.TextChoices):
    DIRECTIVE = "directive", _("Chỉ thị")
    RESOLUTION = "resolution", _("Nghị quyết")
    PLAN = "plan", _("Kế hoạch")
    GUIDANCE = "guidance", _("Hướng dẫn")
    DECISION = "decision", _("Quyết định")
    REPORT = "report", _("Báo cáo")
    OFFICIAL_LETTER = "official_letter", _("Công văn")
    NOTICE = "notice", _("Thông báo")


def document_upload_to(instance: Document, filename: str) -> str:
    # ``filename`` is already the portal's own (uploads.stored_name); grouped by year.
    return f"documents/{instance.issued_on:%Y}/{filename}"


class Document(models.Model):
    """A document issued to lead and direct the work (e.g. ``12-KH/BCĐ``), with its file."""

    area = models.ForeignKey(
        Area, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=DocumentKind)
    number = models.CharField(_("số, ký hiệu"), max_length=60, help_text=_("Ví dụ: 12-KH/BCĐ"))
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = models.CharField(
        _("cơ quan ban hành"), max_length=255, help_text=_("Ví dụ: Ban Chỉ đạo tỉnh")
    )
    summary = models.TextField(_("trích yếu"))
    file = models.FileField(_("tệp đính kèm"), upload_to=document_upload_to, blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True, editable=False)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = pgettext_lazy("plural", "văn bản chỉ đạo")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                models.F("issuer"),
                models.F("number"),
                models.functions.ExtractYear("issued_on"),
                name="document_number_per_issuer_year",
                violation_error_message=_(
                    "Cơ quan này đã có một văn bản cùng số, ký hiệu trong năm đó."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.summary[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("committees:document_detail", args=[self.pk])

    def get_download_url(self) -> str:
        return reverse("committees:document_file", args=[self.pk]) if self.file else ""


class AnnualPlanQuerySet(ScopedQuerySet):
    def in_year(self, year: int) -> Self:
        return self.filter(year=year)


class AnnualPlan(models.Model):
    """A year's plan of an area's committee (e.g. ``05-KH/BCĐ``), made of tasks."""

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


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    CANCELLED = "cancelled", _("Không thực hiện")


OPEN_TASK = Q(status__in=[TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS])


class PlanTaskQuerySet(ScopedQuerySet):
    scope_path = "plan__area__path"

    def overdue(self, today: datetime.date | None = None) -> Self:
        """Open tasks whose deadline has passed."""
        return self.filter(OPEN_TASK, deadline__lt=today or datetime.date.today())

    def progress(self, today: datetime.date | None = None) -> dict[str, int | float | None]:
        """Tasks, done, overdue, and the completion share (cancelled tasks not counted)."""
        today = today or datetime.date.today()
        figures = self.aggregate(
            tasks=models.Count("id", filter=~Q(status=TaskStatus.CANCELLED)),
            done=models.Count("id", filter=Q(status=TaskStatus.DONE)),
            overdue=models.Count("id", filter=OPEN_TASK & Q(deadline__lt=today)),
        )
        tasks = figures["tasks"]
        figures["share"] = share(figures["done"], tasks)
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
        open_ = self.status in (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)
        return open_ and self.deadline < datetime.date.today()

    @property
    def days_overdue(self) -> int:
        return (datetime.date.today() - self.deadline).days if self.is_overdue else 0


class ModelField(models.TextChoices):
    ECONOMY = "economy", _("Phát triển kinh tế")
    CULTURE_SOCIETY = "culture_society", _("Văn hóa, xã hội")
    DEFENCE_SECURITY = "defence_security", _("Quốc phòng, an ninh")
    POLITICAL_SYSTEM = "political_system", _("Xây dựng hệ thống chính trị")
    ADMINISTRATION = "administration", _("Cải cách hành chính")


class TypicalModel(models.Model):
    """A typical model (mô hình điển hình, e.g. "Dân vận khéo") and the units applying it."""

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


class RecipientKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")


class AwardForm(models.TextChoices):
    CERTIFICATE_OF_MERIT = "certificate_of_merit", _("Bằng khen")
    CERTIFICATE = "certificate", _("Giấy khen")
    EMULATION_FLAG = "emulation_flag", _("Cờ thi đua")
    EMULATION_TITLE = "emulation_title", _("Danh hiệu thi đua")
    ORDER = "order", _("Huân chương")


class Commendation(models.Model):
    """A commendation for work on grassroots democracy, to a collective or a person."""

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
