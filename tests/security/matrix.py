"""The access matrix: every route of the URL configuration and every endpoint of the API
schema, the object of district A each one is tried on, and who may do what with it.

The routes are *discovered* (``web_routes()`` walks the URLconf, ``api_endpoints()`` reads
the OpenAPI schema); this module only says, per route, which object it takes and who owns
it. A route that appears without an entry here fails ``test_access_matrix`` with the name
of the registry to extend, so the matrix cannot silently fall behind the code.

The objects live in a ``World`` built once per test module inside a transaction that is
rolled back at the end (each test also runs in its own savepoint, as pytest-django's ``db``
does), so hundreds of cases share one set of areas, personas and records.
"""

from __future__ import annotations

import copy
import datetime
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from importlib import import_module
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator
from drf_spectacular.settings import spectacular_settings
from rest_framework import relations, serializers

from committees.models import (
    AnnualPlan,
    Area,
    Commendation,
    CommitteeDecision,
    CommitteeRole,
    DemocracyActivity,
    Document,
    Membership,
    MemberUnit,
    PlanTask,
    Role,
    RoleAssignment,
    SteeringCommittee,
    Structure,
    Training,
    TypicalModel,
    UnitEvent,
    User,
    VillageConvention,
)
from committees.platform.records import RecordView
from inspections.models import Dialogue, Inspection, Petition, PetitionDocument
from inspections.models import ReceptionSession as Reception
from reports.models import (
    AnnualReport,
    ExportJob,
    FilingException,
    Indicator,
    ReportingPeriod,
    SummaryReport,
    ValidationRule,
)
from reports.services import report_start
from tests import personas
from tests.factories import (
    PDF,
    AnnualPlanFactory,
    CommendationFactory,
    DemocracyActivityFactory,
    DialogueFactory,
    DocumentFactory,
    ExportJobFactory,
    IdentityAccessFactory,
    InspectionFactory,
    MembershipFactory,
    MemberUnitFactory,
    PetitionDocumentFactory,
    PetitionFactory,
    PlanTaskFactory,
    ReceptionSessionFactory,
    ReportingPeriodFactory,
    RoleAssignmentFactory,
    SteeringCommitteeFactory,
    SummaryReportFactory,
    TrainingFactory,
    TypicalModelFactory,
    UnitEventFactory,
    VillageConventionFactory,
    area,
    written,
)
from tests.helpers import kept_for_the_module
from tests.personas import COMMUNE_A, DISTRICT_A, PROVINCE
from tests.personas import COMMUNE_A_TODAY as CAO_XANH

# The personas the matrix tries (tests/personas.py, by their fixture names).
OWNER = "secretariat_a"  # district secretariat of Hạ Long (district A): owns the records
OTHER = "secretariat_b"  # district secretariat of Cẩm Phả (district B)
VIEWER = "viewer"  # committee member of the province: reads everything, changes nothing
ANONYMOUS = "anonymous"
PROVINCE_STAFF = "provincial_staff"  # owns the province's periods and summary
STRANGER = "stranger"  # provincial staff of another province
ADMINISTRATOR = "administrator"
PERSONAS = (OWNER, OTHER, VIEWER, ANONYMOUS, PROVINCE_STAFF, STRANGER, ADMINISTRATOR)

LOGIN_URL = "/accounts/login/"
ADMIN_LOGIN_URL = "/admin/login/"


def marker(key: str) -> str:
    """The text that identifies a record of district A in any page, sheet or JSON."""
    return f"MATRIX-A-{key}"


# --- the world ------------------------------------------------------------------------


@dataclass
class World:
    """The areas, personas and one record of each kind in district A."""

    people: dict[str, Any]
    objects: dict[str, models.Model]
    media_root: str
    # Signed-in sessions (made once) and the test clients that use them (one per persona
    # and test, forgotten after it).
    sessions: dict[str, str] = field(default_factory=dict)
    clients: dict[tuple[str, bool], Client] = field(default_factory=dict)
    handlers: dict[bool, Any] = field(default_factory=dict)
    # What the owner's pages and API show of the world as built (every test rolls back to
    # it), read once per module: the forms refused personas send, the records they copy.
    seen: dict[object, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.objects[key]

    def client(self, persona: str, *, csrf: bool = False) -> Client:
        """A client signed in as ``persona`` (one per persona and test)."""
        if (persona, csrf) not in self.clients:
            client = Client(enforce_csrf_checks=csrf)
            # One handler for the module: loading the middleware again for every client
            # would have WhiteNoise scan the static files each time (a tenth of a second).
            client.handler = self.handlers.setdefault(csrf, client.handler)
            if persona != ANONYMOUS:
                client.cookies[settings.SESSION_COOKIE_NAME] = self._session(persona)
            self.clients[persona, csrf] = client
        return self.clients[persona, csrf]

    def _session(self, persona: str) -> str:
        """A signed-in session, made once for the module: what ``Client.force_login``
        leaves, without the login's own bookkeeping (axes' log, last_login, its history)
        in every test. A test that ends the session rolls that back with itself."""
        if persona not in self.sessions:
            user = self.people[persona]
            session = import_module(settings.SESSION_ENGINE).SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.save()
            self.sessions[persona] = session.session_key
        return self.sessions[persona]

    def forget_clients(self) -> None:
        self.clients.clear()

    @property
    def markers(self) -> list[str]:
        return [marker(key) for key in MARKED]


# The records whose text carries their marker (see ``_records``).
MARKED = (
    "committee",
    "decision",
    "membership",
    "plan",
    "task",
    "training",
    "memberunit",
    "unitevent",
    "democracyactivity",
    "villageconvention",
    "typicalmodel",
    "commendation",
    "document",
    "inspection",
    "reception",
    "dialogue",
    "petition",
    "denunciation",
    "petitiondocument",
    "report",
    "job",
)


def _people() -> dict[str, Any]:
    """The personas of the suite (tests/personas.py) that the matrix tries."""
    people = {key: personas.make(key) for key in PERSONAS}
    # District A's secretariat keeps Phường Cao Xanh on today's map (it took over Hà
    # Khánh): so that district A's committee can be carried onto it.
    RoleAssignmentFactory(
        user=people[OWNER], role=Role.COMMUNE_OFFICIAL, area=area(CAO_XANH, "2025")
    )
    return people


def _with_file(record: models.Model, name: str) -> models.Model:
    record.file.save(name, ContentFile(PDF), save=False)
    record.original_name = name
    record.save()
    return record


def _records(people: dict[str, Any]) -> dict[str, models.Model]:
    """One record of every kind in district A, each carrying its marker."""
    a, owner = area(DISTRICT_A), people[OWNER]
    committee = SteeringCommitteeFactory(area=a, name=marker("committee"))
    decision = committee.decisions.get()
    decision.number = marker("decision")
    _with_file(decision, "quyet-dinh.pdf")
    membership = MembershipFactory(
        committee=committee,
        full_name=marker("membership"),
        committee_role=CommitteeRole.HEAD,
        appointed_by=decision,
    )
    MembershipFactory(committee=committee, committee_role=CommitteeRole.STANDING_DEPUTY)
    plan = AnnualPlanFactory(area=a, year=2024, number="05-KH/BCĐ", title=marker("plan"))
    unit = MemberUnitFactory(area=a, name=marker("memberunit"))
    petition = PetitionFactory(area=a, subject=marker("petition"))
    period = ReportingPeriodFactory(year=2024)
    report = written(report_start(period=period, area=a, actor=owner))
    report.results = marker("report")
    report.save()
    return {
        "district_a": a,
        "commune_a": area(COMMUNE_A),
        "committee": committee,
        "decision": decision,
        "membership": membership,
        "plan": plan,
        "task": PlanTaskFactory(
            plan=plan, title=marker("task"), responsible="Ban Dân vận Thành ủy"
        ),
        "training": TrainingFactory(area=a, title=marker("training")),
        "memberunit": unit,
        "unitevent": UnitEventFactory(unit=unit, notes=marker("unitevent")),
        # Kept on communes: Hà Khánh, a commune of district A.
        "democracyactivity": DemocracyActivityFactory(subject=marker("democracyactivity")),
        "villageconvention": VillageConventionFactory(name=marker("villageconvention")),
        "typicalmodel": TypicalModelFactory(area=a, name=marker("typicalmodel"), units=[unit]),
        "commendation": CommendationFactory(
            area=a, recipient=marker("commendation"), decision_number="2150-QĐ/UBND"
        ),
        "document": _with_file(
            DocumentFactory.build(area=a, number="12-KH/BCĐ", summary=marker("document")),
            "ke-hoach.pdf",
        ),
        "inspection": InspectionFactory(area=a, subject=marker("inspection")),
        "reception": ReceptionSessionFactory(area=a, leader=marker("reception")),
        "dialogue": DialogueFactory(area=a, leader=marker("dialogue")),
        "petition": petition,
        # A denunciation being resolved: the one case that may be extended.
        "denunciation": PetitionFactory(
            area=a,
            kind="denunciation",
            channel="post",
            field="policy",
            petitioner_name="Người tố cáo",
            subject=marker("denunciation"),
            complexity="complex",
            status="accepted",
            accepted_on=datetime.date(2024, 9, 10),
        ),
        # A denunciation just received: its first step may be extended for verification.
        "denunciation_received": PetitionFactory(
            area=a,
            kind="denunciation",
            channel="post",
            field="land",
            petitioner_name="Người tố cáo",
            subject=marker("denunciation_received"),
        ),
        "petitiondocument": _with_file(
            PetitionDocumentFactory.build(
                petition=petition, title=marker("petitiondocument"), uploaded_by=owner, file=None
            ),
            "quyet-dinh-giai-quyet.pdf",
        ),
        "period": period,
        # A period without reports: one can be opened in it, and it can be deleted.
        "period_2023": ReportingPeriodFactory(year=2023),
        "report": report,
        "job": ExportJobFactory(report=report, filename=f"{marker('job')}.pdf", requested_by=owner),
    }


def _admin_only_records(people: dict[str, Any], objects: dict) -> dict[str, models.Model]:
    """Rows that only the Django admin shows (its positive control needs one of each)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from rest_framework.authtoken.models import Token, TokenProxy

    owner = people[OWNER]
    seen = {"username": "halong", "ip_address": "127.0.0.1", "user_agent": "pytest"}
    Token.objects.create(user=owner)
    return {
        "user": owner,
        "roleassignment": RoleAssignment.objects.get(user=owner, role=Role.DISTRICT_SECRETARIAT),
        "group": Group.objects.create(name="Nhóm thử nghiệm"),
        "token": TokenProxy.objects.get(user=owner),
        "accessattempt": AccessAttempt.objects.create(**seen, failures_since_start=1),
        "accesslog": AccessLog.objects.create(**seen),
        "accessfailurelog": AccessFailureLog.objects.create(**seen),
        "identityaccess": IdentityAccessFactory(petition=objects["denunciation"], user=owner),
        "indicator": Indicator.objects.order_by("order").first(),
        "validationrule": ValidationRule.objects.order_by("pk").first(),
        "summaryreport": SummaryReportFactory(period=objects["period"]),
    }


def build_world(media_root: str) -> World:
    """The world on the areas of Quảng Ninh (in the test database from the start)."""
    people = _people()
    objects = _records(people)
    objects |= _admin_only_records(people, objects)
    objects |= _outside_records(people)
    world = World(people=people, objects=objects, media_root=media_root)
    for persona in people:
        if persona != ANONYMOUS:
            world._session(persona)
    return world


def world_fixture(django_db_blocker, tmp_path_factory) -> Iterator[World]:
    """Build the world once for a test module and roll it back afterwards."""
    media_root = str(tmp_path_factory.mktemp("matrix-media"))
    with override_settings(MEDIA_ROOT=media_root), kept_for_the_module(django_db_blocker):
        yield build_world(media_root)


def each_test(world: World) -> Iterator[None]:
    """Around each test: the world's files stay where it stored them (this replaces the
    conftest's ``_media_in_tmp``), and the test's signed-in clients are forgotten."""
    yield
    world.forget_clients()


# --- what a request may have changed ----------------------------------------------------


def row(record: models.Model) -> tuple:
    """A record as stored now, with the length of its change history."""
    model = type(record)
    values = model._default_manager.filter(pk=record.pk).values().first()
    history = record.history.count() if hasattr(model, "history") else None
    return values, history


def fingerprint() -> list[tuple[str, int]]:
    """The number of rows of every table, in one query: a refused request adds, deletes
    and (through the change history) updates nothing anywhere."""
    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    quote = connection.ops.quote_name
    # The table names come from the database's own catalogue, not from any input.
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {quote(t)}" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sorted(cursor.fetchall())


# --- routes of the URL configuration ----------------------------------------------------

_CONVERTER = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")
_GROUP = re.compile(r"\((?:\?P<(?P<name>\w+)>)?[^()]*\)")


@dataclass(frozen=True)
class Route:
    """A URL pattern with its full path from the root of the URLconf."""

    name: str | None
    parts: tuple
    callback: Callable

    @property
    def pattern(self) -> str:
        return "".join(str(p) for p in self.parts)

    @property
    def key(self) -> str:
        return self.name or self.pattern

    @property
    def is_api(self) -> bool:
        return hasattr(self.callback, "cls")  # DRF's APIView.as_view()

    @property
    def is_admin(self) -> bool:
        return self.pattern.startswith("admin/")

    @property
    def params(self) -> list[str]:
        names = []
        for part in self.parts:
            regex = _CONVERTER if isinstance(part, RoutePattern) else _GROUP
            names += [m["name"] or "" for m in regex.finditer(str(part))]
        return names

    def url(self, **values: object) -> str:
        """The path with ``values`` filled in (unnamed regex groups take ``_0``, ``_1``…)."""
        positional = iter(values.get(f"_{i}") for i in range(9))
        filled = []
        for part in self.parts:
            if isinstance(part, RoutePattern):
                filled.append(_CONVERTER.sub(lambda m: str(values[m["name"]]), str(part)))
            else:
                regex = str(part).lstrip("^").rstrip("$")
                filled.append(
                    _GROUP.sub(
                        lambda m: str(values[m["name"]] if m["name"] else next(positional)),
                        regex,
                    )
                )
        return "/" + "".join(filled)


def _walk(patterns, parts: tuple = (), namespace: str | None = None) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from _walk(pattern.url_patterns, (*parts, pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield Route(name, (*parts, pattern.pattern), pattern.callback)


@cache
def all_routes() -> tuple[Route, ...]:
    return tuple(_walk(get_resolver().url_patterns))


def web_routes() -> dict[str, Route]:
    """The pages (not the API, not the admin), by name."""
    return {r.key: r for r in all_routes() if not r.is_api and not r.is_admin}


def admin_routes() -> dict[str, Route]:
    return {r.key: r for r in all_routes() if r.is_admin}


def admin_model(route: Route) -> type[models.Model] | None:
    """The model of an admin route (``admin/<app>/<model>/…``), if it has one."""
    bits = route.pattern.split("/")
    if len(bits) > 3 and bits[1] in {c.label for c in apps.get_app_configs()}:
        return apps.get_model(bits[1], bits[2])
    return None


def record_action(route: Route) -> tuple[type[models.Model], str] | None:
    """(model, action) of a generic record page (``committees.platform.records``), else None."""
    view_class = getattr(route.callback, "view_class", None)
    kind = getattr(view_class, "kind", None)
    if not (view_class and issubclass(view_class, RecordView) and kind and route.name):
        return None
    action = route.name.rsplit("_", 1)[-1]
    return kind.model, action


@cache
def api_schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


WRITE_METHODS = ("put", "patch", "post", "delete")


@dataclass(frozen=True)
class Endpoint:
    """One path of the API schema: ``/api/v1/<resource>/[{id}/[<action>/]]``."""

    path: str
    methods: tuple[str, ...]

    @property
    def bits(self) -> list[str]:
        return self.path.removeprefix("/api/v1/").strip("/").split("/")

    @property
    def resource(self) -> str:
        return self.bits[0]

    @property
    def kind(self) -> str:
        """``list``, ``detail`` or the name of an extra action."""
        bits = self.bits
        if len(bits) == 1:
            return "list"
        return "detail" if len(bits) == 2 else bits[2]

    @property
    def key(self) -> str:
        return self.path.removeprefix("/api/v1")

    def url(self, pk: object | None = None) -> str:
        return self.path.replace("{id}", str(pk))

    def writable(self, method: str) -> set[str]:
        """The fields the schema lets a client write with this method."""
        body = api_schema()["paths"][self.path][method].get("requestBody")
        if not body:
            return set()
        ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        properties = api_schema()["components"]["schemas"][ref]["properties"]
        return {name for name, p in properties.items() if not p.get("readOnly")}


def api_endpoints() -> list[Endpoint]:
    order = {"get": 0, "put": 1, "patch": 2, "post": 3, "delete": 4}
    return [
        Endpoint(path, tuple(sorted((m for m in ops if m in order), key=order.__getitem__)))
        for path, ops in api_schema()["paths"].items()
    ]


# --- forms, as the owner's browser would submit them ------------------------------------


class _FormParser(HTMLParser):
    """The ``method="post"`` forms of a page with the values a browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = {"action": a.get("action", ""), "fields": [], "button": None}
            self.forms.append(self._form)
        if self._form is None or "disabled" in a:
            return
        fields, name = self._form["fields"], a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((name, a.get("value", "on")))
            elif kind == "submit":
                self._form["button"] = self._form["button"] or (name, a.get("value", ""))
            elif kind != "file":
                fields.append((name, a.get("value", "")))
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            self._form["button"] = self._form["button"] or (name, a.get("value", ""))
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in a, "chosen": [], "first": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"].append(value)
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "text": ""}

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            chosen = self._select["chosen"]
            if not chosen and not self._select["multiple"] and self._select["first"] is not None:
                chosen = [self._select["first"]]
            self._form["fields"] += [(self._select["name"], v) for v in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            self._form["fields"].append((self._textarea["name"], text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


def form_data(html: str, *, page: str, action: str) -> dict[str, Any]:
    """The data of the first POST form of ``html`` (at ``page``) that posts to ``action``,
    without its CSRF token; AssertionError if the page has no such form."""
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        target = urlsplit(form["action"]).path or page
        if target != action:
            continue
        data: dict[str, Any] = {}
        for name, value in [*form["fields"], *([form["button"]] if form["button"] else [])]:
            if name == "csrfmiddlewaretoken":
                continue
            data.setdefault(name, []).append(value)
        return {k: v[0] if len(v) == 1 else v for k, v in data.items()}
    raise AssertionError(f"no form posting to {action} on {page}")


def upload(name: str = "van-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def xlsx_text(content: bytes) -> str:
    """Every cell of a workbook, as one text (to look for markers in an export)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for cells in sheet.iter_rows(values_only=True)
        for value in cells
        if value is not None
    )


def body(response) -> bytes:
    """A response's bytes, streamed or not. (The test client closes a streamed response
    once it is read; closing it again would close the test's database connection.)"""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


# --- the registry: who owns what, route by route ----------------------------------------


@dataclass(frozen=True)
class Model:
    """How the matrix finds a record of district A of a model, and changes it."""

    key: str  # the record in the world
    text: str  # its field that carries the marker
    unique: dict = field(default_factory=dict)  # what a copy must change to be new


# Every model that has generic record pages (committees.platform.records.RecordKind).
MODELS: dict[type[models.Model], Model] = {
    SteeringCommittee: Model("committee", "name"),
    AnnualPlan: Model("plan", "title", {"number": "06-KH/BCĐ"}),
    PlanTask: Model("task", "title"),
    Training: Model("training", "title"),
    TypicalModel: Model("typicalmodel", "name"),
    Commendation: Model("commendation", "recipient"),
    MemberUnit: Model("memberunit", "name"),
    UnitEvent: Model("unitevent", "notes", {"held_on": "02/06/2024"}),
    DemocracyActivity: Model("democracyactivity", "subject"),
    VillageConvention: Model("villageconvention", "name", {"decision_number": "999/QĐ-UBND"}),
    Document: Model("document", "summary", {"number": "13-KH/BCĐ"}),
    Inspection: Model("inspection", "subject"),
    Reception: Model("reception", "leader"),
    Dialogue: Model("dialogue", "leader"),
    Petition: Model("petition", "subject"),
}


@dataclass(frozen=True)
class Web:
    """A page or action on one record.

    ``get``: the route shows a page (a detail, a download, an edit form); ``post``: it
    writes. ``readers`` may GET it besides the owner; ``posters`` may POST it besides the
    owner (an export is a read). ``outsider`` is what district B's secretariat gets (404:
    the record is out of scope; 403: the record is the province's, which B may know of).
    ``province`` routes are also tried by a user of another province. The owner finds the
    form on ``form`` (a page route and the record it shows; default: the route itself),
    and ``tweak`` fills in what a person would type. ``watch`` reads what a POST changes.
    """

    target: str
    get: bool = True
    post: bool = False
    owner: str = OWNER
    readers: frozenset[str] = frozenset()
    posters: frozenset[str] = frozenset()
    outsider: int = 404
    province: bool = False
    args: Callable[[World], dict] | None = None
    form: tuple[str, str] | None = None
    tweak: Callable[[World], dict] | None = None
    watch: Callable[[World], object] | None = None

    def url(self, route: Route, world: World) -> str:
        values = self.args(world) if self.args else {"pk": world[self.target].pk}
        return route.url(**values)

    def snapshot(self, world: World) -> object:
        return self.watch(world) if self.watch else row(world[self.target])


def read(target: str, **kw) -> Web:
    return Web(target, readers=kw.pop("readers", frozenset({VIEWER})), **kw)


def edit(target: str, **kw) -> Web:
    return Web(target, post=True, **kw)


def action(target: str, form: tuple[str, str], **kw) -> Web:
    return Web(target, get=False, post=True, form=form, **kw)


def _count(model: type[models.Model], **lookups) -> Callable[[World], int]:
    def count(world: World) -> int:
        resolved = {k: world[v] if isinstance(v, str) else v for k, v in lookups.items()}
        return model._default_manager.filter(**resolved).count()

    return count


def _both(target: str, extra: Callable[[World], object]) -> Callable[[World], object]:
    return lambda world: (row(world[target]), extra(world))


PROVINCES_OWN = {"owner": PROVINCE_STAFF, "province": True, "outsider": 403}

# Pages and actions on one record that are not generic record pages, by route name.
OBJECT_ROUTES: dict[str, Web] = {
    "committees:area_detail": read("district_a", args=lambda w: {"code": DISTRICT_A}),
    "committees:committee_consolidate": edit(
        "committee",
        tweak=lambda w: {
            "decision-number": "07-QĐ/TU",
            "decision-signed_on": "2024-06-01",
            "new-0-full_name": "Trần Thị Bình",
            "new-0-position": "Phó Bí thư Thành ủy",
            "new-0-committee_role": CommitteeRole.MEMBER,
        },
        watch=_both("committee", _count(CommitteeDecision)),
    ),
    "committees:committee_carry_over": edit(
        "committee",
        tweak=lambda w: {
            "committee-area": area(CAO_XANH, "2025").pk,
            "decision-number": "08-QĐ/ĐU",
            "decision-signed_on": "2025-07-01",
        },
        watch=_both("committee", _count(SteeringCommittee)),
    ),
    "committees:membership_update": edit(
        "membership", tweak=lambda w: {"position": "Chủ tịch UBND thành phố"}
    ),
    "committees:decision_file": read("decision"),
    "committees:document_file": read("document"),
    "inspections:petition_step": action(
        "petition",
        form=("inspections:petition_detail", "petition"),
        tweak=lambda w: {"to": "classified"},
    ),
    "inspections:petition_extend": action(
        "denunciation",
        form=("inspections:petition_detail", "denunciation"),
        tweak=lambda w: {"note": "Vụ việc phức tạp, cần xác minh thêm."},
    ),
    "inspections:petition_verification": edit(
        "denunciation_received",
        tweak=lambda w: {"days": "5", "note": "Phải xác minh ở nhiều địa điểm."},
    ),
    "inspections:petition_document_add": action(
        "petition",
        form=("inspections:petition_detail", "petition"),
        tweak=lambda w: {"title": "Quyết định thụ lý", "file": upload()},
        watch=_count(PetitionDocument, petition="petition"),
    ),
    "inspections:petition_document": read("petitiondocument"),
    "reports:period_detail": Web(
        "period", readers=frozenset({VIEWER, OTHER}), owner=PROVINCE_STAFF, province=True
    ),
    "reports:period_update": edit(
        "period", tweak=lambda w: {"due_on": "2024-12-20"}, **PROVINCES_OWN
    ),
    "reports:period_summary": read("period", **PROVINCES_OWN),
    "reports:period_validation": read("period", **PROVINCES_OWN),
    "reports:summary_edit": edit(
        "period",
        tweak=lambda w: {"results": "Kết quả nổi bật của năm."},
        watch=lambda w: list(SummaryReport.objects.filter(period=w["period"]).values()),
        **PROVINCES_OWN,
    ),
    # Exporting is reading: the province's viewer may ask for the file (a job row).
    "reports:summary_export": action(
        "period",
        form=("reports:period_summary", "period"),
        posters=frozenset({VIEWER}),
        watch=_count(ExportJob, period="period", report=None),
        **PROVINCES_OWN,
    ),
    "reports:exception_create": action(
        "period",
        form=("reports:period_detail", "period"),
        tweak=lambda w: {
            "area": w["district_a"].pk,
            "until": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
            "reason": "Thiên tai, mất điện kéo dài.",
        },
        watch=_count(FilingException, period="period"),
        **PROVINCES_OWN,
    ),
    "reports:report_open": action(
        "period_2023",
        form=("reports:period_detail", "period_2023"),
        args=lambda w: {"pk": w["period_2023"].pk, "area_pk": w["district_a"].pk},
        watch=_count(AnnualReport, period="period_2023"),
    ),
    "reports:report_detail": read("report"),
    "reports:report_edit": edit("report", tweak=lambda w: {"results": "Kết quả đã sửa."}),
    "reports:report_step": action(
        "report", form=("reports:report_detail", "report"), tweak=lambda w: {"to": "submitted"}
    ),
    "reports:report_export": action(
        "report",
        form=("reports:report_detail", "report"),
        posters=frozenset({VIEWER}),
        watch=_count(ExportJob, report="report"),
    ),
    "reports:export_detail": read("job"),
    "reports:export_download": read("job"),
}


def record_route(route: Route) -> Web | None:
    """The matrix entry of a generic record page (detail, update, delete)."""
    found = record_action(route)
    if found is None or found[0] not in MODELS or found[1] not in ("detail", "update", "delete"):
        return None
    entry = MODELS[found[0]]
    if found[1] == "detail":
        return read(entry.key)
    if found[1] == "update":
        text = marker(entry.key)
        return edit(entry.key, tweak=lambda w: {entry.text: f"{text} (sửa)"})
    return edit(entry.key)


def object_route(route: Route) -> Web | None:
    return OBJECT_ROUTES.get(route.key) or record_route(route)


@dataclass(frozen=True)
class Create:
    """A page that creates a record. The owner fills the form (``form``: a page and the
    record it shows, by default the record's own edit page, i.e. a copy of it) and
    ``tweak`` makes the copy new; ``count`` says how many such records there are.
    District B may open the page (it creates in its own district) but must not see
    district A in it, nor create there; ``outsider`` is its answer to the POST (200:
    the form comes back with an error)."""

    form: tuple[str, str] | None
    tweak: Callable[[World], dict]
    count: Callable[[World], int]
    owner: str = OWNER
    outsider: int = 200
    outsider_get: int = 200
    files: Callable[[World, Client], dict] | None = None


def _sheet_with_a_new_unit(world: World, owner: Client) -> dict:
    """The owner's own export of member units, with one unit renamed: a new unit."""
    from openpyxl import load_workbook

    export = owner.get("/units/", {"format": "xlsx"})
    book = load_workbook(io.BytesIO(body(export)))
    for cells in book.active.iter_rows():
        for cell in cells:
            if cell.value == marker("memberunit"):
                cell.value = f"{marker('memberunit')} (nhập)"
    out = io.BytesIO()
    book.save(out)
    return {"file": SimpleUploadedFile("don-vi.xlsx", out.getvalue())}


CREATE_ROUTES: dict[str, Create] = {
    "committees:committee_create": Create(
        form=None,
        tweak=lambda w: {
            "committee-area": w["commune_a"].pk,
            "committee-name": "Ban Chỉ đạo phường Hà Khánh",
            "decision-number": "01-QĐ/ĐU",
            "decision-signed_on": "2024-01-05",
            "new-0-full_name": "Lê Văn Cường",
            "new-0-position": "Bí thư Đảng ủy phường",
            "new-0-committee_role": CommitteeRole.HEAD,
        },
        count=_count(SteeringCommittee),
    ),
    "committees:memberunit_import": Create(
        form=None,
        tweak=lambda w: {},
        files=_sheet_with_a_new_unit,
        count=_count(MemberUnit),
    ),
    "reports:period_create": Create(
        form=None,
        tweak=lambda w: {
            "province": area(PROVINCE).pk,
            "year": "2022",
            "opens_on": "2022-11-15",
            "due_on": "2022-12-15",
        },
        count=_count(ReportingPeriod),
        owner=PROVINCE_STAFF,
        outsider=403,
        outsider_get=403,
    ),
}


def create_route(route: Route) -> Create | None:
    if route.key in CREATE_ROUTES:
        return CREATE_ROUTES[route.key]
    found = record_action(route)
    if found is None or found[0] not in MODELS or found[1] != "create":
        return None
    entry = MODELS[found[0]]
    prefix = route.key.removesuffix("_create")
    copy = {entry.text: f"{marker(entry.key)} (mới)", **entry.unique}
    form = (f"{prefix}_update", entry.key)
    return Create(form=form, tweak=lambda w: copy, count=_count(found[0]))


def list_route(route: Route) -> str | None:
    """The record whose marker a generic list shows (to its owner only)."""
    found = record_action(route)
    if found is None or found[0] not in MODELS or found[1] != "list":
        return None
    return MODELS[found[0]].key


@dataclass(frozen=True)
class Page:
    """A page about no record: the home page, searches, dashboards, the accounts' pages.
    ``public``: also for the anonymous visitor; ``get``: it answers GET (else
    ``answer_to_get`` is what a GET gets, changing nothing); ``post``: what its form sends
    (for the CSRF check)."""

    public: bool = False
    get: bool = True
    post: Callable[[World], dict] | None = None
    answer_to_get: int | None = None


PAGES: dict[str, Page] = {
    "home": Page(),
    "committees:area_list": Page(),
    # The area picker's search: the areas each user sees, for any signed-in user.
    "committees:area_pick": Page(),
    "inspections:petition_dashboard": Page(),
    "reports:period_list": Page(),
    "login": Page(public=True, post=lambda w: {"username": "halong", "password": "x"}),
    # Signing out is a POST (a link on another site must not end a session): GET is refused.
    "logout": Page(public=True, get=False, post=lambda w: {}, answer_to_get=405),
    "password_change": Page(
        post=lambda w: {
            "old_password": "correct-horse-battery",
            "new_password1": "Mat-khau-moi-2025!",
            "new_password2": "Mat-khau-moi-2025!",
        }
    ),
    "password_change_done": Page(),
    # Django's set_language changes the language on POST only; a GET just goes back.
    "set_language": Page(
        public=True,
        get=False,
        post=lambda w: {"language": "en", "next": "/"},
        answer_to_get=302,
    ),
    "healthz": Page(public=True),
}


# --- the API registry ------------------------------------------------------------------


def _marked(field_name: str) -> Callable[[dict], dict]:
    return lambda current: {field_name: f"{current[field_name]} (sửa)"}


def _copy(unique: dict | None = None, text: str | None = None) -> Callable[[World, dict], dict]:
    """A new record like the target: its writable fields, its marker changed."""

    def create(world: World, current: dict) -> dict:
        changed = {text: f"{current[text]} (mới)"} if text else {}
        return {**current, **changed, **(unique or {})}

    return create


@dataclass(frozen=True)
class Api:
    """A router of the API and the record of district A its detail routes take.

    ``tweak`` is a PATCH (and the change a PUT makes); ``create`` builds a POST to the
    list from the owner's view of the target (None: the router does not create).
    ``outsider_create`` is district B's answer to that POST (400: the area, committee or
    plan is not one it may write to). ``province``: the records are the province's, which
    district B may read but not change; a user of another province is tried too.
    """

    target: str | None
    tweak: Callable[[dict], dict] | None = None
    create: Callable[[World, dict], dict] | None = None
    owner: str = OWNER
    readers: frozenset[str] = frozenset({VIEWER})
    outsider_create: int = 400
    province: bool = False


API: dict[str, Api] = {
    "areas": Api("district_a"),
    "me": Api(None),
    "trainings": Api("training", tweak=_marked("title"), create=_copy(text="title")),
    "units": Api("memberunit", tweak=_marked("name"), create=_copy(text="name")),
    "unit-events": Api(
        "unitevent", tweak=_marked("notes"), create=_copy({"held_on": "2024-06-02"}, "notes")
    ),
    "democracy-activities": Api(
        "democracyactivity", tweak=_marked("subject"), create=_copy(text="subject")
    ),
    "village-conventions": Api(
        "villageconvention",
        tweak=_marked("name"),
        create=_copy({"decision_number": "999/QĐ-UBND"}, "name"),
    ),
    "documents": Api(
        "document", tweak=_marked("summary"), create=_copy({"number": "13-KH/BCĐ"}, "summary")
    ),
    "committees": Api(
        "committee",
        tweak=_marked("name"),
        create=lambda w, current: {
            "area": w["commune_a"].pk,
            "name": "Ban Chỉ đạo phường Hà Khánh",
            "decision": {"number": "01-QĐ/ĐU", "signed_on": "2024-01-05"},
            "members": [
                {"full_name": "Lê Văn Cường", "position": "Bí thư", "committee_role": "head"}
            ],
        },
    ),
    "memberships": Api("membership", tweak=_marked("position"), create=_copy(text="full_name")),
    "committee-decisions": Api("decision", tweak=_marked("number")),
    "plans": Api("plan", tweak=_marked("title"), create=_copy({"number": "06-KH/BCĐ"}, "title")),
    "plan-tasks": Api("task", tweak=_marked("title"), create=_copy(text="title")),
    "typical-models": Api("typicalmodel", tweak=_marked("name"), create=_copy(text="name")),
    "commendations": Api(
        "commendation", tweak=_marked("recipient"), create=_copy(text="recipient")
    ),
    "inspections": Api("inspection", tweak=_marked("subject"), create=_copy(text="subject")),
    "receptions": Api("reception", tweak=_marked("leader"), create=_copy(text="leader")),
    "dialogues": Api("dialogue", tweak=_marked("leader"), create=_copy(text="leader")),
    "petitions": Api("petition", tweak=_marked("subject"), create=_copy(text="subject")),
    "reporting-periods": Api(
        "period_2023",
        owner=PROVINCE_STAFF,
        readers=frozenset({VIEWER, OTHER}),
        tweak=lambda current: {"due_on": "2023-12-20"},
        create=lambda w, current: {
            "province": area(PROVINCE).pk,
            "year": 2022,
            "opens_on": "2022-11-15",
            "due_on": "2022-12-15",
        },
        outsider_create=403,
        province=True,
    ),
    "reports": Api(
        "report",
        tweak=_marked("results"),
        create=lambda w, current: {"period": w["period_2023"].pk, "area": w["district_a"].pk},
    ),
}


@dataclass(frozen=True)
class ApiAction:
    """An extra action of a router: what the owner sends, and what it changes.
    ``outsider`` is district B's answer (404 outside scope; 403 for the province's)."""

    target: str | None = None  # default: the router's target
    payload: dict | Callable[[World], dict] | None = None  # None: a GET action
    watch: Callable[[World], object] | None = None
    readers: frozenset[str] = frozenset({VIEWER})
    outsider: int = 404


API_ACTIONS: dict[tuple[str, str], ApiAction] = {
    ("areas", "children"): ApiAction(),
    ("committees", "consolidate"): ApiAction(
        payload={
            "decision": {"number": "07-QĐ/TU", "signed_on": "2024-06-01"},
            "joining": [
                {"full_name": "Trần Thị Bình", "position": "Phó Bí thư", "committee_role": "member"}
            ],
        },
        watch=_count(CommitteeDecision),
    ),
    ("committees", "carry-over"): ApiAction(
        payload=lambda w: {
            "area": area(CAO_XANH, "2025").pk,
            "decision": {"number": "08-QĐ/ĐU", "signed_on": "2025-07-01"},
        },
        watch=_count(SteeringCommittee),
    ),
    ("petitions", "step"): ApiAction(payload={"to": "classified"}),
    ("petitions", "extend"): ApiAction(
        target="denunciation", payload={"note": "Vụ việc phức tạp, cần xác minh thêm."}
    ),
    ("petitions", "verification"): ApiAction(
        target="denunciation_received",
        payload={"days": 5, "note": "Phải xác minh ở nhiều địa điểm."},
    ),
    # Completeness is the reviewers' (provincial staff); the summary is for whoever sees
    # the whole province.
    ("reporting-periods", "completeness"): ApiAction(readers=frozenset(), outsider=403),
    ("reporting-periods", "summary"): ApiAction(outsider=403),
    ("reports", "step"): ApiAction(payload={"to": "submitted"}),
}

# Schema paths outside the matrix, and why.
API_EXCLUDED = {
    "/api/v1/auth/token/": "public by design: exchanges a username and password for a token",
}
# API routes of the URLconf that the schema does not describe, and why.
API_UNDESCRIBED = {
    "api-root": "the router's index of links, no data",
    "schema": "the OpenAPI schema itself, no data",
    "api-docs": "the Swagger page of the schema, no data",
}

# The record the administrator opens for each model of the Django admin.
ADMIN_OBJECTS: dict[str, str] = {
    "auth.group": "group",
    "authtoken.tokenproxy": "token",
    "axes.accessattempt": "accessattempt",
    "axes.accesslog": "accesslog",
    "axes.accessfailurelog": "accessfailurelog",
    "committees.user": "user",
    "committees.area": "district_a",
    "committees.roleassignment": "roleassignment",
    "committees.steeringcommittee": "committee",
    "committees.membership": "membership",
    "committees.democracyactivity": "democracyactivity",
    "committees.villageconvention": "villageconvention",
    "inspections.inspection": "inspection",
    "inspections.receptionsession": "reception",
    "inspections.dialogue": "dialogue",
    "inspections.petition": "petition",
    "inspections.identityaccess": "identityaccess",
    "reports.indicator": "indicator",
    "reports.validationrule": "validationrule",
    "reports.reportingperiod": "period",
    "reports.annualreport": "report",
    "reports.summaryreport": "summaryreport",
    "reports.exportjob": "job",
}


# --- what the owner sends ---------------------------------------------------------------


def owner_form(world: World, route: Route, spec: Web) -> dict:
    """What the owner's browser sends: the form of the page, filled in."""
    if route.key not in world.seen:
        action = spec.url(route, world)
        if spec.form:
            page_key, target = spec.form
            page = web_routes()[page_key].url(pk=world[target].pk)
        else:
            page = action
        response = world.client(spec.owner).get(page)
        assert response.status_code == 200, f"the owner cannot open {page}"
        world.seen[route.key] = form_data(response.content.decode(), page=page, action=action)
    return {**world.seen[route.key], **(spec.tweak(world) if spec.tweak else {})}


def create_form(world: World, route: Route, spec: Create) -> dict:
    """The owner's form: a copy of a record of district A (or the empty form), made new."""
    owner = world.client(spec.owner)
    if route.key not in world.seen:
        form = spec.form
        page = web_routes()[form[0]].url(pk=world[form[1]].pk) if form else route.url()
        response = owner.get(page)
        assert response.status_code == 200, f"the owner cannot open {page}"
        world.seen[route.key] = form_data(response.content.decode(), page=page, action=page)
    files = spec.files(world, owner) if spec.files else {}
    return {**world.seen[route.key], **spec.tweak(world), **files}


def admin_url(world: World, route: Route) -> str:
    """The route's URL on the record the administrator opens for its model."""
    model = admin_model(route)
    record = world[ADMIN_OBJECTS[model._meta.label_lower]] if model else world["training"]
    values = {
        "object_id": quote(record.pk),
        "id": record.pk,
        "content_type_id": ContentType.objects.get_for_model(record).pk,
        "app_label": "committees",
        "url": "khong-co-trang-nay/",
        "_0": quote(record.pk),
    }
    if hasattr(record, "history"):
        values["_1"] = record.history.latest().history_id
    return route.url(**values)


# --- the scoped models ------------------------------------------------------------------

# Models that belong to an area (through their foreign keys) but are only ever read as
# part of the record they belong to, never on their own: no page, endpoint or choice list
# of theirs. Every other such model answers visible_to and editable_by.
READ_THROUGH_PARENT: dict[str, str] = {
    "inspections.petitionevent": "a petition's steps, shown with the petition",
    "inspections.identityaccess": "the log of views of protected identities (admin only)",
    "reports.filingexception": "a period's late-filing leave, on its page for reviewers",
    "reports.reportvalue": "a report's figures, read with the report",
    "reports.reportevent": "a report's steps, read with the report",
    "reports.reportrulenote": "the filer's notes on warning rules, read with the report",
    "reports.reportsubmission": "each submission as sent, read with the report (changes)",
    "reports.reminderlog": "the reminder task's record of what it sent",
    "reports.summaryreport": "the summary's words, read once summary_visible_to allows",
}


def belongs_to_an_area(model: type[models.Model], depth: int = 3) -> bool:
    """Whether a model's foreign keys lead to an area (not through a user)."""
    if model is Area:
        return True
    if depth == 0:
        return False
    return any(
        f.related_model is not User and belongs_to_an_area(f.related_model, depth - 1)
        for f in model._meta.concrete_fields
        if f.many_to_one or f.one_to_one
    )


def scoped_models() -> list[type[models.Model]]:
    """The project's models that belong to an area (their change history aside)."""
    own = {"committees", "inspections", "reports"}
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in own
        and not model.__name__.startswith("Historical")
        and belongs_to_an_area(model)
    ]


# --- references in the API's request bodies -------------------------------------------


def _outside_records(people: dict[str, Any]) -> dict[str, models.Model]:
    """A record of each kind a request body may name, in another province: out of the
    scope of every persona of Quảng Ninh (what an outsider's id points to)."""
    elsewhere = Area.objects.get(structure=Structure.LEGACY, code="99")
    day = datetime.date(2024, 6, 1)
    committee = SteeringCommitteeFactory(area=elsewhere)
    return {
        "elsewhere": elsewhere,
        "committee_elsewhere": committee,
        "membership_elsewhere": MembershipFactory(committee=committee),
        "plan_elsewhere": AnnualPlan.objects.create(
            area=elsewhere, year=2024, number="01-KH/BCĐ", title="Kế hoạch", issued_on=day
        ),
        "unit_elsewhere": MemberUnitFactory(area=elsewhere),
        "typicalmodel_elsewhere": TypicalModel.objects.create(
            area=elsewhere, name="Dân vận khéo", field="economy", recognised_on=day
        ),
        "reception_elsewhere": Reception.objects.create(
            area=elsewhere, held_on=day, kind="regular", leader="Chủ tịch UBND tỉnh"
        ),
        "dialogue_elsewhere": Dialogue.objects.create(
            area=elsewhere, held_on=day, kind="citizens", leader="Bí thư Tỉnh ủy"
        ),
        "period_elsewhere": ReportingPeriod.objects.create(
            province=elsewhere,
            year=2024,
            opens_on=datetime.date(2024, 11, 15),
            due_on=datetime.date(2024, 12, 15),
        ),
    }


# The record of another province that an outsider's id names, for each model a request
# body refers to.
OUTSIDE: dict[type[models.Model], str] = {
    Area: "elsewhere",
    SteeringCommittee: "committee_elsewhere",
    Membership: "membership_elsewhere",
    AnnualPlan: "plan_elsewhere",
    MemberUnit: "unit_elsewhere",
    TypicalModel: "typicalmodel_elsewhere",
    Reception: "reception_elsewhere",
    Dialogue: "dialogue_elsewhere",
    ReportingPeriod: "period_elsewhere",
}


@dataclass(frozen=True)
class Reference:
    """A field of a request body that names another record by its id: ``field`` is its
    place in the body (``("changed", 0, "membership")``), ``many`` whether it takes a list."""

    method: str
    path: str  # the API schema's path of the endpoint
    field: tuple[str | int, ...]
    model: type[models.Model]
    many: bool

    @property
    def key(self) -> str:
        dotted = ".".join(str(part) for part in self.field)
        return f"{self.method.upper()} {self.path.removeprefix('/api/v1')} {dotted}"

    def body(self, base: dict, pk: int) -> dict:
        """``base`` with this field naming the record ``pk`` (a list item made if needed)."""
        body = copy.deepcopy(base)
        here: Any = body
        for part, after in zip(self.field, self.field[1:], strict=False):
            if isinstance(part, int):
                while len(here) <= part:
                    here.append({})
                here = here[part]
            else:
                here = here.setdefault(part, [] if isinstance(after, int) else {})
        here[self.field[-1]] = [pk] if self.many else pk
        return body

    def error(self, errors: Any) -> Any:
        """The error the body's answer gives at this field, None if it gives none."""
        for part in self.field:
            if isinstance(errors, dict):  # a list's errors come keyed by position: {"0": …}
                errors = errors.get(str(part))
            elif isinstance(errors, list) and isinstance(part, int) and part < len(errors):
                errors = errors[part]
            else:
                return None
        return errors


def _references_in(serializer: serializers.BaseSerializer, prefix: tuple = ()) -> Iterator:
    for name, item in serializer.fields.items():
        here = (*prefix, name)
        if item.read_only:
            continue
        if isinstance(item, serializers.ListSerializer):
            yield from _references_in(item.child, (*here, 0))
        elif isinstance(item, serializers.BaseSerializer):
            yield from _references_in(item, here)
        elif isinstance(item, relations.ManyRelatedField):
            yield here, item.child_relation.queryset.model, True
        elif isinstance(item, relations.RelatedField):
            yield here, item.queryset.model, False
        elif isinstance(item, serializers.ListField) and isinstance(
            item.child, relations.RelatedField
        ):
            yield here, item.child.queryset.model, True


@cache
def api_references() -> tuple[Reference, ...]:
    """Every reference field of every request body of the API, found in the serializers
    the API's views read their bodies with (as the schema describes them)."""
    generator = SchemaGenerator()
    found = []
    for path, _regex, method, callback in EndpointEnumerator().get_api_endpoints():
        if method.lower() not in ("post", "put", "patch"):
            continue
        view = generator.create_view(callback, method)
        path = generator.coerce_path(path, method, view)
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        serializer = view.schema.get_request_serializer()
        if isinstance(serializer, type):
            serializer = serializer()
        if serializer is None:
            continue
        for place, model, many in _references_in(serializer):
            found.append(Reference(method.lower(), path, place, model, many))
    return tuple(found)


@dataclass(frozen=True)
class FilterChoice:
    """A query parameter of a list that names another record by its id (a filter's choice
    of records: ``?committee=12``)."""

    path: str  # the API schema's path of the list
    name: str
    model: type[models.Model]

    @property
    def key(self) -> str:
        return f"GET {self.path.removeprefix('/api/v1')}?{self.name}="


@cache
def _chosen_model(filterset, choice, view):
    """The model a filter chooses among: its field's, or (a filter by a method, such as
    the drill-down's ``counting_for``) its queryset's."""
    try:
        return filterset._meta.model._meta.get_field(choice.field_name).related_model
    except FieldDoesNotExist:
        queryset = choice.queryset
        return (queryset(view.request) if callable(queryset) else queryset).model


def api_filter_choices() -> tuple[FilterChoice, ...]:
    """Every filter of the API's lists whose value is a record's id, found in the
    FilterSets the lists filter with (those ``filterset_fields`` builds included)."""
    from django.contrib.auth.models import AnonymousUser
    from django_filters.filters import QuerySetRequestMixin
    from django_filters.rest_framework import DjangoFilterBackend

    generator = SchemaGenerator()
    found = []
    for path, _regex, method, callback in EndpointEnumerator().get_api_endpoints():
        view = generator.create_view(callback, method)
        path = generator.coerce_path(path, method, view)
        if method != "GET" or getattr(view, "action", None) != "list":
            continue
        if not hasattr(view, "get_queryset"):
            continue  # a list of no records (/me/)
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        view.request.user = AnonymousUser()
        filterset = DjangoFilterBackend().get_filterset_class(view, view.get_queryset())
        for name, choice in (filterset.base_filters if filterset else {}).items():
            if isinstance(choice, QuerySetRequestMixin):
                found.append(FilterChoice(path, name, _chosen_model(filterset, choice, view)))
    return tuple(found)
