"""The archive's Whoosh engine, below the boundary in ``archive.search.engine``.

backend.py is the haystack backend (it implements ``SearchEngine``); store.py opens the index and holds
its locks; matching.py, scoring.py, sorting.py and facets.py answer searches; merge.py decides merges;
journal.py and rebuild.py rebuild beside the live index; health.py checks the folder; spelling.py and
analysis.py handle words; patches.py fixes Whoosh itself, applied from ``ArchiveConfig.ready()``.
Nothing here imports the archive's pages, selectors or indexing path.
"""
