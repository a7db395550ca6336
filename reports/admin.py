"""Administration of the reporting cycle: the indicator catalogue and its validation rules
are edited here; periods, reports and their history are readable; export jobs are a
read-only log."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AnnualReport,
    ExportJob,
    FilingException,
    Indicator,
    ReportEvent,
    ReportingPeriod,
    ReportRuleNote,
    ReportValue,
    SummaryReport,
    ValidationRule,
)


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["order", "code", "name", "unit", "section", "source", "aggregation", "active"]
    list_display_links = ["code"]
    list_editable = ["order", "active"]
    list_filter = ["section", "source", "aggregation", "active"]
    search_fields = ["code", "name", "name_en", "unit", "unit_en"]
    autocomplete_fields = ["numerator", "denominator"]


@admin.register(ValidationRule)
class ValidationRuleAdmin(SimpleHistoryAdmin):
    """Rules are checked as they are saved (``ValidationRule.clean``): a side that is not
    an expression over the catalogue's numeric indicators is refused with its reason."""

    list_display = ["formula", "importance", "message", "active"]
    list_filter = ["importance", "active"]
    list_editable = ["active"]
    search_fields = ["left", "right", "message", "message_en"]
    fields = ["left", "operator", "right", "importance", "message", "message_en", "active"]


class ExceptionInline(admin.TabularInline):
    model = FilingException
    extra = 0
    autocomplete_fields = ["area"]
    readonly_fields = ["granted_by", "granted_at"]


@admin.register(ReportingPeriod)
class PeriodAdmin(SimpleHistoryAdmin):
    list_display = [
        "year",
        "province",
        "window_start",
        "window_end",
        "opens_on",
        "due_on",
        "closed_on",
    ]
    list_filter = ["year"]
    autocomplete_fields = ["province"]
    list_select_related = ["province"]
    inlines = [ExceptionInline]


class ValueInline(admin.TabularInline):
    model = ReportValue
    extra = 0
    can_delete = False
    fields = ["indicator", "computed", "value", "text", "correction_reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class NoteInline(admin.TabularInline):
    model = ReportRuleNote
    extra = 0
    can_delete = False
    fields = ["rule", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AnnualReport)
class ReportAdmin(SimpleHistoryAdmin):
    """Reports change through their workflow in the portal; here they are read."""

    list_display = ["period", "area", "status", "version", "first_submitted_at", "accepted_at"]
    list_filter = ["status", "period__year"]
    search_fields = ["area__name", "area__code"]
    list_select_related = ["period__province", "area"]
    readonly_fields = ["period", "area", "status", "version", "first_submitted_at",
                       "submitted_at", "accepted_at", "return_reason"]  # fmt: skip
    inlines = [ValueInline, NoteInline, EventInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SummaryReport)
class SummaryAdmin(SimpleHistoryAdmin):
    list_display = ["period", "number", "issued_on", "version"]
    readonly_fields = ["period", "version"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["filename", "format", "status", "pages", "attempts", "requested_by",
                    "requested_at", "finished_at"]  # fmt: skip
    list_filter = ["status", "format"]
    list_select_related = ["requested_by"]
    exclude = ["content"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ExportJob._meta.fields if f.name != "content"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
