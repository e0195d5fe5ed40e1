"""Near-duplicate lookup at scale: reading the stored signatures into the LSH index, and one lookup.

Stores N synthetic articles (default 20,000) with their signatures in a throwaway test database, then
times what the first import of a process pays (reading every signature into a datasketch MinHashLSH),
what a later import pays (the rows changed since), and one lookup per article, and checks that an edited copy of a stored article is found and a new text is not.
Run: .venv/bin/python benchmarks/near_duplicates.py [COUNT]
"""

import datetime
import os
import random
import sys
import time
import tracemalloc
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent


def measure(count: int) -> dict:
    from django.utils import timezone

    from archive.ingest import duplicates
    from archive.ingest.finder import DuplicateFinder, forget_all
    from archive.models import Article
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
            Article.objects.bulk_create(rows)
            rows = []
    Article.objects.bulk_create(rows)
    stored = time.perf_counter() - started
    # As in a real archive, the stored articles were written earlier than the import that reads them.
    Article.objects.update(updated_at=timezone.now() - datetime.timedelta(days=1))

    forget_all()
    tracemalloc.start()
    started = time.perf_counter()
    finder = DuplicateFinder()
    load = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # The next import in the same process reads only what changed since.
    Article.objects.filter(pk__in=Article.objects.order_by("pk").values("pk")[:10]).update(title="Edited")
    started = time.perf_counter()
    DuplicateFinder()
    again = time.perf_counter() - started

    probes = [bodies[i].replace("said", "stated", 1) for i in rng.sample(range(count), 200)]
    fresh = [article(count + n, random.Random(count + n)) + " An unrelated closing line." for n in range(200)]
    started = time.perf_counter()
    found = sum(finder.find(duplicates.signature(text)) is not None for text in probes)
    lookups = (time.perf_counter() - started) / len(probes)
    false = sum(finder.find(duplicates.signature(text)) is not None for text in fresh)
    return {
        "count": count,
        "store_seconds": stored,
        "load_seconds": load,
        "load_peak_mb": peak / 1048576,
        "again_seconds": again,
        "lookup_ms": lookups * 1000,
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
    print(f"Signatures loaded into the LSH index in {f['load_seconds']:.2f} s (peak {f['load_peak_mb']:.0f} MB)")
    print(f"A later import in the same process brings it up to date in {f['again_seconds']:.3f} s")
    print(f"One lookup (signature + LSH query + comparisons): {f['lookup_ms']:.2f} ms")
    print(f"Edited copies of stored articles found: {f['edited_found']} of {f['probes']}")
    print(f"New articles flagged (false positives): {f['fresh_flagged']} of {f['fresh']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
