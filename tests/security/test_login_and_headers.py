"""Login lockout, CSRF on forms, and the security headers of every page."""

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _attempt(client: Client, password: str):
    return client.post(reverse("login"), {"username": "halong", "password": password})


def test_it_logs_in_with_the_right_password(secretariat_a, password):
    client = Client()
    response = _attempt(client, password)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_password_is_kept_with_argon2id_at_owasps_parameters(secretariat_a, password):
    secretariat_a.set_password(password)
    secretariat_a.save()
    kept = secretariat_a.password
    assert kept.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password(password, kept) and not check_password("wrong", kept)


def test_a_password_kept_with_pbkdf2_still_logs_in_and_is_kept_anew(secretariat_a, password):
    secretariat_a.password = make_password(password, hasher="pbkdf2_sha256")
    secretariat_a.save()
    assert _attempt(Client(), password).status_code == 302
    secretariat_a.refresh_from_db()
    assert secretariat_a.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password(password, secretariat_a.password)


def test_it_explains_a_wrong_password_in_vietnamese(secretariat_a):
    response = _attempt(Client(), "wrong")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.text


def test_it_locks_out_after_repeated_failures(secretariat_a, password, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "wrong")
    response = _attempt(client, password)
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.text
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_form_post_without_csrf_token(secretariat_a, password):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "halong", "password": password})
    assert response.status_code == 403


def test_it_logs_out_only_by_post(login, secretariat_a):
    client = login(secretariat_a)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_it_sends_the_security_headers(client):
    response = client.get(reverse("login"))
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_it_sends_hsts_and_secure_cookies_behind_https(client, settings, secretariat_a, password):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = True
    response = client.post(
        reverse("login"), {"username": "halong", "password": password}, secure=True
    )
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.cookies["sessionid"]["secure"]
    assert response.cookies["sessionid"]["httponly"]


def test_it_expires_the_session(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_it_speaks_vietnamese_until_english_is_chosen(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Đăng nhập" in response.text
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"))
    assert "Log in" in response.text
