from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.period_list, name="period_list"),
    path("reports/periods/new/", views.period_form, name="period_create"),
    path("reports/periods/<int:pk>/", views.period_detail, name="period_detail"),
    path("reports/periods/<int:pk>/edit/", views.period_form, name="period_update"),
    path("reports/periods/<int:pk>/summary/", views.period_summary, name="period_summary"),
    path("reports/periods/<int:pk>/summary/edit/", views.summary_edit, name="summary_edit"),
    path("reports/periods/<int:pk>/validation/", views.period_validation, name="period_validation"),
    path("reports/periods/<int:pk>/summary/export/", views.summary_export, name="summary_export"),
    path("reports/<int:pk>/export/", views.report_export, name="report_export"),
    path("reports/exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("reports/exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("reports/periods/<int:pk>/exceptions/", views.exception_create, name="exception_create"),
    path(
        "reports/periods/<int:pk>/areas/<int:area_pk>/open/",
        views.report_open,
        name="report_open",
    ),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/step/", views.report_step, name="report_step"),
]
