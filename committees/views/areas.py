"""The home page of one's scope, the area browser, and an area's page with its figures."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Sum
from django.db.models.functions import ExtractMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from ..filters import AreaFilter
from ..models import (
    AnnualPlan,
    Area,
    Commendation,
    Document,
    Membership,
    MemberUnit,
    PlanTask,
    SteeringCommittee,
    Structure,
    Training,
    TypicalModel,
)
from ..platform.filters import chosen_year, year_choices
from ..platform.percent import share
from ..platform.worklist import work_for

PAGE_SIZE = 50


def _page(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _template(request: HttpRequest, full: str, partial: str) -> str:
    """One view serves the page or, for an htmx request, only the part it replaces."""
    return partial if request.htmx and not request.htmx.boosted else full


def _subtree_counts(area: Area) -> dict[str, int]:
    rows = Area.objects.within(area).exclude(pk=area.pk).values("level").annotate(n=Count("id"))
    return {row["level"]: row["n"] for row in rows}


def _active_committee(area: Area) -> SteeringCommittee | None:
    """The area's active committee with its members in office today and latest decision."""
    members = Membership.objects.on(datetime.date.today()).by_rank()
    return (
        SteeringCommittee.objects.filter(area=area, is_active=True)
        .with_latest_decision()
        .prefetch_related(Prefetch("memberships", queryset=members, to_attr="sitting"))
        .first()
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What is the user's to do now (the work list), then each assigned area with its
    size and active committee."""
    user = request.user
    scopes = [
        {
            "assignment": a,
            "counts": _subtree_counts(a.area),
            "committee": SteeringCommittee.objects.filter(area=a.area, is_active=True).first(),
        }
        for a in user.role_assignments()
    ]
    context = {"scopes": scopes, "work": work_for(user, today=datetime.date.today())}
    return render(request, "committees/home.html", context)


@login_required
def area_list(request: HttpRequest) -> HttpResponse:
    """The area browser: the roots of one's scope, or a search within it."""
    visible = Area.objects.visible_to(request.user).select_related("parent")
    filterset = AreaFilter(request.GET, queryset=visible, request=request)
    areas = filterset.qs
    searching = any(request.GET.get(k) for k in ("q", "level", "parent", "valid_on"))
    if not searching:
        if request.user.is_superuser:
            structure = request.GET.get("structure") or Structure.Y2025
            areas = areas.filter(parent__isnull=True, structure=structure)
        else:
            areas = areas.filter(pk__in=[a.area_id for a in request.user.role_assignments()])
    page = _page(request, areas.order_by("path"))
    context = {"filter": filterset, "page": page, "searching": searching}
    template = _template(
        request, "committees/area_list.html", "committees/partials/_area_rows.html"
    )
    return render(request, template, context)


def _area_or_404(request: HttpRequest, code: str) -> Area:
    """The area this code means in the user's scope (``Area.objects.for_code``: the unit
    in force today where codes were reused), or on the map ``?structure=`` names."""
    candidates = Area.objects.visible_to(request.user).select_related("parent")
    structure = request.GET.get("structure")
    if structure:
        candidates = candidates.filter(structure=structure)
    area = candidates.for_code(code)
    if area is None:
        raise Http404
    return area


def _training_figures(area: Area, year: int) -> dict:
    """The year's trainings of an area's subtree: totals and attendances by month."""
    trainings = Training.objects.within(area).in_year(year)
    by_month = dict(
        trainings.annotate(month=ExtractMonth("held_on"))
        .values("month")
        .annotate(n=Sum("attendances"))
        .values_list("month", "n")
    )
    return {
        **trainings.totals(),
        "chart": {
            "type": "bar",
            "labels": [f"{m:02d}" for m in range(1, 13)],
            "label": gettext("Lượt người tham dự tập huấn, tuyên truyền"),
            "values": [by_month.get(m, 0) for m in range(1, 13)],
        },
    }


def _unit_figures(area: Area, year: int) -> dict:
    """Member units of the subtree at the end of the year (today, for this year) and the
    share of them that had issued their regulation by then."""
    on = min(datetime.date(year, 12, 31), datetime.date.today())
    figures = MemberUnit.objects.within(area).regulation_figures(on)
    figures["share"] = share(figures["with_regulation"], figures["units"])
    return figures


@login_required
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An area: where it sits, its committee, its units, and what it became or came from."""
    area = _area_or_404(request, code)
    visible = Area.objects.visible_to(request.user)
    children = visible.filter(parent=area).search(request.GET.get("q", ""))
    page = _page(request, children.order_by("path"))
    if request.htmx and not request.htmx.boosted:
        return render(request, "committees/partials/_child_rows.html", {"area": area, "page": page})
    visible_ids = set(visible.filter(code__in=area.ancestor_codes).values_list("id", flat=True))
    year = chosen_year(request)
    context = {
        "year": year,
        "years": [y for y, _label in year_choices()],
        "trainings": _training_figures(area, year),
        "units": _unit_figures(area, year),
        "documents": Document.objects.within(area).filter(issued_on__year=year).count(),
        "typical_models": TypicalModel.objects.within(area)
        .filter(recognised_on__year=year)
        .count(),
        "commendations": Commendation.objects.within(area).filter(awarded_on__year=year).count(),
        "plans": {
            "plans": AnnualPlan.objects.within(area).in_year(year).count(),
            **PlanTask.objects.within(area).filter(plan__year=year).progress(),
        },
        "area": area,
        "ancestors": [(a, a.pk in visible_ids) for a in area.ancestors()],
        "counts": _subtree_counts(area),
        "committee": _active_committee(area),
        "page": page,
        "predecessors": visible.filter(successors=area),
        "successors": visible.filter(predecessors=area),
    }
    return render(request, "committees/area_detail.html", context)
