"""The pages every kind of record has: a list (filters, sorting, pagination, XLSX export),
a detail page with its change history, and create / edit / delete forms.

A kind of record declares a ``RecordKind`` (its model, form, FilterSet, columns and URL
names); the views here read it. Every read goes through ``visible_to`` and every write
through ``editable_by``: outside one's scope a record answers 404, inside it a read-only
role gets 403.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View

from qcdc_portal.dates import DayInput

from ..models.areas import Area
from ..models.choices import Level
from .area_picker import AreaPicker
from .filters import year_choices
from .xlsx import workbook_bytes, xlsx_response

PAGE_SIZE = 25
# Every declared kind of record by its model, so other apps can link to a model's list
# (a report's figure opens the records behind it) without importing the kinds.
KINDS: dict[type[models.Model], RecordKind] = {}


class CappedPaginator(Paginator):
    """Counts up to ``cap`` rows. The exact length of a national list (two million
    petitions) costs more than the page itself and tells its reader nothing a filter
    would not: past the cap the page says "more than 10,000" and pages stop there."""

    cap = 10_000

    @cached_property
    def _counted(self) -> int:
        # Unordered: the order does not change how many rows there are, and sorting a
        # province's tens of thousands of rows to count them took ten times the page.
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap


@dataclass(frozen=True)
class Column:
    """A column of a list and of its XLSX export."""

    label: str
    value: Callable[[Any], Any]
    sort: str | None = None  # the field the list may be sorted by
    link: bool = False
    wide_only: bool = False  # hidden on a phone, where only the essential columns fit

    @property
    def css_class(self) -> str:
        return "d-none d-md-table-cell" if self.wide_only else ""


@dataclass(frozen=True)
class RecordKind:
    """Everything the generic pages need to know about one kind of record."""

    model: type[models.Model]
    form_class: type[forms.ModelForm]
    filterset_class: type
    columns: list[Column]
    url_prefix: str  # "committees:training" → training_list, training_detail, …
    title: str
    select_related: tuple[str, ...] = ("area",)
    default_sort: str = "-id"
    detail_fields: list[str] = field(default_factory=list)
    import_url_name: str | None = None  # a page that imports this kind from a sheet
    # Extra columns computed in the database (annotations) for the list and its export.
    annotate: Callable[[models.QuerySet], models.QuerySet] | None = None
    # A CSS class for a row that must stand out (an overdue task).
    row_class: Callable[[Any], str] | None = None
    # A detail page with more than the fields: its template and what it adds to the context.
    detail_template: str = "records/detail.html"
    detail_context: Callable[[Any, HttpRequest], dict] | None = None

    def __post_init__(self) -> None:
        KINDS.setdefault(self.model, self)

    @classmethod
    def of(cls, model: type[models.Model]) -> RecordKind | None:
        """The kind of record whose pages list ``model`` (None if it has none)."""
        return KINDS.get(model)

    def list_queryset(self, user) -> models.QuerySet:
        queryset = self.model.objects.visible_to(user).select_related(*self.select_related)
        return self.annotate(queryset) if self.annotate else queryset

    def url(self, action: str, *args: object) -> str:
        return reverse(f"{self.url_prefix}_{action}", args=args)


def editor_roles(model: type[models.Model]) -> frozenset[str]:
    """The roles that may write records of ``model`` (see ``ScopedQuerySet.editor_roles``)."""
    return model._default_manager.get_queryset().editor_roles


def area_choices(user, model: type[models.Model] | None = None) -> models.QuerySet:
    """Areas where the user may record something (of ``model``): their editable subtree,
    no communes for an administrator (who would otherwise pick among 14,000 units) unless
    the model is kept on communes only (``area_levels``)."""
    roles = editor_roles(model) if model is not None else None
    # ``label`` (each option's text) reads the dates: left out, each option fetched its row.
    areas = Area.objects.editable_by(user, roles).only(
        "id", "name", "level", "structure", "path", "valid_from", "valid_to"
    )
    if user.is_superuser and Level.COMMUNE not in getattr(model, "area_levels", ()):
        areas = areas.exclude(level=Level.COMMUNE)
    return areas.order_by("path")


def offered_areas(user, model: type[models.Model] | None, day: datetime.date) -> models.QuerySet:
    """The areas a form offers: those of ``area_choices`` in force on the record's day, at
    the levels the model is kept on. A form accepts any of ``area_choices``: one it does
    not offer gets the model's own message (a unit abolished by then, a district where
    only communes keep such records)."""
    areas = area_choices(user, model).current(day)
    levels = getattr(model, "area_levels", ())
    return areas.filter(level__in=levels) if levels else areas


class _Offered(ModelChoiceIterator):
    """The choices a field offers, which may be fewer than those it accepts."""

    def __init__(self, field: AreaChoiceField) -> None:
        super().__init__(field)
        self.queryset = field.offered


class AreaChoiceField(forms.ModelChoiceField):
    """An area picker that shows the tree by indentation, each area with its map. It
    offers the areas in force on the record's date but accepts any the user may edit:
    one that is not in force gets the model's message naming what replaced it."""

    iterator = _Offered
    widget = AreaPicker

    def __init__(self, queryset: models.QuerySet, *, offered=None, **kwargs: Any) -> None:
        self.offered = queryset.current() if offered is None else offered
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj: Area) -> str:
        indent = {Level.PROVINCE: "", Level.DISTRICT: "— ", Level.COMMUNE: "— — "}
        return f"{indent.get(obj.level, '')}{obj.label}"


class ScopedModelForm(forms.ModelForm):
    """A ModelForm whose ``area`` can only be one the user may edit, offered among the
    areas in force on the record's date (today until a date is entered)."""

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if "area" in self.fields:
            field = self.fields["area"]
            areas = area_choices(user, self._meta.model)
            offered = offered_areas(user, self._meta.model, self._record_day())
            if self.instance.area_id:
                offered = areas.filter(Q(pk__in=offered.values("pk")) | Q(pk=self.instance.area_id))
            self.fields["area"] = AreaChoiceField(
                queryset=areas,
                offered=offered,
                label=field.label,
                help_text=field.help_text,
            )
            self.fields["area"].widget.model = self._meta.model
            self.fields["area"].widget.date_field = self._date_field()
            self._refresh_areas_on_date_change()
            if not self.instance.pk and not self.initial.get("area"):
                first = next((a.area for a in user.role_assignments()), None)
                self.initial["area"] = first.pk if first else None

    def _date_field(self) -> str | None:
        names = getattr(self._meta.model, "area_dates", ())
        return names[0] if names and names[0] in self.fields else None

    def _refresh_areas_on_date_change(self) -> None:
        """A new date fetches the form again (htmx) and swaps in its area choices."""
        name = self._date_field()
        if name is None:
            return
        widget = self.fields[name].widget
        # A typed day (DayInput) says when it is whole and real, typed or picked on the
        # calendar (portal.js: "day-entered"): not at every key, nor for 31/02/2026, and
        # without waiting for the user to leave the field.
        trigger = "day-entered" if isinstance(widget, DayInput) else "change"
        widget.attrs.update(
            {
                "hx-get": "",  # this page
                "hx-trigger": trigger,
                "hx-include": "closest form",
                "hx-select": "#id_area",
                "hx-target": "#id_area",
                "hx-swap": "outerHTML",
            }
        )
        note = _("Các địa bàn có hiệu lực vào ngày đã nhập (bản đồ hành chính đổi từ 01/07/2025).")
        own = self.fields["area"].help_text
        self.fields["area"].help_text = f"{own} {note}" if own else note

    def _record_day(self) -> datetime.date:
        """The date the record is kept for: as typed, else as it was, else today."""
        name = self._date_field()
        if name is None:
            return datetime.date.today()
        raw = self.data.get(name) if self.is_bound else self.initial.get(name)
        if raw in (None, "") and not self.is_bound:
            raw = getattr(self.instance, name, None)
        try:
            day = self.fields[name].to_python(raw)
        except forms.ValidationError:
            day = None
        return day or datetime.date.today()


def record_save(*, instance: models.Model, actor) -> models.Model:
    """Validate and save a record, then check it is still within the actor's scope."""
    with transaction.atomic():
        instance.full_clean()
        instance.save()
        if not type(instance).objects.editable_by(actor).filter(pk=instance.pk).exists():
            raise PermissionDenied
    return instance


def _editable_or_403(kind: RecordKind, request: HttpRequest, pk: int) -> models.Model:
    obj = get_object_or_404(kind.model.objects.visible_to(request.user), pk=pk)
    if not kind.model.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    return obj


def history_entries(obj: models.Model) -> list[dict[str, Any]]:
    """The record's change history, newest first, with what changed in each step (a
    link to another row by that row's name: a record moved to the unit that took its
    area over reads "Phường Hà Khánh (đến 30/06/2025) → Phường Cao Xanh (từ …)")."""
    records = list(obj.history.select_related("history_user").order_by("-history_date"))
    labels = {f.name: f.verbose_name for f in [*obj._meta.fields, *obj._meta.many_to_many]}
    many = {f.name: f.related_model for f in obj._meta.many_to_many}
    steps = [
        (newer, newer.diff_against(older).changes if older else [])
        for newer, older in zip(records, [*records[1:], None], strict=True)
    ]
    linked = _linked_names(obj, [c for _newer, changes in steps for c in changes])

    def shown(name: str, value: Any) -> Any:
        return _related_names(many, name, value) if name in many else linked(name, value)

    return [
        {
            "record": newer,
            "changes": [
                (labels.get(c.field, c.field), shown(c.field, c.old), shown(c.field, c.new))
                for c in changes
            ],
        }
        for newer, changes in steps
    ]


def _linked_names(obj: models.Model, changes: list) -> Callable[[str, Any], Any]:
    """``(field, value) -> what to show``: the rows a foreign key pointed to, by their
    label or name, read once per related model for the whole history."""
    foreign = {f.name: f.related_model for f in obj._meta.fields if f.many_to_one}
    wanted: dict[type[models.Model], set] = {}
    for change in changes:
        if change.field in foreign:
            ids = wanted.setdefault(foreign[change.field], set())
            ids |= {v for v in (change.old, change.new) if v is not None}
    found = {model: model._base_manager.in_bulk(ids) for model, ids in wanted.items()}

    def show(name: str, value: Any) -> Any:
        if name not in foreign or value is None:
            return value
        row = found[foreign[name]].get(value)
        return getattr(row, "label", str(row)) if row is not None else f"#{value}"

    return show


def _related_names(many: dict, name: str, value: Any) -> Any:
    """A many-to-many value in the history (rows of ids) as the related records' names."""
    if name not in many:
        return value
    model = many[name]
    key = model._meta.model_name
    ids = [row[key] for row in value or []]
    found = model.objects.in_bulk(ids)
    return ", ".join(str(found[i]) if i in found else f"#{i}" for i in ids) or None


class RecordView(LoginRequiredMixin, View):
    kind: RecordKind


class RecordList(RecordView):
    def get(self, request: HttpRequest) -> HttpResponse:
        kind = self.kind
        queryset = kind.list_queryset(request.user)
        filterset = kind.filterset_class(request.GET, queryset=queryset, request=request)
        rows = filterset.qs if filterset.is_valid() else queryset.none()
        sortable = {c.sort for c in kind.columns if c.sort}
        sort = request.GET.get("sort", "")
        rows = rows.order_by(sort if sort.lstrip("-") in sortable else kind.default_sort, "-id")
        if request.GET.get("format") == "xlsx":
            return self._export(rows)
        page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        counted = getattr(filterset, "counted_summary", None)
        context = {
            "kind": kind,
            "filter": filterset,
            "counted": counted(rows, page.paginator) if counted and filterset.is_valid() else None,
            "page": page,
            "sort": sort,
            "can_add": area_choices(request.user, kind.model).exists(),
            "years": [year for year, _label in year_choices()],
        }
        partial = request.htmx and not request.htmx.boosted
        template = "records/partials/_rows.html" if partial else "records/list.html"
        return render(request, template, context)

    def _export(self, rows: models.QuerySet) -> HttpResponse:
        headers = [c.label for c in self.kind.columns]
        data = ([c.value(obj) for c in self.kind.columns] for obj in rows.iterator(2000))
        name = self.kind.model._meta.model_name
        return xlsx_response(f"{name}.xlsx", workbook_bytes(str(self.kind.title), headers, data))


class RecordDetail(RecordView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        kind = self.kind
        queryset = kind.model.objects.visible_to(request.user).select_related(*kind.select_related)
        obj = get_object_or_404(queryset, pk=pk)
        fields = [
            (obj._meta.get_field(name).verbose_name, _display(obj, name))
            for name in kind.detail_fields
        ]
        context = {
            "kind": kind,
            "object": obj,
            "fields": fields,
            "history": history_entries(obj),
            "can_edit": kind.model.objects.editable_by(request.user).filter(pk=pk).exists(),
            **(kind.detail_context(obj, request) if kind.detail_context else {}),
        }
        return render(request, kind.detail_template, context)


def _display(obj: models.Model, name: str) -> Any:
    getter = getattr(obj, f"get_{name}_display", None)
    value = getter() if getter else getattr(obj, name)
    # A year is a label, not a quantity: "2026", never "2.026".
    return str(value) if name == "year" and value is not None else value


class RecordCreate(RecordView):
    def get(self, request: HttpRequest) -> HttpResponse:
        if not area_choices(request.user, self.kind.model).exists():
            raise PermissionDenied
        # A link may prefill the form (``/tasks/new/?plan=5``); the form still checks it.
        initial = request.GET.dict()
        return self._render(request, self.kind.form_class(user=request.user, initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        if not area_choices(request.user, self.kind.model).exists():
            raise PermissionDenied
        form = self.kind.form_class(request.POST, request.FILES, user=request.user)
        return _save_or_render(self, request, form, _("Đã thêm."))

    def _render(self, request: HttpRequest, form: forms.ModelForm) -> HttpResponse:
        return render(request, "records/form.html", {"kind": self.kind, "form": form})


class RecordUpdate(RecordCreate):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = _editable_or_403(self.kind, request, pk)
        # The form asked again with what is typed so far (a new date: see ScopedModelForm).
        initial = request.GET.dict() if request.htmx else None
        form = self.kind.form_class(instance=obj, initial=initial, user=request.user)
        return self._render(request, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = _editable_or_403(self.kind, request, pk)
        form = self.kind.form_class(request.POST, request.FILES, instance=obj, user=request.user)
        return _save_or_render(self, request, form, _("Đã lưu thay đổi."))


def _save_or_render(view: RecordCreate, request: HttpRequest, form, message: str) -> HttpResponse:
    if form.is_valid():
        obj = record_save(instance=form.save(commit=False), actor=request.user)
        form.save_m2m()
        messages.success(request, message)
        return HttpResponseRedirect(view.kind.url("detail", obj.pk))
    return view._render(request, form)


class RecordDelete(RecordView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = _editable_or_403(self.kind, request, pk)
        return render(request, "records/confirm_delete.html", {"kind": self.kind, "object": obj})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = _editable_or_403(self.kind, request, pk)
        obj.delete()
        messages.success(request, _("Đã xóa “%(name)s”.") % {"name": obj})
        return HttpResponseRedirect(self.kind.url("list"))


def record_urls(kind: RecordKind, slug: str, **own_views: type[RecordView]) -> list:
    """The five URLs of a kind of record; a kind may bring its own view for any of them
    (``detail=CommitteeDetail``)."""
    name = kind.url_prefix.split(":")[-1]
    views = {
        "list": RecordList,
        "detail": RecordDetail,
        "create": RecordCreate,
        "update": RecordUpdate,
        "delete": RecordDelete,
        **own_views,
    }
    view = {
        action: type(f"{cls.__name__}", (cls,), {"kind": kind}).as_view()
        for action, cls in views.items()
    }
    return [
        path(f"{slug}/", view["list"], name=f"{name}_list"),
        path(f"{slug}/new/", view["create"], name=f"{name}_create"),
        path(f"{slug}/<int:pk>/", view["detail"], name=f"{name}_detail"),
        path(f"{slug}/<int:pk>/edit/", view["update"], name=f"{name}_update"),
        path(f"{slug}/<int:pk>/delete/", view["delete"], name=f"{name}_delete"),
    ]
