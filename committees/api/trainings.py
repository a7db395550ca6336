"""Trainings, dissemination conferences and seminars in the API."""

from rest_framework import serializers

from ..filters import TrainingFilter
from ..models import Training
from ..platform.api import ScopedModelSerializer, ScopedModelViewSet


class TrainingSerializer(ScopedModelSerializer):
    area_code = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Training
        fields = [
            "id",
            "area",
            "area_code",
            "area_name",
            "kind",
            "title",
            "held_on",
            "audience",
            "attendances",
            "papers",
            "notes",
        ]


class TrainingViewSet(ScopedModelViewSet):
    """Training classes, dissemination conferences and seminars in the caller's scope."""

    model = Training
    serializer_class = TrainingSerializer
    filterset_class = TrainingFilter
    ordering_fields = ["held_on", "attendances", "title"]
    ordering = ["-held_on", "-id"]
