"""Importing member units from a sheet (their list, detail and forms are generic)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..forms import ImportForm
from ..kinds import MEMBER_UNIT
from ..platform.records import area_choices
from ..services.units import ImportRefused, member_units_import


@login_required
def member_unit_import(request: HttpRequest) -> HttpResponse:
    """Upload a sheet of member units: all rows saved, or none with every error listed."""
    if not area_choices(request.user).exists():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form, "kind": MEMBER_UNIT}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = member_units_import(upload=upload, size=upload.size, actor=request.user)
        except ImportRefused as exc:
            form.add_error("file", str(exc))
        else:
            if not result.errors:
                messages.success(
                    request,
                    _(
                        "Đã nhập %(created)s đơn vị mới, cập nhật %(updated)s đơn vị, "
                        "thêm %(events)s hội nghị, đối thoại."
                    )
                    % {
                        "created": result.created,
                        "updated": result.updated,
                        "events": result.events,
                    },
                )
                return redirect("committees:memberunit_list")
            context["errors"] = result.errors
    return render(request, "committees/member_unit_import.html", context)
