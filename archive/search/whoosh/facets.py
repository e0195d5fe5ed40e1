"""Facet counts: the matching documents' bitmap intersected with each value's cached bitmap, per segment."""

from archive.search.whoosh.matching import bits_from_array, decode_postings, live_only


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


def facet_counts(matches, field, cache_of) -> list[tuple[str, int]]:
    """[(value, matching documents)] of a keyword field, most frequent first (ties: by value)."""
    counts = {}
    for sub, _, bits in matches:
        if not bits:
            continue
        reader = sub.reader()
        for value, bitmap in value_bits(reader, cache_of(reader), field).items():
            n = (bits & bitmap).bit_count()
            if n:
                counts[value] = counts.get(value, 0) + n
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
