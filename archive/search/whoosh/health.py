"""Whether the index folder can be read and written, told plainly; never raises for a damaged index."""

import os

from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError
from whoosh.reading import SegmentReader

from archive.search.engine import HealthReport


def check(path: str) -> HealthReport:
    report = HealthReport()
    if not os.path.isdir(path):
        report.problems.append(f"The index folder {path} does not exist; `manage.py rebuild_index` creates it.")
        report.writable = False
        return report
    if not os.access(path, os.R_OK | os.X_OK):
        report.problems.append(f"The index folder {path} cannot be read by this user.")
        report.writable = False
        return report
    if not os.access(path, os.W_OK):
        report.writable = False
        report.problems.append(
            f"The index folder {path} is read-only: saves cannot update the index (their updates wait in the outbox)."
        )
    try:
        ix = FileStorage(path, readonly=True).open_index()
        segments = ix._segments()
    except EmptyIndexError:
        report.problems.append(f"The index folder {path} holds no index; `manage.py rebuild_index` builds it.")
        return report
    except Exception as error:  # any damage: a truncated or unreadable table of contents
        report.problems.append(
            f"The index's table of contents in {path} cannot be read ({type(error).__name__}: {error}); "
            "`manage.py rebuild_index` replaces the index."
        )
        return report
    for segment in segments:
        try:
            reader = SegmentReader(ix.storage, ix.schema, segment)
            try:
                reader.doc_count()
                for fieldname in ix.schema.names():
                    if ix.schema[fieldname].indexed:
                        next(iter(reader.lexicon(fieldname)), None)
            finally:
                reader.close()
        except Exception as error:  # a segment file missing, truncated or unreadable
            report.problems.append(
                f"Segment {segment.segment_id()} of the index in {path} cannot be read ({type(error).__name__}: "
                f"{error}); `manage.py rebuild_index` replaces the index."
            )
    return report
