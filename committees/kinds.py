"""The kinds of record of the committees app, as the generic pages see them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .filters import DocumentFilter, MemberUnitFilter, TrainingFilter
from .models import Document, MemberUnit, Training
from .records import Column, RecordKind, ScopedModelForm
from .uploads import checked_extension, stored_name

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
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            extension = checked_extension(upload)
            self.instance.original_name = upload.name[:255]
            upload.name = stored_name(extension)
        return upload


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
