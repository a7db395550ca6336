"""The kinds of record of the committees app, as the generic pages see them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .filters import MemberUnitFilter, TrainingFilter
from .models import MemberUnit, Training
from .records import Column, RecordKind, ScopedModelForm

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
        Column(_("Hình thức"), lambda t: t.get_kind_display(), sort="kind"),
        Column(_("Đơn vị tổ chức"), lambda t: t.area.name, sort="area__name"),
        Column(_("Lượt người"), lambda t: t.attendances, sort="attendances"),
        Column(_("Tham luận"), lambda t: t.papers, sort="papers"),
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
        Column(_("Mã địa bàn"), lambda u: u.area.code, sort="area__path"),
        Column(_("Địa bàn"), lambda u: u.area.name),
        Column(_("Tên đơn vị"), lambda u: u.name, sort="name", link=True),
        Column(_("Loại hình"), lambda u: u.get_kind_display(), sort="kind"),
        Column(_("Đã ban hành quy chế"), lambda u: u.regulation_issued, sort="regulation_issued"),
        Column(_("Ngày ban hành quy chế"), lambda u: u.regulation_date, sort="regulation_date"),
        Column(_("Hội nghị CBCC, NLĐ"), lambda u: u.conference_held_on),
        Column(_("Đối thoại tại nơi làm việc"), lambda u: u.dialogue_held_on),
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
