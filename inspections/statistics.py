"""Petition statistics as an inspectorate reports them, for any window of days, from the
petitions' dated facts — never their state today, so a past window's figures come out the
same whenever they are asked for.

A petition's dates are its events: received (``received_on``), accepted (thụ lý,
``accepted_on``), and the day its handling ended (``settled_on``: resolved, not accepted,
forwarded or withdrawn — states it never leaves, ``Status.CLOSED`` only follows a
resolution). Within a window [start, end]:

- carried over (kỳ trước chuyển sang): accepted before the window and not settled before it;
- received in it, by kind, complaints by round; accepted in it (thuộc thẩm quyền, đã thụ
  lý); forwarded and not accepted in it (settled so in it);
- to resolve: carried over plus accepted in it — the resolution rate's denominator
  (forwarded and rejected petitions are no one's to resolve);
- resolved in it (by the resolution day), of which on time, by kind;
- outstanding at its end (chuyển kỳ sau): accepted by then and not settled by then, of
  which overdue (past the resolution deadline on the window's closing day: its end, or
  today while it runs).

So carried over + accepted = resolved + withdrawn after acceptance + outstanding, in every
window. Every figure is a conditional count over one set of rows: one query
(``PetitionQuerySet.statistics``), and the conditions are those the report's figures and
their drill-down lists use (``reports.catalogue``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Protocol

from django.db.models import Count, F, Q

from .choices import PetitionKind, Round, Status


class Span(Protocol):
    """The days a figure counts, both ends included (``reports.catalogue.Window``)."""

    start: datetime.date
    end: datetime.date


def closing(window: Span) -> datetime.date:
    """The day "at the end" is read on: the window's end, or today while it runs."""
    return min(window.end, datetime.date.today())


def _in(field: str, window: Span) -> Q:
    return Q(**{f"{field}__range": (window.start, window.end)})


def _open_on(day: datetime.date) -> Q:
    """Not settled before ``day``."""
    return Q(settled_on__isnull=True) | Q(settled_on__gte=day)


def carried_over(window: Span) -> Q:
    return Q(accepted_on__lt=window.start) & _open_on(window.start)


def received(window: Span) -> Q:
    return _in("received_on", window)


def accepted(window: Span) -> Q:
    return _in("accepted_on", window)


def to_resolve(window: Span) -> Q:
    """Carried over, or accepted in the window."""
    return Q(accepted_on__lte=window.end) & _open_on(window.start)


def resolved(window: Span) -> Q:
    return Q(resolved_on__isnull=False) & _in("settled_on", window)


def resolved_on_time(window: Span) -> Q:
    """Resolved by the resolution deadline (a petition the law sets none for is on time)."""
    return resolved(window) & (
        Q(resolve_due_on__isnull=True) | Q(settled_on__lte=F("resolve_due_on"))
    )


def outstanding(window: Span) -> Q:
    """Chuyển kỳ sau: accepted by the window's end and not settled by it."""
    return Q(accepted_on__lte=window.end) & _open_on(window.end + datetime.timedelta(days=1))


def overdue(window: Span) -> Q:
    return outstanding(window) & Q(resolve_due_on__lt=closing(window))


def _settled_as(status: str) -> Callable[[Span], Q]:
    return lambda window: Q(status=status) & _in("settled_on", window)


def _and(condition: Callable[[Span], Q], extra: Q) -> Callable[[Span], Q]:
    return lambda window: condition(window) & extra


COMPLAINT = Q(kind=PetitionKind.COMPLAINT)
DENUNCIATION = Q(kind=PetitionKind.DENUNCIATION)
REFLECTION = Q(kind=PetitionKind.PETITION)

# code → the petitions it counts in a window; the codes are the indicator catalogue's.
FIGURES: dict[str, Callable[[Span], Q]] = {
    "petitions_carried_over": carried_over,
    "petitions_received": received,
    "complaints_received": _and(received, COMPLAINT),
    "complaints_first_round_received": _and(received, COMPLAINT & Q(round=Round.FIRST)),
    "complaints_second_round_received": _and(received, COMPLAINT & Q(round=Round.SECOND)),
    "denunciations_received": _and(received, DENUNCIATION),
    "reflections_received": _and(received, REFLECTION),
    "petitions_accepted": accepted,
    "petitions_forwarded": _settled_as(Status.FORWARDED),
    "petitions_not_accepted": _settled_as(Status.NOT_ACCEPTED),
    "petitions_to_resolve": to_resolve,
    "petitions_resolved": resolved,
    "petitions_resolved_on_time": resolved_on_time,
    "complaints_resolved": _and(resolved, COMPLAINT),
    "denunciations_resolved": _and(resolved, DENUNCIATION),
    "reflections_resolved": _and(resolved, REFLECTION),
    "petitions_outstanding": outstanding,
    "petitions_overdue": overdue,
}
RATE = "petitions_resolution_rate"


def relevant(window: Span) -> Q:
    """Every petition some figure of the window counts: received or settled in it, or
    accepted by its end and not settled before it (an indexable narrowing of the rows)."""
    return received(window) | _in("settled_on", window) | to_resolve(window)


def rate(resolved_count: int, to_resolve_count: int) -> Decimal | None:
    """Resolved ÷ (carried over + accepted), in percent to one decimal."""
    if not to_resolve_count:
        return None
    return (Decimal(100) * resolved_count / to_resolve_count).quantize(Decimal("0.1"))


def statistics(petitions, window: Span) -> dict[str, int | Decimal | None]:
    """The window's figures of ``petitions`` (a QuerySet), in one query, and the rate."""
    figures: dict[str, int | Decimal | None] = petitions.filter(relevant(window)).aggregate(
        **{code: Count("id", filter=condition(window)) for code, condition in FIGURES.items()}
    )
    figures[RATE] = rate(figures["petitions_resolved"], figures["petitions_to_resolve"])
    return figures
