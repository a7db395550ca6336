"""CSRF on every form, generated from the URL configuration and the API schema.

Every page of the site and of the Django admin is posted to by the person who may use
it (the owner of district A's record, the administrator, or — for the login form — the
visitor), with the data its form sends, but without the CSRF token: the CSRF check
itself refuses it (403, logged by ``django.security.csrf``) and nothing changes. The same
request with the token passes the check, so the 403 is the token's doing. The API signs
in by session too, where DRF's SessionAuthentication enforces the token: one write per
router is tried the same way.
"""

import json
import logging

import pytest
from django.conf import settings

from tests.security.matrix import (
    ADMINISTRATOR,
    ANONYMOUS,
    API,
    API_EXCLUDED,
    OWNER,
    PAGES,
    World,
    admin_routes,
    admin_url,
    all_routes,
    api_endpoints,
    create_form,
    create_route,
    each_test,
    fingerprint,
    object_route,
    owner_form,
    row,
    web_routes,
    world_fixture,
)

pytestmark = pytest.mark.django_db

TOKEN = "csrfsecretforthetestsonly0123456"  # a CSRF secret: 32 letters and digits


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from world_fixture(django_db_blocker, tmp_path_factory)


@pytest.fixture(autouse=True)
def _media_in_tmp(world):
    yield from each_test(world)


def test_no_page_is_exempt_from_the_csrf_check():
    """Only DRF's views are ``csrf_exempt``: its SessionAuthentication checks the token
    itself (tested below), and a token-authenticated client needs none."""
    exempt = [r for r in all_routes() if getattr(r.callback, "csrf_exempt", False)]
    assert not [r.key for r in exempt if not r.is_api]


def _request(world: World, key: str):
    """Who posts to the route, where, what, and how to see that nothing changed."""
    if key in admin_routes():
        return ADMINISTRATOR, admin_url(world, admin_routes()[key]), {}, lambda: None
    route = web_routes()[key]
    spec = route.params and object_route(route)
    if spec:
        data = owner_form(world, route, spec) if spec.post else {}
        return spec.owner, spec.url(route, world), data, lambda: spec.snapshot(world)
    spec = create_route(route)
    if spec:
        return spec.owner, route.url(), create_form(world, route, spec), lambda: spec.count(world)
    page = PAGES.get(key)
    data = page.post(world) if page and page.post else {}
    who = ANONYMOUS if key == "login" else OWNER
    return who, route.url(), data, lambda: None


def _csrf_refusals(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "django.security.csrf"]


def _cases():
    keys = [k for k, r in web_routes().items() if object_route(r) or not r.params]
    return [pytest.param(key, id=key) for key in sorted([*keys, *admin_routes()])]


@pytest.mark.parametrize("key", _cases())
def test_a_post_without_the_csrf_token_is_refused(world, key, caplog):
    who, url, data, watch = _request(world, key)
    client = world.client(who, csrf=True)
    before = (watch(), fingerprint())
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = client.post(url, data)
    assert response.status_code == 403
    assert _csrf_refusals(caplog), "refused, but not by the CSRF check"
    assert (watch(), fingerprint()) == before
    # With the token, the same request passes the check (whatever the page then answers).
    caplog.clear()
    client.cookies[settings.CSRF_COOKIE_NAME] = TOKEN
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        client.post(url, {**data, "csrfmiddlewaretoken": TOKEN})
    assert not _csrf_refusals(caplog)


def _api_writes():
    """One write per router: a create where there is one, else a change of its record."""
    seen = set()
    for endpoint in sorted(api_endpoints(), key=lambda e: (e.resource, e.kind != "list")):
        spec = API.get(endpoint.resource)
        if endpoint.path in API_EXCLUDED or spec is None or endpoint.resource in seen:
            continue
        method = next((m for m in ("post", "patch") if m in endpoint.methods), None)
        if method and endpoint.kind in ("list", "detail"):
            seen.add(endpoint.resource)
            yield pytest.param(endpoint, method, id=f"{method.upper()} {endpoint.key}")


@pytest.mark.parametrize(("endpoint", "method"), list(_api_writes()))
def test_an_api_write_by_session_without_the_csrf_token_is_refused(world, endpoint, method):
    spec = API[endpoint.resource]
    target = world[spec.target]
    client = world.client(spec.owner, csrf=True)
    current = client.get(f"/api/v1/{endpoint.resource}/{target.pk}/").json()
    if method == "post":
        writable = endpoint.writable("post")
        data = spec.create(world, {k: v for k, v in current.items() if k in writable})
        url = endpoint.url()
    else:
        data, url = spec.tweak(current), endpoint.url(target.pk)
    before = (row(target), fingerprint())
    response = client.generic(method.upper(), url, json.dumps(data), "application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert (row(target), fingerprint()) == before
    client.cookies[settings.CSRF_COOKIE_NAME] = TOKEN
    response = client.generic(
        method.upper(), url, json.dumps(data), "application/json", HTTP_X_CSRFTOKEN=TOKEN
    )
    assert 200 <= response.status_code < 300, response.content


def test_every_router_that_writes_is_tried():
    writers = {
        e.resource
        for e in api_endpoints()
        if e.path not in API_EXCLUDED and {"post", "put", "patch", "delete"} & set(e.methods)
    }
    assert writers == {p.values[0].resource for p in _api_writes()}
