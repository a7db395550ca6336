"""Opening and saving a report writes what changed, and nothing else: under December's
load every opening of a report rewrote its 28 figures and a history row for each."""

import datetime

import pytest

from reports.models import ReportValue
from reports.services import report_start
from tests.conftest import DISTRICT_A
from tests.factories import ReportingPeriodFactory, TrainingFactory, area

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(quang_ninh, secretariat_a):
    period = ReportingPeriodFactory(year=2024)
    return report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a)


def _history() -> int:
    return ReportValue.history.count()


def test_opening_a_report_again_writes_only_the_figures_the_records_changed(
    report, secretariat_a, django_assert_max_num_queries
):
    before = _history()
    with django_assert_max_num_queries(20):
        report_start(period=report.period, area=report.area, actor=secretariat_a)
    assert _history() == before

    TrainingFactory(area=area(DISTRICT_A), attendances=50, held_on=datetime.date(2024, 6, 1))
    report_start(period=report.period, area=report.area, actor=secretariat_a)

    changed = ReportValue.history.filter(history_type="~").values_list("indicator__code", flat=True)
    assert sorted(changed) == ["training_attendances", "training_classes"]
    assert report.values.get(indicator__code="training_attendances").value == 50


def test_a_save_records_the_figures_it_changed(login, report, secretariat_a):
    form = {"version": report.version, "results": "Kết quả tốt"}
    for v in report.values.select_related("indicator"):
        number = "" if v.value is None else v.value
        form[f"v_{v.indicator.code}"] = v.text if v.indicator.aggregation == "text" else number
    form["v_village_conventions"] = "4"  # corrected by hand, with its reason
    form["r_village_conventions"] = "Theo sổ theo dõi của phòng Tư pháp"
    before = _history()

    login(secretariat_a).post(f"/reports/{report.pk}/edit/", form)

    report.refresh_from_db()
    assert report.version == 2 and report.results == "Kết quả tốt"
    assert _history() == before + 1
    assert report.values.get(indicator__code="village_conventions").value == 4
