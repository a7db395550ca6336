"""Pages of one's scope: home, the area browser and an area, with constant query counts."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.conftest import DISTRICT_A, PROVINCE
from tests.factories import MembershipFactory, SteeringCommitteeFactory, area
from tests.helpers import query_count

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_each_assigned_area(login, secretariat_a):
    SteeringCommitteeFactory(area=area(DISTRICT_A))
    response = login(secretariat_a).get("/")
    assert "Thành phố Hạ Long" in response.text
    assert "Tổ giúp việc BCĐ cấp huyện" in response.text
    assert "Ban Chỉ đạo thực hiện dân chủ ở cơ sở Thành phố Hạ Long" in response.text


def test_the_area_list_runs_the_same_queries_whatever_its_length(login, provincial_staff):
    client = login(provincial_staff)
    short = query_count(client, "/areas/", {"level": "district"})  # 13 rows
    long = query_count(client, "/areas/", {"level": "commune"})  # 50 of 171 rows
    assert short == long == 6


def test_the_area_page_runs_the_same_queries_whatever_its_size(login, provincial_staff):
    client = login(provincial_staff)
    url = f"/areas/{DISTRICT_A}/"
    committee = SteeringCommitteeFactory(area=area(DISTRICT_A))
    MembershipFactory(committee=committee)
    small = query_count(client, url, {"structure": "legacy"})
    MembershipFactory.create_batch(12, committee=committee)
    for _ in range(3):
        SteeringCommitteeFactory(area=area(DISTRICT_A), is_active=False)
    big = query_count(client, url, {"structure": "legacy"})
    assert small == big == 22


def test_the_area_list_searches_within_scope_only(login, secretariat_a):
    response = login(secretariat_a).get("/areas/", {"q": "Cẩm"})
    assert "Phường Cẩm" not in response.text
    response = login(secretariat_a).get("/areas/", {"q": "Hà Khánh"})
    assert "Phường Hà Khánh" in response.text


def test_the_area_list_finds_an_area_by_its_code(login, provincial_staff):
    response = login(provincial_staff).get("/areas/", {"q": "06649"})
    assert "Phường Hà Khánh" in response.text


def test_the_area_list_answers_htmx_with_its_rows_only(login, provincial_staff):
    response = login(provincial_staff).get("/areas/", {"q": "Hạ Long"}, HTTP_HX_REQUEST="true")
    assert "Thành phố Hạ Long" in response.text
    assert "<html" not in response.text


def test_the_area_list_explains_a_bad_filter(login, provincial_staff):
    response = login(provincial_staff).get("/areas/", {"level": "galaxy"})
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.text


def test_the_area_page_shows_the_committee_by_role(login, secretariat_a):
    committee = SteeringCommitteeFactory(area=area(DISTRICT_A))
    MembershipFactory(committee=committee, full_name="Người Ủy Viên", committee_role="member")
    MembershipFactory(committee=committee, full_name="Người Trưởng Ban", committee_role="head")
    text = login(secretariat_a).get(f"/areas/{DISTRICT_A}/").text
    assert text.index("Người Trưởng Ban") < text.index("Người Ủy Viên")


def test_the_area_page_shows_successors_of_a_merged_commune(login, provincial_staff):
    text = login(provincial_staff).get("/areas/06649/", {"structure": "legacy"}).text
    assert "Phường Cao Xanh" in text


def test_the_province_page_counts_its_units(login, provincial_staff):
    response = login(provincial_staff).get(
        reverse("committees:area_detail", args=[PROVINCE]), {"structure": "legacy"}
    )
    assert response.context["counts"] == {"district": 13, "commune": 171}


def test_the_children_search_answers_htmx(login, provincial_staff):
    response = login(provincial_staff).get(
        f"/areas/{DISTRICT_A}/", {"q": "Hà", "structure": "legacy"}, HTTP_HX_REQUEST="true"
    )
    assert "Phường Hà Khánh" in response.text
    assert "Xã Kỳ Thượng" not in response.text
    assert "<html" not in response.text


def test_numbers_use_vietnamese_grouping():
    with translation.override("vi"):
        rendered = Template("{% load humanize %}{{ n|intcomma }}").render(Context({"n": 8532}))
    assert rendered == "8.532"
