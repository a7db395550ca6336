"""The committee pages: a committee's members on any day and its decisions, establishing a
committee, consolidating it (kiện toàn), carrying it onto the unit that took its abolished
unit over, and correcting a member's details."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from qcdc_portal.dates import day_from_text

from ..forms import (
    CarryOverForm,
    CurrentSeatFormSet,
    DecisionForm,
    EstablishForm,
    MembershipForm,
    NewSeatFormSet,
)
from ..kinds import COMMITTEE
from ..models import Area, CommitteeDecision, Membership, SteeringCommittee
from ..platform.records import RecordView, area_choices, history_entries
from ..platform.uploads import download_response
from ..services.committees import (
    Seat,
    carry_over_targets,
    committee_carry_over,
    committee_consolidate,
    committee_establish,
    committee_warnings,
)


def _apply_errors(exc: ValidationError, *forms_: forms.Form) -> None:
    """Put a service's errors on the form that has the field, or on the first form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = next((f for f in forms_ if name in f.fields), forms_[0])
            target.add_error(name if name in target.fields else None, errors)
    else:
        forms_[0].add_error(None, exc.messages)


def _editable_committee(request: HttpRequest, pk: int) -> SteeringCommittee:
    committee = get_object_or_404(
        SteeringCommittee.objects.visible_to(request.user).select_related("area"), pk=pk
    )
    if not SteeringCommittee.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    return committee


def _day(request: HttpRequest) -> datetime.date:
    return day_from_text(request.GET.get("on", "")) or datetime.date.today()


class CommitteeDetail(RecordView):
    kind = COMMITTEE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        committee = get_object_or_404(
            SteeringCommittee.objects.visible_to(request.user).select_related(
                "area", "carried_from__area"
            ),
            pk=pk,
        )
        day = _day(request)
        can_edit = SteeringCommittee.objects.editable_by(request.user).filter(pk=pk).exists()
        members = list(committee.memberships.on(day).by_rank())
        ranked = Membership.objects.by_rank()
        decisions = list(
            committee.decisions.prefetch_related(
                Prefetch("appointed", queryset=ranked), Prefetch("ended", queryset=ranked)
            ).order_by("-signed_on", "-id")
        )
        for decision in decisions:
            _read_changes(decision)
        context = {
            "kind": COMMITTEE,
            "object": committee,
            "committee": committee,
            "day": day,
            "members": members,
            "warnings": committee_warnings(committee, members) if committee.is_active else [],
            "decisions": decisions,
            "history": history_entries(committee),
            "can_edit": can_edit,
            # Its continuation on today's map, if it was carried over (one at most).
            "carried_to": committee.carried_to.select_related("area").first(),
            "can_carry_over": can_edit
            and committee.is_active
            and committee.area.valid_to is not None
            and committee.area.valid_to < datetime.date.today(),
        }
        return render(request, "committees/committee_detail.html", context)


def _read_changes(decision: CommitteeDecision) -> None:
    """What a decision did, seat by seat: who joined, who left, whose role or position
    changed, and how many went on unchanged (a carry-over ends every former seat and
    opens the same one on the committee it carries)."""
    ended = {m.full_name: m for m in decision.ended.all()}
    decision.joined, decision.changed_seats, decision.continuing = [], [], 0
    for seat in decision.appointed.all():
        before = ended.get(seat.full_name)
        if before is None:
            decision.joined.append(seat)
        elif Seat.of(before) == Seat.of(seat):
            decision.continuing += 1
        else:
            decision.changed_seats.append(seat)
    appointed = {m.full_name for m in decision.appointed.all()}
    decision.left = [m for m in decision.ended.all() if m.full_name not in appointed]


class CommitteeEstablish(RecordView):
    kind = COMMITTEE

    def _forms(self, request: HttpRequest):
        data = request.POST if request.method == "POST" else None
        files = request.FILES if request.method == "POST" else None
        return (
            EstablishForm(data, user=request.user, prefix="committee"),
            DecisionForm(data, files, prefix="decision"),
            NewSeatFormSet(data, prefix="new"),
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        if not area_choices(request.user).exists():
            raise PermissionDenied
        return self._render(request, *self._forms(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        if not area_choices(request.user).exists():
            raise PermissionDenied
        form, decision_form, new = self._forms(request)
        if form.is_valid() and decision_form.is_valid() and new.is_valid():
            seats = [f.seat() for f in new if f.has_changed()]
            try:
                committee = committee_establish(
                    area=form.cleaned_data["area"],
                    name=form.cleaned_data["name"],
                    standing_body=form.cleaned_data["standing_body"],
                    regulation=form.cleaned_data["regulation"],
                    decision=decision_form.save(commit=False),
                    members=seats,
                    actor=request.user,
                )
            except ValidationError as exc:
                _apply_errors(exc, form, decision_form)
            else:
                messages.success(request, _("Đã ghi nhận quyết định thành lập ban chỉ đạo."))
                return redirect(committee)
        return self._render(request, form, decision_form, new)

    def _render(self, request, form, decision_form, new) -> HttpResponse:
        context = {"kind": COMMITTEE, "form": form, "decision_form": decision_form, "new": new}
        return render(request, "committees/committee_establish.html", context)


def _seat_changes(
    committee: SteeringCommittee, current: forms.BaseFormSet
) -> tuple[list[Membership], dict[Membership, Seat]]:
    """From the table of sitting members: who leaves, and whose role or position changes."""
    by_pk = {m.pk: m for m in committee.memberships.all()}
    leaving, changed = [], {}
    for f in current:
        membership = by_pk.get(f.cleaned_data["membership"])
        if membership is None:
            raise Http404
        seat = Seat(
            full_name=membership.full_name,
            position=f.cleaned_data["position"],
            organisation=f.cleaned_data["organisation"],
            committee_role=f.cleaned_data["committee_role"],
        )
        if f.cleaned_data["leaves"]:
            leaving.append(membership)
        elif seat != Seat.of(membership):
            changed[membership] = seat
    return leaving, changed


def _seat_forms(request: HttpRequest, sitting: list[Membership]):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    initial = [{"membership": m.pk, **Seat.of(m).__dict__, "leaves": False} for m in sitting]
    return (
        DecisionForm(data, files, prefix="decision"),
        CurrentSeatFormSet(data, initial=initial, prefix="current"),
        NewSeatFormSet(data, prefix="new"),
    )


class CommitteeConsolidate(RecordView):
    kind = COMMITTEE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        committee = _editable_committee(request, pk)
        sitting = list(committee.memberships.on(datetime.date.today()).by_rank())
        return self._render(request, committee, *_seat_forms(request, sitting))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        committee = _editable_committee(request, pk)
        sitting = list(committee.memberships.on(datetime.date.today()).by_rank())
        decision_form, current, new = _seat_forms(request, sitting)
        if decision_form.is_valid() and current.is_valid() and new.is_valid():
            leaving, changed = _seat_changes(committee, current)
            try:
                committee_consolidate(
                    committee=committee,
                    decision=decision_form.save(commit=False),
                    leaving=leaving,
                    changed=changed,
                    joining=[f.seat() for f in new if f.has_changed()],
                    actor=request.user,
                )
            except ValidationError as exc:
                _apply_errors(exc, decision_form)
            else:
                messages.success(request, _("Đã ghi nhận quyết định kiện toàn ban chỉ đạo."))
                return redirect(committee)
        return self._render(request, committee, decision_form, current, new)

    def _render(self, request, committee, decision_form, current, new) -> HttpResponse:
        context = {
            "kind": COMMITTEE,
            "committee": committee,
            "decision_form": decision_form,
            "current": current,
            "new": new,
        }
        return render(request, "committees/committee_consolidate.html", context)


class CommitteeCarryOver(RecordView):
    """Carrying the committee of an abolished unit onto the unit of today's map that took
    it over ("Chuyển sang đơn vị kế thừa"), by a consolidation decision."""

    kind = COMMITTEE

    def _start(self, request: HttpRequest, pk: int):
        committee = _editable_committee(request, pk)
        targets = carry_over_targets(committee.area).filter(
            pk__in=Area.objects.editable_by(request.user).values("pk")
        )
        if committee.area.valid_to is None or not committee.is_active:
            messages.error(
                request,
                _("Chỉ chuyển được ban chỉ đạo đang hoạt động của một đơn vị đã không còn."),
            )
            return committee, None, None
        sitting = list(committee.memberships.on(datetime.date.today()).by_rank())
        initial = {
            "area": committee.area.attributed_to_id,
            "standing_body": committee.standing_body,
            "regulation": committee.regulation,
        }
        data = request.POST if request.method == "POST" else None
        form = CarryOverForm(data, initial=initial, targets=targets, prefix="committee")
        return committee, form, _seat_forms(request, sitting)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        committee, form, seat_forms = self._start(request, pk)
        if form is None:
            return redirect(committee)
        return self._render(request, committee, form, *seat_forms)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        committee, form, seat_forms = self._start(request, pk)
        if form is None:
            return redirect(committee)
        decision_form, current, new = seat_forms
        valid = [f.is_valid() for f in (form, decision_form, current, new)]
        if all(valid):
            leaving, changed = _seat_changes(committee, current)
            try:
                carried = committee_carry_over(
                    committee=committee,
                    area=form.cleaned_data["area"],
                    name=form.cleaned_data["name"],
                    standing_body=form.cleaned_data["standing_body"],
                    regulation=form.cleaned_data["regulation"],
                    decision=decision_form.save(commit=False),
                    leaving=leaving,
                    changed=changed,
                    joining=[f.seat() for f in new if f.has_changed()],
                    actor=request.user,
                )
            except ValidationError as exc:
                _apply_errors(exc, form, decision_form)
            else:
                messages.success(
                    request,
                    _("Đã chuyển ban chỉ đạo sang %(area)s.") % {"area": carried.area.name},
                )
                return redirect(carried)
        return self._render(request, committee, form, decision_form, current, new)

    def _render(self, request, committee, form, decision_form, current, new) -> HttpResponse:
        context = {
            "kind": COMMITTEE,
            "committee": committee,
            "form": form,
            "decision_form": decision_form,
            "current": current,
            "new": new,
        }
        return render(request, "committees/committee_carry_over.html", context)


@login_required
def membership_update(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("committee"), pk=pk
    )
    committee = _editable_committee(request, membership.committee_id)
    form = MembershipForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect(committee)
    context = {"form": form, "committee": committee, "membership": membership}
    return render(request, "committees/membership_form.html", context)


@login_required
def decision_file(request: HttpRequest, pk: int) -> FileResponse:
    """A decision's signed file, to users who may see the committee."""
    decision = get_object_or_404(CommitteeDecision.objects.visible_to(request.user), pk=pk)
    return download_response(decision)
