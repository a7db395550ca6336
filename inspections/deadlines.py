"""The legal deadlines of petitions, in one place: a change of law is a change here.

How time is counted (Bộ luật Dân sự 2015):
- Điều 147: a period in days starts on the day after the event (receipt, acceptance).
- Điều 148 khoản 5: a period that ends on a weekend or a public holiday ends at the end of
  the next working day.
Working days skip Saturdays, Sundays and Vietnamese public holidays, lunar Tết included,
as the ``holidays`` library publishes them (substituted days off included).

The rules (``RULES``), each with the day from which it applies:
- Complaints, first round — Luật Khiếu nại 2011 (in force 01/07/2012): accept within 10
  days of receipt (Điều 27); resolve within 30 days of acceptance, 45 if complex; in remote
  and hard-to-reach areas 45, or 60 if complex (Điều 28).
- Complaints, second round — the same law: accept within 10 days of receipt (Điều 36);
  resolve within 45 days of acceptance, 60 if complex; in remote and hard-to-reach areas
  60, or 70 if complex (Điều 37).
- Denunciations — Luật Tố cáo 2018 (in force 01/01/2019): record, classify and check
  within 7 working days of receipt, extendable for verification (several places to check,
  or a check entrusted to another body) by up to 10 working days (Điều 24 khoản 1);
  resolve within 30 days of acceptance, extended once by 30 days for a complex case and
  twice, 30 days each, for a very complex one (Điều 30).
- Petitions and reflections (kiến nghị, phản ánh): no general legal deadline; handled
  under each body's own rules, so none is computed.

A change of law is a new rule with the day it applies from, beside the old one: a petition
takes the rules in force on the day it was received, so an old petition keeps its old
deadlines (``rule_for``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import holidays
from django.utils.translation import gettext_lazy as _

from .choices import Complexity, PetitionKind, Round

ONE_DAY = datetime.timedelta(days=1)


@cache
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=range(year - 1, year + 3), language="vi")


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _calendar(day.year)


def holiday_name(day: datetime.date) -> str | None:
    return _calendar(day.year).get(day)


def add_days(start: datetime.date, days: int) -> datetime.date:
    """``days`` calendar days after ``start``; moved to the next working day if it ends
    on a day off (BLDS 2015, Điều 147 and 148)."""
    end = start + datetime.timedelta(days=days)
    while not is_working_day(end):
        end += ONE_DAY
    return end


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The ``days``-th working day after ``start``."""
    day = start
    while days > 0:
        day += ONE_DAY
        if is_working_day(day):
            days -= 1
    return day


@dataclass(frozen=True)
class Deadline:
    """A due date with the article it comes from."""

    step: str  # "first" (accept or classify) or "resolve"
    label: str
    due_on: datetime.date
    basis: str


@dataclass(frozen=True)
class Case:
    """What a rule needs to know of a petition: its kind and round, how complex, where,
    and how often its steps were extended."""

    kind: str
    round: str = Round.FIRST
    complexity: str = Complexity.NORMAL
    remote: bool = False
    extensions: int = 0
    verification_days: int = 0


@dataclass(frozen=True)
class Rule:
    """One step's deadline for one kind (and round) of petition, from ``applies_from``:
    ``due(start, case)`` gives the due day and the article, counted from receipt (the first
    step) or acceptance (the resolution)."""

    kind: str
    step: str
    applies_from: datetime.date
    due: Callable[[datetime.date, Case], tuple[datetime.date, str]]
    round: str = Round.FIRST


# A denunciation's resolution may be extended this many times, by complexity (Điều 30).
MAX_EXTENSIONS = {Complexity.NORMAL: 0, Complexity.COMPLEX: 1, Complexity.VERY_COMPLEX: 2}
EXTENSION_DAYS = 30
# The first step of a denunciation may be extended for verification by up to this many
# working days, once (Điều 24 khoản 1 Luật Tố cáo 2018).
MAX_VERIFICATION_DAYS = 10

COMPLAINTS_2011 = datetime.date(2012, 7, 1)  # Luật Khiếu nại số 02/2011/QH13
DENUNCIATIONS_2018 = datetime.date(2019, 1, 1)  # Luật Tố cáo số 25/2018/QH14

# Days to resolve a complaint: (normal, complex) in ordinary and in remote areas.
FIRST_ROUND_DAYS = {False: (30, 45), True: (45, 60)}  # Điều 28
SECOND_ROUND_DAYS = {False: (45, 60), True: (60, 70)}  # Điều 37


def _complaint_resolution_days(complexity: str, remote: bool, round_: str = Round.FIRST) -> int:
    table = SECOND_ROUND_DAYS if round_ == Round.SECOND else FIRST_ROUND_DAYS
    return table[remote][complexity != Complexity.NORMAL]


def _complaint_accepted(article: str) -> Callable[[datetime.date, Case], tuple]:
    def due(received_on: datetime.date, case: Case) -> tuple[datetime.date, str]:
        return add_days(received_on, 10), str(
            _("Điều %(article)s Luật Khiếu nại 2011: 10 ngày kể từ ngày nhận được khiếu nại")
            % {"article": article}
        )

    return due


def _complaint_resolved(article: str) -> Callable[[datetime.date, Case], tuple]:
    def due(accepted_on: datetime.date, case: Case) -> tuple[datetime.date, str]:
        days = _complaint_resolution_days(case.complexity, case.remote, case.round)
        return add_days(accepted_on, days), str(
            _("Điều %(article)s Luật Khiếu nại 2011: %(days)s ngày kể từ ngày thụ lý (%(case)s)")
            % {
                "article": article,
                "days": days,
                "case": _complaint_case(case.complexity, case.remote),
            }
        )

    return due


def _denunciation_classified(received_on: datetime.date, case: Case) -> tuple:
    basis = _("Điều 24 khoản 1 Luật Tố cáo 2018: 07 ngày làm việc kể từ ngày nhận được tố cáo")
    if case.verification_days:
        basis = _(
            "Điều 24 khoản 1 Luật Tố cáo 2018: 07 ngày làm việc kể từ ngày nhận được tố cáo, "
            "kéo dài thêm %(n)s ngày làm việc để kiểm tra, xác minh"
        ) % {"n": case.verification_days}
    return add_working_days(received_on, 7 + case.verification_days), str(basis)


def _denunciation_resolved(accepted_on: datetime.date, case: Case) -> tuple:
    days = 30 + EXTENSION_DAYS * case.extensions
    basis = _("Điều 30 Luật Tố cáo 2018: 30 ngày kể từ ngày thụ lý")
    if case.extensions:
        basis = _(
            "Điều 30 Luật Tố cáo 2018: 30 ngày kể từ ngày thụ lý, "
            "gia hạn %(n)s lần, mỗi lần 30 ngày"
        ) % {"n": case.extensions}
    return add_days(accepted_on, days), str(basis)


COMPLAINT, DENUNCIATION = PetitionKind.COMPLAINT, PetitionKind.DENUNCIATION

RULES: list[Rule] = [
    Rule(COMPLAINT, "first", COMPLAINTS_2011, _complaint_accepted("27")),
    Rule(COMPLAINT, "resolve", COMPLAINTS_2011, _complaint_resolved("28")),
    Rule(COMPLAINT, "first", COMPLAINTS_2011, _complaint_accepted("36"), Round.SECOND),
    Rule(COMPLAINT, "resolve", COMPLAINTS_2011, _complaint_resolved("37"), Round.SECOND),
    Rule(DENUNCIATION, "first", DENUNCIATIONS_2018, _denunciation_classified),
    Rule(DENUNCIATION, "resolve", DENUNCIATIONS_2018, _denunciation_resolved),
]

LABELS = {
    (COMPLAINT, "first"): _("Hạn thụ lý"),
    (DENUNCIATION, "first"): _("Hạn phân loại, xử lý ban đầu"),
}


def rule_for(kind: str, step: str, received_on: datetime.date, round_: str = Round.FIRST):
    """The rule of ``step`` in force on the day a petition was received: the latest whose
    ``applies_from`` is not after it (the earliest rule for a petition older than every
    rule, so that none goes without a deadline). None where the law sets no deadline."""
    if kind != COMPLAINT:
        round_ = Round.FIRST  # only complaints have a second round
    candidates = sorted(
        (r for r in RULES if r.kind == kind and r.step == step and r.round == round_),
        key=lambda r: r.applies_from,
    )
    if not candidates:
        return None
    in_force = [r for r in candidates if r.applies_from <= received_on]
    return in_force[-1] if in_force else candidates[0]


def first_deadline(
    kind: str,
    received_on: datetime.date,
    round: str = Round.FIRST,
    verification_days: int = 0,
) -> Deadline | None:
    """Accepting a complaint or classifying a denunciation; None for other petitions."""
    rule = rule_for(kind, "first", received_on, round)
    if rule is None:
        return None
    case = Case(kind, round, verification_days=verification_days)
    due_on, basis = rule.due(received_on, case)
    return Deadline("first", str(LABELS[(kind, "first")]), due_on, basis)


def resolve_deadline(
    kind: str,
    accepted_on: datetime.date,
    complexity: str = Complexity.NORMAL,
    remote: bool = False,
    extensions: int = 0,
    *,
    round: str = Round.FIRST,
    received_on: datetime.date | None = None,
) -> Deadline | None:
    """Resolving an accepted complaint or denunciation, by the rule in force on the day
    it was received (``accepted_on`` when not given); None for other petitions."""
    rule = rule_for(kind, "resolve", received_on or accepted_on, round)
    if rule is None:
        return None
    case = Case(kind, round, complexity, remote, extensions)
    due_on, basis = rule.due(accepted_on, case)
    return Deadline("resolve", str(_("Hạn giải quyết")), due_on, basis)


def _complaint_case(complexity: str, remote: bool) -> str:
    complex_ = complexity != Complexity.NORMAL
    if remote:
        return str(_("vùng sâu, vùng xa, vụ việc phức tạp") if complex_ else _("vùng sâu, vùng xa"))
    return str(_("vụ việc phức tạp") if complex_ else _("vụ việc thông thường"))


def can_extend(kind: str, complexity: str, extensions: int) -> bool:
    return kind == PetitionKind.DENUNCIATION and extensions < MAX_EXTENSIONS[complexity]


def deadlines(petition) -> list[Deadline]:
    """Every deadline that applies to a petition in its current state, by the rules in
    force on the day it was received."""
    found = [
        first_deadline(
            petition.kind, petition.received_on, petition.round, petition.verification_days
        )
    ]
    if petition.accepted_on:
        found.append(
            resolve_deadline(
                petition.kind,
                petition.accepted_on,
                petition.complexity,
                petition.remote_area,
                petition.extensions,
                round=petition.round,
                received_on=petition.received_on,
            )
        )
    return [d for d in found if d is not None]
