"""In a real browser: a district secretariat consolidates its committee, adding rows."""

import pytest
from playwright.sync_api import expect

from tests.conftest import DISTRICT_A
from tests.factories import MembershipFactory, SteeringCommitteeFactory, area

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_secretariat_consolidates_its_committee(live_server, page, secretariat_a, password):
    committee = SteeringCommitteeFactory(area=area(DISTRICT_A))
    MembershipFactory(committee=committee, full_name="Phan Đức Thắng", committee_role="head")
    MembershipFactory(committee=committee, full_name="Đinh Thị Ngọc", committee_role="member")
    page.goto(f"{live_server.url}/accounts/login/?next=/committees/{committee.pk}/")
    page.fill("#id_username", "halong")
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")
    expect(page.get_by_test_id("committee-warnings")).to_contain_text(
        "Chưa có Phó Trưởng ban thường trực."
    )

    page.get_by_test_id("consolidate").click()
    page.fill("#id_decision-number", "87-QĐ/ThU")
    page.fill("#id_decision-signed_on", "2024-08-20")
    page.get_by_label("Thôi tham gia: Đinh Thị Ngọc").check()
    for _ in range(2):  # three empty rows come with the page; two more on demand
        page.get_by_role("button", name="Thêm dòng").click()
    page.fill("#id_new-4-full_name", "Lê Minh Châu")
    page.fill("#id_new-4-position", "Trưởng Ban Dân vận Thành ủy")
    page.select_option("#id_new-4-committee_role", "standing_deputy")
    page.get_by_role("button", name="Lưu quyết định").click()

    expect(page.locator(".alert-success")).to_contain_text("kiện toàn")
    members = page.get_by_test_id("members")
    expect(members).to_contain_text("Lê Minh Châu")
    expect(members).not_to_contain_text("Đinh Thị Ngọc")
    expect(page.get_by_test_id("committee-warnings")).to_have_count(0)
    expect(page.get_by_test_id("decisions")).to_contain_text("87-QĐ/ThU")
