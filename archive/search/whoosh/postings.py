"""A term's postings in one segment, decoded a block at a time (what ``matching`` and ``frozen`` read)."""

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound


def decode_postings(reader, fieldname, text) -> tuple[np.ndarray, np.ndarray]:
    """(sorted docnums, term frequencies) of a term in one segment, deleted documents included, decoded
    a block at a time rather than one posting per call."""
    ids, weights = [], []
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        matcher = None
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deletions are removed by the live bitmap
    if isinstance(matcher, W3LeafMatcher):
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
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float32)
