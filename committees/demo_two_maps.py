"""The demo across the 2025 reorganisation (DESIGN.md, "Two maps, one present"), for the
committees app: called by ``seed_demo`` after the 2024 records.

Quảng Ninh keeps its code and name on both maps. Its records of 1/1 to 30/6/2025 are kept on
the legacy province, its districts and communes; from 1/7/2025 on today's province and
its 54 communes, each of which has an official who files its report. The provincial
committee is carried onto today's province by a consolidation decision of 01/07/2025.
Today's Phú Thọ took over Phú Thọ, Vĩnh Phúc and Hòa Bình: their 2024 records give it a
last year summed over three provinces. Each part is created once (the whole seed is one
transaction, so a part that exists is complete) and never changed afterwards.
"""

from __future__ import annotations

import datetime

from django.utils.text import slugify

from .models import (
    Area,
    AwardForm,
    Commendation,
    CommitteeDecision,
    CommitteeRole,
    ConventionKind,
    CountedAs,
    DemocracyActivity,
    DemocracyKind,
    Document,
    DocumentKind,
    Level,
    MemberUnit,
    ModelField,
    RecipientKind,
    Role,
    RoleAssignment,
    SteeringCommittee,
    Structure,
    Supervisor,
    Training,
    TrainingKind,
    TypicalModel,
    UnitEvent,
    UnitEventKind,
    UnitKind,
    User,
    VillageConvention,
)
from .platform.history import bulk_create_with_history
from .services.committees import Seat, committee_carry_over

TODAY = Structure.Y2025
REFORM = datetime.date(2025, 7, 1)
# The present year of the demo: its period is open in December 2026 (reports/demo.py).
PRESENT = 2026
TOPICS = [
    "Quán triệt Luật Thực hiện dân chủ ở cơ sở năm 2022",
    "Bồi dưỡng kỹ năng tiếp công dân, đối thoại với Nhân dân",
    "Tập huấn thực hiện dân chủ tại nơi làm việc (Nghị định 145/2020/NĐ-CP)",
    "Tập huấn công tác dân vận khéo cho cán bộ cơ sở",
    "Triển khai mô hình chính quyền địa phương hai cấp gắn với thực hiện dân chủ",
]


def lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def commune_username(area: Area) -> str:
    """xa.caoxanh: the demo login of a commune of today's map."""
    return "xa." + slugify(area.short_name.replace("đ", "d").replace("Đ", "D")).replace("-", "")


def commune_officials(province: Area, ensure_user) -> dict[int, User]:
    """One commune official per commune of today's ``province`` (the printed ones exist
    already; the others are office accounts, not printed, with the demo password)."""
    communes = list(Area.objects.filter(parent=province, level=Level.COMMUNE).order_by("code"))
    officials = {
        a.area_id: a.user
        for a in RoleAssignment.objects.filter(
            role=Role.COMMUNE_OFFICIAL, area__in=communes
        ).select_related("user")
    }
    for commune in communes:
        if commune.pk not in officials:
            officials[commune.pk], _created = ensure_user(
                commune_username(commune),
                full_name=f"Văn phòng Đảng ủy {lower_first(commune.name)}",
                position="Tài khoản văn phòng",
                role=Role.COMMUNE_OFFICIAL,
                areas=[commune],
            )
    return officials


# --- Quảng Ninh ------------------------------------------------------------------------


def carry_over_province_committee(legacy: Area, today: Area, actor: User) -> None:
    """The provincial committee goes on, on today's province, from 01/07/2025: the Ban Dân
    vận became the Ban Tuyên giáo và Dân vận; one member left, one joined."""
    former = SteeringCommittee.objects.filter(area=legacy, is_active=True).first()
    if former is None or SteeringCommittee.objects.filter(area=today).exists():
        return
    sitting = {m.full_name: m for m in former.memberships.on(REFORM)}
    standing = sitting["Hoàng Văn Bình"]
    committee_carry_over(
        committee=former,
        area=today,
        decision=CommitteeDecision(
            number="15-QĐ/TU",
            signed_on=REFORM,
            summary=(
                "Kiện toàn Ban Chỉ đạo thực hiện dân chủ ở cơ sở tỉnh Quảng Ninh sau sắp xếp "
                "đơn vị hành chính, tổ chức chính quyền địa phương hai cấp"
            ),
        ),
        leaving=[sitting["Nguyễn Văn Tuấn"]],
        changed={
            standing: Seat(
                full_name=standing.full_name,
                position="Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy",
                committee_role=CommitteeRole.STANDING_DEPUTY,
            )
        },
        joining=[
            Seat(
                full_name="Lương Thị Hải Yến",
                position="Chánh Thanh tra tỉnh",
                committee_role=CommitteeRole.MEMBER,
            )
        ],
        actor=actor,
        standing_body="Ban Tuyên giáo và Dân vận Tỉnh ủy",
        regulation="Quy chế ban hành kèm Quyết định 15-QĐ/TU",
    )


def _day(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, min(day, 28))


def _class(area: Area, n: int, held_on: datetime.date, attendances: int, **kw) -> Training:
    return Training(
        area=area,
        kind=kw.pop("kind", TrainingKind.CLASS),
        title=TOPICS[n % len(TOPICS)],
        held_on=held_on,
        audience=kw.pop("audience", "Cán bộ, đảng viên, người lao động"),
        attendances=attendances,
        **kw,
    )


# The first half of 2025 on the legacy map: each district's own classes; a class in one
# commune of each district, Hà Khánh's in March and one in Hà Khẩu (split between two
# communes of today: "not yet attributed" in the summary); the province's conference.
HA_KHANH, HA_KHAU = "06649", "06655"


def trainings_first_half_2025(legacy: Area) -> list[Training]:
    districts = list(Area.objects.filter(parent=legacy, level=Level.DISTRICT).order_by("code"))
    rows = []
    for i, district in enumerate(districts):
        rows.append(_class(district, i, _day(2025, 2 + i % 5, 10 + i), 90 + 5 * i))
        rows.append(_class(district, i + 1, _day(2025, 3 + i % 4, 5 + i), 110 + 5 * i))
        if district.code != "193":
            first = Area.objects.filter(parent=district).order_by("code").first()
            rows.append(_class(first, i + 2, _day(2025, 4 + i % 3, 2 + i), 40 + 5 * (i % 6)))
    for code, held_on, attendances in (
        (HA_KHANH, datetime.date(2025, 3, 12), 45),
        (HA_KHAU, datetime.date(2025, 5, 6), 52),
    ):
        commune = Area.objects.get(structure=Structure.LEGACY, code=code)
        rows.append(_class(commune, 0, held_on, attendances))
    rows.append(
        _class(
            legacy,
            0,
            datetime.date(2025, 3, 20),
            420,
            kind=TrainingKind.CONFERENCE,
            audience="Lãnh đạo các sở, ngành, địa phương",
        )
    )
    return rows


def trainings_on_todays_map(today: Area, year: int) -> list[Training]:
    """A class in every commune of today's map (July to November 2025, or March to
    October of a later year); two more in Cao Xanh; the province's own classes and
    conference."""
    communes = list(Area.objects.filter(parent=today, level=Level.COMMUNE).order_by("code"))
    first_month = 7 if year == REFORM.year else 3
    rows = [
        _class(c, n, _day(year, first_month + n % 5, 8 + n % 18), 55 + 5 * (n % 8))
        for n, c in enumerate(communes)
    ]
    cao_xanh = next(c for c in communes if c.code == "06658")
    rows += [
        _class(cao_xanh, 1, _day(year, 10, 20), 60),
        _class(cao_xanh, 3, _day(year, 9 if year == REFORM.year else 5, 14), 48),
    ]
    rows += [
        _class(today, 4, _day(year, 8, 12), 180, audience="Cán bộ chủ chốt cấp xã"),
        _class(today, 2, _day(year, 9, 16), 165, audience="Cán bộ chủ chốt cấp xã"),
        _class(
            today,
            0,
            _day(year, 11, 5),
            500,
            kind=TrainingKind.CONFERENCE,
            audience="Lãnh đạo các sở, ngành, các xã, phường, đặc khu",
        ),
    ]
    return rows


def documents_2025_and_after(legacy: Area, today: Area) -> list[Document]:
    """The province's documents: six of the legacy province until June 2025, then those
    of today's province (numbered anew from the new term's first decision)."""
    kinds = [DocumentKind.PLAN, DocumentKind.GUIDANCE, DocumentKind.OFFICIAL_LETTER]
    suffix = dict(zip(kinds, ("KH", "HD", "CV"), strict=True))
    rows = []
    batches = [(legacy, 2025, range(1, 7), 200), (today, 2025, range(7, 13), 10)]
    batches.append((today, PRESENT, range(1, 11), 40))
    for area, year, months, first in batches:
        for n, month in enumerate(months):
            kind = kinds[n % len(kinds)]
            rows.append(
                Document(
                    area=area,
                    kind=kind,
                    number=f"{first + n}-{suffix[kind]}/TU",
                    issued_on=_day(year, month, 6 + n),
                    issuer="Ban Thường vụ Tỉnh ủy Quảng Ninh",
                    summary=f"{kind.label} về thực hiện dân chủ ở cơ sở năm {year} (số {n + 1})",
                )
            )
    return rows


def typical_models_2025(today: Area) -> None:
    """Two models recognised in November 2025 in communes of today's map."""
    for n, (code, name, field) in enumerate(
        [
            ("06658", "Dân vận khéo trong chỉnh trang đô thị", ModelField.ADMINISTRATION),
            ("06994", "Đối thoại với Nhân dân về phát triển du lịch biển đảo", ModelField.ECONOMY),
        ]
    ):
        area = Area.objects.get(structure=TODAY, code=code)
        model = TypicalModel.objects.create(
            area=area,
            name=name,
            field=field,
            recognised_on=datetime.date(2025, 11, 20 + n),
            recognised_by="Ban Tuyên giáo và Dân vận Tỉnh ủy Quảng Ninh",
            description="Mô hình được công nhận sau sắp xếp chính quyền địa phương hai cấp.",
        )
        Commendation.objects.create(
            area=area,
            recipient=f"Ban Chỉ đạo thực hiện QCDC {lower_first(area.name)}",
            recipient_kind=RecipientKind.COLLECTIVE,
            award=AwardForm.CERTIFICATE_OF_MERIT,
            decision_number="312-QĐ/TU",
            awarded_on=datetime.date(2025, 12, 19),
            awarded_by="Ban Thường vụ Tỉnh ủy Quảng Ninh",
            achievement=f"Xây dựng mô hình “{name}”",
            typical_model=model,
        )


def units_of_todays_communes(today: Area) -> list[MemberUnit]:
    """The People's Committee of each commune of today's map: a new unit from 01/07/2025,
    which issued its regulation in August 2025."""
    communes = Area.objects.filter(parent=today, level=Level.COMMUNE).order_by("code")
    return [
        MemberUnit(
            area=commune,
            kind=UnitKind.COMMUNE,
            name=f"UBND {lower_first(commune.name)}",
            established_on=REFORM,
            regulation_issued=True,
            regulation_date=_day(2025, 8, 5 + n % 20),
        )
        for n, commune in enumerate(communes)
    ]


def events_of_todays_units(units: list[MemberUnit]) -> list[UnitEvent]:
    """Their dialogue in October 2025 and first conference of officials in December; in
    2026 the conference at the start of the year (all but every seventh unit so far) and
    a dialogue in the summer (every other unit)."""
    events = []
    for n, unit in enumerate(units):
        days = [
            (UnitEventKind.DIALOGUE, _day(2025, 10, 6 + n % 20), 20 + n % 15),
            (UnitEventKind.CONFERENCE, _day(2025, 12, 2 + n % 12), 35 + n % 25),
        ]
        if n % 7:
            days.append((UnitEventKind.CONFERENCE, _day(2026, 1 + n % 3, 8 + n % 18), 38 + n % 25))
        if n % 2 == 0:
            days.append((UnitEventKind.DIALOGUE, _day(2026, 6 + n % 3, 3 + n % 20), 22 + n % 15))
        events += [
            UnitEvent(unit=unit, kind=k, held_on=day, participants=people, notes=UNIT_AGENDA[k])
            for k, day, people in days
        ]
    return events


UNIT_AGENDA = {
    UnitEventKind.CONFERENCE: (
        "Kiểm điểm việc thực hiện quy chế dân chủ, thảo luận quy chế chi tiêu nội bộ "
        "và nhiệm vụ của chính quyền cấp xã sau sắp xếp."
    ),
    UnitEventKind.DIALOGUE: (
        "Đối thoại về bố trí vị trí việc làm, chế độ đối với cán bộ dôi dư sau sắp xếp."
    ),
}


# Democracy across the reform: the first half of 2025 on the legacy communes (the voters
# were consulted on the merger of communes and on the amendment of the Constitution),
# then the communes of today's map in the second half of 2025 and in 2026: kind, subject,
# day, who supervised, what the participants count, how, what came of it; and which
# communes ("every": 1 all, 2 every other, …).
DEMOCRACY_LEGACY_2025 = [
    (
        DemocracyKind.DISCLOSURE,
        "Công khai dự toán ngân sách xã năm 2025",
        (2025, 1, 10),
        "",
        "",
        "Niêm yết tại trụ sở UBND",
        "",
        1,
    ),
    (
        DemocracyKind.CONSULTATION,
        "Lấy ý kiến cử tri về Đề án sắp xếp đơn vị hành chính cấp xã",
        (2025, 4, 18),
        "",
        CountedAs.HOUSEHOLDS,
        "Phát phiếu lấy ý kiến đến từng hộ gia đình",
        "Trên 90% cử tri đại diện hộ gia đình tán thành",
        1,
    ),
    (
        DemocracyKind.CONSULTATION,
        "Lấy ý kiến Nhân dân về dự thảo Nghị quyết sửa đổi, bổ sung một số điều của Hiến pháp "
        "năm 2013",
        (2025, 5, 12),
        "",
        CountedAs.PEOPLE,
        "Hội nghị, phiếu góp ý, cổng thông tin",
        "Tổng hợp ý kiến gửi Ủy ban MTTQ tỉnh",
        2,
    ),
]
DEMOCRACY_TODAY = [
    (DemocracyKind.DISCLOSURE,
     "Công khai tổ chức bộ máy, địa điểm làm việc và thủ tục hành chính của chính quyền xã",
     (2025, 7, 3), "", "", "Niêm yết, đăng trên trang thông tin điện tử của xã", "", 1),
    (DemocracyKind.DECISION, "Bầu Trưởng thôn, Tổ trưởng tổ dân phố sau sắp xếp",
     (2025, 9, 14), "", CountedAs.HOUSEHOLDS, "Hội nghị cử tri đại diện hộ gia đình",
     "Trưởng thôn, Tổ trưởng được bầu với trên 70% số phiếu", 3),
    (DemocracyKind.SUPERVISION, "Giám sát hoạt động của Trung tâm phục vụ hành chính công xã",
     (2025, 10, 20), Supervisor.PEOPLES_INSPECTION, CountedAs.PEOPLE,
     "Kiểm tra việc tiếp nhận, trả kết quả hồ sơ", "Kiến nghị rút ngắn thời gian chờ", 2),
    (DemocracyKind.DISCLOSURE, "Công khai dự toán ngân sách xã năm 2026", (2026, 1, 12), "", "",
     "Niêm yết, đăng trên trang thông tin điện tử của xã", "", 1),
    (DemocracyKind.CONSULTATION, "Lấy ý kiến dự thảo quy hoạch chung xã đến năm 2045",
     (2026, 3, 16), "", CountedAs.PEOPLE, "Hội nghị tại các thôn, tổ dân phố",
     "Tiếp thu 24 ý kiến về hạ tầng giao thông, đất ở", 2),
    (DemocracyKind.DECISION, "Mức đóng góp lắp đặt điện chiếu sáng ngõ xóm {village}",
     (2026, 4, 9), "", CountedAs.HOUSEHOLDS, "Họp thôn, tổ dân phố",
     "Trên 80% hộ gia đình tán thành", 3),
    (DemocracyKind.SUPERVISION, "Giám sát thi công công trình trường mầm non", (2026, 6, 22),
     Supervisor.COMMUNITY_INVESTMENT, CountedAs.PEOPLE, "Giám sát tại hiện trường",
     "Đề nghị bổ sung biển báo an toàn thi công", 4),
    (DemocracyKind.SUPERVISION, "Giám sát việc chi trả chế độ bảo trợ xã hội", (2026, 8, 17),
     Supervisor.PEOPLES_INSPECTION, CountedAs.PEOPLE, "Đối chiếu danh sách, phỏng vấn người dân",
     "Chi trả đúng đối tượng, đủ mức", 3),
]  # fmt: skip


def _participants(counted: str, kind: str, n: int) -> int | None:
    """Households at a vote, people at a consultation, board members at a supervision."""
    if not counted:
        return None
    if counted == CountedAs.HOUSEHOLDS:
        return 320 + 17 * n
    return 240 + 11 * n if kind == DemocracyKind.CONSULTATION else 5 + n % 4


def _activities(communes: list[Area], rows: list[tuple]) -> list[DemocracyActivity]:
    activities = []
    for n, commune in enumerate(communes):
        rural = commune.name.startswith("Xã")
        village = f"Thôn {1 + n % 7}" if rural else f"Tổ dân phố {1 + n % 9}"
        for kind, subject, (year, month, day), supervisor, counted, how, outcome, every in rows:
            if n % every:
                continue
            activities.append(
                DemocracyActivity(
                    area=commune,
                    kind=kind,
                    subject=subject.format(village=village.lower()),
                    held_on=_day(year, month, day + n % 6),
                    village=village if "{village}" in subject else "",
                    method=how,
                    supervisor=supervisor,
                    participants=_participants(counted, kind, n),
                    counted_as=counted,
                    outcome=outcome,
                )
            )
    return activities


def democracy_2025_and_after(legacy: Area, today: Area) -> list[DemocracyActivity]:
    """Every twelfth legacy commune until 30/06/2025, every commune of today's map after."""
    old = Area.objects.within(legacy).filter(level=Level.COMMUNE).order_by("path")
    new = Area.objects.filter(parent=today, level=Level.COMMUNE).order_by("code")
    return _activities(list(old)[::12], DEMOCRACY_LEGACY_2025) + _activities(
        list(new), DEMOCRACY_TODAY
    )


def conventions_of_todays_communes(today: Area) -> list[VillageConvention]:
    """Conventions recognised by the communes themselves once the districts were gone:
    two in November 2025, five in 2026."""
    communes = list(Area.objects.filter(parent=today, level=Level.COMMUNE).order_by("code"))
    days = [(2025, 11, 12), (2025, 11, 26), (2026, 3, 4), (2026, 4, 15), (2026, 5, 20)]
    days += [(2026, 7, 8), (2026, 9, 23)]
    conventions = []
    for n, (year, month, day) in enumerate(days):
        commune = communes[(7 * n) % len(communes)]
        rural = commune.name.startswith("Xã")
        village = f"Thôn {2 + n}" if rural else f"Tổ dân phố {3 + n}"
        kind = ConventionKind.VILLAGE if rural else ConventionKind.RESIDENTIAL
        conventions.append(
            VillageConvention(
                area=commune,
                village=village,
                kind=kind,
                name=f"{'Hương ước' if rural else 'Quy ước'} {village.lower()}",
                decision_number=f"{40 + n}/QĐ-UBND",
                recognised_on=datetime.date(year, month, day),
                recognised_by=f"Chủ tịch UBND {lower_first(commune.name)}",
            )
        )
    return conventions


def seed_quang_ninh(legacy: Area, today: Area, administrator: User) -> None:
    """Quảng Ninh's records of 2025 on both sides of the reform and of the present year."""
    carry_over_province_committee(legacy, today, administrator)
    if Training.objects.within(today).exists():
        return
    trainings = trainings_first_half_2025(legacy)
    trainings += trainings_on_todays_map(today, 2025) + trainings_on_todays_map(today, PRESENT)
    bulk_create_with_history(trainings, Training, actor=administrator)
    units = units_of_todays_communes(today)
    bulk_create_with_history(units, MemberUnit, actor=administrator)
    bulk_create_with_history(events_of_todays_units(units), UnitEvent, actor=administrator)
    democracy = democracy_2025_and_after(legacy, today)
    bulk_create_with_history(democracy, DemocracyActivity, actor=administrator)
    conventions = conventions_of_todays_communes(today)
    bulk_create_with_history(conventions, VillageConvention, actor=administrator)
    documents = documents_2025_and_after(legacy, today)
    bulk_create_with_history(documents, Document, actor=administrator)
    typical_models_2025(today)


# --- Phú Thọ ---------------------------------------------------------------------------

# Per legacy province: (district code, classes, attendances) of 2024, and how many of its
# districts' offices had issued their regulation (Thanh Ba is seeds/001's district).
PHU_THO_2024 = {
    "25": ([("232", 3, 365), ("227", 2, 240), ("237", 1, 130)], 13),
    "26": ([("243", 2, 210), ("246", 2, 185)], 8),
    "17": ([("148", 2, 220), ("152", 1, 95)], 7),
}


def seed_phu_tho(today: Area, legacy: list[Area], administrator: User) -> None:
    """2024 on the three legacy provinces (a few classes, every district's office as a
    member unit, not all with a regulation), and a class of Thanh Ba in March 2025 and
    of the communes that took it over in the autumn."""
    if MemberUnit.objects.within(legacy[0]).exists():
        return
    trainings, units = [], []
    for province in legacy:
        classes, with_regulation = PHU_THO_2024[province.code]
        for code, count, attendances in classes:
            district = Area.objects.get(parent=province, code=code)
            for n in range(count):
                share = attendances // count + (attendances % count if n == 0 else 0)
                trainings.append(_class(district, n, _day(2024, 3 + 3 * n, 12 + n), share))
        districts = Area.objects.filter(parent=province, level=Level.DISTRICT).order_by("code")
        for n, district in enumerate(districts):
            issued = n < with_regulation
            units.append(
                MemberUnit(
                    area=district,
                    kind=UnitKind.STATE_AGENCY,
                    name=f"Văn phòng HĐND và UBND {district.name}",
                    regulation_issued=issued,
                    regulation_date=datetime.date(2023, 9, 1) if issued else None,
                    dissolved_on=REFORM,  # the district's office ended with the district
                )
            )
    thanh_ba = Area.objects.get(parent=legacy[0], code="232")
    trainings.append(_class(thanh_ba, 0, datetime.date(2025, 3, 18), 140))
    heirs = Area.objects.filter(predecessors__parent=thanh_ba).distinct().order_by("code")
    for n, commune in enumerate(heirs):
        trainings.append(_class(commune, n, _day(2025, 9 + n % 3, 10 + n), 60 + 5 * n))
    trainings.append(_class(today, 0, datetime.date(2025, 10, 8), 210))
    bulk_create_with_history(trainings, Training, actor=administrator)
    bulk_create_with_history(units, MemberUnit, actor=administrator)
    conferences = [
        UnitEvent(unit=unit, kind=UnitEventKind.CONFERENCE, held_on=datetime.date(2024, 1, 25))
        for unit in units
    ]
    bulk_create_with_history(conferences, UnitEvent, actor=administrator)
