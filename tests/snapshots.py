"""The rows of the whole test database, copied out once and put back in a second.

``seed_demo`` takes about 15 seconds (it files and accepts a hundred reports through the
services, each computing its figures from the records), and the browser tests, the
English pages and others each need the demo afresh: a browser test is transactional, so
its database is emptied after it. The first test of a worker that asks for the demo
seeds it and keeps a copy of every table (PostgreSQL ``COPY … TO STDOUT`` in binary,
with the sequences' positions); the next ones get the same rows back, with the same ids,
by ``COPY … FROM STDIN``. The demo itself is tested where it is seeded
(``tests/committees/test_demo.py`` seeds it for real, and keeps the copy for the tests
of its worker that come after it; the first user on each other worker seeds it too).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction


@dataclass(frozen=True)
class Snapshot:
    """Every table of the database (as ``flush`` sees them) and every sequence's position."""

    tables: dict[str, bytes]
    sequences: dict[str, tuple[int, bool]]

    @classmethod
    def take(cls) -> Snapshot:
        quote = connection.ops.quote_name
        tables = {}
        with connection.cursor() as cursor:
            for table in _tables():
                copy_out = f"COPY {quote(table)} TO STDOUT (FORMAT BINARY)"
                with cursor.cursor.copy(copy_out) as copy:
                    tables[table] = b"".join(bytes(block) for block in copy)
            cursor.execute(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename),"
                " last_value FROM pg_sequences WHERE schemaname = current_schema()"
            )
            sequences = {name: (value or 1, value is not None) for name, value in cursor}
        return cls(tables, sequences)

    def restore(self) -> None:
        """Empty every table and put the rows back (in the test's transaction, if it has
        one: its rollback undoes this as it undoes the rest)."""
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            # Rows the test made before may leave foreign-key checks pending, which
            # TRUNCATE refuses: run them now; the copied rows are checked at the end.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in self.tables)}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table, rows in self.tables.items():
                with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN (FORMAT BINARY)") as copy:
                    copy.write(rows)
            for name, (value, called) in self.sequences.items():
                cursor.execute("SELECT setval(%s, %s, %s)", [name, value, called])
            # Check the copied rows now, then back to Django's default: its foreign keys,
            # the only deferrable constraints here, are checked at commit.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        ContentType.objects.clear_cache()  # the ids may differ from the ones cached


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


_demos: dict[datetime.date, Snapshot] = {}


def demo_seeded() -> None:
    """The demo of ``manage.py seed_demo`` in the database: seeded by the first caller of
    this worker (of the day: the demo's dates follow today), copied back for the others.
    On SQLite it is seeded each time."""
    from django.core.management import call_command

    def seed() -> None:
        call_command("seed_demo", stdout=io.StringIO())

    today = datetime.date.today()
    if connection.vendor != "postgresql":
        seed()
    elif today in _demos:
        _demos[today].restore()
    else:
        seed()
        _demos.clear()
        _demos[today] = Snapshot.take()


def demo_just_seeded() -> None:
    """The demo was just seeded, on the areas alone (``tests/committees/test_demo.py``):
    kept as this worker's copy, so that ``demo_seeded`` does not seed it again."""
    if connection.vendor == "postgresql":
        _demos.clear()
        _demos[datetime.date.today()] = Snapshot.take()
