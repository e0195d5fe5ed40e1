"""What the archive needs from a search engine, declared once.

Pages, the API and exports read through haystack's SearchQuerySet, which every engine serves. The
writes and the upkeep differ from engine to engine; they go through this boundary, which the
archive's Whoosh engine (``archive.search.whoosh``) implements itself and any other haystack
backend gets through the generic adapter in ``archive.search.elasticsearch``.
``archive.search.connections.engine()`` gives the engine of a search connection.

This module imports nothing from the archive: engine code may import it, never the reverse.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

# [(haystack SearchIndex, the public objects to (re)index with it)]
Work = Sequence[tuple[Any, Sequence[Any]]]


class RebuildError(Exception):
    """A rebuild could not run or finish (before the swap: the live index is unchanged)."""

    def __init__(self, message: str, index_unchanged: bool = True):
        super().__init__(message)
        self.index_unchanged = index_unchanged


@dataclass
class RebuildReport:
    counts: dict  # {model verbose name plural: documents indexed}
    workers: int
    seconds: float
    replayed: int = 0


@dataclass
class HealthReport:
    """Whether the engine's store can be read and written; `problems` say what is wrong, plainly."""

    problems: list[str] = field(default_factory=list)
    writable: bool = True

    @property
    def healthy(self) -> bool:
        return not self.problems


class SearchEngine(Protocol):
    """The archive's writes and upkeep of one search connection."""

    def update_many(self, work: Work, removals: Sequence[str]) -> None:
        """Replace the documents of `work` and delete the documents with the identifiers `removals`
        ("app_label.model.pk"), as one commit of the index."""
        ...

    def remove_many(self, identifiers: Sequence[str]) -> None:
        """Delete the documents with these identifiers, as one commit."""
        ...

    def suggest(self, words: Sequence[str]) -> Mapping[str, str | None]:
        """For each word the index does not hold, the closest word it does hold (or None); words the
        index holds are left out. An engine may look the closest words up only when they are read."""
        ...

    def rebuild(self, workers: int | None = None, batch_size: int | None = None, stdout=None) -> RebuildReport:
        """Index every public object afresh; searches keep answering meanwhile where the engine can."""
        ...

    def check(self) -> HealthReport:
        """Whether the index can be opened, read and written; never raises for a damaged index."""
        ...

    def warm(self) -> None:
        """Open the index and load what every query reads (a new web worker calls it before serving,
        so no reader waits for it)."""
        ...
