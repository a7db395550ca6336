"""One migrated test database for the xdist workers, each worker's database a copy of it.

A new test database runs some seventy migrations, whose model states Django renders in
Python (13 to 16 s of CPU), and then gets the areas of Quảng Ninh: each worker did it.
Now the first worker that needs a database makes a template (``test_<name>_template``),
migrated and filled, under a lock in the directory the workers share; every worker's own
database is created from it (PostgreSQL ``CREATE DATABASE … TEMPLATE``, a copy of its
files), and Django's migrate then finds nothing to apply. PostgreSQL copies a database
only while nobody is connected to it: the template is closed once made, and nothing
else connects to it. The controller drops it at the end of the session (``drop``).
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connections

LOCK = "template-database.lock"
MADE = "template-database.made"


def template_name(database_name: str) -> str:
    return f"test_{database_name}_template"


def use(shared: Path, fill: Callable[[], None]) -> str:
    """Make the default database's test database a copy of the template, which the first
    caller makes (migrated, then ``fill``); ``shared``: a directory all workers share."""
    connection = connections["default"]
    name = template_name(connection.settings_dict["NAME"])
    with (shared / LOCK).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        made = shared / MADE
        if not made.exists():
            _make(name, fill)
            made.write_text(name)
    connection.settings_dict["TEST"]["TEMPLATE"] = name
    return name


def _make(name: str, fill: Callable[[], None]) -> None:
    """Django's test database, under the template's name; the settings are put back."""
    connection = connections["default"]
    test = connection.settings_dict["TEST"]
    kept = connection.settings_dict["NAME"], test["NAME"]
    test["NAME"] = name
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        fill()
    finally:
        connection.close()
        connection.settings_dict["NAME"], test["NAME"] = kept
        settings.DATABASES[connection.alias]["NAME"] = kept[0]


def drop(name: str) -> None:
    import psycopg
    from psycopg import sql

    params = {**connections["default"].get_connection_params(), "dbname": "postgres"}
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
