"""When a commit merges segments: saves merge only small ones, bulk updates by tenfold size classes."""

from whoosh.reading import SegmentReader

# Segment sizes merged by an editor's save: (documents under, how many of them make a merge). Only small
# segments: a rebuild leaves several segments of a few thousand documents, and merging those on a save
# took seconds; bulk updates (merge_bulk) and rebuilds keep the larger segments few.
MERGE_TIERS = ((1_000, 6),)
BULK_MERGE_FACTOR = 10  # a bulk update merges this many segments of one size class (powers of ten)


def _add_segments(writer, segments) -> None:
    for segment in segments:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()


def merge_tiers(writer, segments):
    """Merge policy for saves: merge the smallest tier of segments that has piled up, never a big one.

    Whoosh's MERGE_SMALL may merge segments of any size on an ordinary commit (on 100,000 articles
    one editor's save took two minutes); here a save merges at most a few thousand documents.
    """
    for bound, count in MERGE_TIERS:
        small = [segment for segment in segments if segment.doc_count_all() < bound]
        if len(small) >= count:
            _add_segments(writer, small)
            return [segment for segment in segments if segment.doc_count_all() >= bound]
    return segments


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
            _add_segments(writer, group)
            merged = {segment.segment_id() for segment in group}
            return [segment for segment in segments if segment.segment_id() not in merged]
    return segments
