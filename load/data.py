"""The officials of a load run, and the reporting period they file in.

December of the current year on the 2025 map: a few provinces have opened their period,
each commune of theirs has an official who files, the province has staff who review, and
viewers and API clients read. Every simulated official logs in with an account of their
own (one password for all, hashed once).
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from committees.models import Area, Level, Role, RoleAssignment, Structure, User
from reports.models import AnnualReport, ExportJob, ReportingPeriod, SummaryReport

PASSWORD = "qcdc-load-2026"  # noqa: S105 - the throw-away load database's accounts
# Provinces of the 2025 map whose communes file in a full run (Quảng Ninh, Hà Nội, Thanh
# Hóa, Hồ Chí Minh City: 54 to 168 communes each); a small run has only Quảng Ninh.
PROVINCES = ("22", "01", "38", "79")


@dataclass(frozen=True)
class Mix:
    """How many simulated officials of each kind; they add up to the users of the run."""

    filers: int
    reviewers: int
    readers: int
    api_clients: int

    @classmethod
    def of(cls, users: int) -> Mix:
        # December: most users are communes filing; a tenth are provincial reviewers.
        reviewers = max(1, users // 10)
        readers = max(1, users * 2 // 10)
        api_clients = max(1, users * 15 // 100)
        return cls(users - reviewers - readers - api_clients, reviewers, readers, api_clients)

    @property
    def total(self) -> int:
        return self.filers + self.reviewers + self.readers + self.api_clients


@dataclass
class Official:
    """What a simulated official knows before logging in: who they are and where they
    work (as their bookmarks and the period's page would tell them)."""

    username: str
    kind: str
    province: str
    period: int
    area: int | None = None


@dataclass
class Cast:
    password: str
    year: int
    periods: dict[str, int]
    officials: list[Official] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def provinces() -> list[Area]:
    found = Area.objects.filter(structure=Structure.Y2025, level=Level.PROVINCE)
    chosen = list(found.filter(code__in=PROVINCES).order_by("code"))
    if not chosen:
        raise RuntimeError("no province of the 2025 map in the database (run load_areas)")
    return chosen


@transaction.atomic
def reset(today: datetime.date) -> None:
    """Undo a previous run on a kept database (``--reuse``): its exports, the reports filed
    in this year's periods, its officials. The generated records stay."""
    ExportJob.objects.all().delete()
    AnnualReport.objects.filter(period__year=today.year).delete()
    SummaryReport.objects.filter(period__year=today.year).delete()
    User.objects.filter(username__startswith="load.").delete()


@transaction.atomic
def cast(mix: Mix, today: datetime.date) -> Cast:
    """Open this year's period in each chosen province and create the officials."""
    chosen = provinces()
    year = today.year
    periods = {}
    for province in chosen:
        period, _created = ReportingPeriod.objects.get_or_create(
            province=province,
            year=year,
            defaults={
                "opens_on": today - datetime.timedelta(days=14),
                "due_on": today + datetime.timedelta(days=14),
            },
        )
        periods[province.code] = period.pk
    result = Cast(PASSWORD, year, periods)
    encoded = make_password(PASSWORD)
    communes = {
        p.code: list(
            Area.objects.filter(parent=p, level=Level.COMMUNE).order_by("code").values("pk", "code")
        )
        for p in chosen
    }

    def add(username: str, kind: str, province: Area, role: str, area_pk: int) -> None:
        user = User.objects.create(username=username, password=encoded, full_name=username)
        RoleAssignment.objects.create(user=user, area_id=area_pk, role=role)
        result.officials.append(
            Official(username, kind, province.code, periods[province.code], area_pk)
        )

    for n in range(mix.filers):
        province = chosen[n % len(chosen)]
        commune = communes[province.code][n // len(chosen) % len(communes[province.code])]
        name = f"load.xa.{commune['code']}.{n}"
        add(name, "filer", province, Role.COMMUNE_OFFICIAL, commune["pk"])
    for n in range(mix.reviewers):
        province = chosen[n % len(chosen)]
        name = f"load.tinh.{province.code}.{n}"
        add(name, "reviewer", province, Role.PROVINCIAL_STAFF, province.pk)
    for n in range(mix.readers):
        province = chosen[n % len(chosen)]
        role = Role.VIEWER if n % 2 else Role.PETITION_OFFICER
        add(f"load.xem.{province.code}.{n}", "reader", province, role, province.pk)
    for n in range(mix.api_clients):
        province = chosen[n % len(chosen)]
        commune = communes[province.code][n // len(chosen) % len(communes[province.code])]
        add(f"load.api.{province.code}.{n}", "api", province, Role.COMMUNE_OFFICIAL, commune["pk"])
    return result
