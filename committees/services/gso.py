"""The real administrative units, read from the PyPI package ``vietnamadminunits``.

The package ships both structures with their GSO codes — table ``admin_units_legacy``
(63 provinces, 696 districts, 10,035 communes, and 5 island districts that have no
commune level) and ``admin_units`` (34 provinces, 3,321 communes) — and the mapping of
old units to the new ones they were merged into. This module turns them into plain rows;
``services.areas.areas_load`` writes them.
"""

from __future__ import annotations

import datetime
import functools
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

from ..models import REORGANISATION_DATE, Level, Structure

LEGACY_END = REORGANISATION_DATE - datetime.timedelta(days=1)
LEGACY_SQL = "SELECT * FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
CURRENT_SQL = "SELECT * FROM admin_units ORDER BY provinceCode, wardCode"


@dataclass(frozen=True)
class AreaRow:
    """One administrative unit as the source gives it."""

    structure: str
    level: str
    code: str
    name: str
    short_name: str
    kind: str
    parent_code: str | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None


def _province_kind(name: str) -> str:
    return "Thành phố" if name.startswith("Thành phố") else "Tỉnh"


def _fold(text: str) -> str:
    """Lower case without accents, for matching a province given on the command line."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def province_matches(row: dict, wanted: str | None) -> bool:
    if not wanted:
        return True
    return wanted == row["provinceCode"] or _fold(wanted) in {
        _fold(row["province"]),
        _fold(row["provinceShort"]),
    }


@functools.cache
def _table(sql: str) -> tuple[dict, ...]:
    """The source is a read-only file shipped in the package: read each query once.

    Imported here, not at the top: the package (and shapely, which it imports) takes 1.4 s
    to import, paid by every process that loads the apps — web and Celery workers, the PDF
    renderers — though only loading the areas reads it."""
    from vietnamadminunits.database import query

    return tuple(query(sql))


def source_count(structure: str) -> int:
    """How many units the source holds for a structure (islands without communes apart)."""
    if structure == Structure.LEGACY:
        return sum(1 for _ in legacy_rows())
    return sum(1 for _ in current_rows())


def legacy_rows(province: str | None = None) -> Iterator[AreaRow]:
    """Provinces, then districts, then communes of the three-level structure."""
    records = [r for r in _table(LEGACY_SQL) if province_matches(r, province)]
    seen: set[str] = set()
    dates = {"valid_from": None, "valid_to": LEGACY_END}
    for r in records:
        if r["provinceCode"] not in seen:
            seen.add(r["provinceCode"])
            yield AreaRow(
                Structure.LEGACY,
                Level.PROVINCE,
                r["provinceCode"],
                r["province"],
                r["provinceShort"],
                _province_kind(r["province"]),
                None,
                **dates,
            )
    for r in records:
        if r["districtCode"] not in seen:
            seen.add(r["districtCode"])
            yield AreaRow(
                Structure.LEGACY,
                Level.DISTRICT,
                r["districtCode"],
                r["district"],
                r["districtShort"],
                r["districtType"],
                r["provinceCode"],
                **dates,
            )
    for r in records:
        # Five island districts (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) have no
        # commune level: the source lists them once with an empty commune.
        if r["wardCode"]:
            yield AreaRow(
                Structure.LEGACY,
                Level.COMMUNE,
                r["wardCode"],
                r["ward"],
                r["wardShort"],
                r["wardType"],
                r["districtCode"],
                **dates,
            )


def current_rows(province: str | None = None) -> Iterator[AreaRow]:
    """Provinces, then communes of the two-level structure (from 01/07/2025)."""
    records = [r for r in _table(CURRENT_SQL) if province_matches(r, province)]
    dates = {"valid_from": REORGANISATION_DATE, "valid_to": None}
    seen: set[str] = set()
    for r in records:
        if r["provinceCode"] not in seen:
            seen.add(r["provinceCode"])
            yield AreaRow(
                Structure.Y2025,
                Level.PROVINCE,
                r["provinceCode"],
                r["province"],
                r["provinceShort"],
                _province_kind(r["province"]),
                None,
                **dates,
            )
    for r in records:
        yield AreaRow(
            Structure.Y2025,
            Level.COMMUNE,
            r["wardCode"],
            r["ward"],
            r["wardShort"],
            r["wardType"],
            r["provinceCode"],
            **dates,
        )


def successor_links() -> Iterator[tuple[str, str]]:
    """(legacy code, 2025 code) pairs: each old unit and a new unit it became part of.

    Provinces map to provinces; communes to the commune(s) that took them over (a commune
    split between several new communes has all of them as successors); the island
    districts without communes map to the special zone (đặc khu) that replaced them.
    """
    mapping = json.loads(
        resources.files("vietnamadminunits").joinpath("data/converter_2025.json").read_text("utf-8")
    )
    old_codes, new_codes = _key_to_code()
    for new_key, old_keys in mapping["DICT_PROVINCE"].items():
        for old_key in old_keys:
            yield old_codes[old_key], new_codes[new_key]
    for new_province, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, old_keys in wards.items():
            for old_key in old_keys:
                yield old_codes[old_key], new_codes[f"{new_province}_{new_ward}"]
    for new_province, olds in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, new_wards in olds.items():
            for new_ward in new_wards:
                yield old_codes[old_key], new_codes[f"{new_province}_{new_ward['newWardKey']}"]


@functools.cache
def suggested_successors() -> dict[str, str]:
    """{legacy commune code: 2025 code} for the communes split between several new ones:
    the new commune the source marks as the default (``isDefaultNewWard``). A suggestion
    to show an operator, never a choice to apply: it says where most of the old commune
    went, not where a given record belongs."""
    mapping = json.loads(
        resources.files("vietnamadminunits").joinpath("data/converter_2025.json").read_text("utf-8")
    )
    old_codes, new_codes = _key_to_code()
    return {
        old_codes[old_key]: new_codes[f"{new_province}_{ward['newWardKey']}"]
        for new_province, olds in mapping["DICT_PROVINCE_WARD_DIVIDED"].items()
        for old_key, new_wards in olds.items()
        for ward in new_wards
        if ward.get("isDefaultNewWard")
    }


def _key_to_code() -> tuple[dict[str, str], dict[str, str]]:
    old: dict[str, str] = {}
    for r in _table(LEGACY_SQL):
        old[r["provinceKey"]] = r["provinceCode"]
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        old[key] = r["wardCode"] or r["districtCode"]
    new: dict[str, str] = {}
    for r in _table(CURRENT_SQL):
        new[r["provinceKey"]] = r["provinceCode"]
        new[f"{r['provinceKey']}_{r['wardKey']}"] = r["wardCode"]
    return old, new
