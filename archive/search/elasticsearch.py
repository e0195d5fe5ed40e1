"""The archive's engine boundary over any haystack backend (Elasticsearch is the one configured by settings).

Only haystack's public backend API is used (``update``, ``remove``, ``SearchQuerySet``), so this adapter
makes no assumption about the engine behind it beyond what haystack promises.
"""

import logging
import time
from io import StringIO

from django.core.management import call_command
from haystack import connections
from haystack.query import SearchQuerySet

from archive.search.engine import HealthReport, RebuildReport

logger = logging.getLogger(__name__)


class HaystackEngine:
    """``archive.search.engine.SearchEngine`` for a haystack connection whose backend is haystack's own."""

    def __init__(self, using: str):
        self.using = using

    @property
    def backend(self):
        return connections[self.using].get_backend()

    def update_many(self, work, removals) -> None:
        """Removals, then updates; only the last call asks the engine to commit (refresh)."""
        backend = self.backend
        work = [(index, list(objects)) for index, objects in work if objects]
        removals = list(removals)
        for n, identifier in enumerate(removals):
            backend.remove(identifier, commit=not work and n == len(removals) - 1)
        for n, (index, objects) in enumerate(work):
            backend.update(index, objects, commit=n == len(work) - 1)

    def remove_many(self, identifiers) -> None:
        self.update_many([], identifiers)

    def suggest(self, words) -> dict[str, str | None]:
        """The engine's own spelling suggestion for each word it would spell differently."""
        suggestions = {}
        for word in words:
            try:
                suggestion = SearchQuerySet(using=self.using).spelling_suggestion(word)
            except Exception:
                logger.exception("Spelling suggestion failed")
                return suggestions
            if suggestion and suggestion.lower() != word.lower():
                suggestions[word] = suggestion
        return suggestions

    def rebuild(self, workers=None, batch_size=None, stdout=None) -> RebuildReport:
        """haystack's clear then update (the index is empty meanwhile)."""
        started = time.perf_counter()
        unified = connections[self.using].get_unified_index()
        counts = {
            str(model._meta.verbose_name_plural): unified.get_index(model).index_queryset(using=self.using).count()
            for model in unified.get_indexed_models()
        }
        call_command("clear_index", using=[self.using], interactive=False, verbosity=0)
        options = {"using": [self.using], "workers": workers or 0, "verbosity": 1 if stdout else 0}
        if batch_size:
            options["batchsize"] = batch_size
        call_command("update_index", stdout=stdout or StringIO(), **options)
        return RebuildReport(counts=counts, workers=workers or 1, seconds=time.perf_counter() - started)

    def check(self) -> HealthReport:
        report = HealthReport()
        try:
            SearchQuerySet(using=self.using).count()
        except Exception as error:  # the engine unreachable or its index missing
            report.writable = False
            report.problems.append(f"The search engine cannot be queried ({type(error).__name__}: {error}).")
        return report

    def warm(self) -> None:
        """Open the connection to the cluster with one small search."""
        SearchQuerySet(using=self.using).count()
