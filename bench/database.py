"""The benchmark's own database and Django settings, prepared before Django starts.

The benchmark never touches the database named in ``DATABASE_URL`` (the tests' or a
developer's): it drops and creates a database of its own on the same server and points
Django at it. Nothing here imports Django models, because settings are read once, at
``django.setup()``, and must already name the benchmark's database by then.
"""

from __future__ import annotations

import os
import secrets
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEFAULT_DATABASE = "qcdc_bench"


class BenchSetupError(RuntimeError):
    """The benchmark cannot run here (no PostgreSQL, unreachable server)."""


def server_url() -> str:
    """The PostgreSQL URL the benchmark was given; it refuses anything else."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url.startswith(("postgres://", "postgresql://")):
        raise BenchSetupError(
            "DATABASE_URL must name a PostgreSQL server (postgres://…); run the benchmark "
            "through `make bench`, which starts a throw-away server with scripts/with-services.sh."
        )
    return url


def with_database(url: str, name: str) -> str:
    """``url`` with its database replaced by ``name`` (user, host, port and options kept)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate(url: str, name: str) -> str:
    """Drop ``name`` if it exists and create it empty on the server of ``url``; returns its URL.

    ``WITH (FORCE)`` ends connections a previous, interrupted run may have left open.
    """
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            ident = sql.Identifier(name)
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(ident))
    except psycopg.OperationalError as exc:
        raise BenchSetupError(f"cannot reach PostgreSQL at DATABASE_URL: {exc}") from exc
    return with_database(url, name)


# Written after the records are generated: what ``--reuse`` looks for.
MARKER_TABLE = "bench_generated"


def generated(url: str, name: str, mode: str) -> dict[str, int] | None:
    """The record counts of the last run of ``mode`` in database ``name``, if it finished
    generating them there (``--reuse``); None when there is no such database or run."""
    try:
        with psycopg.connect(with_database(url, name), connect_timeout=10) as conn:
            exists = conn.execute("SELECT to_regclass(%s) IS NOT NULL", [MARKER_TABLE]).fetchone()
            if not exists[0]:
                return None
            row = conn.execute(
                sql.SQL("SELECT written FROM {} WHERE mode = %s").format(
                    sql.Identifier(MARKER_TABLE)
                ),
                [mode],
            ).fetchone()
    except psycopg.OperationalError:
        return None
    return row[0] if row else None


def configure_environment(database_url: str) -> None:
    """The settings the portal reads, as production has them but served to the test client.

    Debug stays off (debug mode records every query and renders differently, so timings
    would not be production's); a random key and the test client's host name are used
    unless the caller set their own.
    """
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "qcdc_portal.settings"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    # The test client speaks plain HTTP: no redirect to HTTPS in the middle of a timing.
    os.environ.setdefault("DJANGO_HTTPS", "false")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
