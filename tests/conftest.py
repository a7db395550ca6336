"""The test bed: the real areas of Quảng Ninh, loaded once, and one persona per role.

The test database of each xdist worker holds, from its creation, the real areas of
Quảng Ninh (both structures, with their successor links) and the default indicator
catalogue: every test sees them without loading them (``django_db_setup`` below). A test
that empties the database (``transaction=True``, the browser and Celery worker tests)
finds them put back after its flush. The personas are ``tests/personas.py``.
"""

import datetime
import os

import pytest
from django.apps import apps
from django.db import connection
from django.db.models.signals import post_migrate
from django.test import Client
from django.utils import translation

from committees.models import Area, Structure
from committees.services.areas import areas_load
from qcdc_portal.celery import app as celery_app
from reports.catalogue import install_default_catalogue
from reports.models import Indicator, ReportStatus, ValidationRule
from reports.rules import install_default_rules
from reports.services import report_start, report_transition
from tests import personas, template_database
from tests.factories import (
    PASSWORD,
    InspectionFactory,
    ReportingPeriodFactory,
    TrainingFactory,
    UserFactory,
    area,
    written,
)
from tests.helpers import kept_for_the_module
from tests.personas import COMMUNE_A, COMMUNE_A_TODAY, COMMUNE_B, DISTRICT_A, DISTRICT_B, PROVINCE
from tests.snapshots import demo_seeded

__all__ = ["COMMUNE_A", "COMMUNE_A_TODAY", "COMMUNE_B", "DISTRICT_A", "DISTRICT_B", "PROVINCE"]


def pytest_configure(config):
    database_url = os.environ.get("DATABASE_URL", "")
    if os.environ.get("CI", "").lower() == "true" and not database_url.startswith("postgres"):
        raise pytest.UsageError(
            "CI=true: the suite runs on the real PostgreSQL started by scripts/with-services.sh "
            "(make test), and DATABASE_URL is not set."
        )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The modules that take long run first: those marked ``long`` whose tests share a
    module-scoped fixture (a server, a benchmark run, the demo), then the other ones
    marked ``long``, then the browser tests.

    ``make test`` runs two workers with ``--dist worksteal``: each starts on its share of
    the suite, in this order, and one that runs out takes tests from the end of the
    other's queue. A long test left at the end made a worker idle for minutes (pytest-
    django puts the transactional tests, the browser's among them, after the others),
    and a module taken in two made its module fixture twice (the embedded server: 40 s).
    Run first, the long ones leave short tests to share at the end. pytest-django's order
    is not needed here: a transactional test's flush puts the areas back
    (``_reload_after_flush``)."""
    rank: dict = {}  # module: 0, 1 or 2 as above; the other modules are not in it
    for item in items:
        if item.get_closest_marker("long"):
            shared = _shares_a_module_fixture(item)
            rank[item.module] = min(rank.get(item.module, 2), 0 if shared else 1)
        elif item.get_closest_marker("browser"):
            rank.setdefault(item.module, 2)
    modules = {item.module: None for item in items}  # in their order, without repeats
    # Whole modules, so that a module's fixtures are still made once per worker.
    first = [
        item
        for module in sorted(rank, key=lambda module: (rank[module], list(modules).index(module)))
        for item in items
        if item.module is module
    ]
    items[:] = first + [item for item in items if item.module not in rank]


def _shares_a_module_fixture(item) -> bool:
    # pytest has no public way to ask a test's fixtures their scope before they run.
    return any(defs[-1].scope == "module" for defs in item._fixtureinfo.name2fixturedefs.values())


# --- the areas, once per test database -------------------------------------------------------


def load_quang_ninh() -> None:
    """The real areas of Quảng Ninh, both structures, with their successor links; and the
    default indicator catalogue and validation rules (migrations install them; a flush
    removes them)."""
    areas_load(structures=Structure.values, province=PROVINCE, progress=lambda _msg: None)
    install_default_catalogue(Indicator)
    install_default_rules(ValidationRule, Indicator)


def _reload_after_flush(**_kwargs) -> None:
    # A transactional test ends with a flush of every table, which emits post_migrate (as
    # Django's own TransactionTestCase does, to restore content types and permissions):
    # the areas come back with them, for the tests that run after it on this worker.
    if not Area.objects.exists():
        load_quang_ninh()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, migrated, with the real areas of Quảng Ninh."""
    with django_db_blocker.unblock():
        if not Area.objects.exists():  # unless it is a copy of the template that has them
            load_quang_ninh()
    reports = apps.get_app_config("reports")
    post_migrate.connect(_reload_after_flush, sender=reports, dispatch_uid="tests-reload-areas")
    yield
    post_migrate.disconnect(sender=reports, dispatch_uid="tests-reload-areas")


@pytest.fixture
def no_areas(db):
    """No areas and no area history, for the tests of the loader itself: deleted in the
    test's transaction (plain SQL: no history of the deletion), back at its rollback."""
    tables = [Area.successors.through, Area.history.model, Area]
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


@pytest.fixture
def quang_ninh(db) -> Area:
    """The province of Quảng Ninh (legacy structure); its areas are always there."""
    return area(PROVINCE)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, request, tmp_path_factory, django_db_blocker
):
    """A second database beside PostgreSQL: SQLite in memory, the embedded default of
    ``make run``. Queries that the two answer differently (NULLs sort first on one, last
    on the other) are tested on both, with ``django_db(databases=["default", "sqlite"])``
    and ``.using(alias)``. Created only when a collected test asks for it, from the
    models (no migrations: the tests bring their own rows)."""
    from django.db import connections

    sqlite = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "TEST": {"MIGRATE": False},
    }
    # With the defaults Django gives every alias (the settings are read already).
    both = connections.configure_settings(
        {"default": connections.settings["default"], "sqlite": sqlite}
    )
    connections.settings["sqlite"] = both["sqlite"]
    # Several workers on PostgreSQL: each database a copy of one migrated template.
    worker = getattr(request.config, "workerinput", {})
    if (
        int(worker.get("workercount", 1)) > 1
        and connections["default"].vendor == "postgresql"
        and not request.config.getvalue("reuse_db")
    ):
        shared = tmp_path_factory.getbasetemp().parent  # the session's, above each worker's
        with django_db_blocker.unblock():
            name = template_database.use(shared, fill=load_quang_ninh)
        request.config.workeroutput["template_database"] = name


_templates: set[str] = set()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """The controller drops the workers' template once they are all done."""
    _templates.update(filter(None, [getattr(node, "workeroutput", {}).get("template_database")]))


def pytest_sessionfinish(session):
    for name in _templates:
        template_database.drop(name)


# --- the suite's defaults -----------------------------------------------------------------


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
def _default_language_after_each_test():
    """A request in English leaves English active in the thread (LocaleMiddleware does not
    undo it): the next test of the worker starts in the default language again."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a throw-away directory, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


# --- personas (tests/personas.py) ------------------------------------------------------------


@pytest.fixture
def seeded_demo(quang_ninh) -> None:
    """The demo of ``manage.py seed_demo``: seeded by the first test of the worker that
    asks, copied back for the next ones (``tests/snapshots.py``)."""
    demo_seeded()


@pytest.fixture
def provincial_staff(db):
    return personas.make("provincial_staff")


@pytest.fixture
def secretariat_a(db):
    return personas.make("secretariat_a")


@pytest.fixture
def secretariat_b(db):
    return personas.make("secretariat_b")


@pytest.fixture
def commune_official(db):
    return personas.make("commune_official")


@pytest.fixture
def commune_official_today(db):
    return personas.make("commune_official_today")


@pytest.fixture
def viewer(db):
    return personas.make("viewer")


@pytest.fixture
def petition_officer(db):
    return personas.make("petition_officer")


@pytest.fixture
def administrator(db):
    return personas.make("administrator")


@pytest.fixture
def stranger(db):
    return personas.make("stranger")


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
def accepted_period(db):
    """13 accepted district reports; Hạ Long's figures come from a commune's records."""
    return make_accepted_period()


@pytest.fixture(scope="module")
def accepted_period_of_the_module(django_db_setup, django_db_blocker):
    """The same year, made once for a module whose tests all read it (13 reports filed
    take seconds): a module opts in by defining its own ``accepted_period`` from it
    (``tests/reports/test_exports.py``). Its tests must not be transactional
    (``tests.helpers.kept_for_the_module``)."""
    with kept_for_the_module(django_db_blocker):
        yield make_accepted_period()


def make_accepted_period():
    """The 2024 period of Quảng Ninh with its 13 district reports filed and accepted."""
    TrainingFactory(area=area(COMMUNE_A), attendances=8000, held_on=datetime.date(2024, 5, 1))
    TrainingFactory(area=area(DISTRICT_B), attendances=532, held_on=datetime.date(2024, 9, 1))
    InspectionFactory(
        area=area(COMMUNE_A),
        subject="Thực hiện dân chủ ở cơ sở",
        party_organisations=1688,
        party_members=7113,
    )
    period = ReportingPeriodFactory(year=2024)
    chief = UserFactory(username="chief", is_staff=True, is_superuser=True)
    # Whoever files does not accept (reports.services.may_accept): another reviewer does.
    deputy = UserFactory(username="deputy", is_staff=True, is_superuser=True)
    for district in period.filing_areas():
        report = written(report_start(period=period, area=district, actor=chief))
        report_transition(report=report, to=ReportStatus.SUBMITTED, actor=chief, notify=False)
        report_transition(report=report, to=ReportStatus.ACCEPTED, actor=deputy, notify=False)
    return period


@pytest.fixture
def eager_celery(settings):
    """Tasks run in place, as they do without a broker."""
    settings.QCDC_EXPORT_IN_THREAD = False
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
