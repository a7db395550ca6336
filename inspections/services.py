"""A petition's handling: the allowed steps, each recorded with who, when and why (its due
dates follow, ``Petition.refresh_due_dates``); and its protected identity.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from committees.models import Role, User

from . import deadlines
from .choices import BEFORE_ACCEPTANCE, SETTLED
from .models import (
    IdentityAccess,
    Outcome,
    Petition,
    PetitionEvent,
    PetitionKind,
    Status,
)

# The steps a petition may take; everything else is refused.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.RECEIVED: (Status.CLASSIFIED, Status.WITHDRAWN),
    Status.CLASSIFIED: (Status.ACCEPTED, Status.NOT_ACCEPTED, Status.FORWARDED, Status.WITHDRAWN),
    Status.ACCEPTED: (Status.BEING_RESOLVED, Status.WITHDRAWN),
    Status.BEING_RESOLVED: (Status.RESOLVED, Status.WITHDRAWN),
    Status.RESOLVED: (Status.CLOSED,),
    Status.NOT_ACCEPTED: (),
    Status.FORWARDED: (),
    Status.CLOSED: (),
    Status.WITHDRAWN: (),
}


def allowed_steps(petition: Petition) -> tuple[str, ...]:
    return TRANSITIONS[petition.status]


def _check_editable(petition: Petition, actor: User) -> None:
    if not Petition.objects.editable_by(actor).filter(pk=petition.pk).exists():
        raise PermissionDenied


@transaction.atomic
def petition_transition(
    *,
    petition: Petition,
    to: str,
    actor: User,
    on: datetime.date | None = None,
    note: str = "",
    outcome: str = "",
) -> Petition:
    """Move a petition one step, or refuse with a message and change nothing."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    _check_editable(petition, actor)
    on = on or datetime.date.today()
    if to not in TRANSITIONS[petition.status]:
        raise ValidationError(
            _("Không thể chuyển đơn từ trạng thái “%(current)s” sang “%(target)s”.")
            % {"current": petition.get_status_display(), "target": Status(to).label},
            code="transition",
        )
    if on > datetime.date.today():
        raise ValidationError({"on": _("Ngày thực hiện không được sau ngày hôm nay.")})
    if on < petition.received_on:
        raise ValidationError({"on": _("Ngày thực hiện không được trước ngày nhận đơn.")})
    if to == Status.RESOLVED:
        if petition.kind != PetitionKind.PETITION and outcome not in Outcome.values:
            raise ValidationError(
                {"outcome": _("Hãy chọn kết quả giải quyết: đúng, sai hoặc đúng một phần.")}
            )
        petition.outcome = outcome
        petition.resolved_on = on
    if to == Status.ACCEPTED:
        petition.accepted_on = on
    if to in SETTLED:
        petition.settled_on = on
    if to in (Status.NOT_ACCEPTED, Status.FORWARDED, Status.WITHDRAWN) and not note.strip():
        raise ValidationError({"note": _("Hãy ghi lý do.")})
    PetitionEvent.objects.create(
        petition=petition, from_status=petition.status, to_status=to, on=on, actor=actor, note=note
    )
    petition.status = to
    petition.save()  # with its due dates for the new state
    return petition


@transaction.atomic
def petition_extend(*, petition: Petition, actor: User, note: str) -> Petition:
    """Extend a denunciation's resolution by 30 days, within what the law allows."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    _check_editable(petition, actor)
    if petition.status not in (Status.ACCEPTED, Status.BEING_RESOLVED):
        raise ValidationError(_("Chỉ gia hạn đơn đã thụ lý và đang giải quyết."), code="state")
    if not deadlines.can_extend(petition.kind, petition.complexity, petition.extensions):
        raise ValidationError(
            _(
                "Không thể gia hạn thêm: Điều 30 Luật Tố cáo 2018 chỉ cho gia hạn một lần với "
                "vụ việc phức tạp, hai lần với vụ việc đặc biệt phức tạp."
            ),
            code="extension",
        )
    if not note.strip():
        raise ValidationError({"note": _("Hãy ghi lý do gia hạn.")})
    petition.extensions += 1
    PetitionEvent.objects.create(
        petition=petition,
        from_status=petition.status,
        to_status=petition.status,
        on=datetime.date.today(),
        actor=actor,
        note=_("Gia hạn lần %(n)s: %(note)s") % {"n": petition.extensions, "note": note},
    )
    petition.save()  # with the extended resolution deadline
    return petition


def may_extend_verification(petition: Petition) -> bool:
    """A denunciation still being classified whose first step was not extended yet."""
    return (
        petition.kind == PetitionKind.DENUNCIATION
        and petition.status in BEFORE_ACCEPTANCE
        and not petition.verification_days
    )


@transaction.atomic
def petition_extend_verification(
    *, petition: Petition, actor: User, days: int, note: str, on: datetime.date | None = None
) -> Petition:
    """Extend a denunciation's first step for verification by up to 10 working days, once
    (Điều 24 khoản 1 Luật Tố cáo 2018: several places to check, or a check entrusted to
    another body); recorded as a dated event, the first deadline moves with it."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    _check_editable(petition, actor)
    on = on or datetime.date.today()
    errors: dict[str, list[str]] = {}
    if petition.kind != PetitionKind.DENUNCIATION:
        errors["kind"] = [_("Chỉ đơn tố cáo mới được kéo dài thời hạn để xác minh.")]
    elif petition.verification_days:
        errors["days"] = [_("Thời hạn xử lý ban đầu của đơn này đã được kéo dài một lần.")]
    elif petition.status not in BEFORE_ACCEPTANCE:
        errors["status"] = [_("Chỉ kéo dài thời hạn khi đơn chưa được thụ lý.")]
    if not 1 <= days <= deadlines.MAX_VERIFICATION_DAYS:
        errors["days"] = [
            _("Thời hạn kéo dài từ 1 đến %(n)s ngày làm việc (Điều 24 khoản 1 Luật Tố cáo 2018).")
            % {"n": deadlines.MAX_VERIFICATION_DAYS}
        ]
    if not note.strip():
        errors["note"] = [_("Hãy ghi lý do kéo dài (xác minh nhiều địa điểm, ủy quyền xác minh).")]
    if on > datetime.date.today() or on < petition.received_on:
        errors["on"] = [_("Ngày kéo dài phải từ ngày nhận đơn đến hôm nay.")]
    if errors:
        raise ValidationError(errors)
    petition.verification_days = days
    PetitionEvent.objects.create(
        petition=petition,
        from_status=petition.status,
        to_status=petition.status,
        on=on,
        actor=actor,
        note=_("Kéo dài %(n)s ngày làm việc để xác minh: %(note)s") % {"n": days, "note": note},
    )
    petition.save()  # with the extended first deadline
    return petition


# --- The protected identity -------------------------------------------------------------

MASK = "••••••"
IDENTITY_FIELDS = ("petitioner_name", "petitioner_address", "petitioner_contact")


def may_see_identity(petition: Petition, user: User) -> bool:
    """Anyone in scope sees a complainant; a denouncer only a petition officer in scope."""
    if not petition.is_protected:
        return True
    paths = user.scope_paths([Role.PETITION_OFFICER])
    return any(petition.area.path.startswith(path) for path in paths)


def identity(petition: Petition, user: User, *, channel: str) -> dict[str, str]:
    """The petitioner's identity as ``user`` may see it; a protected one is logged."""
    if not may_see_identity(petition, user):
        return dict.fromkeys(IDENTITY_FIELDS, MASK)
    if petition.is_protected:
        IdentityAccess.objects.create(petition=petition, user=user, channel=channel)
    return {name: getattr(petition, name) for name in IDENTITY_FIELDS}


def masked_name(petition: Petition) -> str:
    """The name for lists and exports: a denouncer's never appears there."""
    return MASK if petition.is_protected else petition.petitioner_name
