"""Results in date order: per-segment date keys and orders, cached, merged across segments."""

import heapq
from datetime import datetime
from itertools import islice

from whoosh.util.times import datetime_to_long

from archive.search.whoosh.matching import ids_from_bits

DATE_FLOOR = datetime_to_long(datetime(1000, 1, 1))
DATE_CEILING = datetime_to_long(datetime(3000, 1, 1))
SMALL_SORT = 2000  # at or below this many hits, sort them directly rather than walking a date order


def date_keys(reader, cache, field: str) -> list:
    """Per local docnum, a sortable number for the date, or None when it has none (cached per segment)."""
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


def date_order(reader, cache, field: str, reverse: bool) -> list:
    """Local docnums with a date, in date order (newest first when reverse), cached per segment."""
    key = ("order", field, reverse)
    order = cache.get(key)
    if order is None:
        keys = date_keys(reader, cache, field)
        dated = [d for d, k in enumerate(keys) if k is not None]
        order = sorted(dated, key=lambda d: (-keys[d], d) if reverse else (keys[d], d))
        cache[key] = order
    return order


def sorted_page(matches, field, reverse, end, cache_of) -> list[int]:
    """Global docnums of the first `end` matches in date order; undated documents last."""
    total = sum(bits.bit_count() for _, _, bits in matches)
    if total <= SMALL_SORT:
        keyed, undated = [], []
        for sub, offset, bits in matches:
            reader = sub.reader()
            keys = date_keys(reader, cache_of(reader), field)
            for d in ids_from_bits(bits):
                k = keys[d]
                if k is None:
                    undated.append(d + offset)
                else:
                    keyed.append(((-k if reverse else k), d + offset))
        keyed.sort()
        return ([g for _, g in keyed] + sorted(undated))[:end]

    def walk(sub, offset, bits):
        reader = sub.reader()
        cache = cache_of(reader)
        keys = date_keys(reader, cache, field)
        members = bits.to_bytes((bits.bit_length() + 7) // 8 or 1, "little")
        limit = len(members) << 3
        for d in date_order(reader, cache, field, reverse):
            if d < limit and members[d >> 3] & (1 << (d & 7)):
                yield ((-keys[d] if reverse else keys[d]), d + offset)

    merged = heapq.merge(*(walk(*m) for m in matches))
    page = [g for _, g in islice(merged, end)]
    if len(page) < end:
        undated = []
        for sub, offset, bits in matches:
            reader = sub.reader()
            keys = date_keys(reader, cache_of(reader), field)
            undated.extend(d + offset for d in ids_from_bits(bits) if keys[d] is None)
        page.extend(sorted(undated)[: end - len(page)])
    return page
