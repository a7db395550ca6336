"""/healthz checks the database and, where one is configured, the broker."""

import os

import pytest

pytestmark = pytest.mark.django_db


def test_it_reports_the_database_and_broker(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["database"] == "ok"
    if os.environ.get("CELERY_BROKER_URL"):
        assert checks["broker"] == "ok"  # the real Redis started by make test
    else:
        assert checks["broker"] == "not configured"


def test_it_answers_503_when_the_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("error")
