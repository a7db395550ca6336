"""seed_demo: the demo province, a user per role, the 2024 trainings of the seed article,
the inspections and the reports of the province's 2024 report."""

import pytest
from django.core.management import call_command

from committees.models import (
    AnnualPlan,
    Area,
    Commendation,
    Document,
    MemberUnit,
    PlanTask,
    RoleAssignment,
    SteeringCommittee,
    Training,
    TypicalModel,
    User,
)
from inspections.models import Inspection, Petition
from tests.helpers import kept_for_the_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module: it takes seconds."""
    with kept_for_the_module(django_db_blocker):
        call_command("seed_demo", stdout=None)
        yield


def test_it_seeds_quang_ninh_with_a_user_per_role_and_runs_again_safely():
    call_command("seed_demo", stdout=None)  # the second run
    assert set(User.objects.values_list("username", flat=True)) == {
        "quantri",
        "tinh.quangninh",
        "huyen.halong",
        "xa.hakhanh",
        "xem.quangninh",
        "donthu.quangninh",
    }
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert len(roles) == 5
    assert User.objects.get(username="huyen.halong").check_password("qcdc-demo-2024")


def test_its_2024_trainings_sum_to_the_provinces_reported_figures():
    totals = (
        Training.objects.within(Area.objects.get(structure="legacy", code="22"))
        .in_year(2024)
        .totals()
    )
    assert (totals["classes"], totals["attendances"]) == (72, 8532)


def test_all_its_units_issued_their_regulation():
    figures = MemberUnit.objects.within(Area.objects.get(structure="legacy", code="22"))
    figures = figures.regulation_figures()
    assert figures["units"] == 13 + 171
    assert figures["with_regulation"] == figures["units"]


def test_its_2024_documents_match_the_provinces_report():
    province = Area.objects.get(structure="legacy", code="22")
    issued_by_the_province = Document.objects.filter(area=province, issued_on__year=2024)
    assert issued_by_the_province.count() == 28
    halong = Area.objects.get(structure="legacy", code="193")
    assert Document.objects.within(halong).filter(issued_on__year=2024).count() == 6


def test_it_holds_plans_models_and_a_consolidated_committee():
    province = Area.objects.get(structure="legacy", code="22")
    assert AnnualPlan.objects.within(province).count() == 2
    assert PlanTask.objects.within(province).overdue().exists()
    assert TypicalModel.objects.within(province).count() == 5
    assert Commendation.objects.within(province).count() == 5
    committee = SteeringCommittee.objects.get(area=province, is_active=True)
    assert [d.kind for d in committee.decisions.order_by("signed_on")] == [
        "established",
        "consolidated",
    ]
    call_command("seed_demo", stdout=None)  # a second run adds nothing
    assert TypicalModel.objects.within(province).count() == 5
    assert committee.decisions.count() == 2


def test_the_2024_summary_reproduces_the_provinces_report():
    from reports.models import ReportingPeriod
    from reports.selectors import completeness, summary

    call_command("seed_demo", stdout=None)
    period = ReportingPeriod.objects.get(province__code="22", year=2024)
    totals = {line.indicator.code: line.total for line in summary(period)["lines"]}
    assert totals["training_classes"] == 72 and totals["training_attendances"] == 8532
    assert (totals["inspection_organisations"], totals["inspection_members"]) == (1688, 7113)
    assert (totals["supervision_organisations"], totals["supervision_members"]) == (1524, 5955)
    assert totals["units_regulation_share"] == 100
    figures = completeness(period)
    assert (figures["expected"], figures["on_time"], figures["late"]) == (13, 12, 1)


def test_the_demo_inspections_add_up_to_the_provinces_2024_report():
    province = Area.objects.get(structure="legacy", code="22")
    totals = Inspection.objects.within(province).filter(held_on__year=2024).totals()
    assert (totals["inspection_organisations"], totals["inspection_members"]) == (1688, 7113)
    assert (totals["supervision_organisations"], totals["supervision_members"]) == (1524, 5955)
    halong = Area.objects.get(structure="legacy", code="193")
    assert Petition.objects.within(halong).overdue().exists()
