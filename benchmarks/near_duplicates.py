"""Near-duplicate lookup at scale: the LSH band query against a large archive.

Stores N synthetic articles (default 20,000) with their signatures and LSH bands in a throwaway test
database, then times what an import pays before its first article (a check for articles without bands)
and per article (the band query and the comparisons), and checks that an edited copy of a stored article is found and a new text is not.
Run: .venv/bin/python benchmarks/near_duplicates.py [COUNT]
"""

import datetime
import os
import random
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent


def _store(rows) -> None:
    from archive.ingest import duplicates
    from archive.ingest.finder import band_rows
    from archive.models import Article, ArticleBand

    Article.objects.bulk_create(rows)
    bands = [b for a in rows for b in band_rows(a.pk, duplicates.from_bytes(a.text_signature))]
    ArticleBand.objects.bulk_create(bands, batch_size=5000)


def measure(count: int) -> dict:
    from django.utils import timezone

    from archive.ingest import duplicates
    from archive.ingest.finder import DuplicateFinder
    from archive.models import Article, ArticleBand
    from archive.text import content_hash
    from benchmarks.synthetic import article

    rng = random.Random(7)
    bodies = []
    rows = []
    started = time.perf_counter()
    for n in range(count):
        body = article(n, rng)
        bodies.append(body)
        rows.append(
            Article(
                title=f"Synthetic article {n}",
                slug=f"synthetic-article-{n}",
                body=body,
                raw_text=body,
                content_hash=content_hash(body),
                text_signature=duplicates.to_bytes(duplicates.signature(body)),
            )
        )
        if len(rows) == 2000:
            _store(rows)
            rows = []
    _store(rows)
    stored = time.perf_counter() - started
    # As in a real archive, the stored articles were written earlier than the import that reads them.
    Article.objects.update(updated_at=timezone.now() - datetime.timedelta(days=1))

    started = time.perf_counter()
    finder = DuplicateFinder()
    ready = time.perf_counter() - started
    band_count = ArticleBand.objects.count()
    probes = [bodies[i].replace("said", "stated", 1) for i in rng.sample(range(count), 200)]
    fresh = [article(count + n, random.Random(count + n)) + " An unrelated closing line." for n in range(200)]
    started, cpu = time.perf_counter(), time.process_time()
    found = sum(finder.find(duplicates.signature(text)) is not None for text in probes)
    lookups = (time.perf_counter() - started) / len(probes)
    lookup_cpu = (time.process_time() - cpu) / len(probes)
    false = sum(finder.find(duplicates.signature(text)) is not None for text in fresh)
    return {
        "count": count,
        "store_seconds": stored,
        "ready_seconds": ready,
        "bands": band_count,
        "lookup_ms": lookups * 1000,
        "lookup_cpu_ms": lookup_cpu * 1000,
        "edited_found": found,
        "probes": len(probes),
        "fresh_flagged": false,
        "fresh": len(fresh),
    }


def main() -> int:
    sys.path.insert(0, str(BASE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import get_runner

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        f = measure(count)
    finally:
        runner.teardown_databases(old)
    print(f"Database: {connection.vendor}; {f['count']} stored articles (written in {f['store_seconds']:.1f} s)")
    print(f"LSH bands stored: {f['bands']}; an import is ready to look up in {f['ready_seconds'] * 1000:.1f} ms")
    print(
        f"One lookup (signature + LSH query + comparisons): {f['lookup_ms']:.2f} ms"
        f" ({f['lookup_cpu_ms']:.2f} ms of this process's CPU; load average {os.getloadavg()[0]:.1f})"
    )
    print(f"Edited copies of stored articles found: {f['edited_found']} of {f['probes']}")
    print(f"New articles flagged (false positives): {f['fresh_flagged']} of {f['fresh']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
