"""Typical models and commendations in the API."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from ..filters import CommendationFilter, TypicalModelFilter
from ..models import Commendation, MemberUnit, TypicalModel
from ..platform.api import (
    ScopedModelViewSet,
)


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
