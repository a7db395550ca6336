"""The reporting cycle in the API: periods with their completeness and summary, and
annual reports with their figures, optimistic saving and workflow steps."""

from __future__ import annotations

import copy

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from committees.models import Area, Level
from committees.platform.api import ScopedModelSerializer, VisibleRelatedField, field_errors

from .filters import PeriodFilter, ReportFilter
from .models import (
    AnnualReport,
    ReportingPeriod,
    ReportRuleNote,
    ReportStatus,
    ReportValue,
    SignerRole,
)
from .selectors import completeness, summary
from .services import (
    NARRATIVE,
    Figure,
    ReportConflict,
    report_save,
    report_start,
    report_transition,
)


class PeriodSerializer(ScopedModelSerializer):
    filing_level = serializers.CharField(read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "province",
            "year",
            "opens_on",
            "due_on",
            "closed_on",
            "window_start",
            "window_end",
            "filing_level",
        ]
        validators = []  # uniqueness is checked by full_clean, in Vietnamese

    def validate(self, attrs):
        # Validate the row as it will be saved: a copy of the saved period (so that it is
        # not unique against itself) whose province and year never change (perform_update).
        period = copy.copy(self.instance) if self.instance is not None else ReportingPeriod()
        for name, value in attrs.items():
            if self.instance is None or name not in ("province", "year"):
                setattr(period, name, value)
        try:
            period.full_clean(validate_unique=True)
        except DjangoValidationError as exc:
            raise field_errors(exc) from exc
        return attrs


class PeriodViewSet(viewsets.ModelViewSet):
    """Reporting periods of the provinces in the caller's scope; provincial staff open,
    change and close them. `completeness` and `summary` read a period."""

    serializer_class = PeriodSerializer
    filterset_class = PeriodFilter
    ordering = ["-year"]

    def get_queryset(self):
        return ReportingPeriod.objects.visible_to(self.request.user).select_related("province")

    def _check_province(self, province: Area | None = None) -> None:
        """Only the staff of a province open, change and close its periods: refused before
        the body is read (a province the caller does not see would read as not found)."""
        editable = Area.objects.editable_by(self.request.user).filter(level=Level.PROVINCE)
        if not (editable.contains(province) if province else editable.exists()):
            raise PermissionDenied(_("Chỉ cơ quan thường trực cấp tỉnh mở và khóa kỳ báo cáo."))

    def create(self, request: Request, *args, **kwargs) -> Response:
        self._check_province()
        return super().create(request, *args, **kwargs)

    def update(self, request: Request, *args, **kwargs) -> Response:
        self._check_province(self.get_object().province)
        return super().update(request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        self._check_province(serializer.validated_data["province"])
        serializer.save()

    def perform_update(self, serializer) -> None:
        serializer.save(province=serializer.instance.province, year=serializer.instance.year)

    def perform_destroy(self, instance) -> None:
        self._check_province(instance.province)
        if instance.reports.exists():
            message = _("Kỳ báo cáo đã có báo cáo, không xóa được.")
            raise serializers.ValidationError({"non_field_errors": [message]})
        instance.delete()

    @extend_schema(
        responses=inline_serializer(
            "Completeness",
            {
                "expected": serializers.IntegerField(),
                "actual": serializers.IntegerField(),
                "on_time": serializers.IntegerField(),
                "late": serializers.IntegerField(),
                "returned": serializers.IntegerField(),
                "missing": serializers.IntegerField(),
                "rate": serializers.FloatField(allow_null=True),
                "on_time_rate": serializers.FloatField(allow_null=True),
                "areas": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    @action(detail=True)
    def completeness(self, request: Request, pk: str | None = None) -> Response:
        """Expected, actual and on-time reports with both rates, and each area's state."""
        period = self.get_object()
        if not ReportingPeriod.objects.reviewable_by(request.user).contains(period):
            raise PermissionDenied
        data = completeness(period)
        rows = data.pop("rows")
        data["areas"] = [
            {"area": row.area.pk, "code": row.area.code, "name": row.area.name, "state": row.state}
            for row in rows
        ]
        return Response(data)

    @extend_schema(
        responses=inline_serializer(
            "Summary", {"indicators": serializers.ListField(child=serializers.DictField())}
        )
    )
    @action(detail=True)
    def summary(self, request: Request, pk: str | None = None) -> Response:
        """The province's summary: totals, last year, and each reporting area's figure."""
        period = self.get_object()
        if not ReportingPeriod.objects.summary_visible_to(request.user).contains(period):
            raise PermissionDenied
        data = summary(period)
        return Response(
            {
                "indicators": [
                    {
                        "code": line.indicator.code,
                        "name": line.indicator.label,
                        "unit": line.indicator.unit_label,
                        "total": line.total,
                        "previous": line.previous,
                        "province_own": line.own,
                        "province_own_parts": line.own_parts,
                        "by_area": {str(k): v for k, v in line.by_area.items()},
                    }
                    for line in data["lines"]
                ]
            }
        )


class ValueSerializer(ScopedModelSerializer):
    code = serializers.CharField(source="indicator.code", read_only=True)
    name = serializers.CharField(source="indicator.label", read_only=True)
    source = serializers.CharField(source="indicator.source", read_only=True)

    class Meta:
        model = ReportValue
        fields = ["code", "name", "source", "computed", "value", "text", "correction_reason"]


class NoteSerializer(ScopedModelSerializer):
    """The filer's note on a warning rule the figures break."""

    class Meta:
        model = ReportRuleNote
        fields = ["rule", "note"]


class ReportSerializer(ScopedModelSerializer):
    values = ValueSerializer(many=True, read_only=True)
    notes = NoteSerializer(many=True, read_only=True)
    # Empty until a signer is chosen: the schema must say so (a read-only model field
    # would be documented as the choices alone).
    signer_role = serializers.ChoiceField(
        choices=SignerRole.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = AnnualReport
        fields = [
            "id",
            "period",
            "area",
            "status",
            "version",
            *NARRATIVE,
            "issued_on",
            "first_submitted_at",
            "submitted_at",
            "accepted_at",
            "return_reason",
            "values",
            "notes",
        ]
        read_only_fields = fields


class FigureInput(serializers.Serializer):
    code = serializers.CharField()
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    text = serializers.CharField(required=False, allow_blank=True, default="")
    correction_reason = serializers.CharField(required=False, allow_blank=True, default="")


class NoteInput(serializers.Serializer):
    rule = serializers.IntegerField()
    note = serializers.CharField(allow_blank=True, max_length=1000)


class ReportInput(serializers.Serializer):
    version = serializers.IntegerField()
    results = serializers.CharField(required=False, allow_blank=True, default="")
    limitations = serializers.CharField(required=False, allow_blank=True, default="")
    causes_subjective = serializers.CharField(required=False, allow_blank=True, default="")
    causes_objective = serializers.CharField(required=False, allow_blank=True, default="")
    lessons = serializers.CharField(required=False, allow_blank=True, default="")
    next_tasks = serializers.CharField(required=False, allow_blank=True, default="")
    proposals = serializers.CharField(required=False, allow_blank=True, default="")
    number = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    signer = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    signer_role = serializers.ChoiceField(
        choices=SignerRole.choices, required=False, allow_blank=True, default=""
    )
    recipients = serializers.CharField(required=False, allow_blank=True, default="")
    values = FigureInput(many=True, required=False, default=list)
    # Notes on the warning rules the figures break; left out: the notes stay as they are.
    notes = NoteInput(many=True, required=False)


class OpenInput(serializers.Serializer):
    period = VisibleRelatedField(queryset=ReportingPeriod.objects)
    area = VisibleRelatedField(queryset=Area.objects)


class StepInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=ReportStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Annual reports in the caller's scope. `POST` opens (or returns) an area's report
    prefilled from the records; `PUT` saves a draft with the `version` it was read at
    (409 with the current report if someone saved since); `step` submits, returns or
    accepts."""

    serializer_class = ReportSerializer
    filterset_class = ReportFilter
    ordering = ["period", "area__path"]

    def get_queryset(self):
        return (
            AnnualReport.objects.visible_to(self.request.user)
            .select_related("period", "area")
            .prefetch_related("values__indicator", "notes")
        )

    @extend_schema(request=OpenInput, responses={201: ReportSerializer})
    def create(self, request: Request) -> Response:
        data = OpenInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            report = report_start(period=values["period"], area=values["area"], actor=request.user)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(_("Bạn không lập báo cáo cho địa bàn này được.")) from exc
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReportInput,
        responses={
            200: ReportSerializer,
            409: inline_serializer(
                "ReportConflict", {"detail": serializers.CharField(), "current": ReportSerializer()}
            ),
        },
    )
    def update(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        data = ReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        figures = {
            f["code"]: Figure(value=f.get("value"), text=f["text"], reason=f["correction_reason"])
            for f in values["values"]
        }
        try:
            report = report_save(
                report=report,
                version=values["version"],
                narrative={n: values[n] for n in NARRATIVE},
                figures=figures,
                notes={n["rule"]: n["note"] for n in values["notes"]}
                if "notes" in values
                else None,
                actor=request.user,
                issued_on=values["issued_on"],
            )
        except ReportConflict as exc:
            current = self.get_serializer(exc.current).data
            return Response(
                {
                    "detail": _("Người khác đã lưu báo cáo này; bản của bạn chưa được lưu."),
                    "current": current,
                },
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied from exc
        except DjangoValidationError as exc:
            raise field_errors(exc) from exc
        return Response(self.get_serializer(report).data)

    @extend_schema(request=StepInput, responses={200: ReportSerializer})
    @action(detail=True, methods=["post"])
    def step(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        data = StepInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            report = report_transition(report=report, actor=request.user, **data.validated_data)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied from exc
        except DjangoValidationError as exc:
            raise field_errors(exc) from exc
        return Response(self.get_serializer(report).data)
