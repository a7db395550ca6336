"""What a web process loads before its first request, not during it.

Left to itself, each gunicorn worker imports the views behind the URLconf, compiles the
templates, reads the translation catalogues, builds the year's holiday calendar (the
``holidays`` library imports its country registry for it) and imports the broker's
transport the first time a request needs them: about two seconds of CPU per worker, spent
while officials wait, and five times over as the workers start together. The load run
measured it as a tenth of the web's CPU over a 3-minute December run, all in its first
minute (``make load``).

``warm_up`` does all of it once, at import of the WSGI application. Gunicorn runs with
``preload_app`` (docker-compose, ``make run``, ``make load``), so it runs once in the
master and every worker starts with it done, sharing those pages of memory until it writes
to them. It opens no database connection: a connection made before the fork would be
shared by every worker.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.template import engines
from django.urls import get_resolver
from django.utils import translation


def _own_templates() -> list[str]:
    """The names of the portal's own templates (those of the project's directories)."""
    names = []
    for directory in settings.TEMPLATES[0]["DIRS"]:
        root = Path(directory)
        names += sorted(str(p.relative_to(root)) for p in root.rglob("*.html"))
    return names


def warm_up() -> None:
    # Every view module, through the URLconf's patterns.
    get_resolver().url_patterns  # noqa: B018 - reading it imports them
    # The templates, compiled into the cached loader of the engine that renders them.
    engine = engines["django"]
    for name in _own_templates():
        engine.get_template(name)
    # The catalogues of each language (a process reads them on its first request in it).
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Trang chủ")
    # The legal deadlines' calendar around today (petitions' due dates, the work list).
    from inspections import deadlines

    year = datetime.date.today().year
    for y in (year - 1, year, year + 1):
        deadlines.is_working_day(datetime.date(y, 1, 1))
    # The broker's transport and the task classes, where a broker is configured.
    if settings.CELERY_BROKER_URL:
        from .celery import app

        with app.connection_for_write() as broker:
            broker.transport  # noqa: B018 - imports and makes the transport; connects nothing
        app.finalize(auto=True)
    # Nothing above should have connected; if anything did, the workers must not share it.
    connections.close_all()
