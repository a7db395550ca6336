"""Demo records of the inspections app (called by ``seed_demo``).

The 2024 inspections and supervisions add up to Quảng Ninh's report (seeds/003):
inspections of 1,688 party organisations and 7,113 party members; supervision of 1,524
organisations and 5,955 members, spread over its 13 districts. In 2025 the legacy
districts inspect until June, today's province and communes after; 2026 is on today's
map. Petitions of 2025 are settled on both sides of the reform; Phường Cao Xanh has this
year's, in every state of their handling, some overdue, with the reception session and
the dialogue they came from, and 2025's that give each petition statistic (a second-round
complaint, a denunciation extended to verify and carried into 2026, one forwarded, one not
accepted). Phú Thọ's three legacy provinces each inspected in 2024.
"""

from __future__ import annotations

import datetime

from committees.models import Area, Level, Structure, User
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
    Round,
    SessionKind,
    Status,
)
from .services import petition_extend_verification, petition_transition

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


def _handle(petition: Petition, steps: list[str], actor: User, every: int = 3) -> None:
    """Take a petition through ``steps``, a few days apart (never after today)."""
    today = datetime.date.today()
    day = petition.received_on
    for step in steps:
        day = min(day + datetime.timedelta(days=every), today)
        outcome = "partly" if step == Status.RESOLVED else ""
        petition = petition_transition(
            petition=petition, to=step, actor=actor, on=day, note="", outcome=outcome
        )


def _present_petitions(commune: Area, actor: User) -> None:
    """This year's petitions of a commune of today's map, in every state, relative to
    today: some overdue; with the reception session and the dialogue they came from."""
    today = datetime.date.today()
    reception = ReceptionSession.objects.create(
        area=commune,
        held_on=today - datetime.timedelta(days=60),
        kind=SessionKind.REGULAR,
        leader="Bí thư Đảng ủy phường Cao Xanh",
        citizens=18,
        delegations=1,
        notes="Tiếp công dân định kỳ tháng; tiếp nhận 3 đơn.",
    )
    dialogue = Dialogue.objects.create(
        area=commune,
        held_on=today - datetime.timedelta(days=45),
        kind=DialogueKind.CITIZENS,
        leader="Chủ tịch UBND phường",
        participants=120,
        issues_raised=14,
        issues_resolved=11,
        notes="Đối thoại về bồi thường, giải phóng mặt bằng dự án đường ven sông.",
    )
    for n, (kind, field, days_ago, steps, complexity) in enumerate(PETITIONS):
        petition = Petition.objects.create(
            area=commune,
            kind=kind,
            channel=Channel.RECEPTION if n < 3 else Channel.POST,
            field=field,
            is_crowd=field == PetitionField.COMPENSATION,
            received_on=today - datetime.timedelta(days=days_ago),
            petitioner_name=f"Công dân số {n + 1}",
            petitioner_address="Phường Cao Xanh, tỉnh Quảng Ninh",
            petitioner_contact="0203 000 000",
            subject=f"Đơn {kind.label.lower()} về {field.label.lower()}",
            concerned="Tổ dân phố" if kind != PetitionKind.PETITION else "",
            handling_body="UBND phường Cao Xanh",
            complexity=complexity,
            reception=reception if n < 3 else None,
            dialogue=dialogue if field == PetitionField.COMPENSATION else None,
        )
        _handle(petition, steps, actor)


# Petitions of 2025, all settled: before the reform on legacy units (a commune, a
# district's own, a split commune), after it on communes of today's map.
CLOSED = ["classified", "accepted", "being_resolved", "resolved", "closed"]
PETITIONS_2025 = [
    # structure, area code, received on, kind, field
    (Structure.LEGACY, "06649", (2025, 2, 10), PetitionKind.COMPLAINT, PetitionField.LAND),
    (Structure.LEGACY, "06649", (2025, 4, 3), PetitionKind.PETITION, PetitionField.POLICY),
    (Structure.LEGACY, "06655", (2025, 3, 17), PetitionKind.PETITION, PetitionField.OTHER),
    (Structure.LEGACY, "193", (2025, 1, 14), PetitionKind.COMPLAINT, PetitionField.COMPENSATION),
    (
        Structure.LEGACY,
        "195",
        (2025, 5, 8),
        PetitionKind.DENUNCIATION,
        PetitionField.ADMINISTRATION,
    ),
    (Structure.Y2025, "06658", (2025, 7, 21), PetitionKind.COMPLAINT, PetitionField.LAND),
    (Structure.Y2025, "06658", (2025, 9, 9), PetitionKind.PETITION, PetitionField.POLICY),
    (Structure.Y2025, "06673", (2025, 8, 4), PetitionKind.COMPLAINT, PetitionField.COMPENSATION),
    (Structure.Y2025, "06685", (2025, 10, 13), PetitionKind.PETITION, PetitionField.OTHER),
    (Structure.Y2025, "22", (2025, 11, 3), PetitionKind.DENUNCIATION, PetitionField.CORRUPTION),
]


def _petitions_2025(actor: User) -> None:
    for n, (structure, code, day, kind, field) in enumerate(PETITIONS_2025):
        area = Area.objects.get(structure=structure, code=code)
        petition = Petition.objects.create(
            area=area,
            kind=kind,
            channel=Channel.IN_PERSON if n % 2 else Channel.POST,
            field=field,
            received_on=datetime.date(*day),
            petitioner_name=f"Công dân số {n + 101}",
            subject=f"Đơn {kind.label.lower()} về {field.label.lower()}",
            handling_body=f"UBND {area.name[:1].lower()}{area.name[1:]}",
        )
        _handle(petition, CLOSED, actor, every=6)
    for structure, code, day, citizens in (
        (Structure.LEGACY, "193", (2025, 3, 14), 26),
        (Structure.Y2025, "06658", (2025, 9, 15), 21),
    ):
        ReceptionSession.objects.create(
            area=Area.objects.get(structure=structure, code=code),
            held_on=datetime.date(*day),
            kind=SessionKind.REGULAR,
            leader="Người đứng đầu cấp ủy",
            citizens=citizens,
            notes="Tiếp công dân định kỳ.",
        )
    for structure, code, day, participants in (
        (Structure.LEGACY, "193", (2025, 4, 22), 150),
        (Structure.Y2025, "06658", (2025, 10, 17), 95),
    ):
        Dialogue.objects.create(
            area=Area.objects.get(structure=structure, code=code),
            held_on=datetime.date(*day),
            kind=DialogueKind.CITIZENS,
            leader="Người đứng đầu cấp ủy, chính quyền",
            participants=participants,
            issues_raised=9,
            issues_resolved=8,
            notes="Đối thoại định kỳ với Nhân dân.",
        )


# Phường Cao Xanh's petitions of 2025 as an inspectorate counts them (inspections.statistics):
# kind, round, received on, its dated steps (step, day, note), verification days (day).
D = datetime.date
STATISTICS_2025 = [
    # A second-round complaint (Điều 36, 37 Luật Khiếu nại 2011), resolved on time.
    (
        PetitionKind.COMPLAINT,
        Round.SECOND,
        D(2025, 8, 11),
        [("classified", D(2025, 8, 13)), ("accepted", D(2025, 8, 15)),
         ("being_resolved", D(2025, 8, 20)), ("resolved", D(2025, 9, 22))],
        None,
    ),
    # A denunciation whose first step was extended to verify (Điều 24 khoản 1 Luật Tố cáo
    # 2018): past its deadline at the end of 2025, carried into 2026 and resolved late.
    (
        PetitionKind.DENUNCIATION,
        Round.FIRST,
        D(2025, 10, 6),
        [("classified", D(2025, 10, 20)), ("accepted", D(2025, 10, 22)),
         ("being_resolved", D(2025, 10, 27)), ("resolved", D(2026, 1, 20))],
        (8, D(2025, 10, 9)),
    ),
    # A first complaint resolved after its 30 days.
    (
        PetitionKind.COMPLAINT,
        Round.FIRST,
        D(2025, 9, 8),
        [("classified", D(2025, 9, 12)), ("accepted", D(2025, 9, 18)),
         ("being_resolved", D(2025, 9, 25)), ("resolved", D(2025, 11, 10))],
        None,
    ),
    # Not the ward's to resolve: forwarded to the competent body.
    (
        PetitionKind.COMPLAINT,
        Round.FIRST,
        D(2025, 11, 3),
        [("classified", D(2025, 11, 5)), ("forwarded", D(2025, 11, 7))],
        None,
    ),
    # A reflection that does not meet the conditions to be accepted.
    (
        PetitionKind.PETITION,
        Round.FIRST,
        D(2025, 7, 14),
        [("classified", D(2025, 7, 16)), ("not_accepted", D(2025, 7, 18))],
        None,
    ),
]  # fmt: skip
NOTES = {
    "forwarded": "Không thuộc thẩm quyền: chuyển UBND tỉnh.",
    "not_accepted": "Đơn nặc danh, không đủ điều kiện thụ lý.",
}


def _petition_statistics(ward: Area, actor: User) -> None:
    """A few petitions of 2025 whose dated steps give each figure of the report's petition
    statistics: carried into 2026, second round, forwarded, not accepted, on time or late."""
    for n, (kind, round_, received_on, steps, verification) in enumerate(STATISTICS_2025):
        petition = Petition.objects.create(
            area=ward,
            kind=kind,
            round=round_,
            channel=Channel.POST,
            field=PetitionField.LAND if kind != PetitionKind.PETITION else PetitionField.OTHER,
            received_on=received_on,
            petitioner_name=f"Công dân số {n + 201}",
            subject=f"Đơn {kind.label.lower()} ({round_.label.lower()})",
            handling_body="UBND phường Cao Xanh",
        )
        for step, day in steps:
            if verification and step == "classified":
                days, on = verification
                petition = petition_extend_verification(
                    petition=petition,
                    actor=actor,
                    days=days,
                    note="Phải xác minh tại nhiều địa điểm.",
                    on=on,
                )
            petition = petition_transition(
                petition=petition,
                to=step,
                actor=actor,
                on=day,
                note=NOTES.get(step, ""),
                outcome="partly" if step == Status.RESOLVED else "",
            )


def _inspection(area: Area, kind: str, day: datetime.date, orgs: int, people: int, by: str):
    return Inspection(
        area=area,
        kind=kind,
        form=InspectionForm.THEMATIC,
        held_on=day,
        conducted_by=by,
        subject=SUBJECTS[kind],
        party_organisations=orgs,
        party_members=people,
        findings="Cơ bản thực hiện nghiêm túc.",
        recommendations="Tiếp tục công khai, minh bạch.",
        follow_up="done",
    )


def _inspections_two_maps(legacy: Area, today: Area, years: tuple[int, ...]) -> list[Inspection]:
    """The first half of 2025 on the legacy districts; after it, the province's and each
    commune's of today's map."""
    rows = []
    districts = Area.objects.filter(parent=legacy, level=Level.DISTRICT).order_by("code")
    for i, district in enumerate(districts):
        by = f"Ban Thường vụ {district.name}"
        day = datetime.date(2025, 3 + i % 4, 4 + i)
        rows.append(
            _inspection(district, InspectionKind.INSPECTION, day, 40 + 3 * i, 160 + 9 * i, by)
        )
        rows.append(
            _inspection(district, InspectionKind.SUPERVISION, day, 35 + 3 * i, 140 + 8 * i, by)
        )
    communes = Area.objects.filter(parent=today, level=Level.COMMUNE).order_by("code")
    for year in years:
        first = 9 if year == 2025 else 4
        by = "Ban Thường vụ Tỉnh ủy Quảng Ninh"
        for n, (kind, orgs, people) in enumerate(
            [
                (InspectionKind.INSPECTION, 120, 520),
                (InspectionKind.INSPECTION, 100, 430),
                (InspectionKind.SUPERVISION, 90, 380),
                (InspectionKind.SUPERVISION, 80, 340),
            ]
        ):
            day = datetime.date(year, 8 + n % 3, 10 + n)
            rows.append(_inspection(today, kind, day, orgs, people, by))
        for n, commune in enumerate(communes):
            day = datetime.date(year, first + n % 3, 3 + n % 25)
            by = f"Ban Thường vụ Đảng ủy {commune.name[:1].lower()}{commune.name[1:]}"
            kind = InspectionKind.INSPECTION if n % 3 else InspectionKind.SUPERVISION
            rows.append(_inspection(commune, kind, day, 8 + n % 6, 30 + n % 12, by))
    return rows


# Phú Thọ, 2024: an inspection and a supervision by each legacy province's committee.
PHU_THO_INSPECTIONS = {"25": (24, 96, 18, 75), "26": (16, 70, 12, 52), "17": (14, 60, 11, 45)}


def _phu_tho() -> list[Inspection]:
    rows = []
    for code, (orgs, people, sup_orgs, sup_people) in PHU_THO_INSPECTIONS.items():
        province = Area.objects.get(structure=Structure.LEGACY, code=code)
        district = Area.objects.filter(parent=province).order_by("code").first()
        by = f"Ban Thường vụ {district.name}"
        day = datetime.date(2024, 6, 12)
        rows.append(_inspection(district, InspectionKind.INSPECTION, day, orgs, people, by))
        rows.append(
            _inspection(district, InspectionKind.SUPERVISION, day, sup_orgs, sup_people, by)
        )
    return rows


def seed(province: Area, administrator: User) -> None:
    today = Area.objects.get(structure=Structure.Y2025, code=province.code)
    _inspections(province)
    present = Inspection.objects.counting_for(today).filter(held_on__gte=datetime.date(2025, 1, 1))
    if not present.exists():
        rows = _inspections_two_maps(province, today, (2025, 2026))
        rows += _phu_tho()
        bulk_create_with_history(rows, Inspection, actor=administrator)
    # Petitions of 2025 and after on either map: an earlier demo kept this year's on the
    # legacy Hạ Long (manage.py move_to_successors moves them); none are added then.
    petitions = Petition.objects.counting_for(today).filter(received_on__year__gte=2025)
    if not petitions.exists():
        _petitions_2025(administrator)
        cao_xanh = Area.objects.get(structure=Structure.Y2025, code="06658")
        _present_petitions(cao_xanh, administrator)
        _petition_statistics(cao_xanh, administrator)
