"""The search page and its help page."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from archive.search.facets import SORTS
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
    outcome = run_search(request.GET)
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
    }
    return render(request, "search/search.html", context)


@require_GET
def search_help(request):
    return render(request, "search/help.html")
