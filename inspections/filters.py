"""FilterSets of the inspections app, shared by the pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from committees.platform.filters import AreaSubtreeFilterSet, YearFilter, YesNoFilter

from .models import (
    Channel,
    Dialogue,
    DialogueKind,
    Inspection,
    InspectionForm,
    InspectionKind,
    Petition,
    PetitionField,
    PetitionKind,
    ReceptionSession,
    SessionKind,
    Status,
)


def _choice(choices, label):
    return django_filters.ChoiceFilter(choices=choices, label=label, empty_label=_("Tất cả"))


class InspectionFilter(AreaSubtreeFilterSet):
    year = YearFilter("held_on__year")
    kind = _choice(InspectionKind.choices, _("Loại"))
    form = _choice(InspectionForm.choices, _("Hình thức"))
    q = django_filters.CharFilter(
        field_name="subject", lookup_expr="icontains", label=_("Nội dung")
    )

    class Meta:
        model = Inspection
        fields = ["year", "kind", "form", "area", "q"]


class ReceptionFilter(AreaSubtreeFilterSet):
    year = YearFilter("held_on__year")
    kind = _choice(SessionKind.choices, _("Hình thức"))
    q = django_filters.CharFilter(field_name="leader", lookup_expr="icontains", label=_("Lãnh đạo"))

    class Meta:
        model = ReceptionSession
        fields = ["year", "kind", "area", "q"]


class DialogueFilter(AreaSubtreeFilterSet):
    year = YearFilter("held_on__year")
    kind = _choice(DialogueKind.choices, _("Đối tượng"))
    q = django_filters.CharFilter(field_name="leader", lookup_expr="icontains", label=_("Lãnh đạo"))

    class Meta:
        model = Dialogue
        fields = ["year", "kind", "area", "q"]


STATE_CHOICES = [
    ("open", _("Đang xử lý")),
    ("overdue", _("Quá hạn")),
    ("due_soon", _("Quá hạn hoặc còn dưới 3 ngày làm việc")),
    ("backlog", _("Tồn đọng")),
    ("prolonged", _("Phức tạp, kéo dài")),
]


class PetitionFilter(AreaSubtreeFilterSet):
    """Petitions by year received, kind, field, channel, status, state (overdue, backlog),
    crowd case, area (and its subtree) and text. The petitioner is not searchable: a
    denouncer's name must not be found by guessing it."""

    year = YearFilter("received_on__year")
    kind = _choice(PetitionKind.choices, _("Loại đơn"))
    field = _choice(PetitionField.choices, _("Lĩnh vực"))
    channel = _choice(Channel.choices, _("Nguồn đơn"))
    status = _choice(Status.choices, _("Trạng thái"))
    state = django_filters.ChoiceFilter(
        choices=STATE_CHOICES, method="filter_state", label=_("Tình trạng"), empty_label=_("Tất cả")
    )
    is_crowd = YesNoFilter(
        label=_("Đông người"),
        widget=forms.Select(choices=[("", _("Tất cả")), ("true", _("Có")), ("false", _("Không"))]),
    )
    q = django_filters.CharFilter(method="filter_q", label=_("Nội dung, cơ quan"))

    class Meta:
        model = Petition
        fields = ["year", "kind", "field", "channel", "status", "state", "is_crowd", "area", "q"]

    def filter_state(self, queryset, name, value):
        return {
            "open": queryset.open,
            "overdue": queryset.overdue,
            "due_soon": queryset.due_soon,
            "backlog": queryset.backlog,
            "prolonged": queryset.prolonged,
        }[value]()

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(subject__icontains=value)
            | Q(concerned__icontains=value)
            | Q(handling_body__icontains=value)
        )
