"""Error pages. The API answers its errors in JSON, also for a URL under /api/ that
matches no route (``/api/v1/areas/1.5/``); the pages keep their HTML error page.

A database that does not answer (stopped, restarting, out of connections) is not a bug
of the portal: the request gets 503 with a page that says so and when to try again,
instead of the 500 page, and the page reads nothing from the database.
"""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework.exceptions import NotFound

RETRY_AFTER_SECONDS = 30


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


def database_unavailable(error: BaseException | None) -> bool:
    """Whether an error means the database cannot be reached (not a wrong query)."""
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        if not isinstance(error, DatabaseError):
            error = error.__cause__ or error.__context__
            continue
        return False
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: 503 when the database is unreachable, else Django's 500 page."""
    if not database_unavailable(sys.exc_info()[1]):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Lỗi hệ thống. Vui lòng thử lại sau.")}, status=500)
        return defaults.server_error(request)
    return unavailable(request)


def unavailable(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "detail": _(
                    "Cơ sở dữ liệu tạm thời không trả lời; yêu cầu chưa được thực hiện. "
                    "Hãy thử lại sau %(seconds)s giây."
                )
                % {"seconds": RETRY_AFTER_SECONDS},
                "code": "database_unavailable",
            },
            status=503,
        )
    else:
        page = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
