"""Which documents match: set algebra on cached per-segment bitmaps (Python ints) of term postings."""

import re
from bisect import bisect_right
from collections import OrderedDict
from itertools import accumulate
from pickle import loads

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.formats import Positions
from whoosh.system import _INT_SIZE

from archive.search.whoosh import frozen
from archive.search.whoosh.analysis import PAIRS_FIELD, is_common_pair
from archive.search.whoosh.postings import decode_postings, held, term_matcher
from archive.search.whoosh.store import SEGMENT_CACHE_LOCK

TERM_CACHE_SIZE = 256  # term bitmaps kept per segment
POSTINGS_CACHE_SIZE = 64  # term postings (ids and frequencies) kept per segment for scoring
# Looking documents up one by one in a term's postings beats decoding them all when they are fewer than
# this fraction of the postings; and a phrase's word this much more frequent than its rarest word is
# left to the position check instead of being decoded.
SPARSE_RATIO = 16
_BIT = [1 << n for n in range(8)]
_BYTE_BITS = [tuple(n for n in range(8) if value & (1 << n)) for value in range(256)]
_NONZERO = re.compile(rb"[^\x00]")
_EMPTY_IDS = np.zeros(0, dtype=np.int64)


def bits_from_ids(ids, size: int) -> int:
    """A bitmap (a Python int) with the given document numbers set."""
    buffer = bytearray((size >> 3) + 1)
    bit = _BIT
    for d in ids:
        buffer[d >> 3] |= bit[d & 7]
    return int.from_bytes(buffer, "little")


def bits_from_array(ids: np.ndarray, size: int) -> int:
    """A bitmap (a Python int) with the document numbers of a numpy array set: one vector operation,
    where ``bits_from_ids`` visits each number (a common word's postings hold most of the index)."""
    if not len(ids):
        return 0
    flags = np.zeros(size, dtype=bool)
    flags[ids] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def sparse_postings(reader, fieldname, text, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mask of `docs` holding the term, their term frequencies) for a few sorted docnums, skipping
    through the postings: only the blocks that hold them are decoded, where ``decode_postings`` reads
    every block of a common word."""
    present = np.zeros(len(docs), dtype=bool)
    weights = np.zeros(len(docs), dtype=np.float32)
    matcher = term_matcher(reader, fieldname, text)
    if matcher is not None:
        for i, _ in held(matcher, docs.tolist()):
            present[i] = True
            weights[i] = matcher.weight()
    return present, weights


def is_sparse(reader, cache, fieldname, text, count: int) -> bool:
    """Whether `count` documents are few enough, next to the term's postings, to look them up one by one
    (the term's postings not already at hand)."""
    if is_decoded(reader, cache, fieldname, text):
        return False
    return count * SPARSE_RATIO < reader.doc_frequency(fieldname, text)


def is_decoded(reader, cache, fieldname, text) -> bool:
    """Whether the term's postings are at hand without decoding: cached, or frozen beside the segment."""
    if (fieldname, text) in cache.get("postings", ()):
        return True
    store = frozen.frozen_postings(reader, cache)
    return store is not None and (fieldname, text) in store


def postings(reader, cache, fieldname, text) -> tuple[np.ndarray, np.ndarray]:
    """A term's (docnums, frequencies) in one segment: frozen beside the segment (``frozen.py``), or
    decoded through an LRU per segment, so a query's terms are decoded once, for matching and scoring
    alike."""
    store = frozen.frozen_postings(reader, cache)
    if store is not None:
        found = store.get(fieldname, text)
        if found is not None:
            return found
    cached = cache.setdefault("postings", OrderedDict())
    key = (fieldname, text)
    found = cached.get(key)
    if found is None:
        found = decode_postings(reader, fieldname, text)
        remember(cached, key, found, POSTINGS_CACHE_SIZE)
    return found


def live_only(reader, cache, bits: int) -> int:
    """The bitmap without the segment's deleted documents."""
    return bits & live_bits(reader, cache) if bits and reader.has_deletions() else bits


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


def ids_array(bits: int) -> np.ndarray:
    """The document numbers set in a bitmap, as a sorted numpy array."""
    if not bits:
        return _EMPTY_IDS
    data = np.frombuffer(bits.to_bytes((bits.bit_length() + 7) // 8, "little"), dtype=np.uint8)
    return np.flatnonzero(np.unpackbits(data, bitorder="little"))


class DocsOf:
    """``ids_array`` for one search: each bitmap converted once, for scoring and every facet alike."""

    def __init__(self):
        self._seen = {}

    def __call__(self, bits: int) -> np.ndarray:
        found = self._seen.get(id(bits))
        if found is None or found[0] is not bits:
            found = self._seen[id(bits)] = (bits, ids_array(bits))
        return found[1]


def remember(lru: OrderedDict, key, value, size: int = TERM_CACHE_SIZE) -> None:
    """Store in a bounded cache shared by the process's threads, dropping the oldest entries."""
    with SEGMENT_CACHE_LOCK:
        lru[key] = value
        while len(lru) > size:
            lru.popitem(last=False)


def live_bits(reader, cache) -> int:
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


def term_bits(reader, cache, fieldname, text) -> int:
    """Bitmap of a term's postings in one segment (an LRU per segment)."""
    terms = cache.setdefault("terms", OrderedDict())
    key = (fieldname, text)
    bits = terms.get(key)
    if bits is None:
        ids, _ = postings(reader, cache, fieldname, text)
        bits = live_only(reader, cache, bits_from_array(ids, reader.doc_count_all()))
        remember(terms, key, bits)
    return bits


def query_bits(q, sub, cache, care: int | None = None) -> int:
    """Bitmap of the documents of one segment matching q: set algebra on cached term bitmaps,
    the query's own matcher for anything else (ranges).

    `care`, when given, is where the caller needs the answer to be exact (an AND keeps only what its
    other parts matched; an OR already holds what its other parts matched), so phrase positions are
    checked there alone. Outside it the bitmap may be wrong either way (missing documents, or holding
    extra ones under a NOT): only the full answer (`care` None) is ever remembered. Cheap parts run
    first to narrow it."""
    kind = type(q)
    if kind is wq.Term:
        return term_bits(sub.reader(), cache, q.fieldname, q.text)
    if kind is wq.And or kind is wq.Require:
        children = q.subqueries if kind is wq.And else [q.a, q.b]
        bits = None
        for child in sorted(children, key=_cost):
            within = care if bits is None else bits if care is None else bits & care
            if isinstance(child, wq.Not):
                base = bits if bits is not None else live_bits(sub.reader(), cache)
                bits = base & ~query_bits(child.query, sub, cache, within)
            else:
                child_bits = query_bits(child, sub, cache, within)
                bits = child_bits if bits is None else bits & child_bits
            if not bits:
                return 0
        return bits or 0
    if (kind is wq.Or and not q.minmatch) or kind is wq.DisjunctionMax:
        bits = 0
        for child in sorted(q.subqueries, key=_cost):
            outside = ~bits if care is None else care & ~bits
            bits |= query_bits(child, sub, cache, outside if bits else care)
        return bits
    if kind is wq.Not:
        return live_bits(sub.reader(), cache) & ~query_bits(q.query, sub, cache, care)
    if kind is wq.AndNot:
        matched = query_bits(q.a, sub, cache, care)
        return matched & ~query_bits(q.b, sub, cache, matched)
    if kind is wq.AndMaybe:
        return query_bits(q.a, sub, cache, care)
    if kind is wq.Every:
        return live_bits(sub.reader(), cache)
    if q is wq.NullQuery:
        return 0
    if kind is wq.Phrase and q.slop == 1 and len(q.words) > 1:
        return phrase_bits(q, sub, cache, care)
    others = cache.setdefault("queries", OrderedDict())
    key = repr(q)
    bits = others.get(key)
    if bits is None:
        bits = bits_from_ids(q.docs(sub), sub.reader().doc_count_all())
        remember(others, key, bits)
    return bits


def _cost(q) -> int:
    """Evaluation order within an AND or an OR: terms, then compound parts, then phrases and
    exclusions (which then need checking in fewer documents)."""
    if isinstance(q, wq.Not):
        return 3
    if isinstance(q, wq.Phrase):
        return 2
    return 0 if isinstance(q, wq.Term) else 1


def pair_term(reader, words) -> str | None:
    """The pair term a two-word phrase is, exactly, when one of its words is common and the index holds
    pairs; None otherwise."""
    if len(words) == 2 and is_common_pair(*words) and PAIRS_FIELD in reader.schema:
        return f"{words[0]} {words[1]}"
    return None


def phrase_bits(q, sub, cache, care: int | None = None) -> int:
    """Bitmap of a phrase's documents, decoding positions only where they can still match.

    A two-word phrase holding a common word is its pair term, exactly. Otherwise the candidates are the
    documents holding the phrase's rarer words and every indexed pair of neighbouring words; positions
    are then checked for the candidates alone (those in `care`, when given: see ``query_bits``)."""
    reader = sub.reader()
    words = list(q.words)
    exact = pair_term(reader, words)
    if exact is not None:
        return term_bits(reader, cache, PAIRS_FIELD, exact)
    pairs = [(a, b) for a, b in zip(words, words[1:], strict=False) if is_common_pair(a, b)]
    # The candidates hold the rarer words; a word far more frequent than the rarest is not decoded (the
    # position check below keeps only real phrases).
    frequency = {word: reader.doc_frequency(q.fieldname, word) for word in set(words)}
    rarest = min(frequency.values(), default=0)
    bits = None
    for word in sorted(frequency, key=frequency.get):
        if bits is not None and frequency[word] > SPARSE_RATIO * max(rarest, 1):
            break
        word_bits = term_bits(reader, cache, q.fieldname, word)
        bits = word_bits if bits is None else bits & word_bits
        if not bits:
            return 0
    if pairs and PAIRS_FIELD in reader.schema:
        for a, b in pairs:
            bits &= term_bits(reader, cache, PAIRS_FIELD, f"{a} {b}")
            if not bits:
                return 0
    others = cache.setdefault("queries", OrderedDict())
    key = repr(q)
    found = others.get(key)
    if found is None:
        partial = care is not None and bits & ~care
        if partial:
            bits &= care  # an answer for part of the segment: not remembered
        keep = phrase_documents(reader, q.fieldname, words, ids_from_bits(bits))
        found = bits_from_ids(keep, reader.doc_count_all())
        if not partial:
            remember(others, key, found)
    return found


def phrase_documents(reader, fieldname: str, words: list[str], candidates: list[int]) -> list[int]:
    """The candidates (sorted docnums) in which the words stand at consecutive positions: each word's
    positions read for the candidates still in the running (rarest word first) and compared as sets
    (what Whoosh's span matcher decides, without building a span object for every occurrence)."""
    frequency = {word: reader.doc_frequency(fieldname, word) for word in dict.fromkeys(words)}
    positions = {}
    remaining = candidates
    for word in sorted(frequency, key=frequency.get):
        found = candidate_positions(reader, fieldname, word, remaining)
        if not found:
            return []
        positions[word] = found
        remaining = [d for d in remaining if d in found]
    keep = []
    for docnum in remaining:
        starts = positions[words[0]][docnum]
        for offset, word in enumerate(words[1:], 1):
            later = positions[word][docnum]
            starts = {p for p in starts if p + offset in later}
            if not starts:
                break
        if starts:
            keep.append(docnum)
    return keep


def fast_positions(value: bytes):
    """``Positions.decode_positions`` with the running sum in C: a frequency, then pickled deltas."""
    return accumulate(loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b"."))


def candidate_positions(reader, fieldname: str, text: str, candidates: list[int]) -> dict[int, set[int]]:
    """{docnum: set of positions of the term} for those of the sorted `candidates` that hold it.

    Whoosh's postings come in blocks of 128 whose header gives their last docnum: a block with no
    candidate is passed over undecoded, and a block with some decodes its docnums once and the
    positions of the candidates alone."""
    matcher = term_matcher(reader, fieldname, text)
    if matcher is None:
        return {}
    if not isinstance(matcher, W3LeafMatcher):
        return {docnum: set(matcher.value_as("positions")) for _, docnum in held(matcher, candidates)}
    found = {}
    decode = fast_positions if type(matcher.format) is Positions else matcher.format.decoder("positions")
    at, count = 0, len(candidates)
    while at < count and matcher.is_active():
        last = matcher.block_max_id()
        if candidates[at] <= last:
            upto = bisect_right(candidates, last, at)
            matcher._read_ids()
            where = {docnum: i for i, docnum in enumerate(matcher._ids)}
            inside = [(docnum, where[docnum]) for docnum in candidates[at:upto] if docnum in where]
            if inside:
                matcher._read_values()
                values = matcher._values
                for docnum, i in inside:
                    found[docnum] = set(decode(values[i]))
            at = upto
        matcher._next_block()
    return found
