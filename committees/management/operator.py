"""What the operators' commands share: reading an area code, naming who acts, and
listing the ids of many records on one readable line."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from committees.models import Area, Structure, User

# Ids listed on one line before "… and n more".
IDS_SHOWN = 30


def area_by_code(code: str, structure: str) -> Area:
    """The area of ``structure`` with the official ``code`` (codes repeat across maps)."""
    try:
        return Area.objects.select_related("attributed_to").get(structure=structure, code=code)
    except Area.DoesNotExist:
        if structure == Structure.LEGACY:
            message = _("Không có đơn vị hành chính cũ (đến 30/06/2025) mã %(code)s.")
        else:
            message = _("Không có đơn vị hành chính từ 01/07/2025 mã %(code)s.")
        raise CommandError(message % {"code": code}) from None


def administrator(username: str | None, *, required: bool) -> User | None:
    """The administrator named by ``--by``: the history says who moved what."""
    if not username:
        if required:
            raise CommandError(
                _("Hãy cho biết ai thực hiện (lịch sử thay đổi ghi tên): --by <tên đăng nhập>.")
            )
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not user.is_superuser:
        raise CommandError(
            _("%(name)s không phải tài khoản quản trị viên đang hoạt động.") % {"name": username}
        )
    return user


def ids_text(ids: Sequence[int], *, every: bool = False) -> str:
    """ "#4, #5, #9" — past ``IDS_SHOWN`` ids, "… (+120)" unless ``every``."""
    shown = ids if every else ids[:IDS_SHOWN]
    text = ", ".join(f"#{pk}" for pk in shown)
    if len(ids) > len(shown):
        text += " " + _("… (và %(n)s bản ghi khác)") % {"n": len(ids) - len(shown)}
    return text


def person(user: User) -> str:
    """ "huyen.halong (Nguyễn Văn An)": the login an operator types, and the name."""
    return f"{user.username} ({user.full_name})" if user.full_name else user.username
