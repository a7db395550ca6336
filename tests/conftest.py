"""The test bed: real areas of Quảng Ninh, and one persona per role.

Personas (as in STYLE.md): provincial staff of Quảng Ninh, the district secretariat of
Hạ Long (district A) and of Cẩm Phả (district B), a commune official of Hà Khánh (in
Hạ Long), a viewer and a petition officer of the province, an administrator, and the
anonymous visitor.
"""

import datetime
import os

import pytest
from django.test import Client

from committees.models import Role, Structure, User
from committees.services.areas import areas_load
from inspections.models import Inspection
from qcdc_portal.celery import app as celery_app
from reports.catalogue import install_default_catalogue
from reports.models import Indicator, ReportingPeriod, ReportStatus
from reports.services import report_start, report_transition
from tests.factories import PASSWORD, RoleAssignmentFactory, TrainingFactory, UserFactory, area

PROVINCE = "22"  # Tỉnh Quảng Ninh
DISTRICT_A = "193"  # Thành phố Hạ Long
DISTRICT_B = "195"  # Thành phố Cẩm Phả
COMMUNE_A = "06649"  # Phường Hà Khánh, Hạ Long
COMMUNE_B = "06760"  # a commune of Cẩm Phả
# Today's map (from 01/07/2025): Phường Cao Xanh took over Hà Khánh.
COMMUNE_A_TODAY = "06658"


def pytest_configure(config):
    database_url = os.environ.get("DATABASE_URL", "")
    if os.environ.get("CI", "").lower() == "true" and not database_url.startswith("postgres"):
        raise pytest.UsageError(
            "CI=true: the suite runs on the real PostgreSQL started by scripts/with-services.sh "
            "(make test), and DATABASE_URL is not set."
        )


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests do not run collectstatic: pages name static files unhashed. No test client
    fetches them (the browser tests' live server serves them from the finders), so
    WhiteNoise does not index the finders either: it would, for every new client (0.1 s)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a throw-away directory, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def quang_ninh(db):
    """The real areas of Quảng Ninh, both structures, with their successor links; and the
    default indicator catalogue, which a migration installs but a transactional test's
    flush removes."""
    areas_load(structures=Structure.values, province=PROVINCE, progress=lambda _msg: None)
    install_default_catalogue(Indicator)
    return area(PROVINCE)


def _persona(username: str, role: str | None, code: str | None, structure="legacy", **extra):
    user = UserFactory(username=username, **extra)
    if role:
        RoleAssignmentFactory(user=user, role=role, area=area(code, structure))
    return user


@pytest.fixture
def provincial_staff(quang_ninh):
    user = _persona("tinh", Role.PROVINCIAL_STAFF, PROVINCE)
    RoleAssignmentFactory(user=user, role=Role.PROVINCIAL_STAFF, area=area(PROVINCE, "2025"))
    return user


@pytest.fixture
def secretariat_a(quang_ninh):
    return _persona("halong", Role.DISTRICT_SECRETARIAT, DISTRICT_A)


@pytest.fixture
def secretariat_b(quang_ninh):
    return _persona("campha", Role.DISTRICT_SECRETARIAT, DISTRICT_B)


@pytest.fixture
def commune_official(quang_ninh):
    return _persona("hakhanh", Role.COMMUNE_OFFICIAL, COMMUNE_A)


@pytest.fixture
def commune_official_today(quang_ninh):
    """The commune official of Phường Cao Xanh on today's map (successor of Hà Khánh)."""
    return _persona("caoxanh", Role.COMMUNE_OFFICIAL, COMMUNE_A_TODAY, structure="2025")


@pytest.fixture
def viewer(quang_ninh):
    return _persona("xem", Role.VIEWER, PROVINCE)


@pytest.fixture
def petition_officer(quang_ninh):
    user = _persona("donthu", Role.PETITION_OFFICER, PROVINCE)
    RoleAssignmentFactory(user=user, role=Role.PETITION_OFFICER, area=area(PROVINCE, "2025"))
    return user


@pytest.fixture
def administrator(quang_ninh):
    return _persona("quantri", None, None, is_staff=True, is_superuser=True)


@pytest.fixture
def login():
    """A test client logged in as the given user (forced: no lockout bookkeeping)."""

    def _login(user) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def accepted_period(quang_ninh):
    """13 accepted district reports; Hạ Long's figures come from a commune's records."""
    TrainingFactory(area=area(COMMUNE_A), attendances=8000, held_on=datetime.date(2024, 5, 1))
    TrainingFactory(area=area(DISTRICT_B), attendances=532, held_on=datetime.date(2024, 9, 1))
    Inspection.objects.create(
        area=area(COMMUNE_A),
        kind="inspection",
        form="regular",
        held_on=datetime.date(2024, 6, 1),
        conducted_by="Ủy ban Kiểm tra Thành ủy",
        subject="Thực hiện dân chủ ở cơ sở",
        party_organisations=1688,
        party_members=7113,
    )
    period = ReportingPeriod.objects.create(
        province=area(PROVINCE),
        year=2024,
        opens_on=datetime.date(2024, 11, 15),
        due_on=datetime.date(2024, 12, 15),
    )
    chief = User.objects.create_superuser("chief", "chief@example.org", "x")
    # Whoever files does not accept (reports.services.may_accept): another reviewer does.
    deputy = User.objects.create_superuser("deputy", "deputy@example.org", "x")
    for district in period.filing_areas():
        report = report_start(period, district, actor=chief)
        report_transition(report, ReportStatus.SUBMITTED, actor=chief, notify=False)
        report_transition(report, ReportStatus.ACCEPTED, actor=deputy, notify=False)
    return period


@pytest.fixture
def eager_celery(settings):
    """Tasks run in place, as they do without a broker."""
    settings.QCDC_EXPORT_IN_THREAD = False
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
