"""Decoded postings of a large segment's frequent terms, kept beside the segment as numpy arrays that
every worker memory-maps.

Whoosh keeps postings in compressed, pickled blocks of 128, and decoding them in Python costs about
0.6 µs a posting: a word in 20,000 documents costs 12 ms each time a process first reads it. A segment
never changes its postings (deletions are kept apart, and ``live_bits`` takes them out), so their
decoded form is written once, beside the segment's own files, and read without decoding: the files
are memory-mapped, so the workers of one machine share their pages, and a restarted worker finds them
again.

The files are named after the segment (``<segment id>.frozen_ids.npy`` and so on), so Whoosh deletes
them with the segment's own files when a merge or a rebuild retires it. The term table is written
last: a segment whose table is missing (a build interrupted) is read the ordinary way.
"""

import json
import logging
import os
import secrets
import time

import numpy as np
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import SegmentReader

from archive.search.whoosh.postings import decode_postings

logger = logging.getLogger(__name__)

MIN_SEGMENT_DOCS = 20_000  # smaller segments decode fast enough
MIN_POSTINGS = 1_000  # a term with fewer postings decodes in well under a millisecond
IDS, WEIGHTS, TERMS = ".frozen_ids.npy", ".frozen_tf.npy", ".frozen_terms.json"
TEMPORARY = ".frozen-tmp-"  # files being written; a dot keeps Whoosh and the rebuild's swap off them
STALE_TEMPORARY_SECONDS = 3600  # a temporary file this old was left by a killed process
RECHECK_SECONDS = 5.0
_MISSING = object()


class FrozenPostings:
    """One segment's frozen terms: (docnums, term frequencies) by field and term, as read-only views."""

    def __init__(self, ids: np.ndarray, weights: np.ndarray, spans: dict):
        self.ids = ids
        self.weights = weights
        self.spans = spans

    def __contains__(self, key) -> bool:
        fieldname, text = key
        return _text(text) in self.spans.get(fieldname, ())

    def get(self, fieldname: str, text) -> tuple[np.ndarray, np.ndarray] | None:
        span = self.spans.get(fieldname, {}).get(_text(text))
        if span is None:
            return None
        start, end = span
        return self.ids[start:end], self.weights[start:end]


def _text(text) -> str:
    return text.decode("utf-8") if isinstance(text, bytes) else text


def folder_of(reader) -> str | None:
    """The folder holding a segment reader's files (None for an index kept in memory)."""
    storage = reader.storage()
    storage = getattr(storage, "b", storage)  # a compound segment reads through an overlay
    return storage.folder if isinstance(storage, FileStorage) else None


def _paths(folder: str, segment_id: str) -> tuple[str, str, str]:
    return tuple(os.path.join(folder, segment_id + suffix) for suffix in (IDS, WEIGHTS, TERMS))


def frozen_postings(reader, cache) -> FrozenPostings | None:
    """The segment's frozen postings, memory-mapped once per process (None when it has none). A large
    segment whose files are not written yet (a merge's, frozen after its commit) is looked at again
    every RECHECK_SECONDS, so a running worker takes them up."""
    found = cache.get("frozen", _MISSING)
    if found is None or isinstance(found, FrozenPostings):
        return found
    if found is not _MISSING and time.monotonic() < found:
        return None
    folder, segment = folder_of(reader), reader.segment()
    if folder is None or segment is None or reader.doc_count_all() < MIN_SEGMENT_DOCS:
        cache["frozen"] = None
        return None
    if not is_frozen(folder, segment.segment_id()):
        cache["frozen"] = time.monotonic() + RECHECK_SECONDS
        return None
    found = cache["frozen"] = load(folder, segment.segment_id(), reader.doc_count_all())
    return found


def load(folder: str, segment_id: str, doc_count: int | None = None) -> FrozenPostings | None:
    """A segment's frozen postings, or None when it has none or they do not fit it (then it is read as
    usual, and a warning says why)."""
    ids_path, weights_path, terms_path = _paths(folder, segment_id)
    try:
        with open(terms_path, encoding="utf-8") as handle:
            table = json.load(handle)
        ids = np.load(ids_path, mmap_mode="r")
        weights = np.load(weights_path, mmap_mode="r")
        spans = table["spans"]
        fits = ids.shape == weights.shape and (doc_count is None or table["docs"] == doc_count)
        if not fits or any(end > len(ids) for terms in spans.values() for _, end in terms.values()):
            raise ValueError("the files do not match each other or the segment")
        if doc_count is not None and len(ids) and (int(ids.min()) < 0 or int(ids.max()) >= doc_count):
            raise ValueError("a document number is outside the segment")
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        logger.warning("The frozen postings of segment %s are not used (%s); it is read as usual", segment_id, error)
        return None
    return FrozenPostings(ids, weights, spans)


def is_frozen(folder: str, segment_id: str) -> bool:
    return os.path.exists(_paths(folder, segment_id)[2])


def freeze(reader, folder: str, fieldnames) -> int:
    """Write the decoded postings of the segment's frequent terms of `fieldnames` beside it; returns how
    many terms (0 when the segment is small or already frozen)."""
    segment = reader.segment()
    if segment is None or reader.doc_count_all() < MIN_SEGMENT_DOCS:
        return 0
    segment_id = segment.segment_id()
    if is_frozen(folder, segment_id):
        return 0
    chosen, total = [], 0
    for fieldname in fieldnames:
        if fieldname not in reader.schema:
            continue
        for text, info in reader.iter_field(fieldname):
            count = info.doc_frequency()
            if count >= MIN_POSTINGS:
                chosen.append((fieldname, text, count))
                total += count
    if not chosen:
        return 0
    targets = _paths(folder, segment_id)
    # Written under hidden names first (Whoosh and the rebuild's swap leave dot-files alone), then
    # renamed: a reader sees whole files or none.
    token = secrets.token_hex(4)
    temporary = [os.path.join(folder, f"{TEMPORARY}{token}-{os.path.basename(path)}") for path in targets]
    spans: dict[str, dict[str, list[int]]] = {}
    try:
        ids = np.lib.format.open_memmap(temporary[0], mode="w+", dtype=np.int32, shape=(total,))
        weights = np.lib.format.open_memmap(temporary[1], mode="w+", dtype=np.float32, shape=(total,))
        at = 0
        for fieldname, text, count in chosen:
            term_ids, term_weights = decode_postings(reader, fieldname, text)
            if len(term_ids) > count:
                continue  # not as the term table says: left to ordinary decoding
            ids[at : at + len(term_ids)] = term_ids
            weights[at : at + len(term_ids)] = term_weights
            spans.setdefault(fieldname, {})[_text(text)] = [at, at + len(term_ids)]
            at += len(term_ids)
        ids.flush()
        weights.flush()
        del ids, weights
        with open(temporary[2], "w", encoding="utf-8") as handle:
            json.dump({"docs": reader.doc_count_all(), "spans": spans}, handle, separators=(",", ":"))
        # On disk before they are renamed in, the table last: a crash leaves whole files or none.
        for path in temporary:
            _fsync(path)
        for source, target in zip(temporary, targets, strict=True):
            os.replace(source, target)
        _fsync(folder)
    finally:
        for path in temporary:
            if os.path.exists(path):
                os.remove(path)
    return sum(len(terms) for terms in spans.values())


def freeze_index(ix, fieldnames) -> int:
    """Freeze every large segment of an index that has no frozen postings yet; returns how many terms.
    Only those segments are opened: a check after each bulk commit costs a look at the folder. Never
    raises: a segment it could not freeze is read as usual."""
    folder = ix.storage.folder if isinstance(ix.storage, FileStorage) else None
    if folder is None:
        return 0
    frozen = 0
    try:
        remove_stale_temporaries(folder)
        segments = ix._segments()
    except Exception:  # the table of contents replaced meanwhile by another process's commit
        logger.warning("The index's segments could not be listed for freezing; they are read as usual", exc_info=True)
        return 0
    for segment in segments:
        if segment.doc_count_all() < MIN_SEGMENT_DOCS or is_frozen(folder, segment.segment_id()):
            continue
        frozen += freeze_segment(ix.storage, ix.schema, segment, folder, fieldnames)
    return frozen


def remove_stale_temporaries(folder: str) -> None:
    """Delete the temporary files of a freeze killed part-way (they are as large as the real ones)."""
    limit = time.time() - STALE_TEMPORARY_SECONDS
    for name in os.listdir(folder):
        if name.startswith(TEMPORARY):
            path = os.path.join(folder, name)
            try:
                if os.path.getmtime(path) < limit:
                    os.remove(path)
            except FileNotFoundError:
                pass


def _fsync(path: str) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def freeze_segment(storage, schema, segment, folder: str, fieldnames) -> int:
    """``freeze`` for a segment not yet open; a failure (the segment merged away meanwhile, a full disk) is
    logged, never raised: the segment is then read as usual."""
    try:
        reader = SegmentReader(storage, schema, segment)
        try:
            return freeze(reader, folder, fieldnames)
        finally:
            reader.close()
    except Exception:
        logger.warning(
            "The postings of segment %s were not frozen; it is read as usual", segment.segment_id(), exc_info=True
        )
        return 0
