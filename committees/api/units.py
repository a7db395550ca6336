"""Member units and their conferences and dialogues in the API."""

from rest_framework import serializers

from ..filters import MemberUnitFilter, UnitEventFilter
from ..models import MemberUnit, UnitEvent
from ..platform.api import ChildScopedViewSet, ScopedModelSerializer, ScopedModelViewSet


class UnitEventSerializer(ScopedModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = UnitEvent
        fields = ["id", "unit", "kind", "kind_display", "held_on", "participants", "notes"]
        # One event of a kind a day is checked by record_save with the model's own message.
        validators = []


class MemberUnitSerializer(ScopedModelSerializer):
    area_code = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    events = UnitEventSerializer(many=True, read_only=True)

    class Meta:
        model = MemberUnit
        fields = [
            "id",
            "area",
            "area_code",
            "area_name",
            "kind",
            "name",
            "established_on",
            "dissolved_on",
            "regulation_issued",
            "regulation_date",
            "notes",
            "events",
        ]
        # Uniqueness of (area, name) is checked by record_save with the model's own message.
        validators = []


class MemberUnitViewSet(ScopedModelViewSet):
    """Units where the democracy rules apply, in the caller's scope, with their
    conferences and dialogues (written at `/api/v1/unit-events/`)."""

    model = MemberUnit
    serializer_class = MemberUnitSerializer
    filterset_class = MemberUnitFilter
    ordering_fields = ["name", "kind", "regulation_date"]
    ordering = ["area__path", "name"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("events")


class UnitEventViewSet(ChildScopedViewSet):
    """Units' conferences of officials or workers and workplace dialogues, each on its
    day; in scope when the unit is, written by those who may edit the unit."""

    model = UnitEvent
    parent_model = MemberUnit
    parent_field = "unit"
    serializer_class = UnitEventSerializer
    filterset_class = UnitEventFilter
    ordering_fields = ["held_on", "kind"]
    ordering = ["-held_on", "-id"]
