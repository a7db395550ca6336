from django.urls import path

from . import views
from .kinds import DOCUMENT, MEMBER_UNIT, TRAINING
from .records import record_urls

app_name = "committees"

urlpatterns = [
    path("areas/", views.area_list, name="area_list"),
    path("areas/<str:code>/", views.area_detail, name="area_detail"),
    *record_urls(TRAINING, "trainings"),
    path("units/import/", views.member_unit_import, name="memberunit_import"),
    *record_urls(MEMBER_UNIT, "units"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
    *record_urls(DOCUMENT, "documents"),
]
