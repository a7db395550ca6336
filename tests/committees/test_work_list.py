"""The home page's work list: each official sees what is theirs to do now, by role, each
item a link with its due date; the counts cost the same queries for one item or many."""

import datetime

import pytest

from committees.models import AnnualPlan, PlanTask
from committees.platform.history import untracked_writes
from inspections.choices import Status
from inspections.deadlines import add_working_days
from inspections.models import Petition
from reports.models import AnnualReport, ReportingPeriod, ReportStatus
from reports.services import report_start, report_transition
from tests.conftest import COMMUNE_A_TODAY, PROVINCE
from tests.factories import MembershipFactory, SteeringCommitteeFactory, area, written
from tests.helpers import query_count

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def _period(**extra) -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        province=area(PROVINCE, "2025"),
        year=TODAY.year,
        opens_on=extra.pop("opens_on", TODAY - 30 * DAY),
        due_on=extra.pop("due_on", TODAY + 14 * DAY),
        **extra,
    )


def _petition(code=COMMUNE_A_TODAY, due=TODAY, subject="Phản ánh việc công khai quy hoạch"):
    petition = Petition.objects.create(
        area=area(code, "2025"),
        kind="reflection",
        channel="post",
        field="land",
        received_on=TODAY - 5 * DAY,
        petitioner_name="Trần Thị Phản Ánh",
        subject=subject,
        handling_body="UBND phường",
    )
    # The deadline the rules gave is moved where the case needs it.
    with untracked_writes():
        Petition.objects.filter(pk=petition.pk).update(first_due_on=due)
    return petition


def _task(title, deadline, code=COMMUNE_A_TODAY, status="in_progress", completed_on=None):
    plan, _ = AnnualPlan.objects.get_or_create(
        area=area(code, "2025"),
        year=TODAY.year,
        defaults={
            "number": "05-KH/BCĐ",
            "title": "Kế hoạch thực hiện dân chủ ở cơ sở",
            "issued_on": datetime.date(TODAY.year, 1, 10),
        },
    )
    return PlanTask.objects.create(
        plan=plan,
        title=title,
        responsible="Văn phòng",
        deadline=deadline,
        status=status,
        completed_on=completed_on,
    )


def _group(response, key: str) -> str:
    """The HTML of one group of the work list ('' when the group is not shown)."""
    html = response.content.decode()
    start = html.find(f'data-testid="work-{key}"')
    if start < 0:
        return ""
    end = html.find("data-group", start + len(key) + 25)
    return html[start : end if end > 0 else len(html)]


def test_a_commune_of_today_sees_its_report_to_file_then_in_draft_then_returned(
    login, commune_official_today, provincial_staff
):
    period = _period()
    client = login(commune_official_today)

    group = _group(client.get("/"), "to_file")
    assert f"Báo cáo năm {TODAY.year} — Phường Cao Xanh" in group
    assert "Chưa lập" in group
    assert period.get_absolute_url() in group
    assert "còn 14 ngày" in group

    report = report_start(
        period=period, area=area(COMMUNE_A_TODAY, "2025"), actor=commune_official_today
    )
    group = _group(client.get("/"), "to_file")
    assert "Đang soạn, phiên bản 1" in group
    assert f"/reports/{report.pk}/edit/" in group

    report_transition(
        report=written(report),
        to=ReportStatus.SUBMITTED,
        actor=commune_official_today,
        notify=False,
    )
    response = client.get("/")
    assert _group(response, "to_file") == ""
    assert 'data-testid="work-empty"' in response.content.decode()

    report.refresh_from_db()
    report_transition(
        report=report,
        to=ReportStatus.RETURNED,
        actor=provincial_staff,
        note="Thiếu số liệu hội nghị cán bộ, công chức",
        notify=False,
    )
    group = _group(client.get("/"), "returned")
    assert "Lý do trả lại: Thiếu số liệu hội nghị cán bộ, công chức" in group
    assert f"/reports/{report.pk}/edit/" in group


def test_a_report_past_its_due_date_says_by_how_many_days(login, commune_official_today):
    _period(due_on=TODAY - 3 * DAY)
    group = _group(login(commune_official_today).get("/"), "to_file")
    assert "Quá hạn 3 ngày" in group


def test_a_closed_period_asks_only_the_areas_given_leave_to_file_late(
    login, commune_official_today, provincial_staff
):
    period = _period(due_on=TODAY - 20 * DAY, closed_on=TODAY - 10 * DAY)
    client = login(commune_official_today)
    assert _group(client.get("/"), "to_file") == ""
    period.exceptions.create(
        area=area(COMMUNE_A_TODAY, "2025"),
        reason="Mất điện kéo dài",
        until=TODAY + 2 * DAY,
        granted_by=provincial_staff,
    )
    group = _group(client.get("/"), "to_file")
    assert "còn 2 ngày" in group


@pytest.mark.parametrize(
    ("period", "leave", "taking"),
    [
        ({"opens_on": TODAY + DAY}, None, False),
        ({"closed_on": TODAY + DAY}, None, True),
        ({"closed_on": TODAY}, None, False),
        ({"closed_on": TODAY - DAY}, TODAY - DAY, False),
        ({"closed_on": TODAY - DAY}, TODAY, True),
    ],
    ids=["opens-tomorrow", "closes-tomorrow", "closes-today", "leave-ended", "leave-today"],
)
def test_the_work_list_asks_for_a_report_exactly_when_it_can_be_submitted(
    login, commune_official_today, provincial_staff, period, leave, taking
):
    commune = area(COMMUNE_A_TODAY, "2025")
    period = _period(due_on=TODAY + DAY, **period)
    if leave:
        period.exceptions.create(
            area=commune, reason="Mất điện kéo dài", until=leave, granted_by=provincial_staff
        )
    report = written(report_start(period=period, area=commune, actor=commune_official_today))
    # The province follows who has not filed while the period takes reports from anyone.
    followed = period.get_absolute_url() in _group(login(provincial_staff).get("/"), "not_filed")
    client = login(commune_official_today)
    listed = f"/reports/{report.pk}/edit/" in _group(client.get("/"), "to_file")
    client.post(f"/reports/{report.pk}/step/", {"to": "submitted"})
    report.refresh_from_db()
    assert (followed, listed, report.status == ReportStatus.SUBMITTED) == (taking,) * 3


def test_the_province_sees_reports_waiting_and_how_many_have_not_filed(
    login, commune_official_today, provincial_staff
):
    period = _period()
    report = report_start(
        period=period, area=area(COMMUNE_A_TODAY, "2025"), actor=commune_official_today
    )
    report_transition(
        report=written(report),
        to=ReportStatus.SUBMITTED,
        actor=commune_official_today,
        notify=False,
    )
    response = login(provincial_staff).get("/")

    waiting = _group(response, "to_review")
    assert f"Báo cáo năm {TODAY.year} — Phường Cao Xanh" in waiting
    assert report.get_absolute_url() in waiting
    communes = period.filing_areas().count()
    not_filed = _group(response, "not_filed")
    assert f"{communes - 1}/{communes} đơn vị chưa nộp" in not_filed
    # The province files nothing itself: no report of its own to file.
    assert _group(response, "to_file") == ""


def test_petitions_within_three_working_days_or_past_are_listed_most_urgent_first(
    login, petition_officer
):
    _petition(due=add_working_days(TODAY, 4), subject="Còn xa hạn")
    _petition(due=add_working_days(TODAY, 3), subject="Sắp đến hạn")
    _petition(due=TODAY - 2 * DAY, subject="Đã quá hạn")
    group = _group(login(petition_officer).get("/"), "petitions")
    assert "Còn xa hạn" not in group
    assert group.index("Đã quá hạn") < group.index("Sắp đến hạn")
    assert "Quá hạn 2 ngày" in group
    assert "Trần Thị Phản Ánh" not in group  # the petitioner stays on the petition
    assert "?state=due_soon" in group


def test_the_deadline_that_counts_is_the_one_of_the_step_the_petition_waits_for(
    login, petition_officer
):
    """Before acceptance the first deadline, while handled the resolution deadline; a
    petition without one, or no longer open, is never due."""
    far = add_working_days(TODAY, 10)
    for status in Status.values:
        for which, first, resolve in (
            ("first", TODAY - DAY, far),
            ("resolve", far, TODAY - DAY),
            ("none", None, None),
        ):
            petition = _petition(subject=f"Đơn {status} {which}")
            with untracked_writes():
                Petition.objects.filter(pk=petition.pk).update(
                    status=status, first_due_on=first, resolve_due_on=resolve
                )
    due = {
        "Đơn received first",
        "Đơn classified first",
        "Đơn accepted resolve",
        "Đơn being_resolved resolve",
    }
    client = login(petition_officer)
    group = _group(client.get("/"), "petitions")
    listed = client.get("/petitions/", {"state": "due_soon"}).content.decode()
    for status in Status.values:
        for which in ("first", "resolve", "none"):
            subject = f"Đơn {status} {which}"
            assert (subject in group) == (subject in due), subject
            assert (subject in listed) == (subject in due), subject


def test_the_petition_list_filters_the_same_petitions(login, petition_officer):
    _petition(due=add_working_days(TODAY, 4), subject="Còn xa hạn")
    _petition(due=TODAY, subject="Đến hạn hôm nay")
    html = login(petition_officer).get("/petitions/", {"state": "due_soon"}).content.decode()
    assert "Đến hạn hôm nay" in html
    assert "Còn xa hạn" not in html


def test_overdue_plan_tasks_and_ending_terms_reach_their_keepers(login, commune_official_today):
    _task("Niêm yết công khai dự toán", TODAY - 5 * DAY)
    _task("Đã xong từ lâu", TODAY - 9 * DAY, status="done", completed_on=TODAY - 10 * DAY)
    _task("Còn hạn", TODAY + 5 * DAY)
    committee = SteeringCommitteeFactory(area=area(COMMUNE_A_TODAY, "2025"))
    MembershipFactory(
        committee=committee,
        full_name="Lê Văn Hết Nhiệm Kỳ",
        term_start=datetime.date(2021, 7, 1),
        term_end=TODAY + 20 * DAY,
    )
    MembershipFactory(committee=committee, full_name="Còn Lâu Mới Hết", term_end=None)
    response = login(commune_official_today).get("/")

    tasks = _group(response, "tasks")
    assert "Niêm yết công khai dự toán" in tasks
    assert "Đã xong từ lâu" not in tasks and "Còn hạn" not in tasks
    terms = _group(response, "terms")
    assert "Lê Văn Hết Nhiệm Kỳ" in terms
    assert committee.get_absolute_url() in terms
    assert "Còn Lâu Mới Hết" not in terms


def test_a_group_shows_five_items_and_counts_the_rest(login, petition_officer):
    for n in range(7):
        _petition(due=TODAY, subject=f"Đơn số {n}")
    group = _group(login(petition_officer).get("/"), "petitions")
    assert group.count("list-group-item") == 5
    assert "Xem thêm 2 việc khác" in group


def test_someone_with_nothing_due_is_told_so(login, viewer):
    _period()
    response = login(viewer).get("/")
    assert 'data-testid="work-empty"' in response.content.decode()


def test_the_home_page_costs_the_same_queries_for_one_item_of_each_kind_or_many(
    login, provincial_staff, commune_official_today
):
    period = _period()
    client = login(provincial_staff)
    communes = list(period.filing_areas().order_by("path")[:12])

    def add(some):
        for commune in some:
            report = report_start(period=period, area=commune, actor=provincial_staff)
            report_transition(
                report=written(report),
                to=ReportStatus.SUBMITTED,
                actor=provincial_staff,
                notify=False,
            )
            _petition(code=commune.code, due=TODAY)
            _task(f"Nhiệm vụ {commune.code}", TODAY - DAY, code=commune.code)

    # More than a group shows in each case: the shown rows and the count of all.
    add(communes[:6])
    few = query_count(client, "/")
    add(communes[6:])
    assert AnnualReport.objects.filter(status=ReportStatus.SUBMITTED).count() == 12
    assert query_count(client, "/") == few
