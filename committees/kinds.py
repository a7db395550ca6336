"""The kinds of record of the committees app, as the generic pages see them."""

import datetime

from django import forms
from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from .filters import CommitteeFilter, DocumentFilter, MemberUnitFilter, TrainingFilter
from .models import CommitteeDecision, Document, Membership, MemberUnit, SteeringCommittee, Training
from .records import Column, RecordKind, ScopedModelForm
from .uploads import accept_upload

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TrainingForm(ScopedModelForm):
    class Meta:
        model = Training
        fields = ["area", "kind", "title", "held_on", "audience", "attendances", "papers", "notes"]
        widgets = {
            "held_on": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "attendances": {"min_value": _("Số lượt người tham dự không được là số âm.")},
            "papers": {"min_value": _("Số tham luận không được là số âm.")},
        }


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


class MemberUnitForm(ScopedModelForm):
    class Meta:
        model = MemberUnit
        fields = [
            "area",
            "kind",
            "name",
            "regulation_issued",
            "regulation_date",
            "conference_held_on",
            "dialogue_held_on",
            "notes",
        ]
        widgets = {
            "regulation_date": DATE_WIDGET,
            "conference_held_on": DATE_WIDGET,
            "dialogue_held_on": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


# The list's columns are also the import format: an exported sheet can be edited and
# imported back (see committees/imports.py).
MEMBER_UNIT = RecordKind(
    model=MemberUnit,
    form_class=MemberUnitForm,
    filterset_class=MemberUnitFilter,
    url_prefix="committees:memberunit",
    import_url_name="committees:memberunit_import",
    title=_("Đơn vị thực hiện QCDC"),
    default_sort="area__path",
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
        Column(_("Hội nghị CBCC, NLĐ"), lambda u: u.conference_held_on, wide_only=True),
        Column(_("Đối thoại tại nơi làm việc"), lambda u: u.dialogue_held_on, wide_only=True),
    ],
    detail_fields=[
        "area",
        "kind",
        "name",
        "regulation_issued",
        "regulation_date",
        "conference_held_on",
        "dialogue_held_on",
        "notes",
    ],
)


class DocumentForm(ScopedModelForm):
    class Meta:
        model = Document
        fields = ["area", "kind", "number", "issued_on", "issuer", "summary", "file"]
        widgets = {"issued_on": DATE_WIDGET, "summary": forms.Textarea(attrs={"rows": 3})}

    def clean_file(self):
        return accept_upload(self.cleaned_data.get("file"), self.instance)


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


class CommitteeForm(ScopedModelForm):
    """A committee's own details; its members change only by a decision."""

    class Meta:
        model = SteeringCommittee
        fields = ["name", "standing_body", "regulation", "is_active"]


def _committee_columns(committees):
    today = datetime.date.today()
    latest = CommitteeDecision.objects.filter(committee=OuterRef("pk")).order_by("-signed_on")
    sitting = (
        Membership.objects.filter(committee=OuterRef("pk"))
        .on(today)
        .order_by()
        .values("committee")
        .annotate(n=Count("id"))
        .values("n")
    )
    return committees.annotate(
        latest_number=Subquery(latest.values("number")[:1]),
        latest_signed_on=Subquery(latest.values("signed_on")[:1]),
        members_now=Subquery(sitting),
    )


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
