"""Error answers: the portal's own pages, in the user's language, and JSON under /api/.

The API's own views answer their errors through DRF; these handlers cover what reaches
Django instead: a URL under /api/ that matches no route (``/api/v1/areas/1.5/``), an
exception DRF does not handle (a 500), a request Django refuses before any view (400).
The pages never show Django's technical pages, whatever DEBUG says for them.

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
from rest_framework import exceptions

RETRY_AFTER_SECONDS = 30


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _json(detail: str, status: int) -> JsonResponse:
    # The same body DRF gives its own errors, in readable UTF-8 like DRF's.
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _json(_("Yêu cầu không hợp lệ."), 400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _json(str(exceptions.PermissionDenied.default_detail), 403)
    return defaults.permission_denied(request, exception)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _json(str(exceptions.NotFound.default_detail), 404)
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
        if _is_api(request):
            return _json(_("Lỗi hệ thống. Vui lòng thử lại sau."), 500)
        return defaults.server_error(request)
    return unavailable(request)


def unavailable(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
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
