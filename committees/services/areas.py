"""Loading the real administrative units (read by ``gso``) into the area tree."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from ..models import Area, Level, Structure
from ..models.areas import search_key
from ..platform.history import bulk_create_with_history, bulk_update_with_history
from . import gso

Progress = Callable[[str], None]

_SYNCED_FIELDS = ("name", "short_name", "kind", "level", "valid_from", "valid_to", "search_name")


@dataclass
class AreaLoadResult:
    """What ``areas_load`` found and changed, counted by (structure, level)."""

    total: Counter = field(default_factory=Counter)
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    links_created: int = 0


def _apply_rows(rows: list[gso.AreaRow], result: AreaLoadResult, progress: Progress) -> None:
    """Create or update ``rows`` (parents listed before their children)."""
    structure = rows[0].structure if rows else None
    existing = {a.code: a for a in Area.objects.filter(structure=structure)}
    by_level: dict[str, list[gso.AreaRow]] = {}
    for row in rows:
        by_level.setdefault(row.level, []).append(row)
    for level, level_rows in by_level.items():
        to_create, to_update = [], []
        for row in level_rows:
            result.total[(structure, level)] += 1
            values = {f: getattr(row, f) for f in _SYNCED_FIELDS if f != "search_name"}
            values["search_name"] = search_key(row.short_name)
            area = existing.get(row.code)
            if area is None:
                parent = existing[row.parent_code] if row.parent_code else None
                area = Area(structure=structure, code=row.code, parent=parent, **values)
                area.path = Area.build_path(structure, row.code, parent)
                to_create.append(area)
            elif any(getattr(area, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(area, f, v)
                to_update.append(area)
        created = bulk_create_with_history(to_create, Area, batch_size=2000)
        existing.update({a.code: a for a in created})
        if to_update:
            bulk_update_with_history(to_update, Area, list(_SYNCED_FIELDS), batch_size=2000)
        result.created[(structure, level)] += len(created)
        result.updated[(structure, level)] += len(to_update)
        progress(
            f"{Structure(structure).label} · {level}: {len(level_rows)} "
            f"({len(created)} mới, {len(to_update)} cập nhật)"
        )


def _link_successors(result: AreaLoadResult, progress: Progress) -> None:
    old = dict(Area.objects.filter(structure=Structure.LEGACY).values_list("code", "pk"))
    new = dict(Area.objects.filter(structure=Structure.Y2025).values_list("code", "pk"))
    if not old or not new:
        return
    # The links come from the official old→new mapping and are not kept in the areas'
    # history (tests/security/test_history_everywhere.py says why): a plain bulk insert.
    through = Area.successors.through
    present = set(through.objects.values_list("from_area_id", "to_area_id"))
    wanted = {(old[o], new[n]) for o, n in gso.successor_links() if o in old and n in new} - present
    through.objects.bulk_create(
        [through(from_area_id=a, to_area_id=b) for a, b in wanted], batch_size=5000
    )
    result.links_created = len(wanted)
    progress(f"Liên kết kế thừa: {len(wanted)} mới")
    _attribute_implied(progress)


def _attribute_implied(progress: Progress) -> None:
    """Where each legacy unit's records count on today's map, where the links say it
    without a choice: a province's and a commune's one successor; a district's new
    province (or its one successor, the special zone of an island district). A commune
    split between several successors waits for an operator; a choice made is kept."""
    through = Area.successors.through
    successors: dict[int, list[int]] = {}
    for old, new in through.objects.values_list("from_area_id", "to_area_id"):
        successors.setdefault(old, []).append(new)
    legacy = Area.objects.filter(structure=Structure.LEGACY, attributed_to__isnull=True)
    provinces = dict(
        Area.objects.filter(structure=Structure.LEGACY, level=Level.PROVINCE).values_list(
            "pk", "attributed_to_id"
        )
    )
    for area in legacy.filter(level=Level.PROVINCE):
        provinces[area.pk] = next(iter(successors.get(area.pk, [])), None)
    changed = []
    for area in legacy:
        heirs = successors.get(area.pk, [])
        if len(heirs) == 1:
            target = heirs[0]
        elif area.level == Level.DISTRICT and not heirs:
            target = provinces.get(area.parent_id)
        else:
            continue
        if target:
            area.attributed_to_id = target
            changed.append(area)
    if changed:
        bulk_update_with_history(changed, Area, ["attributed_to"], batch_size=2000)
    progress(f"Số liệu đơn vị cũ tính cho đơn vị mới: {len(changed)} mới")


@transaction.atomic
def areas_load(
    *, structures: Iterable[str], province: str | None = None, progress: Progress = print
) -> AreaLoadResult:
    """Load the real administrative units; re-running changes nothing.

    Rows are matched on (structure, code): new ones are created, changed names or dates
    are updated, nothing is deleted (records may still point at an abolished unit).
    When both structures are present, old units are linked to their successors.
    """
    result = AreaLoadResult()
    readers = {Structure.LEGACY: gso.legacy_rows, Structure.Y2025: gso.current_rows}
    for structure in structures:
        rows = list(readers[Structure(structure)](province))
        if not rows:
            raise ValueError(f"Không tìm thấy tỉnh {province!r} trong cơ cấu {structure}.")
        _apply_rows(rows, result, progress)
    _link_successors(result, progress)
    return result
