"""Keyset pagination of petitions, newest received first.

DRF's CursorPagination keeps only the first ordering field in its cursor and pages within
equal values by an offset, which it caps at 1,000: on a day with more petitions than that
(a national portal has such days) ``next`` returns the same page forever. Here the cursor
holds ``(received_on, id)`` and a page is one row comparison on the index of those two
columns, as fast on the last page as on the first.
"""

from __future__ import annotations

import base64
import binascii
import datetime

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param


def encode_position(day: datetime.date, pk: int, *, backwards: bool = False) -> str:
    """The cursor of the page after (or, ``backwards``, before) the row ``(day, pk)``."""
    token = f"{day.isoformat()}|{pk}|{int(backwards)}"
    return base64.urlsafe_b64encode(token.encode()).decode()


class ReceivedCursorPagination(BasePagination):
    page_size = 50
    cursor_query_param = "cursor"

    def _decode(self, request) -> tuple[datetime.date, int, bool] | None:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None
        try:
            day, pk, backwards = base64.urlsafe_b64decode(raw.encode()).decode().split("|")
            return datetime.date.fromisoformat(day), int(pk), backwards == "1"
        except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
            raise NotFound(_("Con trỏ trang không hợp lệ.")) from exc

    def _link(self, row, backwards: bool) -> str:
        cursor = encode_position(row.received_on, row.pk, backwards=backwards)
        return replace_query_param(self.base_url, self.cursor_query_param, cursor)

    def paginate_queryset(self, queryset, request, view=None):
        self.base_url = request.build_absolute_uri()
        position = self._decode(request)
        table = queryset.model._meta.db_table
        row = f'("{table}"."received_on", "{table}"."id")'
        backwards = bool(position and position[2])
        if position:
            sign = ">" if backwards else "<"
            # Only the table's own name is formatted in; the values are bound parameters.
            where = f"{row} {sign} (%s, %s)"
            queryset = queryset.extra(where=[where], params=position[:2])  # noqa: S610
        order = ("received_on", "id") if backwards else ("-received_on", "-id")
        rows = list(queryset.order_by(*order)[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        self.next = self.previous = None
        if backwards:
            rows.reverse()  # newest first again
            if rows:
                self.next = self._link(rows[-1], backwards=False)
                self.previous = self._link(rows[0], backwards=True) if more else None
        elif rows:
            self.next = self._link(rows[-1], backwards=False) if more else None
            self.previous = self._link(rows[0], backwards=True) if position else None
        return rows

    def get_paginated_response(self, data):
        return Response({"next": self.next, "previous": self.previous, "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The pagination cursor value (from next / previous).",
                "schema": {"type": "string"},
            }
        ]
