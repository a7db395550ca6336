"""Small helpers shared by the tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def query_count(client, url: str, params: dict | None = None) -> int:
    """How many SQL queries one successful GET of ``url`` runs."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)
