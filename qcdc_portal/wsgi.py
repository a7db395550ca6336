"""WSGI entry point (gunicorn ``qcdc_portal.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qcdc_portal.settings")

application = get_wsgi_application()

# Before the first request (and, with gunicorn's preload_app, before the workers fork).
from .warmup import warm_up  # noqa: E402 - Django must be set up first

warm_up()
