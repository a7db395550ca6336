"""Settings from the environment: production checks, loud failures, the embedded default."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SECRET_KEY": "x7#Lq9vPz2!mK4wR8tY6uN3bC5dF1gH0jS-eA_oI+QpW@ZrX^VtB",
    "DJANGO_ALLOWED_HOSTS": "qcdc.example.gov.vn",
    "DATABASE_URL": "postgres://qcdc:secret@127.0.0.1:5432/qcdc",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def _env(**overrides: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return {**keep, **overrides}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_the_deploy_check_with_production_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_env(**PRODUCTION))
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_warns_a_deployment_without_a_broker():
    env = _env(**{**PRODUCTION, "CELERY_BROKER_URL": ""})
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "qcdc.W001" in result.stderr


def test_it_refuses_to_start_in_production_without_allowed_hosts():
    result = _manage("check", env=_env(DJANGO_SECRET_KEY=PRODUCTION["DJANGO_SECRET_KEY"]))
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_it_refuses_to_start_in_production_without_a_secret_key():
    env = _env(DJANGO_ALLOWED_HOSTS="qcdc.example.gov.vn")
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_it_refuses_a_boolean_it_cannot_read():
    result = _manage("check", env=_env(**PRODUCTION, DJANGO_DEBUG="maybe"))
    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe' is not a boolean" in result.stderr


def test_it_reads_the_secret_key_from_a_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(PRODUCTION["DJANGO_SECRET_KEY"])
    env = _env(**{**PRODUCTION, "DJANGO_SECRET_KEY": ""}, DJANGO_SECRET_KEY_FILE=str(key_file))
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
