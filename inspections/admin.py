from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from committees.platform.uploads import CheckedFileForm

from .models import (
    Dialogue,
    IdentityAccess,
    Inspection,
    Petition,
    PetitionDocument,
    PetitionEvent,
    ReceptionSession,
)


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["held_on", "kind", "subject", "area", "party_organisations", "party_members"]
    list_filter = ["kind", "form", "follow_up"]
    search_fields = ["subject", "area__name"]
    autocomplete_fields = ["area"]
    list_select_related = ["area"]


@admin.register(ReceptionSession)
class ReceptionAdmin(SimpleHistoryAdmin):
    list_display = ["held_on", "kind", "leader", "area", "citizens", "delegations"]
    list_filter = ["kind"]
    autocomplete_fields = ["area"]
    list_select_related = ["area"]


@admin.register(Dialogue)
class DialogueAdmin(SimpleHistoryAdmin):
    list_display = ["held_on", "kind", "leader", "area", "issues_raised", "issues_resolved"]
    list_filter = ["kind"]
    autocomplete_fields = ["area"]
    list_select_related = ["area"]


class EventInline(admin.TabularInline):
    model = PetitionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "on", "actor", "at", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class DocumentInline(admin.TabularInline):
    model = PetitionDocument
    form = CheckedFileForm  # the file is checked and renamed as on the pages
    extra = 0
    readonly_fields = ["original_name", "uploaded_by", "uploaded_at"]


@admin.register(Petition)
class PetitionAdmin(SimpleHistoryAdmin):
    """Petitions; the petitioner's identity is not listed nor searchable here either."""

    list_display = ["id", "received_on", "kind", "status", "area", "first_due_on"]
    list_filter = ["kind", "status", "field", "is_crowd"]
    search_fields = ["subject", "handling_body"]
    autocomplete_fields = ["area"]
    list_select_related = ["area"]
    exclude = ["petitioner_name", "petitioner_address", "petitioner_contact"]
    inlines = [EventInline, DocumentInline]

    def save_formset(self, request, form, formset, change) -> None:
        # A document added here is uploaded by the administrator (the column is required).
        for inline in formset.forms:
            if isinstance(inline.instance, PetitionDocument) and not inline.instance.uploaded_by_id:
                inline.instance.uploaded_by = request.user
        super().save_formset(request, form, formset, change)


@admin.register(IdentityAccess)
class IdentityAccessAdmin(admin.ModelAdmin):
    """Who saw a protected identity, when, through which channel: read only."""

    list_display = ["at", "user", "petition", "channel"]
    list_filter = ["channel"]
    search_fields = ["user__username", "user__full_name"]
    list_select_related = ["user", "petition"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
