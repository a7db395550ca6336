"""Records at national scale, written with PostgreSQL COPY.

The rows have the shapes of real records: petitions are received on working days (online
ones on any day), on a commune, district or province of the structure in force that day
(the legacy tree before 01/07/2025, the two-level one after), and have moved through the
portal's workflow as far as their age allows — most old ones resolved and closed, recent
ones open, a few stuck past their deadline (overdue, tồn đọng). Their due dates come from
the portal's own rules (``inspections.deadlines``), evaluated once per distinct
(kind, day, case) and looked up per row: two million petitions cost a few thousand rule
evaluations and no per-row ORM ``save()``.

A reporting year (``REPORT_YEAR``) is complete for the whole country: every legacy
province opened its period, and each of its districts filed as districts do — most on
time and accepted, some late, a few returned or awaiting review, a few not at all — with a
figure for every indicator of the catalogue — but for a few figures and sections left
empty, which the validation rules must read as DHIS2 reads missing values.

Django's history tables are not filled: no measured page reads them, and the records'
creation is not what is measured.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager as ContextManager
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import connection, models
from django.db.backends.utils import CursorWrapper
from psycopg import sql
from psycopg.types.json import Jsonb

from committees.models import (
    REORGANISATION_DATE,
    Area,
    Level,
    MemberUnit,
    Structure,
    Training,
    TrainingKind,
    UnitEvent,
    UnitEventKind,
    UnitKind,
)
from inspections import deadlines
from inspections.models import (
    Channel,
    Complexity,
    FollowUp,
    Inspection,
    InspectionForm,
    InspectionKind,
    Outcome,
    Petition,
    PetitionField,
    PetitionKind,
    Round,
    Status,
)
from reports.models import (
    Aggregation,
    AnnualReport,
    Indicator,
    ReportingPeriod,
    ReportValue,
)

from .database import MARKER_TABLE

T = TypeVar("T")

# The first day of generated records: five years of petitions up to today.
START = datetime.date(2022, 1, 1)
COPY_CHUNK = 20_000  # rows per write to the COPY stream
ALL_VISIBLE = 0.99  # below this share of all-visible pages, ``settle`` vacuums again


@dataclass(frozen=True)
class Counts:
    """How many records of each kind to generate."""

    petitions: int
    trainings: int
    inspections: int


@dataclass(frozen=True)
class Place:
    """An area as the generator needs it: its id as COPY text, its names."""

    id: str
    name: str
    short_name: str
    level: str


@dataclass
class Tree:
    """The loaded areas, by structure and level."""

    places: dict[tuple[str, str], list[Place]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Tree:
        tree = cls()
        rows = Area.objects.order_by("id").values_list(
            "id", "structure", "level", "name", "short_name"
        )
        for pk, structure, level, name, short_name in rows:
            place = Place(str(pk), _text(name), _text(short_name), level)
            tree.places.setdefault((structure, level), []).append(place)
        return tree

    def of(self, structure: str, level: str) -> list[Place]:
        return self.places.get((structure, level), [])

    def all(self) -> Iterator[Place]:
        return itertools.chain.from_iterable(self.places.values())


def _text(value: str) -> str:
    """A value as COPY text: backslash, tab and line breaks escaped."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def weighted(rng: random.Random, options: Sequence[tuple[T, float]]) -> Callable[[], T]:
    """A picker of one option by weight: one random number and a bisection per call."""
    values = [value for value, _weight in options]
    cumulative = list(itertools.accumulate(weight for _value, weight in options))
    total = cumulative[-1]
    draw = rng.random

    def pick() -> T:
        return values[bisect.bisect_right(cumulative, draw() * total)]

    return pick


def seeded(seed: int) -> random.Random:
    """A generator of reproducible fake data (not of secrets): same seed, same records."""
    return random.Random(seed)  # noqa: S311


def uniform(rng: random.Random, items: Sequence[T]) -> Callable[[], T]:
    draw = rng.random
    size = len(items)
    return lambda: items[int(draw() * size)]


class Calendar:
    """Every day from ``START`` to today by index, with the working days of the law."""

    def __init__(self, today: datetime.date) -> None:
        self.start = START
        self.today = (today - START).days
        self.iso = [(START + datetime.timedelta(n)).isoformat() for n in range(self.today + 1)]
        self.working = [n for n in range(self.today + 1) if deadlines.is_working_day(self.date(n))]
        # Records dated from the reorganisation on belong to the two-level structure.
        self.split = (REORGANISATION_DATE - START).days

    def date(self, index: int) -> datetime.date:
        return self.start + datetime.timedelta(index)

    def structure(self, index: int) -> str:
        return Structure.LEGACY if index < self.split else Structure.Y2025


def area_picker(
    rng: random.Random, tree: Tree, weights: dict[str, float]
) -> dict[str, Callable[[], Place]]:
    """For each structure, a picker of an area by level (empty levels are skipped)."""
    pickers = {}
    for structure in Structure.values:
        levels = [(lvl, w) for lvl, w in weights.items() if tree.of(structure, lvl)]
        if not levels:
            continue
        by_level = {lvl: uniform(rng, tree.of(structure, lvl)) for lvl, _w in levels}
        level = weighted(rng, levels)
        pickers[structure] = lambda level=level, by_level=by_level: by_level[level()]()
    return pickers


def copy_rows(model: type[models.Model], fields: Sequence[str], lines: Iterable[str]) -> int:
    """Stream tab-separated ``lines`` into the model's table with one COPY; returns rows.

    Columns come from the model, so a renamed column fails loudly instead of silently
    filling the wrong one.
    """
    columns = [model._meta.get_field(name).column for name in fields]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    written = 0
    lines = iter(lines)
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        while chunk := list(itertools.islice(lines, COPY_CHUNK)):
            copy.write("".join(chunk))
            written += len(chunk)
    return written


# --- Petitions -------------------------------------------------------------------------

ISSUES = {
    PetitionField.LAND: (
        "tranh chấp ranh giới thửa đất",
        "cấp giấy chứng nhận quyền sử dụng đất",
        "lấn chiếm đất công",
        "chuyển mục đích sử dụng đất",
    ),
    PetitionField.COMPENSATION: (
        "mức bồi thường khi thu hồi đất",
        "bố trí tái định cư",
        "hỗ trợ chuyển đổi nghề",
        "giá đất tính bồi thường",
    ),
    PetitionField.POLICY: (
        "chế độ người có công",
        "trợ cấp bảo trợ xã hội",
        "giải quyết bảo hiểm xã hội",
        "chế độ nghỉ hưu",
    ),
    PetitionField.ADMINISTRATION: (
        "thời hạn giải quyết thủ tục hành chính",
        "thái độ của cán bộ tiếp công dân",
        "thu phí không đúng quy định",
        "chậm cấp giấy phép xây dựng",
    ),
    PetitionField.CORRUPTION: (
        "sai phạm trong quản lý ngân sách",
        "nhận tiền khi giải quyết hồ sơ",
        "đấu thầu dự án không minh bạch",
        "sử dụng tài sản công sai mục đích",
    ),
    PetitionField.OTHER: (
        "ô nhiễm môi trường khu dân cư",
        "trật tự xây dựng",
        "an ninh trật tự thôn, tổ dân phố",
        "tiếng ồn từ cơ sở sản xuất",
    ),
}
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Hữu", "Ngọc", "Thanh", "Quang", "Xuân", "Thu"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Yến",
]
NAMES = [f"{a} {b} {c}" for a, b, c in itertools.product(FAMILY, MIDDLE, GIVEN)]

# How a case ends, or where it got stuck (khiếu nại and tố cáo can be refused; kiến nghị not).
FATES_WITH_DEADLINES = [
    ("resolved", 0.66),
    (Status.NOT_ACCEPTED, 0.10),
    (Status.FORWARDED, 0.14),
    (Status.WITHDRAWN, 0.04),
    ("stuck_classified", 0.01),
    ("stuck_accepted", 0.02),
    ("stuck_resolving", 0.03),
]
FATES_OF_PETITIONS = [
    ("resolved", 0.72),
    (Status.FORWARDED, 0.20),
    (Status.WITHDRAWN, 0.03),
    ("stuck_accepted", 0.02),
    ("stuck_resolving", 0.03),
]
STUCK_AFTER = {"stuck_classified": 1, "stuck_accepted": 2, "stuck_resolving": 3}

PETITION_FIELDS = (
    "area",
    "kind",
    "channel",
    "field",
    "is_crowd",
    "received_on",
    "petitioner_name",
    "petitioner_address",
    "petitioner_contact",
    "subject",
    "concerned",
    "handling_body",
    "complexity",
    "remote_area",
    "status",
    "accepted_on",
    "resolved_on",
    "extensions",
    "outcome",
    "first_due_on",
    "resolve_due_on",
    "round",
    "settled_on",
    "verification_days",
)
NULL = "\\N"


class DueDates:
    """The portal's deadline rules, evaluated once per distinct input and remembered."""

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.first: dict[tuple[str, int, str], str] = {}
        self.resolve: dict[tuple[str, int, str, bool, int, str], str] = {}

    def first_due(self, kind: str, day: int, round_: str = Round.FIRST) -> str:
        key = (kind, day, round_)
        if key not in self.first:
            due = deadlines.first_deadline(kind, self.calendar.date(day), round_)
            self.first[key] = due.due_on.isoformat() if due else NULL
        return self.first[key]

    def resolve_due(
        self, kind: str, day: int, complexity: str, remote: bool, ext: int, round_: str
    ) -> str:
        # The rule in force on the day of receipt: the same law for every generated day.
        key = (kind, day, complexity, remote, ext, round_)
        if key not in self.resolve:
            due = deadlines.resolve_deadline(
                kind, self.calendar.date(day), complexity, remote, ext, round=round_
            )
            self.resolve[key] = due.due_on.isoformat() if due else NULL
        return self.resolve[key]


def petition_lines(count: int, tree: Tree, calendar: Calendar, seed: int) -> Iterator[str]:
    """``count`` petitions as COPY lines (columns of ``PETITION_FIELDS``)."""
    rng = seeded(seed)
    draw, below = rng.random, rng.randrange
    areas = area_picker(
        rng, tree, {Level.COMMUNE: 0.75, Level.DISTRICT: 0.20, Level.PROVINCE: 0.05}
    )
    kind_of = weighted(
        rng,
        [
            (PetitionKind.COMPLAINT, 0.35),
            (PetitionKind.DENUNCIATION, 0.15),
            (PetitionKind.PETITION, 0.5),
        ],
    )
    channel_of = weighted(
        rng,
        [
            (Channel.IN_PERSON, 0.30),
            (Channel.POST, 0.30),
            (Channel.ONLINE, 0.25),
            (Channel.FORWARDED, 0.10),
            (Channel.RECEPTION, 0.05),
        ],
    )
    field_of = weighted(
        rng,
        [
            (PetitionField.LAND, 0.35),
            (PetitionField.COMPENSATION, 0.15),
            (PetitionField.POLICY, 0.15),
            (PetitionField.ADMINISTRATION, 0.15),
            (PetitionField.CORRUPTION, 0.05),
            (PetitionField.OTHER, 0.15),
        ],
    )
    complexity_of = weighted(
        rng,
        [(Complexity.NORMAL, 0.80), (Complexity.COMPLEX, 0.15), (Complexity.VERY_COMPLEX, 0.05)],
    )
    fate_of = {
        PetitionKind.COMPLAINT: weighted(rng, FATES_WITH_DEADLINES),
        PetitionKind.DENUNCIATION: weighted(rng, FATES_WITH_DEADLINES),
        PetitionKind.PETITION: weighted(rng, FATES_OF_PETITIONS),
    }
    outcome_of = uniform(rng, Outcome.values)
    name_of = uniform(rng, NAMES)
    any_day = uniform(rng, range(calendar.today + 1))
    working_day = uniform(rng, calendar.working)
    prefix = {
        PetitionKind.COMPLAINT: "Khiếu nại về",
        PetitionKind.DENUNCIATION: "Tố cáo",
        PetitionKind.PETITION: "Kiến nghị về",
    }
    issue_of = {f: uniform(rng, issues) for f, issues in ISSUES.items()}
    due = DueDates(calendar)
    iso, today, structure_of = calendar.iso, calendar.today, calendar.structure
    for _ in range(count):
        channel = channel_of()
        day = any_day() if channel == Channel.ONLINE else working_day()
        place = areas[structure_of(day)]()
        kind = kind_of()
        topic = field_of()
        complexity = complexity_of()
        remote = draw() < 0.08
        fate = fate_of[kind]()
        round_ = Round.SECOND if kind == PetitionKind.COMPLAINT and draw() < 0.1 else Round.FIRST
        classified = day + 1 + below(5)
        if fate in (Status.NOT_ACCEPTED, Status.FORWARDED, Status.WITHDRAWN):
            steps = [(Status.CLASSIFIED, classified), (fate, classified + 1 + below(10))]
            accepted = resolved = -1
        else:
            accepted = classified + 1 + below(6)
            resolved = accepted + 10 + below(50)
            steps = [
                (Status.CLASSIFIED, classified),
                (Status.ACCEPTED, accepted),
                (Status.BEING_RESOLVED, accepted + 1 + below(5)),
                (Status.RESOLVED, resolved),
                (Status.CLOSED, resolved + 3 + below(30)),
            ][: STUCK_AFTER.get(fate, 5)]
        status, reached = Status.RECEIVED, 0
        for step, on in steps:
            if on > today:
                break
            status, reached = step, reached + 1
        accepted_on = iso[accepted] if accepted >= 0 and reached >= 2 else NULL
        resolved_on = iso[resolved] if accepted >= 0 and reached >= 4 else NULL
        # The day the handling ended: the refusal or withdrawal, or the resolution.
        settled_on = resolved_on
        if accepted < 0 and reached >= 2:
            settled_on = iso[steps[1][1]]
        extensions = 0
        if kind == PetitionKind.DENUNCIATION and complexity != Complexity.NORMAL and reached >= 2:
            late = resolved - accepted > 30 or fate != "resolved"
            extensions = (2 if complexity == Complexity.VERY_COMPLEX else 1) if late else 0
        resolve_due = (
            due.resolve_due(kind, accepted, complexity, remote, extensions, round_)
            if accepted_on != NULL
            else NULL
        )
        outcome = outcome_of() if reached >= 4 and kind != PetitionKind.PETITION else ""
        concerned = f"UBND {place.short_name}" if kind != PetitionKind.PETITION else ""
        yield (
            f"{place.id}\t{kind}\t{channel}\t{topic}\t{'t' if draw() < 0.03 else 'f'}\t"
            f"{iso[day]}\t{name_of()}\t{place.name}\t09{below(100_000_000):08d}\t"
            f"{prefix[kind]} {issue_of[topic]()} tại {place.name}\t{concerned}\t"
            f"UBND {place.name}\t{complexity}\t{'t' if remote else 'f'}\t{status}\t"
            f"{accepted_on}\t{resolved_on}\t{extensions}\t{outcome}\t"
            f"{due.first_due(kind, day, round_)}\t{resolve_due}\t{round_}\t{settled_on}\t0\n"
        )


# --- Trainings, inspections, member units ------------------------------------------------

TRAINING_FIELDS = ("area", "kind", "title", "held_on", "audience", "attendances", "papers", "notes")
TRAINING_TITLES = (
    "Quán triệt Luật Thực hiện dân chủ ở cơ sở năm 2022",
    "Tập huấn nghiệp vụ công tác dân vận và thực hiện QCDC",
    "Tuyên truyền Nghị định 59/2023/NĐ-CP hướng dẫn Luật Thực hiện dân chủ ở cơ sở",
    "Bồi dưỡng kỹ năng đối thoại với Nhân dân cho cán bộ cơ sở",
    "Tọa đàm nâng cao hiệu quả phong trào thi đua Dân vận khéo",
)
AUDIENCES = (
    "Cán bộ chủ chốt cấp xã",
    "Trưởng thôn, tổ trưởng tổ dân phố",
    "Đoàn viên, hội viên các đoàn thể",
    "Người lao động trong doanh nghiệp",
    "Cán bộ, công chức, viên chức",
)


def training_lines(count: int, tree: Tree, calendar: Calendar, seed: int) -> Iterator[str]:
    rng = seeded(seed)
    below = rng.randrange
    areas = area_picker(
        rng, tree, {Level.PROVINCE: 0.10, Level.DISTRICT: 0.40, Level.COMMUNE: 0.50}
    )
    kind_of = weighted(
        rng,
        [(TrainingKind.CLASS, 0.3), (TrainingKind.CONFERENCE, 0.5), (TrainingKind.SEMINAR, 0.2)],
    )
    size = {TrainingKind.CLASS: (30, 120), TrainingKind.CONFERENCE: (50, 450)}
    title_of, audience_of = uniform(rng, TRAINING_TITLES), uniform(rng, AUDIENCES)
    working_day = uniform(rng, calendar.working)
    for _ in range(count):
        day = working_day()
        place = areas[calendar.structure(day)]()
        kind = kind_of()
        low, span = size.get(kind, (20, 60))
        papers = 3 + below(8) if kind == TrainingKind.SEMINAR else 0
        yield (
            f"{place.id}\t{kind}\t{title_of()}\t{calendar.iso[day]}\t{audience_of()}\t"
            f"{low + below(span)}\t{papers}\t\n"
        )


INSPECTION_FIELDS = (
    "area",
    "kind",
    "form",
    "held_on",
    "conducted_by",
    "subject",
    "party_organisations",
    "party_members",
    "findings",
    "violations",
    "recommendations",
    "follow_up",
)
INSPECTION_SUBJECTS = {
    InspectionKind.INSPECTION: "Kiểm tra việc lãnh đạo, chỉ đạo thực hiện dân chủ ở cơ sở",
    InspectionKind.SUPERVISION: "Giám sát việc thực hiện Quy chế dân chủ tại nơi làm việc",
}


def inspection_lines(count: int, tree: Tree, calendar: Calendar, seed: int) -> Iterator[str]:
    rng = seeded(seed)
    below = rng.randrange
    areas = area_picker(
        rng, tree, {Level.PROVINCE: 0.10, Level.DISTRICT: 0.60, Level.COMMUNE: 0.30}
    )
    kind_of = uniform(rng, InspectionKind.values)
    form_of = weighted(rng, [(InspectionForm.REGULAR, 0.6), (InspectionForm.THEMATIC, 0.4)])
    violations_of = weighted(rng, [(0, 0.7), (1, 0.2), (2, 0.07), (3, 0.03)])
    follow_up_of = weighted(
        rng,
        [
            (FollowUp.NONE, 0.3),
            (FollowUp.PENDING, 0.1),
            (FollowUp.IN_PROGRESS, 0.2),
            (FollowUp.DONE, 0.4),
        ],
    )
    body_of = uniform(rng, ("Ban Thường vụ", "Ủy ban Kiểm tra", "Ban Chỉ đạo QCDC"))
    working_day = uniform(rng, calendar.working)
    for n in range(count):
        day = working_day()
        place = areas[calendar.structure(day)]()
        kind = kind_of()
        yield (
            f"{place.id}\t{kind}\t{form_of()}\t{calendar.iso[day]}\t{body_of()} {place.name}\t"
            f"{INSPECTION_SUBJECTS[kind]} (đợt {n % 4 + 1})\t{1 + below(20)}\t{5 + below(80)}\t"
            "Cơ bản thực hiện nghiêm túc; một số nơi còn hình thức.\t"
            f"{violations_of()}\tKhắc phục hạn chế, báo cáo kết quả trong 30 ngày.\t"
            f"{follow_up_of()}\n"
        )


UNIT_FIELDS = (
    "area",
    "kind",
    "name",
    "regulation_issued",
    "regulation_date",
    "notes",
)
UNIT_EVENT_FIELDS = ("unit", "kind", "held_on", "participants", "notes")
DISTRICT_UNITS = (
    (UnitKind.STATE_AGENCY, "Phòng Nội vụ"),
    (UnitKind.STATE_AGENCY, "Phòng Tài chính - Kế hoạch"),
    (UnitKind.STATE_AGENCY, "Phòng Tài nguyên và Môi trường"),
    (UnitKind.STATE_AGENCY, "Văn phòng HĐND và UBND"),
    (UnitKind.PUBLIC_SERVICE, "Trung tâm Y tế"),
    (UnitKind.PUBLIC_SERVICE, "Trường THPT"),
    (UnitKind.PUBLIC_SERVICE, "Trung tâm Văn hóa - Thể thao"),
    (UnitKind.ENTERPRISE, "Công ty TNHH Môi trường đô thị"),
    (UnitKind.ENTERPRISE, "Hợp tác xã Dịch vụ nông nghiệp"),
    (UnitKind.ARMED_FORCES, "Ban Chỉ huy Quân sự"),
    (UnitKind.ARMED_FORCES, "Công an"),
)
PROVINCE_UNITS = (
    *((UnitKind.STATE_AGENCY, f"Sở {name}") for name in ("Nội vụ", "Tài chính", "Xây dựng")),
    *((UnitKind.STATE_AGENCY, f"Sở {name}") for name in ("Y tế", "Giáo dục và Đào tạo")),
    (UnitKind.PUBLIC_SERVICE, "Bệnh viện Đa khoa"),
    (UnitKind.PUBLIC_SERVICE, "Trường Cao đẳng"),
    (UnitKind.ENTERPRISE, "Công ty Điện lực"),
    (UnitKind.ENTERPRISE, "Công ty Cổ phần Nước sạch"),
    (UnitKind.ARMED_FORCES, "Bộ Chỉ huy Quân sự"),
    (UnitKind.ARMED_FORCES, "Công an"),
)


def unit_lines(tree: Tree, calendar: Calendar, seed: int) -> Iterator[str]:
    """Each commune itself and its school; the agencies, schools, enterprises and forces of
    each district and province. Almost all issued their regulation (Nghị định 145/2020)."""
    rng = seeded(seed)
    draw = rng.random
    any_day = uniform(rng, range(calendar.today + 1))
    for place in tree.all():
        if place.level == Level.COMMUNE:
            units = [
                (UnitKind.COMMUNE, place.name),
                (UnitKind.PUBLIC_SERVICE, f"Trường Tiểu học {place.short_name}"),
            ]
        elif place.level == Level.DISTRICT:
            units = [(kind, f"{name} {place.name}") for kind, name in DISTRICT_UNITS]
        else:
            units = [(kind, f"{name} {place.name}") for kind, name in PROVINCE_UNITS]
        for kind, name in units:
            issued = draw() < 0.96
            regulation = calendar.iso[any_day()] if issued else NULL
            yield f"{place.id}\t{kind}\t{name}\t{'t' if issued else 'f'}\t{regulation}\t\n"


def unit_event_lines(units: Sequence[int], calendar: Calendar, seed: int) -> Iterator[str]:
    """Most units' conference of officials or workers and workplace dialogue (Nghị định
    145/2020), each on a day of the calendar, one of each kind a day at most."""
    rng = seeded(seed)
    draw = rng.random
    any_day = uniform(rng, range(calendar.today + 1))
    for unit in units:
        days = {(UnitEventKind.CONFERENCE, any_day()), (UnitEventKind.DIALOGUE, any_day())}
        for kind, day in sorted(days):
            if draw() < 0.9:
                yield f"{unit}\t{kind}\t{calendar.iso[day]}\t{10 + int(draw() * 90)}\t\n"


REPORT_YEAR = 2024  # the last full year of the legacy structure, filed by districts
REPORT_FIELDS = (
    "period", "area", "status", "version", "first_submitted_at", "submitted_at",
    "accepted_at", "return_reason", "results", "limitations", "causes_subjective",
    "causes_objective", "lessons", "next_tasks", "proposals", "number", "signer",
    "signer_role", "recipients", "on_behalf",
)  # fmt: skip
VALUE_FIELDS = ("report", "indicator", "computed", "value", "text", "correction_reason")
# Where a district's report stands at the end of the year, and how often.
REPORT_STATES = (
    ("accepted", 0.80),
    ("submitted", 0.06),
    ("returned", 0.03),
    ("draft", 0.05),
    ("none", 0.06),
)
# The share of a report's sections left empty, and of the other figures.
EMPTY_SECTIONS = 0.1
EMPTY_FIGURES = 0.15


def reporting_year(seed: int) -> dict[str, int]:
    """Every legacy province's period of ``REPORT_YEAR`` and its districts' reports with
    their figures, with COPY."""
    rng = seeded(seed)
    draw = rng.random
    state = weighted(rng, REPORT_STATES)
    opens_on = datetime.date(REPORT_YEAR, 11, 15)
    due_on = datetime.date(REPORT_YEAR, 12, 15)
    # Each period's data window, the default: 15/12 of the year before to 14/12.
    window_start, window_end = ReportingPeriod.default_window(REPORT_YEAR)
    provinces = Area.objects.filter(structure=Structure.LEGACY, level=Level.PROVINCE)
    # Lists, not lazy queries: the connection is busy with the COPY while it reads them.
    periods = [
        f"{p}\t{REPORT_YEAR}\t{opens_on}\t{due_on}\t{NULL}\t{window_start}\t{window_end}\n"
        for p in provinces.order_by("id").values_list("id", flat=True)
    ]
    fields = ("province", "year", "opens_on", "due_on", "closed_on", "window_start", "window_end")
    copy_rows(ReportingPeriod, fields, periods)
    period_of = dict(
        ReportingPeriod.objects.filter(year=REPORT_YEAR).values_list("province_id", "pk")
    )
    districts = Area.objects.filter(structure=Structure.LEGACY, level=Level.DISTRICT)
    lines = []
    for district, province in districts.order_by("id").values_list("id", "parent_id"):
        status = state()
        if status == "none":
            continue
        filed = NULL
        if status != "draft":
            # Filed around the due date (Vietnam time): about one in seven after it.
            day = due_on - datetime.timedelta(days=int(draw() * 20) - 3)
            filed = f"{day.isoformat()} {8 + int(draw() * 9):02d}:{int(draw() * 60):02d}:00+07"
        accepted = filed if status == "accepted" else NULL
        reason = "Số liệu chưa khớp với sổ theo dõi" if status == "returned" else ""
        lines.append(
            f"{period_of[province]}\t{district}\t{status}\t1\t{filed}\t{filed}\t{accepted}\t"
            f"{reason}\t\t\t\t\t\t\t\t\t\t\t\tf\n"
        )
    written = {"reporting_periods": len(period_of)}
    written["annual_reports"] = copy_rows(AnnualReport, REPORT_FIELDS, lines)
    indicators = list(Indicator.objects.values_list("pk", "aggregation", "section"))
    sections = {section for _, _, section in indicators}
    reports = list(
        AnnualReport.objects.filter(period__year=REPORT_YEAR)
        .order_by("pk")
        .values_list("pk", flat=True)
    )

    def value_lines() -> Iterator[str]:
        for report in reports:
            empty = {section for section in sorted(sections) if draw() < EMPTY_SECTIONS}
            for indicator, aggregation, section in indicators:
                if aggregation == Aggregation.TEXT or section in empty or draw() < EMPTY_FIGURES:
                    yield f"{report}\t{indicator}\t{NULL}\t{NULL}\t\t\n"
                else:
                    figure = str(int(draw() * 400))
                    yield f"{report}\t{indicator}\t{figure}\t{figure}\t\t\n"

    written["report_values"] = copy_rows(ReportValue, VALUE_FIELDS, value_lines())
    return written


def settle(attempts: int = 5) -> dict[str, float]:
    """What autovacuum does on a live server, done now and completely: planner statistics,
    and the visibility map that lets counts read an index alone. Returns, per table, the
    share of its pages marked all-visible.

    A VACUUM cannot mark pages while another transaction may still not see their rows, and
    the autovacuum workers that the COPYs woke up (an ANALYZE holds a snapshot) are such
    transactions: without waiting for them (and without the flushed commits of
    ``generate``), a run would measure index-only plans on one day and full scans on the
    next.
    """
    tables = [
        m._meta.db_table
        for m in (Area, MemberUnit, Training, Inspection, Petition, AnnualReport, ReportValue)
    ]
    shares: dict[str, float] = {}
    with connection.cursor() as cursor:
        for _ in range(attempts):
            _wait_for_autovacuum(cursor)
            for table in tables:
                cursor.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(table)))
            cursor.execute(
                "SELECT relname, relallvisible::float / greatest(relpages, 1) FROM pg_class "
                "WHERE relname = ANY(%s)",
                [tables],
            )
            shares = dict(cursor.fetchall())
            if min(shares.values()) >= ALL_VISIBLE:
                break
    return shares


def mark_generated(mode: str, written: dict[str, int]) -> None:
    """Remember that this database holds a finished run's records (``--reuse``)."""
    table = sql.Identifier(MARKER_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("CREATE TABLE IF NOT EXISTS {} (mode text PRIMARY KEY, written jsonb)").format(
                table
            )
        )
        cursor.execute(
            sql.SQL(
                "INSERT INTO {} VALUES (%s, %s) ON CONFLICT (mode) DO UPDATE SET written = "
                "EXCLUDED.written"
            ).format(table),
            [mode, Jsonb({**written, "generated_on": datetime.date.today().isoformat()})],
        )


def _wait_for_autovacuum(cursor: CursorWrapper, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
        )
        if cursor.fetchone()[0] == 0:
            return
        time.sleep(0.5)


def generate(
    counts: Counts, today: datetime.date, seed: int, timer: Callable[[str], ContextManager[None]]
) -> dict[str, int]:
    """Generate every kind of record; ``timer(label)`` times each step. Returns the counts."""
    tree = Tree.load()
    calendar = Calendar(today)
    written = {}
    with connection.cursor() as cursor:
        # The throw-away server commits asynchronously; a VACUUM cannot mark the pages of a
        # COPY all-visible until its commit is flushed, so flush each one (a few commits).
        cursor.execute("SET synchronous_commit = on")
    with timer("member units"):
        written["member_units"] = copy_rows(
            MemberUnit, UNIT_FIELDS, unit_lines(tree, calendar, seed)
        )
        # A list, not a lazy query: the connection is busy with the COPY while it reads.
        units = list(MemberUnit.objects.order_by("pk").values_list("pk", flat=True))
        lines = unit_event_lines(units, calendar, seed + 5)
        written["unit_events"] = copy_rows(UnitEvent, UNIT_EVENT_FIELDS, lines)
    with timer("trainings"):
        lines = training_lines(counts.trainings, tree, calendar, seed + 1)
        written["trainings"] = copy_rows(Training, TRAINING_FIELDS, lines)
    with timer("inspections and supervisions"):
        lines = inspection_lines(counts.inspections, tree, calendar, seed + 2)
        written["inspections"] = copy_rows(Inspection, INSPECTION_FIELDS, lines)
    with timer("petitions"):
        lines = petition_lines(counts.petitions, tree, calendar, seed + 3)
        written["petitions"] = copy_rows(Petition, PETITION_FIELDS, lines)
    with timer("a reporting year"):
        written.update(reporting_year(seed + 4))
    written["areas"] = sum(1 for _ in tree.all())
    return written
