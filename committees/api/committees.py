"""The committees in the API: establishing one, consolidating it, its decisions and seats.

Creating a committee is establishing it (a decision and its members, all or nothing);
its membership changes only through ``POST /committees/{id}/consolidate/``. Seats and
decisions can be corrected (a typo, a term's end, the signed file) on their own routes.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ..filters import CommitteeFilter, DecisionFilter, MembershipFilter
from ..models import Area, CommitteeDecision, CommitteeRole, Membership, SteeringCommittee
from ..platform.api import (
    ChildScopedViewSet,
    ScopedModelSerializer,
    ScopedModelViewSet,
    UploadSerializerMixin,
    VisibleRelatedField,
    field_errors,
)
from ..platform.records import area_choices
from ..services.committees import (
    Seat,
    committee_carry_over,
    committee_consolidate,
    committee_establish,
)


class MembershipSerializer(ScopedModelSerializer):
    committee_role_display = serializers.CharField(
        source="get_committee_role_display", read_only=True
    )

    class Meta:
        model = Membership
        fields = [
            "id",
            "committee",
            "full_name",
            "position",
            "organisation",
            "committee_role",
            "committee_role_display",
            "term_start",
            "term_end",
            "appointed_by",
            "ended_by",
        ]
        read_only_fields = ["appointed_by", "ended_by"]


class DecisionSerializer(UploadSerializerMixin, ScopedModelSerializer):
    file = serializers.FileField(write_only=True, required=False)
    download_url = serializers.CharField(source="get_download_url", read_only=True)

    class Meta:
        model = CommitteeDecision
        fields = [
            "id",
            "committee",
            "kind",
            "number",
            "signed_on",
            "summary",
            "file",
            "original_name",
            "download_url",
        ]
        read_only_fields = ["committee", "kind", "original_name"]
        validators = []  # uniqueness is checked by record_save, in Vietnamese


class CommitteeSerializer(ScopedModelSerializer):
    area_code = serializers.CharField(source="area.code", read_only=True)
    members = MembershipSerializer(source="sitting", many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = SteeringCommittee
        fields = [
            "id",
            "area",
            "area_code",
            "name",
            "standing_body",
            "regulation",
            "is_active",
            "carried_from",
            "members",
            "decisions",
        ]
        read_only_fields = ["area", "carried_from"]


class SeatSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    position = serializers.CharField(max_length=255)
    organisation = serializers.CharField(max_length=255, required=False, default="")
    committee_role = serializers.ChoiceField(choices=CommitteeRole.choices)


class DecisionInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=60)
    signed_on = serializers.DateField()
    summary = serializers.CharField(max_length=500, required=False, default="")


class EstablishSerializer(ScopedModelSerializer):
    decision = DecisionInputSerializer()
    members = SeatSerializer(many=True, allow_empty=False)

    class Meta:
        model = SteeringCommittee
        fields = ["area", "name", "standing_body", "regulation", "decision", "members"]


class ChangedSeatSerializer(serializers.Serializer):
    membership = VisibleRelatedField(queryset=Membership.objects)
    position = serializers.CharField(max_length=255)
    organisation = serializers.CharField(max_length=255, required=False, default="")
    committee_role = serializers.ChoiceField(choices=CommitteeRole.choices)


class ConsolidateSerializer(serializers.Serializer):
    decision = DecisionInputSerializer()
    leaving = VisibleRelatedField(
        queryset=Membership.objects,
        many=True,
        required=False,
        default=list,
        help_text="Ids of the seats that end the day before the decision.",
    )
    changed = ChangedSeatSerializer(many=True, required=False, default=list)
    joining = SeatSerializer(many=True, required=False, default=list)


class CarryOverSerializer(ConsolidateSerializer):
    area = VisibleRelatedField(
        queryset=Area.objects,
        help_text="The unit of today's map that took the committee's abolished unit over.",
    )
    name = serializers.CharField(
        max_length=255,
        required=False,
        default="",
        help_text="Empty: “Ban Chỉ đạo thực hiện dân chủ ở cơ sở” and the unit's name.",
    )
    standing_body = serializers.CharField(max_length=255, required=False, allow_blank=True)
    regulation = serializers.CharField(max_length=255, required=False, allow_blank=True)


class CommitteeViewSet(ScopedModelViewSet):
    """Steering committees with their members in office today and their decisions.

    `POST` establishes a committee (its decision and members together); membership then
    changes only by `POST /committees/{id}/consolidate/`. The committee of a unit abolished
    on 01/07/2025 goes on, on the unit that took it over, by
    `POST /committees/{id}/carry-over/`."""

    model = SteeringCommittee
    serializer_class = CommitteeSerializer
    filterset_class = CommitteeFilter
    ordering_fields = ["name", "area__path"]
    ordering = ["area__path", "-id"]

    def get_queryset(self):
        sitting = Membership.objects.on(datetime.date.today()).by_rank()
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("memberships", queryset=sitting, to_attr="sitting"),
                Prefetch("decisions", queryset=CommitteeDecision.objects.order_by("signed_on")),
            )
        )

    @extend_schema(request=EstablishSerializer, responses={201: CommitteeSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        self._check_editable()
        data = EstablishSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if not area_choices(request.user).filter(pk=values["area"].pk).exists():
            raise serializers.ValidationError({"area": [_("Địa bàn nằm ngoài phạm vi của bạn.")]})
        try:
            committee = committee_establish(
                area=values["area"],
                name=values["name"],
                standing_body=values.get("standing_body", ""),
                regulation=values.get("regulation", ""),
                decision=CommitteeDecision(**values["decision"]),
                members=[Seat(**seat) for seat in values["members"]],
                actor=request.user,
            )
        except DjangoValidationError as exc:
            raise field_errors(exc) from exc
        committee = self.get_queryset().get(pk=committee.pk)
        return Response(self.get_serializer(committee).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ConsolidateSerializer, responses={201: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def consolidate(self, request: Request, pk: str | None = None) -> Response:
        """Record a consolidation decision: seats that end, seats that change, new members."""
        committee = self.get_object()
        self._check_editable(committee)
        data = ConsolidateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = data.validated_data
        leaving, changed = self._seat_changes(committee, values)
        try:
            decision = committee_consolidate(
                committee=committee,
                decision=CommitteeDecision(**values["decision"]),
                leaving=leaving,
                changed=changed,
                joining=[Seat(**seat) for seat in values["joining"]],
                actor=request.user,
            )
        except DjangoValidationError as exc:
            raise field_errors(exc) from exc
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CarryOverSerializer, responses={201: CommitteeSerializer})
    @action(detail=True, methods=["post"], url_path="carry-over")
    def carry_over(self, request: Request, pk: str | None = None) -> Response:
        """Carry the committee of an abolished unit onto the unit of today's map that took
        it over, by a consolidation decision: returns the new committee."""
        committee = self.get_object()
        self._check_editable(committee)
        data = CarryOverSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = data.validated_data
        leaving, changed = self._seat_changes(committee, values)
        try:
            carried = committee_carry_over(
                committee=committee,
                area=values["area"],
                name=values["name"],
                standing_body=values.get("standing_body"),
                regulation=values.get("regulation"),
                decision=CommitteeDecision(**values["decision"]),
                leaving=leaving,
                changed=changed,
                joining=[Seat(**seat) for seat in values["joining"]],
                actor=request.user,
            )
        except DjangoValidationError as exc:
            raise field_errors(exc) from exc
        carried = self.get_queryset().get(pk=carried.pk)
        return Response(self.get_serializer(carried).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _seat_changes(
        committee: SteeringCommittee, values: dict
    ) -> tuple[list[Membership], dict[Membership, Seat]]:
        """The seats named by ``leaving`` and ``changed`` (among those the caller sees),
        each one of this committee's."""
        for key, seats in (
            ("leaving", values["leaving"]),
            ("changed", [c["membership"] for c in values["changed"]]),
        ):
            foreign = [seat.pk for seat in seats if seat.committee_id != committee.pk]
            if foreign:
                message = _("Thành viên số %(id)s không thuộc ban chỉ đạo này.")
                raise serializers.ValidationError({key: [message % {"id": foreign[0]}]})
        changed = {
            c["membership"]: Seat(
                full_name=c["membership"].full_name,
                position=c["position"],
                organisation=c["organisation"],
                committee_role=c["committee_role"],
            )
            for c in values["changed"]
        }
        return list(values["leaving"]), changed


class MembershipViewSet(ChildScopedViewSet):
    """Seats on committees, with their terms; `?on=YYYY-MM-DD` gives those in office that
    day. Use this to correct a seat; change the composition by a consolidation."""

    model = Membership
    parent_model = SteeringCommittee
    parent_field = "committee"
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    ordering_fields = ["full_name", "term_start"]
    ordering = ["committee", "term_start", "id"]


class DecisionViewSet(ChildScopedViewSet):
    """Decisions that established or consolidated a committee. They are created by
    establishing or consolidating; here they can be read and corrected (upload the signed
    file as multipart)."""

    model = CommitteeDecision
    parent_model = SteeringCommittee
    parent_field = "committee"
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    ordering_fields = ["signed_on"]
    ordering = ["-signed_on", "-id"]
    http_method_names = ["get", "put", "patch", "head", "options"]
