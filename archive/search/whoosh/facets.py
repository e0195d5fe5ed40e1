"""Facet counts, per segment, by whichever of two ways costs less for the matching documents:

- few matches: each matching document's values looked up in a per-segment table (document -> value
  codes) and counted with one ``bincount``;
- many matches: the matching documents' bitmap intersected with each value's cached bitmap.
"""

import numpy as np

from archive.search.whoosh.matching import bits_from_array, ids_array, live_only
from archive.search.whoosh.postings import decode_postings

# The table lookup is chosen while the matches are fewer than this share of the segment's documents times
# its number of values (the bitmap way reads every value's bitmap in full, whatever the matches).
LOOKUP_SHARE = 1 / 1024


def value_bits(reader, cache, field: str) -> dict:
    """{value: bitmap of local docnums} of a keyword field in one segment (cached)."""
    key = ("values", field)
    values = cache.get(key)
    if values is None:
        values = {}
        if field in reader.schema and reader.doc_count_all():
            size = reader.doc_count_all()
            for term in reader.lexicon(field):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                ids, _ = decode_postings(reader, field, term)
                values[value] = live_only(reader, cache, bits_from_array(ids, size))
        cache[key] = values
    return values


def value_table(reader, cache, fields: tuple[str, ...]) -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray]:
    """(values, offsets, codes) of keyword fields in one segment (cached): document d holds the
    (field, value) pairs ``values[c] for c in codes[offsets[d]:offsets[d + 1]]``."""
    key = ("value table", fields)
    table = cache.get(key)
    if table is None:
        size = reader.doc_count_all()
        values, docs, codes = [], [], []
        for field in fields:
            for value, bitmap in value_bits(reader, cache, field).items():
                ids = ids_array(bitmap)
                docs.append(ids)
                codes.append(np.full(len(ids), len(values), dtype=np.int32))
                values.append((field, value))
        docs = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64)
        codes = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int32)
        order = np.argsort(docs, kind="stable")
        offsets = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(docs, minlength=size)[:size], out=offsets[1:])
        table = cache[key] = (values, offsets, codes[order])
    return table


def lookup_counts(table, docs: np.ndarray) -> list[tuple[tuple[str, str], int]]:
    """[((field, value), how many of `docs` hold it)] from a segment's value table."""
    values, offsets, codes = table
    starts, lengths = offsets[docs], offsets[docs + 1] - offsets[docs]
    total = int(lengths.sum())
    if not total:
        return []
    # The positions of every matching document's codes, run after run.
    runs = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
    counted = np.bincount(codes[runs], minlength=len(values))
    return [(values[code], int(counted[code])) for code in np.flatnonzero(counted).tolist()]


def facet_counts(matches, fields, cache_of, docs_of=ids_array) -> dict[str, list[tuple[str, int]]]:
    """{field: [(value, matching documents)], most frequent first (ties: by value)} of keyword fields.

    `docs_of(bits)` gives the sorted docnums of a bitmap (a search converts each segment's bitmap once,
    for scoring and facets alike)."""
    fields = tuple(sorted(fields))
    counts = {field: {} for field in fields}
    for sub, _, bits in matches:
        if not bits:
            continue
        reader = sub.reader()
        cache = cache_of(reader)
        bitmaps = {field: value_bits(reader, cache, field) for field in fields}
        n_values = sum(len(values) for values in bitmaps.values())
        if bits.bit_count() < LOOKUP_SHARE * reader.doc_count_all() * max(1, n_values):
            found = lookup_counts(value_table(reader, cache, fields), docs_of(bits))
        else:
            found = [
                ((field, value), (bits & bitmap).bit_count())
                for field, values in bitmaps.items()
                for value, bitmap in values.items()
            ]
        for (field, value), n in found:
            if n:
                counts[field][value] = counts[field].get(value, 0) + n
    return {field: sorted(found.items(), key=lambda item: (-item[1], item[0])) for field, found in counts.items()}
