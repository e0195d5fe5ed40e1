"""The search page and its help page."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from archive.feeds import SearchAtomFeed, SearchFeed, search_feed_pairs, search_feed_params
from archive.search.facets import SORTS
from archive.search.forms import SearchForm
from archive.search.selectors import search as run_search
from archive.search.urls_helpers import (
    active_filters,
    export_links,
    facet_links,
    page_url,
    search_url,
    type_links,
)


@require_GET
def search(request):
    outcome = run_search(request.GET, page_fields=True)
    get = request.GET
    context = {
        "outcome": outcome,
        "facet_groups": facet_links(get, outcome),
        "type_links": type_links(get, outcome),
        "active_filters": active_filters(get, outcome),
        "previous_url": page_url(get, outcome.page - 1) if outcome.has_previous else "",
        "next_url": page_url(get, outcome.page + 1) if outcome.has_next else "",
        "suggestion_url": search_url([("q", outcome.suggestion)]) if outcome.suggestion else "",
        "sorts": SORTS,
        "export_links": export_links(get, outcome),
        "feed_query": urlencode(search_feed_pairs(get)),
    }
    return render(request, "search/search.html", context)


@require_GET
def search_help(request):
    return render(request, "search/help.html")


FEEDS = {"atom": SearchAtomFeed(), "rss": SearchFeed()}


@require_GET
def search_feed(request, fmt: str):
    """The search's newest matching statements as a feed; a parameter the search would drop is a 400."""
    dropped = SearchForm.dropped(search_feed_params(request.GET))
    if dropped:
        message = "This feed's search has a parameter it cannot use: " + " ".join(dropped)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    return FEEDS[fmt](request)
