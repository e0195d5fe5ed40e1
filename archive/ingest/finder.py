"""Finding the stored article an imported text repeats: stored signatures in a per-process LSH index.

Reading every signature into datasketch's MinHashLSH costs about 0.3 ms per stored article, so the index
is built once per process and database, and each import then reads only the articles written or changed
since (by `updated_at`). A match is always confirmed against the signature the database holds now, so an
article deleted or edited meanwhile is never reported from a stale copy of the index.
"""

import datetime
import threading

from django.conf import settings
from django.db import router
from django.utils import timezone

from archive.ingest import duplicates
from archive.models import Article

_CHUNK = 2000
# Rows committed by another process while a refresh runs carry a slightly earlier `updated_at`.
_OVERLAP = datetime.timedelta(seconds=30)


def duplicate_threshold() -> float:
    return float(getattr(settings, "ARCHIVE_DUPLICATE_THRESHOLD", duplicates.DEFAULT_THRESHOLD))


class _Shared:
    """One database's index, the time it was last brought up to date, and the lock that guards both."""

    def __init__(self, threshold: float):
        self.lock = threading.Lock()
        self.index = duplicates.NearDuplicateIndex(threshold)
        self.mark: datetime.datetime | None = None


_SHARED: dict[tuple, _Shared] = {}
_SHARED_LOCK = threading.Lock()


def _shared() -> _Shared:
    alias = router.db_for_write(Article)
    key = (alias, str(settings.DATABASES[alias]["NAME"]), duplicate_threshold())
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = _Shared(duplicate_threshold())
        return _SHARED[key]


def forget_all() -> None:
    """Drop every cached index (the next import reads the signatures again)."""
    with _SHARED_LOCK:
        _SHARED.clear()


def _refresh(shared: _Shared) -> int:
    """Bring the index up to date with the database; articles stored without a signature get one."""
    started = timezone.now()
    rows = Article.objects.order_by("pk")
    if shared.mark is not None:
        rows = rows.filter(updated_at__gte=shared.mark - _OVERLAP)
    missing, read = [], 0
    for pk, data in rows.values_list("pk", "text_signature").iterator(chunk_size=_CHUNK):
        read += 1
        if data:
            shared.index.add(pk, duplicates.from_bytes(data))
        else:
            missing.append(pk)
    # Rows written without save() (a fixture load, a bulk update) get their signature once, here.
    for start in range(0, len(missing), _CHUNK):
        fill = list(Article.objects.filter(pk__in=missing[start : start + _CHUNK]).only("pk", "body"))
        for article in fill:
            minhash = duplicates.signature(article.body)
            article.text_signature = duplicates.to_bytes(minhash)
            shared.index.add(article.pk, minhash)
        Article.objects.bulk_update(fill, ["text_signature"])
    shared.mark = started
    return read


class DuplicateFinder:
    """What one import uses: find the stored article a text repeats, and remember the articles it saves."""

    def __init__(self):
        self._shared = _shared()
        with self._shared.lock:
            _refresh(self._shared)

    def find(self, minhash) -> tuple[int, float] | None:
        """(article id, similarity) of the stored article most like the text, at or above the threshold."""
        shared = self._shared
        with shared.lock:
            skip: set[int] = set()
            while True:
                match = shared.index.best_match(minhash, exclude=skip)
                if match is None:
                    return None
                stored = Article.objects.filter(pk=match[0]).values_list("text_signature", flat=True).first()
                if stored is None:
                    shared.index.remove(match[0])  # deleted since the index read it
                    continue
                score = duplicates.similarity(minhash, duplicates.from_bytes(stored))
                if score >= shared.index.threshold:
                    return match[0], score
                shared.index.add(match[0], duplicates.from_bytes(stored))  # edited since: its text differs now
                skip.add(match[0])

    def add(self, pk: int, minhash) -> None:
        with self._shared.lock:
            self._shared.index.add(pk, minhash)
