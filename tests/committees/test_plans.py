"""Annual plans and tasks: overdue tasks stand out, completion share, validation, scope,
API, constant queries, and the area page's plan progress."""

import datetime

import pytest

from committees.models import AnnualPlan, PlanTask
from tests.conftest import COMMUNE_A, DISTRICT_A, DISTRICT_B
from tests.factories import AnnualPlanFactory, PlanTaskFactory, area
from tests.helpers import query_counts

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
YEAR = TODAY.year


def _plan(code=DISTRICT_A, number="12-KH/BCĐ", year=YEAR) -> AnnualPlan:
    return AnnualPlanFactory(
        area=area(code),
        year=year,
        number=number,
        title=f"Kế hoạch thực hiện dân chủ ở cơ sở năm {year}",
    )


def _task(plan, title="Nhiệm vụ", days=10, status="in_progress", **extra) -> PlanTask:
    completed_on = extra.pop("completed_on", TODAY if status == "done" else None)
    return PlanTaskFactory(
        plan=plan,
        title=title,
        deadline=TODAY + datetime.timedelta(days=days),
        status=status,
        completed_on=completed_on,
        **extra,
    )


def test_overdue_tasks_stand_out_and_the_plan_shows_its_completion(login, secretariat_a):
    plan = _plan()
    _task(plan, "Đã xong", days=-30, status="done")
    _task(plan, "Trễ hạn", days=-5)
    _task(plan, "Còn hạn", days=5, status="not_started")
    _task(plan, "Không làm nữa", days=-40, status="cancelled")
    client = login(secretariat_a)

    page = client.get(f"/plans/{plan.pk}/").text
    assert "1/3 hoàn thành" in page  # the cancelled task does not count
    assert "1 quá hạn" in page and "quá hạn 5 ngày" in page

    listing = client.get("/plans/").text
    assert "33,3%" in listing

    overdue = client.get("/tasks/", {"overdue": "true"}).text
    assert "Trễ hạn" in overdue and "table-danger" in overdue
    assert "Còn hạn" not in overdue and "Đã xong" not in overdue and "Không làm nữa" not in overdue
    assert "Đang thực hiện — quá hạn 5 ngày" in overdue


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"status": "done", "completed_on": ""},
            "Nhiệm vụ đã hoàn thành: hãy nhập ngày hoàn thành.",
        ),
        (
            {"status": "in_progress", "completed_on": "2024-03-01"},
            "Chỉ ghi ngày hoàn thành khi nhiệm vụ đã hoàn thành.",
        ),
        (
            {"status": "done", "completed_on": "2999-01-01"},
            "Ngày hoàn thành không được sau ngày hôm nay.",
        ),
        (
            {"deadline": "31/02/2024"},
            "Nhập một ngày có thật theo dạng ngày/tháng/năm, ví dụ 19/12/2024.",
        ),
        ({"title": ""}, "Trường này là bắt buộc."),
    ],
)
def test_a_bad_task_says_why_and_saves_nothing(login, secretariat_a, changes, message):
    plan = _plan()
    data = {
        "plan": plan.pk,
        "title": "Tập huấn",
        "responsible": "Ban Dân vận",
        "deadline": "2024-06-30",
        "status": "not_started",
        **changes,
    }
    response = login(secretariat_a).post("/tasks/new/", data)
    assert response.status_code == 200
    assert message in response.text
    assert not PlanTask.objects.exists()


def test_a_duplicate_plan_number_or_a_bad_year_is_refused(login, secretariat_a):
    _plan(year=2024)  # Hạ Long's (a district until 30/06/2025)
    client = login(secretariat_a)
    data = {
        "area": area(DISTRICT_A).pk,
        "year": 2024,
        "number": "12-KH/BCĐ",
        "title": "Kế hoạch khác",
        "issued_on": "2024-02-01",
    }
    response = client.post("/plans/new/", data)
    assert "Địa bàn này đã có một kế hoạch cùng số trong năm đó." in response.text
    response = client.post("/plans/new/", {**data, "number": "13-KH/BCĐ", "year": 1990})
    assert "Năm kế hoạch phải từ 2000." in response.text
    assert AnnualPlan.objects.count() == 1


def test_a_task_goes_only_into_a_plan_in_scope(login, secretariat_a, viewer):
    other = _plan(DISTRICT_B)
    client = login(secretariat_a)
    data = {
        "plan": other.pk,
        "title": "Ngoài phạm vi",
        "responsible": "Ban Dân vận",
        "deadline": "2024-06-30",
        "status": "not_started",
    }
    response = client.post("/tasks/new/", data)
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.text
    task = _task(other)
    assert client.get(f"/tasks/{task.pk}/").status_code == 404
    assert client.get(f"/plans/{other.pk}/").status_code == 404
    api = client.post("/api/v1/plan-tasks/", data, content_type="application/json")
    assert api.status_code == 400 and "plan" in api.json()
    assert client.get(f"/api/v1/plan-tasks/{task.pk}/").status_code == 404
    reader = login(viewer)
    assert reader.get(f"/tasks/{task.pk}/").status_code == 200
    assert reader.post(f"/tasks/{task.pk}/edit/", data).status_code == 403
    assert reader.delete(f"/api/v1/plan-tasks/{task.pk}/").status_code == 403
    assert PlanTask.objects.count() == 1


def test_the_new_task_form_is_prefilled_from_the_plan_page(login, secretariat_a):
    plan = _plan()
    page = login(secretariat_a).get("/tasks/new/", {"plan": plan.pk}).text
    assert f'<option value="{plan.pk}" selected>' in page


def test_the_api_gives_completion_and_overdue_and_updates_a_task(login, secretariat_a):
    plan = _plan()
    late = _task(plan, "Trễ hạn", days=-3)
    _task(plan, "Đã xong", days=-10, status="done")
    client = login(secretariat_a)
    body = client.get(f"/api/v1/plans/{plan.pk}/").json()
    assert (body["completion"], body["overdue"]) == (50.0, 1)
    assert client.get("/api/v1/plan-tasks/", {"overdue": "true"}).json()["count"] == 1
    done = client.patch(
        f"/api/v1/plan-tasks/{late.pk}/",
        {"status": "done", "completed_on": TODAY.isoformat()},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["is_overdue"] is False
    refused = client.patch(
        f"/api/v1/plan-tasks/{late.pk}/", {"status": "in_progress"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "completed_on" in refused.json()
    assert client.get(f"/api/v1/plans/{plan.pk}/").json()["completion"] == 100.0
    assert late.history.count() == 2


def test_the_area_page_counts_plan_progress_of_its_subtree(login, provincial_staff):
    district = _plan()
    commune = _plan(COMMUNE_A, number="3-KH/BCĐ")
    _task(district, days=-1)
    _task(district, status="done", days=-20)
    _task(commune, status="done", days=-20)
    _task(_plan(number="old", year=YEAR - 1), days=-400)  # another year: not counted
    page = login(provincial_staff).get(f"/areas/{DISTRICT_A}/", {"year": YEAR}).text
    assert 'data-testid="plans">2<' in page
    assert 'data-testid="plan-tasks-done">2/3' in page
    assert "(66,7%)" in page
    assert "overdue=true" in page


def test_lists_and_api_run_constant_queries(login, provincial_staff):
    client = login(provincial_staff)
    plan = _plan()
    _task(plan)
    urls = ["/plans/", "/tasks/", "/api/v1/plans/", "/api/v1/plan-tasks/", f"/plans/{plan.pk}/"]
    few = query_counts(client, urls)
    for n in range(6):
        more = _plan(COMMUNE_A if n % 2 else DISTRICT_B, number=f"{n}-KH")
        for days in (-3, 4, 8):
            _task(more, days=days)
        _task(plan, days=n)
    many = query_counts(client, urls)
    assert few == many == dict(zip(urls, [7, 7, 7, 6, 9], strict=True))
