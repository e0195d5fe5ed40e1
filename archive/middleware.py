"""Middleware for production: 503 pages for unavailable services, request size limits, headers."""

import logging
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.html import escape

from archive.errors import DatabaseUnavailable, SearchIndexUnavailable, ServiceUnavailable

logger = logging.getLogger("archive.errors")

FALLBACK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Peace Talks Archive</title></head>
<body><main><h1>{title}</h1><p>{message}</p><p><a href="/">Peace Talks Archive</a></p></main></body></html>
"""


def _raised_inside(exception: BaseException, package: str) -> bool:
    """Whether any frame of the exception's traceback runs code of the given package."""
    if type(exception).__module__.split(".")[0] == package:
        return True
    tb = exception.__traceback__
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        if module == package or module.startswith(package + "."):
            return True
        tb = tb.tb_next
    return False


def as_service_error(exception: BaseException) -> ServiceUnavailable | None:
    """The ServiceUnavailable an exception amounts to, or None for an ordinary bug."""
    if isinstance(exception, ServiceUnavailable):
        return exception
    if _raised_inside(exception, "whoosh") or _raised_inside(exception, "elasticsearch"):
        # Whoosh raises EmptyIndexError, struct/EOF/OS errors on truncated or deleted segment
        # files; Elasticsearch raises connection and transport errors. To the reader all mean
        # the search index cannot answer.
        return SearchIndexUnavailable(f"{type(exception).__name__}: {exception}")
    if isinstance(exception, OperationalError | InterfaceError):
        return DatabaseUnavailable(f"{type(exception).__name__}: {exception}")
    if isinstance(exception, DatabaseError) and "connection" in str(exception).lower():
        return DatabaseUnavailable(f"{type(exception).__name__}: {exception}")
    return None


def whoosh_index_missing() -> bool:
    """Whether the configured Whoosh index folder has no index in it (never built, or deleted)."""
    connection = settings.HAYSTACK_CONNECTIONS.get("default", {})
    if not connection.get("ENGINE", "").lower().endswith("whooshengine") or not connection.get("PATH"):
        return False
    folder = Path(connection["PATH"])
    # A Whoosh index is a folder with a _MAIN_<generation>.toc table of contents.
    return not folder.is_dir() or not any(folder.glob("_MAIN_*.toc"))


def service_unavailable_response(error: ServiceUnavailable, request=None) -> HttpResponse:
    """The 503 page, rendered without the database or any context processor."""
    if request is not None and request.path.startswith("/api/"):
        response = JsonResponse({"detail": error.message}, status=503)
        response["Retry-After"] = str(error.retry_after)
        return response
    context = {"title": error.title, "message": error.message, "operator_hint": error.operator_hint}
    try:
        html = render_to_string("503.html", context)
    except Exception:
        # The page template itself failed (it may reach something that is down): answer plainly.
        logger.exception("503.html could not be rendered; sending the plain page")
        html = FALLBACK_PAGE.format(title=escape(error.title), message=escape(error.message))
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(error.retry_after)
    response["Cache-Control"] = "no-store"
    return response


class ServiceUnavailableMiddleware:
    """Answers a view that fails because the database or the search index is down with a 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or "search" not in match.namespaces or "help" in (match.url_name or ""):
            return None
        # Stock haystack quietly creates an empty index where there is none, and every search
        # would then find nothing; say plainly that the index is missing instead.
        if whoosh_index_missing():
            error = SearchIndexUnavailable("no Whoosh index at HAYSTACK_CONNECTIONS['default']['PATH']")
            logger.error("SearchIndexUnavailable on %s %s: %s", request.method, request.path, error.detail)
            return service_unavailable_response(error, request)
        return None

    def process_exception(self, request, exception):
        error = as_service_error(exception)
        if error is None:
            return None
        logger.error(
            "%s on %s %s: %s",
            type(error).__name__,
            request.method,
            request.path,
            error.detail or error,
            exc_info=exception,
        )
        return service_unavailable_response(error, request)


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared body is over ARCHIVE_MAX_REQUEST_BYTES, before reading it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.ARCHIVE_MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            logger.warning(
                "Refused %s %s: %d bytes over the %d-byte limit", request.method, request.path, length, limit
            )
            context = {"limit_mb": limit // (1024 * 1024), "size_mb": round(length / (1024 * 1024), 1)}
            return HttpResponse(render_to_string("413.html", context), status=413)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header: the site needs no camera, microphone, location or payment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
