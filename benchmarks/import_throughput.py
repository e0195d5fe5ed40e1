"""Import throughput: 1,000 synthetic articles through the whole pipeline into an empty test database.

Prints articles per second (parse, clean, extract, resolve, save), how many times the search index
was updated (once is the target), how many commits the Whoosh writer made for it (one per update is
the target: imported articles are drafts, so their documents are removals) and the time the index
update took. Run: .venv/bin/python benchmarks/import_throughput.py [COUNT]
"""

import os
import sys
import tempfile
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent


def measure(count: int = 1000) -> dict:
    """Import `count` synthetic articles; the database should be empty of them."""
    from whoosh.writing import SegmentWriter

    from archive import indexing
    from archive.ingest import import_paths
    from archive.models import Actor, Statement
    from benchmarks.synthetic import write_articles

    calls, update_seconds, commits = [], [], []
    original = indexing.apply_updates
    original_commit = SegmentWriter.commit

    def counting(batch):
        calls.append(sum(len(items) for items in batch.values()))
        started = time.perf_counter()
        try:
            return original(batch)
        finally:
            update_seconds.append(time.perf_counter() - started)

    def counting_commit(self, *args, **kwargs):
        commits.append(1)
        return original_commit(self, *args, **kwargs)

    with tempfile.TemporaryDirectory(prefix="archive-synthetic-") as folder:
        write_articles(Path(folder), count)
        indexing.apply_updates = counting
        SegmentWriter.commit = counting_commit
        try:
            started, cpu_started = time.perf_counter(), time.process_time()
            report = import_paths([folder])
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        finally:
            indexing.apply_updates = original
            SegmentWriter.commit = original_commit
    return {
        "count": count,
        "seconds": elapsed,
        "per_second": count / elapsed if elapsed else float("inf"),
        "cpu_seconds": cpu,
        "per_cpu_second": count / cpu if cpu else float("inf"),
        "counts": report.counts(),
        "index_updates": len(calls),
        "index_objects": sum(calls),
        "index_seconds": sum(update_seconds),
        "writer_commits": len(commits),
        "statements": Statement.objects.count(),
        "actors_created": Actor.objects.filter(needs_review=True).count(),
    }


def main() -> int:
    sys.path.insert(0, str(BASE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import get_runner

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        # No enclosing transaction: each article commits on its own, as in a real import.
        figures = measure(count)
    finally:
        runner.teardown_databases(old)
    print(f"Database: {connection.vendor}")
    print(
        f"Imported {figures['count']} synthetic articles in {figures['seconds']:.2f} s: {figures['per_second']:.1f} articles/s"
    )
    print(
        f"CPU time of this process: {figures['cpu_seconds']:.2f} s: {figures['per_cpu_second']:.1f} articles per CPU second"
        f" (load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    print(f"Report: {figures['counts']}")
    print(f"Statements extracted: {figures['statements']}; new actors marked for review: {figures['actors_created']}")
    print(
        f"Search index updates: {figures['index_updates']} (target: 1) for {figures['index_objects']} objects; "
        f"Whoosh writer commits: {figures['writer_commits']}; time in the index update: {figures['index_seconds']:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
