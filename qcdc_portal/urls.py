"""URL configuration: pages, the API under /api/v1/, the admin and /healthz."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from committees.api import areas as areas_api
from committees.api import committees as committees_api
from committees.api import democracy as democracy_api
from committees.api import documents as documents_api
from committees.api import plans as plans_api
from committees.api import recognition as recognition_api
from committees.api import trainings as trainings_api
from committees.api import units as units_api
from committees.forms import LoginForm
from committees.views.areas import home
from inspections import api as inspections_api
from reports import api as reports_api

from .health import healthz

router = DefaultRouter()
router.register("areas", areas_api.AreaViewSet, basename="area")
router.register("me", areas_api.MeViewSet, basename="me")
router.register("trainings", trainings_api.TrainingViewSet, basename="training")
router.register("units", units_api.MemberUnitViewSet, basename="memberunit")
router.register("unit-events", units_api.UnitEventViewSet, basename="unitevent")
router.register(
    "democracy-activities", democracy_api.DemocracyActivityViewSet, basename="democracyactivity"
)
router.register(
    "village-conventions", democracy_api.VillageConventionViewSet, basename="villageconvention"
)
router.register("documents", documents_api.DocumentViewSet, basename="document")
router.register("committees", committees_api.CommitteeViewSet, basename="committee")
router.register("memberships", committees_api.MembershipViewSet, basename="membership")
router.register("committee-decisions", committees_api.DecisionViewSet, basename="decision")
router.register("plans", plans_api.PlanViewSet, basename="plan")
router.register("plan-tasks", plans_api.TaskViewSet, basename="task")
router.register("typical-models", recognition_api.TypicalModelViewSet, basename="typicalmodel")
router.register("commendations", recognition_api.CommendationViewSet, basename="commendation")
router.register("inspections", inspections_api.InspectionViewSet, basename="inspection")
router.register("receptions", inspections_api.ReceptionViewSet, basename="reception")
router.register("dialogues", inspections_api.DialogueViewSet, basename="dialogue")
router.register("petitions", inspections_api.PetitionViewSet, basename="petition")
router.register("reporting-periods", reports_api.PeriodViewSet, basename="period")
router.register("reports", reports_api.ReportViewSet, basename="report")

api_urlpatterns = [
    path("", include(router.urls)),
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets inline styles; only this page allows them (its scripts stay 'self').
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="schema")
        ),
        name="api-docs",
    ),
]

handler400 = "qcdc_portal.errors.bad_request"
handler403 = "qcdc_portal.errors.permission_denied"
handler404 = "qcdc_portal.errors.not_found"
handler500 = "qcdc_portal.errors.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("", include("committees.urls")),
    path("", include("inspections.urls")),
    path("", include("reports.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
            extra_context={
                "limit": settings.AXES_FAILURE_LIMIT,
                "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            },
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_urlpatterns)),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
