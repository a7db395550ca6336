"""The personas of the suite (STYLE.md §10), defined once for the fixtures of
``tests/conftest.py`` and for the access matrix (``tests/security/matrix.py``).

Each persona is a user with one role on a real area of Quảng Ninh, on the map before
the 2025 reform (``legacy``), on today's map (``2025``) or on both (the areas are in the
test database from the start: see ``django_db_setup`` in the conftest):

======================  ========  ========================================================
fixture                 username  who
======================  ========  ========================================================
provincial_staff        tinh      standing office of the provincial committee (both maps)
secretariat_a           halong    district secretariat of Hạ Long (district A)
secretariat_b           campha    district secretariat of Cẩm Phả (district B)
commune_official        hakhanh   commune official of Hà Khánh (a commune of district A)
commune_official_today  caoxanh   commune official of Phường Cao Xanh, today's map (it
                                  took over Hà Khánh on 01/07/2025)
viewer                  xem       committee member of the province: reads, changes nothing
petition_officer        donthu    petition officer of the province (both maps)
administrator           quantri   superuser
stranger                tinhkhac  provincial staff of another province (made up: code 99)
anonymous               —         not signed in (no user)
======================  ========  ========================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import make_password

from committees.models import Area, Level, Role, RoleAssignment, Structure, User

PASSWORD = "correct-horse-battery"

PROVINCE = "22"  # Tỉnh Quảng Ninh
DISTRICT_A = "193"  # Thành phố Hạ Long
DISTRICT_B = "195"  # Thành phố Cẩm Phả
COMMUNE_A = "06649"  # Phường Hà Khánh, Hạ Long
COMMUNE_B = "06760"  # a commune of Cẩm Phả
COMMUNE_A_TODAY = "06658"  # Phường Cao Xanh, which took over Hà Khánh on 01/07/2025
ELSEWHERE = "99"  # a province that does not exist: the stranger's


@dataclass(frozen=True)
class Persona:
    """A user with a role on the area of one code on each of the maps ``structures``."""

    username: str
    role: str | None = None
    code: str | None = None
    structures: tuple[str, ...] = (Structure.LEGACY,)
    superuser: bool = False


BOTH_MAPS = (Structure.LEGACY, Structure.Y2025)  # the province keeps its code across 2025


PERSONAS: dict[str, Persona | None] = {
    "provincial_staff": Persona("tinh", Role.PROVINCIAL_STAFF, PROVINCE, BOTH_MAPS),
    "secretariat_a": Persona("halong", Role.DISTRICT_SECRETARIAT, DISTRICT_A),
    "secretariat_b": Persona("campha", Role.DISTRICT_SECRETARIAT, DISTRICT_B),
    "commune_official": Persona("hakhanh", Role.COMMUNE_OFFICIAL, COMMUNE_A),
    "commune_official_today": Persona(
        "caoxanh", Role.COMMUNE_OFFICIAL, COMMUNE_A_TODAY, (Structure.Y2025,)
    ),
    "viewer": Persona("xem", Role.VIEWER, PROVINCE),
    "petition_officer": Persona("donthu", Role.PETITION_OFFICER, PROVINCE, BOTH_MAPS),
    "administrator": Persona("quantri", superuser=True),
    "stranger": Persona("tinhkhac", Role.PROVINCIAL_STAFF, ELSEWHERE),
    "anonymous": None,
}


def area(code: str, structure: str = Structure.LEGACY) -> Area:
    return Area.objects.get(structure=structure, code=code)


@cache
def _hashed(password: str, hasher: str) -> str:
    return make_password(password)


def password_hash(password: str = PASSWORD) -> str:
    """``password`` hashed by the first configured hasher, once per process: hashing is
    meant to be slow (a second under load), and the suite makes thousands of users."""
    return _hashed(password, settings.PASSWORD_HASHERS[0])


def _elsewhere() -> Area:
    """The stranger's province, made up (a code no real province has)."""
    province, _created = Area.objects.get_or_create(
        structure=Structure.LEGACY,
        code=ELSEWHERE,
        defaults={
            "name": "Tỉnh Thử Nghiệm",
            "short_name": "Thử Nghiệm",
            "kind": "Tỉnh",
            "level": Level.PROVINCE,
        },
    )
    return province


def make(key: str) -> User | None:
    """Create the persona ``key`` (None for the anonymous visitor), with its roles."""
    from tests.factories import UserFactory

    persona = PERSONAS[key]
    if persona is None:
        return None
    user = UserFactory(
        username=persona.username, is_staff=persona.superuser, is_superuser=persona.superuser
    )
    if persona.code == ELSEWHERE:
        places = [_elsewhere()]
    elif persona.code:
        places = [area(persona.code, structure) for structure in persona.structures]
    else:
        places = []
    for place in places:
        RoleAssignment.objects.create(user=user, role=persona.role, area=place)
    return user
