"""Small helpers shared by the tests."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


@contextmanager
def kept_for_the_module(django_db_blocker) -> Iterator[None]:
    """For a module-scoped fixture: what it makes inside the block is made once for the
    module, in a transaction that each test nests in (pytest-django's ``db`` opens a
    savepoint) and that is rolled back when the module ends. For rows that take seconds
    to make and that many tests read (the access matrix's world, the demo, a year of
    accepted reports); the module's tests must not be transactional."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def query_count(client, url: str, params: dict | None = None) -> int:
    """How many SQL queries one successful GET of ``url`` runs."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def query_counts(client, urls: Iterable[str]) -> dict[str, int]:
    """The queries of one successful GET of each URL, by URL.

    The lists' tests compare these with a baseline written in the test (as NetBox keeps
    its query counts): a list that runs a query per row shows as a count that grows with
    the rows, and a page that gains a query shows as a changed baseline, to be updated on
    purpose in the same commit.
    """
    return {url: query_count(client, url) for url in urls}


def fill_sections(page) -> None:
    """Type into the filing form (a browser page) the sections submitting needs, except
    the results each test writes itself."""
    from tests.factories import REPORT_SECTIONS

    for name, text in REPORT_SECTIONS.items():
        if name != "results":
            page.fill(f"#id_{name}", text)
