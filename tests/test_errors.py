"""Error answers: the portal's own Vietnamese pages, JSON under /api/, never a debug page."""

import pytest
from django.test import Client

from committees.api import areas as committees_api

pytestmark = pytest.mark.django_db


def test_it_shows_its_own_page_for_a_wrong_id(login, viewer):
    response = login(viewer).get("/trainings/999999/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text
    assert "Using the URLconf" not in response.text


def test_it_shows_its_own_page_for_an_id_that_is_not_a_number(login, viewer):
    response = login(viewer).get("/trainings/abc/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text


def test_it_shows_its_own_page_to_a_viewer_who_tries_to_write(login, viewer):
    response = login(viewer).get("/trainings/new/")
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này" in response.text


def test_it_speaks_english_on_its_error_pages_when_chosen(login, viewer, settings):
    client = login(viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/trainings/999999/")
    assert "Page not found" in response.text


@pytest.mark.parametrize(
    "path", ["/api/v1/trainings/abc/", "/api/v1/areas/1.5/", "/api/v1/nothing/here/"]
)
def test_it_answers_json_for_a_wrong_api_url(login, viewer, path):
    response = login(viewer).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Không tìm thấy."}


def test_it_answers_json_for_an_api_error_it_did_not_expect(viewer, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(committees_api.MeViewSet, "list", broken)
    client = Client(raise_request_exception=False)
    client.force_login(viewer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/api/v1/me/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"] == "Lỗi hệ thống. Vui lòng thử lại sau."


def test_it_shows_its_own_page_for_a_page_error_it_did_not_expect(viewer, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("committees.views.areas.render", broken)
    client = Client(raise_request_exception=False)
    client.force_login(viewer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/")
    assert response.status_code == 500
    assert "Lỗi hệ thống" in response.text
    assert "a bug" not in response.text


def test_it_explains_an_expired_form_in_vietnamese(viewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(viewer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/accounts/password/", {})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.text
