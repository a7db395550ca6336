"""Pages of the inspections app beyond the generic record pages: a petition's steps and
extensions, and the petitions dashboard of an area's subtree."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from committees.models import Area, share
from committees.platform.area_picker import AreaPickerInput, pick_area
from committees.platform.filters import chosen_year, year_choices
from committees.platform.uploads import CheckedFileMixin, download_response
from committees.platform.widgets import DATE_WIDGET

from . import counts, deadlines
from .models import Outcome, Petition, PetitionDocument, PetitionField, Status
from .services import petition_extend, petition_extend_verification, petition_transition


class StepForm(forms.Form):
    to = forms.ChoiceField(label=gettext_lazy("Chuyển sang"), choices=Status.choices)
    on = forms.DateField(label=gettext_lazy("Ngày thực hiện"), widget=DATE_WIDGET)
    outcome = forms.ChoiceField(
        label=gettext_lazy("Kết quả giải quyết"),
        choices=[("", "—"), *Outcome.choices],
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú, lý do"), required=False, widget=forms.Textarea({"rows": 2})
    )


def _editable_petition(request: HttpRequest, pk: int) -> Petition:
    petition = get_object_or_404(Petition.objects.visible_to(request.user), pk=pk)
    if not Petition.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    return petition


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def petition_step(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a petition one step (POST from its page); a refused step changes nothing."""
    petition = _editable_petition(request, pk)
    if request.method != "POST":
        return redirect(petition)
    form = StepForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(petition)
    data = form.cleaned_data
    try:
        petition_transition(
            petition=petition,
            to=data["to"],
            actor=request.user,
            on=data["on"],
            note=data["note"],
            outcome=data["outcome"],
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, _("Đã chuyển đơn sang “%(status)s”.") % {"status": Status(data["to"]).label}
        )
    return redirect(petition)


@login_required
def petition_extension(request: HttpRequest, pk: int) -> HttpResponse:
    """Extend a denunciation's resolution (POST from its page)."""
    petition = _editable_petition(request, pk)
    if request.method == "POST":
        try:
            petition_extend(
                petition=petition, actor=request.user, note=request.POST.get("note", "")
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Đã gia hạn giải quyết thêm 30 ngày."))
    return redirect(petition)


class VerificationForm(forms.Form):
    days = forms.IntegerField(
        label=gettext_lazy("Số ngày làm việc kéo dài"),
        min_value=1,
        max_value=deadlines.MAX_VERIFICATION_DAYS,
    )
    note = forms.CharField(label=gettext_lazy("Lý do"), widget=forms.Textarea({"rows": 2}))


@login_required
def petition_verification(request: HttpRequest, pk: int) -> HttpResponse:
    """Extend a denunciation's first step for verification (Điều 24 khoản 1 Luật Tố cáo
    2018): the form on its own page, refused with the reason beside the field."""
    petition = _editable_petition(request, pk)
    form = VerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            petition_extend_verification(petition=petition, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(
                request,
                _("Đã kéo dài thời hạn xử lý ban đầu thêm %(n)s ngày làm việc.")
                % {"n": form.cleaned_data["days"]},
            )
            return redirect(petition)
    return render(
        request, "inspections/petition_verification.html", {"petition": petition, "form": form}
    )


@login_required
def petition_dashboard(request: HttpRequest) -> HttpResponse:
    """Petitions of the user's scope (or of one area's, with the legacy units a unit of
    today's map took over) for a year: received,
    resolved, open, overdue, backlog, with charts by month and by field — read from the
    counts kept with every write of a petition (``inspections.counts``)."""
    year = chosen_year(request)
    area = None
    code = request.GET.get("area", "").strip()
    if code:
        # A code of both maps (a province that kept its code): the unit of today's map
        # (``Area.objects.for_code``), which counts the legacy one's petitions too
        # (``counts.area_roots``); a picked unit (``2025:06658``) exactly.
        area = pick_area(Area.objects.visible_to(request.user), code)
    today = datetime.date.today()
    figures = counts.figures(counts.roots_of(request.user, area), year, today)
    numbers = figures["counts"]
    numbers["rate"] = share(numbers["resolved"], numbers["received"])
    context = {
        "year": year,
        "today": today,
        "years": [y for y, _label in year_choices()],
        "area": area,
        "area_input": AreaPickerInput({"class": "form-control form-control-sm"}, area).render(
            "area", code, attrs={"id": "area-code"}
        ),
        "counts": numbers,
        "month_chart": {
            "type": "bar",
            "labels": [f"{m:02d}" for m in range(1, 13)],
            "label": _("Đơn nhận theo tháng"),
            "values": list(figures["by_month"].values()),
        },
        "field_chart": {
            "type": "bar",
            # Bars across, so that the fields' long names are read whole.
            "horizontal": True,
            "labels": [str(label) for _value, label in PetitionField.choices],
            "label": _("Đơn theo lĩnh vực"),
            "values": [figures["by_field"][value] for value, _label in PetitionField.choices],
        },
    }
    return render(request, "inspections/petition_dashboard.html", context)


class DocumentForm(CheckedFileMixin, forms.ModelForm):
    class Meta:
        model = PetitionDocument
        fields = ["title", "file"]


@login_required
@require_POST
def petition_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a document to a petition; a refused file is reported and nothing is stored."""
    petition = _editable_petition(request, pk)
    form = DocumentForm(request.POST, request.FILES, instance=PetitionDocument(petition=petition))
    if form.is_valid():
        document = form.save(commit=False)
        document.uploaded_by = request.user
        document.save()
        messages.success(request, _("Đã đính kèm “%(title)s”.") % {"title": document.title})
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}")
    return redirect(petition)


@login_required
def petition_document(request: HttpRequest, pk: int):
    """A petition's document, to users who may see the petition."""
    document = get_object_or_404(PetitionDocument.objects.visible_to(request.user), pk=pk)
    return download_response(document)
