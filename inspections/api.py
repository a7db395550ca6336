"""The inspections app in the API: inspections and supervisions, reception sessions,
dialogues, and petitions with their deadlines, steps and protected identities."""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from committees.platform.api import ScopedModelSerializer, ScopedModelViewSet, field_errors

from . import deadlines
from .filters import DialogueFilter, InspectionFilter, PetitionFilter, ReceptionFilter
from .kinds import DIALOGUE_FIELDS, INSPECTION_FIELDS, RECEPTION_FIELDS
from .models import Dialogue, Inspection, Outcome, Petition, ReceptionSession, Status
from .pagination import ReceivedCursorPagination
from .services import (
    IDENTITY_FIELDS,
    identity,
    masked_name,
    may_see_identity,
    petition_extend,
    petition_extend_verification,
    petition_transition,
)


def _area_fields(*names: str) -> list[str]:
    return ["id", "area", "area_code", *names]


class AreaCodeMixin(serializers.Serializer):
    area_code = serializers.CharField(source="area.code", read_only=True)


class InspectionSerializer(AreaCodeMixin, ScopedModelSerializer):
    class Meta:
        model = Inspection
        fields = ["id", *INSPECTION_FIELDS, "area_code"]


class ReceptionSerializer(AreaCodeMixin, ScopedModelSerializer):
    class Meta:
        model = ReceptionSession
        fields = ["id", *RECEPTION_FIELDS, "area_code"]


class DialogueSerializer(AreaCodeMixin, ScopedModelSerializer):
    class Meta:
        model = Dialogue
        fields = ["id", *DIALOGUE_FIELDS, "area_code"]


class InspectionViewSet(ScopedModelViewSet):
    """Inspections and supervisions with the party organisations and members covered."""

    model = Inspection
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    ordering_fields = ["held_on", "party_organisations", "party_members"]
    ordering = ["-held_on", "-id"]


class ReceptionViewSet(ScopedModelViewSet):
    """Citizen reception sessions."""

    model = ReceptionSession
    serializer_class = ReceptionSerializer
    filterset_class = ReceptionFilter
    ordering_fields = ["held_on", "citizens"]
    ordering = ["-held_on", "-id"]


class DialogueViewSet(ScopedModelViewSet):
    """Dialogues between leaders and citizens or workers."""

    model = Dialogue
    serializer_class = DialogueSerializer
    filterset_class = DialogueFilter
    ordering_fields = ["held_on", "participants"]
    ordering = ["-held_on", "-id"]


class DeadlineSerializer(serializers.Serializer):
    step = serializers.CharField()
    label = serializers.CharField()
    due_on = serializers.DateField()
    basis = serializers.CharField(help_text="The article of law the deadline comes from.")


class PetitionSerializer(AreaCodeMixin, ScopedModelSerializer):
    """A petition. The identity of a denouncer is masked except, on a single petition, for
    a petition officer in scope; every such view is logged."""

    deadlines = serializers.SerializerMethodField()
    due_on = serializers.DateField(read_only=True, allow_null=True)  # none once closed
    outcome = serializers.ChoiceField(choices=Outcome.choices, read_only=True, allow_blank=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Petition
        fields = _area_fields(
            "kind",
            "round",
            "channel",
            "field",
            "is_crowd",
            "received_on",
            *IDENTITY_FIELDS,
            "subject",
            "concerned",
            "handling_body",
            "complexity",
            "remote_area",
            "reception",
            "dialogue",
            "status",
            "accepted_on",
            "resolved_on",
            "settled_on",
            "outcome",
            "extensions",
            "verification_days",
            "due_on",
            "is_overdue",
            "deadlines",
        )
        read_only_fields = [
            "status",
            "accepted_on",
            "resolved_on",
            "settled_on",
            "extensions",
            "verification_days",
        ]

    @cached_property
    def _deadline(self) -> DeadlineSerializer:
        """One serializer for the deadlines of every row of a page: made anew for each
        row, it built its fields fifty times a page."""
        return DeadlineSerializer()

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, petition: Petition) -> list[dict]:
        return [self._deadline.to_representation(d) for d in deadlines.deadlines(petition)]

    def to_representation(self, petition: Petition) -> dict:
        data = super().to_representation(petition)
        view = self.context.get("view")
        user = self.context["request"].user
        if view is not None and view.action == "retrieve":
            data.update(identity(petition, user, channel="api"))
        elif petition.is_protected:
            data.update({name: masked_name(petition) for name in IDENTITY_FIELDS})
        return data

    def validate(self, attrs):
        petition = self.instance
        user = self.context["request"].user
        if petition is not None and not may_see_identity(petition, user):
            for name in IDENTITY_FIELDS:
                attrs.pop(name, None)  # a masked identity cannot be overwritten blindly
        return attrs


class StepSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Status.choices)
    on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(
        choices=Outcome.choices, required=False, allow_blank=True, default=""
    )


class ExtendSerializer(serializers.Serializer):
    note = serializers.CharField()


class VerificationSerializer(serializers.Serializer):
    days = serializers.IntegerField(
        help_text="Working days added to the first step, 1 to 10 "
        "(Điều 24 khoản 1 Luật Tố cáo 2018)."
    )
    note = serializers.CharField(allow_blank=True)
    on = serializers.DateField(required=False)


class PetitionViewSet(ScopedModelViewSet):
    """Petitions (đơn thư) with their legal deadlines, cursor-paginated, newest first.
    `?state=overdue|backlog|prolonged|open` filters by handling state. Steps of the
    workflow go through `POST /petitions/{id}/step/`; extensions through `…/extend/`; a
    denunciation's first step is extended for verification through `…/verification/`."""

    model = Petition
    serializer_class = PetitionSerializer
    filterset_class = PetitionFilter
    pagination_class = ReceivedCursorPagination
    ordering_fields = None  # the cursor sets the order

    def _act(self, request: Request, serializer_class, service) -> Response:
        """One step of a petition's handling: its input checked by ``serializer_class``,
        carried out by ``service``; refused with field errors, changing nothing."""
        petition = self.get_object()
        self._check_editable(petition)
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            petition = service(petition=petition, actor=request.user, **data.validated_data)
        except DjangoValidationError as exc:
            raise field_errors(exc) from exc
        return Response(self.get_serializer(petition).data)

    @extend_schema(request=StepSerializer, responses={200: PetitionSerializer})
    @action(detail=True, methods=["post"])
    def step(self, request: Request, pk: str | None = None) -> Response:
        """Move the petition one step; an illegal step is refused and changes nothing."""
        return self._act(request, StepSerializer, petition_transition)

    @extend_schema(request=ExtendSerializer, responses={200: PetitionSerializer})
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str | None = None) -> Response:
        """Extend a denunciation's resolution by 30 days (Điều 30 Luật Tố cáo 2018)."""
        return self._act(request, ExtendSerializer, petition_extend)

    @extend_schema(request=VerificationSerializer, responses={200: PetitionSerializer})
    @action(detail=True, methods=["post"])
    def verification(self, request: Request, pk: str | None = None) -> Response:
        """Extend a denunciation's first step for verification by up to 10 working days,
        once (Điều 24 khoản 1 Luật Tố cáo 2018); refused with field errors otherwise."""
        return self._act(request, VerificationSerializer, petition_extend_verification)
