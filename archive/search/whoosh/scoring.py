"""Relevance: Whoosh's BM25F, computed with numpy for the matching documents of each segment at once,
times a prior for substance: a statement of two or three words ranks below a substantial one that
matches as well (the index's ``substance`` field holds each document's own word count)."""

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader
from whoosh.util.numeric import byte_to_length

from archive.search.whoosh.analysis import PAIRS_FIELD
from archive.search.whoosh.frozen import frozen_postings
from archive.search.whoosh.matching import (
    ids_array,
    is_sparse,
    pair_term,
    postings,
    sparse_postings,
    term_bits,
)

BM25_B, BM25_K1 = 0.75, 1.2  # Whoosh's BM25F defaults
SUBSTANCE_FIELD = "substance"
SUBSTANTIAL_WORDS = 15  # from this many words on, a text gets the full score
SUBSTANCE_FLOOR = 0.3  # the least a text with words keeps of its score
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


def field_lengths(reader, cache, fieldname):
    """Per local docnum, the (Whoosh-rounded) length of a field, as Whoosh's BM25F reads it."""
    key = ("lengths", fieldname)
    lengths = cache.get(key)
    if lengths is None:
        size = reader.doc_count_all()
        perdoc = getattr(reader, "_perdoc", None)
        column = None
        if isinstance(perdoc, W3PerDocReader):
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


# A word is ubiquitous in a segment from this many postings and this share of its documents on.
UBIQUITOUS_POSTINGS = 50_000
UBIQUITOUS_SHARE = 0.25


def is_ubiquitous(reader, cache, fieldname, text) -> bool:
    """Whether a term is in so many of a large segment's documents that its frequencies are not decoded
    for scoring (not frozen beside the segment). It depends on the files alone, never on what this process
    happens to have decoded, so every worker ranks alike."""
    store = frozen_postings(reader, cache)
    if store is not None and (fieldname, text) in store:
        return False
    frequency = reader.doc_frequency(fieldname, text)
    return frequency >= UBIQUITOUS_POSTINGS and frequency >= UBIQUITOUS_SHARE * reader.doc_count_all()


def term_scores(searcher, schema, sub, cache, fieldname, text, docs, boost, holders=None):
    """BM25F scores (Whoosh's formula and parameters) of one term for the documents `docs`; `holders`, when
    given, marks those of `docs` known to hold the term."""
    reader = sub.reader()
    field = schema[fieldname] if fieldname in schema else None
    scores = np.zeros(len(docs), dtype=np.float64)
    if not len(docs):
        return scores
    if is_sparse(reader, cache, fieldname, text, len(docs)):
        # A few matches of a common word: their frequencies looked up, not every posting decoded.
        present, found = sparse_postings(reader, fieldname, text, docs)
        tf = found[present].astype(np.float64)
    elif holders is not None and is_ubiquitous(reader, cache, fieldname, text):
        # A word in most documents of a large index ("which", "there"), in documents known to hold it (a
        # phrase's pair term): its weight is small, and decoding its hundreds of thousands of postings
        # would cost more than the rest of the page, so it counts once in each of them.
        present = holders
        tf = np.ones(int(holders.sum()), dtype=np.float64)
    else:
        ids, weights = postings(reader, cache, fieldname, text)
        if not len(ids):
            return scores
        where = np.searchsorted(ids, docs.astype(ids.dtype, copy=False))  # one type: no copy of the postings
        where[where >= len(ids)] = len(ids) - 1
        present = ids[where] == docs
        tf = weights[where[present]].astype(np.float64)
    if field is None or not field.scorable:
        scores[present] = tf * boost
        return scores
    idf = searcher.idf(fieldname, text)
    avgfl = searcher.avg_field_length(fieldname) or 1
    fl = field_lengths(reader, cache, fieldname)[docs[present]].astype(np.float64)
    scores[present] = boost * idf * (tf * (BM25_K1 + 1)) / (tf + BM25_K1 * ((1 - BM25_B) + BM25_B * fl / avgfl))
    return scores


def query_scores(searcher, schema, q, sub, cache, docs):
    """Relevance of the matching local docnums `docs` for q, summed over its scoring parts as
    Whoosh's matchers do; phrases score as their words, ranges and filters add nothing."""
    kind = type(q)
    boost = getattr(q, "boost", 1.0)
    if kind is wq.Term:
        return term_scores(searcher, schema, sub, cache, q.fieldname, q.text, docs, boost)
    if kind in (wq.And, wq.Or):
        total = np.zeros(len(docs))
        for child in q.subqueries:
            if not isinstance(child, wq.Not):
                total += query_scores(searcher, schema, child, sub, cache, docs)
        return total * boost
    if kind is wq.DisjunctionMax:
        parts = [query_scores(searcher, schema, child, sub, cache, docs) for child in q.subqueries]
        return np.max(parts, axis=0) * boost if parts else np.zeros(len(docs))
    if kind in (wq.Require, wq.AndNot):
        return query_scores(searcher, schema, q.a, sub, cache, docs)
    if kind is wq.AndMaybe:
        return query_scores(searcher, schema, q.a, sub, cache, docs) + query_scores(
            searcher, schema, q.b, sub, cache, docs
        )
    if kind is wq.Phrase:
        total = np.zeros(len(docs))
        holders = None
        reader = sub.reader()
        exact = pair_term(reader, q.words)
        if exact is not None and any(is_ubiquitous(reader, cache, q.fieldname, word) for word in q.words):
            # The documents holding the pair term hold both words (its bitmap is already read for matching).
            holders = np.isin(docs, ids_array(term_bits(reader, cache, PAIRS_FIELD, exact)), assume_unique=True)
        for word in q.words:
            total += term_scores(searcher, schema, sub, cache, q.fieldname, word, docs, 1.0, holders)
        return total * boost
    return np.zeros(len(docs))


def substance_priors(reader, cache) -> np.ndarray:
    """Per local docnum, the factor its substance puts on its score: log(1 + words) / log(1 + 15),
    between 0.3 and 1 (1 for a document without a word count)."""
    priors = cache.get("priors")
    if priors is None:
        size = reader.doc_count_all()
        words = np.zeros(size, dtype=np.float64)
        if SUBSTANCE_FIELD in reader.schema and reader.has_column(SUBSTANCE_FIELD):
            column = reader.column_reader(SUBSTANCE_FIELD)
            words[:] = np.fromiter((v or 0 for v in column), dtype=np.float64, count=size)
        priors = np.clip(np.log1p(words) / np.log1p(SUBSTANTIAL_WORDS), SUBSTANCE_FLOOR, 1.0)
        priors[words <= 0] = 1.0
        cache["priors"] = priors
    return priors


def top(searcher, schema, q, matches, end, cache_of, docs_of=ids_array):
    """[(global docnum, score)] of the `end` best matches, best first (ties: lower docnum).

    `matches` as ``ArchiveWhooshSearchBackend.matches`` gives them; `cache_of(reader)` is the
    segment's cache; `docs_of(bits)` the sorted docnums of a bitmap."""
    all_docs, all_scores = [], []
    for sub, offset, bits in matches:
        if not bits:
            continue
        docs = docs_of(bits)
        cache = cache_of(sub.reader())
        scores = query_scores(searcher, schema, q, sub, cache, docs)
        all_scores.append(scores * substance_priors(sub.reader(), cache)[docs])
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
