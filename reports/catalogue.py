# ruff: noqa: E501 - the catalogue is a table, one indicator per line
"""The default indicator catalogue and how each computed indicator reads the records.

The catalogue is data (the ``Indicator`` table, editable in the admin); this module ships
its default content (installed by a migration) and the one function per computed
indicator that counts the records of an area's subtree for a year.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal

from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from committees.models import (
    Area,
    Commendation,
    CommitteeDecision,
    CountedAs,
    DecisionKind,
    DemocracyActivity,
    DemocracyKind,
    Document,
    MemberUnit,
    Training,
    TrainingKind,
    TypicalModel,
    UnitEventKind,
    VillageConvention,
    existing_on,
    held_in,
    regulation_by,
)
from inspections import statistics as petition_statistics
from inspections.models import Dialogue, Inspection, InspectionKind, Petition, ReceptionSession

LEADERSHIP = "I. Lãnh đạo, chỉ đạo"
UNITS = "II. Thực hiện dân chủ ở các loại hình cơ sở"
TRAINING = "III. Tuyên truyền, tập huấn"
INSPECTION = "IV. Kiểm tra, giám sát"
PETITIONS = "V. Tiếp công dân, đối thoại, giải quyết đơn thư"
MODELS = "VI. Mô hình điển hình, khen thưởng"

# The sections' English, for the English pages (the Vietnamese is the document's).
SECTIONS_EN = {
    LEADERSHIP: "I. Leadership and direction",
    UNITS: "II. Democracy in each kind of grassroots unit",
    TRAINING: "III. Dissemination and training",
    INSPECTION: "IV. Inspection and supervision",
    PETITIONS: "V. Citizen reception, dialogues and petitions",
    MODELS: "VI. Typical models and commendations",
}

# code, name, English name, unit, English unit, section, source, aggregation,
# (numerator, denominator)
DEFAULT_INDICATORS: list[tuple] = [
    ("documents", "Văn bản lãnh đạo, chỉ đạo ban hành", "Documents issued", "văn bản", "documents", LEADERSHIP, "computed", "sum", None),
    ("committees_consolidated", "Ban chỉ đạo được kiện toàn", "Committees consolidated", "lượt", "times", LEADERSHIP, "computed", "sum", None),
    ("units", "Đơn vị thực hiện QCDC", "Units applying the rules", "đơn vị", "units", UNITS, "computed", "sum", None),
    ("units_regulation", "Đơn vị đã ban hành quy chế dân chủ", "Units that issued their regulation", "đơn vị", "units", UNITS, "computed", "sum", None),
    ("units_regulation_share", "Tỷ lệ đơn vị đã ban hành quy chế", "Share of units with a regulation", "%", "%", UNITS, "computed", "ratio", ("units_regulation", "units")),
    ("units_conference", "Đơn vị tổ chức hội nghị cán bộ, công chức, người lao động", "Units that held their officials' or workers' conference", "đơn vị", "units", UNITS, "computed", "sum", None),
    ("units_dialogue", "Đơn vị tổ chức đối thoại tại nơi làm việc", "Units that held a workplace dialogue", "đơn vị", "units", UNITS, "computed", "sum", None),
    ("democracy_disclosures", "Việc công khai cho Nhân dân biết", "Matters made public to citizens", "việc", "matters", UNITS, "computed", "sum", None),
    ("democracy_disclosure_households", "Lượt hộ gia đình tham gia việc công khai", "Households taking part in matters made public", "lượt hộ", "households", UNITS, "computed", "sum", None),
    ("democracy_disclosure_people", "Lượt người tham gia việc công khai", "People taking part in matters made public", "lượt người", "people", UNITS, "computed", "sum", None),
    ("democracy_decisions", "Việc Nhân dân bàn và quyết định", "Matters discussed and decided by citizens", "việc", "matters", UNITS, "computed", "sum", None),
    ("democracy_decision_households", "Lượt hộ gia đình tham gia bàn và quyết định", "Households taking part in decisions", "lượt hộ", "households", UNITS, "computed", "sum", None),
    ("democracy_decision_people", "Lượt người tham gia bàn và quyết định", "People taking part in decisions", "lượt người", "people", UNITS, "computed", "sum", None),
    ("democracy_consultations", "Việc Nhân dân tham gia ý kiến", "Matters citizens were consulted on", "việc", "matters", UNITS, "computed", "sum", None),
    ("democracy_consultation_households", "Lượt hộ gia đình tham gia ý kiến", "Households consulted", "lượt hộ", "households", UNITS, "computed", "sum", None),
    ("democracy_consultation_people", "Lượt người tham gia ý kiến", "People consulted", "lượt người", "people", UNITS, "computed", "sum", None),
    ("democracy_supervisions", "Cuộc kiểm tra, giám sát của Nhân dân", "Checks and supervisions by citizens", "cuộc", "supervisions", UNITS, "computed", "sum", None),
    ("democracy_supervision_households", "Lượt hộ gia đình tham gia kiểm tra, giám sát", "Households taking part in checks and supervision", "lượt hộ", "households", UNITS, "computed", "sum", None),
    ("democracy_supervision_people", "Lượt người tham gia kiểm tra, giám sát", "People taking part in checks and supervision", "lượt người", "people", UNITS, "computed", "sum", None),
    ("village_conventions", "Hương ước, quy ước được công nhận", "Village conventions recognised", "bản", "conventions", UNITS, "computed", "sum", None),
    ("training_classes", "Lớp tập huấn, bồi dưỡng", "Training classes", "lớp", "classes", TRAINING, "computed", "sum", None),
    ("training_attendances", "Lượt người tham dự tập huấn, tuyên truyền", "Attendances at trainings", "lượt người", "attendances", TRAINING, "computed", "sum", None),
    ("inspections", "Cuộc kiểm tra", "Inspections", "cuộc", "inspections", INSPECTION, "computed", "sum", None),
    ("inspection_organisations", "Tổ chức đảng được kiểm tra", "Party organisations inspected", "tổ chức", "organisations", INSPECTION, "computed", "sum", None),
    ("inspection_members", "Đảng viên được kiểm tra", "Party members inspected", "đảng viên", "party members", INSPECTION, "computed", "sum", None),
    ("supervisions", "Cuộc giám sát", "Supervisions", "cuộc", "supervisions", INSPECTION, "computed", "sum", None),
    ("supervision_organisations", "Tổ chức đảng được giám sát", "Party organisations supervised", "tổ chức", "organisations", INSPECTION, "computed", "sum", None),
    ("supervision_members", "Đảng viên được giám sát", "Party members supervised", "đảng viên", "party members", INSPECTION, "computed", "sum", None),
    ("receptions", "Buổi tiếp công dân", "Citizen reception sessions", "buổi", "sessions", PETITIONS, "computed", "sum", None),
    ("citizens_received", "Lượt công dân được tiếp", "Citizens received", "lượt", "visits", PETITIONS, "computed", "sum", None),
    ("dialogues", "Buổi đối thoại", "Dialogues", "buổi", "dialogues", PETITIONS, "computed", "sum", None),
    ("petitions_carried_over", "Đơn thư kỳ trước chuyển sang", "Petitions carried over from the previous period", "đơn", "petitions", PETITIONS, "computed", "sum", None),
    ("petitions_received", "Đơn thư tiếp nhận trong kỳ", "Petitions received", "đơn", "petitions", PETITIONS, "computed", "sum", None),
    ("complaints_received", "Trong đó: khiếu nại", "of which complaints", "đơn", "petitions", PETITIONS, "computed", "sum", None),
    ("complaints_first_round_received", "Khiếu nại lần đầu", "first complaints", "đơn", "petitions", PETITIONS, "computed", "sum", None),
    ("complaints_second_round_received", "Khiếu nại lần hai", "second-round complaints", "đơn", "petitions", PETITIONS, "computed", "sum", None),
    ("denunciations_received", "Trong đó: tố cáo", "of which denunciations", "đơn", "petitions", PETITIONS, "computed", "sum", None),
    ("reflections_received", "Trong đó: kiến nghị, phản ánh", "of which petitions and reflections", "đơn", "petitions", PETITIONS, "computed", "sum", None),
    ("petitions_accepted", "Đơn thuộc thẩm quyền, đã thụ lý trong kỳ", "Petitions within competence, accepted", "đơn", "petitions", PETITIONS, "computed", "sum", None),
    ("petitions_forwarded", "Đơn không thuộc thẩm quyền, đã chuyển đơn", "Petitions forwarded to the competent body", "đơn", "petitions", PETITIONS, "computed", "sum", None),
    ("petitions_not_accepted", "Đơn không đủ điều kiện thụ lý", "Petitions not accepted", "đơn", "petitions", PETITIONS, "computed", "sum", None),
    ("petitions_to_resolve", "Đơn phải giải quyết (kỳ trước chuyển sang và thụ lý trong kỳ)", "Petitions to resolve (carried over and accepted)", "đơn", "petitions", PETITIONS, "computed", "sum", None),
    ("petitions_resolved", "Đơn thư đã giải quyết trong kỳ", "Petitions resolved", "đơn", "petitions", PETITIONS, "computed", "sum", None),
    ("petitions_resolved_on_time", "Trong đó: giải quyết đúng hạn", "of which on time", "đơn", "petitions", PETITIONS, "computed", "sum", None),
    ("complaints_resolved", "Khiếu nại đã giải quyết", "Complaints resolved", "đơn", "petitions", PETITIONS, "computed", "sum", None),
    ("denunciations_resolved", "Tố cáo đã giải quyết", "Denunciations resolved", "đơn", "petitions", PETITIONS, "computed", "sum", None),
    ("reflections_resolved", "Kiến nghị, phản ánh đã giải quyết", "Petitions and reflections resolved", "đơn", "petitions", PETITIONS, "computed", "sum", None),
    ("petitions_resolution_rate", "Tỷ lệ giải quyết đơn thư", "Resolution rate", "%", "%", PETITIONS, "computed", "ratio", ("petitions_resolved", "petitions_to_resolve")),
    ("petitions_outstanding", "Đơn thư chuyển kỳ sau", "Petitions carried into the next period", "đơn", "petitions", PETITIONS, "computed", "sum", None),
    ("petitions_overdue", "Trong đó: quá hạn giải quyết", "of which past their deadline", "đơn", "petitions", PETITIONS, "computed", "sum", None),
    ("typical_models", "Mô hình điển hình được công nhận", "Typical models recognised", "mô hình", "models", MODELS, "computed", "sum", None),
    ("commendations", "Tập thể, cá nhân được khen thưởng", "Collectives and persons commended", "lượt", "awards", MODELS, "computed", "sum", None),
    ("other_results", "Kết quả khác", "Other results", "", "", MODELS, "manual", "text", None),
]  # fmt: skip


def install_default_catalogue(indicator_model) -> None:
    """Create or update the default indicators (used by the data migrations). A ratio
    comes after the two sums it divides, so they exist when it is created. The English of
    units and sections only where the model has them (the first migration's has not)."""
    fields = {f.name for f in indicator_model._meta.get_fields()}
    by_code = {}
    for order, row in enumerate(DEFAULT_INDICATORS, start=1):
        code, name, name_en, unit, unit_en, section, source, aggregation, parts = row
        english = {"unit_en": unit_en, "section_en": SECTIONS_EN[section]}
        by_code[code], _created = indicator_model.objects.update_or_create(
            code=code,
            defaults={
                **{key: value for key, value in english.items() if key in fields},
                "name": name,
                "name_en": name_en,
                "unit": unit,
                "section": section,
                "order": order * 10,
                "source": source,
                "aggregation": aggregation,
                "numerator": by_code[parts[0]] if parts else None,
                "denominator": by_code[parts[1]] if parts else None,
            },
        )


@dataclass(frozen=True)
class Window:
    """The days whose records a figure counts, both ends included."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year: int) -> Window:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @property
    def closing(self) -> datetime.date:
        """The day a figure "at the end" is read on: the window's end, or today while the
        window is still running."""
        return min(self.end, datetime.date.today())


def window_of(period) -> Window:
    """The days a period's computed figures count: its window (``ReportingPeriod
    .window_start`` to ``window_end``; by default 15/12 of the previous year to 14/12)."""
    return Window(period.window_start, period.window_end)


@dataclass(frozen=True)
class Measure:
    """How one computed indicator reads the records: which rows of which model, dated by
    which field (None: what exists, such as units), counted or summed how."""

    code: str
    model: type[models.Model]
    date_field: str | None
    aggregate: type[models.Aggregate]
    field: str = "id"
    where: Q | Callable[[Window], Q] = dataclass_field(default_factory=Q)
    # Rows read by dated events rather than one date field (petitions): what every figure
    # of the group may count, to narrow the rows before the conditional counts.
    within: Callable[[Window], Q] | None = None

    def condition(self, window: Window) -> Q:
        return self.where(window) if callable(self.where) else self.where

    def rows(self, queryset: models.QuerySet, window: Window) -> models.QuerySet:
        """The rows of ``queryset`` this figure counts in ``window`` (the list behind it)."""
        return self.narrow(queryset, window).filter(self.condition(window))

    def narrow(self, queryset: models.QuerySet, window: Window) -> models.QuerySet:
        if self.date_field:
            queryset = queryset.filter(**{f"{self.date_field}__range": (window.start, window.end)})
        if self.within:
            queryset = queryset.filter(self.within(window))
        return queryset


def _units_existing(window: Window) -> Q:
    """Units as of the window's end: those founded by then and not dissolved (a unit
    founded in 2026 is not in 2024's figure, one dissolved in 2026 still is)."""
    return existing_on(window.end)


def _units_with_regulation(window: Window) -> Q:
    return existing_on(window.end) & regulation_by(window.end)


def _units_holding(kind: str) -> Callable[[Window], Q]:
    """Units that held an event of ``kind`` in the window, each counted once."""
    return lambda window: Q(held_in(kind, window.start, window.end))


# The indicators of each way citizens take part (Luật Thực hiện dân chủ ở cơ sở 2022): the
# activities, and those taking part counted as households and as people, never added up.
DEMOCRACY_CODES = {
    DemocracyKind.DISCLOSURE: ("democracy_disclosures", "democracy_disclosure"),
    DemocracyKind.DECISION: ("democracy_decisions", "democracy_decision"),
    DemocracyKind.CONSULTATION: ("democracy_consultations", "democracy_consultation"),
    DemocracyKind.SUPERVISION: ("democracy_supervisions", "democracy_supervision"),
}


def _petition_measures() -> list[Measure]:
    """The petition statistics (``inspections.statistics``): each a count of the petitions
    its dated events place in the window, all of them in one query."""
    return [
        Measure(code, Petition, None, Count, "id", condition, within=petition_statistics.relevant)
        for code, condition in petition_statistics.FIGURES.items()
    ]


def _democracy_measures() -> list[Measure]:
    measures = []
    for kind, (activities, taking_part) in DEMOCRACY_CODES.items():
        measures.append(
            Measure(activities, DemocracyActivity, "held_on", Count, "id", Q(kind=kind))
        )
        for counted, suffix in ((CountedAs.HOUSEHOLDS, "households"), (CountedAs.PEOPLE, "people")):
            where = Q(kind=kind, counted_as=counted)
            measures.append(
                Measure(
                    f"{taking_part}_{suffix}",
                    DemocracyActivity,
                    "held_on",
                    Sum,
                    "participants",
                    where,
                )
            )
    return measures


MEASURES: tuple[Measure, ...] = (
    Measure("documents", Document, "issued_on", Count),
    Measure("committees_consolidated", CommitteeDecision, "signed_on", Count, "id", Q(kind=DecisionKind.CONSOLIDATED)),
    Measure("units", MemberUnit, None, Count, "id", _units_existing),
    Measure("units_regulation", MemberUnit, None, Count, "id", _units_with_regulation),
    Measure("units_conference", MemberUnit, None, Count, "id", _units_holding(UnitEventKind.CONFERENCE)),
    Measure("units_dialogue", MemberUnit, None, Count, "id", _units_holding(UnitEventKind.DIALOGUE)),
    *_democracy_measures(),
    Measure("village_conventions", VillageConvention, "recognised_on", Count),
    Measure("training_classes", Training, "held_on", Count, "id", Q(kind=TrainingKind.CLASS)),
    Measure("training_attendances", Training, "held_on", Sum, "attendances"),
    Measure("inspections", Inspection, "held_on", Count, "id", Q(kind=InspectionKind.INSPECTION)),
    Measure("inspection_organisations", Inspection, "held_on", Sum, "party_organisations", Q(kind=InspectionKind.INSPECTION)),
    Measure("inspection_members", Inspection, "held_on", Sum, "party_members", Q(kind=InspectionKind.INSPECTION)),
    Measure("supervisions", Inspection, "held_on", Count, "id", Q(kind=InspectionKind.SUPERVISION)),
    Measure("supervision_organisations", Inspection, "held_on", Sum, "party_organisations", Q(kind=InspectionKind.SUPERVISION)),
    Measure("supervision_members", Inspection, "held_on", Sum, "party_members", Q(kind=InspectionKind.SUPERVISION)),
    Measure("receptions", ReceptionSession, "held_on", Count),
    Measure("citizens_received", ReceptionSession, "held_on", Sum, "citizens"),
    Measure("dialogues", Dialogue, "held_on", Count),
    *_petition_measures(),
    Measure("typical_models", TypicalModel, "recognised_on", Count),
    Measure("commendations", Commendation, "awarded_on", Count),
)  # fmt: skip


def computed_figures(
    area: Area, year: int | Window, *, own_only: bool = False
) -> dict[str, Decimal]:
    """Every computed sum indicator over the records that count for ``area`` (its subtree;
    on today's map also its legacy predecessors' records, see ``counting_for``) in a year
    or window. Ratios are derived from their sums by whoever shows them. ``own_only``: the
    area's own records, which no report below it counts (the province's own part of its
    summary). One query per kind of record."""

    def rows(model: type[models.Model]) -> models.QuerySet:
        records = model.objects.all()
        return records.own_to(area) if own_only else records.counting_for(area)

    return _figures(rows, _window(year))


def own_figures_by_level(province: Area, year: int | Window) -> dict[str, dict[str, Decimal]]:
    """The province's own records (``own_only``) by the level of the area they were kept
    on: the province itself, the former districts (until 30/06/2025), and the split
    communes whose records nobody has attributed to a successor yet."""
    return _figures(lambda model: model.objects.own_to(province), _window(year), by_level=True)


def _window(year: int | Window) -> Window:
    return year if isinstance(year, Window) else Window.year(year)


def _figures(rows, window: Window, *, by_level: bool = False):
    """Aggregate MEASURES over ``rows(model)``: one query per (model, date field or
    narrowing); with
    ``by_level``, grouped by the level of each row's area ({level: {code: value}})."""
    groups: dict[tuple, list[Measure]] = defaultdict(list)
    for measure in MEASURES:
        groups[(measure.model, measure.date_field, measure.within)].append(measure)
    results: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for (model, _date_field, _within), measures in groups.items():
        queryset = measures[0].narrow(rows(model), window)
        aggregates = {
            m.code: Coalesce(m.aggregate(m.field, filter=m.condition(window) or None), 0)
            for m in measures
        }
        if by_level:
            level = f"{queryset.area_field}__level"
            for row in queryset.order_by().values(level).annotate(**aggregates):
                results[row.pop(level)].update(row)
        else:
            results[""].update(queryset.aggregate(**aggregates))
    if by_level:
        return {
            level: {code: Decimal(value) for code, value in figures.items()}
            for level, figures in results.items()
        }
    return {code: Decimal(value) for code, value in results[""].items()}


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """A share in percent, to one decimal; None when the denominator is empty."""
    if not denominator:
        return None
    return (Decimal(100) * (numerator or 0) / denominator).quantize(Decimal("0.1"))
