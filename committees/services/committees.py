"""Establishing and consolidating (kiện toàn) a steering committee.

Both are one decision and a set of seats, saved together or not at all. A consolidation
never rewrites a seat: a member who leaves gets an end date (the day before the
decision) and the decision that ended it; a member whose role or position changes gets a
new seat from the decision's date. So ``Membership.objects.on(day)`` gives the committee
as it was on any day, and the history of decisions is the committee's own story.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    Area,
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


def _new_seat(committee: SteeringCommittee, seat: Seat, decision: CommitteeDecision) -> Membership:
    membership = Membership(
        committee=committee,
        full_name=seat.full_name.strip(),
        position=seat.position.strip(),
        organisation=seat.organisation.strip(),
        committee_role=seat.committee_role,
        term_start=decision.signed_on,
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
    latest = committee.decisions.order_by("-signed_on").first()
    if latest and decision.signed_on <= latest.signed_on:
        raise ValidationError(
            {
                "signed_on": _("Ngày ký phải sau quyết định gần nhất (số %(number)s ngày %(day)s).")
                % {"number": latest.number, "day": latest.signed_on.strftime("%d/%m/%Y")}
            },
            code="order",
        )
    _check_decision(decision)

    in_office = {m.pk: m for m in committee.memberships.on(decision.signed_on)}
    ending = [*leaving, *changed]
    strangers = [m for m in ending if m.pk not in in_office]
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
    ended_ids = {m.pk for m in ending}
    staying = [Seat.of(m) for pk, m in in_office.items() if pk not in ended_ids]
    _check_single_roles([*staying, *changed.values(), *joining])

    decision.save()
    day_before = decision.signed_on - datetime.timedelta(days=1)
    for membership in ending:
        membership.term_end = day_before
        membership.ended_by = decision
        membership.save(update_fields=["term_end", "ended_by"])
    for seat in [*changed.values(), *joining]:
        _new_seat(committee, seat, decision)
    return decision


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
