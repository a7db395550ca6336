"""The legal deadlines of petitions, in one place: a change of law is a change here.

How time is counted (Bộ luật Dân sự 2015):
- Điều 147: a period in days starts on the day after the event (receipt, acceptance).
- Điều 148 khoản 5: a period that ends on a weekend or a public holiday ends at the end of
  the next working day.
Working days skip Saturdays, Sundays and Vietnamese public holidays, lunar Tết included,
as the ``holidays`` library publishes them (substituted days off included).

The rules:
- Complaints — Luật Khiếu nại 2011: accept within 10 days of receipt (Điều 27); resolve
  within 30 days of acceptance, 45 if complex; in remote and hard-to-reach areas 45, or 60
  if complex (Điều 28).
- Denunciations — Luật Tố cáo 2018: record, classify and check within 7 working days of
  receipt (Điều 24 khoản 1); resolve within 30 days of acceptance, extended once by 30
  days for a complex case and twice, 30 days each, for a very complex one (Điều 30).
- Petitions and reflections (kiến nghị, phản ánh): no general legal deadline; handled
  under each body's own rules, so none is computed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache

import holidays
from django.utils.translation import gettext_lazy as _

from .choices import Complexity, PetitionKind

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


# A denunciation's resolution may be extended this many times, by complexity (Điều 30).
MAX_EXTENSIONS = {Complexity.NORMAL: 0, Complexity.COMPLEX: 1, Complexity.VERY_COMPLEX: 2}
EXTENSION_DAYS = 30


def _complaint_resolution_days(complexity: str, remote: bool) -> int:
    complex_ = complexity != Complexity.NORMAL
    if remote:
        return 60 if complex_ else 45
    return 45 if complex_ else 30


def first_deadline(kind: str, received_on: datetime.date) -> Deadline | None:
    """Accepting a complaint or classifying a denunciation; None for other petitions."""
    if kind == PetitionKind.COMPLAINT:
        return Deadline(
            "first",
            str(_("Hạn thụ lý")),
            add_days(received_on, 10),
            str(_("Điều 27 Luật Khiếu nại 2011: 10 ngày kể từ ngày nhận được khiếu nại")),
        )
    if kind == PetitionKind.DENUNCIATION:
        return Deadline(
            "first",
            str(_("Hạn phân loại, xử lý ban đầu")),
            add_working_days(received_on, 7),
            str(
                _("Điều 24 khoản 1 Luật Tố cáo 2018: 07 ngày làm việc kể từ ngày nhận được tố cáo")
            ),
        )
    return None


def resolve_deadline(
    kind: str,
    accepted_on: datetime.date,
    complexity: str = Complexity.NORMAL,
    remote: bool = False,
    extensions: int = 0,
) -> Deadline | None:
    """Resolving an accepted complaint or denunciation; None for other petitions."""
    if kind == PetitionKind.COMPLAINT:
        days = _complaint_resolution_days(complexity, remote)
        return Deadline(
            "resolve",
            str(_("Hạn giải quyết")),
            add_days(accepted_on, days),
            str(
                _("Điều 28 Luật Khiếu nại 2011: %(days)s ngày kể từ ngày thụ lý (%(case)s)")
                % {"days": days, "case": _complaint_case(complexity, remote)}
            ),
        )
    if kind == PetitionKind.DENUNCIATION:
        days = 30 + EXTENSION_DAYS * extensions
        basis = _("Điều 30 Luật Tố cáo 2018: 30 ngày kể từ ngày thụ lý")
        if extensions:
            basis = _(
                "Điều 30 Luật Tố cáo 2018: 30 ngày kể từ ngày thụ lý, "
                "gia hạn %(n)s lần, mỗi lần 30 ngày"
            ) % {"n": extensions}
        return Deadline(
            "resolve", str(_("Hạn giải quyết")), add_days(accepted_on, days), str(basis)
        )
    return None


def _complaint_case(complexity: str, remote: bool) -> str:
    complex_ = complexity != Complexity.NORMAL
    if remote:
        return str(_("vùng sâu, vùng xa, vụ việc phức tạp") if complex_ else _("vùng sâu, vùng xa"))
    return str(_("vụ việc phức tạp") if complex_ else _("vụ việc thông thường"))


def can_extend(kind: str, complexity: str, extensions: int) -> bool:
    return kind == PetitionKind.DENUNCIATION and extensions < MAX_EXTENSIONS[complexity]


def deadlines(petition) -> list[Deadline]:
    """Every deadline that applies to a petition in its current state."""
    found = [first_deadline(petition.kind, petition.received_on)]
    if petition.accepted_on:
        found.append(
            resolve_deadline(
                petition.kind,
                petition.accepted_on,
                petition.complexity,
                petition.remote_area,
                petition.extensions,
            )
        )
    return [d for d in found if d is not None]
