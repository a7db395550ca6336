"""The one access rule: a role on an area covers that area and its subtree, nothing else."""

import pytest
from django.urls import reverse

from committees.models import Area, RoleAssignment
from tests.conftest import COMMUNE_A, COMMUNE_B, DISTRICT_A, DISTRICT_B, PROVINCE
from tests.factories import area

pytestmark = pytest.mark.django_db


def test_it_shows_a_district_its_own_area_and_communes(secretariat_a):
    visible = Area.objects.visible_to(secretariat_a)
    assert visible.filter(code=DISTRICT_A).exists()
    assert visible.count() == 1 + Area.objects.filter(parent__code=DISTRICT_A).count()
    assert not visible.filter(code=DISTRICT_B).exists()
    assert not visible.filter(code=PROVINCE).exists()


def test_it_lets_the_province_see_its_whole_tree_in_both_structures(provincial_staff):
    visible = Area.objects.visible_to(provincial_staff)
    assert visible.filter(structure="legacy").count() == 1 + 13 + 171
    assert visible.filter(structure="2025", code=PROVINCE).exists()


def test_it_gives_a_viewer_nothing_to_edit(viewer):
    assert Area.objects.visible_to(viewer).count() > 100
    assert not Area.objects.editable_by(viewer).exists()


def test_it_gives_an_editor_its_subtree_to_edit(secretariat_a):
    editable = Area.objects.editable_by(secretariat_a)
    assert set(editable.values_list("pk", flat=True)) == set(
        Area.objects.visible_to(secretariat_a).values_list("pk", flat=True)
    )


def test_it_shows_nothing_to_a_user_without_assignment(db, quang_ninh):
    from tests.factories import UserFactory

    assert not Area.objects.visible_to(UserFactory()).exists()


def test_it_shows_everything_to_the_administrator(administrator):
    assert Area.objects.visible_to(administrator).count() == Area.objects.count()


def test_it_does_not_let_a_commune_see_its_district(commune_official):
    visible = Area.objects.visible_to(commune_official)
    assert list(visible.values_list("code", flat=True)) == [COMMUNE_A]


def test_it_scopes_the_assignments_themselves(secretariat_a, secretariat_b):
    visible = RoleAssignment.objects.visible_to(secretariat_a)
    assert list(visible.values_list("user__username", flat=True)) == ["halong"]


@pytest.mark.parametrize("code", [DISTRICT_B, COMMUNE_B, PROVINCE])
def test_it_answers_404_for_an_area_page_outside_scope(login, secretariat_a, code):
    response = login(secretariat_a).get(reverse("committees:area_detail", args=[code]))
    assert response.status_code == 404


def test_it_serves_the_own_district_page(login, secretariat_a):
    response = login(secretariat_a).get(reverse("committees:area_detail", args=[DISTRICT_A]))
    assert response.status_code == 200
    assert "Thành phố Hạ Long" in response.text
    assert "Phường Hà Khánh" in response.text


def test_it_links_only_visible_ancestors_in_the_breadcrumb(login, commune_official):
    response = login(commune_official).get(reverse("committees:area_detail", args=[COMMUNE_A]))
    assert response.status_code == 200
    district = area(DISTRICT_A)
    assert district.name in response.text
    assert district.get_absolute_url() not in response.text


@pytest.mark.parametrize("code", [DISTRICT_B, COMMUNE_B, PROVINCE])
def test_it_answers_404_in_the_api_outside_scope(login, secretariat_a, code):
    outside = area(code)
    client = login(secretariat_a)
    assert client.get(f"/api/v1/areas/{outside.pk}/").status_code == 404
    assert client.get(f"/api/v1/areas/{outside.pk}/children/").status_code == 404


def test_it_lists_only_the_scope_in_the_api(login, secretariat_a):
    response = login(secretariat_a).get("/api/v1/areas/", {"page_size": 100})
    assert response.status_code == 200
    assert response.json()["count"] == 33
    codes = {row["code"] for row in response.json()["results"]}
    assert DISTRICT_B not in codes


@pytest.mark.parametrize("url", ["/", "/areas/", f"/areas/{DISTRICT_A}/"])
def test_it_sends_the_anonymous_visitor_to_login(client, quang_ninh, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_refuses_the_api_to_the_anonymous_visitor(client, quang_ninh):
    assert client.get("/api/v1/areas/").status_code in (401, 403)


def test_it_picks_the_structure_asked_for_when_codes_are_reused(login, provincial_staff):
    client = login(provincial_staff)
    current = client.get(reverse("committees:area_detail", args=[PROVINCE]))
    legacy = client.get(reverse("committees:area_detail", args=[PROVINCE]), {"structure": "legacy"})
    assert "34 tỉnh" in current.text
    assert "63 tỉnh" in legacy.text


@pytest.mark.parametrize(
    "persona",
    [
        "provincial_staff",
        "secretariat_a",
        "commune_official",
        "commune_official_today",
        "viewer",
        "petition_officer",
        "administrator",
    ],
)
def test_keeps_says_what_editable_by_says_for_every_area_without_a_query(
    request, persona, django_assert_num_queries
):
    user = request.getfixturevalue(persona)
    editable = set(Area.objects.editable_by(user).values_list("pk", flat=True))
    areas = list(Area.objects.order_by("path"))
    user.scope_paths()  # the assignments, loaded once per user object as on a page
    with django_assert_num_queries(0):
        kept = {a.pk for a in areas if user.keeps(a)}
    assert kept == editable
    assert (persona in ("viewer", "petition_officer")) == (not kept)
