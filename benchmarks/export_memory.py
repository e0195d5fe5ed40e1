"""Peak memory of a streamed statement export: 10,000 rows against 100,000 rows.

Builds a throwaway SQLite archive with 100,000 public statements (100 articles of 1,000 statements,
each with a speaker and a topic), then downloads /api/statements/export.<fmt> through the Django test
client for the first 10 and for all 100 articles, measuring the Python heap's peak with tracemalloc
while the response streams. A constant-memory export shows about the same peak for both sizes.

The search-result export (/api/search/export.<fmt>?type=statement, every match read from the index
in batches) is measured the same way after the search index is built; --no-search skips it.

    .venv/bin/python benchmarks/export_memory.py            # csv and ndjson, 10k and 100k rows
    .venv/bin/python benchmarks/export_memory.py --formats csv json --total 100000
    .venv/bin/python benchmarks/export_memory.py --formats xlsx --total 20000 --no-search
    .venv/bin/python benchmarks/export_memory.py --total 50000 --no-search
    .venv/bin/python benchmarks/export_memory.py --search-only --formats csv
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PER_ARTICLE = 1000
SMALL = 10_000


def setup_django(tmp: Path) -> None:
    # Never touch a real database: the benchmark always writes to its own SQLite file.
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["ARCHIVE_VAR_DIR"] = str(tmp)
    os.environ["WHOOSH_PATH"] = str(tmp / "whoosh")
    os.environ.pop("ELASTICSEARCH_URL", None)
    os.environ["API_ANON_RATE"] = "off"
    os.environ["DJANGO_LOG_LEVEL"] = "ERROR"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(statements: int) -> None:
    from django.db import transaction

    from archive.models import Actor, Article, Source, Statement, Topic
    from archive.text import content_hash

    articles_needed = statements // PER_ARTICLE
    words = [f"word{i:04d}" for i in range(PER_ARTICLE)]
    with transaction.atomic():
        source = Source.objects.create(name="Benchmark Wire")
        actors = Actor.objects.bulk_create(
            Actor(name=f"Speaker {i}", slug=f"speaker-{i}", kind=Actor.Kind.PERSON) for i in range(50)
        )
        topics = list(Topic.objects.all()) or [Topic.objects.create(name="Ceasefire")]
        articles = []
        for a in range(articles_needed):
            body = f"Article {a}. " + " ".join(words)
            articles.append(
                Article(
                    title=f"Benchmark article {a}",
                    slug=f"benchmark-article-{a}",
                    source=source,
                    body=body,
                    raw_text=body,
                    content_hash=content_hash(body),
                    status=Article.Status.PUBLISHED,
                    published_date=f"{2019 if a < SMALL // PER_ARTICLE else 2020}-06-01",
                    date_precision=Article.DatePrecision.MONTH,
                )
            )
        Article.objects.bulk_create(articles)
        through = Statement.topics.through
        for article in Article.objects.filter(slug__startswith="benchmark-article-").order_by("pk"):
            offset = len(f"Article {article.slug.rsplit('-', 1)[1]}. ")
            batch = []
            for i in range(PER_ARTICLE):
                start = offset + i * 9
                batch.append(
                    Statement(
                        article=article,
                        speaker=actors[i % len(actors)],
                        start=start,
                        end=start + 8,
                        text=article.body[start : start + 8],
                        date=article.published_date,
                        review_status=Statement.ReviewStatus.VERIFIED,
                    )
                )
            created = Statement.objects.bulk_create(batch)
            through.objects.bulk_create(
                through(statement_id=s.pk, topic_id=topics[n % len(topics)].pk) for n, s in enumerate(created)
            )


def measure(fmt: str, params: dict, rows: int, path: str = "/api/statements/export") -> dict:
    """Download <path>.<fmt> with the given filters; peak heap while it streams."""
    from django.test import Client

    client = Client()
    tracemalloc.start()
    began = time.perf_counter()
    response = client.get(f"{path}.{fmt}", params)
    assert response.status_code == 200 and response.streaming, response
    total_bytes = lines = 0
    # A workbook is written to disk as it streams and its rows counted afterwards (it has no lines).
    workbook = tempfile.TemporaryFile() if fmt == "xlsx" else None
    for chunk in response.streaming_content:
        total_bytes += len(chunk)
        if workbook is not None:
            workbook.write(chunk)
        else:
            lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if workbook is not None:
        from openpyxl import load_workbook

        workbook.seek(0)
        lines = sum(1 for _ in load_workbook(workbook, read_only=True).active.iter_rows(values_only=True))
        workbook.close()
    return {"fmt": fmt, "rows": rows, "bytes": total_bytes, "lines": lines, "peak": peak, "seconds": elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--formats", nargs="+", default=["csv", "ndjson"], choices=["csv", "xlsx", "json", "ndjson"])
    parser.add_argument("--total", type=int, default=100_000, help="statements in the archive (multiple of 1000)")
    parser.add_argument("--no-search", action="store_true", help="skip the search-result export")
    parser.add_argument("--search-only", action="store_true", help="measure only the search-result export")
    args = parser.parse_args()
    if args.total % PER_ARTICLE or args.total <= SMALL:
        parser.error(f"--total must be a multiple of {PER_ARTICLE} above {SMALL}")
    with tempfile.TemporaryDirectory(prefix="export-bench-") as tmp:
        setup_django(Path(tmp))
        began = time.perf_counter()
        build(args.total)
        print(f"built {args.total:,} statements in {time.perf_counter() - began:.1f} s")
        # One small download first, so that imports and first-use caches are not counted as export memory.
        from django.test import Client

        b"".join(Client().get("/api/statements/export.csv", {"date_to": "2018-12-31"}).streaming_content)
        plain_formats = [] if args.search_only else args.formats
        if plain_formats:
            print(f"{'format':<8}{'rows':>10}{'MB written':>12}{'peak heap MiB':>15}{'seconds':>9}")
        results = []
        for fmt in plain_formats:
            # The first 10 articles are dated 2019, the rest 2020: date_to selects the first 10,000 rows.
            for params, size in (({"date_to": "2019-12-31"}, SMALL), ({}, args.total)):
                r = measure(fmt, params, size)
                assert r["lines"] >= size, r
                results.append(r)
                print(
                    f"{fmt:<8}{r['rows']:>10,}{r['bytes'] / 1e6:>12.1f}{r['peak'] / 2**20:>15.2f}{r['seconds']:>9.1f}",
                    flush=True,
                )
        for fmt in plain_formats:
            peaks = [r["peak"] for r in results if r["fmt"] == fmt]
            print(f"{fmt}: peak at the largest size is {max(peaks) / min(peaks):.2f}x the peak at the smallest")
        if not args.no_search:
            measure_search(args.formats, args.total)


def measure_search(formats: list[str], total: int) -> None:
    """The same sizes through /api/search/export.<fmt>?type=statement, after indexing the archive."""
    from django.core.management import call_command
    from django.test import Client

    began = time.perf_counter()
    call_command("rebuild_index", interactive=False, verbosity=0)
    print(f"indexed the archive in {time.perf_counter() - began:.1f} s")
    path = "/api/search/export"
    b"".join(Client().get(f"{path}.csv", {"type": "statement", "date_to": "2018-12-31"}).streaming_content)
    print(f"{'search':<8}{'rows':>10}{'MB written':>12}{'peak heap MiB':>15}{'seconds':>9}")
    results = []
    for fmt in formats:
        for params, size in (({"date_to": "2019-12-31"}, SMALL), ({}, total)):
            r = measure(fmt, {"type": "statement", **params}, size, path)
            assert r["lines"] >= size, r
            results.append(r)
            print(
                f"{fmt:<8}{r['rows']:>10,}{r['bytes'] / 1e6:>12.1f}{r['peak'] / 2**20:>15.2f}{r['seconds']:>9.1f}",
                flush=True,
            )
    for fmt in formats:
        peaks = [r["peak"] for r in results if r["fmt"] == fmt]
        print(f"search {fmt}: peak at the largest size is {max(peaks) / min(peaks):.2f}x the peak at the smallest")


if __name__ == "__main__":
    main()
