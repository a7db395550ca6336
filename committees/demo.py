"""The demo: Quảng Ninh with its real areas on both maps, its committees, its records
and a login per role; today's Phú Thọ, merged from three provinces.

2024 reproduces the province's own report (seeds/003); the years across and after the
2025 reorganisation are in ``demo_two_maps``. Names of officials are invented, except the
head of the provincial committee in 2024, who is named in the province's own report of
that year. Running it again creates what is missing and leaves everything else —
passwords included — alone.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from . import demo_two_maps as two_maps
from .models import (
    AnnualPlan,
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
    PlanTask,
    RecipientKind,
    Role,
    RoleAssignment,
    SteeringCommittee,
    Structure,
    Supervisor,
    TaskStatus,
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
from .services.areas import Progress, areas_load
from .services.committees import Seat, committee_consolidate, committee_establish

DEMO_PASSWORD = "qcdc-demo-2024"  # noqa: S105 - published in the README, demo only
PROVINCE_CODE = "22"  # Quảng Ninh
DISTRICT_CODE = "193"  # Thành phố Hạ Long
COMMUNE_CODE = "06649"  # Phường Hà Khánh, Hạ Long
# Today's map (from 01/07/2025): Phường Cao Xanh took over Hà Khánh; Bãi Cháy kept its name.
CAO_XANH_CODE = "06658"
BAI_CHAY_CODE = "06673"
# The merged province of the demo: today's Phú Thọ took over Phú Thọ, Vĩnh Phúc and Hòa
# Bình (seeds/001 is from Phú Thọ's Thanh Ba).
PHU_THO_CODE = "25"
PHU_THO_LEGACY_CODES = ("25", "26", "17")


LEGACY, TODAY = Structure.LEGACY, Structure.Y2025
QUANG_NINH_BOTH = ((LEGACY, PROVINCE_CODE), (TODAY, PROVINCE_CODE))


@dataclass(frozen=True)
class DemoUser:
    """A printed demo login: its role on each of its areas, as (structure, code)."""

    username: str
    full_name: str
    position: str
    role: str | None  # None: the administrator (superuser)
    areas: tuple[tuple[str, str], ...]
    scope: str  # what ``make run`` prints


DEMO_USERS = [
    DemoUser("quantri", "Quản trị hệ thống", "Quản trị viên", None, (), "toàn hệ thống"),
    DemoUser(
        "tinh.quangninh",
        "Nguyễn Thị Thu Hà",
        "Chuyên viên Ban Dân vận Tỉnh ủy",
        Role.PROVINCIAL_STAFF,
        QUANG_NINH_BOTH,
        "Tỉnh Quảng Ninh (cả hai bản đồ)",
    ),
    DemoUser(
        "duyet.quangninh",
        "Đào Minh Châu",
        "Phó Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy",
        Role.PROVINCIAL_STAFF,
        QUANG_NINH_BOTH,
        "Tỉnh Quảng Ninh (cả hai bản đồ), cán bộ tiếp nhận thứ hai",
    ),
    DemoUser(
        "huyen.halong",
        "Trần Văn Minh",
        "Chuyên viên Ban Dân vận Thành ủy Hạ Long",
        Role.DISTRICT_SECRETARIAT,
        ((LEGACY, DISTRICT_CODE),),
        "Thành phố Hạ Long (đến 30/06/2025)",
    ),
    DemoUser(
        "xa.hakhanh",
        "Lê Thị Hồng",
        "Chủ tịch Ủy ban MTTQ phường Hà Khánh",
        Role.COMMUNE_OFFICIAL,
        ((LEGACY, COMMUNE_CODE),),
        "Phường Hà Khánh, Hạ Long (đến 30/06/2025)",
    ),
    DemoUser(
        "xa.caoxanh",
        "Đỗ Thị Thanh",
        "Chuyên viên Văn phòng Đảng ủy phường Cao Xanh",
        Role.COMMUNE_OFFICIAL,
        ((TODAY, CAO_XANH_CODE),),
        "Phường Cao Xanh, Quảng Ninh (từ 01/07/2025)",
    ),
    DemoUser(
        "xa.baichay",
        "Phạm Văn Khải",
        "Chuyên viên Văn phòng Đảng ủy phường Bãi Cháy",
        Role.COMMUNE_OFFICIAL,
        ((TODAY, BAI_CHAY_CODE),),
        "Phường Bãi Cháy, Quảng Ninh (từ 01/07/2025)",
    ),
    DemoUser(
        "xem.quangninh",
        "Phạm Quốc Việt",
        "Ủy viên Ban Chỉ đạo tỉnh",
        Role.VIEWER,
        QUANG_NINH_BOTH,
        "Tỉnh Quảng Ninh (cả hai bản đồ)",
    ),
    DemoUser(
        "donthu.quangninh",
        "Vũ Thị Lan",
        "Chuyên viên Ban Tiếp công dân tỉnh",
        Role.PETITION_OFFICER,
        QUANG_NINH_BOTH,
        "Tỉnh Quảng Ninh (cả hai bản đồ)",
    ),
    DemoUser(
        "tinh.phutho",
        "Hà Thị Thu Trang",
        "Chuyên viên Ban Tuyên giáo và Dân vận Tỉnh ủy Phú Thọ",
        Role.PROVINCIAL_STAFF,
        ((TODAY, PHU_THO_CODE), *((LEGACY, code) for code in PHU_THO_LEGACY_CODES)),
        "Tỉnh Phú Thọ (từ 01/07/2025) và Phú Thọ, Vĩnh Phúc, Hòa Bình (đến 30/06/2025)",
    ),
]

PROVINCE_MEMBERS = [
    ("Đặng Xuân Phương", "Phó Bí thư Tỉnh ủy, Trưởng Đoàn ĐBQH tỉnh", CommitteeRole.HEAD),
    ("Hoàng Văn Bình", "Trưởng Ban Dân vận Tỉnh ủy", CommitteeRole.STANDING_DEPUTY),
    ("Ngô Thị Mai", "Phó Chủ tịch UBND tỉnh", CommitteeRole.DEPUTY),
    ("Đỗ Văn Long", "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", CommitteeRole.DEPUTY),
    ("Bùi Thanh Sơn", "Phó Trưởng Ban Dân vận Tỉnh ủy", CommitteeRole.MEMBER),
    ("Nguyễn Văn Tuấn", "Chánh Thanh tra tỉnh", CommitteeRole.MEMBER),
    ("Lý Thị Hạnh", "Chủ tịch Liên đoàn Lao động tỉnh", CommitteeRole.MEMBER),
    ("Nguyễn Thị Thu Hà", "Chuyên viên Ban Dân vận Tỉnh ủy", CommitteeRole.SUPPORT),
]
DISTRICT_MEMBERS = [
    ("Phan Đức Thắng", "Phó Bí thư Thường trực Thành ủy", CommitteeRole.HEAD),
    ("Đinh Thị Ngọc", "Trưởng Ban Dân vận Thành ủy", CommitteeRole.STANDING_DEPUTY),
    ("Vương Văn Hải", "Phó Chủ tịch UBND thành phố", CommitteeRole.DEPUTY),
    ("Trần Văn Minh", "Chuyên viên Ban Dân vận Thành ủy", CommitteeRole.SUPPORT),
]


def _area(code: str, structure: str = Structure.LEGACY) -> Area:
    return Area.objects.get(structure=structure, code=code)


class Passwords:
    """The demo password, hashed once per run: every demo login has the same published
    password, and hashing it for each of some sixty accounts took seconds."""

    def __init__(self) -> None:
        self._hash = ""

    def __call__(self) -> str:
        self._hash = self._hash or make_password(DEMO_PASSWORD)
        return self._hash


def ensure_user(
    username: str,
    *,
    full_name: str,
    position: str,
    role: str | None,
    areas: list[Area],
    password: Passwords,
) -> tuple[User, bool]:
    """A demo login with its role on each of ``areas`` (a superuser without a role);
    an existing one keeps its password and details and only gains missing roles."""
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User.objects.create(
            username=username,
            full_name=full_name,
            position=position,
            email=f"{username}@demo.qcdc.local",
            is_staff=role is None,
            is_superuser=role is None,
            password=password(),
        )
    for area in areas if role else []:
        RoleAssignment.objects.get_or_create(user=user, area=area, role=role)
    return user, created


def _ensure_user(spec: DemoUser, password: Passwords) -> tuple[User, bool]:
    return ensure_user(
        spec.username,
        full_name=spec.full_name,
        position=spec.position,
        role=spec.role,
        areas=[_area(code, structure) for structure, code in spec.areas],
        password=password,
    )


def _ensure_committee(
    area: Area,
    name: str,
    number: str,
    day: datetime.date,
    standing_body: str,
    members: list[tuple[str, str, str]],
    actor: User,
) -> SteeringCommittee | None:
    """The area's committee, established by its decision; None when it has one already
    (the province's, carried onto today's province in 2025, is no longer active)."""
    if SteeringCommittee.objects.filter(area=area).exists():
        return None
    return committee_establish(
        area=area,
        name=name,
        standing_body=standing_body,
        regulation=f"Quy chế ban hành kèm Quyết định {number}",
        decision=CommitteeDecision(
            number=number, signed_on=day, summary=f"Thành lập {name[0].lower()}{name[1:]}"
        ),
        members=[
            Seat(
                full_name=full_name,
                position=position,
                committee_role=role,
                organisation=standing_body if role == CommitteeRole.SUPPORT else "",
            )
            for full_name, position, role in members
        ],
        actor=actor,
    )


def _consolidate_province(committee: SteeringCommittee, actor: User) -> None:
    """A consolidation in 2024: one member moves on, a successor joins, so the committee
    page has a history to show."""
    leaving = committee.memberships.get(full_name="Lý Thị Hạnh")
    committee_consolidate(
        committee=committee,
        decision=CommitteeDecision(
            number="1587-QĐ/TU",
            signed_on=datetime.date(2024, 8, 20),
            summary="Kiện toàn Ban Chỉ đạo thực hiện dân chủ ở cơ sở tỉnh do thay đổi nhân sự",
        ),
        leaving=[leaving],
        changed={},
        joining=[
            Seat(
                full_name="Đỗ Thị Thanh Mai",
                position="Chủ tịch Liên đoàn Lao động tỉnh",
                committee_role=CommitteeRole.MEMBER,
            )
        ],
        actor=actor,
    )


# Quảng Ninh's 2024 figures (seeds/003): 72 training classes for 8,532 attendances,
# spread here over its 13 districts so that the province's sums come out exactly.
DEMO_CLASSES_2024 = 72
DEMO_ATTENDANCES_2024 = 8532
TRAINING_TOPICS = [
    "Quán triệt Luật Thực hiện dân chủ ở cơ sở năm 2022",
    "Bồi dưỡng kỹ năng tiếp công dân, đối thoại với Nhân dân",
    "Tập huấn thực hiện dân chủ tại nơi làm việc (Nghị định 145/2020/NĐ-CP)",
    "Tập huấn công tác dân vận khéo cho cán bộ cơ sở",
]


def _ensure_trainings(province: Area) -> None:
    trainings = Training.objects.within(province).in_year(2024)
    if trainings.exists():
        return
    districts = list(Area.objects.within(province).filter(level=Level.DISTRICT))
    rows = []
    for n in range(DEMO_CLASSES_2024):
        attendances = DEMO_ATTENDANCES_2024 // DEMO_CLASSES_2024
        if n < DEMO_ATTENDANCES_2024 % DEMO_CLASSES_2024:
            attendances += 1
        rows.append(
            Training(
                area=districts[n % len(districts)],
                kind=TrainingKind.CLASS,
                title=TRAINING_TOPICS[n % len(TRAINING_TOPICS)],
                held_on=datetime.date(2024, 1 + n % 11, 5 + n % 20),
                audience="Cán bộ chủ chốt, đảng viên, người lao động",
                attendances=attendances,
            )
        )
    bulk_create_with_history(rows, Training)


def _ensure_member_units(province: Area) -> None:
    """Every commune, and each district's People's Committee office, as member units;
    all issued their regulation (the province reported 100% in 2024) and held their
    officials' conference at the start of 2024 and a dialogue in the summer. A district's
    office ended with its district on 01/07/2025."""
    if MemberUnit.objects.within(province).exists():
        return
    areas = Area.objects.within(province).filter(level__in=[Level.DISTRICT, Level.COMMUNE])
    units = [
        MemberUnit(
            area=area,
            kind=UnitKind.COMMUNE if area.level == Level.COMMUNE else UnitKind.STATE_AGENCY,
            name=area.name
            if area.level == Level.COMMUNE
            else f"Văn phòng HĐND và UBND {area.name}",
            regulation_issued=True,
            regulation_date=datetime.date(2023, 6, 1),
            dissolved_on=None if area.level == Level.COMMUNE else two_maps.REFORM,
        )
        for area in areas
    ]
    bulk_create_with_history(units, MemberUnit)
    bulk_create_with_history(
        [event for n, unit in enumerate(units) for event in _events_2024(unit, n)], UnitEvent
    )


def _events_2024(unit: MemberUnit, n: int) -> list[UnitEvent]:
    """A unit's conference of officials in January or February 2024 and its dialogue
    with them in the summer."""
    return [
        UnitEvent(
            unit=unit,
            kind=UnitEventKind.CONFERENCE,
            held_on=datetime.date(2024, 1 + n % 2, 10 + n % 15),
            participants=25 + n % 30,
            notes="Tổng kết thực hiện quy chế dân chủ năm 2023, thảo luận nhiệm vụ năm 2024.",
        ),
        UnitEvent(
            unit=unit,
            kind=UnitEventKind.DIALOGUE,
            held_on=datetime.date(2024, 7, 1 + n % 25),
            participants=15 + n % 20,
            notes="Đối thoại về chế độ làm việc, cải cách thủ tục hành chính.",
        ),
    ]


# "BCH Đảng bộ tỉnh, Ban Thường vụ Tỉnh ủy … ban hành 28 văn bản" (seeds/003).
DEMO_DOCUMENTS_2024 = 28
DOCUMENT_KINDS = [
    DocumentKind.PLAN,
    DocumentKind.GUIDANCE,
    DocumentKind.OFFICIAL_LETTER,
    DocumentKind.DIRECTIVE,
    DocumentKind.REPORT,
    DocumentKind.DECISION,
]
SUFFIX = {
    DocumentKind.PLAN: "KH",
    DocumentKind.GUIDANCE: "HD",
    DocumentKind.OFFICIAL_LETTER: "CV",
    DocumentKind.DIRECTIVE: "CT",
    DocumentKind.REPORT: "BC",
    DocumentKind.DECISION: "QĐ",
}


def _ensure_documents(province: Area, district: Area) -> None:
    if Document.objects.within(province).filter(issued_on__year=2024).exists():
        return
    documents = []
    # Issued by 14/12/2024: the 2024 report counts from 15/12/2023 to 14/12/2024 (Nghị
    # định 09/2019/NĐ-CP, Điều 12), and the province's report of 2024 names 28 documents.
    for n in range(DEMO_DOCUMENTS_2024):
        kind = DOCUMENT_KINDS[n % len(DOCUMENT_KINDS)]
        month = 1 + n % 12
        day = min(3 + n % 25, 14 - n // 12) if month == 12 else 3 + n % 25
        documents.append(
            Document(
                area=province,
                kind=kind,
                number=f"{100 + n}-{SUFFIX[kind]}/TU",
                issued_on=datetime.date(2024, month, day),
                issuer="Ban Thường vụ Tỉnh ủy Quảng Ninh",
                summary=f"{kind.label} về thực hiện dân chủ ở cơ sở năm 2024 (số {n + 1})",
            )
        )
    # The district's own documents, so that its secretariat does not open an empty list.
    for n, kind in enumerate(DOCUMENT_KINDS):
        documents.append(
            Document(
                area=district,
                kind=kind,
                number=f"{30 + n}-{SUFFIX[kind]}/ThU",
                issued_on=datetime.date(2024, 2 + 2 * n, min(10 + n, 14)),
                issuer="Ban Thường vụ Thành ủy Hạ Long",
                summary=f"{kind.label} về thực hiện dân chủ ở cơ sở trên địa bàn thành phố",
            )
        )
    bulk_create_with_history(documents, Document)


PLAN_TASKS = [
    ("Quán triệt Luật Thực hiện dân chủ ở cơ sở đến cán bộ, đảng viên", "Ban Dân vận", 3),
    ("Kiện toàn Ban Chỉ đạo, sửa đổi quy chế hoạt động", "Ban Tổ chức", 4),
    ("Tập huấn nghiệp vụ cho cán bộ làm công tác dân vận cơ sở", "Ban Dân vận", 6),
    ("Kiểm tra, giám sát việc thực hiện dân chủ ở cơ sở", "Ủy ban Kiểm tra", 9),
    ("Đôn đốc các đơn vị tổ chức hội nghị cán bộ, công chức, viên chức", "Văn phòng", 3),
    ("Đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân", "Văn phòng", 10),
    ("Nhân rộng mô hình “Dân vận khéo”", "Ban Dân vận", 11),
    ("Sơ kết, báo cáo kết quả thực hiện dân chủ ở cơ sở năm", "Ban Dân vận", 12),
]


def _ensure_plans(province: Area, commune: Area) -> None:
    """The province's 2024 plan, all done; a commune of today's map's plan for this
    year, in progress, with tasks past their deadline (the list and the area page flag
    them). A plan of this year kept by an earlier demo on the legacy map stays."""
    this_year = datetime.date.today().year
    plans = []
    if not AnnualPlan.objects.within(province).filter(year=2024).exists():
        plans.append((province, 2024, "05-KH/BCĐ", "Ban Dân vận Tỉnh ủy", True))
    # Today's province counts its legacy predecessor's subtree: a plan on either map.
    if not AnnualPlan.objects.filter(year=this_year).counting_for(commune.parent).exists():
        plans.append((commune, this_year, "12-KH/BCĐ", "Ban Xây dựng Đảng Đảng ủy", False))
    for area, year, number, prefix, finished in plans:
        plan = AnnualPlan.objects.create(
            area=area,
            year=year,
            number=number,
            title=f"Kế hoạch thực hiện dân chủ ở cơ sở năm {year}",
            issued_on=datetime.date(year, 1, 15),
        )
        tasks = []
        for n, (title, body, month) in enumerate(PLAN_TASKS):
            deadline = datetime.date(year, month, 28)
            done = finished or n % 3 == 0
            status = TaskStatus.DONE if done else TaskStatus.IN_PROGRESS
            tasks.append(
                PlanTask(
                    plan=plan,
                    title=title,
                    responsible=body.replace("Ban Dân vận", prefix) if n % 2 == 0 else body,
                    deadline=deadline,
                    status=status,
                    completed_on=min(deadline, datetime.date.today()) if done else None,
                    progress_note="Đã triển khai theo kế hoạch." if done else "",
                )
            )
        bulk_create_with_history(tasks, PlanTask)


TYPICAL_MODELS_2024 = [
    ("Dân vận khéo trong xây dựng nông thôn mới kiểu mẫu", ModelField.ECONOMY),
    ("Camera an ninh, mắt thần khu phố", ModelField.DEFENCE_SECURITY),
    ("Dân vận khéo trong giải phóng mặt bằng", ModelField.ADMINISTRATION),
    ("Tổ dân vận khéo tại khu dân cư", ModelField.POLITICAL_SYSTEM),
    ("Đối thoại định kỳ giữa doanh nghiệp và người lao động", ModelField.CULTURE_SOCIETY),
]


def _ensure_typical_models(province: Area) -> None:
    """Five models recognised by the province in 2024, each applied by a few units of one
    district, and the commendations that went with them."""
    if TypicalModel.objects.within(province).exists():
        return
    districts = list(Area.objects.filter(parent=province).order_by("code"))
    commendations = []
    for n, (name, field) in enumerate(TYPICAL_MODELS_2024):
        district = districts[n % len(districts)]
        model = TypicalModel.objects.create(
            area=district,
            name=name,
            field=field,
            recognised_on=datetime.date(2024, 11, 5 + n),
            recognised_by="Ban Dân vận Tỉnh ủy Quảng Ninh",
            description="Mô hình được nhân rộng trong năm 2024.",
        )
        model.units.set(MemberUnit.objects.within(district).order_by("name")[:3])
        commendations.append(
            Commendation(
                area=district,
                recipient=f"Ban Chỉ đạo thực hiện QCDC {district.name}",
                recipient_kind=RecipientKind.COLLECTIVE,
                award=AwardForm.CERTIFICATE_OF_MERIT,
                decision_number="2150-QĐ/TU",
                awarded_on=datetime.date(2024, 12, 19),
                awarded_by="Ban Thường vụ Tỉnh ủy Quảng Ninh",
                achievement=f"Xây dựng và nhân rộng mô hình “{name}”",
                typical_model=model,
            )
        )
    bulk_create_with_history(commendations, Commendation)


# Grassroots democracy in a commune's year 2024 (Luật Thực hiện dân chủ ở cơ sở 2022):
# kind, subject ("{village}": a matter of one residential group), month, who supervised,
# what the participants count, how, and what came of it.
DEMOCRACY_2024 = [
    (DemocracyKind.DISCLOSURE, "Công khai dự toán ngân sách xã năm 2024", 1, "", "",
     "Niêm yết tại trụ sở UBND, thông báo trên hệ thống truyền thanh", ""),
    (DemocracyKind.DISCLOSURE, "Công khai danh sách hộ nghèo, hộ cận nghèo năm 2024", 3, "",
     "", "Niêm yết tại nhà văn hóa các khu", "Không có ý kiến thắc mắc"),
    (DemocracyKind.DECISION, "Chủ trương và mức đóng góp bê tông hóa đường ngõ {village}", 4,
     "", CountedAs.HOUSEHOLDS, "Họp thôn, khu dân cư",
     "Trên 85% hộ gia đình tán thành mức đóng góp 300.000 đồng/hộ"),
    (DemocracyKind.SUPERVISION, "Giám sát giải quyết thủ tục hành chính tại Bộ phận một cửa",
     6, Supervisor.PEOPLES_INSPECTION, CountedAs.PEOPLE, "Kiểm tra hồ sơ, sổ theo dõi",
     "Kiến nghị niêm yết đủ thủ tục, trả kết quả đúng hẹn; UBND đã khắc phục"),
    (DemocracyKind.SUPERVISION, "Giám sát thi công công trình nhà văn hóa {village}", 8,
     Supervisor.COMMUNITY_INVESTMENT, CountedAs.PEOPLE, "Giám sát tại hiện trường",
     "Công trình đúng thiết kế; đề nghị nhà thầu bảo đảm vệ sinh môi trường"),
    (DemocracyKind.CONSULTATION,
     "Lấy ý kiến dự thảo kế hoạch phát triển kinh tế - xã hội năm 2025", 10, "",
     CountedAs.PEOPLE, "Hội nghị tại các khu dân cư và hòm thư góp ý",
     "Tổng hợp 36 ý kiến, gửi Hội đồng nhân dân xem xét"),
]  # fmt: skip


def _participants(counted: str, kind: str, n: int) -> int | None:
    """Households at a vote, people at a consultation, board members at a supervision."""
    if not counted:
        return None
    if counted == CountedAs.HOUSEHOLDS:
        return 140 + 9 * n
    return 180 + 13 * n if kind == DemocracyKind.CONSULTATION else 5 + n % 4


def _ensure_democracy(province: Area) -> None:
    """The year 2024 of Hà Khánh and of every twelfth commune of the province: what each
    made public, what its citizens decided, supervised and were consulted on; and the
    conventions of some of its residential groups, recognised by the district."""
    communes = Area.objects.within(province).filter(level=Level.COMMUNE).order_by("path")
    communes = communes.select_related("parent")
    chosen = [a for n, a in enumerate(communes) if n % 12 == 0 or a.code == COMMUNE_CODE]
    if DemocracyActivity.objects.filter(area__in=chosen).exists():
        return
    activities, conventions = [], []
    for n, commune in enumerate(chosen):
        rural = commune.name.startswith("Xã")  # villages (thôn) in a commune, quarters in a ward
        village = f"Thôn {1 + n % 6}" if rural else f"Khu {1 + n % 6}"
        for kind, subject, month, supervisor, counted, method, outcome in DEMOCRACY_2024:
            activities.append(
                DemocracyActivity(
                    area=commune,
                    kind=kind,
                    subject=subject.format(village=village.lower()),
                    held_on=datetime.date(2024, month, 5 + n % 20),
                    village=village if "{village}" in subject else "",
                    method=method,
                    supervisor=supervisor,
                    participants=_participants(counted, kind, n),
                    counted_as=counted,
                    outcome=outcome,
                )
            )
        if n % 3 == 0:
            conventions.append(
                VillageConvention(
                    area=commune,
                    village=village,
                    kind=ConventionKind.VILLAGE if rural else ConventionKind.RESIDENTIAL,
                    name=f"{'Hương ước' if rural else 'Quy ước'} {village.lower()}",
                    decision_number=f"{1200 + n}/QĐ-UBND",
                    recognised_on=datetime.date(2024, 9, 10 + n % 15),
                    recognised_by=f"Chủ tịch UBND {two_maps.lower_first(commune.parent.name)}",
                )
            )
    bulk_create_with_history(activities, DemocracyActivity)
    bulk_create_with_history(conventions, VillageConvention)


# Other apps add their demo records here (see inspections/apps.py): each is called with
# the demo province and the administrator once the committees' records exist.
DEMO_EXTENSIONS: list = []


def _ensure_areas(progress: Progress) -> None:
    """Quảng Ninh on both maps, today's Phú Thọ and the three provinces that became it
    (``make run`` has loaded them all; the tests load Quảng Ninh)."""
    wanted = [
        (PROVINCE_CODE, Structure.values),
        (PHU_THO_CODE, Structure.values),
        *((code, [Structure.LEGACY]) for code in PHU_THO_LEGACY_CODES[1:]),
    ]
    for code, structures in wanted:
        present = Area.objects.filter(code=code, level=Level.PROVINCE, structure__in=structures)
        missing = set(structures) - set(present.values_list("structure", flat=True))
        if missing:
            areas_load(structures=sorted(missing), province=code, progress=progress)


@transaction.atomic
def seed_demo(*, progress: Progress = print) -> list[tuple[DemoUser, bool]]:
    """Create the demo provinces, their committees and records, and the printed logins
    (what is missing; nothing else changes)."""
    _ensure_areas(progress)
    province = _area(PROVINCE_CODE)
    today = _area(PROVINCE_CODE, Structure.Y2025)
    password = Passwords()
    users = [(spec, _ensure_user(spec, password)) for spec in DEMO_USERS]
    administrator = next(user for spec, (user, _created) in users if spec.role is None)
    committee = _ensure_committee(
        province,
        "Ban Chỉ đạo thực hiện dân chủ ở cơ sở tỉnh Quảng Ninh",
        "1125-QĐ/TU",
        datetime.date(2023, 3, 15),
        "Ban Dân vận Tỉnh ủy",
        PROVINCE_MEMBERS,
        administrator,
    )
    if committee:
        _consolidate_province(committee, administrator)
    _ensure_committee(
        _area(DISTRICT_CODE),
        "Ban Chỉ đạo thực hiện dân chủ ở cơ sở thành phố Hạ Long",
        "412-QĐ/ThU",
        datetime.date(2023, 5, 4),
        "Ban Dân vận Thành ủy Hạ Long",
        DISTRICT_MEMBERS,
        administrator,
    )
    _ensure_trainings(province)
    _ensure_member_units(province)
    _ensure_documents(province, _area(DISTRICT_CODE))
    _ensure_plans(province, _area(CAO_XANH_CODE, Structure.Y2025))
    _ensure_typical_models(province)
    _ensure_democracy(province)
    two_maps.commune_officials(today, functools.partial(ensure_user, password=password))
    two_maps.seed_quang_ninh(province, today, administrator)
    two_maps.seed_phu_tho(
        _area(PHU_THO_CODE, Structure.Y2025),
        [_area(code) for code in PHU_THO_LEGACY_CODES],
        administrator,
    )
    for extend in DEMO_EXTENSIONS:
        extend(province, administrator)
    progress(f"Demo: {province.name}, Tỉnh Phú Thọ; {len(users)} tài khoản in ra dưới đây")
    return [(spec, created) for spec, (_user, created) in users]
