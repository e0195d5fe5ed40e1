"""Two fixes to Whoosh 2.7, applied once from ``ArchiveConfig.ready()`` (never as a side effect of import).

Whoosh 2.7.4 is the last release (the project is unmaintained), so its bugs are fixed here, for
that version only: ``apply()`` refuses any other version rather than patch code it has not seen.
"""

import whoosh
from whoosh.codec.whoosh3 import W3PerDocReader
from whoosh.index import FileIndex
from whoosh.reading import EmptyReader, MultiReader, SegmentReader

PATCHED_VERSION = (2, 7, 4)
_applied = False


class UnsupportedWhooshVersion(RuntimeError):
    pass


def _cached_lengths_reader(self, fieldname, column):
    """W3PerDocReader._cached_reader that also remembers a missing column.

    Upstream bug: whoosh.codec.whoosh3.W3PerDocReader._cached_reader caches a column reader only
    when the column exists, so for a field without lengths (keyword and spelling fields) it checks
    the file system again for every posting; a commit spent half its time in stat() calls.
    """
    try:
        return self._readers[fieldname]
    except KeyError:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
        return reader


def _reader_reusing_segments(cls, storage, schema, segments, generation, reuse=None):
    """FileIndex._reader that really reuses the open readers of unchanged segments on refresh.

    Upstream bug: whoosh.index.FileIndex._reader files the reusable readers under their generation
    but looks them up by segment id, so every refresh reopened (and copied into memory) every
    segment, including the large one an edit only adds a deletion to.
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
                perdoc = reader._perdoc
                if isinstance(perdoc, W3PerDocReader):
                    perdoc._segment = segment
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


def apply() -> None:
    """Install the fixes (once); refuses a Whoosh version they were not written for."""
    global _applied
    if _applied:
        return
    if whoosh.__version__ != PATCHED_VERSION:
        raise UnsupportedWhooshVersion(
            f"The archive's Whoosh engine is written for Whoosh {'.'.join(map(str, PATCHED_VERSION))}, "
            f"not {whoosh.versionstring()}; pin Whoosh=={'.'.join(map(str, PATCHED_VERSION))} in requirements.txt."
        )
    W3PerDocReader._cached_reader = _cached_lengths_reader
    FileIndex._reader = classmethod(_reader_reusing_segments)
    _applied = True
