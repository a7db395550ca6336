"""Annual plans and their tasks, typical models and commendations in the API."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from .api import ChildScopedViewSet, ScopedModelViewSet
from .filters import CommendationFilter, PlanFilter, TaskFilter, TypicalModelFilter
from .models import AnnualPlan, Commendation, MemberUnit, PlanTask, TypicalModel, share


class TaskSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = PlanTask
        fields = [
            "id",
            "plan",
            "title",
            "responsible",
            "deadline",
            "status",
            "status_display",
            "completed_on",
            "progress_note",
            "is_overdue",
        ]


class PlanSerializer(serializers.ModelSerializer):
    area_code = serializers.CharField(source="area.code", read_only=True)
    tasks = TaskSerializer(many=True, read_only=True)
    completion = serializers.SerializerMethodField(
        help_text="Share of tasks done, in percent (cancelled tasks not counted); null if none."
    )
    overdue = serializers.SerializerMethodField(help_text="Open tasks past their deadline.")

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "area",
            "area_code",
            "year",
            "number",
            "title",
            "issued_on",
            "notes",
            "completion",
            "overdue",
            "tasks",
        ]
        validators = []  # the number's uniqueness is checked by record_save, in Vietnamese

    def get_completion(self, plan: AnnualPlan) -> float | None:
        counted = [t for t in plan.tasks.all() if t.status != "cancelled"]
        done = sum(t.status == "done" for t in counted)
        return share(done, len(counted))

    def get_overdue(self, plan: AnnualPlan) -> int:
        return sum(t.is_overdue for t in plan.tasks.all())


class PlanViewSet(ScopedModelViewSet):
    """Annual plans with their tasks, completion share and overdue count."""

    model = AnnualPlan
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    ordering_fields = ["year", "number", "issued_on"]
    ordering = ["-year", "area__path", "number"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tasks")


class TaskViewSet(ChildScopedViewSet):
    """Tasks of annual plans; `?overdue=true` lists the open tasks past their deadline."""

    model = PlanTask
    parent_model = AnnualPlan
    parent_field = "plan"
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    ordering_fields = ["deadline", "status"]
    ordering = ["deadline", "id"]


class TypicalModelSerializer(serializers.ModelSerializer):
    area_code = serializers.CharField(source="area.code", read_only=True)
    units = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=MemberUnit.objects.all()
    )

    class Meta:
        model = TypicalModel
        fields = [
            "id",
            "area",
            "area_code",
            "name",
            "field",
            "recognised_on",
            "recognised_by",
            "description",
            "units",
        ]
        validators = []  # the name's uniqueness is checked by record_save, in Vietnamese

    def validate(self, attrs):
        area = attrs.get("area") or getattr(self.instance, "area", None)
        user = self.context["request"].user
        units = attrs.get("units", [])
        asked = MemberUnit.objects.visible_to(user).filter(pk__in=[u.pk for u in units])
        visible = set(asked.values_list("pk", flat=True))
        for unit in units:
            if unit.pk not in visible:
                raise serializers.ValidationError(
                    {"units": [_("Không tìm thấy đơn vị số %(id)s.") % {"id": unit.pk}]}
                )
            if area is not None and not unit.area.path.startswith(area.path):
                raise serializers.ValidationError(
                    {
                        "units": [
                            _("Đơn vị „%(unit)s” không thuộc địa bàn %(area)s.")
                            % {"unit": unit.name, "area": area.name}
                        ]
                    }
                )
        return attrs


class TypicalModelViewSet(ScopedModelViewSet):
    """Typical models (mô hình điển hình) with the ids of the units that apply them."""

    model = TypicalModel
    serializer_class = TypicalModelSerializer
    filterset_class = TypicalModelFilter
    ordering_fields = ["recognised_on", "name"]
    ordering = ["-recognised_on", "name"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("units")


class CommendationSerializer(serializers.ModelSerializer):
    area_code = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = Commendation
        fields = [
            "id",
            "area",
            "area_code",
            "recipient",
            "recipient_kind",
            "award",
            "decision_number",
            "awarded_on",
            "awarded_by",
            "achievement",
            "typical_model",
        ]
        validators = []  # uniqueness is checked by record_save, in Vietnamese

    def validate_typical_model(self, model):
        user = self.context["request"].user
        if model is not None and not TypicalModel.objects.visible_to(user).filter(pk=model.pk):
            raise serializers.ValidationError(_("Không tìm thấy mô hình này."))
        return model


class CommendationViewSet(ScopedModelViewSet):
    """Commendations for work on grassroots democracy."""

    model = Commendation
    serializer_class = CommendationSerializer
    filterset_class = CommendationFilter
    ordering_fields = ["awarded_on", "recipient"]
    ordering = ["-awarded_on", "recipient"]
