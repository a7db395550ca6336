"""Petition statistics as an inspectorate reports them: a hand-built history across two
windows gives the expected carried-over, received, accepted, resolved (on time or not),
outstanding and overdue figures and the rate, from the dated steps — the same as a
hand-written SQL over the steps' events, in one query — whatever the petitions' state
today; and the report's figures are these, each opening exactly its petitions."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.db import connection

from inspections.models import Petition
from inspections.services import petition_extend_verification, petition_transition
from reports.catalogue import Window, computed_figures, window_of
from reports.drilldown import BY_CODE
from reports.models import ReportingPeriod
from reports.services import report_start
from tests.conftest import DISTRICT_A, PROVINCE
from tests.factories import area, written

pytestmark = pytest.mark.django_db

D = datetime.date
FIRST_HALF = Window(D(2024, 1, 1), D(2024, 6, 30))
SECOND_HALF = Window(D(2024, 7, 1), D(2024, 12, 31))
ACCEPT = [("classified", 0), ("accepted", 0)]


def _petition(actor, received_on, steps, kind="complaint", **extra):
    """A petition of Hạ Long taken through ``steps`` ((step, day), …) as an officer does."""
    petition = Petition.objects.create(
        area=area(DISTRICT_A),
        kind=kind,
        channel="post",
        field="land",
        received_on=received_on,
        petitioner_name="Trần Văn Đơn",
        subject="Đơn về đất đai",
        handling_body="UBND thành phố Hạ Long",
        **extra,
    )
    for step, day in steps:
        note = "Lý do" if step in ("forwarded", "not_accepted", "withdrawn") else ""
        outcome = "partly" if step == "resolved" and kind != "petition" else ""
        petition = petition_transition(
            petition=petition, to=step, actor=actor, on=day, note=note, outcome=outcome
        )
    return petition


def _resolved(accepted_on, resolved_on):
    return [
        ("classified", accepted_on),
        ("accepted", accepted_on),
        ("being_resolved", accepted_on),
        ("resolved", resolved_on),
    ]


@pytest.fixture
def history(secretariat_a):
    """Eight petitions whose steps straddle the two halves of 2024."""
    by = secretariat_a
    return {
        # Accepted in 2023, resolved on time (45 days: complex) in January: carried into
        # the first half.
        "p8": _petition(
            by,
            D(2023, 11, 27),
            _resolved(D(2023, 12, 1), D(2024, 1, 10)),
            complexity="complex",
        ),
        # Resolved on time in the first half.
        "p1": _petition(by, D(2024, 3, 1), _resolved(D(2024, 3, 8), D(2024, 4, 1))),
        # Accepted in the first half, overdue at its end, resolved late in the second.
        "p2": _petition(by, D(2024, 5, 20), _resolved(D(2024, 5, 27), D(2024, 8, 15))),
        # A denunciation accepted in the first half and never resolved.
        "p3": _petition(
            by,
            D(2024, 6, 10),
            [("classified", D(2024, 6, 12)), ("accepted", D(2024, 6, 14))],
            kind="denunciation",
        ),
        # A reflection received in the first half, accepted and resolved in the second.
        "p4": _petition(by, D(2024, 6, 25), _resolved(D(2024, 7, 2), D(2024, 7, 10)), "petition"),
        # A second-round complaint forwarded, a first one not accepted.
        "p5": _petition(
            by,
            D(2024, 8, 5),
            [("classified", D(2024, 8, 6)), ("forwarded", D(2024, 8, 9))],
            round="second",
        ),
        "p6": _petition(
            by, D(2024, 9, 2), [("classified", D(2024, 9, 3)), ("not_accepted", D(2024, 9, 5))]
        ),
        # Accepted in February, overdue at the end of June, withdrawn in July.
        "p7": _petition(
            by,
            D(2024, 2, 1),
            [
                ("classified", D(2024, 2, 2)),
                ("accepted", D(2024, 2, 5)),
                ("withdrawn", D(2024, 7, 10)),
            ],
        ),
    }


EXPECTED = {
    FIRST_HALF: {
        "petitions_carried_over": 1,
        "petitions_received": 5,
        "complaints_received": 3,
        "complaints_first_round_received": 3,
        "complaints_second_round_received": 0,
        "denunciations_received": 1,
        "reflections_received": 1,
        "petitions_accepted": 4,
        "petitions_forwarded": 0,
        "petitions_not_accepted": 0,
        "petitions_to_resolve": 5,
        "petitions_resolved": 2,
        "petitions_resolved_on_time": 2,
        "complaints_resolved": 2,
        "denunciations_resolved": 0,
        "reflections_resolved": 0,
        "petitions_outstanding": 3,
        "petitions_overdue": 2,
        "petitions_resolution_rate": Decimal("40.0"),
    },
    SECOND_HALF: {
        "petitions_carried_over": 3,
        "petitions_received": 2,
        "complaints_received": 2,
        "complaints_first_round_received": 1,
        "complaints_second_round_received": 1,
        "denunciations_received": 0,
        "reflections_received": 0,
        "petitions_accepted": 1,
        "petitions_forwarded": 1,
        "petitions_not_accepted": 1,
        "petitions_to_resolve": 4,
        "petitions_resolved": 2,
        "petitions_resolved_on_time": 1,
        "complaints_resolved": 1,
        "denunciations_resolved": 0,
        "reflections_resolved": 1,
        "petitions_outstanding": 1,
        "petitions_overdue": 1,
        "petitions_resolution_rate": Decimal("50.0"),
    },
}

# The same figures written by hand, from the steps' dated events rather than the columns
# the portal keeps (accepted_on, settled_on, resolved_on).
HAND_WRITTEN_SQL = """
WITH dated AS (
    SELECT p.id, p.kind, p.round, p.received_on, p.resolve_due_on,
           (SELECT min(e.on) FROM inspections_petitionevent e
             WHERE e.petition_id = p.id AND e.to_status = 'accepted') AS accepted,
           (SELECT min(e.on) FROM inspections_petitionevent e
             WHERE e.petition_id = p.id
               AND e.to_status IN ('resolved', 'not_accepted', 'forwarded', 'withdrawn'))
               AS settled,
           (SELECT min(e.on) FROM inspections_petitionevent e
             WHERE e.petition_id = p.id AND e.to_status = 'resolved') AS resolved,
           (SELECT min(e.to_status) FROM inspections_petitionevent e
             WHERE e.petition_id = p.id AND e.to_status IN ('not_accepted', 'forwarded'))
               AS refused
      FROM inspections_petition p
     WHERE p.area_id = %(area)s
)
SELECT
  count(*) FILTER (WHERE accepted < %(start)s AND (settled IS NULL OR settled >= %(start)s))
      AS petitions_carried_over,
  count(*) FILTER (WHERE received_on BETWEEN %(start)s AND %(end)s) AS petitions_received,
  count(*) FILTER (WHERE accepted BETWEEN %(start)s AND %(end)s) AS petitions_accepted,
  count(*) FILTER (WHERE refused = 'forwarded' AND settled BETWEEN %(start)s AND %(end)s)
      AS petitions_forwarded,
  count(*) FILTER (WHERE refused = 'not_accepted' AND settled BETWEEN %(start)s AND %(end)s)
      AS petitions_not_accepted,
  count(*) FILTER (WHERE accepted <= %(end)s AND (settled IS NULL OR settled >= %(start)s))
      AS petitions_to_resolve,
  count(*) FILTER (WHERE resolved BETWEEN %(start)s AND %(end)s) AS petitions_resolved,
  count(*) FILTER (WHERE resolved BETWEEN %(start)s AND %(end)s
                     AND (resolve_due_on IS NULL OR resolved <= resolve_due_on))
      AS petitions_resolved_on_time,
  count(*) FILTER (WHERE accepted <= %(end)s AND (settled IS NULL OR settled > %(end)s))
      AS petitions_outstanding,
  count(*) FILTER (WHERE accepted <= %(end)s AND (settled IS NULL OR settled > %(end)s)
                     AND resolve_due_on < %(end)s) AS petitions_overdue,
  count(*) FILTER (WHERE kind = 'complaint' AND round = 'second'
                     AND received_on BETWEEN %(start)s AND %(end)s)
      AS complaints_second_round_received
  FROM dated
"""


def _by_hand(window: Window) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            HAND_WRITTEN_SQL,
            {"area": area(DISTRICT_A).pk, "start": window.start, "end": window.end},
        )
        names = [column.name for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


@pytest.mark.parametrize("window", [FIRST_HALF, SECOND_HALF], ids=["first-half", "second-half"])
def test_it_counts_each_window_from_the_dated_steps(history, window, django_assert_num_queries):
    province = area(PROVINCE)
    with django_assert_num_queries(1):
        figures = Petition.objects.within(province).statistics(window)
    assert figures == EXPECTED[window]
    by_hand = _by_hand(window)
    assert by_hand == {code: figures[code] for code in by_hand}
    # What is to resolve ends resolved, withdrawn or outstanding.
    span = (window.start, window.end)
    withdrawn = Petition.objects.filter(status="withdrawn", settled_on__range=span)
    assert figures["petitions_to_resolve"] == (
        figures["petitions_resolved"] + withdrawn.count() + figures["petitions_outstanding"]
    )


def test_a_past_windows_figures_do_not_follow_the_state_today(history, secretariat_a):
    before = Petition.objects.all().statistics(SECOND_HALF)
    # The denunciation, outstanding at the end of 2024, is resolved today; p1 is closed.
    p3 = history["p3"]
    petition_transition(petition=p3, to="being_resolved", actor=secretariat_a, on=D(2025, 1, 6))
    petition_transition(
        petition=p3, to="resolved", actor=secretariat_a, outcome="right", on=D(2025, 2, 3)
    )
    petition_transition(petition=history["p1"], to="closed", actor=secretariat_a)
    assert Petition.objects.all().statistics(SECOND_HALF) == before
    assert Petition.objects.get(pk=history["p1"].pk).settled_on == D(2024, 4, 1)


def test_the_rate_has_no_value_when_nothing_is_to_resolve(history):
    figures = Petition.objects.all().statistics(Window(D(2020, 1, 1), D(2020, 12, 31)))
    assert figures["petitions_to_resolve"] == 0
    assert figures["petitions_resolution_rate"] is None


def test_a_denunciation_extended_to_verify_is_counted_as_any_other(secretariat_a):
    petition = _petition(secretariat_a, D(2024, 3, 4), [], kind="denunciation")
    petition_extend_verification(
        petition=petition, actor=secretariat_a, days=5, note="Nhiều địa điểm", on=D(2024, 3, 6)
    )
    figures = Petition.objects.all().statistics(FIRST_HALF)
    assert figures["denunciations_received"] == 1
    assert figures["petitions_accepted"] == 0


def _links(page: str) -> dict[str, str]:
    found = re.findall(r'<a href="([^"]+)"[^>]*data-records="([a-z_]+)"', page)
    return {code: html.unescape(url) for url, code in found}


def test_the_report_shows_the_statistics_and_each_opens_its_petitions(
    history, login, secretariat_a
):
    period = ReportingPeriod.objects.create(
        province=area(PROVINCE),
        year=2024,
        opens_on=D(2024, 11, 15),
        due_on=D(2099, 12, 15),
    )
    report = written(report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a))
    window = window_of(period)
    expected = Petition.objects.all().statistics(window)
    assert expected["petitions_carried_over"] == 1  # p8, accepted in 2023
    assert expected["petitions_resolved"] == 4  # p8, p1, p2, p4
    assert expected["petitions_to_resolve"] == 6  # p8 and the five accepted in 2024
    figures = computed_figures(area(DISTRICT_A), window)
    client = login(secretariat_a)
    page = client.get(f"/reports/{report.pk}/").text
    links = _links(page)
    for code, value in expected.items():
        if code == "petitions_resolution_rate":
            continue
        assert figures[code] == value, code
        assert report.values.get(indicator__code=code).computed == value, code
        listed = client.get(links[code])
        assert listed.status_code == 200
        shown = {p.pk for p in listed.context["page"].object_list}
        counted = Petition.objects.filter(area=area(DISTRICT_A)).filter(
            BY_CODE[code].condition(window)
        )
        assert shown == set(counted.values_list("pk", flat=True)), code
    # The rate: resolved ÷ (carried over + accepted), never over forwarded or rejected.
    assert expected["petitions_resolution_rate"] == Decimal("66.7")  # 4 / 6
    rate = report.values.filter(indicator__code="petitions_resolution_rate")
    assert not rate.exists()  # a ratio is derived from its sums where it is shown
