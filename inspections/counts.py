"""The petitions dashboard's counts, kept current with every write of a petition.

Counting two million petitions took the dashboard 1.3 to 1.7 s for the whole country; it now
reads a few hundred rows of counts. Each petition counts once in every scope it lies in —
the path of its area and of each ancestor, and its structure's root (``legacy/``,
``2025/``) — so a user's scope, or one area's subtree, is a handful of scopes to add up:

- ``PetitionMonthCount`` (scope, month of receipt): received, by kind, from a crowd,
  resolved, by field — the year's figures and charts;
- ``PetitionDueCount`` (scope, due day): the open petitions by the deadline of the step
  they wait for — open, overdue, backlog (tồn đọng) and prolonged (kéo dài) on any day are
  sums over the days before it, so the counts never go stale as days pass.

``apply`` takes a petition's row as stored before a write and after it (``locked`` reads it
and locks it, so that no other write changes it in between) and adds the difference, in the
write's transaction; the model's ``save()`` and ``delete()`` and its QuerySet's bulk
writes call it (``inspections.models``). A write that bypasses the ORM (COPY, raw SQL) is
followed by ``rebuild()`` (``manage.py rebuild_petition_counts``), which recounts
everything from the petitions.

Concurrent writes to the same scope and month or day wait for each other's commit on the
count's row (a root's rows take every write of the country): a petition's write is a few
milliseconds, and the rows are always updated in the same order, so two writes never
deadlock on them.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.apps import apps as django_apps
from django.db import connection, models, transaction
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import Coalesce, Concat, ExtractMonth, TruncMonth

from committees.models import Area, Structure, covering_paths

from .choices import (
    BEFORE_ACCEPTANCE,
    BEING_HANDLED,
    OPEN,
    RESOLVED,
    Complexity,
    PetitionField,
    PetitionKind,
)
from .models import NO_DEADLINE, PetitionDueCount, PetitionMonthCount

# What a petition's counts depend on, as ``locked`` and ``stored`` read it.
FIELDS = (
    "pk",
    "area__path",
    "received_on",
    "kind",
    "field",
    "is_crowd",
    "status",
    "complexity",
    "first_due_on",
    "resolve_due_on",
)
KINDS = {
    PetitionKind.COMPLAINT: "complaints",
    PetitionKind.DENUNCIATION: "denunciations",
    PetitionKind.PETITION: "petitions",
}
PETITION_FIELDS = {value: f"field_{value}" for value in PetitionField.values}
MONTH_FIGURES = ("received", *KINDS.values(), "crowd", "resolved", *PETITION_FIELDS.values())
DUE_FIGURES = ("awaiting", "handled", "handled_complex")


def scopes_of(path: str) -> list[str]:
    """``legacy/22/193/`` lies in ``legacy/``, ``legacy/22/`` and ``legacy/22/193/``."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def roots_of(user, area: Area | None = None) -> list[str]:
    """The scopes whose sum is what ``user`` sees (``visible_to``: a superuser, both
    structures; a unit of today's map with the legacy units it took over, as
    ``User.scope_paths`` inherits them), or what one area's own people see (an area the
    user sees)."""
    if user.is_superuser:
        seen = [f"{structure}/" for structure in Structure.values]
    else:
        seen = covering_paths(user.scope_paths())
    if area is None:
        return seen
    # What the area counts, as far as the user sees it (scopes are subtrees: two of them
    # meet in the deeper one).
    wanted = area_roots(area)
    return covering_paths(
        [a for a in wanted for b in seen if a.startswith(b)]
        + [b for b in seen for a in wanted if b.startswith(a)]
    )


def area_roots(area: Area) -> list[str]:
    """An area's subtree; for a unit of today's map also the legacy units it took over
    (the same rule as ``User.scope_paths``): a province of today counts its predecessor
    provinces' petitions and their former districts' and communes', a commune of today
    its predecessors' — what its own people's dashboard shows."""
    if area.structure != Structure.Y2025:
        return [area.path]
    legacy = Area.objects.filter(
        Q(successors=area) | Q(attributed_to=area), structure=Structure.LEGACY
    )
    return covering_paths([area.path, *legacy.values_list("path", flat=True)])


def locked(petitions: models.QuerySet) -> list[dict]:
    """The petitions' rows as stored, locked until the end of the transaction."""
    return list(petitions.select_for_update(of=("self",)).order_by("pk").values(*FIELDS))


def stored(petitions: models.QuerySet) -> list[dict]:
    return list(petitions.order_by("pk").values(*FIELDS))


def month_figures(row: dict) -> dict[str, int]:
    """What a petition counts as in the month it was received."""
    figures = {
        "received": 1,
        "crowd": int(row["is_crowd"]),
        "resolved": int(row["status"] in RESOLVED),
    }
    for column in (KINDS.get(row["kind"]), PETITION_FIELDS.get(row["field"])):
        if column:
            figures[column] = 1
    return figures


def due_figures(row: dict) -> tuple[datetime.date, dict[str, int]] | None:
    """The day an open petition's step is due, and what it counts as; None once closed."""
    if row["status"] in BEFORE_ACCEPTANCE:
        return row["first_due_on"] or NO_DEADLINE, {"awaiting": 1}
    if row["status"] in BEING_HANDLED:
        figures = {"handled": 1, "handled_complex": int(row["complexity"] != Complexity.NORMAL)}
        return row["resolve_due_on"] or NO_DEADLINE, figures
    return None


def apply(removed: Iterable[dict] = (), added: Iterable[dict] = ()) -> None:
    """Count ``removed`` rows out and ``added`` rows in, in every scope they lie in."""
    months: defaultdict[tuple, Counter] = defaultdict(Counter)
    days: defaultdict[tuple, Counter] = defaultdict(Counter)
    for sign, rows in ((-1, removed), (1, added)):
        for row in rows:
            month = row["received_on"].replace(day=1)
            figures = {name: sign * n for name, n in month_figures(row).items()}
            due = due_figures(row)
            for scope in scopes_of(row["area__path"]):
                months[scope, month].update(figures)
                if due:
                    days[scope, due[0]].update({name: sign * n for name, n in due[1].items()})
    _add(PetitionMonthCount, ("scope", "month"), MONTH_FIGURES, months)
    _add(PetitionDueCount, ("scope", "due_on"), DUE_FIGURES, days)


def _add(model, key: tuple[str, str], figures: tuple[str, ...], changes: dict) -> None:
    """Add ``changes`` to the rows of ``model`` (created at zero), in one statement."""
    rows = [
        (*k, *(change[name] for name in figures))
        for k, change in sorted(changes.items())
        if any(change.values())
    ]
    if not rows:
        return
    quote = connection.ops.quote_name
    table, columns = quote(model._meta.db_table), [*key, *figures]
    values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    increments = ", ".join(
        f"{quote(n)} = {table}.{quote(n)} + EXCLUDED.{quote(n)}" for n in figures
    )
    sql = (
        f"INSERT INTO {table} ({', '.join(map(quote, columns))}) VALUES {values} "  # noqa: S608
        f"ON CONFLICT ({', '.join(map(quote, key))}) DO UPDATE SET {increments}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


# --- Reading ---------------------------------------------------------------------------------


def figures(roots: list[str], year: int, today: datetime.date) -> dict:
    """The dashboard's figures of ``roots`` (``roots_of``) from the counts: two queries.
    The same as ``recount`` of the petitions those scopes hold."""
    months = PetitionMonthCount.objects.filter(scope__in=roots, month__year=year)
    total: Counter = Counter()
    by_month: Counter = Counter()
    for month, *values in months.values_list("month", *MONTH_FIGURES):
        row = dict(zip(MONTH_FIGURES, values, strict=True))
        total.update(row)
        by_month[month.month] += row["received"]
    past = Q(due_on__lt=today)
    due = PetitionDueCount.objects.filter(scope__in=roots).aggregate(
        open=models.Sum(F("awaiting") + F("handled")),
        overdue=models.Sum(F("awaiting") + F("handled"), filter=past),
        backlog=models.Sum("handled", filter=past),
        prolonged=models.Sum("handled_complex", filter=past),
    )
    counts = {name: total[name] for name in ("received", *KINDS.values(), "crowd", "resolved")}
    counts |= {name: value or 0 for name, value in due.items()}
    return {
        "counts": counts,
        "by_month": {month: by_month[month] for month in range(1, 13)},
        "by_field": {value: total[column] for value, column in PETITION_FIELDS.items()},
    }


def recount(petitions: models.QuerySet, year: int, today: datetime.date) -> dict:
    """The same figures counted from the petitions themselves (what the dashboard did
    before the counts; the benchmark and the tests check the counts against it)."""
    received = petitions.filter(received_on__year=year)
    of_kind = {column: Count("id", filter=Q(kind=kind)) for kind, column in KINDS.items()}
    counts = received.aggregate(
        received=Count("id"),
        **of_kind,
        crowd=Count("id", filter=Q(is_crowd=True)),
        resolved=Count("id", filter=Q(status__in=RESOLVED)),
    )
    counts["open"] = petitions.open().count()
    counts["overdue"] = petitions.overdue(today).count()
    counts["backlog"] = petitions.backlog(today).count()
    counts["prolonged"] = petitions.prolonged(today).count()
    by_month = dict(
        received.annotate(month=ExtractMonth("received_on"))
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    by_field = dict(received.values("field").annotate(n=Count("id")).values_list("field", "n"))
    return {
        "counts": counts,
        "by_month": {month: by_month.get(month, 0) for month in range(1, 13)},
        "by_field": {value: by_field.get(value, 0) for value in PETITION_FIELDS},
    }


# --- Rebuilding ------------------------------------------------------------------------------

# A petition's area and its ancestors, as far as the deepest area goes (province, district,
# commune: ``rebuild`` checks that no area lies deeper).
ANCESTORS = ("area", "area__parent", "area__parent__parent")
PETITION, MONTHS, DAYS = (
    ("inspections", "Petition"),
    ("inspections", "PetitionMonthCount"),
    ("inspections", "PetitionDueCount"),
)


@transaction.atomic
def rebuild(registry=django_apps) -> dict[str, int]:
    """Recount everything from the petitions, in the database: for each scope level, one
    ``INSERT … SELECT … GROUP BY`` per table. Returns the rows of each table.

    ``registry``: a migration's historical models (``0006_petition_counts`` builds the
    first counts); the columns are those of the model it gives."""
    area, petition = registry.get_model("committees", "Area"), registry.get_model(*PETITION)
    months, days = registry.get_model(*MONTHS), registry.get_model(*DAYS)
    if area.objects.filter(**{"__".join(["parent"] * len(ANCESTORS)) + "__isnull": False}):
        raise RuntimeError("An area lies deeper than the counts' scopes reach (ANCESTORS).")
    months.objects.all().delete()
    days.objects.all().delete()
    levels = [(f"{a}__isnull", F(f"{a}__path")) for a in ANCESTORS]
    for present, scope in [*levels, (None, Concat("area__structure", Value("/")))]:
        petitions = petition.objects.filter(**{present: False}) if present else petition.objects
        received = petitions.values(scope=scope, month=TruncMonth("received_on"))
        _insert(months, received, _month_aggregates())
        waiting = petitions.filter(status__in=OPEN).values(scope=scope, due_on=_due_day())
        _insert(days, waiting, _due_aggregates())
    return {"month_rows": months.objects.count(), "due_rows": days.objects.count()}


def _month_aggregates() -> dict[str, Count]:
    return {
        "received": Count("id"),
        **{column: Count("id", filter=Q(kind=kind)) for kind, column in KINDS.items()},
        "crowd": Count("id", filter=Q(is_crowd=True)),
        "resolved": Count("id", filter=Q(status__in=RESOLVED)),
        **{column: Count("id", filter=Q(field=value)) for value, column in PETITION_FIELDS.items()},
    }


def _due_day() -> models.Expression:
    return Coalesce(
        Case(
            When(status__in=BEFORE_ACCEPTANCE, then=F("first_due_on")),
            default=F("resolve_due_on"),
        ),
        Value(NO_DEADLINE),
    )


def _due_aggregates() -> dict[str, Count]:
    handled = Q(status__in=BEING_HANDLED)
    return {
        "awaiting": Count("id", filter=Q(status__in=BEFORE_ACCEPTANCE)),
        "handled": Count("id", filter=handled),
        "handled_complex": Count("id", filter=handled & ~Q(complexity=Complexity.NORMAL)),
    }


def _insert(model, grouped: models.QuerySet, aggregates: dict) -> None:
    """``INSERT INTO model (…) SELECT …`` of ``grouped`` (a ``values()`` of the key's two
    expressions) with the aggregates of the model's columns, added to the rows that a
    lower level already wrote (a district's own petitions, then its communes'): the
    database does it all."""
    columns = {field.name for field in model._meta.fields}
    aggregates = {name: value for name, value in aggregates.items() if name in columns}
    query = grouped.annotate(**aggregates).order_by()
    sql, params = query.query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    # The selected columns, in order: the key's expressions, then the aggregates.
    key = [quote(name) for name in grouped.query.annotation_select]
    names = ", ".join([*key, *map(quote, aggregates)])
    increments = ", ".join(f"{n} = {table}.{n} + EXCLUDED.{n}" for n in map(quote, aggregates))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) {sql} "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {increments}",
            params,
        )
