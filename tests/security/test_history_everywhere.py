"""Change history for every create, update and delete, bulk operations included or refused.

Generated from the models, the URL configuration, the API router and the admin registry:

- every concrete model of the three apps keeps a change history, or ``EXEMPT`` says why;
- every tracked model writes its "+", "~" and "-" rows through the ORM (``save``,
  ``delete``, ``QuerySet.delete``);
- through the record pages, the API (token-authenticated) and the admin, including the
  admin's bulk delete, every row written names the user who acted;
- the flows of their own (committees, petitions, reports, the XLSX import, area loading)
  do the same;
- bulk writes that would skip the history are refused (``committees.platform.history``), the links
  Django clears unseen on a deletion (SET_NULL, many-to-many rows) are recorded, and the
  portal's code never opts out.
"""

from __future__ import annotations

import ast
import datetime
import io
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models import Max
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import Workbook
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from simple_history.models import registered_models

from committees.models import (
    AnnualPlan,
    Area,
    Commendation,
    CommitteeDecision,
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
from committees.platform.history import (
    UntrackedWriteError,
    bulk_create_with_history,
    bulk_update_with_history,
    is_tracked,
)
from committees.platform.records import RecordCreate, RecordDelete, RecordUpdate, RecordView
from committees.services.areas import areas_load
from inspections.models import Dialogue, Inspection, Petition, PetitionDocument, ReceptionSession
from qcdc_portal.urls import router
from reports.models import (
    AnnualReport,
    FilingException,
    Indicator,
    ReportingPeriod,
    ReportRuleNote,
    ReportValue,
    SummaryReport,
    ValidationRule,
)
from tests.conftest import COMMUNE_A, DISTRICT_A, DISTRICT_B, PROVINCE
from tests.factories import (
    PDF,
    REPORT_SECTIONS,
    AnnualPlanFactory,
    AnnualReportFactory,
    CommendationFactory,
    CommitteeDecisionFactory,
    DemocracyActivityFactory,
    DialogueFactory,
    DocumentFactory,
    FilingExceptionFactory,
    IndicatorFactory,
    InspectionFactory,
    MembershipFactory,
    MemberUnitFactory,
    PetitionDocumentFactory,
    PetitionFactory,
    PlanTaskFactory,
    ReceptionSessionFactory,
    ReportingPeriodFactory,
    ReportValueFactory,
    RoleAssignmentFactory,
    SteeringCommitteeFactory,
    SummaryReportFactory,
    TrainingFactory,
    TypicalModelFactory,
    UnitEventFactory,
    UserFactory,
    VillageConventionFactory,
    area,
)

ROOT = Path(__file__).resolve().parents[2]
APPS = ("committees", "inspections", "reports")
DAY = datetime.date(2024, 6, 3)

# Models that keep no change history, and why. A new model must keep one or come here.
EXEMPT = {
    # An append-only log of a petition's steps (who, when, from → to, why): it is itself the
    # petition's history. No page, API or admin creates, edits or deletes one by hand.
    "inspections.PetitionEvent": "append-only log of a petition's workflow steps",
    # The log of views of a protected identity (Điều 47 Luật Tố cáo 2018): append-only,
    # read-only in the admin (no add, change or delete).
    "inspections.IdentityAccess": "append-only log of views of a protected identity",
    # An append-only log of a report's workflow steps, like PetitionEvent.
    "reports.ReportEvent": "append-only log of a report's workflow steps",
    # What a report said when it was submitted, written once with that workflow step
    # (ReportEvent, itself append-only); the report and its figures keep their history.
    "reports.ReportSubmission": "append-only snapshot of a submission, written with its step",
    # A technical ledger written by the reminder task so that a reminder goes once a day.
    "reports.ReminderLog": "the reminder task's send-once ledger, no user writes it",
    # A job log and cache of rendered files: its content is a snapshot of a report whose
    # own history is kept; the worker updates its progress many times (QuerySet.update on
    # purpose), and the admin only reads it.
    "reports.ExportJob": "export job log and file cache; the report itself is tracked",
    # Counts of petitions (the dashboard's), derived from the petitions, whose own history is
    # kept; rewritten with each write of a petition and rebuilt by rebuild_petition_counts.
    "inspections.PetitionMonthCount": "derived counts of petitions, rebuilt from them",
    "inspections.PetitionDueCount": "derived counts of petitions, rebuilt from them",
    # The old → new unit links come from the official mapping (load_areas, re-runnable);
    # Area's own history keeps its fields. An edit of the links in the admin is not kept.
    "committees.Area_successors": "official successor mapping loaded by load_areas",
    # Django's groups and permissions of a user: the portal grants access by role
    # assignments (tracked); only the admin could set these, and its LogEntry says so.
    "committees.User_groups": "unused by the portal; access comes from RoleAssignment",
    "committees.User_user_permissions": "unused by the portal; access comes from RoleAssignment",
}


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _app_models(include_auto_created: bool = False) -> list[type[models.Model]]:
    """Concrete models of the portal's apps, without the history tables themselves."""
    return [
        model
        for app in APPS
        for model in apps.get_app_config(app).get_models(include_auto_created)
        if not hasattr(model, "instance_type")  # a simple_history table
    ]


TRACKED = [model for model in _app_models() if is_tracked(model)]
HISTORIES = [model.history.model for model in TRACKED]


# --- how to make one of each ----------------------------------------------------------


class World:
    """The records a new record hangs on, made when first asked for (Quảng Ninh)."""

    def __init__(self) -> None:
        self.province = area(PROVINCE)
        self.district = area(DISTRICT_A)
        self.other_district = area(DISTRICT_B)
        self.commune = area(COMMUNE_A)

    @cached_property
    def someone(self) -> User:
        return UserFactory(username="nguoi.nao.do")

    @cached_property
    def committee(self) -> SteeringCommittee:
        return SteeringCommitteeFactory(area=self.district, decision=None)

    @cached_property
    def unit(self) -> MemberUnit:
        return MemberUnitFactory(area=self.district, name="Trung tâm Y tế")

    @cached_property
    def plan(self) -> AnnualPlan:
        return AnnualPlanFactory(area=self.district, year=2024, number="05-KH/BCĐ")

    @cached_property
    def petition(self) -> Petition:
        petition = _petition(self)
        petition.save()
        return petition

    @cached_property
    def period(self) -> ReportingPeriod:
        return ReportingPeriodFactory(province=self.province, year=2024)

    @cached_property
    def report(self) -> AnnualReport:
        return AnnualReportFactory(period=self.period, area=self.district)

    @cached_property
    def rule(self) -> ValidationRule:
        return ValidationRule.objects.create(
            left="units", operator=">=", right="0", message="Thử", message_en="Test"
        )

    @cached_property
    def indicator(self) -> Indicator:
        return IndicatorFactory(code="thu_nghiem", section="Khác")


def _petition(w: World) -> Petition:
    return PetitionFactory.build(
        area=w.district, channel="post", received_on=DAY, subject="Khiếu nại về đất"
    )


@dataclass(frozen=True)
class Recipe:
    """An unsaved record of the model, and one change to make to it."""

    make: Callable[[World], models.Model]
    field: str
    value: Any


AREA_CODES = itertools.count(99001)
RECIPES: dict[type[models.Model], Recipe] = {
    Area: Recipe(
        lambda w: Area(
            structure=Structure.LEGACY,
            code=str(next(AREA_CODES)),  # two of them for a link between areas
            name="Xã Thử Nghiệm",
            short_name="Thử Nghiệm",
            kind="Xã",
            level="commune",
            parent=w.district,
        ),
        "name",
        "Xã Đổi Tên",
    ),
    User: Recipe(lambda w: UserFactory.build(username="nguoi.thu"), "position", "CV"),
    RoleAssignment: Recipe(
        lambda w: RoleAssignmentFactory.build(user=w.someone, area=w.district, role=Role.VIEWER),
        "role",
        Role.COMMUNE_OFFICIAL,
    ),
    SteeringCommittee: Recipe(
        lambda w: SteeringCommitteeFactory.build(area=w.commune, decision=None),
        "standing_body",
        "Ban Dân vận Đảng ủy",
    ),
    CommitteeDecision: Recipe(
        lambda w: CommitteeDecisionFactory.build(
            committee=w.committee, kind="consolidated", signed_on=DAY
        ),
        "summary",
        "Kiện toàn",
    ),
    Membership: Recipe(
        lambda w: MembershipFactory.build(committee=w.committee, term_start=DAY),
        "position",
        "Phó Chủ tịch UBND",
    ),
    Training: Recipe(
        lambda w: TrainingFactory.build(area=w.district, held_on=DAY),
        "title",
        "Lớp tập huấn (sửa)",
    ),
    MemberUnit: Recipe(
        lambda w: MemberUnitFactory.build(area=w.commune, kind="enterprise"),
        "notes",
        "Đã đối thoại",
    ),
    UnitEvent: Recipe(
        lambda w: UnitEventFactory.build(unit=w.unit, held_on=DAY),
        "participants",
        52,
    ),
    DemocracyActivity: Recipe(
        lambda w: DemocracyActivityFactory.build(area=w.commune, held_on=DAY),
        "outcome",
        "Đa số hộ gia đình tán thành",
    ),
    VillageConvention: Recipe(
        lambda w: VillageConventionFactory.build(area=w.commune, recognised_on=DAY),
        "notes",
        "Sửa đổi, bổ sung",
    ),
    Document: Recipe(
        lambda w: DocumentFactory.build(area=w.district, issued_on=DAY),
        "summary",
        "Kế hoạch thực hiện (sửa)",
    ),
    AnnualPlan: Recipe(
        lambda w: AnnualPlanFactory.build(area=w.district, year=2025, number="09-KH/BCĐ"),
        "title",
        "Kế hoạch năm 2025",
    ),
    PlanTask: Recipe(
        lambda w: PlanTaskFactory.build(plan=w.plan, deadline=DAY),
        "progress_note",
        "Đã chuẩn bị",
    ),
    TypicalModel: Recipe(
        lambda w: TypicalModelFactory.build(area=w.district, recognised_on=DAY),
        "description",
        "Cách làm hay",
    ),
    Commendation: Recipe(
        lambda w: CommendationFactory.build(area=w.district, awarded_on=DAY),
        "achievement",
        "Thành tích xuất sắc",
    ),
    Inspection: Recipe(
        lambda w: InspectionFactory.build(
            area=w.district, held_on=DAY, party_organisations=3, party_members=20
        ),
        "findings",
        "Thực hiện tốt",
    ),
    ReceptionSession: Recipe(
        lambda w: ReceptionSessionFactory.build(area=w.district, held_on=DAY),
        "notes",
        "Năm lượt công dân",
    ),
    Dialogue: Recipe(
        lambda w: DialogueFactory.build(area=w.district, held_on=DAY),
        "notes",
        "Bốn ý kiến",
    ),
    Petition: Recipe(_petition, "subject", "Khiếu nại về đất (bổ sung)"),
    PetitionDocument: Recipe(
        lambda w: PetitionDocumentFactory.build(petition=w.petition, uploaded_by=w.someone),
        "title",
        "Quyết định thụ lý số 12",
    ),
    ReportingPeriod: Recipe(
        lambda w: ReportingPeriodFactory.build(province=w.province, year=2023),
        "due_on",
        datetime.date(2023, 12, 20),
    ),
    FilingException: Recipe(
        lambda w: FilingExceptionFactory.build(
            period=w.period, area=w.district, until=datetime.date(2099, 1, 1), granted_by=w.someone
        ),
        "reason",
        "Mất điện cả tuần",
    ),
    Indicator: Recipe(
        lambda w: IndicatorFactory.build(code="thu_nghiem_khac", section="Khác"),
        "name",
        "Chỉ tiêu khác (sửa)",
    ),
    AnnualReport: Recipe(
        lambda w: AnnualReportFactory.build(period=w.period, area=w.other_district),
        "results",
        "Kết quả tốt",
    ),
    ReportValue: Recipe(
        lambda w: ReportValueFactory.build(report=w.report, indicator=w.indicator),
        "text",
        "Ba",
    ),
    ValidationRule: Recipe(
        lambda w: ValidationRule(
            left="units_regulation",
            operator="<=",
            right="units",
            importance="warning",
            message="Thử",
            message_en="Test",
        ),
        "message",
        "Thử (sửa)",
    ),
    ReportRuleNote: Recipe(
        lambda w: ReportRuleNote(report=w.report, rule=w.rule, note="Đúng như vậy"),
        "note",
        "Đúng như vậy, đã kiểm tra",
    ),
    SummaryReport: Recipe(
        lambda w: SummaryReportFactory.build(period=w.period), "results", "Tổng kết"
    ),
}


@pytest.fixture
def w(quang_ninh) -> World:
    return World()


def _made(model: type[models.Model], w: World) -> models.Model:
    if model not in RECIPES:
        pytest.fail(f"{_label(model)} keeps a history: add a recipe for it to RECIPES")
    obj = RECIPES[model].make(w)
    obj.save()
    return obj


# --- reading what was written -----------------------------------------------------------


@contextmanager
def written() -> Iterator[list]:
    """The history rows written inside the block, of every tracked model."""
    marks = {h: h.objects.aggregate(top=Max("history_id"))["top"] or 0 for h in HISTORIES}
    rows: list = []
    yield rows
    for history, mark in marks.items():
        rows.extend(history.objects.filter(history_id__gt=mark).order_by("history_id"))


def _rows_of(rows: list, obj: models.Model, pk: Any = None) -> list:
    model = type(obj)
    pk = obj.pk if pk is None else pk
    return [
        r for r in rows if r.instance_type is model and getattr(r, model._meta.pk.attname) == pk
    ]


def _rows_of_type(rows: list, model: type[models.Model], history_type: str) -> list:
    return [r for r in rows if r.instance_type is model and r.history_type == history_type]


def _last(rows: list, obj: models.Model, history_type: str, pk: Any = None):
    mine = _rows_of(rows, obj, pk)
    assert mine, f"no history row for {_label(type(obj))} #{pk or obj.pk}"
    assert mine[-1].history_type == history_type, [r.history_type for r in mine]
    return mine[-1]


def _all_by(rows: list, user: User) -> None:
    assert rows, "nothing was written"
    strays = [
        f"{r.instance_type.__name__} {r.history_type} by #{r.history_user_id}"
        for r in rows
        if r.history_user_id != user.pk
    ]
    assert not strays, f"rows not naming {user} (#{user.pk}): {strays}"


# --- the inventory -------------------------------------------------------------------------


def test_every_model_keeps_a_history_or_says_why_not():
    models_ = _app_models(include_auto_created=True)
    labels = {_label(m) for m in models_}
    untracked = {
        _label(m)
        for m in models_
        if f"{m._meta.app_label}_{m._meta.model_name}" not in registered_models
    }
    assert untracked == set(EXEMPT), (
        "a model without change history must be given one (history = HistoricalRecords()) "
        "or an exemption with its reason in EXEMPT"
    )
    assert set(EXEMPT) <= labels


@pytest.mark.parametrize("model", TRACKED, ids=_label)
def test_bulk_writes_that_skip_the_history_are_refused(model):
    field = RECIPES[model].field
    with pytest.raises(UntrackedWriteError, match="change history"):
        model.objects.filter(pk=0).update(**{field: RECIPES[model].value})
    with pytest.raises(UntrackedWriteError, match="bulk_update_with_history"):
        model.objects.update(**{field: RECIPES[model].value})
    with pytest.raises(UntrackedWriteError, match="bulk_update_with_history"):
        model.objects.bulk_update([], [field])
    with pytest.raises(UntrackedWriteError, match="bulk_create_with_history"):
        model.objects.bulk_create([])


# --- the ORM --------------------------------------------------------------------------------


@pytest.mark.parametrize("model", TRACKED, ids=_label)
def test_save_and_delete_write_history(model, w):
    recipe = RECIPES.get(model)
    with written() as rows:
        obj = _made(model, w)
    _last(rows, obj, "+")
    with written() as rows:
        setattr(obj, recipe.field, recipe.value)
        obj.save()
    assert getattr(_last(rows, obj, "~"), recipe.field) == recipe.value
    pk = obj.pk
    with written() as rows:
        obj.delete()
    _last(rows, obj, "-", pk)
    again = _made(model, w)
    with written() as rows:
        model.objects.filter(pk=again.pk).delete()  # row by row: post_delete for each
    _last(rows, again, "-")


def test_the_bulk_helpers_write_a_row_each_by_the_actor(w):
    actor = w.someone
    units = [MemberUnit(area=w.commune, kind="enterprise", name=f"Công ty {n}") for n in range(3)]
    with written() as rows:
        created = bulk_create_with_history(units, MemberUnit, actor=actor)
    assert [_last(rows, u, "+").name for u in created] == ["Công ty 0", "Công ty 1", "Công ty 2"]
    _all_by(rows, actor)
    for unit in created:
        unit.notes = "Sửa hàng loạt"
    with written() as rows:
        bulk_update_with_history(created, MemberUnit, ["notes"], actor=actor)
    assert {_last(rows, u, "~").notes for u in created} == {"Sửa hàng loạt"}
    _all_by(rows, actor)


def test_related_managers_refuse_bulk_updates_too(w):
    MembershipFactory(committee=w.committee, term_start=DAY)
    with pytest.raises(UntrackedWriteError):
        w.committee.memberships.update(position="C")
    with pytest.raises(UntrackedWriteError):
        w.district.trainings.all().update(title="C")


def _tracked_m2m(field: models.ManyToManyField) -> bool:
    through = field.remote_field.through._meta
    return f"{through.app_label}_{through.model_name}" in registered_models


# Links that Django clears without a signal when the record they point at is deleted.
CLEARED_LINKS = [
    *[
        rel.field
        for model in TRACKED
        for rel in model._meta.related_objects
        if rel.on_delete is models.SET_NULL and is_tracked(rel.related_model)
    ],
    *[field for model in TRACKED for field in model._meta.many_to_many if _tracked_m2m(field)],
]


@pytest.mark.parametrize("link", CLEARED_LINKS, ids=lambda f: f"{_label(f.model)}.{f.name}")
def test_a_deletion_records_the_links_it_clears(link, w):
    """Django clears SET_NULL links with an UPDATE, and many-to-many rows with a DELETE,
    that send no signal; the records whose link it clears get their "~" row anyway
    (naming the user: see the cascade below)."""
    target = _made(link.related_model, w)
    holder = _made(link.model, w)
    if link.many_to_many:
        getattr(holder, link.name).add(target)
    else:
        setattr(holder, link.name, target)
        holder.save()
    with written() as rows:
        target.delete()
    row = _last(rows, holder, "~")
    if link.many_to_many:
        assert list(getattr(row, link.name).all()) == []
        assert not getattr(holder, link.name).exists()
    else:
        assert getattr(row, link.attname) is None
        assert getattr(link.model.objects.get(pk=holder.pk), link.attname) is None


def test_a_deletion_records_every_row_it_cascades_to_or_clears(w, login, provincial_staff):
    decision = _made(CommitteeDecision, w)
    seat = _made(Membership, w)
    seat.appointed_by = decision
    seat.save()
    client = login(provincial_staff)  # logging in writes last_login: before, not inside
    with written() as rows:
        response = client.post(f"/committees/{w.committee.pk}/delete/")
    assert response.status_code == 302
    for obj in (w.committee, decision, seat):
        _last(rows, obj, "-")
    _all_by(rows, provincial_staff)


# --- the record pages (generated from the URL configuration) --------------------------------


def _patterns(patterns, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner)
        else:
            yield namespace, pattern


def _record_pages() -> dict[str, dict[str, type]]:
    """Each kind of record's create, update and delete views, by the kind's URL prefix."""
    kinds: dict[str, dict[str, type]] = {}
    for namespace, pattern in _patterns(get_resolver().url_patterns):
        view = getattr(pattern.callback, "view_class", None)
        if view is None or not issubclass(view, RecordView):
            continue
        prefix = view.kind.url_prefix
        for action in ("create", "update", "delete"):
            if f"{namespace}{pattern.name}" == f"{prefix}_{action}":
                kinds.setdefault(prefix, {"kind": view.kind})[action] = view
    return kinds


RECORD_PAGES = _record_pages()


def _form_data(form: forms.BaseForm) -> dict[str, Any]:
    """What a browser posts back for a form as it was shown, files left out."""
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField) or field.disabled:
            continue
        key, value = form.add_prefix(name), form[name].value()
        if isinstance(field.widget, forms.MultiWidget):
            parts = value if isinstance(value, list) else field.widget.decompress(value)
            data |= {f"{key}_{n}": "" if p is None else p for n, p in enumerate(parts)}
        elif isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [getattr(v, "pk", v) for v in value]
        else:
            data[key] = "" if value is None else value
    return data


@pytest.mark.parametrize("prefix", sorted(RECORD_PAGES))
def test_the_record_pages_write_history_naming_the_user(prefix, w, login, provincial_staff):
    pages = RECORD_PAGES[prefix]
    kind = pages["kind"]
    recipe = RECIPES[kind.model]
    client = login(provincial_staff)
    if issubclass(pages["create"], RecordCreate):
        data = _form_data(kind.form_class(instance=recipe.make(w), user=provincial_staff))
        with written() as rows:
            response = client.post(kind.url("create"), data)
        assert response.status_code == 302, response.context and response.context["form"].errors
        obj = kind.model.objects.get(pk=_rows_of_type(rows, kind.model, "+")[0].id)
        _all_by(rows, provincial_staff)
    else:  # its own create page: see the flows below
        obj = _made(kind.model, w)
    assert issubclass(pages["update"], RecordUpdate)
    data = _form_data(kind.form_class(instance=obj, user=provincial_staff))
    data[recipe.field] = recipe.value
    with written() as rows:
        response = client.post(kind.url("update", obj.pk), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert getattr(_last(rows, obj, "~"), recipe.field) == recipe.value
    _all_by(rows, provincial_staff)
    assert issubclass(pages["delete"], RecordDelete)
    with written() as rows:
        assert client.post(kind.url("delete", obj.pk)).status_code == 302
    _last(rows, obj, "-")
    _all_by(rows, provincial_staff)


# --- the API (generated from the router) ----------------------------------------------------


def _viewset_model(viewset) -> type[models.Model]:
    return getattr(viewset, "model", None) or viewset.serializer_class.Meta.model


def _allows(viewset, action: str, method: str) -> bool:
    return hasattr(viewset, action) and method in viewset.http_method_names


API_WRITES = {
    basename: viewset
    for _prefix, viewset, basename in router.registry
    if any(_allows(viewset, a, m) for a, m in [("create", "post"), ("partial_update", "patch")])
}


def _establish_payload(w: World) -> dict:
    return {
        "area": w.commune.pk,
        "name": "BCĐ phường Hà Khánh",
        "decision": {"number": "12-QĐ/ĐU", "signed_on": "2024-03-01"},
        "members": [
            {"full_name": "Lê Văn Một", "position": "Bí thư Đảng ủy", "committee_role": "head"},
            {
                "full_name": "Vũ Thị Hai",
                "position": "Phó Bí thư",
                "committee_role": "standing_deputy",
            },
        ],
    }


# The endpoints whose writes take their own input, not the record's serializer.
API_CREATE: dict[str, Callable[[World], dict]] = {
    "committee": _establish_payload,
    "report": lambda w: {"period": w.period.pk, "area": w.other_district.pk},
}
API_UPDATE: dict[str, Callable[[models.Model], tuple[str, dict]]] = {
    "report": lambda obj: ("put", {"version": obj.version, "results": "Kết quả tốt"}),
}


def _api_change(basename: str, obj: models.Model) -> tuple[str, dict]:
    """The method and body that change ``obj``: its recipe's change, as a PATCH."""
    if basename in API_UPDATE:
        return API_UPDATE[basename](obj)
    recipe = RECIPES[type(obj)]
    value = recipe.value.isoformat() if isinstance(recipe.value, datetime.date) else recipe.value
    return "patch", {recipe.field: value}


def _api_client(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")


def _serialized(viewset, obj: models.Model, user: User) -> dict:
    """The record as the API shows it, as input: writable fields only, files left out."""
    request = Request(APIRequestFactory().get("/"))
    request.user = user
    serializer = viewset.serializer_class(obj, context={"request": request})
    fields = serializer.fields
    return {
        name: value
        for name, value in serializer.data.items()
        if not fields[name].read_only and not isinstance(fields[name], serializers.FileField)
    }


@pytest.mark.parametrize("basename", sorted(API_WRITES))
def test_the_api_writes_history_naming_the_token_user(basename, w, provincial_staff):
    viewset = API_WRITES[basename]
    model = _viewset_model(viewset)
    recipe = RECIPES[model]
    client = _api_client(provincial_staff)
    url = reverse(f"{basename}-list")
    if _allows(viewset, "create", "post"):
        if basename in API_CREATE:
            payload = API_CREATE[basename](w)
        else:
            template = _made(model, w)
            payload = _serialized(viewset, template, provincial_staff)
            template.delete()
        with written() as rows:
            response = client.post(url, payload, content_type="application/json")
        assert response.status_code == 201, response.content
        obj = model.objects.get(pk=response.json()["id"])
        _last(rows, obj, "+")
        _all_by(rows, provincial_staff)
    else:
        obj = _made(model, w)
    detail = reverse(f"{basename}-detail", args=[obj.pk])
    method, payload = _api_change(basename, obj)
    with written() as rows:
        response = getattr(client, method)(detail, payload, content_type="application/json")
    assert response.status_code == 200, response.content
    changed = _last(rows, obj, "~")
    if method == "patch":
        assert getattr(changed, recipe.field) == recipe.value
    _all_by(rows, provincial_staff)
    if _allows(viewset, "destroy", "delete"):
        with written() as rows:
            assert client.delete(detail).status_code == 204
        _last(rows, obj, "-")
        _all_by(rows, provincial_staff)


# --- the admin (generated from its registry) ------------------------------------------------

ADMIN = [model for model in admin.site._registry if is_tracked(model)]


def _admin_form_data(response) -> dict[str, Any]:
    """The admin's change form posted back as shown, with its inline formsets."""
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        data |= _form_data(inline.formset.management_form)
        for form in inline.formset.forms:
            data |= _form_data(form)
    return data


def _admin_url(model: type[models.Model], view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", ADMIN, ids=_label)
def test_the_admin_change_page_writes_history_naming_the_administrator(
    model, w, login, administrator
):
    obj = _made(model, w)
    client = login(administrator)
    url = _admin_url(model, "change", obj.pk)
    data = _admin_form_data(client.get(url))
    recipe = RECIPES[model]
    if recipe.field in data:
        data[recipe.field] = recipe.value
    with written() as rows:
        response = client.post(url, {**data, "_save": "Lưu"})
    assert response.status_code == 302, response.context and response.context["errors"]
    _last(rows, obj, "~")
    _all_by(rows, administrator)


@pytest.mark.parametrize("model", ADMIN, ids=_label)
def test_the_admin_bulk_delete_writes_history_for_each_row(model, w, login, administrator):
    obj = _made(model, w)
    model_admin = admin.site._registry[model]
    request = APIRequestFactory().get("/")
    request.user = administrator
    if not model_admin.has_delete_permission(request):
        pytest.skip(f"the admin does not delete {_label(model)}")
    client = login(administrator)
    with written() as rows:
        response = client.post(
            _admin_url(model, "changelist"),
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert not model.objects.filter(pk=obj.pk).exists()
    _last(rows, obj, "-")
    _all_by(rows, administrator)


# --- the flows with pages of their own -----------------------------------------------------


def _seats(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for n, row in enumerate(rows):
        data |= {f"{prefix}-{n}-{key}": value for key, value in row.items()}
    return data


def test_establishing_and_consolidating_a_committee_on_its_pages(w, login, provincial_staff):
    client = login(provincial_staff)
    members = _establish_payload(w)["members"]
    with written() as rows:
        response = client.post(
            "/committees/new/",
            {
                "committee-area": w.commune.pk,
                "committee-name": "BCĐ phường Hà Khánh",
                "decision-number": "12-QĐ/ĐU",
                "decision-signed_on": "2024-03-01",
                "decision-file": SimpleUploadedFile("qd.pdf", PDF),
                **_seats("new", members),
            },
        )
    assert response.status_code == 302
    committee = SteeringCommittee.objects.get(area=w.commune)
    _last(rows, committee, "+")
    assert len(_rows_of_type(rows, Membership, "+")) == 2
    assert len(_rows_of_type(rows, CommitteeDecision, "+")) == 1
    _all_by(rows, provincial_staff)

    head, deputy = committee.memberships.by_rank()
    current = [
        {"membership": m.pk, "position": m.position, "organisation": "", "committee_role": role}
        for m, role in ((head, "head"), (deputy, "standing_deputy"))
    ]
    current[1]["position"] = "Chủ tịch UBND phường"
    joining = [{"full_name": "Đỗ Văn Ba", "position": "Ủy viên", "committee_role": "member"}]
    with written() as rows:
        response = client.post(
            f"/committees/{committee.pk}/consolidate/",
            {
                "decision-number": "87-QĐ/ĐU",
                "decision-signed_on": "2024-08-20",
                **_seats("current", current, initial=2),
                **_seats("new", joining),
            },
        )
    assert response.status_code == 302
    _last(rows, deputy, "~")  # the changed seat ends; a new one starts
    assert len(_rows_of_type(rows, Membership, "+")) == 2
    _all_by(rows, provincial_staff)

    with written() as rows:
        response = client.post(
            f"/committees/members/{head.pk}/edit/",
            {"full_name": "Lê Văn Một", "position": "Bí thư", "term_start": "2024-03-01"},
        )
    assert response.status_code == 302
    assert _last(rows, head, "~").position == "Bí thư"
    _all_by(rows, provincial_staff)


def test_consolidating_a_committee_by_the_api(w, provincial_staff):
    client = _api_client(provincial_staff)
    committee_id = client.post(
        "/api/v1/committees/", _establish_payload(w), content_type="application/json"
    ).json()["id"]
    head = Membership.objects.get(committee_id=committee_id, committee_role="head")
    with written() as rows:
        response = client.post(
            f"/api/v1/committees/{committee_id}/consolidate/",
            {
                "decision": {"number": "87-QĐ/ĐU", "signed_on": "2024-08-20"},
                "leaving": [head.pk],
                "joining": [
                    {"full_name": "Đỗ Văn Ba", "position": "Bí thư", "committee_role": "head"}
                ],
            },
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    _last(rows, head, "~")
    assert len(_rows_of_type(rows, CommitteeDecision, "+")) == 1
    _all_by(rows, provincial_staff)


def test_petition_steps_and_documents(w, login, provincial_staff):
    petition = _made(Petition, w)
    client = login(provincial_staff)
    with written() as rows:
        client.post(f"/petitions/{petition.pk}/step/", {"to": "classified", "on": DAY})
    assert _last(rows, petition, "~").status == "classified"
    _all_by(rows, provincial_staff)
    with written() as rows:
        response = _api_client(provincial_staff).post(
            f"/api/v1/petitions/{petition.pk}/step/",
            {"to": "accepted"},
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    assert _last(rows, petition, "~").status == "accepted"
    _all_by(rows, provincial_staff)
    with written() as rows:
        client.post(
            f"/petitions/{petition.pk}/documents/",
            {"title": "Quyết định thụ lý", "file": SimpleUploadedFile("qd.pdf", PDF)},
        )
    _last(rows, PetitionDocument.objects.get(petition=petition), "+")
    _all_by(rows, provincial_staff)


def _sheet(rows: list[list]) -> bytes:
    book = Workbook()
    header = ["Mã địa bàn", "Tên đơn vị", "Loại hình", "Đã ban hành quy chế"]
    book.active.append([*header, "Ngày ban hành quy chế"])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_member_unit_import_writes_history_in_bulk(w, login, provincial_staff):
    client = login(provincial_staff)
    sheet = [["193", "Công ty Than Hà Lầm", "Doanh nghiệp", "Không", None]]
    with written() as rows:
        response = client.post(
            "/units/import/", {"file": SimpleUploadedFile("u.xlsx", _sheet(sheet))}
        )
    assert response.status_code == 302
    unit = MemberUnit.objects.get(name="Công ty Than Hà Lầm")
    _last(rows, unit, "+")
    _all_by(rows, provincial_staff)
    sheet[0][3:] = ["Có", "01/06/2023"]
    with written() as rows:
        client.post("/units/import/", {"file": SimpleUploadedFile("u.xlsx", _sheet(sheet))})
    assert _last(rows, unit, "~").regulation_issued is True
    _all_by(rows, provincial_staff)


def _report_form(report: AnnualReport, **changes) -> dict:
    data = {"version": report.version, **REPORT_SECTIONS, "results": "Kết quả tốt"}
    for v in report.values.select_related("indicator"):
        code = v.indicator.code
        number = "" if v.value is None else v.value
        data[f"v_{code}"] = v.text if v.indicator.aggregation == "text" else number
        data[f"r_{code}"] = v.correction_reason
    return data | changes


def test_the_annual_report_cycle(w, login, secretariat_a, provincial_staff):
    client, reviewer = login(secretariat_a), login(provincial_staff)
    period = w.period
    with written() as rows:
        response = client.post(f"/reports/periods/{period.pk}/areas/{w.district.pk}/open/")
    report = AnnualReport.objects.get(area=w.district)
    assert response.status_code == 302
    _last(rows, report, "+")
    values = _rows_of_type(rows, ReportValue, "+")
    assert values and len(values) == report.values.count()  # created in bulk, with history
    _all_by(rows, secretariat_a)
    with written() as rows:
        response = client.post(
            f"/reports/{report.pk}/edit/",
            _report_form(report, v_village_conventions="12", r_village_conventions="Theo sổ"),
        )
    assert response.status_code == 302
    assert _last(rows, report, "~").results == "Kết quả tốt"
    assert len(_rows_of_type(rows, AnnualReport, "~")) == 1  # one save, one row
    assert _last(rows, report.values.get(indicator__code="village_conventions"), "~").value == 12
    _all_by(rows, secretariat_a)
    with written() as rows:
        stale = client.post(f"/reports/{report.pk}/edit/", _report_form(report, version=1))
    assert 'data-testid="conflict"' in stale.text
    assert rows == []  # a refused save writes nothing
    with written() as rows:
        client.post(f"/reports/{report.pk}/step/", {"to": "submitted"})
    assert _last(rows, report, "~").status == "submitted"
    _all_by(rows, secretariat_a)
    with written() as rows:
        reviewer.post(f"/reports/{report.pk}/step/", {"to": "accepted"})
    assert _last(rows, report, "~").status == "accepted"
    _all_by(rows, provincial_staff)


def test_periods_exceptions_and_the_summary_on_their_pages(w, login, provincial_staff):
    client = login(provincial_staff)
    dates = {"opens_on": "2023-11-15", "due_on": "2023-12-15"}
    with written() as rows:
        response = client.post(
            "/reports/periods/new/", {"province": w.province.pk, "year": 2023, **dates}
        )
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(year=2023)
    _last(rows, period, "+")
    _all_by(rows, provincial_staff)
    with written() as rows:
        client.post(f"/reports/periods/{period.pk}/edit/", {**dates, "due_on": "2023-12-20"})
    assert _last(rows, period, "~").due_on == datetime.date(2023, 12, 20)
    _all_by(rows, provincial_staff)
    with written() as rows:
        client.post(
            f"/reports/periods/{period.pk}/exceptions/",
            {"area": w.district.pk, "until": "2099-01-01", "reason": "Mất điện"},
        )
    _last(rows, FilingException.objects.get(period=period), "+")
    _all_by(rows, provincial_staff)
    with written() as rows:
        response = client.post(
            f"/reports/periods/{period.pk}/summary/edit/",
            {"version": 1, "number": "125-BC/BCĐ", "issued_on": "2023-12-19", "results": "Tốt"},
        )
    assert response.status_code == 302
    summary = SummaryReport.objects.get(period=period)
    assert [r.history_type for r in _rows_of(rows, summary)] == ["+", "~"]
    assert _last(rows, summary, "~").results == "Tốt"
    _all_by(rows, provincial_staff)


def test_loading_the_areas_writes_history_for_new_and_changed_areas(no_areas):
    with written() as rows:
        areas_load(structures=Structure.values, province=PROVINCE, progress=lambda _m: None)
    assert len(_rows_of_type(rows, Area, "+")) > 100
    created = set(Area.history.filter(history_type="+").values_list("id", flat=True))
    assert created == set(Area.objects.values_list("pk", flat=True))
    changed = Area.objects.get(structure=Structure.LEGACY, code=DISTRICT_A)
    changed.name = "Sai tên"
    changed.save()
    with written() as rows:
        areas_load(structures=[Structure.LEGACY], province=PROVINCE, progress=lambda _m: None)
    assert _last(rows, changed, "~").name == "Thành phố Hạ Long"


# --- the portal's own code ------------------------------------------------------------------

PRODUCT = ["committees", "inspections", "reports", "qcdc_portal"]
SQL_WRITES = ("INSERT", "UPDATE", "DELETE", "COPY", "TRUNCATE")


def _product_files() -> Iterator[Path]:
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts and path.name != "history.py":
                yield path


def test_the_portal_code_never_writes_around_the_history():
    """``untracked_writes`` is for tests; simple_history's bulk helpers are used through
    ``committees.platform.history`` (which allows their bulk writes); no raw SQL writes."""
    offences = []
    for path in _product_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Name | ast.Attribute | ast.alias):
                name = getattr(node, "id", None) or getattr(node, "attr", None) or node.name
                if name == "untracked_writes":
                    offences.append(f"{where} untracked_writes")
            if isinstance(node, ast.ImportFrom) and node.module == "simple_history.utils":
                offences.append(f"{where} imports simple_history.utils")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("execute", "executemany", "raw")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and str(node.args[0].value).lstrip().upper().startswith(SQL_WRITES)
            ):
                offences.append(f"{where} raw SQL write")
    assert offences == []
