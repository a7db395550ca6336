"""The worlds that `make soak` and `make load` build run through the same services as the
portal: when a rule of the portal changes, they must still build (they are not in the
suite otherwise, and a run takes ten minutes to find out)."""

import datetime

import pytest

from committees.models import Level, Role, RoleAssignment
from load.data import Mix, cast
from reports.models import ReportStatus
from soak.data import HA_LONG, world

pytestmark = pytest.mark.django_db


def test_the_soak_world_has_its_accepted_reports_and_one_draft():
    w = world()

    assert w.draft.area.code == HA_LONG and w.draft.status == ReportStatus.DRAFT
    districts = w.period.filing_areas().filter(level=Level.DISTRICT).count()
    assert len(w.accepted) == districts - 1
    for report in w.accepted:
        report.refresh_from_db()
        assert report.status == ReportStatus.ACCEPTED
        # The province's staff accepted what someone else filed.
        assert report.events.get(to_status=ReportStatus.ACCEPTED).actor == w.staff


def test_the_load_cast_opens_this_years_period_and_gives_every_official_an_account():
    today = datetime.date(2026, 12, 1)
    mix = Mix.of(20)

    result = cast(mix, today)

    assert len(result.officials) == mix.total == 20
    assert result.year == 2026 and list(result.periods) == ["22"]  # Quảng Ninh, in the tests
    kinds = {kind: sum(o.kind == kind for o in result.officials) for kind in ("filer", "api")}
    assert kinds == {"filer": mix.filers, "api": mix.api_clients}
    filers = [o.username for o in result.officials if o.kind == "filer"]
    assert RoleAssignment.objects.filter(
        user__username__in=filers, role=Role.COMMUNE_OFFICIAL, area__level=Level.COMMUNE
    ).count() == len(filers)
