from django.urls import path

from committees.platform.records import record_urls

from . import views
from .kinds import DIALOGUE, INSPECTION, PETITION, RECEPTION

app_name = "inspections"

urlpatterns = [
    path("petitions/dashboard/", views.petition_dashboard, name="petition_dashboard"),
    path("petitions/<int:pk>/step/", views.petition_step, name="petition_step"),
    path("petitions/<int:pk>/extend/", views.petition_extension, name="petition_extend"),
    path(
        "petitions/<int:pk>/verification/",
        views.petition_verification,
        name="petition_verification",
    ),
    path(
        "petitions/<int:pk>/documents/",
        views.petition_document_add,
        name="petition_document_add",
    ),
    path("petitions/documents/<int:pk>/", views.petition_document, name="petition_document"),
    *record_urls(PETITION, "petitions"),
    *record_urls(INSPECTION, "inspections"),
    *record_urls(RECEPTION, "receptions"),
    *record_urls(DIALOGUE, "dialogues"),
]
