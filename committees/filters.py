"""FilterSets of the committees app, shared by the pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import (
    AnnualPlan,
    Area,
    AwardForm,
    Commendation,
    CommitteeDecision,
    ConventionKind,
    DemocracyActivity,
    DemocracyKind,
    Document,
    DocumentKind,
    Level,
    Membership,
    MemberUnit,
    ModelField,
    PlanTask,
    RecipientKind,
    SteeringCommittee,
    Structure,
    Supervisor,
    TaskStatus,
    Training,
    TrainingKind,
    TypicalModel,
    UnitEvent,
    UnitEventKind,
    UnitKind,
    VillageConvention,
)
from .platform.filters import (
    AreaSubtreeFilterSet,
    ScopedFilterSet,
    YearFilter,
    YesNoFilter,
    visible_areas,
)


class AreaFilter(ScopedFilterSet):
    """Search the area tree: by name or code, level, structure, parent, day in force."""

    q = django_filters.CharFilter(method="filter_q", label=_("Tìm theo tên hoặc mã"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Cấp"))
    structure = django_filters.ChoiceFilter(choices=Structure.choices, label=_("Cơ cấu"))
    parent = django_filters.CharFilter(method="filter_parent", label=_("Mã đơn vị trực thuộc"))
    valid_on = django_filters.DateFilter(method="filter_valid_on", label=_("Có hiệu lực vào ngày"))

    class Meta:
        model = Area
        fields = ["q", "level", "structure", "parent", "valid_on"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_valid_on(self, queryset, name, value):
        return queryset.current(value)

    def filter_parent(self, queryset, name, value):
        """The units under the one the code means (``Area.objects.for_code``) on the map
        and day asked for, if any."""
        chosen = self.form.cleaned_data
        parents = visible_areas(self.request)
        if chosen.get("structure"):
            parents = parents.filter(structure=chosen["structure"])
        parent = parents.for_code(value, on=chosen.get("valid_on"))
        return queryset.filter(parent=parent) if parent is not None else queryset.none()


class TrainingFilter(AreaSubtreeFilterSet):
    """Trainings by year, kind, organising area (and its subtree) and title."""

    year = YearFilter("held_on__year")
    kind = django_filters.ChoiceFilter(
        choices=TrainingKind.choices, label=_("Hình thức"), empty_label=_("Tất cả")
    )
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Nội dung"))

    class Meta:
        model = Training
        fields = ["year", "kind", "area", "q"]


class MemberUnitFilter(AreaSubtreeFilterSet):
    """Member units by kind, area (and its subtree), regulation and name."""

    kind = django_filters.ChoiceFilter(
        choices=UnitKind.choices, label=_("Loại hình"), empty_label=_("Tất cả")
    )
    regulation_issued = YesNoFilter(
        label=_("Đã ban hành quy chế"),
        widget=forms.Select(choices=[("", _("Tất cả")), ("true", _("Có")), ("false", _("Chưa"))]),
    )
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Tên đơn vị"))

    class Meta:
        model = MemberUnit
        fields = ["kind", "area", "regulation_issued", "q"]


class UnitEventFilter(AreaSubtreeFilterSet):
    """Units' conferences and dialogues by year, kind, unit and area (and its subtree)."""

    year = YearFilter("held_on__year")
    kind = django_filters.ChoiceFilter(
        choices=UnitEventKind.choices, label=_("Loại sự kiện"), empty_label=_("Tất cả")
    )
    unit = django_filters.NumberFilter(
        field_name="unit", label=_("Đơn vị"), widget=forms.HiddenInput
    )

    class Meta:
        model = UnitEvent
        fields = ["year", "kind", "area", "unit"]


class DemocracyActivityFilter(AreaSubtreeFilterSet):
    """Democracy activities by year, kind, who supervised, area (and its subtree), and
    subject or village."""

    year = YearFilter("held_on__year")
    kind = django_filters.ChoiceFilter(
        choices=DemocracyKind.choices, label=_("Hình thức"), empty_label=_("Tất cả")
    )
    supervisor = django_filters.ChoiceFilter(
        choices=Supervisor.choices, label=_("Chủ thể giám sát"), empty_label=_("Tất cả")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("Nội dung, thôn, tổ dân phố"))

    class Meta:
        model = DemocracyActivity
        fields = ["year", "kind", "supervisor", "area", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(subject__icontains=value) | Q(village__icontains=value))


class VillageConventionFilter(AreaSubtreeFilterSet):
    """Village conventions by year recognised, kind, area (and its subtree), and name,
    village or decision."""

    year = YearFilter("recognised_on__year", label=_("Năm công nhận"))
    kind = django_filters.ChoiceFilter(
        choices=ConventionKind.choices, label=_("Loại"), empty_label=_("Tất cả")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("Tên, thôn hoặc số quyết định"))

    class Meta:
        model = VillageConvention
        fields = ["year", "kind", "area", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(village__icontains=value)
            | Q(decision_number__icontains=value)
        )


class DocumentFilter(AreaSubtreeFilterSet):
    """Documents by year, kind, area (and its subtree), number or summary."""

    year = YearFilter("issued_on__year")
    kind = django_filters.ChoiceFilter(
        choices=DocumentKind.choices, label=_("Loại văn bản"), empty_label=_("Tất cả")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("Số, ký hiệu hoặc trích yếu"))

    class Meta:
        model = Document
        fields = ["year", "kind", "area", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(summary__icontains=value))


class CommitteeFilter(AreaSubtreeFilterSet):
    """Committees by area (and its subtree), state, name, and year of a decision."""

    year = YearFilter("decisions__signed_on__year", label=_("Năm có quyết định"), distinct=True)
    is_active = YesNoFilter(
        label=_("Trạng thái"),
        widget=forms.Select(
            choices=[("", _("Tất cả")), ("true", _("Đang hoạt động")), ("false", _("Đã ngừng"))]
        ),
    )
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Tên"))

    class Meta:
        model = SteeringCommittee
        fields = ["year", "area", "is_active", "q"]


class MembershipFilter(ScopedFilterSet):
    """Committee seats by committee, role, and the day they are in office."""

    on = django_filters.DateFilter(method="filter_on", label=_("Đương nhiệm vào ngày"))

    class Meta:
        model = Membership
        fields = ["committee", "committee_role", "on"]

    def filter_on(self, queryset, name, value):
        return queryset.on(value)


class DecisionFilter(ScopedFilterSet):
    """A committee's decisions, by committee and kind."""

    class Meta:
        model = CommitteeDecision
        fields = ["committee", "kind"]


class PlanFilter(AreaSubtreeFilterSet):
    """Annual plans by year, area (and its subtree), number or title."""

    year = YearFilter("year")
    q = django_filters.CharFilter(method="filter_q", label=_("Số, ký hiệu hoặc tên kế hoạch"))

    class Meta:
        model = AnnualPlan
        fields = ["year", "area", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))


class TaskFilter(AreaSubtreeFilterSet):
    """Plan tasks by the plan's year, status, overdue, plan, area (and subtree), title."""

    year = YearFilter("plan__year")
    status = django_filters.ChoiceFilter(
        choices=TaskStatus.choices, label=_("Trạng thái"), empty_label=_("Tất cả")
    )
    overdue = YesNoFilter(
        method="filter_overdue",
        label=_("Quá hạn"),
        widget=forms.Select(choices=[("", _("Tất cả")), ("true", _("Chỉ nhiệm vụ quá hạn"))]),
    )
    plan = django_filters.NumberFilter(
        field_name="plan", label=_("Kế hoạch"), widget=forms.HiddenInput
    )
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Nhiệm vụ"))

    class Meta:
        model = PlanTask
        fields = ["year", "status", "overdue", "area", "q", "plan"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.overdue()
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class TypicalModelFilter(AreaSubtreeFilterSet):
    """Typical models by year recognised, field, area (and its subtree) and name."""

    year = YearFilter("recognised_on__year", label=_("Năm công nhận"))
    field = django_filters.ChoiceFilter(
        choices=ModelField.choices, label=_("Lĩnh vực"), empty_label=_("Tất cả")
    )
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Tên mô hình")
    )

    class Meta:
        model = TypicalModel
        fields = ["year", "field", "area", "q"]


class CommendationFilter(AreaSubtreeFilterSet):
    """Commendations by year, award, recipient kind, area (and its subtree), recipient."""

    year = YearFilter("awarded_on__year")
    award = django_filters.ChoiceFilter(
        choices=AwardForm.choices, label=_("Hình thức"), empty_label=_("Tất cả")
    )
    recipient_kind = django_filters.ChoiceFilter(
        choices=RecipientKind.choices, label=_("Đối tượng"), empty_label=_("Tất cả")
    )
    q = django_filters.CharFilter(
        field_name="recipient", lookup_expr="icontains", label=_("Tập thể, cá nhân")
    )

    class Meta:
        model = Commendation
        fields = ["year", "award", "recipient_kind", "area", "q"]
