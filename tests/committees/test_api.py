"""The API under /api/v1/: areas (filters, pagination, scope), token auth, schema, docs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import DISTRICT_A
from tests.factories import area

pytestmark = pytest.mark.django_db


def test_it_filters_areas_by_level_and_parent(login, provincial_staff):
    client = login(provincial_staff)
    data = client.get("/api/v1/areas/", {"level": "district", "structure": "legacy"}).json()
    assert data["count"] == 13
    data = client.get("/api/v1/areas/", {"parent": DISTRICT_A, "q": "Hà Khánh"}).json()
    assert [row["code"] for row in data["results"]] == ["06649"]
    assert data["results"][0]["parent_code"] == DISTRICT_A


def test_it_answers_a_bad_filter_with_field_errors(login, provincial_staff):
    response = login(provincial_staff).get("/api/v1/areas/", {"level": "galaxy", "valid_on": "x"})
    assert response.status_code == 400
    assert set(response.json()) == {"level", "valid_on"}


def test_it_filters_areas_in_force_on_a_day(login, provincial_staff):
    client = login(provincial_staff)
    before = client.get("/api/v1/areas/", {"valid_on": "2024-12-31", "level": "province"}).json()
    after = client.get("/api/v1/areas/", {"valid_on": "2025-07-01", "level": "province"}).json()
    assert [r["structure"] for r in before["results"]] == ["legacy"]
    assert [r["structure"] for r in after["results"]] == ["2025"]


def test_it_lists_children_of_a_visible_area(login, secretariat_a):
    district = area(DISTRICT_A)
    data = login(secretariat_a).get(f"/api/v1/areas/{district.pk}/children/").json()
    assert data["count"] == 32


def test_the_area_list_runs_the_same_queries_whatever_its_length(login, provincial_staff):
    client = login(provincial_staff)
    counts = []
    for level in ("district", "commune"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/areas/", {"level": level}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == 6


def test_it_accepts_a_token(secretariat_a, client, password):
    response = client.post("/api/v1/auth/token/", {"username": "halong", "password": password})
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(key=token).user == secretariat_a
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/me/").json()
    assert me["username"] == "halong"
    assert me["assignments"][0]["area"]["code"] == DISTRICT_A


def test_it_refuses_a_wrong_token(quang_ninh):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.get("/api/v1/areas/").status_code == 401


def test_it_is_read_only_for_areas(login, administrator):
    client = login(administrator)
    pk = area(DISTRICT_A).pk
    assert client.post("/api/v1/areas/", {"code": "1"}).status_code == 405
    assert client.delete(f"/api/v1/areas/{pk}/").status_code == 405


def test_it_serves_its_schema_and_docs_locally(login, viewer):
    client = login(viewer)
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/areas/" in schema.json()["paths"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert "http" not in docs.text.split("<body")[0].replace("http-equiv", "")
