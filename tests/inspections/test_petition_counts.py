"""The petitions dashboard reads counts kept with every write of a petition: after creates,
steps, extensions, edits (a move to another area too) and deletes — through the pages, the
API and the admin — and after bulk writes, every scope's counts equal a recount of its
petitions, in the years either side of the reform of 1 July 2025, today and on later days;
a unit of today's map counts the legacy units it took over; the dashboard shows them; the
management command rebuilds them."""

import datetime
import io
import random

import pytest
from django.core.management import call_command

from committees.models import Role, Structure, User
from committees.platform.history import bulk_create_with_history, untracked_writes
from inspections import counts
from inspections.models import (
    Petition,
    PetitionDueCount,
    PetitionField,
    PetitionKind,
    PetitionMonthCount,
)
from inspections.services import TRANSITIONS, petition_extend, petition_transition
from tests.conftest import COMMUNE_A, COMMUNE_A_TODAY, COMMUNE_B, DISTRICT_A, DISTRICT_B, PROVINCE
from tests.factories import RoleAssignmentFactory, UserFactory, area

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
COUNTRY = [f"{structure}/" for structure in Structure.values]
REFORM = datetime.date(2025, 7, 1)
# A legacy unit keeps the petitions received until 30/06/2025 (KeptOnItsArea).
BEFORE = datetime.date(2025, 6, 10)
# The years the checks cover: before the reform, the year that straddles it, this year.
YEARS = sorted({2024, 2025, TODAY.year})


@pytest.fixture(autouse=True)
def people_of_today(commune_official_today):
    """The province's staff and a commune official (the persona of Cao Xanh) on today's
    map only: their scopes inherit the legacy units their units took over
    (``User.scope_paths``)."""
    province = UserFactory(username="tinhmoi")
    RoleAssignmentFactory(user=province, role=Role.PROVINCIAL_STAFF, area=today(PROVINCE))
    return province, commune_official_today


def today(code: str):
    return area(code, Structure.Y2025)


def _form(code: str, structure: str = Structure.LEGACY, **changes) -> dict:
    """What a user fills in on the petition form (a legacy unit's, before the reform)."""
    return {
        "area": area(code, structure).pk,
        "kind": "denunciation",
        "received_on": BEFORE.isoformat(),
        "channel": "post",
        "field": "land",
        "petitioner_name": "Trần Thị Tố",
        "subject": "Tố cáo việc giao đất trái thẩm quyền",
        "handling_body": "UBND thành phố",
        "complexity": "normal",
        **changes,
    }


def _agree() -> None:
    """Every scope's counts equal a recount of its petitions: the country, the province,
    both districts and a commune; the province and a commune of today's map (with the
    legacy units they took over), as their people see them and as an area picked on the
    dashboard; in the years either side of the reform; today, and once deadlines pass."""
    scopes = [(COUNTRY, Petition.objects.all())]
    for code in (PROVINCE, DISTRICT_A, DISTRICT_B, COMMUNE_A):
        scopes.append(([area(code).path], Petition.objects.within(area(code))))
    chief = User.objects.filter(is_superuser=True).first() or UserFactory(is_superuser=True)
    for username, code in (("tinhmoi", PROVINCE), ("caoxanh", COMMUNE_A_TODAY)):
        user = User.objects.get(username=username)
        mine = Petition.objects.visible_to(user)
        scopes.append((counts.roots_of(user), mine))
        scopes.append((counts.roots_of(chief, today(code)), mine))
    for roots, petitions in scopes:
        for year in YEARS:
            for day in (TODAY, TODAY + datetime.timedelta(days=45)):
                assert counts.figures(roots, year, day) == counts.recount(petitions, year, day), (
                    roots,
                    year,
                    day,
                )


def test_the_counts_follow_every_write_through_the_pages_the_api_and_the_admin(
    login, secretariat_a, provincial_staff, administrator
):
    district, province, admin = (
        login(secretariat_a),
        login(provincial_staff),
        login(administrator),
    )
    _agree()
    # Created on the page, in a commune of district A, and through the API in district B.
    response = district.post("/petitions/new/", _form(COMMUNE_A, is_crowd="on"))
    assert response.status_code == 302, response.content
    on_page = Petition.objects.get()
    _agree()
    api = province.post(
        "/api/v1/petitions/",
        {**_form(DISTRICT_B, kind="complaint", field="policy"), "area": area(DISTRICT_B).pk},
        content_type="application/json",
    )
    assert api.status_code == 201, api.json()
    by_api = Petition.objects.get(pk=api.json()["id"])
    _agree()
    # On today's map: received by Phường Cao Xanh this year, through the API.
    recent = _form(COMMUNE_A_TODAY, Structure.Y2025, received_on=_ago(20).isoformat())
    api = province.post("/api/v1/petitions/", recent, content_type="application/json")
    assert api.status_code == 201, api.json()
    of_today = Petition.objects.get(pk=api.json()["id"])
    _agree()
    # Steps on the page and through the API; a complex case accepted and extended.
    for to in ("classified", "accepted"):
        district.post(f"/petitions/{on_page.pk}/step/", {"to": to, "on": TODAY.isoformat()})
        _agree()
    province.post(
        f"/api/v1/petitions/{by_api.pk}/step/",
        {"to": "classified"},
        content_type="application/json",
    )
    _agree()
    # Edited on the page: another district (out of A's scope, so by the province), another
    # kind, field and complexity, received last year.
    edit = _form(
        DISTRICT_B,
        kind="denunciation",
        field="corruption",
        complexity="very_complex",
        received_on=datetime.date(2024, 12, 30).isoformat(),
    )
    assert province.post(f"/petitions/{on_page.pk}/edit/", edit).status_code == 302
    on_page.refresh_from_db()
    assert on_page.area == area(DISTRICT_B) and on_page.status == "accepted"
    _agree()
    petition_extend(petition=on_page, actor=provincial_staff, note="Vụ việc đặc biệt phức tạp")
    _agree()
    # Moved back to a commune of A through the API.
    patch = province.patch(
        f"/api/v1/petitions/{on_page.pk}/",
        {"area": area(COMMUNE_A).pk, "is_crowd": False},
        content_type="application/json",
    )
    assert patch.status_code == 200, patch.json()
    _agree()
    # Resolved; then deleted on the page, through the API and in the admin (bulk action).
    for to in ("being_resolved", "resolved"):
        petition_transition(petition=on_page, to=to, actor=provincial_staff, outcome="partly")
    _agree()
    third = Petition.objects.create(**_petition_fields(COMMUNE_B))
    petition_transition(petition=of_today, to="classified", actor=provincial_staff)
    _agree()
    assert province.delete(f"/api/v1/petitions/{of_today.pk}/").status_code == 204
    assert province.post(f"/petitions/{on_page.pk}/delete/").status_code == 302
    _agree()
    assert province.delete(f"/api/v1/petitions/{by_api.pk}/").status_code == 204
    _agree()
    admin.post(
        "/admin/inspections/petition/",
        {"action": "delete_selected", "_selected_action": [third.pk], "post": "yes"},
    )
    assert not Petition.objects.exists()
    _agree()
    assert not PetitionMonthCount.objects.exclude(received=0).exists()
    assert not PetitionDueCount.objects.exclude(awaiting=0, handled=0).exists()


def _ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def _received(structure: str, rng: random.Random) -> datetime.date:
    """A day the unit was in force on: legacy units until 30/06/2025, today's after."""
    first, last = (datetime.date(2024, 2, 1), REFORM - datetime.timedelta(days=1))
    if structure == Structure.Y2025:
        first, last = REFORM, TODAY
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def _petition_fields(
    code: str, rng: random.Random | None = None, structure: str = Structure.LEGACY
) -> dict:
    rng = rng or random.Random(0)
    return {
        "area": area(code, structure),
        "kind": rng.choice(["complaint", "denunciation", "petition"]),
        "channel": "post",
        "field": rng.choice(["land", "policy", "other", "corruption"]),
        "is_crowd": rng.random() < 0.3,
        "complexity": rng.choice(["normal", "complex", "very_complex"]),
        "received_on": _received(structure, rng),
        "petitioner_name": "A",
        "subject": "B",
        "handling_body": "C",
    }


def test_the_counts_follow_a_random_run_of_writes_and_bulk_writes(quang_ninh, administrator):
    """Many petitions in many states, moved, stepped and deleted one by one and in bulk
    (bulk creates and updates are what imports and repairs use)."""
    rng = random.Random(2024)
    legacy = [(code, Structure.LEGACY) for code in (PROVINCE, DISTRICT_A, DISTRICT_B, COMMUNE_A)]
    codes = [*legacy, (COMMUNE_B, Structure.LEGACY)]
    codes += [(PROVINCE, Structure.Y2025), (COMMUNE_A_TODAY, Structure.Y2025)]

    def fields() -> dict:
        code, structure = rng.choice(codes)
        return _petition_fields(code, rng, structure)

    petitions = [Petition.objects.create(**fields()) for _ in range(30)]
    petitions += bulk_create_with_history(
        [Petition(**fields()) for _ in range(10)],
        Petition,
        actor=administrator,
    )
    _agree()
    for _round in range(60):
        petition = Petition.objects.get(pk=rng.choice(petitions).pk)
        steps = [to for to in TRANSITIONS[petition.status] if to != "withdrawn"]
        if steps and rng.random() < 0.6:
            petition_transition(
                petition=petition,
                to=rng.choice(steps),
                actor=administrator,
                note="lý do",
                outcome="right",
            )
        else:
            moved = fields()
            petition.area, petition.received_on = moved["area"], moved["received_on"]
            petition.save()
    _agree()
    with untracked_writes():  # a repair of many rows at once, in bulk
        Petition.objects.filter(area=area(DISTRICT_A)).update(area=area(DISTRICT_B))
        Petition.objects.filter(kind="complaint").update(status="being_resolved")
    _agree()
    Petition.objects.filter(area=area(DISTRICT_B)).delete()
    _agree()


def test_a_unit_of_today_counts_the_legacy_units_it_took_over_in_the_year_of_the_reform(
    login, provincial_staff, people_of_today
):
    """2025 straddles the reform: until 30 June the legacy province, its districts and
    communes kept the petitions; from 1 July the province of today and its communes. The
    province of today counts them all (its former districts' own too), Phường Cao Xanh its
    own and Hà Khánh's; the kept counts equal a recount of what their people see."""
    staff, commune = people_of_today
    client = login(provincial_staff)  # of the province on both maps
    forms = [
        _form(PROVINCE, received_on="2025-02-01"),  # the legacy province's own
        _form(DISTRICT_A, received_on="2025-03-02"),  # a former district's own
        _form(COMMUNE_B, field="policy", received_on="2025-01-15"),
        _form(COMMUNE_A, kind="complaint", received_on="2025-06-30"),  # Hà Khánh, last day
        _form(COMMUNE_A_TODAY, Structure.Y2025, received_on="2025-07-01"),  # Cao Xanh, first
        _form(COMMUNE_A_TODAY, Structure.Y2025, kind="petition", received_on="2025-11-03"),
        _form(PROVINCE, Structure.Y2025, is_crowd="on", received_on="2025-08-01"),
    ]
    for form in forms:
        response = client.post("/petitions/new/", form)
        assert response.status_code == 302, response.context["form"].errors
    # Of other years: the year before, on the legacy map.
    Petition.objects.create(**{**_petition_fields(DISTRICT_B), "received_on": BEFORE.replace(2024)})

    mine = counts.figures(counts.roots_of(staff), 2025, TODAY)
    assert mine == counts.recount(Petition.objects.visible_to(staff), 2025, TODAY)
    assert mine["counts"]["received"] == 7 and mine["counts"]["crowd"] == 1
    assert [mine["by_month"][m] for m in (1, 2, 3, 6, 7, 8, 11)] == [1] * 7
    assert counts.figures(counts.roots_of(staff), 2024, TODAY)["counts"]["received"] == 1
    theirs = counts.figures(counts.roots_of(commune), 2025, TODAY)
    assert theirs == counts.recount(Petition.objects.visible_to(commune), 2025, TODAY)
    assert theirs["counts"]["received"] == 3 and theirs["counts"]["complaints"] == 1
    _agree()

    # The dashboard: the province's people, the province's code (the unit of today's map,
    # which kept the code), Phường Cao Xanh's people and its code (of both maps too).
    year = {"year": 2025}
    pages = {
        7: [login(staff).get("/petitions/dashboard/", year)],
        3: [login(commune).get("/petitions/dashboard/", year)],
    }
    pages[7].append(client.get("/petitions/dashboard/", {**year, "area": PROVINCE}))
    pages[3].append(client.get("/petitions/dashboard/", {**year, "area": COMMUNE_A_TODAY}))
    for received, responses in pages.items():
        for response in responses:
            assert f'data-testid="received">{received}<' in response.text
    assert pages[7][1].context["area"] == today(PROVINCE)

    # Hà Khánh's petition moved to a commune of Cẩm Phả: no longer Cao Xanh's.
    moved = Petition.objects.get(area=area(COMMUNE_A))
    edit = _form(COMMUNE_B, kind="complaint", received_on="2025-06-30")
    assert client.post(f"/petitions/{moved.pk}/edit/", edit).status_code == 302
    assert counts.figures(counts.roots_of(commune), 2025, TODAY)["counts"]["received"] == 2
    assert counts.figures(counts.roots_of(staff), 2025, TODAY)["counts"]["received"] == 7
    _agree()


def test_the_dashboard_shows_the_counts(login, provincial_staff, secretariat_a, people_of_today):
    late = {"kind": "complaint", "is_crowd": True, "received_on": _ago(40)}
    stuck = Petition.objects.create(**{**_petition_fields(COMMUNE_A_TODAY, None, "2025"), **late})
    fresh = {"kind": "petition", "is_crowd": False, "received_on": TODAY}
    Petition.objects.create(**{**_petition_fields(PROVINCE, None, "2025"), **fresh})
    # Of Hà Khánh, which Phường Cao Xanh took over: open since before the reform.
    old = {"received_on": datetime.date(2025, 3, 2)}
    Petition.objects.create(**{**_petition_fields(COMMUNE_A), **old})
    year = {"year": TODAY.year}
    page = login(provincial_staff).get("/petitions/dashboard/", year).text
    assert 'data-testid="overdue">2<' in page and 'data-testid="received">2<' in page
    # A legacy district's page, the province's staff looking at district B only, and
    # Phường Cao Xanh, which counts Hà Khánh's.
    legacy = login(secretariat_a).get("/petitions/dashboard/", year).text
    assert 'data-testid="overdue">1<' in legacy and 'data-testid="received">0<' in legacy
    only_b = login(provincial_staff).get("/petitions/dashboard/", {"area": DISTRICT_B}).text
    assert 'data-testid="overdue">0<' in only_b
    commune = login(people_of_today[1]).get("/petitions/dashboard/", year).text
    assert 'data-testid="overdue">2<' in commune and 'data-testid="received">1<' in commune
    assert stuck.is_overdue


def test_the_command_rebuilds_the_counts_from_the_petitions(quang_ninh):
    rng = random.Random(7)
    for _n in range(12):
        code, structure = rng.choice(
            [(COMMUNE_A, "legacy"), (DISTRICT_B, "legacy"), (PROVINCE, "2025")]
        )
        Petition.objects.create(**_petition_fields(code, rng, structure))
    with untracked_writes():  # what a COPY or a restore leaves: counts that lag behind
        PetitionMonthCount.objects.all().delete()
        PetitionDueCount.objects.update(awaiting=99)
    with pytest.raises(AssertionError):
        _agree()
    out = io.StringIO()
    call_command("rebuild_petition_counts", stdout=out)
    assert "Đã đếm lại" in out.getvalue()
    _agree()


def test_every_kind_and_field_has_its_count():
    assert set(counts.KINDS) == set(PetitionKind.values)
    assert set(counts.PETITION_FIELDS) == set(PetitionField.values)
    assert set(counts.MONTH_FIGURES) <= {field.name for field in PetitionMonthCount._meta.fields}
