"""The law the deadlines cite, completed: second-round complaints (Điều 36, 37 Luật Khiếu
nại 2011), a denunciation's first step extended to verify (Điều 24 khoản 1 Luật Tố cáo
2018) through the API and its page, and rules dated so that a change of law leaves old
petitions their old deadlines."""

import datetime

import pytest

from inspections import deadlines
from inspections.models import Petition
from tests.conftest import DISTRICT_A
from tests.factories import PetitionFactory, area

D = datetime.date


@pytest.mark.parametrize(
    ("complexity", "remote", "due", "days"),
    [
        ("normal", False, D(2024, 4, 25), 45),
        ("complex", False, D(2024, 5, 10), 60),
        ("normal", True, D(2024, 5, 10), 60),
        ("very_complex", True, D(2024, 5, 20), 70),
    ],
)
def test_a_second_round_complaint_is_resolved_within_45_60_or_70_days(
    complexity, remote, due, days
):
    deadline = deadlines.resolve_deadline(
        "complaint", D(2024, 3, 11), complexity, remote, round="second"
    )
    assert deadline.due_on == due
    assert f"Điều 37 Luật Khiếu nại 2011: {days} ngày kể từ ngày thụ lý" in deadline.basis


def test_a_second_round_complaint_is_accepted_within_10_days():
    deadline = deadlines.first_deadline("complaint", D(2024, 3, 1), round="second")
    assert deadline.due_on == D(2024, 3, 11)
    assert deadline.basis.startswith("Điều 36 Luật Khiếu nại 2011: 10 ngày")


def test_only_complaints_have_a_second_round():
    deadline = deadlines.first_deadline("denunciation", D(2024, 6, 7), round="second")
    assert "Điều 24 khoản 1 Luật Tố cáo 2018" in deadline.basis


@pytest.mark.parametrize(
    ("days", "due"),
    [
        (0, D(2024, 6, 18)),
        (3, D(2024, 6, 21)),
        (10, D(2024, 7, 2)),  # 17 working days: three more weekends
    ],
)
def test_a_denunciations_first_step_extended_to_verify(days, due):
    deadline = deadlines.first_deadline("denunciation", D(2024, 6, 7), verification_days=days)
    assert deadline.due_on == due
    assert "Điều 24 khoản 1 Luật Tố cáo 2018" in deadline.basis
    assert ("kéo dài thêm" in deadline.basis) is bool(days)


@pytest.fixture
def a_change_of_law(monkeypatch):
    """A law of 2026 that gives complaints 20 days to be accepted (none exists: the
    mechanism is what is tested)."""
    changed = deadlines.Rule(
        "complaint",
        "first",
        D(2026, 1, 1),
        lambda received_on, case: (deadlines.add_days(received_on, 20), "Luật mới: 20 ngày"),
    )
    monkeypatch.setattr(deadlines, "RULES", [*deadlines.RULES, changed])


@pytest.mark.django_db
def test_an_old_petition_keeps_its_old_deadline_after_a_change_of_law(a_change_of_law):
    old = PetitionFactory(area=area(DISTRICT_A), received_on=D(2024, 3, 1))
    assert old.first_due_on == D(2024, 3, 11)
    assert deadlines.deadlines(old)[0].basis.startswith("Điều 27 Luật Khiếu nại 2011")
    assert deadlines.rule_for("complaint", "first", D(2025, 12, 31)).applies_from == D(2012, 7, 1)
    new = deadlines.first_deadline("complaint", D(2026, 3, 2))
    assert (new.due_on, new.basis) == (D(2026, 3, 23), "Luật mới: 20 ngày")
    old.subject = "Sửa nội dung"
    old.save()  # saved again under the new law: still the old one's deadline
    assert Petition.objects.get(pk=old.pk).first_due_on == D(2024, 3, 11)


# --- through the API and the page ---------------------------------------------------------


def _denunciation(**extra):
    values = {"kind": "denunciation", "received_on": D(2024, 6, 7), **extra}
    return PetitionFactory(area=area(DISTRICT_A), **values)


@pytest.mark.django_db
def test_the_api_extends_a_denunciation_to_verify_once(login, petition_officer):
    petition = _denunciation()
    client = login(petition_officer)
    url = f"/api/v1/petitions/{petition.pk}/verification/"
    answer = client.post(url, {"days": 10, "note": "Xác minh tại ba địa điểm"})
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["verification_days"] == 10
    first = next(d for d in data["deadlines"] if d["step"] == "first")
    assert first["due_on"] == "2024-07-02"
    assert "kéo dài thêm 10 ngày làm việc" in first["basis"]
    again = client.post(url, {"days": 2, "note": "Lần nữa"})
    assert again.status_code == 400
    assert "days" in again.json()
    assert petition.events.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("petition", "payload", "field"),
    [
        ({"kind": "complaint"}, {"days": 5, "note": "Xác minh"}, "kind"),
        ({}, {"days": 11, "note": "Xác minh"}, "days"),
        ({}, {"days": 0, "note": "Xác minh"}, "days"),
        ({}, {"days": 5, "note": " "}, "note"),
        ({}, {"days": "mười", "note": "Xác minh"}, "days"),
        ({"status": "accepted", "accepted_on": D(2024, 6, 12)}, {"days": 5, "note": "X"}, "status"),
        ({}, {"days": 5, "note": "Xác minh", "on": "2024-06-01"}, "on"),
    ],
    ids=["a-complaint", "over-10", "zero", "no-reason", "not-a-number", "accepted", "before"],
)
def test_the_api_refuses_a_bad_extension_with_field_errors(
    login, petition_officer, petition, payload, field
):
    target = _denunciation(**petition)
    before = Petition.objects.get(pk=target.pk).first_due_on
    answer = login(petition_officer).post(f"/api/v1/petitions/{target.pk}/verification/", payload)
    assert answer.status_code == 400
    assert field in answer.json(), answer.json()
    assert Petition.objects.get(pk=target.pk).first_due_on == before
    assert not target.events.exists()


@pytest.mark.django_db
def test_the_page_extends_and_explains_a_refusal(login, secretariat_a):
    petition = _denunciation()
    client = login(secretariat_a)
    detail = client.get(f"/petitions/{petition.pk}/").text
    assert 'data-testid="verification-link"' in detail
    url = f"/petitions/{petition.pk}/verification/"
    assert "Điều 24 khoản 1 Luật Tố cáo 2018" in client.get(url).text
    refused = client.post(url, {"days": "12", "note": "Xác minh"})
    assert refused.status_code == 200
    assert "10" in refused.text and 'class="invalid-feedback' in refused.text
    done = client.post(url, {"days": "3", "note": "Xác minh nhiều nơi"})
    assert done.status_code == 302
    petition.refresh_from_db()
    assert petition.verification_days == 3
    assert petition.first_due_on == D(2024, 6, 21)
    assert 'data-testid="verification-link"' not in client.get(f"/petitions/{petition.pk}/").text


@pytest.mark.django_db
def test_a_second_round_is_kept_and_refused_on_a_denunciation(login, secretariat_a):
    client = login(secretariat_a)
    form = {
        "area": area(DISTRICT_A).pk,
        "kind": "complaint",
        "round": "second",
        "received_on": "2024-03-01",
        "channel": "post",
        "field": "land",
        "petitioner_name": "Lê Văn Hai",
        "subject": "Khiếu nại lần hai quyết định giải quyết",
        "handling_body": "UBND tỉnh",
        "complexity": "normal",
    }
    saved = client.post("/petitions/new/", form)
    assert saved.status_code == 302, saved.context and saved.context["form"].errors
    petition = Petition.objects.get(subject=form["subject"])
    assert petition.round == "second"
    assert petition.first_due_on == D(2024, 3, 11)
    refused = client.post("/petitions/new/", {**form, "kind": "denunciation", "subject": "Tố"})
    assert refused.status_code == 200
    assert "Chỉ đơn khiếu nại mới có khiếu nại lần hai." in refused.text
