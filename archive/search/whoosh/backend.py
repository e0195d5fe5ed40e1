"""A faster haystack Whoosh engine: a cached index and searcher, set-based facets, safe concurrent writes.

Stock haystack + Whoosh reopens the index and a searcher on every query, runs every narrowing
query as a separate full search, counts facets by grouping every hit, stores and highlights the whole
text, and commits each update through an asynchronous writer. This engine keeps one index object per
folder for the process and one searcher per thread (refreshed only when the index changed), counts
facets by intersecting the matching documents with cached per-segment posting sets, computes the
top hits only for the page asked for, stores only identifiers, and writes under a process-wide lock
with retries on Whoosh's file lock, so two editors saving at once both succeed.

The parts live beside this module: store.py (opening, searcher, writers, locks), matching.py,
scoring.py, sorting.py and facets.py (the read path), merge.py (merge policies), journal.py and
rebuild.py (rebuilds), spelling.py, analysis.py, and patches.py (fixes to Whoosh itself, applied
from ``ArchiveConfig.ready()``). The class implements ``archive.search.engine.SearchEngine``.
"""

import os
from collections import OrderedDict
from collections.abc import Mapping
from datetime import date, datetime

from django.utils.encoding import force_str
from haystack.backends import log_query
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier, get_model_ct
from whoosh import query as wq
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import DATETIME, KEYWORD, NUMERIC, STORED, TEXT, FieldType, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.formats import Existence

from archive.search.engine import HealthReport, RebuildReport
from archive.search.whoosh import frozen, health, rebuild, scoring, spelling
from archive.search.whoosh.analysis import PAIRS_FIELD, ArchiveStemmingAnalyzer, PairAnalyzer
from archive.search.whoosh.facets import facet_counts, value_table
from archive.search.whoosh.journal import journal
from archive.search.whoosh.matching import DocsOf, ids_array, live_bits, query_bits
from archive.search.whoosh.merge import merge_bulk, merge_tiers
from archive.search.whoosh.sorting import date_keys, sorted_page
from archive.search.whoosh.store import WRITE_LOCK, WhooshStore, segment_key

# The keyword fields every search page counts (archive.search.facets.FACETS), and those it counts when
# a type is chosen (the other types' counts).
WARM_FACETS = (
    ("affiliation", "doc_type", "mentioned", "provision", "relation", "said_by", "source", "topic", "year"),
    ("doc_type",),
)
DEEP_PAGE = 1000  # past this many results, a whole ranking is computed once and reused


class ArchiveWhooshSearchBackend(WhooshStore, WhooshSearchBackend):
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
                # Pairs of common words, so their phrases need no positions (matching.py).
                schema_fields[PAIRS_FIELD] = FieldType(Existence(), PairAnalyzer(), scorable=False, stored=False)
            elif field_class.is_multivalued:
                schema_fields[name] = KEYWORD(commas=True, lowercase=False, scorable=False, stored=False)
            elif field_class.field_type in ("date", "datetime"):
                schema_fields[name] = DATETIME(stored=True, sortable=True)
            elif field_class.field_type in ("integer", "float"):
                numtype = int if field_class.field_type == "integer" else float
                schema_fields[name] = NUMERIC(stored=field_class.stored, numtype=numtype, sortable=True)
            elif not field_class.indexed:
                schema_fields[name] = STORED()
            else:
                schema_fields[name] = TEXT(analyzer=StemmingAnalyzer(), stored=field_class.stored)
        if not content_field_name:
            raise SearchBackendError("No document field was found in any search index.")
        return content_field_name, Schema(**schema_fields)

    # --- writing -------------------------------------------------------------------------------

    def documents(self, index, iterable):
        """The Whoosh documents of objects (skipping those the index skips)."""
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
            if self.content_field_name in clean:
                clean[PAIRS_FIELD] = clean[self.content_field_name]
            yield clean

    def update(self, index, iterable, commit=True):
        """Add or replace the documents of the given objects, in one commit."""
        self.update_many([(index, iterable)], [])

    def remove(self, obj_or_string, commit=True):
        self.update_many([], [obj_or_string])

    def remove_many(self, identifiers) -> None:
        self.update_many([], identifiers)

    def update_many(self, work, removals, journal_updates: bool = True) -> None:
        """Replace the documents of [(index, objects)] and delete `removals`, in one commit (journaled
        for a rebuild that is running, unless it is that rebuild's own replay)."""
        if not self.setup_complete:
            self.setup()
        documents = [doc for index, objects in work for doc in self.documents(index, objects)]
        identifiers = [doc[ID] for doc in documents] + [get_identifier(obj) for obj in removals]
        if not identifiers:
            return
        bulk = len(documents) >= self.bulk_threshold
        kwargs = {"limitmb": self.limitmb} if bulk else {}
        if bulk and self.bulk_procs > 1:
            kwargs.update(procs=self.bulk_procs, multisegment=True)
        with WRITE_LOCK:
            writer = self.open_writer(**kwargs)
            try:
                if journal_updates:
                    journal(os.path.abspath(self.path), identifiers)
                self._delete_identifiers(writer, identifiers)
                for doc in documents:
                    writer.add_document(**doc)
            except BaseException:
                writer.cancel()
                raise
            # Never optimise on update; a save merges only small segments, a bulk update (a rebuild
            # batch) merges by tenfold size classes (Whoosh's own policy took over half a rebuild).
            writer.commit(optimize=False, mergetype=merge_bulk if bulk else merge_tiers)
        if bulk:
            self.freeze()

    @property
    def frozen_fields(self) -> tuple[str, ...]:
        """The fields whose frequent terms are frozen beside large segments (frozen.py)."""
        return (self.content_field_name, PAIRS_FIELD)

    def freeze(self) -> int:
        """Write the frozen postings of large segments that have none (a bulk update or a merge made
        them); returns how many terms. Searches meanwhile decode as usual."""
        return frozen.freeze_index(self.current_index(), self.frozen_fields)

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
        if [segment_key(sub.reader()) for sub, _ in leaves] != writer_segments:
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
            writer = self.open_writer()
            try:
                for model in models:
                    writer.delete_by_term(DJANGO_CT, get_model_ct(model))
            except BaseException:
                writer.cancel()
                raise
            writer.commit(optimize=False)

    # --- upkeep --------------------------------------------------------------------------------

    def rebuild(self, workers=None, batch_size=None, stdout=None) -> RebuildReport:
        """Rebuild the whole index from the database beside the live one, then swap it in (see rebuild.py)."""
        return rebuild.rebuild(self, workers=workers, batch_size=batch_size, stdout=stdout)

    def check(self) -> HealthReport:
        return health.check(os.path.abspath(self.path))

    def warm(self) -> None:
        """Open the index and a searcher, and load each segment's caches that every query reads:
        live documents, field lengths and substance for scoring, facet values, dates for sorting."""
        searcher = self.searcher()
        for sub, _ in searcher.leaf_searchers():
            reader = sub.reader()
            cache = self.segment_cache(reader)
            live_bits(reader, cache)
            scoring.field_lengths(reader, cache, self.content_field_name)
            scoring.substance_priors(reader, cache)
            for fields in WARM_FACETS:
                value_table(reader, cache, fields)
            date_keys(reader, cache, "date")

    # --- searching -----------------------------------------------------------------------------

    def matches(self, searcher, q):
        """[(subsearcher, offset, bitmap of local docnums)] of the documents matching q."""
        out = []
        for sub, offset in searcher.leaf_searchers():
            cache = self.segment_cache(sub.reader())
            bits = query_bits(q, sub, cache) & live_bits(sub.reader(), cache)
            out.append((sub, offset, bits))
        return out

    def top(self, searcher, q, matches, end, docs_of=ids_array):
        """[(global docnum, score)] of the `end` best matches, best first (ties: lower docnum)."""
        return scoring.top(searcher, self.schema, q, matches, end, self.segment_cache, docs_of)

    def parse(self, query_string: str):
        parsed = self.parser.parse(query_string)
        return parsed if parsed is not None else wq.NullQuery

    def _full_ranking(self, searcher, q, matches, order, hits):
        key = (repr(q), order)  # cleared whenever the searcher is refreshed
        ranking = self._rankings.get(key)
        if ranking is None:
            if order:
                field, reverse = order.lstrip("-"), order.startswith("-")
                ranking = [(g, 0.0) for g in sorted_page(matches, field, reverse, hits, self.segment_cache)]
            else:
                ranking = self.top(searcher, q, matches, hits)
            self._rankings[key] = ranking
            while len(self._rankings) > 4:
                self._rankings.popitem(last=False)
        return ranking

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
        self.forget_old_segments(searcher)
        query_string = force_str(query_string or "")
        empty = {"results": [], "hits": 0, "facets": {"fields": {}, "dates": {}, "queries": {}}}
        if not query_string.strip():
            return empty
        q = wq.Every() if query_string.strip() == "*" else self.parse(query_string)
        restrictions = [self.parse(force_str(nq)) for nq in (narrow_queries or ())]
        if models:
            restrictions.append(wq.Or([wq.Term(DJANGO_CT, get_model_ct(model)) for model in models]))
        if restrictions:
            q = wq.And([q, *restrictions])
        if q is wq.NullQuery:
            return empty

        matches = self.matches(searcher, q)
        docs_of = DocsOf()
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
                page = [(g, 0.0) for g in sorted_page(matches, field, reverse, end, self.segment_cache)[start:end]]
            else:
                page = self.top(searcher, q, matches, end, docs_of)[start:end]

        results = []
        result_class = result_class or SearchResult
        for docnum, score in page:
            stored = searcher.stored_fields(docnum)
            app_label, model_name = stored[DJANGO_CT].split(".")
            # The document's id stays among the fields (as haystack's own backends keep it): update_index
            # --remove reads it to delete stale documents.
            extra = {k: v for k, v in stored.items() if k not in (DJANGO_CT, DJANGO_ID)}
            results.append(result_class(app_label, model_name, stored[DJANGO_ID], score, **extra))

        counts = {"fields": {}, "dates": {}, "queries": {}}
        if facets:
            counts["fields"] = facet_counts(matches, facets, self.segment_cache, docs_of)
        return {"results": results, "hits": hits, "facets": counts, "spelling_suggestion": None}

    # --- spelling ------------------------------------------------------------------------------

    def known_word(self, word: str) -> bool:
        """Whether the index holds the (stemmed) word at all."""
        analyzer = self.schema[self.content_field_name].analyzer
        return spelling.known_word(self.searcher(), analyzer, self.content_field_name, word)

    def suggest_word(self, word: str, maxdist: int = 2) -> str | None:
        """The closest indexed word to a word the index does not hold, or None."""
        analyzer = self.schema[self.content_field_name].analyzer
        return spelling.closest_word(self.searcher(), analyzer, self.content_field_name, word, maxdist)

    def suggest(self, words) -> Mapping[str, str | None]:
        if not self.setup_complete:
            self.setup()
        return spelling.LazySuggestions([w for w in words if not self.known_word(w)], self.suggest_word)


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshSearchBackend
    query = WhooshSearchQuery
