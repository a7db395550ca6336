"""The API fuzzed from its own OpenAPI schema (schemathesis).

For every operation, valid and invalid requests generated from the schema go in-process
through the WSGI application (all middleware, CSRF included) to the real database, as a
district secretariat and as provincial staff, with records of every kind in scope. No
answer is a server error, every answer (status, content type, body) is one the schema
documents, and invalid input is refused with a 4xx. The callers authenticate with an API
token (``Authorization: Token …``), as machine clients do: token authentication is not
subject to CSRF (no browser sends that header by itself), so the CSRF middleware stays on
and writes still go through.

Each request runs in a savepoint rolled back afterwards, so every case sees the same
records; generation is derandomized, so a run repeats exactly and a failure prints the
curl command that reproduces it. The last tests pin the bugs the fuzzing found.
"""

from __future__ import annotations

import copy
import datetime
import traceback

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.core.jsonschema import make_validator
from schemathesis.core.mutations import OperatorKind
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import ignored_auth, negative_data_rejection

from committees.models import (
    AnnualPlan,
    Area,
    Commendation,
    CommitteeDecision,
    Document,
    Membership,
    MemberUnit,
    PlanTask,
    SteeringCommittee,
    Training,
    TypicalModel,
)
from inspections.models import Dialogue, Inspection, Petition, ReceptionSession
from reports.models import AnnualReport, ReportingPeriod
from reports.services import report_start
from tests.conftest import COMMUNE_A, DISTRICT_A
from tests.factories import (
    AnnualPlanFactory,
    CommendationFactory,
    DialogueFactory,
    DocumentFactory,
    InspectionFactory,
    MembershipFactory,
    MemberUnitFactory,
    PetitionFactory,
    PlanTaskFactory,
    ReceptionSessionFactory,
    ReportingPeriodFactory,
    SteeringCommitteeFactory,
    TrainingFactory,
    TypicalModelFactory,
    area,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.long]

# Per operation: valid requests and invalid ones, 20 in all, the same ones every run.
EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 10}
SCHEMA_PATH = "/api/v1/schema/?format=json"

# The district secretariat writes every kind of record, so it meets every operation;
# provincial staff differ where periods are opened and reports reviewed.
PERSONAS = {
    "secretariat_a": None,
    "provincial_staff": ("areas", "me", "reporting-periods", "reports"),
}

# The model behind each route with an ``{id}``: the fuzzer is also given ids of records
# the caller sees, so that it reaches real objects and not only 404s.
ROUTE_MODELS = {
    "areas": Area,
    "committees": SteeringCommittee,
    "memberships": Membership,
    "committee-decisions": CommitteeDecision,
    "trainings": Training,
    "units": MemberUnit,
    "documents": Document,
    "plans": AnnualPlan,
    "plan-tasks": PlanTask,
    "typical-models": TypicalModel,
    "commendations": Commendation,
    "inspections": Inspection,
    "receptions": ReceptionSession,
    "dialogues": Dialogue,
    "petitions": Petition,
    "reporting-periods": ReportingPeriod,
    "reports": AnnualReport,
}


class InProcessApp:
    """Django's WSGI handler as a server runs it, but for one thing: the handler closes
    "old" database connections when a request starts and ends, which would end the
    test's transaction (Django's test client leaves them open the same way). Tracebacks
    of server errors are kept for the failure report."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.errors: list[str] = []

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        got_request_exception.connect(self._record)
        try:
            response = self.handler(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            got_request_exception.disconnect(self._record)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    def _record(self, sender, request=None, **kwargs) -> None:
        self.errors.append(traceback.format_exc())


@pytest.fixture
def records(accepted_period, secretariat_a):
    """Records of every kind in Hạ Long (district A) and one of its communes, beside the
    13 accepted district reports of 2024; a draft 2023 report of Hạ Long; a complaint
    just received and a complex denunciation being resolved (it may be extended)."""
    district, commune = area(DISTRICT_A), area(COMMUNE_A)
    day = datetime.date(2024, 5, 10)
    committee = SteeringCommitteeFactory(area=district)
    MembershipFactory.create_batch(3, committee=committee)
    unit = MemberUnitFactory(area=commune)
    TrainingFactory(area=district)
    DocumentFactory(
        area=district,
        number="12-KH/BCĐ",
        issued_on=day,
        issuer="Ban Chỉ đạo",
        summary="Kế hoạch thực hiện QCDC năm 2024",
    )
    plan = AnnualPlanFactory(
        area=district, year=2024, number="05-KH/BCĐ", title="Kế hoạch 2024", issued_on=day
    )
    PlanTaskFactory(plan=plan, title="Tập huấn", responsible="Ban Dân vận", deadline=day)
    model = TypicalModelFactory(
        area=district,
        name="Dân vận khéo",
        recognised_on=day,
        recognised_by="Thành ủy",
        units=[unit],
    )
    CommendationFactory(
        area=district,
        recipient="Phường Hà Khánh",
        decision_number="15-QĐ/TU",
        awarded_on=day,
        awarded_by="Thành ủy",
        typical_model=model,
    )
    InspectionFactory(
        area=district,
        kind="supervision",
        form="thematic",
        held_on=day,
        conducted_by="Ban Thường vụ Thành ủy",
        subject="Giám sát thực hiện QCDC",
        party_organisations=3,
        party_members=12,
    )
    session = ReceptionSessionFactory(
        area=district, held_on=day, leader="Bí thư Thành ủy", citizens=5
    )
    DialogueFactory(
        area=commune,
        held_on=day,
        leader="Chủ tịch UBND phường",
        participants=0,
        issues_raised=0,
        issues_resolved=0,
    )
    received = datetime.date.today() - datetime.timedelta(days=20)
    for kind, status in (("complaint", "received"), ("denunciation", "being_resolved")):
        PetitionFactory(
            area=commune,
            kind=kind,
            channel="reception",
            complexity="complex",
            received_on=received,
            accepted_on=received + datetime.timedelta(days=5) if status != "received" else None,
            status=status,
            petitioner_name="Nguyễn Văn A",
            subject="Đơn về đất đai",
            handling_body="UBND phường",
            reception=session,
        )
    earlier = ReportingPeriodFactory(province=accepted_period.province, year=2023)
    report_start(period=earlier, area=district, actor=secretariat_a)


def _ids_by_route(user) -> dict[str, list[int]]:
    return {
        route: list(model.objects.visible_to(user).order_by("pk").values_list("pk", flat=True)[:3])
        for route, model in ROUTE_MODELS.items()
    }


def _references(user) -> dict[str, list]:
    """Ids that valid bodies may name (an area the caller records in, a committee, a
    plan…): a generated id rarely exists, so without them every write would stop at a
    field error and the answers of successful writes would go unchecked."""
    areas = Area.objects.editable_by(user).order_by("path")
    first = {
        "area": areas.exclude(level="province"),
        "province": areas.filter(level="province"),
        "committee": SteeringCommittee.objects.visible_to(user),
        "plan": AnnualPlan.objects.visible_to(user),
        "typical_model": TypicalModel.objects.visible_to(user),
        "reception": ReceptionSession.objects.visible_to(user),
        "dialogue": Dialogue.objects.visible_to(user),
        "period": ReportingPeriod.objects.visible_to(user),
    }
    refs = {name: list(rows.values_list("pk", flat=True)[:3]) for name, rows in first.items()}
    refs["units"] = [list(MemberUnit.objects.visible_to(user).values_list("pk", flat=True)[:2])]
    return {name: values for name, values in refs.items() if values and values != [[]]}


WINDOW = {"window_start", "window_end"}


def _naming_real_records(references: dict[str, list]):
    """A schemathesis hook: about half of the valid bodies name existing records; and, as
    a generated id rarely exists, a generated data window rarely abuts the neighbouring
    periods' (no overlap, no gap): about half of the bodies keep the period's window."""

    def flatmap_body(context, body):
        if not isinstance(body, dict):
            return st.just(body)
        bodies = st.just(body)
        if WINDOW & body.keys():
            bodies |= st.just({key: value for key, value in body.items() if key not in WINDOW})
        named = {name: st.sampled_from(ids) for name, ids in references.items() if name in body}
        if not named:
            return bodies
        return bodies.flatmap(
            lambda b: st.just(b) | st.fixed_dictionaries(named).map(lambda ids: {**b, **ids})
        )

    return flatmap_body


def _route(operation) -> str:
    return operation.path.removeprefix("/api/v1/").split("/")[0]


def _json_bodies_only(schema, app):
    """The same schema with JSON request bodies only, for invalid input: a form encoding
    carries every value as text, so a wrong type or shape cannot reach the server as such
    (and a mangled form part is no field at all)."""
    raw = copy.deepcopy(schema.raw_schema)
    for item in raw["paths"].values():
        for operation in item.values():
            content = operation.get("requestBody", {}).get("content")
            if content:
                content = {"application/json": content["application/json"]}
                operation["requestBody"]["content"] = content
    json_only = schemathesis.openapi.from_dict(raw)
    json_only.app = app
    json_only.config = schema.config
    return json_only


def _strategy(operation, ids: list[int], mode: GenerationMode):
    """Cases with a generated id (mostly a 404) and cases on records the caller sees
    (invalid ones only where there is more to make invalid than the fixed id)."""
    strategies = [operation.as_strategy(generation_mode=mode)]
    more = len(operation.query) or len(operation.body)
    if "{id}" in operation.path and (mode is GenerationMode.POSITIVE or more):
        strategies += [
            operation.as_strategy(generation_mode=mode, path_parameters={"id": pk}) for pk in ids
        ]
    return st.one_of(strategies)


def _is_number_for_text(case) -> bool:
    """DRF stores a JSON number sent for a text field as its text, on purpose
    (rest_framework.fields.CharField: "We're lenient with allowing basic numerics to be
    coerced into strings")."""
    mutations = getattr(case.meta.phase.data, "mutations", ()) if case.meta else ()
    return bool(mutations) and all(
        m.operator is OperatorKind.CHANGE_TYPE
        and m.parameter_location is ParameterLocation.BODY
        and m.original_value in ("string", ["string", "null"])
        and m.new_value in ("integer", "number")
        for m in mutations
    )


def _trimmed(value):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return {key: _trimmed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_trimmed(item) for item in value]
    return value


def _is_valid_once_trimmed(case) -> bool:
    """DRF trims the whitespace at both ends of a text before it checks its length
    (CharField(trim_whitespace=True), the default): 256 characters ending in a space
    are 255 characters of text."""
    if not isinstance(case.body, dict):
        return False
    body = case.operation.get_body_for_media_type(case.media_type)
    validator_cls = case.operation.schema.adapter.jsonschema_validator_cls
    return make_validator(body.validation_schema, validator_cls).is_valid(_trimmed(case.body))


def invalid_data_is_rejected(ctx, response, case):
    """schemathesis' negative_data_rejection, but for the input that DRF normalises into
    valid input on purpose (see the two helpers above)."""
    try:
        return negative_data_rejection(ctx, response, case)
    except AssertionError:  # schemathesis' failures are AssertionErrors
        if _is_number_for_text(case) or _is_valid_once_trimmed(case):
            return None
        raise


class Fuzzer:
    """Sends one operation's generated cases and collects what went wrong."""

    def __init__(self, app: InProcessApp, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = headers
        self.statuses: dict[str, set[int]] = {}

    def fuzz(self, operation, strategy, mode: GenerationMode) -> str | None:
        """Run the examples; the first failure, described, or None."""

        @hypothesis.settings(
            max_examples=EXAMPLES[mode],
            derandomize=True,
            deadline=None,
            database=None,
            phases=[hypothesis.Phase.generate],
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        @hypothesis.given(case=strategy)
        def run(case) -> None:
            self._send(operation, case)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # report, then go on with the next
            return f"{operation.label} ({mode.value}): {exc}"
        return None

    def _send(self, operation, case) -> None:
        seen = self.statuses.setdefault(operation.label, set())
        # ignored_auth re-sends a successful request without and with bad credentials;
        # once per operation is enough, as in schemathesis' own runner.
        excluded = [negative_data_rejection]
        if any(200 <= status < 300 for status in seen):
            excluded.append(ignored_auth)
        self.app.errors.clear()
        with transaction.atomic():  # every case sees the same records
            try:
                response = case.call_and_validate(
                    headers=self.headers,
                    excluded_checks=excluded,
                    additional_checks=[invalid_data_is_rejected],
                )
            except (Exception, BaseExceptionGroup) as exc:  # schemathesis' FailureGroup
                raise AssertionError(f"{exc}\n{''.join(self.app.errors)}") from exc
            finally:
                transaction.set_rollback(True)
        seen.add(response.status_code)


def _has_input(operation) -> bool:
    return bool(len(operation.path_parameters) or len(operation.query) or len(operation.body))


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_answers_every_generated_request_as_documented(request, settings, records, persona):
    # The token route checks passwords: a fast hasher keeps its cases quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = request.getfixturevalue(persona)
    headers = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    app = InProcessApp()
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, app, headers=headers)
    # PostgreSQL text cannot hold NUL, so Django refuses it in every text field and
    # filter; a JSON Schema "string" cannot say so (schemathesis' documented option).
    schema.config.generation.update(allow_x00=False)
    # A valid shape is not a valid request: the schema cannot say which ids exist and
    # are in the caller's scope, which steps a workflow allows or which dates come in
    # order, so valid-looking cases are refused with 400 field errors by design (the
    # other checks still hold those answers to the schema).
    schema.config.checks.update(excluded_check_names=["positive_data_acceptance"])
    schemas = {
        GenerationMode.POSITIVE: schema,
        GenerationMode.NEGATIVE: _json_bodies_only(schema, app),
    }
    ids = _ids_by_route(user)
    routes = PERSONAS[persona]
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if routes is None or _route(result.ok()) in routes
    ]
    schema.hook(_naming_real_records(_references(user)))
    fuzzer = Fuzzer(app, headers)
    failures = []
    for operation in operations:
        for mode in EXAMPLES:
            if mode is GenerationMode.NEGATIVE and not _has_input(operation):
                continue  # nothing to make invalid (GET /me/)
            same = schemas[mode].find_operation_by_label(operation.label)
            strategy = _strategy(same, ids.get(_route(operation), []), mode)
            failure = fuzzer.fuzz(operation, strategy, mode)
            if failure:
                failures.append(failure)
    assert not failures, "\n\n".join(failures)
    # The cases reached the records: every list answered, and most operations succeeded.
    succeeded = {label for label, seen in fuzzer.statuses.items() if min(seen) < 300}
    lists = {op.label for op in operations if op.label.startswith("GET ") and "{" not in op.path}
    assert lists <= succeeded
    assert len(succeeded) >= 0.75 * len(operations)


# The bugs the fuzzing found, pinned.


def test_a_year_filter_out_of_range_is_a_field_error_not_a_server_error(login, secretariat_a):
    client = login(secretariat_a)
    for year in ("-6", "0", "2023.5", "99999999999"):
        response = client.get("/api/v1/committees/", {"year": year})
        assert response.status_code == 400
        assert set(response.json()) == {"year"}


def test_a_yes_no_filter_refuses_other_words(login, secretariat_a):
    client = login(secretariat_a)
    assert client.get("/api/v1/petitions/", {"is_crowd": "yes"}).status_code == 400
    assert client.get("/api/v1/petitions/", {"is_crowd": "true"}).status_code == 200
    assert client.get("/api/v1/petitions/", {"is_crowd": ""}).status_code == 200


def test_a_malformed_area_id_is_a_json_404(login, secretariat_a):
    client = login(secretariat_a)
    for url in ("/api/v1/areas/null/children/", "/api/v1/areas/1.5/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert "detail" in response.json()


def test_a_period_can_be_changed_and_one_with_reports_not_deleted(login, provincial_staff, records):
    client = login(provincial_staff)
    period = ReportingPeriod.objects.get(year=2024)
    url = f"/api/v1/reporting-periods/{period.pk}/"
    changed = client.patch(url, {"due_on": "2024-12-20"}, content_type="application/json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["due_on"] == "2024-12-20"
    refused = client.delete(url)
    assert refused.status_code == 400
    assert list(refused.json()) == ["non_field_errors"]
    again = {"province": period.province_id, "year": 2024}
    again |= {"opens_on": "2024-11-15", "due_on": "2024-12-15"}
    twice = client.post("/api/v1/reporting-periods/", again, content_type="application/json")
    assert twice.status_code == 400
    assert list(twice.json()) == ["non_field_errors"]  # not Django's "__all__"


def test_opening_a_report_for_an_unknown_period_is_a_field_error(login, secretariat_a):
    response = login(secretariat_a).post(
        "/api/v1/reports/",
        {"period": 999999, "area": area(DISTRICT_A).pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["period"]
