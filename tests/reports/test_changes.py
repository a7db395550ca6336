"""Reviewing a report sent back and submitted again: each submission is kept as it was
sent, and the reviewer sees what changed — the figures (old → new, with reasons) and the
words (a word diff)."""

import datetime

import pytest

from reports.changes import DELETED, EQUAL, INSERTED, word_diff
from reports.models import ReportingPeriod, ReportStatus, ReportSubmission
from reports.services import report_start, report_transition
from tests.conftest import DISTRICT_A, PROVINCE
from tests.factories import TrainingFactory, area, written

pytestmark = pytest.mark.django_db


def test_a_word_diff_keeps_the_spaces_and_marks_the_words():
    assert word_diff("Đã tổ chức 3 lớp.\nTốt.", "Đã tổ chức 5 lớp tập huấn.\nTốt.") == [
        (EQUAL, "Đã tổ chức "),
        (DELETED, "3"),
        (INSERTED, "5"),
        (EQUAL, " lớp"),
        (INSERTED, " tập huấn"),
        (EQUAL, ".\nTốt."),
    ]
    # Changed words with only spaces between them are one change; a number stays whole.
    assert word_diff("Có 8.532 lượt người dự", "Có 8.600 người tham dự") == [
        (EQUAL, "Có "),
        (DELETED, "8.532 lượt"),
        (INSERTED, "8.600"),
        (EQUAL, " người "),
        (INSERTED, "tham "),
        (EQUAL, "dự"),
    ]
    assert word_diff("", "Mới") == [(INSERTED, "Mới")]


@pytest.fixture
def period(quang_ninh):
    return ReportingPeriod.objects.create(
        province=area(PROVINCE),
        year=2024,
        opens_on=datetime.date(2024, 11, 15),
        due_on=datetime.date(2099, 12, 15),
    )


def _form(report, **changes):
    data = {"version": report.version}
    for name in ("results", "limitations", "causes_subjective", "lessons", "next_tasks"):
        data[name] = getattr(report, name)
    for v in report.values.select_related("indicator"):
        code = v.indicator.code
        number = "" if v.value is None else v.value
        data[f"v_{code}"] = v.text if v.indicator.aggregation == "text" else number
        data[f"r_{code}"] = v.correction_reason
    data.update(changes)
    return data


def test_a_returned_and_resubmitted_report_shows_the_changed_figure_and_sentence(
    login, secretariat_a, provincial_staff, period
):
    TrainingFactory(
        area=area(DISTRICT_A), attendances=80, held_on=datetime.date(2024, 9, 1), kind="class"
    )
    filer, reviewer = login(secretariat_a), login(provincial_staff)
    report = written(report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a))
    first = "Năm 2024 tổ chức 1 lớp tập huấn. Các xã thực hiện tốt quy chế."
    filer.post(
        f"/reports/{report.pk}/edit/",
        _form(
            report,
            results=first,
            v_village_conventions="5",
            r_village_conventions="Theo sổ theo dõi của phòng Tư pháp",
            submit="1",
        ),
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    page = reviewer.get(f"/reports/{report.pk}/")
    assert 'data-testid="changes"' not in page.text  # submitted once: nothing to compare
    report_transition(
        report=report, to=ReportStatus.RETURNED, actor=provincial_staff, note="Bổ sung lớp tháng 12"
    )
    report.refresh_from_db()
    second = "Năm 2024 tổ chức 2 lớp tập huấn. Các xã thực hiện tốt quy chế."
    filer.post(
        f"/reports/{report.pk}/edit/",
        _form(
            report,
            results=second,
            v_village_conventions="7",
            r_village_conventions="Thêm 2 quy ước công nhận tháng 12",
            v_training_classes="2",
            r_training_classes="Lớp ngày 16/12 chưa nhập",
            submit="1",
        ),
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert ReportSubmission.objects.filter(report=report).count() == 2
    page = reviewer.get(f"/reports/{report.pk}/").text
    assert 'data-testid="changes"' in page
    classes = page.split('data-testid="changed-training_classes"')[1].split("</tr>")[0]
    assert "<del>1</del>" in classes and ">2</td>" in classes
    assert "Lớp ngày 16/12 chưa nhập" in classes
    conventions = page.split('data-testid="changed-village_conventions"')[1].split("</tr>")[0]
    assert "<del>5</del>" in conventions and ">7</td>" in conventions
    assert 'data-testid="changed-training_attendances"' not in page  # unchanged
    sentence = page.split('data-testid="changed-text">')[1].split("</p>")[0]
    assert sentence == (
        "Năm 2024 tổ chức <del>1</del><ins>2</ins> lớp tập huấn. Các xã thực hiện tốt quy chế."
    )


def test_a_submission_keeps_what_was_sent(login, secretariat_a, period):
    report = written(report_start(period=period, area=area(DISTRICT_A), actor=secretariat_a))
    report_transition(report=report, to=ReportStatus.SUBMITTED, actor=secretariat_a, notify=False)
    kept = report.submissions.select_related("event").get()
    assert kept.event.to_status == ReportStatus.SUBMITTED
    assert kept.figures["units"] == {"value": "0.00", "computed": "0.00", "text": "", "reason": ""}
    assert set(kept.narrative) >= {"results", "next_tasks", "recipients"}
