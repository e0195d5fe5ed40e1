"""Warming a new web worker before it serves: the search index opened and its caches loaded, and one
search page rendered (templates compiled, the query path imported), so no reader pays for it."""

import logging
import time

from django.test import RequestFactory

from archive.search.connections import engine, usings

logger = logging.getLogger(__name__)


def warm_up(query: str = "peace talks") -> float:
    """Warm every search connection and render the search page once; returns the seconds it took.
    A failure is logged, never raised: a worker that could not warm up still serves."""
    from archive.search.views import search

    started = time.perf_counter()
    try:
        for using in usings():
            engine(using).warm()
        search(RequestFactory().get("/search/", {"q": query}))
    except Exception:
        logger.exception("Warming the search up failed; the first searches will be slower")
    elapsed = time.perf_counter() - started
    logger.info("Search warmed up in %.0f ms", elapsed * 1000)
    return elapsed
