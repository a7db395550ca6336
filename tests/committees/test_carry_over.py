"""A committee of a unit abolished on 01/07/2025 is carried onto the unit that took it
over by a consolidation decision: a new committee continues it, the former composition
stays readable, and a document finds the head in office on its date."""

import datetime

import pytest

from committees.models import Area, CommitteeDecision, Membership, SteeringCommittee, Structure
from committees.services.committees import Seat, committee_carry_over, committee_establish
from reports.documents import summary_content
from reports.models import ReportingPeriod, SummaryReport
from tests.conftest import DISTRICT_A, PROVINCE
from tests.factories import area

pytestmark = pytest.mark.django_db

REFORM = datetime.date(2025, 7, 1)


def today_map(code: str) -> Area:
    return Area.objects.get(structure=Structure.Y2025, code=code)


def _committee(code: str, administrator, structure="legacy", day="2023-03-15"):
    return committee_establish(
        area=area(code, structure),
        name="Ban Chỉ đạo thực hiện dân chủ ở cơ sở",
        standing_body="Ban Dân vận Tỉnh ủy",
        regulation="Quy chế số 01-QC/BCĐ",
        decision=CommitteeDecision(number="1125-QĐ/TU", signed_on=datetime.date.fromisoformat(day)),
        members=[
            Seat("Đặng Xuân Phương", "Phó Bí thư Tỉnh ủy", "head"),
            Seat("Hoàng Văn Bình", "Trưởng Ban Dân vận Tỉnh ủy", "standing_deputy"),
            Seat("Nguyễn Văn Tuấn", "Chánh Thanh tra tỉnh", "member"),
        ],
        actor=administrator,
    )


@pytest.fixture
def former(administrator):
    """The legacy province's committee, one of whose members has a term ending in 2027."""
    committee = _committee(PROVINCE, administrator)
    seat = committee.memberships.get(full_name="Hoàng Văn Bình")
    seat.term_end = datetime.date(2027, 3, 14)
    seat.save()
    return committee


def _seats(prefix: str, rows: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(rows)) if prefix == "current" else "0",
    }
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


def _form(committee, target: Area, changes=None, joining=None, **decision) -> dict:
    changes = changes or {}
    rows = []
    for m in committee.memberships.on(datetime.date.today()).by_rank():
        row = {
            "membership": m.pk,
            "position": m.position,
            "organisation": m.organisation,
            "committee_role": m.committee_role,
        }
        row.update(changes.get(m.full_name, {}))
        rows.append(row)
    return {
        "committee-area": target.pk,
        "committee-name": "",
        "committee-standing_body": "Ban Tuyên giáo và Dân vận Tỉnh ủy",
        "committee-regulation": "Quy chế số 01-QC/BCĐ",
        "decision-number": "15-QĐ/TU",
        "decision-signed_on": "2025-07-01",
        "decision-summary": "",
        **_seats("current", rows),
        **_seats("new", joining or []),
        **{f"decision-{k}": v for k, v in decision.items()},
    }


def _names(committee, day) -> set[tuple[str, str]]:
    return {
        (m.full_name, m.position)
        for m in Membership.objects.filter(committee=committee).on(datetime.date.fromisoformat(day))
    }


def test_it_carries_the_provinces_committee_onto_its_successor(login, provincial_staff, former):
    new_province = today_map(PROVINCE)
    client = login(provincial_staff)
    page = client.get(former.get_absolute_url()).text
    assert 'data-testid="carry-over"' in page and 'data-testid="area-abolished"' in page
    data = _form(
        former,
        new_province,
        changes={
            "Nguyễn Văn Tuấn": {"leaves": "on"},
            "Hoàng Văn Bình": {"position": "Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy"},
        },
        joining=[
            {
                "full_name": "Trần Thị Kim Oanh",
                "position": "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
                "committee_role": "deputy",
            }
        ],
    )
    response = client.post(f"/committees/{former.pk}/carry-over/", data)
    carried = SteeringCommittee.objects.get(area=new_province)
    assert response.status_code == 302 and response.url == carried.get_absolute_url()
    former.refresh_from_db()
    assert not former.is_active and carried.is_active and carried.carried_from == former
    assert former.history.first().history_user == provincial_staff
    assert carried.history.first().history_user == provincial_staff
    assert carried.name == "Ban Chỉ đạo thực hiện dân chủ ở cơ sở tỉnh Quảng Ninh"
    assert carried.standing_body == "Ban Tuyên giáo và Dân vận Tỉnh ủy"
    decision = carried.decisions.get()
    assert (decision.kind, decision.number, decision.signed_on) == (
        "consolidated",
        "15-QĐ/TU",
        REFORM,
    )
    assert "tiếp nối ban chỉ đạo của Tỉnh Quảng Ninh (đến 30/06/2025)" in decision.summary

    # Both compositions stay readable: the former until 30/06/2025, the carried one after.
    assert _names(former, "2025-06-30") == {
        ("Đặng Xuân Phương", "Phó Bí thư Tỉnh ủy"),
        ("Hoàng Văn Bình", "Trưởng Ban Dân vận Tỉnh ủy"),
        ("Nguyễn Văn Tuấn", "Chánh Thanh tra tỉnh"),
    }
    assert _names(former, "2025-07-01") == set()
    assert _names(carried, "2025-07-01") == {
        ("Đặng Xuân Phương", "Phó Bí thư Tỉnh ủy"),
        ("Hoàng Văn Bình", "Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy"),
        ("Trần Thị Kim Oanh", "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh"),
    }
    assert former.memberships.filter(ended_by=decision).count() == 3
    head = carried.memberships.get(full_name="Đặng Xuân Phương")
    assert (head.term_start, head.term_end, head.appointed_by) == (REFORM, None, decision)
    # A changed position opens a new seat; its former term's end does not carry over.
    assert carried.memberships.get(full_name="Hoàng Văn Bình").term_end is None

    page = client.get(former.get_absolute_url()).text
    assert 'data-testid="carried-to"' in page and "15-QĐ/TU" in page
    assert 'data-testid="carry-over"' not in page
    page = client.get(carried.get_absolute_url()).text
    assert 'data-testid="carried-from"' in page
    # The decision reads seat by seat: one went on, one changed, one left, one joined.
    assert "1 thành viên tiếp tục" in page
    assert "Hoàng Văn Bình: Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy" in page
    assert "Nguyễn Văn Tuấn (Ủy viên)" in page and "Trần Thị Kim Oanh (Phó Trưởng ban)" in page
    # Only in the members' table (the name and its edit link), not listed twice more.
    assert page.count("Đặng Xuân Phương") == 2


def test_a_member_who_stays_keeps_the_end_of_their_term(provincial_staff, former):
    carried = committee_carry_over(
        committee=former,
        area=today_map(PROVINCE),
        decision=CommitteeDecision(number="15-QĐ/TU", signed_on=REFORM),
        leaving=[],
        changed={},
        joining=[],
        actor=provincial_staff,
    )
    seat = carried.memberships.get(full_name="Hoàng Văn Bình")
    assert (seat.term_start, seat.term_end) == (REFORM, datetime.date(2027, 3, 14))
    assert carried.standing_body == "Ban Dân vận Tỉnh ủy"  # unchanged unless given


def test_a_districts_committee_goes_to_the_new_province_or_one_of_its_heirs(
    login, provincial_staff, administrator
):
    committee = _committee(DISTRICT_A, administrator)
    page = login(provincial_staff).get(f"/committees/{committee.pk}/carry-over/")
    options = page.context["form"].fields["area"].queryset
    names = {a.name for a in options}
    assert {"Tỉnh Quảng Ninh", "Phường Cao Xanh", "Phường Bãi Cháy"} <= names
    assert "Phường Mông Dương" not in names  # an heir of Cẩm Phả, not of Hạ Long
    assert len(names) == 14  # the province and the 13 units that took over its communes
    assert page.context["form"].initial["area"] == today_map(PROVINCE).pk


@pytest.mark.parametrize(
    ("target", "decision", "field", "message"),
    [
        (
            "06760",
            "2025-07-01",
            "committee-area",
            "Phường Mông Dương (từ 01/07/2025) không kế thừa",
        ),
        ("06658", "2025-06-30", "decision-signed_on", "được ký từ 01/07/2025"),
    ],
)
def test_it_refuses_a_unit_that_is_no_heir_and_a_decision_before_the_reform(
    login, provincial_staff, administrator, target, decision, field, message
):
    committee = _committee(DISTRICT_A, administrator)
    client = login(provincial_staff)
    data = _form(committee, today_map(target), **{"signed_on": decision})
    # Mông Dương is not offered; the service refuses it all the same (the API below).
    if field == "committee-area":
        response = client.post(
            f"/api/v1/committees/{committee.pk}/carry-over/",
            {
                "area": today_map(target).pk,
                "decision": {"number": "15-QĐ/ThU", "signed_on": decision},
            },
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["area"][0].startswith(message)
        assert "Phường Cao Xanh" in response.json()["area"][0]
    else:
        response = client.post(f"/committees/{committee.pk}/carry-over/", data)
        assert response.status_code == 200
        errors = response.context["decision_form"].errors["signed_on"]
        assert message in errors[0]
    committee.refresh_from_db()
    assert committee.is_active
    assert SteeringCommittee.objects.count() == 1
    assert not Membership.objects.filter(term_end__isnull=False).exists()


def test_it_refuses_a_unit_that_has_a_committee_already(login, provincial_staff, administrator):
    committee = _committee(DISTRICT_A, administrator)
    present = _committee("06658", administrator, structure="2025", day="2025-07-15")
    client = login(provincial_staff)
    response = client.post(
        f"/committees/{committee.pk}/carry-over/", _form(committee, present.area)
    )
    assert response.status_code == 200
    assert (
        "Phường Cao Xanh đã có ban chỉ đạo đang hoạt động"
        in (response.context["form"].errors["area"][0])
    )
    committee.refresh_from_db()
    assert committee.is_active and SteeringCommittee.objects.count() == 2


def test_a_committee_of_a_unit_in_force_is_not_carried_over(login, provincial_staff, administrator):
    committee = _committee("06658", administrator, structure="2025", day="2025-07-15")
    client = login(provincial_staff)
    page = client.get(committee.get_absolute_url()).text
    assert 'data-testid="carry-over"' not in page
    response = client.get(f"/committees/{committee.pk}/carry-over/", follow=True)
    assert "Chỉ chuyển được ban chỉ đạo đang hoạt động" in response.text
    api = client.post(
        f"/api/v1/committees/{committee.pk}/carry-over/",
        {"area": committee.area.pk, "decision": {"number": "2-QĐ", "signed_on": "2025-08-01"}},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "vẫn còn trên bản đồ hiện hành" in str(api.json())


def test_a_secretariat_without_a_role_on_the_heirs_cannot_carry_it_over(
    login, secretariat_a, administrator, viewer
):
    committee = _committee(DISTRICT_A, administrator)
    client = login(secretariat_a)
    page = client.get(f"/committees/{committee.pk}/carry-over/")
    assert 'data-testid="no-target"' in page.text
    response = client.post(
        f"/committees/{committee.pk}/carry-over/", _form(committee, today_map("06658"))
    )
    assert response.status_code == 200 and response.context["form"].errors["area"]
    assert SteeringCommittee.objects.count() == 1
    assert login(viewer).get(f"/committees/{committee.pk}/carry-over/").status_code == 403


def test_the_api_carries_a_committee_over(login, provincial_staff, former):
    client = login(provincial_staff)
    client.cookies["django_language"] = "en"  # the name and summary kept stay Vietnamese
    head = former.memberships.get(full_name="Đặng Xuân Phương")
    response = client.post(
        f"/api/v1/committees/{former.pk}/carry-over/",
        {
            "area": today_map(PROVINCE).pk,
            "decision": {"number": "15-QĐ/TU", "signed_on": "2025-07-01"},
            "leaving": [former.memberships.get(full_name="Nguyễn Văn Tuấn").pk],
            "changed": [
                {"membership": head.pk, "position": "Bí thư Tỉnh ủy", "committee_role": "head"}
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["carried_from"] == former.pk and body["area"] == today_map(PROVINCE).pk
    carried = SteeringCommittee.objects.get(pk=body["id"])
    assert carried.name == "Ban Chỉ đạo thực hiện dân chủ ở cơ sở tỉnh Quảng Ninh"
    assert carried.decisions.get().summary.startswith("Kiện toàn ban chỉ đạo sau sắp xếp")
    assert "(đến 30/06/2025)" in carried.decisions.get().summary
    assert {(m["full_name"], m["position"]) for m in body["members"]} == {
        ("Đặng Xuân Phương", "Bí thư Tỉnh ủy"),
        ("Hoàng Văn Bình", "Trưởng Ban Dân vận Tỉnh ủy"),
    }
    again = client.post(
        f"/api/v1/committees/{former.pk}/carry-over/",
        {
            "area": today_map(PROVINCE).pk,
            "decision": {"number": "16-QĐ/TU", "signed_on": "2025-07-02"},
        },
        content_type="application/json",
    )
    assert again.status_code == 400 and "no longer active" in str(again.json())  # in English


def test_a_document_is_signed_by_the_head_in_office_on_its_date(provincial_staff, former):
    new_province = today_map(PROVINCE)
    head = former.memberships.get(full_name="Đặng Xuân Phương")
    committee_carry_over(
        committee=former,
        area=new_province,
        decision=CommitteeDecision(number="15-QĐ/TU", signed_on=REFORM),
        leaving=[head],
        changed={},
        joining=[Seat("Vũ Đại Thắng", "Bí thư Tỉnh ủy", "head")],
        actor=provincial_staff,
    )
    cases = [
        (area(PROVINCE), 2024, "2024-12-19", "Đặng Xuân Phương"),  # the committee stopped since
        (new_province, 2025, "2025-12-19", "Vũ Đại Thắng"),  # the carried committee
        (new_province, 2025, "2025-06-30", "Đặng Xuân Phương"),  # before it: the former one
    ]
    for province, year, issued_on, signer in cases:
        period, _created = ReportingPeriod.objects.get_or_create(
            province=province,
            year=year,
            defaults={
                "opens_on": datetime.date(year, 11, 15),
                "due_on": datetime.date(year, 12, 15),
            },
        )
        SummaryReport.objects.update_or_create(
            period=period, defaults={"issued_on": datetime.date.fromisoformat(issued_on)}
        )
        assert summary_content(period)["signer"] == signer, issued_on
