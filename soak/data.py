"""The soak's world: Quảng Ninh's 2024 reporting year (twelve districts' reports accepted,
Hạ Long's a draft that two of its officials edit), a petition in Hạ Long and one in Cẩm Phả
whose subjects are markers, and the officials who log in."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from committees.models import Area, Level, Role, RoleAssignment, Structure, User
from inspections.models import Petition
from reports.demo import NARRATIVE as SECTIONS
from reports.models import AnnualReport, ReportingPeriod, ReportStatus
from reports.services import report_start, report_transition

PASSWORD = "qcdc-soak-2026"  # noqa: S105 - the throw-away soak database's accounts
PROVINCE, HA_LONG, CAM_PHA = "22", "193", "195"


@dataclass
class World:
    period: ReportingPeriod
    draft: AnnualReport  # Hạ Long's, edited by two officials at once
    accepted: list[AnnualReport]
    staff: User
    halong: tuple[User, User]
    campha: User
    markers: dict[str, str]  # username → a text only that user's pages may show


def _legacy(code: str) -> Area:
    return Area.objects.get(structure=Structure.LEGACY, code=code)


def _user(username: str, full_name: str, role: str, *areas: Area) -> User:
    user = User.objects.create(
        username=username, full_name=full_name, password=make_password(PASSWORD)
    )
    for area in areas:
        RoleAssignment.objects.create(user=user, area=area, role=role)
    return user


def world() -> World:
    province = _legacy(PROVINCE)
    staff = _user(
        "soak.tinh",
        "Văn phòng BCĐ tỉnh",
        Role.PROVINCIAL_STAFF,
        province,
        Area.objects.get(structure=Structure.Y2025, code=PROVINCE),
    )
    marker = secrets.token_hex(4)
    halong = (
        _user(
            "soak.halong.1", f"Hạ Long một {marker}", Role.DISTRICT_SECRETARIAT, _legacy(HA_LONG)
        ),
        _user(
            "soak.halong.2", f"Hạ Long hai {marker}", Role.DISTRICT_SECRETARIAT, _legacy(HA_LONG)
        ),
    )
    campha = _user("soak.campha", f"Cẩm Phả {marker}", Role.DISTRICT_SECRETARIAT, _legacy(CAM_PHA))
    markers = {}
    for user, code in ((halong[0], HA_LONG), (campha, CAM_PHA)):
        subject = f"Đơn đánh dấu {user.username} {secrets.token_hex(6)}"
        Petition.objects.create(
            area=_legacy(code),
            kind="petition",
            channel="post",
            field="policy",
            received_on=datetime.date.today(),
            petitioner_name="Trần Thị Bình",
            subject=subject,
            handling_body="UBND",
        )
        markers[user.username] = subject
    period = ReportingPeriod.objects.create(
        province=province,
        year=2024,
        opens_on=datetime.date(2024, 11, 15),
        due_on=datetime.date(2024, 12, 15),
    )
    chief = User.objects.create_superuser("soak.quantri", "", secrets.token_urlsafe(16))
    accepted = []
    draft = None
    for district in period.filing_areas().filter(level=Level.DISTRICT).order_by("code"):
        report = report_start(period=period, area=district, actor=chief)
        if district.code == HA_LONG:
            draft = report
            continue
        for name, text in SECTIONS.items():  # what a report needs to be submitted
            setattr(report, name, text)
        report.save(update_fields=list(SECTIONS))
        report_transition(report=report, to=ReportStatus.SUBMITTED, actor=chief, notify=False)
        # The province's staff reviews; whoever filed (here the administrator, on the
        # district's behalf) may not accept their own report.
        report_transition(report=report, to=ReportStatus.ACCEPTED, actor=staff, notify=False)
        accepted.append(report)
    assert draft is not None
    return World(period, draft, accepted, staff, halong, campha, markers)
