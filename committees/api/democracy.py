"""Democracy activities of the communes and village conventions in the API."""

from rest_framework import serializers

from ..filters import DemocracyActivityFilter, VillageConventionFilter
from ..models import DemocracyActivity, VillageConvention
from ..platform.api import ScopedModelSerializer, ScopedModelViewSet


class DemocracyActivitySerializer(ScopedModelSerializer):
    area_code = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = DemocracyActivity
        fields = [
            "id",
            "area",
            "area_code",
            "area_name",
            "kind",
            "subject",
            "held_on",
            "village",
            "method",
            "supervisor",
            "participants",
            "counted_as",
            "outcome",
        ]


class DemocracyActivityViewSet(ScopedModelViewSet):
    """What a commune made public, what its citizens discussed and decided, were
    consulted on, or checked and supervised (Luật Thực hiện dân chủ ở cơ sở 2022), each on
    its day; `participants` counts households or people as `counted_as` says."""

    model = DemocracyActivity
    serializer_class = DemocracyActivitySerializer
    filterset_class = DemocracyActivityFilter
    ordering_fields = ["held_on", "participants", "subject"]
    ordering = ["-held_on", "-id"]


class VillageConventionSerializer(ScopedModelSerializer):
    area_code = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = VillageConvention
        fields = [
            "id",
            "area",
            "area_code",
            "area_name",
            "village",
            "kind",
            "name",
            "decision_number",
            "recognised_on",
            "recognised_by",
            "notes",
        ]
        validators = []  # uniqueness is checked by record_save, in Vietnamese


class VillageConventionViewSet(ScopedModelViewSet):
    """Village conventions (hương ước, quy ước) with the decision that recognised them."""

    model = VillageConvention
    serializer_class = VillageConventionSerializer
    filterset_class = VillageConventionFilter
    ordering_fields = ["recognised_on", "village", "name"]
    ordering = ["-recognised_on", "village"]
