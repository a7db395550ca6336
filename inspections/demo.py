"""Demo records of the inspections app for Quảng Ninh (called by ``seed_demo``).

The 2024 inspections and supervisions add up to the province's report (seeds/003):
inspections of 1,688 party organisations and 7,113 party members; supervision of 1,524
organisations and 5,955 members, spread over its 13 districts. Hạ Long also gets
petitions of this year in every state of their handling, some of them overdue, with the
reception sessions and dialogues they came from.
"""

from __future__ import annotations

import datetime

from committees.models import Area, Level, User
from committees.platform.history import bulk_create_with_history

from .models import (
    Channel,
    Dialogue,
    DialogueKind,
    Inspection,
    InspectionForm,
    InspectionKind,
    Petition,
    PetitionField,
    PetitionKind,
    ReceptionSession,
    SessionKind,
    Status,
)
from .services import petition_transition

INSPECTED_2024 = {
    InspectionKind.INSPECTION: (1688, 7113),
    InspectionKind.SUPERVISION: (1524, 5955),
}
PER_DISTRICT = 4
SUBJECTS = {
    InspectionKind.INSPECTION: "Kiểm tra việc lãnh đạo, chỉ đạo thực hiện dân chủ ở cơ sở",
    InspectionKind.SUPERVISION: "Giám sát việc thực hiện Quy chế dân chủ tại nơi làm việc",
}


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if n < extra else 0) for n in range(parts)]


def _inspections(province: Area) -> None:
    if Inspection.objects.within(province).exists():
        return
    districts = list(Area.objects.filter(parent=province, level=Level.DISTRICT).order_by("code"))
    rows = []
    for kind, (organisations, members) in INSPECTED_2024.items():
        count = len(districts) * PER_DISTRICT
        for n, (orgs, people) in enumerate(
            zip(_spread(organisations, count), _spread(members, count), strict=True)
        ):
            district = districts[n % len(districts)]
            rows.append(
                Inspection(
                    area=district,
                    kind=kind,
                    form=InspectionForm.THEMATIC if n % 2 else InspectionForm.REGULAR,
                    held_on=datetime.date(2024, 2 + n % 10, 5 + n % 20),
                    conducted_by=f"Ban Thường vụ {district.name}",
                    subject=f"{SUBJECTS[kind]} (đợt {n // len(districts) + 1})",
                    party_organisations=orgs,
                    party_members=people,
                    findings="Cơ bản thực hiện nghiêm túc; một số nơi còn hình thức.",
                    violations=n % 3,
                    recommendations="Khắc phục hạn chế, báo cáo kết quả trong 30 ngày.",
                    follow_up="done" if n % 4 else "in_progress",
                )
            )
    bulk_create_with_history(rows, Inspection)


PETITIONS = [
    # kind, field, days ago received, steps to take, complexity
    (PetitionKind.COMPLAINT, PetitionField.LAND, 60, ["classified", "accepted"], "normal"),
    (PetitionKind.COMPLAINT, PetitionField.COMPENSATION, 5, [], "normal"),
    (PetitionKind.COMPLAINT, PetitionField.COMPENSATION, 40, ["classified"], "normal"),
    (PetitionKind.DENUNCIATION, PetitionField.CORRUPTION, 20, [], "complex"),
    (
        PetitionKind.DENUNCIATION,
        PetitionField.ADMINISTRATION,
        90,
        ["classified", "accepted", "being_resolved"],
        "very_complex",
    ),
    (PetitionKind.PETITION, PetitionField.POLICY, 12, ["classified"], "normal"),
    (
        PetitionKind.COMPLAINT,
        PetitionField.POLICY,
        120,
        ["classified", "accepted", "being_resolved", "resolved", "closed"],
        "normal",
    ),
    (
        PetitionKind.PETITION,
        PetitionField.OTHER,
        30,
        ["classified", "accepted", "being_resolved", "resolved"],
        "normal",
    ),
]


def _petitions(district: Area, actor: User) -> None:
    if Petition.objects.within(district).exists():
        return
    today = datetime.date.today()
    reception = ReceptionSession.objects.create(
        area=district,
        held_on=today - datetime.timedelta(days=60),
        kind=SessionKind.REGULAR,
        leader="Phan Đức Thắng, Phó Bí thư Thường trực Thành ủy",
        citizens=18,
        delegations=1,
        notes="Tiếp công dân định kỳ tháng; tiếp nhận 3 đơn.",
    )
    dialogue = Dialogue.objects.create(
        area=district,
        held_on=today - datetime.timedelta(days=45),
        kind=DialogueKind.CITIZENS,
        leader="Chủ tịch UBND thành phố",
        participants=120,
        issues_raised=14,
        issues_resolved=11,
        notes="Đối thoại về bồi thường, giải phóng mặt bằng dự án đường ven sông.",
    )
    for n, (kind, field, days_ago, steps, complexity) in enumerate(PETITIONS):
        received = today - datetime.timedelta(days=days_ago)
        petition = Petition.objects.create(
            area=district,
            kind=kind,
            channel=Channel.RECEPTION if n < 3 else Channel.POST,
            field=field,
            is_crowd=field == PetitionField.COMPENSATION,
            received_on=received,
            petitioner_name=f"Công dân số {n + 1}",
            petitioner_address="Phường Hà Khánh, thành phố Hạ Long",
            petitioner_contact="0203 000 000",
            subject=f"Đơn {kind.label.lower()} về {field.label.lower()}",
            concerned="UBND phường" if kind != PetitionKind.PETITION else "",
            handling_body="UBND thành phố Hạ Long",
            complexity=complexity,
            reception=reception if n < 3 else None,
            dialogue=dialogue if field == PetitionField.COMPENSATION else None,
        )
        day = received
        for step in steps:
            day = min(day + datetime.timedelta(days=3), today)
            outcome = "partly" if step == Status.RESOLVED else ""
            petition = petition_transition(
                petition, step, actor=actor, on=day, note="", outcome=outcome
            )


def seed(province: Area, administrator: User) -> None:
    _inspections(province)
    _petitions(Area.objects.get(parent=province, code="193"), administrator)
