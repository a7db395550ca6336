"""The kinds of record of the committees app, as the generic pages see them: each
declares its model, form, FilterSet, columns and URL names (``platform.records``)."""

import datetime

from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from .filters import (
    CommendationFilter,
    CommitteeFilter,
    DemocracyActivityFilter,
    DocumentFilter,
    MemberUnitFilter,
    PlanFilter,
    TaskFilter,
    TrainingFilter,
    TypicalModelFilter,
    UnitEventFilter,
    VillageConventionFilter,
)
from .forms import (
    CommendationForm,
    CommitteeForm,
    DemocracyActivityForm,
    DocumentForm,
    MemberUnitForm,
    PlanForm,
    TaskForm,
    TrainingForm,
    TypicalModelForm,
    UnitEventForm,
    VillageConventionForm,
)
from .models import (
    AnnualPlan,
    Commendation,
    DemocracyActivity,
    Document,
    Membership,
    MemberUnit,
    PlanTask,
    SteeringCommittee,
    Training,
    TypicalModel,
    UnitEvent,
    UnitEventKind,
    VillageConvention,
)
from .platform.percent import Percent
from .platform.records import Column, RecordKind

TRAINING = RecordKind(
    model=Training,
    form_class=TrainingForm,
    filterset_class=TrainingFilter,
    url_prefix="committees:training",
    title=_("Tập huấn, tuyên truyền"),
    default_sort="-held_on",
    columns=[
        Column(_("Ngày"), lambda t: t.held_on, sort="held_on"),
        Column(_("Nội dung"), lambda t: t.title, sort="title", link=True),
        Column(_("Hình thức"), lambda t: t.get_kind_display(), sort="kind", wide_only=True),
        Column(_("Đơn vị tổ chức"), lambda t: t.area.name, sort="area__name"),
        Column(_("Lượt người"), lambda t: t.attendances, sort="attendances"),
        Column(_("Tham luận"), lambda t: t.papers, sort="papers", wide_only=True),
    ],
    detail_fields=[
        "kind",
        "title",
        "held_on",
        "area",
        "audience",
        "attendances",
        "papers",
        "notes",
    ],
)


def _latest_events(units):
    """Each unit's latest conference and dialogue, for the list and its export."""

    def latest(kind: str) -> Subquery:
        events = UnitEvent.objects.filter(unit=OuterRef("pk"), kind=kind).order_by("-held_on")
        return Subquery(events.values("held_on")[:1])

    return units.annotate(
        last_conference=latest(UnitEventKind.CONFERENCE),
        last_dialogue=latest(UnitEventKind.DIALOGUE),
    )


def _unit_events(unit: MemberUnit, request) -> dict:
    return {"events": list(unit.events.order_by("-held_on", "-id"))}


# The list's export is the sheet the import reads back (see committees/services/units.py):
# its headers are the import's columns; the latest conference and dialogue read back as
# events (added when the unit has none of that kind on that day).
MEMBER_UNIT = RecordKind(
    model=MemberUnit,
    form_class=MemberUnitForm,
    filterset_class=MemberUnitFilter,
    url_prefix="committees:memberunit",
    import_url_name="committees:memberunit_import",
    title=_("Đơn vị thực hiện QCDC"),
    default_sort="area__path",
    annotate=_latest_events,
    columns=[
        Column(_("Mã địa bàn"), lambda u: u.area.code, sort="area__path", wide_only=True),
        Column(_("Địa bàn"), lambda u: u.area.name),
        Column(_("Tên đơn vị"), lambda u: u.name, sort="name", link=True),
        Column(_("Loại hình"), lambda u: u.get_kind_display(), sort="kind", wide_only=True),
        Column(_("Đã ban hành quy chế"), lambda u: u.regulation_issued, sort="regulation_issued"),
        Column(
            _("Ngày ban hành quy chế"),
            lambda u: u.regulation_date,
            sort="regulation_date",
            wide_only=True,
        ),
        Column(
            _("Hội nghị CBCC, NLĐ"),
            lambda u: u.last_conference,
            sort="last_conference",
            wide_only=True,
        ),
        Column(
            _("Đối thoại tại nơi làm việc"),
            lambda u: u.last_dialogue,
            sort="last_dialogue",
            wide_only=True,
        ),
        Column(_("Ngày thành lập"), lambda u: u.established_on, wide_only=True),
        Column(_("Ngày giải thể, sáp nhập"), lambda u: u.dissolved_on, wide_only=True),
    ],
    detail_fields=[
        "area",
        "kind",
        "name",
        "established_on",
        "dissolved_on",
        "regulation_issued",
        "regulation_date",
        "notes",
    ],
    detail_template="committees/memberunit_detail.html",
    detail_context=_unit_events,
)


UNIT_EVENT = RecordKind(
    model=UnitEvent,
    form_class=UnitEventForm,
    filterset_class=UnitEventFilter,
    url_prefix="committees:unitevent",
    title=_("Hội nghị, đối thoại của đơn vị"),
    select_related=("unit__area",),
    default_sort="-held_on",
    columns=[
        Column(_("Ngày tổ chức"), lambda e: e.held_on, sort="held_on"),
        Column(_("Loại sự kiện"), lambda e: e.get_kind_display(), sort="kind", link=True),
        Column(_("Đơn vị"), lambda e: e.unit.name, sort="unit__name"),
        Column(_("Địa bàn"), lambda e: e.unit.area.name, sort="unit__area__path", wide_only=True),
        Column(_("Số người tham dự"), lambda e: e.participants, sort="participants"),
        Column(_("Nội dung, kết quả"), lambda e: e.notes, wide_only=True),
    ],
    detail_fields=["unit", "kind", "held_on", "participants", "notes"],
)


DEMOCRACY_ACTIVITY = RecordKind(
    model=DemocracyActivity,
    form_class=DemocracyActivityForm,
    filterset_class=DemocracyActivityFilter,
    url_prefix="committees:democracyactivity",
    title=_("Thực hiện dân chủ ở xã, phường"),
    default_sort="-held_on",
    columns=[
        Column(_("Ngày"), lambda a: a.held_on, sort="held_on"),
        Column(_("Nội dung"), lambda a: a.subject, sort="subject", link=True),
        Column(_("Hình thức"), lambda a: a.get_kind_display(), sort="kind"),
        Column(_("Xã, phường"), lambda a: a.area.name, sort="area__path"),
        Column(_("Thôn, tổ dân phố"), lambda a: a.village, sort="village", wide_only=True),
        # Two columns: the export keeps the number a number.
        Column(_("Số tham gia"), lambda a: a.participants, sort="participants"),
        Column(_("Tính theo"), lambda a: a.get_counted_as_display()),
        Column(_("Kết quả"), lambda a: a.outcome, wide_only=True),
    ],
    detail_fields=[
        "area",
        "kind",
        "subject",
        "held_on",
        "village",
        "method",
        "supervisor",
        "participants",
        "counted_as",
        "outcome",
    ],
)


VILLAGE_CONVENTION = RecordKind(
    model=VillageConvention,
    form_class=VillageConventionForm,
    filterset_class=VillageConventionFilter,
    url_prefix="committees:villageconvention",
    title=_("Hương ước, quy ước"),
    default_sort="-recognised_on",
    columns=[
        Column(_("Ngày công nhận"), lambda c: c.recognised_on, sort="recognised_on"),
        Column(_("Tên"), lambda c: c.name, sort="name", link=True),
        Column(_("Thôn, tổ dân phố"), lambda c: c.village, sort="village"),
        Column(_("Loại"), lambda c: c.get_kind_display(), sort="kind", wide_only=True),
        Column(_("Xã, phường"), lambda c: c.area.name, sort="area__path"),
        Column(_("Số quyết định"), lambda c: c.decision_number, wide_only=True),
        Column(_("Cấp công nhận"), lambda c: c.recognised_by, wide_only=True),
    ],
    detail_fields=[
        "area",
        "village",
        "kind",
        "name",
        "decision_number",
        "recognised_on",
        "recognised_by",
        "notes",
    ],
)


DOCUMENT = RecordKind(
    model=Document,
    form_class=DocumentForm,
    filterset_class=DocumentFilter,
    url_prefix="committees:document",
    title=_("Văn bản lãnh đạo, chỉ đạo"),
    default_sort="-issued_on",
    columns=[
        Column(_("Số, ký hiệu"), lambda d: d.number, sort="number", link=True),
        Column(_("Ngày ban hành"), lambda d: d.issued_on, sort="issued_on"),
        Column(_("Loại văn bản"), lambda d: d.get_kind_display(), sort="kind", wide_only=True),
        Column(_("Cơ quan ban hành"), lambda d: d.issuer, sort="issuer", wide_only=True),
        Column(_("Trích yếu"), lambda d: d.summary),
        Column(_("Địa bàn"), lambda d: d.area.name, sort="area__path", wide_only=True),
    ],
    detail_fields=["kind", "number", "issued_on", "issuer", "area", "summary", "original_name"],
)


def _committee_columns(committees):
    today = datetime.date.today()
    sitting = (
        Membership.objects.filter(committee=OuterRef("pk"))
        .on(today)
        .order_by()
        .values("committee")
        .annotate(n=Count("id"))
        .values("n")
    )
    return committees.with_latest_decision().annotate(members_now=Subquery(sitting))


COMMITTEE = RecordKind(
    model=SteeringCommittee,
    form_class=CommitteeForm,
    filterset_class=CommitteeFilter,
    url_prefix="committees:committee",
    title=_("Ban chỉ đạo"),
    default_sort="area__path",
    annotate=_committee_columns,
    columns=[
        Column(_("Địa bàn"), lambda c: c.area.name, sort="area__path"),
        Column(_("Tên ban chỉ đạo"), lambda c: c.name, sort="name", link=True),
        Column(_("Quyết định gần nhất"), lambda c: c.latest_number, wide_only=True),
        Column(_("Ngày ký"), lambda c: c.latest_signed_on, sort="latest_signed_on"),
        Column(_("Thành viên đương nhiệm"), lambda c: c.members_now or 0, wide_only=True),
        Column(_("Đang hoạt động"), lambda c: c.is_active, sort="is_active", wide_only=True),
    ],
)


def _percent(value: float | None) -> Percent | None:
    return None if value is None else Percent(value)


def _plan_tasks(plan: AnnualPlan, request) -> dict:
    tasks = list(plan.tasks.all())
    return {"tasks": tasks, "progress": plan.tasks.progress()}


PLAN = RecordKind(
    model=AnnualPlan,
    form_class=PlanForm,
    filterset_class=PlanFilter,
    url_prefix="committees:plan",
    title=_("Kế hoạch năm"),
    default_sort="-year",
    annotate=lambda plans: plans.with_progress(),
    columns=[
        Column(_("Năm"), lambda p: str(p.year), sort="year"),
        Column(_("Số, ký hiệu"), lambda p: p.number, sort="number", wide_only=True),
        Column(_("Tên kế hoạch"), lambda p: p.title, sort="title", link=True),
        Column(_("Địa bàn"), lambda p: p.area.name, sort="area__path", wide_only=True),
        Column(_("Nhiệm vụ"), lambda p: p.task_count, sort="task_count", wide_only=True),
        Column(_("Hoàn thành"), lambda p: _percent(p.completion)),
        Column(_("Quá hạn"), lambda p: p.overdue_count, sort="overdue_count"),
    ],
    detail_fields=["area", "year", "number", "title", "issued_on", "notes"],
    detail_template="committees/plan_detail.html",
    detail_context=_plan_tasks,
)


def _task_status(task: PlanTask) -> str:
    if task.is_overdue:
        return _("%(status)s — quá hạn %(days)s ngày") % {
            "status": task.get_status_display(),
            "days": task.days_overdue,
        }
    return task.get_status_display()


TASK = RecordKind(
    model=PlanTask,
    form_class=TaskForm,
    filterset_class=TaskFilter,
    url_prefix="committees:task",
    title=_("Nhiệm vụ trong kế hoạch"),
    select_related=("plan__area",),
    default_sort="deadline",
    row_class=lambda t: "table-danger" if t.is_overdue else "",
    columns=[
        Column(_("Thời hạn"), lambda t: t.deadline, sort="deadline"),
        Column(_("Nhiệm vụ"), lambda t: t.title, sort="title", link=True),
        Column(_("Cơ quan chủ trì"), lambda t: t.responsible, sort="responsible", wide_only=True),
        Column(_("Trạng thái"), _task_status, sort="status"),
        Column(_("Kế hoạch"), lambda t: t.plan.number, sort="plan__number", wide_only=True),
        Column(_("Địa bàn"), lambda t: t.plan.area.name, sort="plan__area__path", wide_only=True),
    ],
    detail_fields=[
        "plan",
        "title",
        "responsible",
        "deadline",
        "status",
        "completed_on",
        "progress_note",
    ],
)


def _typical_model_extra(model: TypicalModel, request) -> dict:
    return {
        "units": model.units.select_related("area").order_by("area__path", "name"),
        "commendations": model.commendations.order_by("-awarded_on"),
    }


TYPICAL_MODEL = RecordKind(
    model=TypicalModel,
    form_class=TypicalModelForm,
    filterset_class=TypicalModelFilter,
    url_prefix="committees:typicalmodel",
    title=_("Mô hình điển hình"),
    default_sort="-recognised_on",
    annotate=lambda models_: models_.annotate(unit_count=Count("units")),
    columns=[
        Column(_("Ngày công nhận"), lambda m: m.recognised_on, sort="recognised_on"),
        Column(_("Tên mô hình"), lambda m: m.name, sort="name", link=True),
        Column(_("Lĩnh vực"), lambda m: m.get_field_display(), sort="field", wide_only=True),
        Column(_("Đơn vị áp dụng"), lambda m: m.unit_count, sort="unit_count"),
        Column(_("Địa bàn"), lambda m: m.area.name, sort="area__path", wide_only=True),
    ],
    detail_fields=["area", "name", "field", "recognised_on", "recognised_by", "description"],
    detail_template="committees/typicalmodel_detail.html",
    detail_context=_typical_model_extra,
)


COMMENDATION = RecordKind(
    model=Commendation,
    form_class=CommendationForm,
    filterset_class=CommendationFilter,
    url_prefix="committees:commendation",
    title=_("Khen thưởng"),
    default_sort="-awarded_on",
    columns=[
        Column(_("Ngày quyết định"), lambda c: c.awarded_on, sort="awarded_on"),
        Column(_("Tập thể, cá nhân"), lambda c: c.recipient, sort="recipient", link=True),
        Column(_("Đối tượng"), lambda c: c.get_recipient_kind_display(), wide_only=True),
        Column(_("Hình thức"), lambda c: c.get_award_display(), sort="award"),
        Column(_("Cấp khen"), lambda c: c.awarded_by, sort="awarded_by", wide_only=True),
        Column(_("Số quyết định"), lambda c: c.decision_number, wide_only=True),
        Column(_("Địa bàn"), lambda c: c.area.name, sort="area__path", wide_only=True),
    ],
    detail_fields=[
        "area",
        "recipient",
        "recipient_kind",
        "award",
        "decision_number",
        "awarded_on",
        "awarded_by",
        "achievement",
        "typical_model",
    ],
)
