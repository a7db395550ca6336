"""The 2025 reorganisation in the Area admin (``committees.services.reorganisation``):

- the action "move to successors": a page lists what would move from each abolished unit
  selected — records dated after it ended, its member units, its people — with a choice
  of target where the links leave one; confirming moves exactly what was listed;
- the attribution page of a split commune: which successor its records of before the
  reform count for, all at once or record by record.

Administrators (superusers) only: other staff neither see the action nor open the page.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import MoveToHeirsForm, SplitCommuneAttributionForm
from .models import Area, Level, Structure
from .services import gso
from .services.reorganisation import (
    areas_move_to_heirs,
    heirs_of,
    split_commune_attribute,
    split_commune_records,
    split_heirs,
)

# More units than this at once are the command's work (manage.py move_to_successors).
MOVE_AT_ONCE = 200
# Past this many records the attribution page asks for a year before listing each one.
RECORDS_AT_ONCE = 300


class ReorganisationAdminMixin:
    """The move action and the attribution page, mixed into ``AreaAdmin``."""

    actions = ["move_to_successors"]

    def has_reorganise_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def get_queryset(self, request: HttpRequest):
        # How many successors each unit has: a legacy commune with several is split.
        return super().get_queryset(request).annotate(heir_count=Count("successors"))

    def get_urls(self):
        attribution = self.admin_site.admin_view(self.attribution_view)
        own = [
            path(
                "<int:object_id>/attribution/",
                attribution,
                name="committees_area_attribution",
            )
        ]
        return own + super().get_urls()

    @admin.display(description=gettext_lazy("số liệu tính cho"), ordering="attributed_to__name")
    def attribution(self, area: Area) -> str:
        split = (
            area.structure == Structure.LEGACY
            and area.level == Level.COMMUNE
            and getattr(area, "heir_count", 0) > 1
        )
        if area.attributed_to:
            name = area.attributed_to.name
        else:
            name = _("Chưa phân bổ") if split else "—"
        if not split:
            return name
        url = reverse("admin:committees_area_attribution", args=[area.pk])
        return format_html('{} · <a href="{}">{}</a>', name, url, _("phân bổ số liệu"))

    # --- the move ------------------------------------------------------------------------

    @admin.action(
        description=gettext_lazy(
            "Chuyển sang đơn vị kế thừa (bản ghi sau 30/06/2025, đơn vị, phân quyền)"
        ),
        permissions=["reorganise"],
    )
    def move_to_successors(self, request: HttpRequest, queryset):
        areas = list(queryset.select_related("attributed_to").order_by("path"))
        if len(areas) > MOVE_AT_ONCE:
            self.message_user(
                request,
                _(
                    "Chọn tối đa %(n)s đơn vị một lần; để chuyển tất cả, dùng lệnh "
                    "manage.py move_to_successors."
                )
                % {"n": MOVE_AT_ONCE},
                messages.WARNING,
            )
            return None
        abolished = [a for a in areas if a.structure == Structure.LEGACY and a.valid_to]
        step = request.POST.get("step")
        form = MoveToHeirsForm(
            request.POST if step else None, areas=abolished, heirs=heirs_of(abolished)
        )
        notice = ""
        plan = None
        if not form.is_bound or form.is_valid():
            try:
                if step == "confirm" and form.confirmed_as_listed:
                    try:
                        plan = self._move(request, form, dry_run=False)
                    except ValidationError as exc:
                        if getattr(exc, "code", None) != "plan_changed":
                            raise
                        notice = exc.message
                    else:
                        self._report_moved(request, plan)
                        return None
                elif step == "confirm":
                    notice = _(
                        "Đơn vị nhận đã đổi: danh sách dưới đây đã cập nhật theo lựa chọn mới; "
                        "hãy xem lại rồi xác nhận."
                    )
                plan = self._move(request, form, dry_run=True)
            except ValidationError as exc:
                form.add_error(None, exc)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Chuyển sang đơn vị kế thừa"),
            "areas": areas,
            "rows": [(a, form.target_field(a)) for a in abolished],
            "in_force": [a for a in areas if a not in abolished],
            "form": form,
            "plan": plan,
            "notice": notice,
            "signature": form.signature(),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/committees/area/move_to_successors.html", context)

    def _move(self, request: HttpRequest, form: MoveToHeirsForm, *, dry_run: bool):
        data = form.cleaned_data if form.is_bound else {}
        return areas_move_to_heirs(
            choices=form.chosen(),
            actor=request.user,
            reason=data.get("reason", ""),
            dry_run=dry_run,
            # The real run moves what the operator was shown, or nothing.
            expected=None if dry_run else data.get("listed", ""),
        )

    def _report_moved(self, request: HttpRequest, plan) -> None:
        self.message_user(
            request,
            _("Đã chuyển %(rows)s bản ghi và đơn vị, thêm %(people)s phân quyền.")
            % {"rows": plan.moved_rows, "people": plan.added_assignments},
            messages.SUCCESS,
        )
        if plan.waiting:
            self.message_user(
                request,
                _(
                    "%(n)s mục chưa chuyển (chờ chọn đơn vị nhận, hoặc trùng tên): chọn lại "
                    "đơn vị và thao tác này để xem."
                )
                % {"n": len(plan.waiting)},
                messages.WARNING,
            )

    # --- the attribution of a split commune ----------------------------------------------

    def attribution_view(self, request: HttpRequest, object_id: int):
        if not self.has_reorganise_permission(request):
            raise PermissionDenied
        area = get_object_or_404(Area.objects.select_related("attributed_to"), pk=object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "area": area,
            "title": _("Phân bổ số liệu: %(area)s") % {"area": area.label},
        }
        template = "admin/committees/area/attribution.html"
        try:
            heirs = split_heirs(area)
        except ValidationError as exc:
            return TemplateResponse(request, template, {**context, "not_split": exc.messages})
        groups = split_commune_records(area)
        years = sorted({row_year(row) for _m, rows in groups for row in rows}, reverse=True)
        year = _year(request.GET.get("year"), years)
        if year:
            groups = [(m, [r for r in rows if row_year(r) == year]) for m, rows in groups]
        total = sum(len(rows) for _m, rows in groups)
        listed = groups if total <= RECORDS_AT_ONCE else []
        form = SplitCommuneAttributionForm(
            request.POST or None, area=area, heirs=heirs, groups=listed
        )
        if form.is_bound and form.is_valid():
            try:
                changed = split_commune_attribute(
                    area=area,
                    to=form.target(),
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    records=form.records(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(
                    request, _("Đã lưu %(n)s thay đổi.") % {"n": changed}, messages.SUCCESS
                )
                return HttpResponseRedirect(request.get_full_path())
        suggested = gso.suggested_successors().get(area.code)
        context |= {
            "form": form,
            "heirs": heirs,
            "suggestion": next((h for h in heirs if h.code == suggested), None),
            "years": years,
            "year": year,
            "total": total,
            "too_many": total > RECORDS_AT_ONCE,
            "records_at_once": RECORDS_AT_ONCE,
        }
        return TemplateResponse(request, template, context)


def row_year(row) -> int | None:
    day = getattr(row, type(row).area_dates[0])
    return day.year if day else None


def _year(text: str | None, years: list) -> int | None:
    return int(text) if text and text.isdigit() and int(text) in years else None
