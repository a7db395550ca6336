"""The kinds of record of the inspections app, as the generic pages see them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from committees.platform.records import Column, RecordKind, ScopedModelForm
from committees.platform.widgets import DATE_WIDGET

from . import deadlines
from .filters import DialogueFilter, InspectionFilter, PetitionFilter, ReceptionFilter
from .models import Dialogue, Inspection, Outcome, Petition, ReceptionSession, Round, Status
from .services import (
    IDENTITY_FIELDS,
    allowed_steps,
    identity,
    masked_name,
    may_extend_verification,
    may_see_identity,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3})
NEGATIVE = _("Số liệu không được là số âm.")


# The fields a user fills in, in the order of the form, the detail page and the API.
INSPECTION_FIELDS = [
    "area",
    "kind",
    "form",
    "held_on",
    "conducted_by",
    "subject",
    "party_organisations",
    "party_members",
    "findings",
    "violations",
    "recommendations",
    "follow_up",
]


class InspectionForm(ScopedModelForm):
    class Meta:
        model = Inspection
        fields = INSPECTION_FIELDS
        widgets = {
            "held_on": DATE_WIDGET,
            "findings": TEXTAREA,
            "recommendations": TEXTAREA,
        }
        error_messages = {
            name: {"min_value": NEGATIVE}
            for name in ("party_organisations", "party_members", "violations")
        }


INSPECTION = RecordKind(
    model=Inspection,
    form_class=InspectionForm,
    filterset_class=InspectionFilter,
    url_prefix="inspections:inspection",
    title=_("Kiểm tra, giám sát"),
    default_sort="-held_on",
    columns=[
        Column(_("Ngày"), lambda i: i.held_on, sort="held_on"),
        Column(_("Loại"), lambda i: i.get_kind_display(), sort="kind"),
        Column(_("Nội dung"), lambda i: i.subject, sort="subject", link=True),
        Column(_("Hình thức"), lambda i: i.get_form_display(), sort="form", wide_only=True),
        Column(_("Tổ chức đảng"), lambda i: i.party_organisations, sort="party_organisations"),
        Column(_("Đảng viên"), lambda i: i.party_members, sort="party_members"),
        Column(_("Vi phạm"), lambda i: i.violations, sort="violations", wide_only=True),
        Column(_("Địa bàn"), lambda i: i.area.name, sort="area__path", wide_only=True),
    ],
    detail_fields=INSPECTION_FIELDS,
)


RECEPTION_FIELDS = ["area", "held_on", "kind", "leader", "citizens", "delegations", "notes"]


class ReceptionForm(ScopedModelForm):
    class Meta:
        model = ReceptionSession
        fields = RECEPTION_FIELDS
        widgets = {"held_on": DATE_WIDGET, "notes": TEXTAREA}
        error_messages = {n: {"min_value": NEGATIVE} for n in ("citizens", "delegations")}


def _linked_petitions(record, request) -> dict:
    petitions = record.petitions.visible_to(request.user).order_by("-received_on")
    return {"petitions": [(p, masked_name(p)) for p in petitions]}


RECEPTION = RecordKind(
    model=ReceptionSession,
    form_class=ReceptionForm,
    filterset_class=ReceptionFilter,
    url_prefix="inspections:reception",
    title=_("Tiếp công dân"),
    default_sort="-held_on",
    columns=[
        Column(_("Ngày tiếp"), lambda r: r.held_on, sort="held_on", link=True),
        Column(_("Hình thức"), lambda r: r.get_kind_display(), sort="kind"),
        Column(_("Lãnh đạo tiếp"), lambda r: r.leader, sort="leader", wide_only=True),
        Column(_("Lượt công dân"), lambda r: r.citizens, sort="citizens"),
        Column(_("Đoàn đông người"), lambda r: r.delegations, sort="delegations"),
        Column(_("Địa bàn"), lambda r: r.area.name, sort="area__path", wide_only=True),
    ],
    detail_fields=RECEPTION_FIELDS,
    detail_template="inspections/linked_petitions_detail.html",
    detail_context=_linked_petitions,
)


DIALOGUE_FIELDS = [
    "area",
    "held_on",
    "kind",
    "leader",
    "participants",
    "issues_raised",
    "issues_resolved",
    "notes",
]


class DialogueForm(ScopedModelForm):
    class Meta:
        model = Dialogue
        fields = DIALOGUE_FIELDS
        widgets = {"held_on": DATE_WIDGET, "notes": TEXTAREA}
        error_messages = {
            n: {"min_value": NEGATIVE} for n in ("participants", "issues_raised", "issues_resolved")
        }


DIALOGUE = RecordKind(
    model=Dialogue,
    form_class=DialogueForm,
    filterset_class=DialogueFilter,
    url_prefix="inspections:dialogue",
    title=_("Đối thoại"),
    default_sort="-held_on",
    columns=[
        Column(_("Ngày"), lambda d: d.held_on, sort="held_on", link=True),
        Column(_("Đối tượng"), lambda d: d.get_kind_display(), sort="kind"),
        Column(_("Lãnh đạo chủ trì"), lambda d: d.leader, sort="leader", wide_only=True),
        Column(_("Người tham dự"), lambda d: d.participants, sort="participants"),
        Column(_("Ý kiến"), lambda d: d.issues_raised, sort="issues_raised"),
        Column(_("Đã giải quyết"), lambda d: d.issues_resolved, sort="issues_resolved"),
        Column(_("Địa bàn"), lambda d: d.area.name, sort="area__path", wide_only=True),
    ],
    detail_fields=DIALOGUE_FIELDS,
    detail_template="inspections/linked_petitions_detail.html",
    detail_context=_linked_petitions,
)


class PetitionForm(ScopedModelForm):
    """Registering or correcting a petition. A denouncer's identity, once saved, is
    neither shown nor changed here unless the user is a petition officer in scope."""

    class Meta:
        model = Petition
        fields = [
            "area",
            "kind",
            "round",
            "received_on",
            "channel",
            "field",
            "is_crowd",
            "petitioner_name",
            "petitioner_address",
            "petitioner_contact",
            "subject",
            "concerned",
            "handling_body",
            "complexity",
            "remote_area",
            "reception",
            "dialogue",
        ]
        widgets = {"received_on": DATE_WIDGET, "subject": TEXTAREA}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        visible = {
            "reception": ReceptionSession.objects.visible_to(self.user).order_by("-held_on"),
            "dialogue": Dialogue.objects.visible_to(self.user).order_by("-held_on"),
        }
        for name, queryset in visible.items():
            self.fields[name].queryset = queryset
        petition = self.instance
        if petition.pk and not may_see_identity(petition, self.user):
            for name in IDENTITY_FIELDS:
                del self.fields[name]
        elif petition.pk and petition.is_protected:
            identity(petition, self.user, channel="edit")  # shown in the form: logged
        # A form that does not send it (most petitions are first complaints) keeps the first.
        self.fields["round"].required = False

    def clean_round(self) -> str:
        return self.cleaned_data.get("round") or Round.FIRST


def _petition_context(petition: Petition, request) -> dict:
    steps = allowed_steps(petition)
    return {
        "identity": identity(petition, request.user, channel="page"),
        "deadlines": deadlines.deadlines(petition),
        "events": petition.events.select_related("actor"),
        "documents": petition.documents.all(),
        "steps": steps,
        "step_choices": [(step, Status(step).label) for step in steps],
        "outcome_choices": Outcome.choices,
        "can_extend": deadlines.can_extend(petition.kind, petition.complexity, petition.extensions)
        and petition.status in ("accepted", "being_resolved"),
        "can_verify": may_extend_verification(petition),
        "max_verification_days": deadlines.MAX_VERIFICATION_DAYS,
    }


PETITION = RecordKind(
    model=Petition,
    form_class=PetitionForm,
    filterset_class=PetitionFilter,
    url_prefix="inspections:petition",
    title=_("Đơn thư"),
    default_sort="-received_on",
    row_class=lambda p: "table-danger" if p.is_overdue else "",
    columns=[
        Column(_("Ngày nhận"), lambda p: p.received_on, sort="received_on"),
        Column(_("Loại đơn"), lambda p: p.get_kind_display(), sort="kind"),
        Column(_("Người gửi"), masked_name, wide_only=True),
        Column(_("Nội dung"), lambda p: p.subject[:120], link=True),
        Column(_("Lĩnh vực"), lambda p: p.get_field_display(), sort="field", wide_only=True),
        Column(_("Trạng thái"), lambda p: p.get_status_display(), sort="status"),
        Column(_("Hạn xử lý"), lambda p: p.due_on),
        Column(_("Địa bàn"), lambda p: p.area.name, sort="area__path", wide_only=True),
    ],
    detail_fields=[
        "area",
        "kind",
        "round",
        "received_on",
        "channel",
        "field",
        "is_crowd",
        "subject",
        "concerned",
        "handling_body",
        "complexity",
        "remote_area",
        "status",
        "accepted_on",
        "resolved_on",
        "settled_on",
        "outcome",
        "extensions",
        "verification_days",
        "reception",
        "dialogue",
    ],
    detail_template="inspections/petition_detail.html",
    detail_context=_petition_context,
)
