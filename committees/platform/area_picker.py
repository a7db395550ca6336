"""The area picker: type part of a name ("cao xanh", "Hạ Long"), pick among the areas of
one's own scope, each shown with its level, its parent and its map.

One search endpoint (``area_pick``) answers both uses:

- a list filter (``AreaPickerInput``): the areas the user sees; the value sent is
  ``<structure>:<code>`` ("2025:06658"), one unit exactly, and a bare code typed by hand
  (or in an old link) still means every unit of that code;
- a form (``AreaPicker``, the widget of ``AreaChoiceField``): the areas the form offers,
  those the user may edit that are in force on the record's date.

Without JavaScript the filter is a code field and the form a select; static/js/area-picker.js
turns either into a combobox (WAI-ARIA 1.2 pattern) that asks the endpoint through htmx.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..models.areas import Area
from ..models.choices import Structure

# Matches shown at once: enough to tell same-named communes apart, few enough to read.
CAP = 20


def pick_area(areas: QuerySet, value: str) -> Area | None:
    """The one unit a filter's value names among ``areas``: ``2025:06658`` exactly; a bare
    code the unit ``Area.objects.for_code`` says (in force today, else the newest)."""
    structure, sep, code = value.strip().partition(":")
    if sep and structure in Structure.values:
        return areas.filter(structure=structure, code=code.strip()).first()
    return areas.for_code(value.strip())


def area_value(area: Area) -> str:
    return f"{area.structure}:{area.code}"


class AreaPickerInput(forms.TextInput):
    """A filter's area: a code field, or with JavaScript a search by name."""

    template_name = "widgets/area_picker_input.html"

    def __init__(self, attrs: dict | None = None, area: Area | None = None) -> None:
        super().__init__(attrs)
        self.area = area  # the area the value names, when the page has read it already
        # Where to look the value's area up (the user's scope): a name outside it is never
        # shown, even to someone who typed its code.
        self.areas: models.QuerySet | None = None

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        area = self.area
        if value and area is None and self.areas is not None:
            # The unit the filter reads (``pick_area``), so the label says what is listed.
            area = pick_area(self.areas, str(value))
        context["picker"] = {
            "url": reverse("committees:area_pick"),
            "label": area.label if value and area else "",
        }
        return context


class AreaPickFilter(django_filters.CharFilter):
    """An area and its subtree, named by ``<structure>:<code>`` or a code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Địa bàn (cả cấp dưới)"))
        kwargs.setdefault("widget", AreaPickerInput)
        super().__init__(method=self.filter_subtree, **kwargs)

    def filter_subtree(self, queryset, name: str, value: str):
        """The records that count for the unit named (``counting_for``: a unit of today's
        map includes the legacy units it took over), among the areas the user sees."""
        request = getattr(self.parent, "request", None)
        areas = Area.objects.visible_to(request.user) if request is not None else Area.objects
        area = pick_area(areas.all(), value)
        return queryset.counting_for(area) if area is not None else queryset.none()


class AreaPicker(forms.Select):
    """A form's area: a select of the offered areas, or with JavaScript a search among
    them. ``model`` and ``date_field`` tell the endpoint which areas the form offers."""

    template_name = "widgets/area_picker_select.html"
    model: type[models.Model] | None = None
    date_field: str | None = None

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        params = {"scope": "editable"}
        if self.model is not None:
            params["model"] = self.model._meta.label_lower
        query = "&".join(f"{k}={v}" for k, v in params.items())
        context["picker"] = {
            "url": f"{reverse('committees:area_pick')}?{query}",
            "date_field": self.date_field or "",
        }
        return context


class _Day(forms.DateField):
    input_formats = ["%Y-%m-%d", "%d/%m/%Y"]


def _editable_offer(request: HttpRequest) -> models.QuerySet:
    """The areas a record form offers: editable by the user for that kind of record, in
    force on the date typed so far (today when none is)."""
    from .records import offered_areas  # records imports this module's widget

    model = None
    if request.GET.get("model"):
        try:
            model = apps.get_model(request.GET["model"])
        except (LookupError, ValueError):
            raise Http404 from None
        if not hasattr(model._default_manager.get_queryset(), "editor_roles"):
            raise Http404
    try:
        day = _Day(required=False).clean(request.GET.get("on", "").strip())
    except forms.ValidationError:
        day = None
    return offered_areas(request.user, model, day or datetime.date.today())


@login_required
def area_pick(request: HttpRequest) -> HttpResponse:
    """The matching areas of the user's scope as the options of a listbox (htmx)."""
    text = request.GET.get("q", "").strip()[:100]
    if request.GET.get("scope") == "editable":
        areas = _editable_offer(request)
    else:
        areas = Area.objects.visible_to(request.user)
    found = []
    if text:
        # defer(None): the form's queryset reads only what its select shows; the list
        # shows each area's parent too.
        matches = areas.search(text).defer(None).select_related("parent")
        # Today's map first ("2025" sorts before "legacy"), then down the tree.
        found = list(matches.order_by("structure", "path")[: CAP + 1])
    context = {
        "areas": [(area_value(a), a) for a in found[:CAP]],
        "more": len(found) > CAP,
        "text": text,
    }
    return render(request, "committees/partials/_area_options.html", context)
