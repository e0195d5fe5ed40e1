"""The engine behind each haystack connection, as ``archive.search.engine.SearchEngine``."""

from haystack import connections

from archive.search.elasticsearch import HaystackEngine
from archive.search.engine import SearchEngine
from archive.search.whoosh.backend import ArchiveWhooshSearchBackend


def engine(using: str = "default") -> SearchEngine:
    """The archive's own Whoosh engine implements the boundary; any other haystack backend is adapted."""
    backend = connections[using].get_backend()
    if isinstance(backend, ArchiveWhooshSearchBackend):
        return backend
    return HaystackEngine(using)


def usings() -> list[str]:
    """Every configured search connection."""
    return list(connections.connections_info)
