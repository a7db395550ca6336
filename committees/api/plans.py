"""Annual plans and their tasks in the API."""

from __future__ import annotations

from rest_framework import serializers

from ..filters import PlanFilter, TaskFilter
from ..models import AnnualPlan, PlanTask
from ..platform.api import (
    ChildScopedViewSet,
    ScopedModelSerializer,
    ScopedModelViewSet,
)


class TaskSerializer(ScopedModelSerializer):
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


class PlanSerializer(ScopedModelSerializer):
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
        return plan.completion

    def get_overdue(self, plan: AnnualPlan) -> int:
        return plan.overdue_tasks


class PlanViewSet(ScopedModelViewSet):
    """Annual plans with their tasks, completion share and overdue count."""

    model = AnnualPlan
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    ordering_fields = ["year", "number", "issued_on"]
    ordering = ["-year", "area__path", "number"]

    def get_queryset(self):
        return super().get_queryset().with_progress().prefetch_related("tasks")


class TaskViewSet(ChildScopedViewSet):
    """Tasks of annual plans; `?overdue=true` lists the open tasks past their deadline."""

    model = PlanTask
    parent_model = AnnualPlan
    parent_field = "plan"
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    ordering_fields = ["deadline", "status"]
    ordering = ["deadline", "id"]
