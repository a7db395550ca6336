from django.urls import path

from .kinds import (
    COMMENDATION,
    COMMITTEE,
    DEMOCRACY_ACTIVITY,
    DOCUMENT,
    MEMBER_UNIT,
    PLAN,
    TASK,
    TRAINING,
    TYPICAL_MODEL,
    UNIT_EVENT,
    VILLAGE_CONVENTION,
)
from .platform import area_picker
from .platform.records import record_urls
from .views import areas, committees, documents, units

app_name = "committees"

urlpatterns = [
    path("areas/", areas.area_list, name="area_list"),
    path("areas/pick/", area_picker.area_pick, name="area_pick"),
    path("areas/<str:code>/", areas.area_detail, name="area_detail"),
    path(
        "committees/<int:pk>/consolidate/",
        committees.CommitteeConsolidate.as_view(),
        name="committee_consolidate",
    ),
    path(
        "committees/<int:pk>/carry-over/",
        committees.CommitteeCarryOver.as_view(),
        name="committee_carry_over",
    ),
    path(
        "committees/members/<int:pk>/edit/",
        committees.membership_update,
        name="membership_update",
    ),
    path("committees/decisions/<int:pk>/file/", committees.decision_file, name="decision_file"),
    *record_urls(
        COMMITTEE,
        "committees",
        detail=committees.CommitteeDetail,
        create=committees.CommitteeEstablish,
    ),
    *record_urls(PLAN, "plans"),
    *record_urls(TASK, "tasks"),
    *record_urls(TRAINING, "trainings"),
    *record_urls(TYPICAL_MODEL, "typical-models"),
    *record_urls(COMMENDATION, "commendations"),
    path("units/import/", units.member_unit_import, name="memberunit_import"),
    *record_urls(MEMBER_UNIT, "units"),
    *record_urls(UNIT_EVENT, "unit-events"),
    *record_urls(DEMOCRACY_ACTIVITY, "democracy-activities"),
    *record_urls(VILLAGE_CONVENTION, "village-conventions"),
    path("documents/<int:pk>/file/", documents.document_file, name="document_file"),
    *record_urls(DOCUMENT, "documents"),
]
