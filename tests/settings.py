"""Test settings: a throwaway Whoosh index per run, a fast password hasher."""

import tempfile

from archive.settings import *  # noqa: F403
from archive.settings import HAYSTACK_CONNECTIONS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if HAYSTACK_CONNECTIONS["default"]["ENGINE"].endswith("WhooshEngine"):
    HAYSTACK_CONNECTIONS["default"]["PATH"] = tempfile.mkdtemp(prefix="archive-test-whoosh-")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
