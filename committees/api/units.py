"""Member units in the API."""

from rest_framework import serializers

from ..filters import MemberUnitFilter
from ..models import MemberUnit
from ..platform.api import ScopedModelSerializer, ScopedModelViewSet


class MemberUnitSerializer(ScopedModelSerializer):
    area_code = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = MemberUnit
        fields = [
            "id",
            "area",
            "area_code",
            "area_name",
            "kind",
            "name",
            "regulation_issued",
            "regulation_date",
            "conference_held_on",
            "dialogue_held_on",
            "notes",
        ]
        # Uniqueness of (area, name) is checked by record_save with the model's own message.
        validators = []


class MemberUnitViewSet(ScopedModelViewSet):
    """Units where the democracy rules apply, in the caller's scope."""

    model = MemberUnit
    serializer_class = MemberUnitSerializer
    filterset_class = MemberUnitFilter
    ordering_fields = ["name", "kind", "regulation_date"]
    ordering = ["area__path", "name"]
