"""Who signs a report, and under which title (Hướng dẫn 36-HD/VPTW, "thể thức đề ký").

A committee's document is signed "T/M BAN CHỈ ĐẠO" by its head, or by a deputy who signs
for the head ("K/T TRƯỞNG BAN", then the deputy's own title). The signer is a member of
the area's committee in office on the document's date: the seats are read back as they
stood that day (``Membership.objects.on``), from the area's own committee or, for the days
before 01/07/2025, from the committee of the unit it took over whose committee was carried
onto it (``SteeringCommittee.carried_from``). A name is never printed under a title that
is not the person's own on that day.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from committees.models import Area, CommitteeRole, Membership

from .models import SignerRole

# The seats that sign, in the order the signature block prefers them.
SIGNING_ROLES = (CommitteeRole.HEAD, CommitteeRole.STANDING_DEPUTY, CommitteeRole.DEPUTY)


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def signatories(area: Area, day: datetime.date) -> list[Membership]:
    """The members who may sign for the area's committee on ``day``: head first, then the
    standing deputy and the deputies; those of the area's own committee before those of
    a committee across the reorganisation."""
    # A committee carried onto the area from a unit it took over (01/07/2025) answers for
    # the days before; a committee stopped since still signed then.
    linked = Q(committee__area=area) | Q(committee__carried_to__area=area)
    members = (
        Membership.objects.on(day)
        .filter(linked, committee_role__in=SIGNING_ROLES)
        .select_related("committee")
        .distinct()
        .by_rank()
    )
    rank = {role: n for n, role in enumerate(SIGNING_ROLES)}
    ordered = sorted(
        members, key=lambda m: (rank[m.committee_role], m.committee.area_id != area.pk)
    )
    seen: set[tuple[str, str]] = set()
    result = []
    for member in ordered:  # a person carried over in the same seat is listed once
        key = (" ".join(member.full_name.split()).casefold(), member.committee_role)
        if key not in seen:
            seen.add(key)
            result.append(member)
    return result


def signer_error(area: Area, day: datetime.date, name: str, role: str) -> str | None:
    """Why ``name`` cannot sign as ``role`` on ``day``, or None. Where the committee's
    members on that day are known, the name must be one of them, in that very seat."""
    if not name.strip():
        return None
    members = signatories(area, day)
    matching = [m for m in members if _same_name(m.full_name, name)]
    when = day.strftime("%d/%m/%Y")
    if matching:
        roles = {m.committee_role for m in matching}
        if role and role not in roles:
            return _(
                "Ngày %(day)s, %(name)s là %(theirs)s của Ban Chỉ đạo, không ký với chức danh "
                "%(role)s."
            ) % {
                "day": when,
                "name": matching[0].full_name,
                "theirs": matching[0].get_committee_role_display(),
                "role": SignerRole(role).label,
            }
        return None
    if members:
        return _(
            "Ngày %(day)s, %(name)s không phải Trưởng ban hoặc Phó Trưởng ban của Ban Chỉ đạo; "
            "hãy chọn người ký trong danh sách thành viên."
        ) % {"day": when, "name": name.strip()}
    return None


def signature(area: Area, day: datetime.date, name: str, role: str) -> dict:
    """The signature block: its lines (``T/M BAN CHỈ ĐẠO`` …) and the name under them.

    A name typed for the document is printed under the title of the seat its person held
    that day; a name the committee's records contradict is left for the signer to write.
    Without a name, the holder of the seat (the head by default) signs."""
    members = signatories(area, day)
    name = " ".join(name.split())
    if name:
        matching = [m for m in members if _same_name(m.full_name, name)]
        if matching:
            role = next((m.committee_role for m in matching if m.committee_role == role), None)
            role = role or matching[0].committee_role
        elif members:
            name = ""
    role = role or SignerRole.HEAD
    if not name:
        holders = [m for m in members if m.committee_role == role]
        holders = [m for m in holders if m.committee.area_id == area.pk] or holders
        name = holders[0].full_name if len(holders) == 1 else ""
    lines = [_("T/M BAN CHỈ ĐẠO")]
    if role == SignerRole.HEAD:
        lines.append(_("TRƯỞNG BAN"))
    else:
        lines.append(_("K/T TRƯỞNG BAN"))
        lines.append(
            _("PHÓ TRƯỞNG BAN THƯỜNG TRỰC")
            if role == SignerRole.STANDING_DEPUTY
            else _("PHÓ TRƯỞNG BAN")
        )
    return {"lines": lines, "name": name}
