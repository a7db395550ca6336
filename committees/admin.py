"""Django admin for administrators: every model, with its change history."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .admin_reorganisation import ReorganisationAdminMixin
from .models import (
    Area,
    CommitteeDecision,
    DemocracyActivity,
    Membership,
    RoleAssignment,
    SteeringCommittee,
    User,
    VillageConvention,
)
from .platform.uploads import CheckedFileForm
from .services.reorganisation import areas_to_move, split_communes


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["area"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "position", "email", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "email"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Cán bộ"), {"fields": ("full_name", "position", "phone")}),
    )


class SplitCommuneFilter(admin.SimpleListFilter):
    """Legacy communes split between several successors, by whether an operator has said
    which one their records count for."""

    title = _("xã chia tách")
    parameter_name = "split"

    def lookups(self, request, model_admin):
        return [
            ("unattributed", _("Chưa phân bổ số liệu")),
            ("attributed", _("Đã phân bổ số liệu")),
        ]

    def queryset(self, request, queryset):
        if self.value() not in ("unattributed", "attributed"):
            return queryset
        split = queryset.filter(pk__in=split_communes().values("pk"))
        return split.filter(attributed_to__isnull=self.value() == "unattributed")


class ToMoveFilter(admin.SimpleListFilter):
    """Abolished units still holding records, units or people of the present."""

    title = _("sắp xếp lại")
    parameter_name = "to_move"

    def lookups(self, request, model_admin):
        return [("yes", _("Còn bản ghi, đơn vị hoặc phân quyền cần chuyển"))]

    def queryset(self, request, queryset):
        return queryset.filter(pk__in=areas_to_move()) if self.value() == "yes" else queryset


@admin.register(Area)
class AreaAdmin(ReorganisationAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "attribution",
        "level",
        "structure",
        "parent",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["structure", "level", SplitCommuneFilter, ToMoveFilter]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    filter_horizontal = ["successors"]
    # Where a legacy unit's figures count is set by load_areas or, for a split commune,
    # on its attribution page (which checks the choice is a successor), never by hand.
    readonly_fields = ["path", "attribution"]
    exclude = ["attributed_to"]
    list_select_related = ["parent", "attributed_to"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "area"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "area__name", "area__code"]
    autocomplete_fields = ["user", "area"]
    list_select_related = ["user", "area"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fk_name = "committee"


class DecisionInline(admin.TabularInline):
    model = CommitteeDecision
    form = CheckedFileForm  # the signed file is checked and renamed as on the pages
    extra = 0


@admin.register(SteeringCommittee)
class SteeringCommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "area", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "area__name", "decisions__number"]
    autocomplete_fields = ["area"]
    inlines = [DecisionInline, MembershipInline]
    list_select_related = ["area"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = [
        "full_name",
        "committee_role",
        "position",
        "committee",
        "term_start",
        "term_end",
    ]
    list_filter = ["committee_role"]
    search_fields = ["full_name", "position", "committee__name"]
    list_select_related = ["committee"]


@admin.register(DemocracyActivity)
class DemocracyActivityAdmin(SimpleHistoryAdmin):
    list_display = ["held_on", "subject", "kind", "area", "participants", "counted_as"]
    list_filter = ["kind", "supervisor", "counted_as"]
    search_fields = ["subject", "village", "area__name", "area__code"]
    autocomplete_fields = ["area"]
    date_hierarchy = "held_on"
    list_select_related = ["area"]


@admin.register(VillageConvention)
class VillageConventionAdmin(SimpleHistoryAdmin):
    list_display = ["recognised_on", "name", "village", "kind", "decision_number", "area"]
    list_filter = ["kind"]
    search_fields = ["name", "village", "decision_number", "area__name", "area__code"]
    autocomplete_fields = ["area"]
    date_hierarchy = "recognised_on"
    list_select_related = ["area"]
