"""Areas (read-only) and the caller's own scope in the API."""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from ..filters import AreaFilter
from ..models import Area, RoleAssignment, User
from ..platform.api import ScopedModelSerializer


class AreaSerializer(ScopedModelSerializer):
    # A province has no parent.
    parent_code = serializers.CharField(
        source="parent.code", read_only=True, default=None, allow_null=True
    )
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Area
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "level",
            "level_display",
            "structure",
            "parent",
            "parent_code",
            "valid_from",
            "valid_to",
        ]


class RoleAssignmentSerializer(ScopedModelSerializer):
    area = AreaSerializer(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["role", "role_display", "area"]


@extend_schema_serializer(many=False)  # MeViewSet.list answers one object, not a list
class MeSerializer(ScopedModelSerializer):
    assignments = RoleAssignmentSerializer(source="role_assignments", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["username", "full_name", "position", "email", "is_superuser", "assignments"]


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative units within the caller's scope (an area and its subtree)."""

    serializer_class = AreaSerializer
    filterset_class = AreaFilter
    ordering_fields = ["code", "name", "path"]
    ordering = ["path"]

    def get_queryset(self):
        return Area.objects.visible_to(self.request.user).select_related("parent")

    @extend_schema(responses=AreaSerializer(many=True))
    @action(detail=True)
    def children(self, request: Request, pk: str | None = None) -> Response:
        """The units directly under this one, paginated."""
        area = get_object_or_404(self.get_queryset(), pk=pk)  # DRF's: "abc" is a 404 too
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset().filter(parent=area)))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class MeViewSet(viewsets.ViewSet):
    """The caller and their role assignments."""

    @extend_schema(responses=MeSerializer)
    def list(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)
