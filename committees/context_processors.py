"""What the base layout needs on every page: the user's roles and the navigation."""

import datetime
import functools
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import EDITOR_ROLES, Level, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    icon: str
    url_name: str
    # the URL names (by prefix) under which this item is the current one
    prefixes: tuple[str, ...]
    query: str = ""

    def url(self) -> str:
        return _url(self.url_name, self.query, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=256)
def _url(url_name: str, query: str, prefix: str, urlconf) -> str:
    """A menu item's address, reversed once per script prefix and URLconf (the menu is on
    every page: a dozen reversals each time)."""
    return reverse(url_name, urlconf=urlconf) + (f"?{query}" if query else "")


# The main menu: single items, and groups shown as a dropdown.
NAVIGATION: list[tuple[str | None, str, list[NavItem]]] = [
    (None, "", [NavItem(_("Trang chủ"), "house", "home", ("home",))]),
    (None, "", [NavItem(_("Địa bàn"), "diagram-3", "committees:area_list", ("area_",))]),
    (
        None,
        "",
        [
            NavItem(
                # "menu": short where the page's title is long ("Committees").
                pgettext_lazy("menu", "Ban chỉ đạo"),
                "people",
                "committees:committee_list",
                ("committee_", "membership_"),
            )
        ],
    ),
    (
        _("Hồ sơ"),
        "folder2-open",
        [
            NavItem(_("Kế hoạch năm"), "calendar-check", "committees:plan_list", ("plan_",)),
            NavItem(
                _("Nhiệm vụ quá hạn"),
                "alarm",
                "committees:task_list",
                ("task_",),
                query="overdue=true",
            ),
            NavItem(
                _("Văn bản chỉ đạo"),
                "file-earmark-text",
                "committees:document_list",
                ("document_",),
            ),
            NavItem(
                _("Đơn vị thực hiện QCDC"),
                "buildings",
                "committees:memberunit_list",
                ("memberunit_", "unitevent_"),
            ),
            NavItem(
                _("Thực hiện dân chủ ở xã, phường"),
                "megaphone",
                "committees:democracyactivity_list",
                ("democracyactivity_",),
            ),
            NavItem(
                _("Hương ước, quy ước"),
                "journal-bookmark",
                "committees:villageconvention_list",
                ("villageconvention_",),
            ),
            NavItem(
                _("Tập huấn, tuyên truyền"), "easel", "committees:training_list", ("training_",)
            ),
            NavItem(
                _("Mô hình điển hình"),
                "stars",
                "committees:typicalmodel_list",
                ("typicalmodel_",),
            ),
            NavItem(_("Khen thưởng"), "award", "committees:commendation_list", ("commendation_",)),
        ],
    ),
]


def _menu(url_name: str) -> list[dict]:
    menu = []
    for label, icon, items in NAVIGATION:
        entries = [
            {"item": item, "url": item.url(), "active": url_name.startswith(item.prefixes)}
            for item in items
        ]
        menu.append(
            {
                "label": label,
                "icon": icon,
                "entries": entries,
                "active": any(e["active"] for e in entries),
            }
        )
    return menu


def reorganised(user) -> list[dict]:
    """For a user whose every assignment is on a unit abolished by the 2025
    reorganisation: each such unit with the units of today's map that took it over. They
    still read the years before; for the present they need a new assignment."""
    if user.is_superuser:
        return []
    assignments = user.role_assignments()
    today = datetime.date.today()
    if not assignments or any(a.area.is_current(today) for a in assignments):
        return []
    return [
        {
            "area": a.area,
            "role": a.get_role_display(),
            "heirs": list(a.area.heirs()),
            # A district has no successor of its own: its common business went to the
            # province of today's map (services.areas attributes it there).
            "province": a.area.attributed_to if a.area.level == Level.DISTRICT else None,
        }
        for a in assignments
    ]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    assignments = user.role_assignments()
    roles = {a.role for a in assignments}
    match = getattr(request, "resolver_match", None)
    return {
        "nav_menu": _menu(match.url_name or "" if match else ""),
        "nav_assignments": assignments,
        "nav_can_edit": user.is_superuser or bool(roles & EDITOR_ROLES),
        "nav_is_petition_officer": Role.PETITION_OFFICER in roles,
        "nav_reorganised": reorganised(user),
    }
