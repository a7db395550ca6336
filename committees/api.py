"""REST API of the committees app: areas (read-only) and the caller's own scope."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from .filters import AreaFilter, DocumentFilter, MemberUnitFilter, TrainingFilter
from .models import Area, Document, MemberUnit, RoleAssignment, Training, User
from .records import area_choices, record_save
from .uploads import checked_extension, stored_name


def field_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError as the API's field errors (or non-field errors)."""
    if hasattr(exc, "error_dict"):
        errors = dict(exc.message_dict)
        if NON_FIELD_ERRORS in errors:  # Django's "__all__" is the API's non_field_errors
            errors["non_field_errors"] = errors.pop(NON_FIELD_ERRORS)
        return serializers.ValidationError(errors)
    return serializers.ValidationError({"non_field_errors": exc.messages})


class AreaSerializer(serializers.ModelSerializer):
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


class RoleAssignmentSerializer(serializers.ModelSerializer):
    area = AreaSerializer(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["role", "role_display", "area"]


@extend_schema_serializer(many=False)  # MeViewSet.list answers one object, not a list
class MeSerializer(serializers.ModelSerializer):
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


class ScopedModelViewSet(viewsets.ModelViewSet):
    """Full CRUD within the caller's scope: reads through ``visible_to``, writes only on
    records (and into areas) that are ``editable_by`` the caller. Outside scope: 404;
    visible but read-only: 403; an area outside one's editable scope: 400 on ``area``."""

    model: type

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).select_related("area")

    def _check_editable(self, instance=None) -> None:
        if not area_choices(self.request.user, self.model).exists():
            raise PermissionDenied(_("Vai trò của bạn chỉ cho phép xem."))
        if instance is not None and not (
            self.model.objects.editable_by(self.request.user).filter(pk=instance.pk).exists()
        ):
            raise PermissionDenied(_("Vai trò của bạn chỉ cho phép xem bản ghi này."))

    def _save(self, serializer) -> None:
        area = serializer.validated_data.get("area")
        choices = area_choices(self.request.user, self.model)
        if area is not None and not choices.filter(pk=area.pk).exists():
            raise serializers.ValidationError({"area": [_("Địa bàn nằm ngoài phạm vi của bạn.")]})
        instance = serializer.instance or self.model()
        many = {f.name for f in self.model._meta.many_to_many}
        for name, value in serializer.validated_data.items():
            if name not in many:
                setattr(instance, name, value)
        try:
            with transaction.atomic():
                record_save(instance=instance, actor=self.request.user)
                for name in many & serializer.validated_data.keys():
                    getattr(instance, name).set(serializer.validated_data[name])
        except DjangoValidationError as exc:
            raise field_errors(exc) from exc
        serializer.instance = instance

    def perform_create(self, serializer) -> None:
        self._check_editable()
        self._save(serializer)

    def perform_update(self, serializer) -> None:
        self._check_editable(serializer.instance)
        self._save(serializer)

    def perform_destroy(self, instance) -> None:
        self._check_editable(instance)
        instance.delete()


class ChildScopedViewSet(ScopedModelViewSet):
    """Records that belong to a parent record (a seat to its committee, a task to its
    plan): in scope when their parent is, writable when the parent is editable."""

    parent_model: type
    parent_field: str

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).select_related(self.parent_field)

    def _save(self, serializer) -> None:
        parent = serializer.validated_data.get(self.parent_field)
        editable = self.parent_model.objects.editable_by(self.request.user)
        if parent is not None and not editable.filter(pk=parent.pk).exists():
            message = _("%(parent)s nằm ngoài phạm vi của bạn.") % {
                "parent": capfirst(self.parent_model._meta.verbose_name)
            }
            raise serializers.ValidationError({self.parent_field: [message]})
        super()._save(serializer)


class TrainingSerializer(serializers.ModelSerializer):
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


class MemberUnitSerializer(serializers.ModelSerializer):
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


class UploadSerializerMixin:
    """A ``file`` field checked by content (see uploads.py), stored under the portal's
    own name, with the uploader's name kept in ``original_name``."""

    def validate_file(self, upload):
        try:
            extension = checked_extension(upload)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        upload.original = upload.name[:255]
        upload.name = stored_name(extension)
        return upload

    def validate(self, attrs):
        if "file" in attrs:
            attrs["original_name"] = attrs["file"].original
        return super().validate(attrs)


class DocumentSerializer(UploadSerializerMixin, serializers.ModelSerializer):
    area_code = serializers.CharField(source="area.code", read_only=True)
    file = serializers.FileField(write_only=True, required=False)
    download_url = serializers.CharField(source="get_download_url", read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "area",
            "area_code",
            "kind",
            "number",
            "issued_on",
            "issuer",
            "summary",
            "file",
            "original_name",
            "download_url",
        ]
        read_only_fields = ["original_name"]
        validators = []  # the number's uniqueness is checked by record_save, in Vietnamese


class DocumentViewSet(ScopedModelViewSet):
    """Documents issued for leadership and direction; upload the file as multipart."""

    model = Document
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    ordering_fields = ["issued_on", "number"]
    ordering = ["-issued_on", "-id"]
