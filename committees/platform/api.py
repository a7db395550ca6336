"""The generic API layer: CRUD within the caller's scope, references resolved within it,
errors as field errors, uploads."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied

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


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to another record by its id, looked up among the records the caller
    sees (``visible_to``). An id out of scope gets the same answer, byte for byte, as an id
    that does not exist: the API does not tell an outsider which ids exist. Whatever more
    a reference needs (an area one may write in, a plan one may add tasks to) is checked
    after, with its own message, on records the caller already sees."""

    default_error_messages = {"does_not_exist": gettext_lazy("Không tìm thấy bản ghi này.")}

    def get_queryset(self):
        queryset = super().get_queryset()
        if not hasattr(queryset, "visible_to"):
            return queryset  # not a scoped record (an indicator of the catalogue)
        request = self.context.get("request")
        return queryset.visible_to(request.user if request else AnonymousUser())


class ScopedModelSerializer(serializers.ModelSerializer):
    """The portal's ModelSerializer: every reference field it builds from the model (a
    foreign key, a many-to-many) is a ``VisibleRelatedField``."""

    serializer_related_field = VisibleRelatedField


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
        # Read back as a list reads it (its annotations and related rows), for the answer.
        serializer.instance = self.get_queryset().get(pk=instance.pk)

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
