"""The home page's work list: what is the user's to do now, gathered from every app.

Each app that gives its users work registers a source in its ``AppConfig.ready``: a
function of ``(user, today)`` returning the groups of work it has for that user. A group
is one kind of work (reports to file, petitions near their legal deadline…): a count and
the first few items, read with a fixed number of queries whatever the size of the
user's scope. The platform knows nothing of the apps; the apps know the platform.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

SHOWN = 5  # items listed in a group; the rest are counted and reached by its link


@dataclass(frozen=True)
class WorkItem:
    """One thing to do: what, where it is done, and by when."""

    title: str
    url: str
    detail: str = ""
    due: datetime.date | None = None
    today: datetime.date | None = None

    @property
    def late_by(self) -> int:
        """Days past the due date (0 when not late or not dated)."""
        if self.due is None or self.today is None or self.due >= self.today:
            return 0
        return (self.today - self.due).days

    @property
    def days_left(self) -> int | None:
        if self.due is None or self.today is None or self.due < self.today:
            return None
        return (self.due - self.today).days


@dataclass
class WorkGroup:
    """One kind of work: its count, the first items, and where to see them all."""

    key: str
    title: str
    icon: str
    count: int
    items: list[WorkItem] = field(default_factory=list)
    more_url: str = ""
    order: int = 100

    @property
    def more(self) -> int:
        return self.count - len(self.items)


Source = Callable[..., Iterable[WorkGroup]]
_sources: list[Source] = []


def register(source: Source) -> None:
    """Add an app's source of work (called from the app's ``ready``)."""
    if source not in _sources:
        _sources.append(source)


def work_for(user, *, today: datetime.date | None = None) -> list[WorkGroup]:
    """Every non-empty group of work of ``user`` on ``today``, most pressing kinds first."""
    if not user.is_authenticated:
        return []
    today = today or datetime.date.today()
    groups = [g for source in _sources for g in source(user, today) if g.count]
    return sorted(groups, key=lambda g: g.order)


def first_and_count(
    queryset: QuerySet, shown: int = SHOWN, count: QuerySet | None = None
) -> tuple[list, int]:
    """The first ``shown`` rows and the count of all: one query when they are all shown,
    two otherwise, never one per row or per area. ``count``: the rows to count, where
    ``queryset`` reads only the first of them."""
    rows = list(queryset[: shown + 1])
    if len(rows) <= shown:
        return rows, len(rows)
    return rows[:shown], (queryset if count is None else count).order_by().count()
