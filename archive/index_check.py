"""Checks that the search index holds exactly the public objects, each as indexing it now would write it.

Every document stores a digest of its content (``search_indexes.content_hash``); a document whose
digest differs from the object's current one is outdated (a renamed speaker, a corrected text), not
only one that is missing or should not be there. ``repair`` brings exactly those documents in line.
"""

from dataclasses import dataclass, field

from haystack import connections
from haystack.query import SearchQuerySet

from archive.search.connections import engine
from archive.search.documents import batch_for_identifiers, index_work
from archive.search_indexes import CONTENT_HASH

BATCH = 1000


@dataclass
class IndexReport:
    """How one model's documents in the index compare with the database."""

    model: type
    database_count: int = 0
    index_count: int = 0
    missing: set = field(default_factory=set)
    stale: set = field(default_factory=set)
    outdated: set = field(default_factory=set)

    @property
    def consistent(self) -> bool:
        return not (self.missing or self.stale or self.outdated)

    def identifiers(self) -> list[str]:
        label = self.model._meta.label_lower
        return [f"{label}.{pk}" for pk in sorted(self.missing | self.stale | self.outdated, key=str)]


def _indexed_hashes(sqs, model) -> dict[str, str | None]:
    """{pk: stored content digest} of a model's documents in the index."""
    found = {}
    results = sqs.models(model)
    total = results.count()
    for offset in range(0, total, BATCH):
        for result in results[offset : offset + BATCH]:
            if result is not None:
                found[str(result.pk)] = result.get_additional_fields().get(CONTENT_HASH)
    return found


def compare_index(using: str = "default", searchqueryset: SearchQuerySet | None = None) -> list[IndexReport]:
    """One report per indexed model: ids missing, stale (not public any more) and outdated (content differs)."""
    unified = connections[using].get_unified_index()
    sqs = searchqueryset if searchqueryset is not None else SearchQuerySet(using=using)
    reports = []
    for model in sorted(unified.get_indexed_models(), key=lambda m: m._meta.label):
        index = unified.get_index(model)
        indexed = _indexed_hashes(sqs, model)
        report = IndexReport(model=model, index_count=len(indexed))
        seen = set()
        for obj in index.index_queryset(using=using).iterator(chunk_size=BATCH):
            pk = str(obj.pk)
            seen.add(pk)
            if pk not in indexed:
                report.missing.add(obj.pk)
            elif indexed[pk] != index.full_prepare(obj)[CONTENT_HASH]:
                report.outdated.add(obj.pk)
        report.database_count = len(seen)
        report.stale = {model._meta.pk.to_python(pk) for pk in indexed.keys() - seen}
        reports.append(report)
    return reports


def repair(reports: list[IndexReport], using: str = "default") -> int:
    """Re-index the missing and outdated documents and remove the stale ones (no rebuild); returns how many."""
    identifiers = [identifier for report in reports for identifier in report.identifiers()]
    for start in range(0, len(identifiers), BATCH):
        work, removals = index_work(batch_for_identifiers(identifiers[start : start + BATCH]), using)
        engine(using).update_many(work, removals)
    return len(identifiers)
