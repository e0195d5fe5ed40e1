"""A term's postings in one segment: its matcher, the documents of a list it holds, and all its postings
decoded a block at a time (what ``matching`` and ``frozen`` read)."""

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound


def term_matcher(reader, fieldname, text):
    """The term's matcher in one segment, deleted documents included (the live bitmap takes them out), or
    None when the segment does not hold the term."""
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return None
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def held(matcher, docs):
    """(index, docnum) of each of the sorted `docs` the matcher holds, the matcher standing on it: skipped
    from one to the next, so only the blocks that hold them are decoded."""
    for i, docnum in enumerate(docs):
        if not matcher.is_active():
            return
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                return
        if matcher.id() == docnum:
            yield i, docnum


def decode_postings(reader, fieldname, text) -> tuple[np.ndarray, np.ndarray]:
    """(sorted docnums, term frequencies) of a term in one segment, deleted documents included, decoded
    a block at a time rather than one posting per call."""
    ids, weights = [], []
    matcher = term_matcher(reader, fieldname, text)
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
