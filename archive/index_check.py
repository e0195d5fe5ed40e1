"""Checks that the search index holds exactly the public objects, with their current field values."""

from dataclasses import dataclass, field

from haystack import connections
from haystack.query import SearchQuerySet

BATCH = 1000


@dataclass
class IndexReport:
    """How one model's rows in the index compare with the database."""

    model: type
    database_count: int = 0
    index_count: int = 0
    missing: set = field(default_factory=set)
    stale: set = field(default_factory=set)
    outdated: set = field(default_factory=set)

    @property
    def consistent(self) -> bool:
        return not (self.missing or self.stale or self.outdated)


def _normalise(value):
    """A comparable form of a prepared or stored field value (lists unordered, dates as days)."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list | tuple | set):
        return tuple(sorted(str(_normalise(v)) for v in value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


def compare_index(using: str = "default", searchqueryset: SearchQuerySet | None = None) -> list[IndexReport]:
    """One report per indexed model: ids missing, stale (not public any more) and with outdated fields.

    A document is outdated when any field the backend stores differs from what indexing the object now
    would store (its text, names, facets and dates, as far as the engine keeps them).
    """
    unified = connections[using].get_unified_index()
    sqs = searchqueryset if searchqueryset is not None else SearchQuerySet(using=using)
    reports = []
    for model in sorted(unified.get_indexed_models(), key=lambda m: m._meta.label):
        index = unified.get_index(model)
        indexed: dict[str, dict] = {}
        results = sqs.models(model)
        total = results.count()
        for offset in range(0, total, BATCH):
            for result in results[offset : offset + BATCH]:
                if result is not None:
                    indexed[str(result.pk)] = result.get_stored_fields()
        report = IndexReport(model=model, index_count=len(indexed))
        seen = set()
        for obj in index.index_queryset(using=using).iterator(chunk_size=BATCH):
            pk = str(obj.pk)
            seen.add(pk)
            stored = indexed.get(pk)
            if stored is None:
                report.missing.add(obj.pk)
                continue
            prepared = index.full_prepare(obj)
            # Only what the backend stores can be compared (an engine may keep some fields unstored).
            if any(
                _normalise(prepared.get(name)) != _normalise(value)
                for name, value in stored.items()
                if value is not None
            ):
                report.outdated.add(obj.pk)
        report.database_count = len(seen)
        report.stale = {int(pk) for pk in indexed.keys() - seen}
        reports.append(report)
    return reports
