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


def _comparable_fields(index) -> list[tuple[str, str]]:
    """(index field, model attribute) pairs stored in the index from a plain model attribute."""
    pairs = []
    for name, index_field in index.fields.items():
        attr = getattr(index_field, "model_attr", None)
        if index_field.stored and attr and "__" not in attr and not index_field.is_multivalued:
            if getattr(index_field, "field_type", "") in {"string", "integer", "boolean"}:
                pairs.append((name, attr))
    return pairs


def _normalise(value):
    return "" if value is None else str(value)


def compare_index(using: str = "default", searchqueryset: SearchQuerySet | None = None) -> list[IndexReport]:
    """One report per indexed model: ids missing, stale (not public any more) and with outdated fields."""
    unified = connections[using].get_unified_index()
    sqs = searchqueryset if searchqueryset is not None else SearchQuerySet(using=using)
    reports = []
    for model in sorted(unified.get_indexed_models(), key=lambda m: m._meta.label):
        index = unified.get_index(model)
        pairs = _comparable_fields(index)
        expected = {
            str(row["pk"]): row
            for row in index.index_queryset(using=using).values("pk", *[attr for _, attr in pairs]).iterator()
        }
        indexed: dict[str, dict] = {}
        results = sqs.models(model)
        total = results.count()
        for offset in range(0, total, BATCH):
            for result in results[offset : offset + BATCH]:
                if result is not None:
                    indexed[str(result.pk)] = result.get_stored_fields()
        report = IndexReport(model=model, database_count=len(expected), index_count=len(indexed))
        report.missing = {int(pk) for pk in expected.keys() - indexed.keys()}
        report.stale = {int(pk) for pk in indexed.keys() - expected.keys()}
        for pk in expected.keys() & indexed.keys():
            row, stored = expected[pk], indexed[pk]
            if any(_normalise(row[attr]) != _normalise(stored.get(name)) for name, attr in pairs):
                report.outdated.add(int(pk))
        reports.append(report)
    return reports
