"""haystack's Elasticsearch 7 engine with the archive's analysis on every text field.

haystack's own backend, subclassed the way its documentation describes for custom analysers: the
index settings add the ``archive_text`` analyzer (``archive.search.elasticsearch_analysis``) and text
fields use it instead of ``snowball``, so Elasticsearch folds "cease-fire", "al-Qaida" and "Tōlō"
as the Whoosh engine does. Selected by ``ELASTICSEARCH_URL`` (settings); nothing else changes.
"""

import copy

from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
    Elasticsearch7SearchQuery,
)

from archive.search.elasticsearch_analysis import ANALYZER, index_settings


def merged_settings(base: dict) -> dict:
    """haystack's default index settings (its n-gram analysers) with the archive's analysis added."""
    merged = copy.deepcopy(base)
    analysis = merged.setdefault("settings", {}).setdefault("analysis", {})
    for section, entries in index_settings()["analysis"].items():
        analysis.setdefault(section, {}).update(entries)
    return merged


class ArchiveElasticsearchBackend(Elasticsearch7SearchBackend):
    DEFAULT_SETTINGS = merged_settings(Elasticsearch7SearchBackend.DEFAULT_SETTINGS)
    DEFAULT_FIELD_MAPPING = {"type": "text", "analyzer": ANALYZER}


class ArchiveElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = ArchiveElasticsearchBackend
    query = Elasticsearch7SearchQuery
