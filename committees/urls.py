from django.urls import path

from . import committee_views, views
from .kinds import (
    COMMENDATION,
    COMMITTEE,
    DOCUMENT,
    MEMBER_UNIT,
    PLAN,
    TASK,
    TRAINING,
    TYPICAL_MODEL,
)
from .records import record_urls

app_name = "committees"

urlpatterns = [
    path("areas/", views.area_list, name="area_list"),
    path("areas/<str:code>/", views.area_detail, name="area_detail"),
    path(
        "committees/<int:pk>/consolidate/",
        committee_views.CommitteeConsolidate.as_view(),
        name="committee_consolidate",
    ),
    path(
        "committees/members/<int:pk>/edit/",
        committee_views.membership_update,
        name="membership_update",
    ),
    path(
        "committees/decisions/<int:pk>/file/", committee_views.decision_file, name="decision_file"
    ),
    *record_urls(
        COMMITTEE,
        "committees",
        detail=committee_views.CommitteeDetail,
        create=committee_views.CommitteeEstablish,
    ),
    *record_urls(PLAN, "plans"),
    *record_urls(TASK, "tasks"),
    *record_urls(TRAINING, "trainings"),
    *record_urls(TYPICAL_MODEL, "typical-models"),
    *record_urls(COMMENDATION, "commendations"),
    path("units/import/", views.member_unit_import, name="memberunit_import"),
    *record_urls(MEMBER_UNIT, "units"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
    *record_urls(DOCUMENT, "documents"),
]
