"""The web process's warm-up: done before the first request, and safe to do before
gunicorn forks its workers (``preload_app``)."""

import subprocess
import sys

from tests.test_settings import PRODUCTION, ROOT, _env

# In a process of its own, as gunicorn's master imports the application. The database's
# port answers nothing: had the warm-up connected, importing the application would fail.
PROBE = """
from django.db import connections

import qcdc_portal.wsgi  # noqa: F401 - the import is the warm-up
from django.template import engines
from inspections import deadlines

assert all(c.connection is None for c in connections.all()), "a connection was left open"
loader = engines["django"].engine.template_loaders[0]
compiled = {key.split("-")[0] for key in loader.get_template_cache}
missing = {"base.html", "committees/home.html", "reports/report_form.html"} - compiled
assert not missing, missing
assert deadlines._calendar.cache_info().currsize == 3
print("warm")
"""


def test_the_wsgi_application_warms_up_without_connecting_to_the_database():
    env = _env(**{**PRODUCTION, "DATABASE_URL": "postgres://qcdc:x@127.0.0.1:9/qcdc"})
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "qcdc_portal.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "warm"
