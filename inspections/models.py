"""Inspections and supervisions, petitions with their legal deadlines, citizen reception
sessions and dialogues. (Their choices are in ``inspections.choices``, importable from
here too.)

Every model is scoped by its area (``committees.models.ScopedQuerySet``). A petition's
due dates come from ``inspections.deadlines`` and are stored with every save, so that
"overdue" and "backlog" are indexed filters, not computations over every row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Case, F, Q, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from committees.models import (
    EDITOR_ROLES,
    Area,
    KeptOnItsArea,
    Role,
    ScopedQuerySet,
    attribution_field,
)

from . import deadlines, statistics
from .choices import (
    BEFORE_ACCEPTANCE,
    BEING_HANDLED,
    OPEN,
    Channel,
    Complexity,
    DialogueKind,
    FollowUp,
    InspectionForm,
    InspectionKind,
    Outcome,
    PetitionField,
    PetitionKind,
    Round,
    SessionKind,
    Status,
)

NOT_NEGATIVE = MinValueValidator(0, _("Số liệu không được là số âm."))


class InspectionQuerySet(ScopedQuerySet):
    def totals(self) -> dict[str, int]:
        """Inspections and supervisions with the party organisations and members covered,
        in one pass over the rows."""
        aggregates = {}
        for kind in InspectionKind.values:
            of_kind = Q(kind=kind)
            aggregates |= {
                f"{kind}s": models.Count("id", filter=of_kind),
                f"{kind}_organisations": models.Sum("party_organisations", filter=of_kind),
                f"{kind}_members": models.Sum("party_members", filter=of_kind),
            }
        figures = self.aggregate(**aggregates)
        return {name: value or 0 for name, value in figures.items()}


class Inspection(KeptOnItsArea, models.Model):
    """An inspection or a supervision by a party committee or its inspection commission."""

    area_dates = ("held_on",)

    area = models.ForeignKey(
        Area, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField(_("loại"), max_length=20, choices=InspectionKind)
    form = models.CharField(_("hình thức"), max_length=20, choices=InspectionForm)
    held_on = models.DateField(_("ngày tiến hành"))
    conducted_by = models.CharField(
        _("chủ thể"), max_length=255, help_text=_("Ví dụ: Ban Thường vụ Huyện ủy")
    )
    subject = models.CharField(_("nội dung"), max_length=500)
    party_organisations = models.PositiveIntegerField(
        _("số tổ chức đảng"), default=0, validators=[NOT_NEGATIVE]
    )
    party_members = models.PositiveIntegerField(
        _("số đảng viên"), default=0, validators=[NOT_NEGATIVE]
    )
    findings = models.TextField(_("kết quả, nhận xét"), blank=True)
    violations = models.PositiveIntegerField(
        _("số trường hợp vi phạm"), default=0, validators=[NOT_NEGATIVE]
    )
    recommendations = models.TextField(_("kiến nghị"), blank=True)
    follow_up = models.CharField(
        _("thực hiện kiến nghị"), max_length=20, choices=FollowUp, default=FollowUp.NONE
    )
    attributed_to = attribution_field()
    history = HistoricalRecords()

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("cuộc kiểm tra, giám sát")
        verbose_name_plural = pgettext_lazy("plural", "cuộc kiểm tra, giám sát")
        ordering = ["-held_on", "-id"]
        # A subtree's year: the area's rows by day (the benchmark's province summary).
        indexes = [
            models.Index(fields=["held_on"]),
            models.Index(fields=["area", "held_on"], name="inspection_area_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:inspection_detail", args=[self.pk])


class ReceptionSession(KeptOnItsArea, models.Model):
    """A citizen reception session (tiếp công dân) held by a leader."""

    area_dates = ("held_on",)

    area = models.ForeignKey(
        Area, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="receptions"
    )
    held_on = models.DateField(_("ngày tiếp"))
    kind = models.CharField(_("hình thức"), max_length=20, choices=SessionKind)
    leader = models.CharField(_("lãnh đạo tiếp"), max_length=255, help_text=_("Họ tên, chức vụ"))
    citizens = models.PositiveIntegerField(
        _("số lượt công dân"), default=0, validators=[NOT_NEGATIVE]
    )
    delegations = models.PositiveIntegerField(
        _("số đoàn đông người"), default=0, validators=[NOT_NEGATIVE]
    )
    notes = models.TextField(_("nội dung chính"), blank=True)
    attributed_to = attribution_field()
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("buổi tiếp công dân")
        verbose_name_plural = pgettext_lazy("plural", "buổi tiếp công dân")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return _("Tiếp công dân ngày %(day)s — %(leader)s") % {
            "day": self.held_on.strftime("%d/%m/%Y"),
            "leader": self.leader,
        }

    def get_absolute_url(self) -> str:
        return reverse("inspections:reception_detail", args=[self.pk])


class Dialogue(KeptOnItsArea, models.Model):
    """A dialogue between leaders and citizens or workers."""

    area_dates = ("held_on",)

    area = models.ForeignKey(
        Area, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="dialogues"
    )
    held_on = models.DateField(_("ngày đối thoại"))
    kind = models.CharField(_("đối tượng"), max_length=20, choices=DialogueKind)
    leader = models.CharField(_("lãnh đạo chủ trì"), max_length=255)
    participants = models.PositiveIntegerField(
        _("số người tham dự"), default=0, validators=[NOT_NEGATIVE]
    )
    issues_raised = models.PositiveIntegerField(
        _("số ý kiến, kiến nghị"), default=0, validators=[NOT_NEGATIVE]
    )
    issues_resolved = models.PositiveIntegerField(
        _("số ý kiến được giải quyết"), default=0, validators=[NOT_NEGATIVE]
    )
    notes = models.TextField(_("nội dung chính"), blank=True)
    attributed_to = attribution_field()
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("buổi đối thoại")
        verbose_name_plural = pgettext_lazy("plural", "buổi đối thoại")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(issues_resolved__lte=F("issues_raised")),
                name="dialogue_resolved_within_raised",
                violation_error_message=_(
                    "Số ý kiến được giải quyết không được lớn hơn số ý kiến, kiến nghị."
                ),
            )
        ]

    def __str__(self) -> str:
        return _("Đối thoại ngày %(day)s — %(leader)s") % {
            "day": self.held_on.strftime("%d/%m/%Y"),
            "leader": self.leader,
        }

    def get_absolute_url(self) -> str:
        return reverse("inspections:dialogue_detail", args=[self.pk])


# The petition officer keeps the petitions of their scope, with the record keepers.
PETITION_EDITORS = EDITOR_ROLES | {Role.PETITION_OFFICER}


# An officer is warned of a deadline this many working days ahead.
DUE_SOON_WORKING_DAYS = 3


def step_due_on() -> Case:
    """The deadline of the step an open petition waits for: acceptance before it is
    accepted, resolution after (NULL for a closed one). The work list filters and orders
    by it, and the index ``petition_area_step_due_only`` holds it per area."""
    return Case(
        When(status__in=BEFORE_ACCEPTANCE, then=F("first_due_on")),
        When(status__in=BEING_HANDLED, then=F("resolve_due_on")),
    )


def overdue_condition(today: datetime.date) -> Q:
    """Open petitions past the deadline of the step they wait for, on ``today``."""
    return Q(status__in=BEFORE_ACCEPTANCE, first_due_on__lt=today) | Q(
        status__in=BEING_HANDLED, resolve_due_on__lt=today
    )


class PetitionQuerySet(ScopedQuerySet):
    editor_roles = PETITION_EDITORS

    def open(self) -> Self:
        return self.filter(status__in=OPEN)

    def overdue(self, today: datetime.date | None = None) -> Self:
        """Open petitions past the deadline of the step they wait for."""
        return self.filter(overdue_condition(today or datetime.date.today()))

    def due_soon(self, today: datetime.date | None = None) -> Self:
        """Open petitions whose step is due within ``DUE_SOON_WORKING_DAYS`` working days,
        or overdue: what the officer must act on first. Ordered by that due date."""
        limit = deadlines.add_working_days(today or datetime.date.today(), DUE_SOON_WORKING_DAYS)
        # The same rows as (awaiting acceptance, first deadline ≤ limit) or (being handled,
        # resolution deadline ≤ limit), in the shape of ``petition_area_step_due_only``: each
        # area of the scope is one short range of that index, not every open petition of
        # the country read and joined to the scope.
        return (
            self.filter(status__in=OPEN)
            .alias(step_due_on=step_due_on())
            .filter(step_due_on__lte=limit)
            .order_by(step_due_on().asc(), "id")
        )

    def statistics(self, window: statistics.Span) -> dict[str, Any]:
        """The petition statistics of a window as an inspectorate reports them (carried
        over, received, accepted, resolved, outstanding, …), from the dated events, in one
        query (``inspections.statistics``)."""
        return statistics.statistics(self, window)

    def backlog(self, today: datetime.date | None = None) -> Self:
        """Tồn đọng: accepted and still unresolved after the resolution deadline."""
        today = today or datetime.date.today()
        return self.filter(status__in=BEING_HANDLED, resolve_due_on__lt=today)

    def prolonged(self, today: datetime.date | None = None) -> Self:
        """Kéo dài: backlog cases that are complex or very complex."""
        return self.backlog(today).exclude(complexity=Complexity.NORMAL)

    # The dashboard's counts (``inspections.counts``) follow every write of a petition:
    # ``save()`` and ``delete()`` of one, and these writes of many (``bulk_update()`` goes
    # through ``update()``), which change exactly the rows they locked and count them out
    # and in again in the same transaction.

    def delete(self) -> tuple[int, dict[str, int]]:
        from . import counts

        with transaction.atomic(savepoint=False):
            before = counts.locked(self)
            deleted = super(PetitionQuerySet, self._exactly(before)).delete()
            counts.apply(removed=before)
        return deleted

    def update(self, **kwargs: Any) -> int:
        from . import counts

        # Refused before anything is read, as for every tracked model (HistoryQuerySet).
        self._refuse("update()", "bulk_update_with_history(objs, model, fields, actor=…)")
        with transaction.atomic(savepoint=False):
            before = counts.locked(self)
            rows = self._exactly(before)
            updated = super(PetitionQuerySet, rows).update(**kwargs)
            counts.apply(removed=before, added=counts.stored(rows))
        return updated

    def bulk_create(self, objs: Iterable[models.Model], **kwargs) -> list[models.Model]:
        from . import counts

        self._refuse("bulk_create()", "bulk_create_with_history(objs, model, actor=…)")
        with transaction.atomic(savepoint=False):
            created = super().bulk_create(objs, **kwargs)
            if any(obj.pk is None for obj in created):
                raise ValueError("The petition counts need the keys of the rows created.")
            counts.apply(added=counts.stored(self.filter(pk__in=[obj.pk for obj in created])))
        return created

    def _exactly(self, rows: list[dict]) -> Self:
        """The rows that were locked, and no row that matches the filter since."""
        return self.model.objects.filter(pk__in=[row["pk"] for row in rows])


class Petition(KeptOnItsArea, models.Model):
    """A complaint, denunciation or petition, its handling and its legal deadlines."""

    area_dates = ("received_on",)

    area = models.ForeignKey(
        Area,
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        related_name="petitions",
        help_text=_("Nơi xảy ra vụ việc, đơn vị tiếp nhận và xử lý"),
    )
    kind = models.CharField(_("loại đơn"), max_length=20, choices=PetitionKind)
    round = models.CharField(
        _("lần khiếu nại"),
        max_length=10,
        choices=Round,
        default=Round.FIRST,
        help_text=_(
            "Khiếu nại lần hai: thời hạn theo Điều 36, 37 Luật Khiếu nại 2011. "
            "Đơn tố cáo, kiến nghị, phản ánh luôn là lần đầu."
        ),
    )
    channel = models.CharField(_("nguồn đơn"), max_length=20, choices=Channel)
    field = models.CharField(_("lĩnh vực"), max_length=20, choices=PetitionField)
    is_crowd = models.BooleanField(_("đông người"), default=False)
    received_on = models.DateField(_("ngày nhận đơn"))
    petitioner_name = models.CharField(_("họ tên người gửi đơn"), max_length=150)
    petitioner_address = models.CharField(_("địa chỉ người gửi đơn"), max_length=255, blank=True)
    petitioner_contact = models.CharField(_("điện thoại, thư điện tử"), max_length=150, blank=True)
    subject = models.TextField(_("nội dung đơn"))
    concerned = models.CharField(
        _("cơ quan, người bị khiếu nại, tố cáo"), max_length=255, blank=True
    )
    handling_body = models.CharField(_("cơ quan xử lý"), max_length=255)
    complexity = models.CharField(
        _("mức độ vụ việc"), max_length=20, choices=Complexity, default=Complexity.NORMAL
    )
    remote_area = models.BooleanField(
        _("vùng sâu, vùng xa đi lại khó khăn"),
        default=False,
        help_text=_("Thời hạn giải quyết khiếu nại dài hơn (Điều 28 Luật Khiếu nại 2011)."),
    )
    reception = models.ForeignKey(
        ReceptionSession,
        verbose_name=_("buổi tiếp công dân"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="petitions",
    )
    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("buổi đối thoại"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="petitions",
    )
    # Workflow: set only by inspections.services.
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status, default=Status.RECEIVED, editable=False
    )
    accepted_on = models.DateField(_("ngày thụ lý"), null=True, blank=True, editable=False)
    resolved_on = models.DateField(_("ngày giải quyết"), null=True, blank=True, editable=False)
    # The day the handling ended (resolved, not accepted, forwarded, withdrawn), from the
    # step's dated event: what a window's statistics read (``inspections.statistics``).
    settled_on = models.DateField(_("ngày kết thúc xử lý"), null=True, blank=True, editable=False)
    extensions = models.PositiveSmallIntegerField(_("số lần gia hạn"), default=0, editable=False)
    verification_days = models.PositiveSmallIntegerField(
        _("số ngày làm việc kéo dài để xác minh"), default=0, editable=False
    )
    outcome = models.CharField(
        _("kết quả giải quyết"), max_length=20, choices=Outcome, blank=True, editable=False
    )
    first_due_on = models.DateField(_("hạn thụ lý, phân loại"), null=True, editable=False)
    resolve_due_on = models.DateField(_("hạn giải quyết"), null=True, editable=False)
    attributed_to = attribution_field()
    # The identity stays out of the change history, which many may read.
    history = HistoricalRecords(
        excluded_fields=["petitioner_name", "petitioner_address", "petitioner_contact"]
    )

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn thư")
        verbose_name_plural = pgettext_lazy("plural", "đơn thư")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["status", "first_due_on"]),
            models.Index(fields=["status", "resolve_due_on"]),
            # The API's keyset pages walk (received_on, id) backwards.
            models.Index(fields=["received_on", "id"], name="petition_received_id"),
            # A subtree's petitions of a year: each area's rows of that year from the index
            # alone (with their status, for the list's state filter and its count), instead
            # of every petition the area ever had read from the table. National data, a
            # province's open petitions this year: count 280 → 10 ms, page 180 → 70 ms.
            # It carries every field the petition statistics read (``statistics``), so an
            # area's figures of any window come from the index too, never from rows spread
            # over the whole table: a commune's report 497 → 4 ms, a province's own 466 →
            # 13 ms (Hà Nội, 2026).
            models.Index(
                fields=["area", "received_on"],
                include=[
                    "status",
                    "id",
                    "kind",
                    "round",
                    "accepted_on",
                    "settled_on",
                    "resolved_on",
                    "resolve_due_on",
                    "attributed_to",
                ],
                name="petition_area_events",
            ),
            # The open petitions of each area by the deadline of the step they wait for
            # (``due_soon``: the home page's work list, the list's "due soon" filter). A
            # province's petitions due within three working days or past, national data:
            # rows 430 → 6 ms, count 240 → 9 ms (they read every open petition of the
            # country due by then, 64,000, to keep the province's 2,900). It carries the
            # columns of its expression and the id, so that the count and the choice of
            # the first rows read the index alone, not each of the 2,900 rows: Hà Nội's
            # count 68 → 5 ms.
            models.Index(
                F("area"),
                step_due_on(),
                condition=Q(status__in=OPEN),
                include=("status", "first_due_on", "resolve_due_on", "id"),
                name="petition_area_step_due_only",
            ),
        ]

    def __str__(self) -> str:
        return _("Đơn %(kind)s số %(id)s") % {
            "kind": self.get_kind_display().lower(),
            "id": self.pk,
        }

    def save(self, *args, **kwargs) -> None:
        from . import counts

        self.refresh_due_dates()
        # The dashboard's counts follow the row as stored, before and after, in the same
        # transaction: whatever changed it (a step, an edit, a move to another area).
        with transaction.atomic(savepoint=False):
            before = counts.locked(Petition.objects.filter(pk=self.pk)) if self.pk else []
            super().save(*args, **kwargs)
            counts.apply(removed=before, added=counts.stored(Petition.objects.filter(pk=self.pk)))

    def get_absolute_url(self) -> str:
        return reverse("inspections:petition_detail", args=[self.pk])

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        from . import counts

        with transaction.atomic(savepoint=False):
            before = counts.locked(Petition.objects.filter(pk=self.pk))
            deleted = super().delete(*args, **kwargs)
            counts.apply(removed=before)
        return deleted

    def refresh_due_dates(self) -> None:
        """Derive the stored due dates from the petition's own facts (kind, dates, case)
        as the law counts them (``inspections.deadlines``): part of the row's truth, like
        an area's path, so every save keeps them in step."""
        due = {d.step: d.due_on for d in deadlines.deadlines(self)}
        self.first_due_on = due.get("first")
        self.resolve_due_on = due.get("resolve")

    def clean(self) -> None:
        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors = exc.message_dict
        if self.received_on and self.received_on > datetime.date.today():
            errors["received_on"] = [_("Ngày nhận đơn không được sau ngày hôm nay.")]
        if self.round == Round.SECOND and self.kind != PetitionKind.COMPLAINT:
            errors["round"] = [_("Chỉ đơn khiếu nại mới có khiếu nại lần hai.")]
        if errors:
            raise ValidationError(errors)

    @property
    def is_protected(self) -> bool:
        """The identity of a denouncer is protected by law (Điều 47 Luật Tố cáo 2018)."""
        return self.kind == PetitionKind.DENUNCIATION

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def due_on(self) -> datetime.date | None:
        """The deadline of the step the petition waits for."""
        if self.status in BEFORE_ACCEPTANCE:
            return self.first_due_on
        if self.status in BEING_HANDLED:
            return self.resolve_due_on
        return None

    @property
    def is_overdue(self) -> bool:
        due = self.due_on
        return due is not None and due < datetime.date.today()


class PetitionEvent(models.Model):
    """One step of a petition's handling: who moved it, when, from what to what, why."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("đơn thư"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("từ trạng thái"), max_length=20, choices=Status, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=20, choices=Status)
    on = models.DateField(_("ngày"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), on_delete=models.PROTECT
    )
    at = models.DateTimeField(_("thời điểm ghi nhận"), auto_now_add=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý đơn")
        verbose_name_plural = pgettext_lazy("plural", "bước xử lý đơn")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.from_status} → {self.to_status}"


class IdentityAccess(models.Model):
    """A view of a protected identity: who saw whose identity, when, through what."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("đơn thư"), on_delete=models.CASCADE, related_name="accesses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người xem"), on_delete=models.PROTECT
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    channel = models.CharField(_("qua"), max_length=20)

    class Meta:
        verbose_name = _("lượt xem danh tính được bảo vệ")
        verbose_name_plural = pgettext_lazy("plural", "lượt xem danh tính được bảo vệ")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} — {self.petition_id} — {self.at:%d/%m/%Y %H:%M}"


def petition_document_upload_to(instance: PetitionDocument, filename: str) -> str:
    # ``filename`` is already the portal's own (committees.platform.uploads.stored_name).
    return f"petitions/{instance.petition.received_on:%Y}/{filename}"


class PetitionDocumentQuerySet(ScopedQuerySet):
    """A petition's documents are in scope where the petition is, and kept by those who
    keep it (its petition officer included)."""

    scope_path = "petition__area__path"
    editor_roles = PETITION_EDITORS


class PetitionDocument(models.Model):
    """A document of a petition's handling (a decision to accept, a resolution, a reply),
    with its file; served only to users who may see the petition."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("đơn thư"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(
        _("tên văn bản"),
        max_length=255,
        help_text=_("Ví dụ: Quyết định giải quyết khiếu nại số 12/QĐ-UBND"),
    )
    file = models.FileField(_("tệp"), upload_to=petition_document_upload_to)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    history = HistoricalRecords()

    objects = PetitionDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản của đơn thư")
        verbose_name_plural = pgettext_lazy("plural", "văn bản của đơn thư")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_download_url(self) -> str:
        return reverse("inspections:petition_document", args=[self.pk])


# --- The dashboard's counts ---------------------------------------------------------------

# "No deadline" in the counts of open petitions (a petition, a reflection): never overdue.
NO_DEADLINE = datetime.date.max


class PetitionMonthCount(models.Model):
    """The petitions received in a month within a scope — an area's path, counting its whole
    subtree, or a structure's root (``legacy/``): how many, of each kind and field, from a
    crowd, and resolved. The dashboard reads a year of them in one query; they are kept by
    ``inspections.counts`` in the transaction of each write of a petition and rebuilt from
    the petitions by ``manage.py rebuild_petition_counts``."""

    scope = models.CharField(max_length=80)
    month = models.DateField()  # its first day
    received = models.IntegerField(default=0)
    complaints = models.IntegerField(default=0)
    denunciations = models.IntegerField(default=0)
    petitions = models.IntegerField(default=0)
    crowd = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    field_land = models.IntegerField(default=0)
    field_compensation = models.IntegerField(default=0)
    field_policy = models.IntegerField(default=0)
    field_administration = models.IntegerField(default=0)
    field_corruption = models.IntegerField(default=0)
    field_other = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "month"], name="petition_month_count_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.month:%m/%Y}: {self.received}"


class PetitionDueCount(models.Model):
    """The open petitions within a scope (as ``PetitionMonthCount``) whose step waits for a
    deadline on a day (``NO_DEADLINE`` for those without one): awaiting acceptance (the
    first deadline), accepted and being resolved (the resolution deadline), and of those
    the complex and very complex. Overdue, backlog (tồn đọng) and prolonged (kéo dài) on any
    day are the sums before that day."""

    scope = models.CharField(max_length=80)
    due_on = models.DateField()
    awaiting = models.IntegerField(default=0)
    handled = models.IntegerField(default=0)
    handled_complex = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "due_on"], name="petition_due_count_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.due_on:%d/%m/%Y}: {self.awaiting + self.handled}"
