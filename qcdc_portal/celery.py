"""The Celery application: exports, year-end summaries and deadline reminders run here.

The broker comes from ``CELERY_BROKER_URL``; without one (the embedded set-up of
``make run``) tasks run eagerly in the web process, see ``settings.py``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qcdc_portal.settings")

app = Celery("qcdc_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
