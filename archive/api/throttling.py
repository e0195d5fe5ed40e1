"""Throttling of anonymous API clients, configured by the API_ANON_RATE setting."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from archive.security import client_ip


class AnonymousRateThrottle(AnonRateThrottle):
    """AnonRateThrottle with the rate read from settings.API_ANON_RATE at request time ("off" disables it).

    Counts live in the default cache (Redis with REDIS_URL), so every gunicorn worker sees the same
    count; the client address is the one the login throttling trusts (TRUSTED_PROXY_COUNT).
    """

    def get_rate(self):
        rate = getattr(settings, "API_ANON_RATE", "120/min")
        if not rate or str(rate).strip().lower() in {"off", "none", "0"}:
            return None
        return rate

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request._request)}

    def wait(self):
        # Never tell a client to retry at once.
        wait = super().wait()
        return None if wait is None else max(1.0, wait)
