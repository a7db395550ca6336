"""Typical models and commendations in the API."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from ..filters import CommendationFilter, TypicalModelFilter
from ..models import Commendation, TypicalModel
from ..platform.api import ScopedModelSerializer, ScopedModelViewSet, field_errors


class TypicalModelSerializer(ScopedModelSerializer):
    area_code = serializers.CharField(source="area.code", read_only=True)

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
        model = self.instance
        area = attrs.get("area") or getattr(model, "area", None)
        # A change of area alone must still hold the units the model has.
        units = attrs.get("units", model.units.all() if model is not None else [])
        try:
            TypicalModel.check_units(area, units)
        except DjangoValidationError as exc:
            raise field_errors(exc) from exc
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


class CommendationSerializer(ScopedModelSerializer):
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


class CommendationViewSet(ScopedModelViewSet):
    """Commendations for work on grassroots democracy."""

    model = Commendation
    serializer_class = CommendationSerializer
    filterset_class = CommendationFilter
    ordering_fields = ["awarded_on", "recipient"]
    ordering = ["-awarded_on", "recipient"]
