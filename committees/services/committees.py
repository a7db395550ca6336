"""Establishing, consolidating (kiện toàn) and carrying over a steering committee.

Each is one decision and a set of seats, saved together or not at all. A consolidation
never rewrites a seat: a member who leaves gets an end date (the day before the
decision) and the decision that ended it; a member whose role or position changes gets a
new seat from the decision's date. So ``Membership.objects.on(day)`` gives the committee
as it was on any day, and the history of decisions is the committee's own story. When
the 2025 reorganisation abolished a committee's unit, a consolidation decision carries it
onto the unit that took the unit over (``committee_carry_over``).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import (
    REORGANISATION_DATE,
    Area,
    AreaQuerySet,
    CommitteeDecision,
    CommitteeRole,
    DecisionKind,
    Membership,
    SteeringCommittee,
    User,
)

# Seats there can be only one of at a time.
SINGLE_ROLES = (CommitteeRole.HEAD, CommitteeRole.STANDING_DEPUTY)
# Warn this many days before a term ends.
TERM_ENDING_DAYS = 30


@dataclass(frozen=True)
class Seat:
    """A member as a decision names them."""

    full_name: str
    position: str
    committee_role: str
    organisation: str = ""

    @classmethod
    def of(cls, membership: Membership) -> Seat:
        return cls(
            full_name=membership.full_name,
            position=membership.position,
            committee_role=membership.committee_role,
            organisation=membership.organisation,
        )


def _check_single_roles(seats: list[Seat]) -> None:
    counts = Counter(seat.committee_role for seat in seats)
    for role in SINGLE_ROLES:
        if counts[role] > 1:
            raise ValidationError(
                _("Ban chỉ đạo chỉ có một %(role)s; quyết định này có %(n)s người.")
                % {"role": CommitteeRole(role).label, "n": counts[role]},
                code="single_role",
            )


def _check_decision(decision: CommitteeDecision) -> None:
    if decision.signed_on > datetime.date.today():
        raise ValidationError(
            {"signed_on": _("Ngày ký không được sau ngày hôm nay.")}, code="future"
        )
    decision.full_clean()


def _new_seat(
    committee: SteeringCommittee,
    seat: Seat,
    decision: CommitteeDecision,
    term_end: datetime.date | None = None,
) -> Membership:
    membership = Membership(
        committee=committee,
        full_name=seat.full_name.strip(),
        position=seat.position.strip(),
        organisation=seat.organisation.strip(),
        committee_role=seat.committee_role,
        term_start=decision.signed_on,
        term_end=term_end,
        appointed_by=decision,
    )
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def committee_establish(
    *,
    area: Area,
    name: str,
    decision: CommitteeDecision,
    members: list[Seat],
    actor: User,
    standing_body: str = "",
    regulation: str = "",
) -> SteeringCommittee:
    """A new active committee for an area, with its establishing decision and members."""
    if not Area.objects.editable_by(actor).filter(pk=area.pk).exists():
        raise PermissionDenied
    if not members:
        raise ValidationError(_("Hãy nhập ít nhất một thành viên."), code="no_members")
    _check_single_roles(members)
    committee = SteeringCommittee(
        area=area, name=name, standing_body=standing_body, regulation=regulation
    )
    committee.full_clean()
    committee.save()
    decision.committee = committee
    decision.kind = DecisionKind.ESTABLISHED
    _check_decision(decision)
    decision.save()
    for seat in members:
        _new_seat(committee, seat, decision)
    return committee


def _check_after_latest(committee: SteeringCommittee, decision: CommitteeDecision) -> None:
    latest = committee.decisions.order_by("-signed_on").first()
    if latest and decision.signed_on <= latest.signed_on:
        raise ValidationError(
            {
                "signed_on": _("Ngày ký phải sau quyết định gần nhất (số %(number)s ngày %(day)s).")
                % {"number": latest.number, "day": latest.signed_on.strftime("%d/%m/%Y")}
            },
            code="order",
        )


def _seats_in_office(
    committee: SteeringCommittee, decision: CommitteeDecision, ending: list[Membership]
) -> list[Membership]:
    """The seats in office on the decision's date; ``ending`` must be among them and have
    started before it (a seat ends the day before the decision)."""
    in_office = list(committee.memberships.on(decision.signed_on))
    sitting = {m.pk for m in in_office}
    strangers = [m for m in ending if m.pk not in sitting]
    if strangers:
        raise ValidationError(
            _("%(name)s không phải thành viên đương nhiệm vào ngày ký quyết định.")
            % {"name": strangers[0].full_name},
            code="not_in_office",
        )
    same_day = [m for m in ending if m.term_start >= decision.signed_on]
    if same_day:
        raise ValidationError(
            _("%(name)s mới bắt đầu nhiệm kỳ từ ngày ký; không thể thôi hoặc thay đổi.")
            % {"name": same_day[0].full_name},
            code="same_day",
        )
    return in_office


def _end_seats(ending: list[Membership], decision: CommitteeDecision) -> None:
    day_before = decision.signed_on - datetime.timedelta(days=1)
    for membership in ending:
        membership.term_end = day_before
        membership.ended_by = decision
        membership.save(update_fields=["term_end", "ended_by"])


@transaction.atomic
def committee_consolidate(
    *,
    committee: SteeringCommittee,
    decision: CommitteeDecision,
    leaving: list[Membership],
    changed: dict[Membership, Seat],
    joining: list[Seat],
    actor: User,
) -> CommitteeDecision:
    """Record a consolidation decision: who leaves, whose seat changes, who joins.

    ``leaving`` and the keys of ``changed`` must be seats in office on the decision's
    date. Everything is checked before anything is written.
    """
    committee = SteeringCommittee.objects.select_for_update().get(pk=committee.pk)
    if not SteeringCommittee.objects.editable_by(actor).filter(pk=committee.pk).exists():
        raise PermissionDenied
    if not committee.is_active:
        raise ValidationError(_("Ban chỉ đạo này đã ngừng hoạt động."), code="inactive")
    if not (leaving or changed or joining):
        raise ValidationError(
            _("Quyết định kiện toàn phải có ít nhất một thay đổi về thành viên."),
            code="no_change",
        )
    decision.committee = committee
    decision.kind = DecisionKind.CONSOLIDATED
    _check_after_latest(committee, decision)
    _check_decision(decision)

    ending = [*leaving, *changed]
    in_office = _seats_in_office(committee, decision, ending)
    ended_ids = {m.pk for m in ending}
    staying = [Seat.of(m) for m in in_office if m.pk not in ended_ids]
    _check_single_roles([*staying, *changed.values(), *joining])

    decision.save()
    _end_seats(ending, decision)
    for seat in [*changed.values(), *joining]:
        _new_seat(committee, seat, decision)
    return decision


def carry_over_targets(area: Area) -> AreaQuerySet:
    """The units of today's map a committee of the abolished ``area`` can be carried onto:
    a legacy province's successor province; a district's new province or one of the units
    that took over its communes; a commune's successors. None for a unit still in force."""
    if area.valid_to is None:
        return Area.objects.none()
    heirs = Q(pk__in=area.heirs().values("pk"))
    if area.attributed_to_id:
        heirs |= Q(pk=area.attributed_to_id)
    return Area.objects.filter(heirs).order_by("path")


def committee_name_on(area: Area) -> str:
    """The usual name of an area's committee: "Ban Chỉ đạo thực hiện dân chủ ở cơ sở
    phường Cao Xanh". A name kept as data, so Vietnamese whatever the UI language of
    whoever carries the committee over (not for translation)."""
    return f"Ban Chỉ đạo thực hiện dân chủ ở cơ sở {area.name[:1].lower()}{area.name[1:]}"


def _check_target(committee: SteeringCommittee, area: Area, decision: CommitteeDecision) -> None:
    former = committee.area
    targets = carry_over_targets(former)
    if former.valid_to is None:
        raise ValidationError(
            _("%(area)s vẫn còn trên bản đồ hiện hành: hãy kiện toàn ban chỉ đạo tại chỗ.")
            % {"area": former.name},
            code="not_abolished",
        )
    if not targets.filter(pk=area.pk).exists():
        raise ValidationError(
            {
                "area": _("%(area)s không kế thừa %(former)s; hãy chọn: %(targets)s.")
                % {
                    "area": area.label,
                    "former": former.label,
                    "targets": ", ".join(a.name for a in targets) or "—",
                }
            },
            code="not_an_heir",
        )
    if decision.signed_on < REORGANISATION_DATE:
        raise ValidationError(
            {
                "signed_on": _(
                    "Quyết định chuyển sang đơn vị kế thừa được ký từ %(day)s, ngày %(area)s "
                    "bắt đầu hoạt động."
                )
                % {"day": REORGANISATION_DATE.strftime("%d/%m/%Y"), "area": area.name}
            },
            code="before_reorganisation",
        )
    present = SteeringCommittee.objects.filter(area=area, is_active=True).first()
    if present is not None:
        raise ValidationError(
            {
                "area": _("%(area)s đã có ban chỉ đạo đang hoạt động: %(name)s.")
                % {"area": area.name, "name": present.name}
            },
            code="has_committee",
        )


@transaction.atomic
def committee_carry_over(
    *,
    committee: SteeringCommittee,
    area: Area,
    decision: CommitteeDecision,
    leaving: list[Membership],
    changed: dict[Membership, Seat],
    joining: list[Seat],
    actor: User,
    name: str = "",
    standing_body: str | None = None,
    regulation: str | None = None,
) -> SteeringCommittee:
    """Carry the committee of an abolished unit onto a unit of today's map that took it
    over, by a consolidation decision (signed from 01/07/2025).

    A new committee on ``area`` continues the former one, which stops. Every seat in
    office on the decision's date ends the day before it; those who stay sit on the new
    committee from that date (a changed role or position in ``changed``), ``leaving`` do
    not, ``joining`` are new. So ``Membership.objects.on(day)`` reads the former
    composition before the reorganisation and the carried one after it.
    """
    committee = (
        SteeringCommittee.objects.select_for_update().select_related("area").get(pk=committee.pk)
    )
    editable = SteeringCommittee.objects.editable_by(actor).filter(pk=committee.pk).exists()
    if not editable or not Area.objects.editable_by(actor).filter(pk=area.pk).exists():
        raise PermissionDenied
    if not committee.is_active:
        raise ValidationError(_("Ban chỉ đạo này đã ngừng hoạt động."), code="inactive")
    _check_target(committee, area, decision)
    _check_after_latest(committee, decision)
    ending = [*leaving, *changed]
    in_office = _seats_in_office(committee, decision, ending)
    ended_ids = {m.pk for m in ending}
    staying = [m for m in in_office if m.pk not in ended_ids]
    seats = [Seat.of(m) for m in staying] + [*changed.values(), *joining]
    if not seats:
        raise ValidationError(_("Hãy nhập ít nhất một thành viên."), code="no_members")
    _check_single_roles(seats)

    carried = SteeringCommittee(
        area=area,
        name=name.strip() or committee_name_on(area),
        standing_body=committee.standing_body if standing_body is None else standing_body,
        regulation=committee.regulation if regulation is None else regulation,
        carried_from=committee,
    )
    carried.full_clean()
    carried.save()
    decision.committee = carried
    decision.kind = DecisionKind.CONSOLIDATED
    if not decision.summary:
        with translation.override("vi"):  # kept as data, like the name (the label's map too)
            former_label = str(committee.area.label)
        decision.summary = (
            "Kiện toàn ban chỉ đạo sau sắp xếp đơn vị hành chính, tiếp nối ban chỉ đạo "
            f"của {former_label}"
        )
    _check_decision(decision)
    decision.save()
    in_office_ids = {m.pk for m in in_office}
    _end_seats(list(committee.memberships.filter(pk__in=in_office_ids)), decision)
    for membership in staying:
        # A term that was to end later keeps its end on the new committee.
        _new_seat(carried, Seat.of(membership), decision, term_end=membership.term_end)
    for seat in [*changed.values(), *joining]:
        _new_seat(carried, seat, decision)
    committee.is_active = False
    committee.save(update_fields=["is_active"])
    return carried


def committee_warnings(committee: SteeringCommittee, members: list[Membership]) -> list[str]:
    """What a secretariat should act on: empty key seats and terms about to end."""
    today = datetime.date.today()
    roles = {m.committee_role for m in members}
    warnings = [
        _("Chưa có %(role)s.") % {"role": CommitteeRole(role).label}
        for role in SINGLE_ROLES
        if role not in roles
    ]
    soon = today + datetime.timedelta(days=TERM_ENDING_DAYS)
    warnings += [
        _("Nhiệm kỳ của %(name)s (%(role)s) kết thúc ngày %(day)s.")
        % {
            "name": m.full_name,
            "role": m.get_committee_role_display(),
            "day": m.term_end.strftime("%d/%m/%Y"),
        }
        for m in members
        if m.term_end and m.term_end <= soon
    ]
    return warnings
