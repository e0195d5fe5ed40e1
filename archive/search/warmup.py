"""Warming a new web worker before it serves: the search index opened and its caches loaded, and one
search page rendered (templates compiled, the query path imported), so no reader pays for it.

A warmed worker holds a few hundred thousand long-lived objects (the index's lexicon and column
readers, the segments' caches). Python's cyclic collector scans them all on each full collection, which
took 0.6–0.8 s at 100,000 articles and fell on whichever search was running. ``freeze=True`` moves them
out of the collector's sight (``gc.freeze()``), as a worker wants once it has warmed up; a full
collection then takes about a millisecond.
"""

import gc
import logging
import time

from django.test import RequestFactory

from archive.search.connections import engine, usings

logger = logging.getLogger(__name__)


def warm_up(query: str = "peace talks", freeze: bool = False) -> float:
    """Warm every search connection and render the search page once, then (with `freeze`) freeze the
    heap for the cyclic collector; returns the seconds it took. A failure is logged, never raised: a
    worker that could not warm up still serves."""
    from archive.search.views import search

    started = time.perf_counter()
    try:
        for using in usings():
            engine(using).warm()
        search(RequestFactory().get("/search/", {"q": query}))
    except Exception:
        logger.exception("Warming the search up failed; the first searches will be slower")
    if freeze:
        gc.collect()
        gc.freeze()
    elapsed = time.perf_counter() - started
    logger.info("Search warmed up in %.0f ms", elapsed * 1000)
    return elapsed
