"""Every API error answers as JSON: {"detail": ...} or {field: [messages]}."""

from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == 429:
        wait = getattr(exc, "wait", None)
        response.data = {
            "detail": "Too many requests from this address. Please slow down"
            + (f" and retry in {int(wait)} seconds." if wait else ".")
        }
    return response


def not_found(request, *args, **kwargs):
    """A JSON 404 for an /api/ address that names no endpoint (or a redirect when only the slash is missing)."""
    if not request.path.endswith("/") and request.method in ("GET", "HEAD"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "not_found":
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    return JsonResponse(
        {"detail": f"No API endpoint at {request.path}. The endpoints are listed at /api/, documented at /api/docs/."},
        status=404,
    )
