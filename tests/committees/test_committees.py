"""Steering committees: establishing, consolidating (kiện toàn) without losing the former
composition, members on any day, warnings, scope, API, constant queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from committees.models import CommitteeDecision, Membership, SteeringCommittee
from tests.conftest import COMMUNE_A, DISTRICT_A, DISTRICT_B
from tests.factories import (
    CommitteeDecisionFactory,
    MembershipFactory,
    SteeringCommitteeFactory,
    area,
)
from tests.helpers import query_counts

pytestmark = pytest.mark.django_db

# The smallest PDF with a page: uploads are opened with pypdf, and must have one.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


def _seats(prefix: str, rows: list[dict], total: int | None = None) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(total if total is not None else len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(rows)) if prefix == "current" else "0",
    }
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


def _establish(client, members=None, **changes):
    members = members or [
        {
            "full_name": "Phan Đức Thắng",
            "position": "Phó Bí thư Thường trực Thành ủy",
            "committee_role": "head",
        },
        {
            "full_name": "Đinh Thị Ngọc",
            "position": "Trưởng Ban Dân vận Thành ủy",
            "committee_role": "standing_deputy",
        },
    ]
    data = {
        "committee-area": area(DISTRICT_A).pk,
        "committee-name": "Ban Chỉ đạo thực hiện dân chủ ở cơ sở thành phố Hạ Long",
        "committee-standing_body": "Ban Dân vận Thành ủy",
        "decision-number": "412-QĐ/ThU",
        "decision-signed_on": "2023-05-04",
        "decision-file": SimpleUploadedFile("qd-412.pdf", PDF),
        # one empty row, as the page sends it: ignored
        **_seats("new", [*members, {"full_name": "", "position": "", "committee_role": ""}]),
        **changes,
    }
    return client.post("/committees/new/", data)


def _sitting(committee, rows_changes=None):
    rows_changes = rows_changes or {}
    rows = []
    for m in committee.memberships.on(datetime.date.today()).by_rank():
        row = {
            "membership": m.pk,
            "position": m.position,
            "organisation": m.organisation,
            "committee_role": m.committee_role,
        }
        row.update(rows_changes.get(m.full_name, {}))
        rows.append(row)
    return rows


def _consolidate(client, committee, changes=None, joining=None, **decision):
    data = {
        "decision-number": "87-QĐ/ThU",
        "decision-signed_on": "2024-08-20",
        "decision-summary": "Kiện toàn do thay đổi nhân sự",
        **_seats("current", _sitting(committee, changes)),
        **_seats("new", joining or []),
        **{f"decision-{k}": v for k, v in decision.items()},
    }
    return client.post(f"/committees/{committee.pk}/consolidate/", data)


def test_a_secretariat_establishes_its_committee_with_decision_file_and_members(
    login, secretariat_a
):
    client = login(secretariat_a)
    response = _establish(client)
    committee = SteeringCommittee.objects.get()
    assert response.status_code == 302 and response.url == f"/committees/{committee.pk}/"
    decision = committee.decisions.get()
    assert (decision.kind, decision.number, decision.original_name) == (
        "established",
        "412-QĐ/ThU",
        "qd-412.pdf",
    )
    assert committee.memberships.filter(appointed_by=decision).count() == 2
    page = client.get(response.url).text
    assert "Phan Đức Thắng" in page and "Trưởng ban" in page and "412-QĐ/ThU" in page
    download = client.get(decision.get_download_url())
    assert b"".join(download.streaming_content) == PDF


def test_a_second_active_committee_is_refused_and_nothing_is_saved(login, secretariat_a):
    client = login(secretariat_a)
    _establish(client)
    response = _establish(client, **{"decision-number": "413-QĐ/ThU"})
    assert response.status_code == 200
    assert "Địa bàn này đã có một ban chỉ đạo đang hoạt động." in response.text
    assert SteeringCommittee.objects.count() == 1
    assert CommitteeDecision.objects.count() == 1
    assert Membership.objects.count() == 2


@pytest.mark.parametrize(
    ("members", "changes", "message"),
    [
        ([], {}, "Hãy nhập ít nhất một thành viên."),
        (
            [
                {"full_name": "A", "position": "Bí thư", "committee_role": "head"},
                {"full_name": "B", "position": "Phó Bí thư", "committee_role": "head"},
            ],
            {},
            "Ban chỉ đạo chỉ có một Trưởng ban; quyết định này có 2 người.",
        ),
        (None, {"decision-signed_on": "2099-01-01"}, "Ngày ký không được sau ngày hôm nay."),
        (
            None,
            {"decision-signed_on": "04/05/2023x"},
            "Nhập một ngày có thật theo dạng ngày/tháng/năm, ví dụ 19/12/2024.",
        ),
        (
            None,
            {"decision-file": SimpleUploadedFile("qd.pdf", b"MZ\x90\x00" + b"\x00" * 64)},
            "Chỉ nhận tệp PDF",
        ),
    ],
)
def test_a_bad_establishment_says_why_and_saves_nothing(
    login, secretariat_a, members, changes, message
):
    if members == []:
        changes = {**changes, **_seats("new", [], total=0)}
    response = _establish(login(secretariat_a), members=members or None, **changes)
    assert response.status_code == 200
    assert message in response.text
    assert not SteeringCommittee.objects.exists()
    assert not CommitteeDecision.objects.exists()


def test_consolidation_keeps_the_former_composition_readable_by_day(login, secretariat_a):
    client = login(secretariat_a)
    _establish(client)
    committee = SteeringCommittee.objects.get()
    response = _consolidate(
        client,
        committee,
        changes={
            "Đinh Thị Ngọc": {"leaves": "on"},
            "Phan Đức Thắng": {"position": "Bí thư Thành ủy"},
        },
        joining=[
            {
                "full_name": "Lê Minh Châu",
                "position": "Trưởng Ban Dân vận Thành ủy",
                "committee_role": "standing_deputy",
            }
        ],
    )
    assert response.status_code == 302, response.content
    decision = committee.decisions.get(kind="consolidated")

    before = {m.full_name: m.position for m in committee.memberships.on(datetime.date(2024, 8, 19))}
    after = {m.full_name: m.position for m in committee.memberships.on(datetime.date(2024, 8, 20))}
    assert before == {
        "Phan Đức Thắng": "Phó Bí thư Thường trực Thành ủy",
        "Đinh Thị Ngọc": "Trưởng Ban Dân vận Thành ủy",
    }
    assert after == {
        "Phan Đức Thắng": "Bí thư Thành ủy",
        "Lê Minh Châu": "Trưởng Ban Dân vận Thành ủy",
    }
    left = committee.memberships.get(full_name="Đinh Thị Ngọc")
    assert (left.term_end, left.ended_by) == (datetime.date(2024, 8, 19), decision)
    assert committee.memberships.count() == 4  # nothing rewritten: the old seats stay

    page = client.get(f"/committees/{committee.pk}/").text
    assert "Lê Minh Châu" in page and "Kiện toàn" in page and "87-QĐ/ThU" in page
    old_page = client.get(f"/committees/{committee.pk}/", {"on": "2024-01-01"}).text
    members = old_page[old_page.index('data-testid="members"') :].split("</table>")[0]
    assert "Đinh Thị Ngọc" in members and "Lê Minh Châu" not in members


@pytest.mark.parametrize(
    ("decision", "changes", "joining", "message"),
    [
        (
            {"signed_on": "2023-05-04"},
            {},
            [{"full_name": "X", "position": "Y", "committee_role": "member"}],
            "Ngày ký phải sau quyết định gần nhất (số 412-QĐ/ThU ngày 04/05/2023).",
        ),
        ({}, {}, [], "Quyết định kiện toàn phải có ít nhất một thay đổi về thành viên."),
        (
            {},
            {},
            [{"full_name": "X", "position": "Bí thư", "committee_role": "head"}],
            "Ban chỉ đạo chỉ có một Trưởng ban; quyết định này có 2 người.",
        ),
        (
            {"number": "412-QĐ/ThU"},
            {},
            [{"full_name": "X", "position": "Y", "committee_role": "member"}],
            "Ban chỉ đạo này đã có một quyết định cùng số.",
        ),
        ({"number": ""}, {}, [], "Trường này là bắt buộc."),
    ],
)
def test_a_bad_consolidation_says_why_and_changes_nothing(
    login, secretariat_a, decision, changes, joining, message
):
    client = login(secretariat_a)
    _establish(client)
    committee = SteeringCommittee.objects.get()
    seats_before = list(Membership.objects.values())
    response = _consolidate(client, committee, changes=changes, joining=joining, **decision)
    assert response.status_code == 200
    assert message in response.text
    assert committee.decisions.count() == 1
    assert list(Membership.objects.values()) == seats_before


def test_a_committee_without_standing_deputy_or_with_a_term_ending_is_flagged(login, secretariat_a):
    committee = SteeringCommitteeFactory(area=area(DISTRICT_A))
    MembershipFactory(committee=committee, committee_role="head", full_name="Trưởng Ban A")
    MembershipFactory(
        committee=committee,
        full_name="Ủy Viên B",
        term_end=datetime.date.today() + datetime.timedelta(days=10),
    )
    page = login(secretariat_a).get(f"/committees/{committee.pk}/").text
    assert "Chưa có Phó Trưởng ban thường trực." in page
    assert "Nhiệm kỳ của Ủy Viên B (Ủy viên) kết thúc ngày" in page
    assert "Chưa có Trưởng ban." not in page


def test_correcting_a_member_is_recorded_in_the_history(login, secretariat_a):
    committee = SteeringCommitteeFactory(area=area(DISTRICT_A))
    seat = MembershipFactory(committee=committee, full_name="Nguyễn Văn Anh")
    client = login(secretariat_a)
    response = client.post(
        f"/committees/members/{seat.pk}/edit/",
        {"full_name": "Nguyễn Văn Ánh", "position": "Ủy viên", "term_start": "2023-03-15"},
    )
    assert response.status_code == 302
    assert seat.history.count() == 2
    assert seat.history.first().history_user == secretariat_a
    response = client.post(
        f"/committees/members/{seat.pk}/edit/",
        {
            "full_name": "Nguyễn Văn Ánh",
            "position": "Ủy viên",
            "term_start": "2023-03-15",
            "term_end": "2023-01-01",
        },
    )
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.text
    seat.refresh_from_db()
    assert seat.term_end is None


def test_scope_outside_is_404_and_read_only_roles_cannot_change(
    login, secretariat_a, secretariat_b, viewer, client
):
    committee = SteeringCommitteeFactory(area=area(DISTRICT_A))
    seat = MembershipFactory(committee=committee)
    decision = committee.decisions.get()
    decision.file = SimpleUploadedFile("qd.pdf", PDF)
    decision.save()
    outsider = login(secretariat_b)
    for url in [
        f"/committees/{committee.pk}/",
        f"/committees/{committee.pk}/consolidate/",
        f"/committees/{committee.pk}/edit/",
        f"/committees/members/{seat.pk}/edit/",
        f"/committees/decisions/{decision.pk}/file/",
        f"/api/v1/committees/{committee.pk}/",
        f"/api/v1/memberships/{seat.pk}/",
        f"/api/v1/committee-decisions/{decision.pk}/",
    ]:
        assert outsider.get(url).status_code == 404, url
        assert client.get(url).status_code in (302, 401, 403), url
    reader = login(viewer)
    assert reader.get(f"/committees/{committee.pk}/").status_code == 200
    assert reader.get(f"/committees/{committee.pk}/consolidate/").status_code == 403
    assert reader.get(f"/committees/members/{seat.pk}/edit/").status_code == 403
    assert reader.get("/committees/new/").status_code == 403
    refused = reader.post(
        f"/api/v1/committees/{committee.pk}/consolidate/",
        {"decision": {"number": "1", "signed_on": "2024-01-02"}, "leaving": [seat.pk]},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert not Membership.objects.filter(term_end__isnull=False).exists()
    assert login(secretariat_a).get(f"/committees/{committee.pk}/").status_code == 200


def test_the_commune_official_does_not_see_the_district_committee(login, commune_official):
    committee = SteeringCommitteeFactory(area=area(DISTRICT_A))
    assert login(commune_official).get(f"/committees/{committee.pk}/").status_code == 404
    own = SteeringCommitteeFactory(area=area(COMMUNE_A))
    assert login(commune_official).get(f"/committees/{own.pk}/").status_code == 200


def test_the_api_establishes_and_consolidates(login, secretariat_a):
    client = login(secretariat_a)
    created = client.post(
        "/api/v1/committees/",
        {
            "area": area(DISTRICT_A).pk,
            "name": "Ban Chỉ đạo thành phố Hạ Long",
            "decision": {"number": "412-QĐ/ThU", "signed_on": "2023-05-04"},
            "members": [
                {"full_name": "Phan Đức Thắng", "position": "Phó Bí thư", "committee_role": "head"},
                {
                    "full_name": "Đinh Thị Ngọc",
                    "position": "Trưởng Ban",
                    "committee_role": "member",
                },
            ],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert [m["full_name"] for m in body["members"]] == ["Phan Đức Thắng", "Đinh Thị Ngọc"]
    ngoc = next(m["id"] for m in body["members"] if m["full_name"] == "Đinh Thị Ngọc")
    url = f"/api/v1/committees/{body['id']}/consolidate/"
    payload = {
        "decision": {"number": "87-QĐ/ThU", "signed_on": "2024-08-20"},
        "changed": [
            {"membership": ngoc, "position": "Trưởng Ban", "committee_role": "standing_deputy"}
        ],
    }
    consolidated = client.post(url, payload, content_type="application/json")
    assert consolidated.status_code == 201, consolidated.json()
    assert consolidated.json()["kind"] == "consolidated"
    again = client.post(url, payload, content_type="application/json")
    assert again.status_code == 400
    assert "signed_on" in again.json()
    on_day = client.get("/api/v1/memberships/", {"committee": body["id"], "on": "2024-08-20"})
    roles = {m["full_name"]: m["committee_role"] for m in on_day.json()["results"]}
    assert roles == {"Phan Đức Thắng": "head", "Đinh Thị Ngọc": "standing_deputy"}

    unknown = client.post(
        url,
        {"decision": {"number": "90", "signed_on": "2024-09-01"}, "leaving": [999999]},
        content_type="application/json",
    )
    assert unknown.status_code == 400 and "leaving" in unknown.json()
    twice = client.post(
        "/api/v1/committees/",
        {
            "area": area(DISTRICT_A).pk,
            "name": "Ban thứ hai",
            "decision": {"number": "500-QĐ/ThU", "signed_on": "2024-01-04"},
            "members": [{"full_name": "A", "position": "B", "committee_role": "head"}],
        },
        content_type="application/json",
    )
    assert twice.status_code == 400
    assert "Địa bàn này đã có một ban chỉ đạo đang hoạt động." in str(twice.json())
    outside = client.post(
        "/api/v1/committees/",
        {
            "area": area(DISTRICT_B).pk,
            "name": "Ban Cẩm Phả",
            "decision": {"number": "1-QĐ", "signed_on": "2024-01-04"},
            "members": [{"full_name": "A", "position": "B", "committee_role": "head"}],
        },
        content_type="application/json",
    )
    assert outside.status_code == 400 and "area" in outside.json()
    assert SteeringCommittee.objects.count() == 1


def test_the_api_refuses_a_hostile_decision_file(login, secretariat_a):
    committee = SteeringCommitteeFactory(area=area(DISTRICT_A))
    decision = committee.decisions.get()
    client = login(secretariat_a)
    url = f"/api/v1/committee-decisions/{decision.pk}/"
    hostile = SimpleUploadedFile("qd.pdf", b"<script>alert(1)</script>")
    response = client.patch(
        url, encode_multipart(BOUNDARY, {"file": hostile}), content_type=MULTIPART_CONTENT
    )
    assert response.status_code == 400 and "file" in response.json()
    decision.refresh_from_db()
    assert not decision.file
    assert client.delete(url).status_code == 405


def test_lists_and_api_run_constant_queries(login, provincial_staff):
    client = login(provincial_staff)
    first = SteeringCommitteeFactory(area=area(DISTRICT_A))
    MembershipFactory.create_batch(2, committee=first)
    urls = [
        "/committees/",
        "/api/v1/committees/",
        "/api/v1/memberships/",
        f"/committees/{first.pk}/",
    ]
    few = query_counts(client, urls)
    for code in [DISTRICT_B, COMMUNE_A]:
        committee = SteeringCommitteeFactory(area=area(code))
        MembershipFactory.create_batch(5, committee=committee)
        CommitteeDecisionFactory(
            committee=committee, kind="consolidated", signed_on=datetime.date(2024, 1, 5)
        )
    MembershipFactory.create_batch(6, committee=first)
    CommitteeDecisionFactory(
        committee=first, kind="consolidated", signed_on=datetime.date(2024, 2, 5)
    )
    many = query_counts(client, urls)
    assert few == many == dict(zip(urls, [7, 8, 6, 12], strict=True))


def test_the_list_filters_by_year_of_decision_and_area(login, provincial_staff):
    client = login(provincial_staff)
    halong = SteeringCommitteeFactory(area=area(DISTRICT_A), name="BCĐ Hạ Long")
    CommitteeDecisionFactory(
        committee=halong, kind="consolidated", signed_on=datetime.date(2024, 6, 1)
    )
    SteeringCommitteeFactory(area=area(DISTRICT_B), name="BCĐ Cẩm Phả")
    in_2024 = client.get("/committees/", {"year": 2024}).text
    assert "BCĐ Hạ Long" in in_2024 and "BCĐ Cẩm Phả" not in in_2024
    assert "BCĐ Hạ Long" not in client.get("/committees/", {"area": DISTRICT_B}).text
    assert client.get("/api/v1/committees/", {"year": 2024}).json()["count"] == 1
