"""The access matrix, generated from the URL configuration and the API schema.

Every page of one record (detail, edit, delete, download, export, workflow step), every
form that creates one, every list, every API endpoint and every page of the Django admin
is tried on a record of district A by its owner (it must work: the matrix reaches real
records), by the secretariat of district B, by a viewer of the province (who may read,
never write) and by an anonymous visitor: no data, no change. The registry of which record
each route takes is tests/security/matrix.py; a route it does not know fails
``test_every_*_is_in_the_matrix`` with the name of the entry to add.
"""

import json

import pytest
from django.conf import settings
from django.contrib.admin import site
from django.test import RequestFactory

from tests.security.matrix import (
    ADMIN_LOGIN_URL,
    ADMIN_OBJECTS,
    ADMINISTRATOR,
    ANONYMOUS,
    API,
    API_ACTIONS,
    API_EXCLUDED,
    API_UNDESCRIBED,
    CREATE_ROUTES,
    LOGIN_URL,
    MARKED,
    OBJECT_ROUTES,
    OTHER,
    OUTSIDE,
    OWNER,
    PAGES,
    PDF,
    READ_THROUGH_PARENT,
    STRANGER,
    VIEWER,
    Api,
    Endpoint,
    Route,
    World,
    admin_model,
    admin_routes,
    admin_url,
    all_routes,
    api_endpoints,
    api_filter_choices,
    api_references,
    body,
    create_form,
    create_route,
    each_test,
    fingerprint,
    list_route,
    marker,
    object_route,
    owner_form,
    record_action,
    row,
    scoped_models,
    web_routes,
    world_fixture,
    xlsx_text,
)

pytestmark = pytest.mark.django_db

REGISTRY = "tests/security/matrix.py"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from world_fixture(django_db_blocker, tmp_path_factory)


@pytest.fixture(autouse=True)
def _media_in_tmp(world):
    yield from each_test(world)


# --- the registry knows every route -----------------------------------------------------


def _missing_from_registry(route: Route) -> str | None:
    found = record_action(route)
    if route.params:
        if object_route(route):
            return None
        if found:
            return f"{route.key}: add a record of {found[0].__name__} to MODELS"
        return f"{route.key}: add it to OBJECT_ROUTES (which record it takes, who owns it)"
    if create_route(route) or list_route(route) or route.key in PAGES:
        return None
    if found:
        return f"{route.key}: add a record of {found[0].__name__} to MODELS"
    return f"{route.key}: add it to CREATE_ROUTES or PAGES"


def test_every_page_of_the_urlconf_is_in_the_matrix():
    missing = [m for r in web_routes().values() if (m := _missing_from_registry(r))]
    assert not missing, f"Routes the access matrix does not know ({REGISTRY}):\n" + "\n".join(
        missing
    )


def test_the_matrix_names_no_route_that_is_gone():
    stale = set(OBJECT_ROUTES) | set(CREATE_ROUTES) | set(PAGES)
    assert not stale - set(web_routes()), f"Remove from {REGISTRY}: {stale - set(web_routes())}"


def test_every_api_endpoint_is_in_the_matrix():
    missing = []
    for endpoint in api_endpoints():
        spec = API.get(endpoint.resource)
        if endpoint.path in API_EXCLUDED:
            continue
        if spec is None:
            missing.append(f"{endpoint.path}: add the router {endpoint.resource!r} to API")
        elif endpoint.kind not in ("list", "detail") and (
            (endpoint.resource, endpoint.kind) not in API_ACTIONS
        ):
            missing.append(f"{endpoint.path}: add ({endpoint.resource!r}, …) to API_ACTIONS")
        elif endpoint.kind == "list" and "post" in endpoint.methods and spec.create is None:
            missing.append(f"{endpoint.path}: give API[{endpoint.resource!r}] a create")
        elif (
            endpoint.kind == "detail" and {"put", "patch"} & set(endpoint.methods)
        ) and spec.tweak is None:
            missing.append(f"{endpoint.path}: give API[{endpoint.resource!r}] a tweak")
    assert not missing, f"API endpoints the matrix does not know ({REGISTRY}):\n" + "\n".join(
        missing
    )


def test_every_api_view_is_described_by_the_schema():
    """A view hidden from the schema would escape the matrix."""
    from django.urls import resolve

    described = {resolve(e.url(1)).func.cls for e in api_endpoints()}
    hidden = {
        r.key
        for r in all_routes()
        if r.is_api and r.callback.cls not in described and r.name not in API_UNDESCRIBED
    }
    assert not hidden, f"API views missing from the schema (or add to API_UNDESCRIBED): {hidden}"


def test_every_model_of_the_admin_is_in_the_matrix():
    models = {m._meta.label_lower for r in admin_routes().values() if (m := admin_model(r))}
    missing = models - set(ADMIN_OBJECTS)
    assert not missing, f"Add a record of each to ADMIN_OBJECTS in {REGISTRY}: {missing}"


# --- helpers ----------------------------------------------------------------------------


def _sent_to_login(response, login: str = LOGIN_URL) -> bool:
    return response.status_code == 302 and response["Location"].startswith(login)


def _shows_no_marker(world: World, content: bytes | str) -> None:
    text = content if isinstance(content, str) else content.decode(errors="replace")
    shown = [m for m in world.markers if m in text]
    assert not shown, f"district A's records shown: {shown}"


def _case(key: str, persona: str):
    return pytest.param(key, persona, id=f"{key}-{persona}")


# --- pages of one record ----------------------------------------------------------------


def _object_cases():
    for key, route in sorted(web_routes().items()):
        spec = route.params and object_route(route)
        if spec:
            for persona in [spec.owner, OTHER, VIEWER, ANONYMOUS] + [STRANGER] * spec.province:
                yield _case(key, persona)


@pytest.mark.parametrize(("key", "persona"), list(_object_cases()))
def test_a_page_of_a_record_of_district_a(world, key, persona):
    route = web_routes()[key]
    spec = object_route(route)
    url = spec.url(route, world)
    client = world.client(persona)
    data = owner_form(world, route, spec) if spec.post else None
    before = (spec.snapshot(world), fingerprint())
    if persona == ANONYMOUS:
        assert _sent_to_login(client.get(url))
        if spec.post:
            assert _sent_to_login(client.post(url, data))
            assert (spec.snapshot(world), fingerprint()) == before
        return
    refusal = {OTHER: spec.outsider, STRANGER: 404}.get(persona, 403)
    response = client.get(url)
    content = body(response)
    if spec.get and (persona == spec.owner or persona in spec.readers):
        assert response.status_code == 200
        if response.get("Content-Disposition", "").startswith("attachment"):
            assert content == PDF
        elif spec.target in MARKED and not key.endswith("_delete"):
            assert marker(spec.target).encode() in content, "not the record of district A"
    elif spec.get:
        assert response.status_code == refusal
    elif persona != spec.owner and persona not in spec.posters:
        assert response.status_code in (403, 404, 405)
        _shows_no_marker(world, content)
    if persona in (OTHER, STRANGER):
        _shows_no_marker(world, content)  # even where it may read (the province's period)
    if not spec.post:
        return
    response = client.post(url, data)
    if persona == spec.owner or persona in spec.posters:
        assert response.status_code == 302, response.content[:2000]
        assert spec.snapshot(world) != before[0], "the owner's change was not saved"
    else:
        assert response.status_code == refusal
        _shows_no_marker(world, response.content)
        assert (spec.snapshot(world), fingerprint()) == before


# --- forms that create a record ---------------------------------------------------------


def _create_cases():
    for key, route in sorted(web_routes().items()):
        spec = not route.params and create_route(route)
        if spec:
            for persona in (spec.owner, OTHER, VIEWER, ANONYMOUS):
                yield _case(key, persona)


@pytest.mark.parametrize(("key", "persona"), list(_create_cases()))
def test_a_form_that_creates_a_record(world, key, persona):
    route = web_routes()[key]
    spec = create_route(route)
    url = route.url()
    client = world.client(persona)
    data = create_form(world, route, spec)
    before = (spec.count(world), fingerprint())
    if persona == spec.owner:
        assert client.get(url).status_code == 200
        response = client.post(url, data)
        assert response.status_code == 302, response.content[:3000]
        assert spec.count(world) == before[0] + 1
        return
    if persona == ANONYMOUS:
        assert _sent_to_login(client.get(url))
        assert _sent_to_login(client.post(url, data))
    elif persona == OTHER:
        # District B may create in its own district: it sees the form, never district A.
        response = client.get(url)
        assert response.status_code == spec.outsider_get
        _shows_no_marker(world, response.content)
        response = client.post(url, data)
        assert response.status_code == spec.outsider
        if response.status_code == 200:
            context = response.context
            assert (context.get("form") and context["form"].errors) or context.get("errors")
    else:
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    assert (spec.count(world), fingerprint()) == before


# --- lists and their exports --------------------------------------------------------------


def _list_cases():
    for key, route in sorted(web_routes().items()):
        if list_route(route):
            for persona in (OWNER, OTHER, VIEWER, ANONYMOUS):
                yield _case(key, persona)


@pytest.mark.parametrize(("key", "persona"), list(_list_cases()))
def test_a_list_and_its_export_show_district_a_only_in_scope(world, key, persona):
    route = web_routes()[key]
    url = route.url()
    client = world.client(persona)
    if persona == ANONYMOUS:
        assert _sent_to_login(client.get(url))
        assert _sent_to_login(client.get(url, {"format": "xlsx"}))
        return
    page = client.get(url)
    sheet = client.get(url, {"format": "xlsx"})
    assert page.status_code == 200 and sheet.status_code == 200
    texts = page.content.decode(), xlsx_text(body(sheet))
    if persona == OTHER:
        for text in texts:
            _shows_no_marker(world, text)
    else:
        assert all(marker(list_route(route)) in text for text in texts)


def _page_cases():
    for key in sorted(PAGES):
        for persona in (OWNER, OTHER, ANONYMOUS):
            yield _case(key, persona)


def _a_get_changes_nothing(world: World, key: str, persona: str, response) -> None:
    """A page that acts on POST only (signing out, choosing the language) answers a GET,
    which any link or image on another site can make, without acting: the session and
    the language cookie are left as they were, the visitor signed in and in Vietnamese."""
    assert response.status_code == PAGES[key].answer_to_get
    assert not {settings.SESSION_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME} & set(response.cookies)
    home = world.client(persona).get("/")
    if persona == ANONYMOUS:
        assert _sent_to_login(home)
    else:
        assert home.status_code == 200 and '<html lang="vi"' in home.text


@pytest.mark.parametrize(("key", "persona"), list(_page_cases()))
def test_a_page_about_no_record(world, key, persona):
    spec = PAGES[key]
    response = world.client(persona).get(web_routes()[key].url())
    if not spec.get:
        _a_get_changes_nothing(world, key, persona, response)
        _shows_no_marker(world, body(response))
        return
    if persona == ANONYMOUS and not spec.public:
        assert _sent_to_login(response)
        return
    # The login page sends a signed-in user home.
    assert response.status_code == (302 if key == "login" and persona != ANONYMOUS else 200)
    if persona != OWNER:
        _shows_no_marker(world, body(response))


# --- the API ------------------------------------------------------------------------------


ENDPOINTS = {e.key: e for e in api_endpoints() if e.path not in API_EXCLUDED}


def _api_cases():
    for key, endpoint in sorted(ENDPOINTS.items()):
        spec = API.get(endpoint.resource)
        if spec is None:
            continue
        for persona in [spec.owner, OTHER, VIEWER, ANONYMOUS] + [STRANGER] * spec.province:
            yield _case(key, persona)


def _send(client, method: str, url: str, data: dict | None = None):
    payload = json.dumps(data) if data is not None else ""
    return client.generic(method.upper(), url, payload, content_type="application/json")


def _results(response) -> list[dict]:
    data = response.json()
    return data["results"] if isinstance(data, dict) else data


def _owner_view(world: World, spec: Api, *, fresh: bool = False) -> dict:
    """The target as its owner reads it in the API (``fresh``: now, not as built)."""
    detail = f"/api/v1/{_resource(spec)}/{world[spec.target].pk}/"
    if fresh or detail not in world.seen:
        response = world.client(spec.owner).get(detail)
        assert response.status_code == 200, f"the owner cannot read {detail}"
        if fresh:
            return response.json()
        world.seen[detail] = response.json()
    return world.seen[detail]


def _resource(spec: Api) -> str:
    return next(name for name, s in API.items() if s is spec)


def _api_refusal(spec: Api, persona: str, *, read: bool, outsider: int = 404) -> int:
    if persona == ANONYMOUS:
        return 401  # token authentication first: "how to authenticate", not "forbidden"
    if persona == STRANGER:
        return 404
    if persona == OTHER:
        return 403 if spec.province and not read else outsider
    return 403


@pytest.mark.parametrize(("key", "persona"), list(_api_cases()))
def test_an_api_endpoint(world, key, persona):
    endpoint = ENDPOINTS[key]
    spec = API[endpoint.resource]
    client = world.client(persona)
    if endpoint.kind == "list":
        _api_list(world, endpoint, spec, client, persona)
    elif endpoint.kind == "detail":
        _api_detail(world, endpoint, spec, client, persona)
    else:
        _api_action(world, endpoint, spec, client, persona)


def _api_list(world, endpoint: Endpoint, spec: Api, client, persona: str) -> None:
    response = client.get(endpoint.url())
    if persona == ANONYMOUS:
        assert response.status_code == 401
    elif spec.target is None:  # /me/: the caller's own account
        assert response.json()["username"] == world.people[persona].username
    else:
        assert response.status_code == 200
        sees = persona == spec.owner or persona in spec.readers
        assert (world[spec.target].pk in [r["id"] for r in _results(response)]) == sees
        if not sees:
            _shows_no_marker(world, response.content)
    if "post" not in endpoint.methods:
        return
    current = _owner_view(world, spec)
    data = spec.create(world, {k: v for k, v in current.items() if k in endpoint.writable("post")})
    model = type(world[spec.target])
    before = (model.objects.count(), fingerprint())
    response = _send(client, "post", endpoint.url(), data)
    if persona == spec.owner:
        assert response.status_code == 201, response.content
        assert model.objects.count() == before[0] + 1
        return
    # A user of another province names a province out of their scope: not found, as any
    # reference out of scope (they may open periods, of their own province only).
    expected = {OTHER: spec.outsider_create, STRANGER: 400}.get(persona)
    assert response.status_code == (expected or _api_refusal(spec, persona, read=False)), (
        response.content
    )
    assert (model.objects.count(), fingerprint()) == before


def _api_detail(world, endpoint: Endpoint, spec: Api, client, persona: str) -> None:
    target = world[spec.target]
    url = endpoint.url(target.pk)
    for method in endpoint.methods:
        if method == "get":
            response = client.get(url)
            if persona == spec.owner or persona in spec.readers:
                assert response.status_code == 200
                assert response.json()["id"] == target.pk
            else:
                assert response.status_code == _api_refusal(spec, persona, read=True)
            if persona != spec.owner and persona != VIEWER:
                _shows_no_marker(world, response.content)
            continue
        current = _owner_view(world, spec, fresh=persona == spec.owner)
        data = None
        if method == "patch":
            data = spec.tweak(current)
        elif method == "put":
            writable = endpoint.writable("put")
            data = {k: v for k, v in current.items() if k in writable} | spec.tweak(current)
        before = (row(target), fingerprint())
        response = _send(client, method, url, data)
        if persona == spec.owner:
            assert 200 <= response.status_code < 300, (method, response.content)
            assert row(target) != before[0], f"{method}: the owner's change was not saved"
        else:
            assert response.status_code == _api_refusal(spec, persona, read=False), method
            assert (row(target), fingerprint()) == before, method


def _api_action(world, endpoint: Endpoint, spec: Api, client, persona: str) -> None:
    act = API_ACTIONS[(endpoint.resource, endpoint.kind)]
    target = world[act.target or spec.target]
    url = endpoint.url(target.pk)
    allowed = persona == spec.owner
    if act.payload is None:
        response = client.get(url)
        if allowed or persona in act.readers:
            assert response.status_code == 200
        else:
            refusal = _api_refusal(spec, persona, read=True, outsider=act.outsider)
            assert response.status_code == refusal
        return
    snapshot = act.watch or (lambda w: row(target))
    before = (snapshot(world), fingerprint())
    payload = act.payload(world) if callable(act.payload) else act.payload
    response = _send(client, "post", url, payload)
    if allowed:
        assert 200 <= response.status_code < 300, response.content
        assert snapshot(world) != before[0]
    else:
        refusal = _api_refusal(spec, persona, read=False, outsider=act.outsider)
        assert response.status_code == refusal
        assert (snapshot(world), fingerprint()) == before


# --- the Django admin ---------------------------------------------------------------------

# What the administrator gets where it is not the page itself (200).
ADMIN_STATUS = {
    "admin:login": 302,  # already signed in: to the index
    "admin:logout": 405,  # logging out is a POST
    "admin:autocomplete": 403,  # asked without its parameters
    "admin/(?P<url>.*)$": 404,  # the catch-all, asked for a page that does not exist
    "admin:view_on_site": 302,  # to the record's own page
}


def _admin_cases():
    return [pytest.param(key, id=key) for key in sorted(admin_routes())]


@pytest.mark.parametrize("key", _admin_cases())
def test_an_admin_page_is_for_administrators_only(world, key):
    route = admin_routes()[key]
    url = admin_url(world, route)
    # The login page is for everyone; logging out sends a non-administrator to the index,
    # which sends them to the login page.
    refusal = "/admin/" if key == "admin:logout" else ADMIN_LOGIN_URL
    if key != "admin:login":
        for persona in (OWNER, OTHER, VIEWER, ANONYMOUS):
            response = world.client(persona).get(url)
            assert _sent_to_login(response, refusal), persona
    response = world.client(ADMINISTRATOR).get(url)
    assert response.status_code == _admin_status(world, route), response.get("Location")


def _admin_status(world: World, route: Route) -> int:
    """What the administrator gets: the page, unless its ModelAdmin forbids the action
    (a read-only log cannot be added to) or the route is not a page (ADMIN_STATUS)."""
    if route.key in ADMIN_STATUS:
        return ADMIN_STATUS[route.key]
    if route.name is None:
        return 302  # admin/<app>/<model>/<id>/ sends to the change page
    model = admin_model(route)
    if model is None:
        return 200
    model_admin = site._registry[model]
    request = RequestFactory().get("/")
    request.user = world.people[ADMINISTRATOR]
    record = world[ADMIN_OBJECTS[model._meta.label_lower]]
    allowed = {
        "add": lambda: model_admin.has_add_permission(request),
        "delete": lambda: model_admin.has_delete_permission(request, record),
    }.get(route.key.rsplit("_", 1)[-1], lambda: True)()
    return 200 if allowed else 403


# --- one access rule ------------------------------------------------------------------


def test_every_scoped_model_answers_visible_to_and_editable_by():
    """The one access rule (STYLE.md): every model that belongs to an area reads through
    its QuerySet's visible_to and editable_by, so pages, API and exports cannot differ."""
    missing = [
        model._meta.label_lower
        for model in scoped_models()
        if model._meta.label_lower not in READ_THROUGH_PARENT
        and not all(hasattr(model._default_manager, name) for name in ("visible_to", "editable_by"))
    ]
    assert not missing, (
        f"Give these models a QuerySet with visible_to and editable_by (or, if only ever read "
        f"with their parent, add them to READ_THROUGH_PARENT in {REGISTRY}): {missing}"
    )


def test_the_models_read_through_their_parent_still_belong_to_an_area():
    stale = set(READ_THROUGH_PARENT) - {m._meta.label_lower for m in scoped_models()}
    assert not stale, f"Remove from READ_THROUGH_PARENT in {REGISTRY}: {stale}"


# --- references in request bodies -----------------------------------------------------


def test_every_model_a_request_body_names_has_a_record_elsewhere():
    missing = {
        f"{r.model.__name__} ({r.key})"
        for r in api_references()
        if r.model not in OUTSIDE and hasattr(r.model._default_manager, "visible_to")
    }
    assert not missing, f"Add a record of another province to OUTSIDE in {REGISTRY}: {missing}"


def _reference_cases():
    for reference in api_references():
        endpoint = ENDPOINTS.get(reference.path.removeprefix("/api/v1"))
        if endpoint is not None and API.get(endpoint.resource) and reference.model in OUTSIDE:
            yield pytest.param(reference, id=reference.key)


def _reference_request(world: World, reference) -> tuple[str, str, dict]:
    """Where the endpoint's owner sends a body the endpoint accepts, and that body."""
    endpoint = ENDPOINTS[reference.path.removeprefix("/api/v1")]
    spec = API[endpoint.resource]
    if endpoint.kind == "list":
        current = _owner_view(world, spec)
        writable = endpoint.writable("post")
        return (
            spec.owner,
            endpoint.url(),
            spec.create(world, {k: v for k, v in current.items() if k in writable}),
        )
    if endpoint.kind == "detail":
        url = endpoint.url(world[spec.target].pk)
        if reference.method == "patch":
            return spec.owner, url, {}
        current = _owner_view(world, spec)
        writable = endpoint.writable(reference.method)
        return (
            spec.owner,
            url,
            {k: v for k, v in current.items() if k in writable} | spec.tweak(current),
        )
    act = API_ACTIONS[(endpoint.resource, endpoint.kind)]
    payload = act.payload(world) if callable(act.payload) else act.payload
    return spec.owner, endpoint.url(world[act.target or spec.target].pk), payload


@pytest.mark.parametrize("reference", list(_reference_cases()))
def test_a_reference_out_of_scope_reads_as_one_that_does_not_exist(world, reference):
    """An id of a record out of the caller's scope and an id that does not exist get the
    same answer, byte for byte: the API does not tell which ids exist."""
    persona, url, base = _reference_request(world, reference)
    outside = world[OUTSIDE[reference.model]]
    visible = reference.model._default_manager.visible_to(world.people[persona])
    assert not visible.contains(outside), f"{OUTSIDE[reference.model]} is in {persona}'s scope"
    missing = (
        reference.model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 10**6
    client = world.client(persona)
    before = fingerprint()
    answers = [
        _send(client, reference.method, url, reference.body(base, pk))
        for pk in (outside.pk, missing)
    ]
    assert [a.status_code for a in answers] == [400, 400], [a.content for a in answers]
    assert reference.error(answers[0].json()), (
        f"{reference.key}: the answer names no error at the field (make the endpoint's body "
        f"in {REGISTRY} valid besides it): {answers[0].content!r}"
    )
    assert answers[0].content == answers[1].content, "an id out of scope reads differently"
    assert fingerprint() == before


def _filter_cases():
    for choice in api_filter_choices():
        endpoint = ENDPOINTS.get(choice.path.removeprefix("/api/v1"))
        if endpoint is not None and API.get(endpoint.resource) and choice.model in OUTSIDE:
            yield pytest.param(choice, id=choice.key)


def test_every_model_a_list_filter_names_has_a_record_elsewhere():
    missing = {
        f"{c.model.__name__} ({c.key})"
        for c in api_filter_choices()
        if c.model not in OUTSIDE and hasattr(c.model._default_manager, "visible_to")
    }
    assert not missing, f"Add a record of another province to OUTSIDE in {REGISTRY}: {missing}"


@pytest.mark.parametrize("choice", list(_filter_cases()))
def test_a_filter_on_a_record_out_of_scope_reads_as_one_that_does_not_exist(world, choice):
    """Filtering a list by a record out of scope answers as filtering by a record that does
    not exist (not an empty list, which would say that it exists)."""
    endpoint = ENDPOINTS[choice.path.removeprefix("/api/v1")]
    persona = API[endpoint.resource].owner
    outside = world[OUTSIDE[choice.model]]
    last = choice.model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
    client = world.client(persona)
    answers = [client.get(endpoint.url(), {choice.name: pk}) for pk in (outside.pk, last + 10**6)]
    assert [a.status_code for a in answers] == [400, 400], [a.content for a in answers]
    assert choice.name in answers[0].json(), answers[0].content
    assert answers[0].content == answers[1].content, "a record out of scope reads differently"
