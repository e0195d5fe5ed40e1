"""The Whoosh index on disk: one open index per folder and process, a searcher per thread, locked writers.

Whoosh's lock file excludes writers of other processes but not threads of one process, so writes
also take the process-wide WRITE_LOCK; a writer waits for another process's lock up to the
connection's WRITE_TIMEOUT.
"""

import logging
import os
import shutil
import threading
import time

from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, LockError
from whoosh.qparser import QueryParser
from whoosh.reading import ReaderClosed
from whoosh.searching import Searcher
from whoosh.writing import CLEAR

logger = logging.getLogger(__name__)

WRITE_LOCK = threading.RLock()
_OPEN_LOCK = threading.Lock()
_INDEXES: dict[str, object] = {}
# Per-segment caches: {path: {segment_id: {key: value}}}; a segment never changes its postings.
SEGMENT_CACHE: dict[str, dict[str, dict]] = {}
SEGMENT_CACHE_LOCK = threading.Lock()


def has_toc(path: str) -> bool:
    try:
        return any(name.startswith("_MAIN_") and name.endswith(".toc") for name in os.listdir(path))
    except FileNotFoundError:
        return False


def segment_key(reader) -> str:
    segment = reader.segment()
    return segment.segment_id() if segment is not None else f"r{id(reader)}"


class WhooshStore:
    """Opening, searching and writing the index folder (a part of ArchiveWhooshSearchBackend)."""

    def setup(self):
        from haystack import connections

        path = os.path.abspath(self.path)
        os.makedirs(path, exist_ok=True)
        if not os.access(path, os.W_OK):
            raise OSError(f"The Whoosh index folder {path!r} is not writable.")
        self.storage = FileStorage(path)
        self.content_field_name, self.schema = self.build_schema(
            connections[self.connection_alias].get_unified_index().all_searchfields()
        )
        self.parser = QueryParser(self.content_field_name, schema=self.schema)
        with _OPEN_LOCK:
            ix = _INDEXES.get(path)
            if ix is None or not has_toc(path):
                try:
                    ix = self.storage.open_index(schema=self.schema)
                except EmptyIndexError:
                    ix = self.storage.create_index(self.schema)
                _INDEXES[path] = ix
        self.index = ix
        self._index_token = id(ix)
        self._searcher = None
        self._rankings.clear()
        self.setup_complete = True

    def current_index(self):
        """The process's index object for this folder, reopened when another thread replaced it."""
        if not self.setup_complete:
            self.setup()
        path = os.path.abspath(self.path)
        ix = _INDEXES.get(path)
        if ix is None or id(ix) != self._index_token:
            self.setup()
            ix = self.index
        return ix

    def searcher(self):
        """This thread's searcher, refreshed only when the index has changed."""
        ix = self.current_index()
        searcher = self._searcher
        if searcher is None:
            searcher = ix.searcher()
        elif not searcher.up_to_date():
            # The open readers of unchanged segments are reused (an edit on 100,000 articles would
            # otherwise reopen and copy every segment, about 150 ms); readers of segments that are
            # gone are closed, and a closed one is never reused (see patches._reader_reusing_segments).
            try:
                searcher = Searcher(ix.reader(reuse=searcher.reader()), fromindex=ix)
            except ReaderClosed:
                # The old searcher's readers were closed under it: start from a fresh one.
                searcher = ix.searcher()
        if searcher is not self._searcher:
            self._rankings.clear()
        self._searcher = searcher
        return searcher

    def open_writer(self, timeout: float | None = None, **kwargs):
        """A writer, waiting for other processes' writers (Whoosh's lock file) up to `timeout` (default
        write_timeout). Call with WRITE_LOCK held."""
        deadline = time.monotonic() + (self.write_timeout if timeout is None else timeout)
        while True:
            ix = self.current_index()
            try:
                return ix.writer(timeout=min(2.0, self.write_timeout), delay=0.02, **kwargs)
            except LockError:
                if time.monotonic() >= deadline:
                    raise
                logger.info("Search index is locked by another writer; waiting")
                time.sleep(0.05)

    def segment_cache(self, reader) -> dict:
        path = os.path.abspath(self.path)
        with SEGMENT_CACHE_LOCK:
            per_path = SEGMENT_CACHE.setdefault(path, {})
            return per_path.setdefault(segment_key(reader), {})

    def forget_old_segments(self, searcher):
        path = os.path.abspath(self.path)
        live = {segment_key(sub.reader()) for sub, _ in searcher.leaf_searchers()}
        with SEGMENT_CACHE_LOCK:
            per_path = SEGMENT_CACHE.get(path)
            if per_path:
                for key in list(per_path):
                    if key not in live:
                        del per_path[key]

    def delete_index(self):
        path = os.path.abspath(self.path)
        with WRITE_LOCK, _OPEN_LOCK:
            if os.path.isdir(path):
                # Emptying the folder (rather than removing it) keeps a configured mount point.
                for name in os.listdir(path):
                    if name.startswith(".") or name.endswith("WRITELOCK"):
                        continue  # a running rebuild's files and lock; Whoosh's lock, maybe held by a writer
                    target = os.path.join(path, name)
                    if os.path.isdir(target):
                        shutil.rmtree(target)
                    else:
                        os.remove(target)
            _INDEXES.pop(path, None)
            with SEGMENT_CACHE_LOCK:
                SEGMENT_CACHE.pop(path, None)
        self.setup_complete = False
        self.setup()

    def optimize(self):
        with WRITE_LOCK:
            writer = self.open_writer()
            writer.commit(optimize=True)
        self.freeze()

    def compact(self):
        """Merge all segments into one (after a bulk rebuild); searches stay fast on few segments."""
        with WRITE_LOCK:
            writer = self.open_writer()
            writer.commit(mergetype=None, optimize=True)
        self.freeze()

    def wipe(self):
        """Remove every document in one commit (faster than deleting them one by one)."""
        with WRITE_LOCK:
            writer = self.open_writer()
            writer.commit(mergetype=CLEAR)
