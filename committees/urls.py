from django.urls import path

from . import views

app_name = "committees"

urlpatterns = [
    path("areas/", views.area_list, name="area_list"),
    path("areas/<str:code>/", views.area_detail, name="area_detail"),
]
