"""The site's URLs plus views that fail the way a broken dependency makes real views fail."""

from pathlib import Path

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse
from django.urls import include, path

from archive.errors import SearchIndexUnavailable


def bug(request):
    raise RuntimeError("an ordinary bug")


def database_down(request):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def search_unavailable(request):
    raise SearchIndexUnavailable("index folder missing")


def whoosh_search(request):
    """Opens and searches the Whoosh index directly, as a search backend does."""
    from whoosh import index
    from whoosh.qparser import QueryParser

    folder = Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])
    ix = index.open_dir(str(folder))
    with ix.searcher() as searcher:
        hits = searcher.search(QueryParser("text", ix.schema).parse(request.GET.get("q", "talks")), limit=20)
        return HttpResponse(f"{len(hits)} results")


urlpatterns = [
    path("prod-faults/bug/", bug),
    path("prod-faults/database/", database_down),
    path("prod-faults/search/", search_unavailable),
    path("prod-faults/whoosh/", whoosh_search),
    path("", include("archive.urls")),
]
