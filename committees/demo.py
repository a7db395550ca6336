"""The demo province: Quảng Ninh with its real areas, committees and a user per role.

Names of officials are invented, except the head of the provincial committee in 2024,
who is named in the province's own report of that year (seeds/003). Running it again
creates what is missing and leaves everything else — passwords included — alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from .models import (
    AnnualPlan,
    Area,
    AwardForm,
    Commendation,
    CommitteeDecision,
    CommitteeRole,
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
    TaskStatus,
    Training,
    TrainingKind,
    TypicalModel,
    UnitKind,
    User,
)
from .platform.history import bulk_create_with_history
from .services.areas import Progress, areas_load
from .services.committees import Seat, committee_consolidate, committee_establish

DEMO_PASSWORD = "qcdc-demo-2024"  # noqa: S105 - published in the README, demo only
PROVINCE_CODE = "22"  # Quảng Ninh
DISTRICT_CODE = "193"  # Thành phố Hạ Long
COMMUNE_CODE = "06649"  # Phường Hà Khánh, Hạ Long


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    position: str
    role: str | None  # None: the administrator (superuser)
    area_code: str | None
    both_structures: bool = False  # the province is the same before and after 2025


DEMO_USERS = [
    DemoUser("quantri", "Quản trị hệ thống", "Quản trị viên", None, None),
    DemoUser(
        "tinh.quangninh",
        "Nguyễn Thị Thu Hà",
        "Chuyên viên Ban Dân vận Tỉnh ủy",
        Role.PROVINCIAL_STAFF,
        PROVINCE_CODE,
        both_structures=True,
    ),
    DemoUser(
        "huyen.halong",
        "Trần Văn Minh",
        "Chuyên viên Ban Dân vận Thành ủy Hạ Long",
        Role.DISTRICT_SECRETARIAT,
        DISTRICT_CODE,
    ),
    DemoUser(
        "xa.hakhanh",
        "Lê Thị Hồng",
        "Chủ tịch Ủy ban MTTQ phường Hà Khánh",
        Role.COMMUNE_OFFICIAL,
        COMMUNE_CODE,
    ),
    DemoUser(
        "xem.quangninh",
        "Phạm Quốc Việt",
        "Ủy viên Ban Chỉ đạo tỉnh",
        Role.VIEWER,
        PROVINCE_CODE,
        both_structures=True,
    ),
    DemoUser(
        "donthu.quangninh",
        "Vũ Thị Lan",
        "Chuyên viên Ban Tiếp công dân tỉnh",
        Role.PETITION_OFFICER,
        PROVINCE_CODE,
        both_structures=True,
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


def _ensure_user(spec: DemoUser) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(
        username=spec.username,
        defaults={
            "full_name": spec.full_name,
            "position": spec.position,
            "email": f"{spec.username}@demo.qcdc.local",
            "is_staff": spec.role is None,
            "is_superuser": spec.role is None,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if spec.role:
        structures = Structure.values if spec.both_structures else [Structure.LEGACY]
        for structure in structures:
            RoleAssignment.objects.get_or_create(
                user=user, area=_area(spec.area_code, structure), role=spec.role
            )
    return user, created


def _ensure_committee(
    area: Area,
    name: str,
    number: str,
    day: datetime.date,
    standing_body: str,
    members: list[tuple[str, str, str]],
    actor: User,
) -> SteeringCommittee | None:
    """The area's committee, established by its decision; None when it already exists."""
    if SteeringCommittee.objects.filter(area=area, is_active=True).exists():
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
    all issued their regulation (the province reported 100% in 2024)."""
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
            conference_held_on=datetime.date(2024, 1, 20),
            dialogue_held_on=datetime.date(2024, 7, 15),
        )
        for area in areas
    ]
    bulk_create_with_history(units, MemberUnit)


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
    for n in range(DEMO_DOCUMENTS_2024):
        kind = DOCUMENT_KINDS[n % len(DOCUMENT_KINDS)]
        documents.append(
            Document(
                area=province,
                kind=kind,
                number=f"{100 + n}-{SUFFIX[kind]}/TU",
                issued_on=datetime.date(2024, 1 + n % 12, 3 + n % 25),
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
                issued_on=datetime.date(2024, 2 + 2 * n, 10 + n),
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


def _ensure_plans(province: Area, district: Area) -> None:
    """The province's 2024 plan, all done; the district's plan for this year, in
    progress, with tasks past their deadline (the list and the area page flag them)."""
    if AnnualPlan.objects.within(province).exists():
        return
    this_year = datetime.date.today().year
    plans = [
        (province, 2024, "05-KH/BCĐ", "Ban Dân vận Tỉnh ủy", True),
        (district, this_year, "12-KH/BCĐ", "Ban Dân vận Thành ủy", False),
    ]
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


# Other apps add their demo records here (see inspections/apps.py): each is called with
# the demo province and the administrator once the committees' records exist.
DEMO_EXTENSIONS: list = []


@transaction.atomic
def seed_demo(*, progress: Progress = print) -> list[tuple[DemoUser, bool]]:
    """Create the demo province, its committees and one user per role (if missing)."""
    if not Area.objects.filter(structure=Structure.LEGACY, code=PROVINCE_CODE).exists():
        areas_load(structures=Structure.values, province=PROVINCE_CODE, progress=progress)
    province = _area(PROVINCE_CODE)
    users = [(spec, _ensure_user(spec)) for spec in DEMO_USERS]
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
    _ensure_plans(province, _area(DISTRICT_CODE))
    _ensure_typical_models(province)
    for extend in DEMO_EXTENSIONS:
        extend(province, administrator)
    progress(f"Demo: {province.name}, {len(users)} người dùng")
    return [(spec, created) for spec, (_user, created) in users]
