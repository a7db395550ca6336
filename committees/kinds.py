"""The kinds of record of the committees app, as the generic pages see them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .filters import TrainingFilter
from .models import Training
from .records import Column, RecordKind, ScopedModelForm


class TrainingForm(ScopedModelForm):
    class Meta:
        model = Training
        fields = ["area", "kind", "title", "held_on", "audience", "attendances", "papers", "notes"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
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
