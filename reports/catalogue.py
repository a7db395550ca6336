# ruff: noqa: E501 - the catalogue is a table, one indicator per line
"""The default indicator catalogue and how each computed indicator reads the records.

The catalogue is data (the ``Indicator`` table, editable in the admin); this module ships
its default content (installed by a migration) and the one function per computed
indicator that counts the records of an area's subtree for a year.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum

from committees.models import (
    Area,
    Commendation,
    CommitteeDecision,
    DecisionKind,
    Document,
    MemberUnit,
    Training,
    TrainingKind,
    TypicalModel,
)
from inspections.models import Dialogue, Inspection, Petition, ReceptionSession, Status

LEADERSHIP = "I. Lãnh đạo, chỉ đạo"
UNITS = "II. Thực hiện dân chủ ở các loại hình cơ sở"
TRAINING = "III. Tuyên truyền, tập huấn"
INSPECTION = "IV. Kiểm tra, giám sát"
PETITIONS = "V. Tiếp công dân, đối thoại, giải quyết đơn thư"
MODELS = "VI. Mô hình điển hình, khen thưởng"

# code, name, English name, unit, section, source, aggregation, (numerator, denominator)
DEFAULT_INDICATORS: list[tuple] = [
    ("documents", "Văn bản lãnh đạo, chỉ đạo ban hành", "Documents issued", "văn bản", LEADERSHIP, "computed", "sum", None),
    ("committees_consolidated", "Ban chỉ đạo được kiện toàn", "Committees consolidated", "lượt", LEADERSHIP, "computed", "sum", None),
    ("units", "Đơn vị thực hiện QCDC", "Units applying the rules", "đơn vị", UNITS, "computed", "sum", None),
    ("units_regulation", "Đơn vị đã ban hành quy chế dân chủ", "Units that issued their regulation", "đơn vị", UNITS, "computed", "sum", None),
    ("units_regulation_share", "Tỷ lệ đơn vị đã ban hành quy chế", "Share of units with a regulation", "%", UNITS, "computed", "ratio", ("units_regulation", "units")),
    ("units_conference", "Đơn vị tổ chức hội nghị cán bộ, công chức, người lao động", "Units that held their officials' or workers' conference", "đơn vị", UNITS, "computed", "sum", None),
    ("village_conventions", "Hương ước, quy ước được công nhận", "Village conventions recognised", "bản", UNITS, "manual", "sum", None),
    ("training_classes", "Lớp tập huấn, bồi dưỡng", "Training classes", "lớp", TRAINING, "computed", "sum", None),
    ("training_attendances", "Lượt người tham dự tập huấn, tuyên truyền", "Attendances at trainings", "lượt người", TRAINING, "computed", "sum", None),
    ("inspections", "Cuộc kiểm tra", "Inspections", "cuộc", INSPECTION, "computed", "sum", None),
    ("inspection_organisations", "Tổ chức đảng được kiểm tra", "Party organisations inspected", "tổ chức", INSPECTION, "computed", "sum", None),
    ("inspection_members", "Đảng viên được kiểm tra", "Party members inspected", "đảng viên", INSPECTION, "computed", "sum", None),
    ("supervisions", "Cuộc giám sát", "Supervisions", "cuộc", INSPECTION, "computed", "sum", None),
    ("supervision_organisations", "Tổ chức đảng được giám sát", "Party organisations supervised", "tổ chức", INSPECTION, "computed", "sum", None),
    ("supervision_members", "Đảng viên được giám sát", "Party members supervised", "đảng viên", INSPECTION, "computed", "sum", None),
    ("receptions", "Buổi tiếp công dân", "Citizen reception sessions", "buổi", PETITIONS, "computed", "sum", None),
    ("citizens_received", "Lượt công dân được tiếp", "Citizens received", "lượt", PETITIONS, "computed", "sum", None),
    ("dialogues", "Buổi đối thoại", "Dialogues", "buổi", PETITIONS, "computed", "sum", None),
    ("petitions_received", "Đơn thư tiếp nhận", "Petitions received", "đơn", PETITIONS, "computed", "sum", None),
    ("complaints_received", "Trong đó: khiếu nại", "of which complaints", "đơn", PETITIONS, "computed", "sum", None),
    ("denunciations_received", "Trong đó: tố cáo", "of which denunciations", "đơn", PETITIONS, "computed", "sum", None),
    ("reflections_received", "Trong đó: kiến nghị, phản ánh", "of which petitions and reflections", "đơn", PETITIONS, "computed", "sum", None),
    ("petitions_resolved", "Đơn thư đã giải quyết", "Petitions resolved", "đơn", PETITIONS, "computed", "sum", None),
    ("petitions_resolution_rate", "Tỷ lệ giải quyết đơn thư", "Resolution rate", "%", PETITIONS, "computed", "ratio", ("petitions_resolved", "petitions_received")),
    ("petitions_overdue", "Đơn thư quá hạn chưa giải quyết", "Petitions overdue", "đơn", PETITIONS, "computed", "sum", None),
    ("typical_models", "Mô hình điển hình được công nhận", "Typical models recognised", "mô hình", MODELS, "computed", "sum", None),
    ("commendations", "Tập thể, cá nhân được khen thưởng", "Collectives and persons commended", "lượt", MODELS, "computed", "sum", None),
    ("other_results", "Kết quả khác", "Other results", "", MODELS, "manual", "text", None),
]  # fmt: skip


def install_default_catalogue(indicator_model) -> None:
    """Create or update the default indicators (used by the data migration). A ratio
    comes after the two sums it divides, so they exist when it is created."""
    by_code = {}
    for order, (code, name, name_en, unit, section, source, aggregation, parts) in enumerate(
        DEFAULT_INDICATORS, start=1
    ):
        by_code[code], _created = indicator_model.objects.update_or_create(
            code=code,
            defaults={
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


def _year_end(year: int) -> datetime.date:
    return min(datetime.date(year, 12, 31), datetime.date.today())


def computed_figures(area: Area, year: int, *, own_only: bool = False) -> dict[str, Decimal]:
    """Every computed sum indicator of ``area``'s subtree for ``year`` (ratios are derived
    from their sums by whoever shows them). ``own_only``: the area's own records, without
    its subtree (the province's own part of its summary)."""

    def of(model):
        if own_only:
            return model.objects.filter(
                **{model.objects.none().scope_path.replace("__path", ""): area}
            )
        return model.objects.within(area)

    documents = of(Document).filter(issued_on__year=year).count()
    consolidated = (
        of(CommitteeDecision).filter(kind=DecisionKind.CONSOLIDATED, signed_on__year=year).count()
    )
    units = of(MemberUnit).aggregate(
        units=Count("id"),
        units_regulation=Count("id", filter=Q(regulation_issued=True)),
        units_conference=Count("id", filter=Q(conference_held_on__year=year)),
    )
    trainings = (
        of(Training)
        .filter(held_on__year=year)
        .aggregate(
            training_classes=Count("id", filter=Q(kind=TrainingKind.CLASS)),
            training_attendances=Sum("attendances"),
        )
    )
    inspections = of(Inspection).filter(held_on__year=year).totals()
    receptions = (
        of(ReceptionSession)
        .filter(held_on__year=year)
        .aggregate(receptions=Count("id"), citizens_received=Sum("citizens"))
    )
    received = of(Petition).filter(received_on__year=year)
    petitions = received.aggregate(
        petitions_received=Count("id"),
        complaints_received=Count("id", filter=Q(kind="complaint")),
        denunciations_received=Count("id", filter=Q(kind="denunciation")),
        reflections_received=Count("id", filter=Q(kind="petition")),
        petitions_resolved=Count("id", filter=Q(status__in=[Status.RESOLVED, Status.CLOSED])),
    )
    figures: dict[str, int | None] = {
        "documents": documents,
        "committees_consolidated": consolidated,
        **units,
        **trainings,
        "inspections": inspections["inspections"],
        "inspection_organisations": inspections["inspection_organisations"],
        "inspection_members": inspections["inspection_members"],
        "supervisions": inspections["supervisions"],
        "supervision_organisations": inspections["supervision_organisations"],
        "supervision_members": inspections["supervision_members"],
        **receptions,
        "dialogues": of(Dialogue).filter(held_on__year=year).count(),
        **petitions,
        "petitions_overdue": received.overdue(_year_end(year)).count(),
        "typical_models": of(TypicalModel).filter(recognised_on__year=year).count(),
        "commendations": of(Commendation).filter(awarded_on__year=year).count(),
    }
    return {code: Decimal(value or 0) for code, value in figures.items()}


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """A share in percent, to one decimal; None when the denominator is empty."""
    if not denominator:
        return None
    return (Decimal(100) * (numerator or 0) / denominator).quantize(Decimal("0.1"))
