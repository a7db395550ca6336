"""Legal deadlines on real calendar dates: weekends, public holidays and lunar Tết."""

import datetime

import pytest

from inspections import deadlines

D = datetime.date


@pytest.mark.parametrize(
    ("received", "due", "why"),
    [
        (D(2024, 3, 1), D(2024, 3, 11), "10 days end on a Monday"),
        (D(2026, 2, 6), D(2026, 2, 23), "day 10 is Tết's eve: Tết and the weekend pass first"),
        (D(2025, 4, 20), D(2025, 5, 5), "day 10 is 30/4; 1-2/5 are off, then a weekend"),
        (D(2024, 8, 24), D(2024, 9, 4), "day 10 is 3/9; 2-3/9 were the National Day holiday"),
    ],
)
def test_a_complaint_is_accepted_within_10_days(received, due, why):
    deadline = deadlines.first_deadline("complaint", received)
    assert deadline.due_on == due, why
    assert "Điều 27 Luật Khiếu nại 2011" in deadline.basis


@pytest.mark.parametrize(
    ("received", "due", "why"),
    [
        (D(2024, 6, 7), D(2024, 6, 18), "a Friday: two weekends in between"),
        (D(2026, 2, 13), D(2026, 3, 3), "the Friday before Tết 2026 (16-20/2)"),
        (D(2025, 1, 24), D(2025, 2, 11), "Tết 2025 (27/1-1/2) is not counted"),
        (D(2025, 8, 29), D(2025, 9, 11), "1-2/9 are off"),
    ],
)
def test_a_denunciation_is_classified_within_7_working_days(received, due, why):
    deadline = deadlines.first_deadline("denunciation", received)
    assert deadline.due_on == due, why
    assert "07 ngày làm việc" in deadline.basis


@pytest.mark.parametrize(
    ("complexity", "remote", "due", "days"),
    [
        ("normal", False, D(2024, 4, 10), 30),
        ("complex", False, D(2024, 4, 25), 45),
        ("normal", True, D(2024, 4, 25), 45),
        ("very_complex", True, D(2024, 5, 10), 60),
    ],
)
def test_a_complaint_is_resolved_within_30_45_or_60_days(complexity, remote, due, days):
    deadline = deadlines.resolve_deadline("complaint", D(2024, 3, 11), complexity, remote)
    assert deadline.due_on == due
    assert f"Điều 28 Luật Khiếu nại 2011: {days} ngày" in deadline.basis


@pytest.mark.parametrize(
    ("extensions", "due"),
    [
        (0, D(2025, 4, 2)),
        (1, D(2025, 5, 5)),  # day 60 is 2/5, a day off, then a weekend
        (2, D(2025, 6, 2)),  # day 90 is Sunday 1/6
    ],
)
def test_a_denunciation_is_resolved_in_30_days_plus_extensions(extensions, due):
    deadline = deadlines.resolve_deadline(
        "denunciation", D(2025, 3, 3), "very_complex", extensions=extensions
    )
    assert deadline.due_on == due
    assert "Điều 30 Luật Tố cáo 2018" in deadline.basis


def test_extensions_follow_the_complexity_of_the_case():
    assert not deadlines.can_extend("denunciation", "normal", 0)
    assert deadlines.can_extend("denunciation", "complex", 0)
    assert not deadlines.can_extend("denunciation", "complex", 1)
    assert deadlines.can_extend("denunciation", "very_complex", 1)
    assert not deadlines.can_extend("denunciation", "very_complex", 2)
    assert not deadlines.can_extend("complaint", "very_complex", 0)


def test_petitions_and_reflections_have_no_legal_deadline():
    assert deadlines.first_deadline("petition", D(2024, 3, 1)) is None
    assert deadlines.resolve_deadline("petition", D(2024, 3, 1)) is None


def test_tet_is_known_by_its_vietnamese_name():
    assert deadlines.holiday_name(D(2026, 2, 17)) is not None
    assert not deadlines.is_working_day(D(2026, 2, 17))
    assert deadlines.is_working_day(D(2026, 2, 23))
