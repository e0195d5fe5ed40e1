"""Test settings: a throwaway Whoosh index per run, a fast password hasher."""

import tempfile

from archive.settings import *  # noqa: F403
from archive.settings import HAYSTACK_CONNECTIONS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if HAYSTACK_CONNECTIONS["default"]["ENGINE"].endswith("WhooshEngine"):
    HAYSTACK_CONNECTIONS["default"]["PATH"] = tempfile.mkdtemp(prefix="archive-test-whoosh-")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- search ---
# An empty index, as `rebuild_index` leaves one on a fresh site: the search page answers 503 when
# there is no index at all. The archive's Whoosh engine opens it with the indexes' own schema.
if HAYSTACK_CONNECTIONS["default"]["ENGINE"].endswith("WhooshEngine"):
    from whoosh import fields as _whoosh_fields
    from whoosh import index as _whoosh_index

    _whoosh_index.create_in(
        HAYSTACK_CONNECTIONS["default"]["PATH"], _whoosh_fields.Schema(id=_whoosh_fields.ID(stored=True, unique=True))
    )
