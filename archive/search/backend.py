"""A faster haystack Whoosh engine: a cached index and searcher, set-based facets, safe concurrent writes.

Stock haystack + Whoosh reopens the index and a searcher on every query, runs every narrowing
query as a separate full search, counts facets by grouping every hit, stores and highlights the whole
text, and commits each update through an asynchronous writer. This engine keeps one index object per
folder for the process and one searcher per thread (refreshed only when the index changed), counts
facets by intersecting the matching documents with cached per-segment posting sets, computes the
top hits only for the page asked for, stores only identifiers, and writes under a process-wide lock
with retries on Whoosh's file lock, so two editors saving at once both succeed.

Everything Whoosh-specific lives in this module; the rest of the archive talks to haystack's
SearchQuerySet and works the same on Elasticsearch.
"""

import heapq
import logging
import os
import re
import shutil
import threading
import time
from collections import OrderedDict
from datetime import date, datetime
from functools import lru_cache
from itertools import islice

import numpy as np
from django.utils.encoding import force_str
from haystack.backends import log_query
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier, get_model_ct
from whoosh import query as wq
from whoosh.analysis import CompositeAnalyzer, StemmingAnalyzer, Token
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader
from whoosh.fields import DATETIME, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, FileIndex, LockError
from whoosh.lang.porter import stem as porter_stem
from whoosh.matching.wrappers import FilterMatcher
from whoosh.qparser import QueryParser
from whoosh.reading import EmptyReader, MultiReader, ReaderClosed, SegmentReader, TermNotFound
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length
from whoosh.util.times import datetime_to_long
from whoosh.writing import CLEAR

from archive.search import rebuild
from archive.search.highlight import ARCHIVE_STOP_WORDS

logger = logging.getLogger(__name__)

# One writer at a time per process (Whoosh's file lock does not exclude threads of one process);
# between processes, Whoosh's own lock file, retried until WRITE_TIMEOUT.
WRITE_LOCK = threading.RLock()
_OPEN_LOCK = threading.Lock()
_INDEXES: dict[str, object] = {}
# Per-segment caches: {path: {segment_id: {key: value}}}; a segment never changes its postings.
_SEGMENT_CACHE: dict[str, dict[str, dict]] = {}
_SEGMENT_CACHE_LOCK = threading.Lock()

DATE_FLOOR = datetime_to_long(datetime(1000, 1, 1))
DATE_CEILING = datetime_to_long(datetime(3000, 1, 1))
SMALL_SORT = 2000
TERM_CACHE_SIZE = 256  # term bitmaps kept per segment
POSTINGS_CACHE_SIZE = 64  # term postings (ids and frequencies) kept per segment for scoring
BM25_B, BM25_K1 = 0.75, 1.2  # Whoosh's BM25F defaults
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
_EMPTY_IDS = np.zeros(0, dtype=np.int64)
DEEP_PAGE = 1000  # past this many results, a whole ranking is computed once and reused  # at or below this many hits, sort them directly rather than walking a date order


def _cached_lengths_reader(self, fieldname, column):
    """W3PerDocReader._cached_reader that also remembers a missing column.

    Whoosh's own version checks the file system for every posting of a field without lengths
    (keyword and spelling fields), which made a commit spend half its time in stat() calls.
    """
    try:
        return self._readers[fieldname]
    except KeyError:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
        return reader


W3PerDocReader._cached_reader = _cached_lengths_reader


def _reader_reusing_segments(cls, storage, schema, segments, generation, reuse=None):
    """FileIndex._reader that really reuses the open readers of unchanged segments on refresh.

    Whoosh's own version files reusable readers under their generation but looks them up by
    segment id, so every refresh reopened (and copied into memory) every segment, including the
    large one an edit only adds a deletion to.
    """
    reusable = {}
    try:
        if not segments:
            return EmptyReader(schema)
        if reuse:
            for reader, _ in reuse.leaf_readers():
                segment = reader.segment()
                if segment is not None:
                    reusable[segment.segment_id()] = reader

        def segreader(segment):
            reader = reusable.pop(segment.segment_id(), None)
            if reader is None or not isinstance(reader, SegmentReader) or reader.is_closed:
                return SegmentReader(storage, schema, segment, generation=generation)
            if reader.segment().deleted_count() != segment.deleted_count():
                # Only the segment's deletions changed (they live in the segment object of the
                # table of contents): keep the open files, take the new deletions.
                reader._segment = segment
                if hasattr(reader._perdoc, "_segment"):
                    reader._perdoc._segment = segment
            reader._gen = generation
            return reader

        if len(segments) == 1:
            return segreader(segments[0])
        return MultiReader([segreader(segment) for segment in segments], generation=generation)
    finally:
        # FileIndex.reader retries after an IOError (a writer removed a segment meanwhile) with the same
        # `reuse`, so a reader may already have been closed by the first attempt.
        for reader in reusable.values():
            if not getattr(reader, "is_closed", False):
                reader.close()


FileIndex._reader = classmethod(_reader_reusing_segments)


@lru_cache(maxsize=500_000)
def _stem(word: str) -> str:
    return porter_stem(word)


class ArchiveStemmingAnalyzer(CompositeAnalyzer):
    """Whoosh's StemmingAnalyzer, with indexing done in one loop instead of four chained generators.

    Tokens, positions and stems are exactly those of StemmingAnalyzer (a test compares them);
    queries and highlighting use the ordinary chain.
    """

    def __init__(self):
        super().__init__(*StemmingAnalyzer(stoplist=ARCHIVE_STOP_WORDS).items)

    def __call__(self, value, no_morph=False, **kwargs):
        if kwargs.get("mode", "") not in ("index", "") or kwargs.get("chars") or not kwargs.get("tokenize", True):
            return super().__call__(value, no_morph=no_morph, **kwargs)
        if not kwargs.get("removestops", True) or kwargs.get("keeporiginal"):
            return super().__call__(value, no_morph=no_morph, **kwargs)
        return self._index_tokens(value, bool(kwargs.get("positions")), kwargs.get("start_pos", 0), not no_morph)

    def _index_tokens(self, value, positions, start_pos, stem):
        tokenizer, stopper = self.items[0], self.items[2]
        stops, minsize, maxsize = stopper.stops, stopper.min, stopper.max
        token = Token(positions, False, removestops=True, mode="index")
        pos = None
        for raw_pos, match in enumerate(tokenizer.expression.finditer(value)):
            text = match.group(0).lower()
            if len(text) < minsize or (maxsize is not None and len(text) > maxsize) or text in stops:
                continue
            if positions:
                pos = start_pos + raw_pos if pos is None else pos + 1
                token.pos = pos
            token.text = _stem(text) if stem else text
            token.boost = 1.0
            token.stopped = False
            yield token


_BIT = [1 << n for n in range(8)]
_BYTE_BITS = [tuple(n for n in range(8) if value & (1 << n)) for value in range(256)]
_NONZERO = re.compile(rb"[^\x00]")


def bits_from_ids(ids, size: int) -> int:
    """A bitmap (a Python int) with the given document numbers set."""
    buffer = bytearray((size >> 3) + 1)
    bit = _BIT
    for d in ids:
        buffer[d >> 3] |= bit[d & 7]
    return int.from_bytes(buffer, "little")


def ids_from_bits(bits: int) -> list[int]:
    """The document numbers set in a bitmap, in order."""
    if not bits:
        return []
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    out = []
    for match in _NONZERO.finditer(data):
        base = match.start() << 3
        out.extend(base + n for n in _BYTE_BITS[data[match.start()]])
    return out


# Segment sizes merged by an editor's save: (documents under, how many of them make a merge). Only small
# segments: a rebuild leaves several segments of a few thousand documents, and merging those on a save
# took seconds; bulk updates (merge_bulk) and rebuilds keep the larger segments few.
MERGE_TIERS = ((1_000, 6),)


def merge_tiers(writer, segments):
    """Merge policy for saves: merge the smallest tier of segments that has piled up, never a big one.

    Whoosh's MERGE_SMALL may merge segments of any size on an ordinary commit (on 100,000 articles
    one editor's save took two minutes); here a save merges at most a few thousand documents.
    """
    for bound, count in MERGE_TIERS:
        small = [segment for segment in segments if segment.doc_count_all() < bound]
        if len(small) >= count:
            for segment in small:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
            return [segment for segment in segments if segment.doc_count_all() >= bound]
    return segments


BULK_MERGE_FACTOR = 10  # a bulk update merges this many segments of one size class (powers of ten)


def merge_bulk(writer, segments):
    """Merge policy for bulk updates (rebuild batches): merge when BULK_MERGE_FACTOR segments of the
    same power-of-ten size have piled up, so each document is rewritten about once per tenfold
    growth of the index, instead of Whoosh's MERGE_SMALL that re-merged the growing segment at
    nearly every batch, and a rebuild still ends with a few segments (fast searches)."""
    levels: dict[int, list] = {}
    for segment in segments:
        levels.setdefault(len(str(max(1, segment.doc_count_all()))), []).append(segment)
    for level in sorted(levels):
        group = levels[level]
        if len(group) >= BULK_MERGE_FACTOR:
            for segment in group:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
            merged = {segment.segment_id() for segment in group}
            return [segment for segment in segments if segment.segment_id() not in merged]
    return segments


def _remember(lru: OrderedDict, key, value, size: int = TERM_CACHE_SIZE) -> None:
    """Store in a bounded cache shared by the process's threads, dropping the oldest entries."""
    with _SEGMENT_CACHE_LOCK:
        lru[key] = value
        while len(lru) > size:
            lru.popitem(last=False)


def ids_array(bits: int) -> np.ndarray:
    """The document numbers set in a bitmap, as a sorted numpy array."""
    if not bits:
        return _EMPTY_IDS
    data = np.frombuffer(bits.to_bytes((bits.bit_length() + 7) // 8, "little"), dtype=np.uint8)
    return np.flatnonzero(np.unpackbits(data, bitorder="little"))


def _segment_id(reader) -> str:
    segment = reader.segment()
    return segment.segment_id() if segment is not None else f"r{id(reader)}"


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count as one edit)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


class ArchiveWhooshSearchBackend(WhooshSearchBackend):
    """WhooshSearchBackend with a cached searcher, set-based facets and locked, retried writes."""

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.write_timeout = float(connection_options.get("WRITE_TIMEOUT", 60))
        self.bulk_procs = int(connection_options.get("PROCS", 1))
        self.limitmb = int(connection_options.get("LIMITMB", 256))
        self.bulk_threshold = int(connection_options.get("BULK_THRESHOLD", 200))
        self.rebuild_workers = int(connection_options.get("REBUILD_WORKERS", 0)) or os.cpu_count() or 1
        self._searcher = None
        self._index_token = None
        self._rankings = OrderedDict()

    # --- opening -------------------------------------------------------------------------------

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
            if ix is None or not self._has_toc(path):
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

    @staticmethod
    def _has_toc(path: str) -> bool:
        try:
            return any(name.startswith("_MAIN_") and name.endswith(".toc") for name in os.listdir(path))
        except FileNotFoundError:
            return False

    def _current_index(self):
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
        ix = self._current_index()
        searcher = self._searcher
        if searcher is None:
            searcher = ix.searcher()
        elif not searcher.up_to_date():
            # The open readers of unchanged segments are reused (an edit on 100,000 articles would
            # otherwise reopen and copy every segment, about 150 ms); readers of segments that are
            # gone are closed, and a closed one is never reused (see _reader_reusing_segments).
            try:
                searcher = Searcher(ix.reader(reuse=searcher.reader()), fromindex=ix)
            except ReaderClosed:
                # The old searcher's readers were closed under it: start from a fresh one.
                searcher = ix.searcher()
        if searcher is not self._searcher:
            self._rankings.clear()
        self._searcher = searcher
        return searcher

    def build_schema(self, fields):
        schema_fields = {
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True),
        }
        content_field_name = ""
        for field_class in fields.values():
            name = field_class.index_fieldname
            if field_class.document:
                content_field_name = name
                # Only identifiers are stored: pages read titles and text from the database.
                schema_fields[name] = TEXT(analyzer=ArchiveStemmingAnalyzer(), stored=False, spelling=True)
            elif field_class.is_multivalued:
                schema_fields[name] = KEYWORD(commas=True, lowercase=False, scorable=False, stored=False)
            elif field_class.field_type in ("date", "datetime"):
                schema_fields[name] = DATETIME(stored=True, sortable=True)
            elif field_class.field_type in ("integer", "float"):
                numtype = int if field_class.field_type == "integer" else float
                schema_fields[name] = NUMERIC(stored=field_class.stored, numtype=numtype, sortable=True)
            else:
                schema_fields[name] = TEXT(analyzer=StemmingAnalyzer(), stored=field_class.stored)
        if not content_field_name:
            raise SearchBackendError("No document field was found in any search index.")
        return content_field_name, Schema(**schema_fields)

    # --- writing -------------------------------------------------------------------------------

    def _open_writer(self, timeout: float | None = None, **kwargs):
        """A writer, waiting for other processes' writers (Whoosh's lock file) up to `timeout` (default
        write_timeout)."""
        deadline = time.monotonic() + (self.write_timeout if timeout is None else timeout)
        while True:
            ix = self._current_index()
            try:
                return ix.writer(timeout=min(2.0, self.write_timeout), delay=0.02, **kwargs)
            except LockError:
                if time.monotonic() >= deadline:
                    raise
                logger.info("Search index is locked by another writer; waiting")
                time.sleep(0.05)

    def _documents(self, index, iterable):
        names = set(self.schema.names())
        for obj in iterable:
            try:
                doc = index.full_prepare(obj)
            except SkipDocument:
                continue
            clean = {}
            for key, value in doc.items():
                if key not in names or value is None or value == []:
                    continue
                if isinstance(value, date) and not isinstance(value, datetime):
                    value = datetime(value.year, value.month, value.day)
                elif isinstance(value, list | tuple):
                    value = ",".join(force_str(v) for v in value if v not in (None, ""))
                elif not isinstance(value, datetime | int | float):
                    value = force_str(value)
                clean[key] = value
            yield clean

    def update(self, index, iterable, commit=True):
        """Add or replace the documents of the given objects, in one commit."""
        self.update_many([(index, iterable)], [])

    def remove(self, obj_or_string, commit=True):
        self.update_many([], [obj_or_string])

    def update_many(self, work, removals, journal: bool = True) -> None:
        """Replace the documents of [(index, objects)] and delete `removals`, in one commit (journaled
        for a rebuild that is running, unless it is that rebuild's own replay)."""
        if not self.setup_complete:
            self.setup()
        documents = [doc for index, objects in work for doc in self._documents(index, objects)]
        identifiers = [doc[ID] for doc in documents] + [get_identifier(obj) for obj in removals]
        if not identifiers:
            return
        bulk = len(documents) >= self.bulk_threshold
        kwargs = {"limitmb": self.limitmb} if bulk else {}
        if bulk and self.bulk_procs > 1:
            kwargs.update(procs=self.bulk_procs, multisegment=True)
        with WRITE_LOCK:
            writer = self._open_writer(**kwargs)
            try:
                if journal:
                    rebuild.journal(os.path.abspath(self.path), identifiers)
                self._delete_identifiers(writer, identifiers)
                for doc in documents:
                    writer.add_document(**doc)
            except BaseException:
                writer.cancel()
                raise
            # Never optimise on update; a save merges only small segments, a bulk update (a rebuild
            # batch) merges by tenfold size classes (Whoosh's own policy took over half a rebuild).
            writer.commit(optimize=False, mergetype=merge_bulk if bulk else merge_tiers)

    def _delete_identifiers(self, writer, identifiers) -> None:
        """Delete the documents with these ids, found with this thread's searcher.

        Whoosh's update_document and delete_by_query open a new reader on every segment; the
        cached searcher, refreshed while the write lock is held, sees the very segments the
        writer holds, so its document numbers are the writer's.
        """
        searcher = self.searcher()
        if not searcher.doc_count_all():
            return
        q = wq.Or([wq.Term(ID, identifier) for identifier in identifiers])
        leaves = searcher.leaf_searchers()
        writer_segments = [segment.segment_id() for segment in writer.segments]
        if [_segment_id(sub.reader()) for sub, _ in leaves] != writer_segments:
            writer.delete_by_query(q)
            return
        for sub, offset in leaves:
            for docnum in q.docs(sub):
                writer.delete_document(docnum + offset)

    def clear(self, models=None, commit=True):
        if not self.setup_complete:
            self.setup()
        with WRITE_LOCK:
            if models is None:
                self.delete_index()
                return
            writer = self._open_writer()
            try:
                for model in models:
                    writer.delete_by_term(DJANGO_CT, get_model_ct(model))
            except BaseException:
                writer.cancel()
                raise
            writer.commit(optimize=False)

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
            with _SEGMENT_CACHE_LOCK:
                _SEGMENT_CACHE.pop(path, None)
        self.setup_complete = False
        self.setup()

    def rebuild(self, workers=None, batch_size=None, stdout=None):
        """Rebuild the whole index from the database beside the live one, then swap it in (see rebuild.py)."""
        return rebuild.rebuild(self, workers=workers, batch_size=batch_size, stdout=stdout)

    def optimize(self):
        with WRITE_LOCK:
            writer = self._open_writer()
            writer.commit(optimize=True)

    def compact(self):
        """Merge all segments into one (after a bulk rebuild); searches stay fast on few segments."""
        with WRITE_LOCK:
            writer = self._open_writer()
            writer.commit(mergetype=None, optimize=True)

    def wipe(self):
        """Remove every document in one commit (faster than deleting them one by one)."""
        with WRITE_LOCK:
            writer = self._open_writer()
            writer.commit(mergetype=CLEAR)

    # --- searching -----------------------------------------------------------------------------

    def _segment_cache(self, reader) -> dict:
        path = os.path.abspath(self.path)
        with _SEGMENT_CACHE_LOCK:
            per_path = _SEGMENT_CACHE.setdefault(path, {})
            return per_path.setdefault(_segment_id(reader), {})

    def _forget_old_segments(self, searcher):
        path = os.path.abspath(self.path)
        live = {_segment_id(sub.reader()) for sub, _ in searcher.leaf_searchers()}
        with _SEGMENT_CACHE_LOCK:
            per_path = _SEGMENT_CACHE.get(path)
            if per_path:
                for key in list(per_path):
                    if key not in live:
                        del per_path[key]

    def _live(self, reader, cache) -> int:
        """Bitmap of the segment's documents that are not deleted."""
        segment = reader.segment()
        deleted_count = segment.deleted_count() if segment is not None else 0
        cached = cache.get("live")
        if cached is None or cached[0] != deleted_count:
            size = reader.doc_count_all()
            live = (1 << size) - 1
            if deleted_count:
                live &= ~bits_from_ids(segment.deleted_docs(), size)
            cached = cache["live"] = (deleted_count, live)
        return cached[1]

    def _term_bits(self, reader, cache, fieldname, text) -> int:
        """Bitmap of a term's postings in one segment (an LRU per segment)."""
        terms = cache.setdefault("terms", OrderedDict())
        key = (fieldname, text)
        bits = terms.get(key)
        if bits is None:
            try:
                bits = bits_from_ids(reader.postings(fieldname, text).all_ids(), reader.doc_count_all())
            except TermNotFound:
                bits = 0
            _remember(terms, key, bits)
        return bits

    def _bits(self, q, sub, cache) -> int:
        """Bitmap of the documents of one segment matching q: set algebra on cached term bitmaps,
        the query's own matcher for anything else (phrases, ranges)."""
        kind = type(q)
        if kind is wq.Term:
            return self._term_bits(sub.reader(), cache, q.fieldname, q.text)
        if kind is wq.And or kind is wq.Require:
            children = q.subqueries if kind is wq.And else [q.a, q.b]
            bits = None
            for child in sorted(children, key=lambda c: isinstance(c, wq.Not)):
                if isinstance(child, wq.Not):
                    bits = (bits if bits is not None else self._live(sub.reader(), cache)) & ~self._bits(
                        child.query, sub, cache
                    )
                else:
                    child_bits = self._bits(child, sub, cache)
                    bits = child_bits if bits is None else bits & child_bits
                if not bits:
                    return 0
            return bits or 0
        if (kind is wq.Or and not q.minmatch) or kind is wq.DisjunctionMax:
            bits = 0
            for child in q.subqueries:
                bits |= self._bits(child, sub, cache)
            return bits
        if kind is wq.Not:
            return self._live(sub.reader(), cache) & ~self._bits(q.query, sub, cache)
        if kind is wq.AndNot:
            return self._bits(q.a, sub, cache) & ~self._bits(q.b, sub, cache)
        if kind is wq.AndMaybe:
            return self._bits(q.a, sub, cache)
        if kind is wq.Every:
            return self._live(sub.reader(), cache)
        if q is wq.NullQuery:
            return 0
        others = cache.setdefault("queries", OrderedDict())
        key = repr(q)
        bits = others.get(key)
        if bits is None:
            bits = bits_from_ids(q.docs(sub), sub.reader().doc_count_all())
            _remember(others, key, bits)
        return bits

    def _postings(self, reader, cache, fieldname, text):
        """(sorted docnums, term frequencies) of a term in one segment, deletions included (an LRU)."""
        postings = cache.setdefault("postings", OrderedDict())
        key = (fieldname, text)
        found = postings.get(key)
        if found is None:
            ids, weights = [], []
            try:
                matcher = reader.postings(fieldname, text)
            except TermNotFound:
                matcher = None
            if isinstance(matcher, FilterMatcher):
                matcher = matcher.child  # deletions are removed by the live bitmap
            if matcher is not None and hasattr(matcher, "_read_ids"):
                # Whole blocks at a time rather than one posting per call.
                while matcher.is_active():
                    matcher._read_ids()
                    matcher._read_weights()
                    ids.extend(matcher._ids)
                    weights.extend(matcher._weights)
                    matcher._next_block()
            elif matcher is not None:
                while matcher.is_active():
                    ids.append(matcher.id())
                    weights.append(matcher.weight())
                    matcher.next()
            found = (np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float32))
            _remember(postings, key, found, POSTINGS_CACHE_SIZE)
        return found

    def _lengths(self, reader, cache, fieldname):
        """Per local docnum, the (Whoosh-rounded) length of a field, as Whoosh's BM25F reads it."""
        key = ("lengths", fieldname)
        lengths = cache.get(key)
        if lengths is None:
            size = reader.doc_count_all()
            perdoc = getattr(reader, "_perdoc", None)
            column = None
            if perdoc is not None and hasattr(perdoc, "_cached_reader"):
                column = perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
            if column is None:
                lengths = np.array([reader.doc_field_length(d, fieldname, 0) or 0 for d in range(size)], np.float32)
            else:
                raw = np.zeros(size, dtype=np.uint8)
                count = min(size, getattr(column, "_count", 0))
                if getattr(column, "_fixedlen", 0) == 1 and count:
                    # One byte per document: read the whole column at once.
                    raw[:count] = np.frombuffer(column._dbfile.get(column._basepos, count), dtype=np.uint8)
                    raw[count:] = column._default or 0
                else:
                    raw[:] = np.fromiter((column[d] for d in range(size)), dtype=np.uint8, count=size)
                lengths = _LENGTH_OF_BYTE[raw]
            cache[key] = lengths
        return lengths

    def _term_scores(self, searcher, sub, cache, fieldname, text, docs, boost):
        """BM25F scores (Whoosh's formula and parameters) of one term for the documents `docs`."""
        reader = sub.reader()
        field = self.schema[fieldname] if fieldname in self.schema else None
        ids, weights = self._postings(reader, cache, fieldname, text)
        scores = np.zeros(len(docs), dtype=np.float64)
        if not len(ids) or not len(docs):
            return scores
        where = np.searchsorted(ids, docs)
        where[where >= len(ids)] = len(ids) - 1
        present = ids[where] == docs
        tf = weights[where[present]].astype(np.float64)
        if field is None or not field.scorable:
            scores[present] = tf * boost
            return scores
        idf = searcher.idf(fieldname, text)
        avgfl = searcher.avg_field_length(fieldname) or 1
        fl = self._lengths(reader, cache, fieldname)[docs[present]].astype(np.float64)
        scores[present] = boost * idf * (tf * (BM25_K1 + 1)) / (tf + BM25_K1 * ((1 - BM25_B) + BM25_B * fl / avgfl))
        return scores

    def _scores(self, searcher, q, sub, cache, docs):
        """Relevance of the matching local docnums `docs` for q, summed over its scoring parts as
        Whoosh's matchers do; phrases score as their words, ranges and filters add nothing."""
        kind = type(q)
        boost = getattr(q, "boost", 1.0)
        if kind is wq.Term:
            return self._term_scores(searcher, sub, cache, q.fieldname, q.text, docs, boost)
        if kind in (wq.And, wq.Or):
            total = np.zeros(len(docs))
            for child in q.subqueries:
                if not isinstance(child, wq.Not):
                    total += self._scores(searcher, child, sub, cache, docs)
            return total * boost
        if kind is wq.DisjunctionMax:
            parts = [self._scores(searcher, child, sub, cache, docs) for child in q.subqueries]
            return np.max(parts, axis=0) * boost if parts else np.zeros(len(docs))
        if kind in (wq.Require, wq.AndNot):
            return self._scores(searcher, q.a, sub, cache, docs)
        if kind is wq.AndMaybe:
            return self._scores(searcher, q.a, sub, cache, docs) + self._scores(searcher, q.b, sub, cache, docs)
        if kind is wq.Phrase:
            total = np.zeros(len(docs))
            for word in q.words:
                total += self._term_scores(searcher, sub, cache, q.fieldname, word, docs, 1.0)
            return total * boost
        return np.zeros(len(docs))

    def _top(self, searcher, q, matches, end):
        """[(global docnum, score)] of the `end` best matches, best first (ties: lower docnum)."""
        all_docs, all_scores = [], []
        for sub, offset, bits in matches:
            if not bits:
                continue
            docs = ids_array(bits)
            cache = self._segment_cache(sub.reader())
            all_scores.append(self._scores(searcher, q, sub, cache, docs))
            all_docs.append(docs + offset)
        if not all_docs:
            return []
        docs, scores = np.concatenate(all_docs), np.concatenate(all_scores)
        if end < len(docs):
            # Keep every document scoring at least the end-th best, so ties are broken by docnum.
            threshold = np.partition(scores, len(scores) - end)[len(scores) - end]
            keep = scores >= threshold
            docs, scores = docs[keep], scores[keep]
        order = np.lexsort((docs, -scores))[:end]
        return [(int(docs[i]), float(scores[i])) for i in order]

    def _matches(self, searcher, q):
        """[(subsearcher, offset, bitmap of local docnums)] of the documents matching q."""
        out = []
        for sub, offset in searcher.leaf_searchers():
            cache = self._segment_cache(sub.reader())
            bits = self._bits(q, sub, cache) & self._live(sub.reader(), cache)
            out.append((sub, offset, bits))
        return out

    def _value_bits(self, reader, field: str) -> dict:
        """{value: bitmap of local docnums} of a keyword field in one segment (cached)."""
        cache = self._segment_cache(reader)
        key = ("values", field)
        values = cache.get(key)
        if values is None:
            values = {}
            if field in reader.schema and reader.doc_count_all():
                size = reader.doc_count_all()
                for term in reader.lexicon(field):
                    value = term.decode("utf-8") if isinstance(term, bytes) else term
                    values[value] = bits_from_ids(reader.postings(field, term).all_ids(), size)
            cache[key] = values
        return values

    def _date_keys(self, reader, field: str) -> list:
        """Per local docnum, a sortable number for the date, or None when it has none (cached per segment)."""
        cache = self._segment_cache(reader)
        key = ("dates", field)
        keys = cache.get(key)
        if keys is None:
            keys = [None] * reader.doc_count_all()
            if field in reader.schema and reader.has_column(field):
                # Raw column values (microseconds since year 1); a missing date reads as a default
                # far outside the archive's years.
                column = reader.column_reader(field, translate=False)
                for docnum, value in enumerate(column):
                    if isinstance(value, int) and DATE_FLOOR < value < DATE_CEILING:
                        keys[docnum] = value
            cache[key] = keys
        return keys

    def _date_order(self, reader, field: str, reverse: bool) -> list:
        """Local docnums with a date, in date order (newest first when reverse), cached per segment."""
        cache = self._segment_cache(reader)
        key = ("order", field, reverse)
        order = cache.get(key)
        if order is None:
            keys = self._date_keys(reader, field)
            dated = [d for d, k in enumerate(keys) if k is not None]
            order = sorted(dated, key=lambda d: (-keys[d], d) if reverse else (keys[d], d))
            cache[key] = order
        return order

    def _parse(self, query_string: str):
        parsed = self.parser.parse(query_string)
        return parsed if parsed is not None else wq.NullQuery

    def _sorted_page(self, matches, field, reverse, end):
        """Global docnums of the first `end` matches in date order; undated documents last."""
        total = sum(bits.bit_count() for _, _, bits in matches)
        if total <= SMALL_SORT:
            keyed, undated = [], []
            for sub, offset, bits in matches:
                keys = self._date_keys(sub.reader(), field)
                for d in ids_from_bits(bits):
                    k = keys[d]
                    if k is None:
                        undated.append(d + offset)
                    else:
                        keyed.append(((-k if reverse else k), d + offset))
            keyed.sort()
            return ([g for _, g in keyed] + sorted(undated))[:end]

        def walk(sub, offset, bits):
            keys = self._date_keys(sub.reader(), field)
            members = bits.to_bytes((bits.bit_length() + 7) // 8 or 1, "little")
            limit = len(members) << 3
            for d in self._date_order(sub.reader(), field, reverse):
                if d < limit and members[d >> 3] & (1 << (d & 7)):
                    yield ((-keys[d] if reverse else keys[d]), d + offset)

        merged = heapq.merge(*(walk(*m) for m in matches))
        page = [g for _, g in islice(merged, end)]
        if len(page) < end:
            undated = []
            for sub, offset, bits in matches:
                keys = self._date_keys(sub.reader(), field)
                undated.extend(d + offset for d in ids_from_bits(bits) if keys[d] is None)
            page.extend(sorted(undated)[: end - len(page)])
        return page

    def _full_ranking(self, searcher, q, matches, order, hits):
        key = (repr(q), order)  # cleared whenever the searcher is refreshed
        ranking = self._rankings.get(key)
        if ranking is None:
            if order:
                field, reverse = order.lstrip("-"), order.startswith("-")
                ranking = [(g, 0.0) for g in self._sorted_page(matches, field, reverse, hits)]
            else:
                ranking = self._top(searcher, q, matches, hits)
            self._rankings[key] = ranking
            while len(self._rankings) > 4:
                self._rankings.popitem(last=False)
        return ranking

    def _facet_counts(self, matches, field):
        counts = {}
        for sub, _, bits in matches:
            if not bits:
                continue
            for value, value_bits in self._value_bits(sub.reader(), field).items():
                n = (bits & value_bits).bit_count()
                if n:
                    counts[value] = counts.get(value, 0) + n
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    @log_query
    def search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        fields="",
        highlight=False,
        facets=None,
        date_facets=None,
        query_facets=None,
        narrow_queries=None,
        spelling_query=None,
        within=None,
        dwithin=None,
        distance_point=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        searcher = self.searcher()
        self._forget_old_segments(searcher)
        query_string = force_str(query_string or "")
        empty = {"results": [], "hits": 0, "facets": {"fields": {}, "dates": {}, "queries": {}}}
        if not query_string.strip():
            return empty
        q = wq.Every() if query_string.strip() == "*" else self._parse(query_string)
        restrictions = [self._parse(force_str(nq)) for nq in (narrow_queries or ())]
        if models:
            restrictions.append(wq.Or([wq.Term(DJANGO_CT, get_model_ct(model)) for model in models]))
        if restrictions:
            q = wq.And([q, *restrictions])
        if q is wq.NullQuery:
            return empty

        matches = self._matches(searcher, q)
        hits = sum(bits.bit_count() for _, _, bits in matches)
        start = max(0, start_offset or 0)
        end = hits if end_offset is None else max(start, min(end_offset, hits))

        page: list[tuple[int, float]] = []
        if hits and end > start:
            order = sort_by[0] if sort_by else ""
            if end > DEEP_PAGE:
                # Deep pages and exports walk the same result set batch by batch: rank it all once.
                ranking = self._full_ranking(searcher, q, matches, order, hits)
                page = ranking[start:end]
            elif order:
                field, reverse = order.lstrip("-"), order.startswith("-")
                page = [(g, 0.0) for g in self._sorted_page(matches, field, reverse, end)[start:end]]
            else:
                page = self._top(searcher, q, matches, end)[start:end]

        results = []
        result_class = result_class or SearchResult
        for docnum, score in page:
            stored = searcher.stored_fields(docnum)
            app_label, model_name = stored[DJANGO_CT].split(".")
            extra = {k: v for k, v in stored.items() if k not in (DJANGO_CT, DJANGO_ID, ID)}
            results.append(result_class(app_label, model_name, stored[DJANGO_ID], score, **extra))

        facet_counts = {"fields": {}, "dates": {}, "queries": {}}
        for field in facets or ():
            facet_counts["fields"][field] = self._facet_counts(matches, field)
        return {"results": results, "hits": hits, "facets": facet_counts, "spelling_suggestion": None}

    # --- spelling ------------------------------------------------------------------------------

    def known_word(self, word: str) -> bool:
        """Whether the index holds the (stemmed) word at all."""
        searcher = self.searcher()
        analyzer = self.schema[self.content_field_name].analyzer
        terms = [token.text for token in analyzer(word)]
        return bool(terms) and all(searcher.doc_frequency(self.content_field_name, t) for t in terms)

    def suggest_word(self, word: str, maxdist: int = 2) -> str | None:
        """The closest indexed word to a word the index does not hold, or None."""
        word = word.lower()
        if len(word) < 4:
            return None
        searcher = self.searcher()
        analyzer = self.schema[self.content_field_name].analyzer
        candidates = set()
        for sub, _ in searcher.leaf_searchers():
            reader = sub.reader()
            for distance in range(1, maxdist + 1):
                found = {
                    w.decode("utf-8") if isinstance(w, bytes) else w
                    for w in reader.terms_within(self.content_field_name, word, distance, prefix=1)
                }
                if found:
                    candidates |= found
                    break
        candidates.discard(word)
        best = None
        for candidate in candidates:
            stems = [token.text for token in analyzer(candidate)]
            if not stems:
                continue
            frequency = searcher.doc_frequency(self.content_field_name, stems[0])
            if not frequency:
                continue
            key = (edit_distance(word, candidate), -frequency, candidate)
            if best is None or key < best[0]:
                best = (key, candidate)
        return best[1] if best else None


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshSearchBackend
    query = WhooshSearchQuery
