"""The records behind a figure: every computed indicator links to the list of its record
kind holding exactly the records it counts (DESIGN.md: "a figure in a summary opens the
records behind it").

The lists are the generic record pages of committees and inspections, which know nothing
of reports: each computed indicator is declared to them (``committees.platform.filters
.COUNTED``) with the rows it counts (``Measure.rows``: its date field in the window, its
condition) and how it totals them; a link names the indicator, the window and the area
whose figures it is (``counting_for``: the area's subtree and, on today's map, the legacy
units that became it — as ``computed_figures`` reads them).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from urllib.parse import urlencode

from django.db import models
from django.db.models.functions import Coalesce

from committees.models import Area
from committees.platform.filters import COUNTED, Counted
from committees.platform.records import RecordKind

from .catalogue import MEASURES, Measure, Window
from .models import Indicator

BY_CODE: dict[str, Measure] = {m.code: m for m in MEASURES}


def _label(code: str) -> str:
    indicator = Indicator.objects.filter(code=code).first()
    return indicator.label if indicator else code


def _rows(measure: Measure, queryset: models.QuerySet, start, end) -> models.QuerySet:
    return measure.rows(queryset, Window(start, end))


def _total(measure: Measure, queryset: models.QuerySet) -> Decimal:
    figure = queryset.aggregate(total=Coalesce(measure.aggregate(measure.field), 0))["total"]
    return Decimal(figure)


def register() -> None:
    """Declare every computed indicator to the record lists (at start-up)."""
    for measure in MEASURES:
        summed = ""
        if measure.field != "id":
            summed = str(measure.model._meta.get_field(measure.field).verbose_name)
        COUNTED[measure.code] = Counted(
            model=measure.model,
            label=partial(_label, measure.code),
            rows=partial(_rows, measure),
            total=partial(_total, measure),
            summed=summed,
        )


def figure_links(window: Window) -> Callable[..., str | None]:
    """``link(code, area=…)`` or ``link(code, own_to=…, level=…)``: the list of the
    records behind one figure, or None where the figure is not read from records that
    have a list (a manual figure, a ratio, committee decisions)."""
    # The query string is built from parts encoded once: a country's summary asks for
    # tens of thousands of links.
    starts: dict[str, str | None] = {}

    def start(code: str) -> str | None:
        """The list's URL and ``counted=code``."""
        if code not in starts:
            measure = BY_CODE.get(code)
            kind = RecordKind.of(measure.model) if measure else None
            starts[code] = f"{kind.url('list')}?{urlencode({'counted': code})}" if kind else None
        return starts[code]

    span = urlencode({"start": window.start.isoformat(), "end": window.end.isoformat()})

    def link(
        code: str, area: Area | None = None, own_to: Area | None = None, level: str = ""
    ) -> str | None:
        url = start(code)
        if url is None:
            return None
        where = {"counting_for": area.pk} if area is not None else {"own_to": own_to.pk}
        if level:
            where["area_level"] = level
        return f"{url}&{urlencode(where)}&{span}"

    return link
