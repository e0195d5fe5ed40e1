"""Login throttling glue for django-axes: the client address and a backend that needs a request."""

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil


def client_ip(request) -> str:
    """The client address: REMOTE_ADDR, or the entry our own trusted proxies added to X-Forwarded-For."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    # Entries left of the ones our proxies appended were written by the client and can be forged.
    if len(forwarded) >= hops:
        return forwarded[-hops]
    return remote


class AxesRequestBackend(AxesStandaloneBackend):
    """Axes' lockout check for every login that comes with a request (admin, API)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        # Logins without a request (management commands, the test client) have no client to lock out;
        # stock Axes refuses them outright, which would break createsuperuser-style scripts and tests.
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets: how many attempts, and when to try again (HTTP 429)."""
    cool_off = get_cool_off(request)
    now = timezone.now()
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "retry_in": timeuntil(now + cool_off, now) if cool_off else "",
    }
    response = render(request, "axes_lockout.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def client_username(request, credentials=None) -> str | None:
    """The account a login names: the admin form's "username", or the reader's sign-in "login" (email)."""
    if credentials:
        found = credentials.get("username") or credentials.get("email") or credentials.get("login")
        if found:
            return found
    data = getattr(request, "POST", None) or {}
    return data.get("username") or data.get("login") or None
