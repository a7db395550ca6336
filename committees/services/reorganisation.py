"""What was kept before the 2025 reorganisation, put on the map of today (DESIGN.md, "Two
maps, one present").

- ``records_outside_area_validity`` and ``assignments_left_behind`` find records dated
  outside their area's validity (every model mixing in ``KeptOnItsArea``, one query each)
  and role assignments left on abolished units (``manage.py check_area_dates``).
- ``areas_move_to_heirs`` moves what an abolished unit still holds for the present to
  the unit of today's map that took it over: records dated after it ended, its member
  units (a unit lives on), and its people (the role is *added* on the successor; the old
  assignment stays, so the years before remain readable). Where the links leave no
  choice the target is implied — a commune's one successor, a province's new province,
  the new province for a district's records; where they do (a split commune; a
  district's units and people) only the operator's choice moves anything. Records dated
  before the reform never move: they count for the successors through the links
  (``ScopedQuerySet.counting_for``). ``manage.py move_to_successors`` and the Area admin.
- ``split_commune_attribute`` and ``records_attribute``: the successor that the records
  of a commune split between several count for, all at once or record by record.

Nothing is deleted, and every change leaves a history row naming who made it and why.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..models import Area, KeptOnItsArea, Level, RoleAssignment, Structure
from ..platform.history import bulk_create_with_history, update_with_history
from . import gso

# The length of simple_history's change reason column.
REASON_MAX_LENGTH = 100


def dated_models() -> list[type[models.Model]]:
    """Every kind of record kept on the unit in force on its dates (``KeptOnItsArea``),
    whatever app declares it: this module imports none of them."""
    return [m for m in apps.get_models() if issubclass(m, KeptOnItsArea)]


def area_field(model: type[models.Model]) -> str:
    """The lookup from a row of ``model`` to its area (``area``, ``committee__area``)."""
    return model._default_manager.all().area_field


def _has_own_area(model: type[models.Model]) -> bool:
    """Whether a row has an area of its own to change: a committee's decision follows its
    committee, and moves with it or not at all."""
    return area_field(model) == "area"


def is_attributable(model: type[models.Model]) -> bool:
    """Whether a record of ``model`` can count for a successor of its own
    (``attribution_field``)."""
    return any(f.name == "attributed_to" for f in model._meta.concrete_fields)


def area_list(areas: Iterable[Area]) -> str:
    """Areas as an operator reads and types them: "Phường Việt Hưng (mã 06661), …"."""
    return ", ".join(_("%(name)s (mã %(code)s)") % {"name": a.name, "code": a.code} for a in areas)


def checked_reason(text: str, default: str) -> str:
    """The reason written in the history rows: the operator's, else ``default``."""
    text = " ".join((text or "").split()) or default
    if len(text) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("Lý do dài %(n)s ký tự; lịch sử thay đổi giữ tối đa %(max)s ký tự.")
            % {"n": len(text), "max": REASON_MAX_LENGTH},
            code="reason_too_long",
        )
    return text


# --- finding what sits outside its unit's validity ----------------------------------------


@dataclass
class Misfiled:
    """Rows of one kind on one area whose dates lie outside the area's validity."""

    model: type[models.Model]
    area: Area
    after: list[int] = field(default_factory=list)  # dated after the area ended
    before: list[int] = field(default_factory=list)  # dated before it began

    @property
    def kind(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def count(self) -> int:
        return len(self.after) + len(self.before)


def records_outside_area_validity() -> list[Misfiled]:
    """Every record dated outside its area's validity, by kind, then by area (in the
    tree's order): one query per kind of record, one for the areas."""
    found: dict[tuple[type[models.Model], int], Misfiled] = {}
    rows_by_model = []
    for model in dated_models():
        rows = model._default_manager.all()
        lookup = rows.area_field
        values = rows.dated_outside_area().order_by("pk")
        rows_by_model.append((model, list(values.values_list("pk", lookup, *model.area_dates))))
    area_ids = {row[1] for _model, rows in rows_by_model for row in rows}
    areas = Area.objects.in_bulk(area_ids)
    for model, rows in rows_by_model:
        for pk, area_id, *days in rows:
            area = areas[area_id]
            entry = found.setdefault((model, area_id), Misfiled(model, area))
            late = area.valid_to is not None and any(d and d > area.valid_to for d in days)
            (entry.after if late else entry.before).append(pk)
    order = {model: n for n, model in enumerate(dated_models())}
    return sorted(found.values(), key=lambda m: (order[m.model], m.area.path))


def assignments_left_behind(today: datetime.date | None = None) -> models.QuerySet:
    """Role assignments on a unit abolished before ``today`` whose user holds the same
    role on none of the units that took it over: they read the years before, not the
    present (``templates/includes/reorganised.html`` tells them so)."""
    today = today or datetime.date.today()
    carried = RoleAssignment.objects.filter(user=OuterRef("user"), role=OuterRef("role")).filter(
        Q(area__predecessors=OuterRef("area"))
        | Q(area__predecessors__parent=OuterRef("area"))
        | Q(area=OuterRef("area__attributed_to"))
    )
    return (
        RoleAssignment.objects.filter(area__valid_to__lt=today)
        .exclude(Exists(carried))
        .select_related("user", "area")
        .order_by("area__path", "user__username", "role")
    )


# --- moving what an abolished unit holds to its successor ------------------------------


@dataclass
class Transfer:
    """What moves from one abolished unit to one unit of today's map."""

    source: Area
    target: Area
    rows: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)
    # Added on the target; the assignment on the abolished unit stays.
    assignments: list[RoleAssignment] = field(default_factory=list)

    def kinds(self) -> list[tuple[str, list[int]]]:
        """(kind, ids) of the rows that move, for whoever lists them."""
        return [(_kind(m), [row.pk for row in rows]) for m, rows in self.rows.items()]


@dataclass
class Waiting:
    """What stays on an abolished unit for now, and what it waits for."""

    source: Area
    message: str
    rows: dict[type[models.Model], list[int]] = field(default_factory=dict)
    assignments: list[RoleAssignment] = field(default_factory=list)
    choices: list[Area] = field(default_factory=list)  # the units to choose among
    suggestion: Area | None = None  # the source data's default, never applied

    def kinds(self) -> list[tuple[str, list[int]]]:
        return [(_kind(m), ids) for m, ids in self.rows.items()]


def _kind(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name_plural)


@dataclass
class MovePlan:
    """What a move does (a dry run) or did: transfers, and what waits for a choice."""

    transfers: list[Transfer] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)
    applied: bool = False

    @property
    def moved_rows(self) -> int:
        return sum(len(rows) for t in self.transfers for rows in t.rows.values())

    @property
    def added_assignments(self) -> int:
        return sum(len(t.assignments) for t in self.transfers)

    def digest(self) -> str:
        """A fingerprint of what moves where (rows by id, roles added): what an operator
        was shown, compared with what the real run would do (``expected``)."""
        lines = []
        for t in self.transfers:
            route = f"{t.source.pk}>{t.target.pk}"
            for model, rows in t.rows.items():
                ids = ",".join(str(pk) for pk in sorted(row.pk for row in rows))
                lines.append(f"{route} {model._meta.label} {ids}")
            lines += [f"{route} role {a.user_id}:{a.role}" for a in t.assignments]
        lines.sort()
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]


@dataclass
class _Holdings:
    """What one abolished unit holds that belongs to the present."""

    records: dict[type[models.Model], list[models.Model]] = field(
        default_factory=lambda: defaultdict(list)
    )
    units: dict[type[models.Model], list[models.Model]] = field(
        default_factory=lambda: defaultdict(list)
    )
    fixed: dict[type[models.Model], list[int]] = field(default_factory=lambda: defaultdict(list))
    ended: dict[type[models.Model], list[int]] = field(default_factory=lambda: defaultdict(list))
    assignments: list[RoleAssignment] = field(default_factory=list)


def _present(model: type[models.Model], today: datetime.date) -> models.QuerySet:
    """Rows of ``model`` that an abolished unit holds for the present: records dated after
    it ended; whatever outlives it (a member unit), whatever its dates."""
    rows = model._default_manager.all()
    late = rows.dated_after_area()
    if not model.outlives_area:
        return late
    return late | rows.outliving_their_area().filter(**{f"{rows.area_field}__valid_to__lt": today})


def areas_to_move(today: datetime.date | None = None) -> set[int]:
    """The abolished units that hold records, units or people to move (the admin's
    filter): one query per kind of record, one for the assignments."""
    today = today or datetime.date.today()
    found = set(assignments_left_behind(today).values_list("area", flat=True))
    for model in dated_models():
        if _has_own_area(model):
            found |= set(_present(model, today).order_by().values_list("area", flat=True))
    return found


def _holdings(areas: list[Area] | None, today: datetime.date) -> dict[int, _Holdings]:
    """By abolished unit: its records dated after it ended, its member units, its role
    assignments left behind, and what cannot move on its own. One query per kind."""
    found: dict[int, _Holdings] = defaultdict(_Holdings)
    for model in dated_models():
        rows = _present(model, today)
        lookup = rows.area_field
        if areas is not None:
            rows = rows.filter(**{f"{lookup}__in": areas})
        rows = rows.order_by("pk")
        if not _has_own_area(model):
            for pk, area_id in rows.values_list("pk", lookup):
                found[area_id].fixed[model].append(pk)
            continue
        living = set(rows.outliving_their_area().values_list("pk", flat=True))
        for row in rows:
            held = found[row.area_id]
            if row.pk in living:
                held.units[model].append(row)
            elif model.outlives_area:
                held.ended[model].append(row.pk)  # ended with its area, yet dated after
            else:
                held.records[model].append(row)
    assignments = assignments_left_behind(today)
    if areas is not None:
        assignments = assignments.filter(area__in=areas)
    for assignment in assignments:
        found[assignment.area_id].assignments.append(assignment)
    return found


def heirs_of(areas: Iterable[Area]) -> dict[int, list[Area]]:
    """The units of today's map that took over each area (``Area.heirs`` for many):
    successors; a district's are its communes' successors. Two queries."""
    areas = list(areas)
    through = Area.successors.through
    districts = {a.pk for a in areas if a.level == Level.DISTRICT}
    others = {a.pk for a in areas} - districts
    links = through.objects.filter(
        Q(from_area__in=others) | Q(from_area__parent__in=districts)
    ).values_list("from_area_id", "from_area__parent_id", "to_area_id")
    targets: dict[int, set[int]] = defaultdict(set)
    for old, parent, new in links:
        if old in others:
            targets[old].add(new)
        if parent in districts:
            targets[parent].add(new)
    found = Area.objects.in_bulk({pk for pks in targets.values() for pk in pks})
    return {
        a.pk: sorted((found[pk] for pk in targets.get(a.pk, ())), key=lambda h: h.path)
        for a in areas
    }


def move_choices(area: Area, heirs: list[Area]) -> list[Area]:
    """The units an operator may move an abolished unit's holdings to: the new province
    its figures count for (a district's, a province's), then its heirs."""
    first = [area.attributed_to] if area.attributed_to and area.attributed_to not in heirs else []
    return [*first, *heirs]


def implied_targets(area: Area, heirs: list[Area]) -> tuple[Area | None, Area | None]:
    """(where its records go, where its units and people go) when nobody chooses: a
    commune's one successor; a province's new province; the new province for a
    district's own records, but not for its units and people — a district secretariat
    must not silently become a whole province's."""
    if area.level == Level.COMMUNE:
        one = heirs[0] if len(heirs) == 1 else None
        return one, one
    if area.level == Level.DISTRICT:
        return area.attributed_to, None
    return area.attributed_to, area.attributed_to


def _why_waiting(area: Area, choices: list[Area]) -> str:
    if not choices:
        return _(
            "%(area)s chưa có đơn vị kế thừa trong cơ sở dữ liệu (chạy manage.py load_areas)."
        ) % {"area": area.label}
    if area.level == Level.DISTRICT:
        return _(
            "Đơn vị thực hiện QCDC và phân quyền của %(area)s (cấp huyện cũ) chỉ chuyển "
            "khi chọn đơn vị nhận: %(choices)s."
        ) % {"area": area.name, "choices": area_list(choices)}
    return _("%(area)s được chia cho nhiều đơn vị; hãy chọn đơn vị nhận: %(choices)s.") % {
        "area": area.name,
        "choices": area_list(choices),
    }


def _fixed_message(model: type[models.Model], area: Area) -> str:
    owner = model._meta.get_field(area_field(model).split("__")[0]).related_model
    return _(
        "%(kind)s không chuyển riêng được: chúng đi theo %(owner)s của %(area)s "
        "(kiện toàn %(owner)s trên đơn vị kế thừa)."
    ) % {
        "kind": capfirst(model._meta.verbose_name_plural),
        "owner": owner._meta.verbose_name,
        "area": area.label,
    }


def _ended_message(model: type[models.Model], area: Area) -> str:
    return _(
        "%(kind)s này là chính %(area)s, không còn từ %(end)s, mà ghi ngày sau đó: hãy sửa "
        "ngày, hoặc ghi cho đơn vị của đơn vị kế thừa."
    ) % {
        "kind": capfirst(model._meta.verbose_name),
        "area": area.name,
        "end": (area.valid_to + datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
    }


def _check_choices(choices: Mapping[Area, Area | None], heirs: dict[int, list[Area]]) -> None:
    for area, to in choices.items():
        if area.structure != Structure.LEGACY or area.valid_to is None:
            raise ValidationError(
                _("%(area)s đang có hiệu lực: không có gì để chuyển sang đơn vị kế thừa.")
                % {"area": area.label},
                code="area_in_force",
            )
        allowed = move_choices(area, heirs[area.pk])
        if to is not None and to not in allowed:
            raise ValidationError(
                _("%(to)s không kế thừa %(area)s; hãy chọn một trong: %(choices)s.")
                % {"to": to.label, "area": area.label, "choices": area_list(allowed) or "—"},
                code="not_a_successor",
            )


def _plan_area(area: Area, held: _Holdings, heirs: list[Area], to: Area | None) -> MovePlan:
    """The transfers and waits of one abolished unit."""
    plan = MovePlan()
    records_to, units_to = (to, to) if to is not None else implied_targets(area, heirs)
    transfers: dict[int, Transfer] = {}

    def transfer(target: Area) -> Transfer:
        return transfers.setdefault(target.pk, Transfer(area, target))

    waiting = Waiting(area, "")
    for kinds, target in ((held.records, records_to), (held.units, units_to)):
        for model, rows in kinds.items():
            if target is not None:
                transfer(target).rows[model] = rows
            else:
                waiting.rows[model] = [row.pk for row in rows]
    if units_to is not None:
        transfer(units_to).assignments = [
            RoleAssignment(user=a.user, role=a.role, area=units_to) for a in held.assignments
        ]
    else:
        waiting.assignments = held.assignments
    plan.transfers = list(transfers.values())
    if waiting.rows or waiting.assignments:
        choices = move_choices(area, heirs)
        suggested = gso.suggested_successors().get(area.code) if len(heirs) > 1 else None
        waiting.message = _why_waiting(area, choices)
        waiting.choices = choices
        waiting.suggestion = next((h for h in heirs if h.code == suggested), None)
        plan.waiting.append(waiting)
    for model, pks in held.fixed.items():
        plan.waiting.append(Waiting(area, _fixed_message(model, area), rows={model: pks}))
    for model, pks in held.ended.items():
        plan.waiting.append(Waiting(area, _ended_message(model, area), rows={model: pks}))
    return plan


def _unique_keys(model: type[models.Model]) -> list[tuple[str, ...]]:
    """The unique constraints of ``model`` that name its area (one unit name per area):
    a move must not make two rows of the target collide."""
    return [
        tuple(model._meta.get_field(name).attname for name in constraint.fields)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        and "area" in constraint.fields
        and constraint.condition is None
    ]


def _keep_apart_collisions(plan: MovePlan) -> None:
    """Rows whose move would collide with a row already on the target (or with another
    row moving there) stay where they are, listed with what to do: one query per unique
    constraint of a kind that moves."""
    by_model: dict[type[models.Model], list[tuple[Transfer, models.Model]]] = defaultdict(list)
    for transfer in plan.transfers:
        for model, rows in transfer.rows.items():
            by_model[model] += [(transfer, row) for row in rows]
    for model, moving in by_model.items():
        for key in _unique_keys(model):
            targets = {t.target.pk for t, _row in moving}
            taken = set(model._default_manager.filter(area__in=targets).values_list(*key))
            for transfer, row in moving:
                values = tuple(
                    transfer.target.pk if name == "area_id" else getattr(row, name) for name in key
                )
                if values in taken:
                    transfer.rows[model].remove(row)
                    _collision(plan, transfer, model, row)
                taken.add(values)
    for transfer in plan.transfers:
        transfer.rows = {model: rows for model, rows in transfer.rows.items() if rows}


def _collision(plan: MovePlan, transfer: Transfer, model: type[models.Model], row) -> None:
    message = _(
        "%(target)s đã có %(kind)s “%(row)s” (trùng tên hoặc số): hãy sửa tên, số "
        "hoặc gộp hai bản ghi rồi chạy lại."
    ) % {"target": transfer.target.label, "kind": model._meta.verbose_name, "row": row}
    plan.waiting.append(Waiting(transfer.source, message, rows={model: [row.pk]}))


def _plan(choices: Mapping[Area, Area | None] | None, today: datetime.date) -> MovePlan:
    held = _holdings(list(choices) if choices is not None else None, today)
    areas = Area.objects.select_related("attributed_to").in_bulk(held)
    sources = sorted(areas.values(), key=lambda a: a.path)
    heirs = heirs_of([*sources, *(choices or {})])
    chosen = {a.pk: to for a, to in (choices or {}).items()}
    if choices is not None:
        _check_choices(choices, heirs)
    plan = MovePlan()
    for area in sources:
        part = _plan_area(area, held[area.pk], heirs[area.pk], chosen.get(area.pk))
        plan.transfers += part.transfers
        plan.waiting += part.waiting
    _keep_apart_collisions(plan)
    _add_each_role_once(plan)
    plan.transfers = [t for t in plan.transfers if t.rows or t.assignments]
    return plan


def _add_each_role_once(plan: MovePlan) -> None:
    """A user who held a role on two communes merged into one gets it there once."""
    seen: set[tuple[int, str, int]] = set()
    for transfer in plan.transfers:
        kept = []
        for assignment in transfer.assignments:
            key = (assignment.user_id, assignment.role, transfer.target.pk)
            if key not in seen:
                seen.add(key)
                kept.append(assignment)
        transfer.assignments = kept


def _apply(plan: MovePlan, *, actor, reason: str) -> None:
    """Every row of a kind in one bulk update, every new assignment in one bulk insert,
    each with its history row by ``actor`` with ``reason``."""
    moving: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for transfer in plan.transfers:
        for model, rows in transfer.rows.items():
            for row in rows:
                row.area = transfer.target
                if is_attributable(model):
                    row.attributed_to = None  # on today's map the area says it all
            moving[model] += rows
    for model, rows in moving.items():
        fields = ["area", "attributed_to"] if is_attributable(model) else ["area"]
        update_with_history(rows, model, fields, actor=actor, reason=reason)
    added = [a for t in plan.transfers for a in t.assignments]
    bulk_create_with_history(added, RoleAssignment, actor=actor, reason=reason, batch_size=1000)
    plan.applied = True


def _refuse_to_guess(plan: MovePlan) -> None:
    """An operator who names one unit and no target gets a refusal, not a guess, when
    nothing of it can move without a choice."""
    undecided = [w for w in plan.waiting if w.choices]
    if undecided and not plan.transfers:
        message = " ".join(w.message for w in undecided)
        suggestions = [w.suggestion for w in undecided if w.suggestion]
        if suggestions:
            message += " " + _(
                "Dữ liệu nguồn ghi %(heir)s là nơi nhận chính; đây chỉ là gợi ý, không tự áp dụng."
            ) % {"heir": suggestions[0].label}
        raise ValidationError(message, code="choice_needed")


@transaction.atomic
def areas_move_to_heirs(
    *,
    choices: Mapping[Area, Area | None] | None = None,
    actor=None,
    reason: str = "",
    dry_run: bool = False,
    refuse_to_guess: bool = False,
    expected: str | None = None,
) -> MovePlan:
    """Move what abolished units hold for the present to the units that took them over
    (see the module's docstring), in one transaction; with ``dry_run``, only say what
    would move. ``choices``: {abolished unit: the unit chosen, or None for the implied
    one}; None: every abolished unit, each to its implied successor. ``expected``: the
    ``digest`` of the listing the operator confirmed; if what would move now differs
    (a record added or moved since), nothing moves (code ``plan_changed``)."""
    reason = checked_reason(reason, _("Sắp xếp đơn vị hành chính 2025: sang đơn vị kế thừa"))
    if not dry_run and actor is None:
        raise ValidationError(_("Hãy cho biết ai thực hiện việc chuyển."), code="no_actor")
    plan = _plan(choices, datetime.date.today())
    if refuse_to_guess:
        _refuse_to_guess(plan)
    if expected is not None and plan.digest() != expected:
        raise ValidationError(
            _(
                "Danh sách đã thay đổi từ lúc bạn xem (có bản ghi, đơn vị hoặc phân quyền "
                "mới, hoặc đã được chuyển): chưa chuyển gì; hãy xem lại rồi xác nhận."
            ),
            code="plan_changed",
        )
    if not dry_run:
        _apply(plan, actor=actor, reason=reason)
    return plan


def records_move_to_heirs(
    *, area: Area | None = None, to: Area | None = None, actor=None, reason="", dry_run=False
) -> MovePlan:
    """One abolished unit (or all, without ``area``) to the unit ``to`` (or the implied
    one): a commune split between several successors is refused without ``to``."""
    if to is not None and area is None:
        raise ValidationError(
            _("Đơn vị nhận chỉ chọn được cho một đơn vị cũ: hãy cho biết đơn vị cũ."),
            code="to_without_area",
        )
    return areas_move_to_heirs(
        choices={area: to} if area is not None else None,
        actor=actor,
        reason=reason,
        dry_run=dry_run,
        refuse_to_guess=area is not None,
    )


# --- where a split commune's records count --------------------------------------------


def split_communes() -> models.QuerySet:
    """Legacy communes split between several successors."""
    return (
        Area.objects.filter(structure=Structure.LEGACY, level=Level.COMMUNE)
        .annotate(heir_count=models.Count("successors"))
        .filter(heir_count__gt=1)
    )


def split_heirs(area: Area) -> list[Area]:
    """The successors of a split commune, or why ``area`` needs no choice."""
    if area.structure != Structure.LEGACY or area.level != Level.COMMUNE:
        raise ValidationError(
            _(
                "%(area)s không phải xã, phường, thị trấn cũ: chỉ xã chia tách cho nhiều "
                "đơn vị mới cần chọn nơi tính số liệu."
            )
            % {"area": area.label},
            code="not_split",
        )
    heirs = list(area.successors.order_by("path"))
    if len(heirs) < 2:
        raise ValidationError(
            _("%(area)s chỉ có một đơn vị kế thừa là %(heirs)s: số liệu tự tính cho đơn vị đó.")
            % {"area": area.label, "heirs": area_list(heirs) or "—"},
            code="not_split",
        )
    return heirs


def _check_heir(area: Area, to: Area | None, heirs: list[Area]) -> None:
    if to is not None and to not in heirs:
        raise ValidationError(
            _("%(to)s không kế thừa %(area)s; hãy chọn một trong: %(choices)s.")
            % {"to": to.label, "area": area.label, "choices": area_list(heirs)},
            code="not_a_successor",
        )


def attributable_models() -> list[type[models.Model]]:
    return [m for m in dated_models() if is_attributable(m)]


def split_commune_records(area: Area, year: int | None = None) -> list[tuple[type, list]]:
    """A split commune's records dated before the reform — those that count for a
    successor by attribution — by kind, newest first; one query per kind."""
    found = []
    for model in attributable_models():
        rows = model._default_manager.filter(area=area).select_related("attributed_to")
        for name in model.area_dates:
            rows = rows.exclude(**{f"{name}__gt": area.valid_to})
            if year:
                rows = rows.filter(**{f"{name}__year": year})
        found.append((model, list(rows.order_by(*[f"-{d}" for d in model.area_dates], "-pk"))))
    return found


def _dated_after(record: models.Model, area: Area) -> datetime.date | None:
    days = [getattr(record, name) for name in type(record).area_dates]
    return next((d for d in days if d and area.valid_to and d > area.valid_to), None)


@transaction.atomic
def split_commune_attribute(
    *,
    area: Area,
    to: Area | None,
    actor,
    reason: str = "",
    records: Mapping[models.Model, Area | None] | None = None,
) -> int:
    """All the records of a split commune count for ``to``, one of its successors,
    except those attributed one by one (``records``, see ``records_attribute``); None:
    not attributed (the province's "not yet attributed" line). Returns how many rows
    changed, the commune's own included."""
    heirs = split_heirs(area)
    _check_heir(area, to, heirs)
    reason = checked_reason(reason, _("Phân bổ số liệu của xã chia tách"))
    changed = 0
    if area.attributed_to_id != (to.pk if to else None):
        area.attributed_to = to
        area._history_user = actor
        area._change_reason = reason
        area.save()
        changed = 1
    if records:
        changed += records_attribute(area=area, records=records, actor=actor, reason=reason)
    return changed


@transaction.atomic
def records_attribute(
    *, area: Area, records: Mapping[models.Model, Area | None], actor, reason: str = ""
) -> int:
    """Each of ``records`` (of the split commune ``area``, dated before the reform)
    counts for the successor given (None: as the commune's). Returns how many changed."""
    heirs = split_heirs(area)
    reason = checked_reason(reason, _("Phân bổ số liệu của xã chia tách"))
    changed: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for record, to in records.items():
        _check_attributable(record, area, to, heirs)
        if record.attributed_to_id != (to.pk if to else None):
            record.attributed_to = to
            changed[type(record)].append(record)
    for model, rows in changed.items():
        update_with_history(rows, model, ["attributed_to"], actor=actor, reason=reason)
    return sum(len(rows) for rows in changed.values())


def _check_attributable(record: models.Model, area: Area, to: Area | None, heirs) -> None:
    model = type(record)
    if not is_attributable(model):
        raise ValidationError(
            _("%(kind)s không phân bổ riêng từng bản ghi được.")
            % {"kind": capfirst(model._meta.verbose_name_plural)},
            code="not_attributable",
        )
    if record.area_id != area.pk:
        raise ValidationError(
            _("%(record)s thuộc %(other)s, không thuộc %(area)s.")
            % {"record": record, "other": record.area.label, "area": area.label},
            code="other_area",
        )
    late = _dated_after(record, area)
    if late:
        raise ValidationError(
            _(
                "%(record)s ghi ngày %(day)s, sau khi %(area)s không còn: hãy chuyển nó sang "
                "đơn vị kế thừa (manage.py move_to_successors), không phân bổ."
            )
            % {"record": record, "day": late.strftime("%d/%m/%Y"), "area": area.name},
            code="dated_after_area",
        )
    _check_heir(area, to, heirs)


def record_attribute(*, record: models.Model, to: Area | None, actor, reason: str = ""):
    """One record of a split commune counts for ``to`` (None: as the commune's)."""
    records_attribute(area=record.area, records={record: to}, actor=actor, reason=reason)
    return record
