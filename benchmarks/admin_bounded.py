"""The admin with one absurdly large article: 60,000 statements written straight into the database.

Times the admin pages an editor opens (article list, the article's change page, the review queue, the
statement list, the delete confirmation) and the delete itself, which runs in a fresh process so that
its peak memory is its own. Uses a throwaway SQLite file (or DATABASE_URL, e.g. your own PostgreSQL
database; its archive tables are migrated and the article removed at the end):

    .venv/bin/python benchmarks/admin_bounded.py [--statements 60000]

Prints the time, query count and size of each page, and the delete's time and peak RSS; asserts nothing.
Targets: every page ≤ 1 s, the delete ≤ 10 s and < 500 MB.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(var_dir: str):
    os.environ["ARCHIVE_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()


def peak_rss_mb() -> float:
    """This process's peak RSS: VmHWM (ru_maxrss would carry over the parent's peak through fork and exec)."""
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def create_article(n: int):
    """One article of n distinct short quoted lines, each a statement of one of 200 speakers."""
    from archive.models import Actor, Article, Statement

    words = ["ceasefire", "prisoners", "withdrawal", "Doha", "talks", "council", "envoy", "agreement", "truce"]
    lines = [
        f"“Point {i}: the {words[i % 9]} must hold for {words[(i * 7) % 9]} {i * 13 % 997},” speaker {i % 200} said."
        for i in range(n)
    ]
    body = "\n".join(lines)
    article = Article.objects.create(title=f"A text of {n:,} quoted lines", body=body, raw_text=body)
    speakers = Actor.objects.bulk_create(
        Actor(name=f"Bulk speaker {i}", slug=f"bulk-speaker-{i}", needs_review=True) for i in range(200)
    )
    batch, at = [], 0
    for i, line in enumerate(lines):
        start = at + 1
        end = at + line.index(",”")
        batch.append(Statement(article=article, speaker=speakers[i % 200], text=body[start:end], start=start, end=end))
        at += len(line) + 1
        if len(batch) == 5000:
            Statement.objects.bulk_create(batch)
            batch = []
    Statement.objects.bulk_create(batch)
    return article


def time_pages(article, n: int):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    user = get_user_model().objects.create_superuser("bench-chief", "chief@example.org", "a-long-pass-phrase")
    client = Client()
    client.force_login(user)
    change = reverse("admin:archive_article_change", args=[article.pk])
    pages = [
        ("admin index", reverse("admin:index"), {}),
        ("article list", reverse("admin:archive_article_changelist"), {}),
        ("article list, sorted by statements to review", reverse("admin:archive_article_changelist"), {"o": "-5"}),
        ("article list, search", reverse("admin:archive_article_changelist"), {"q": "ceasefire"}),
        ("article change page (first statements)", change, {}),
        ("article change page (last statements)", change, {"statements_page": str(n)}),
        ("review queue (first page)", reverse("admin:archive_statement_review"), {}),
        ("review queue (page 600)", reverse("admin:archive_statement_review"), {"p": "600"}),
        ("statement list", reverse("admin:archive_statement_changelist"), {}),
        ("actor list", reverse("admin:archive_actor_changelist"), {}),
        ("article delete confirmation", reverse("admin:archive_article_delete", args=[article.pk]), {}),
    ]
    print(f"{'page (median of 5, and the slowest)':<48} {'ms':>8} {'max ms':>8} {'queries':>8} {'KB':>6} status")
    worst = 0.0
    for label, url, params in pages:
        client.get(url, params)  # warm: templates and caches
        times = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url, params)
                times.append(time.perf_counter() - start)
        median = statistics.median(times)
        worst = max(worst, median)
        size = len(response.content) / 1024
        print(
            f"{label:<48} {median * 1000:8.1f} {max(times) * 1000:8.1f} {len(captured.captured_queries):8d} "
            f"{size:6.0f} {response.status_code}"
        )
    print(f"slowest admin page (median): {worst * 1000:.0f} ms; load average {os.getloadavg()[0]:.1f}")


def delete_in_child(article_pk: int, var_dir: str) -> None:
    env = {**os.environ, "ARCHIVE_VAR_DIR": var_dir}
    result = subprocess.run(
        [sys.executable, __file__, "--delete", str(article_pk), "--var-dir", var_dir],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(result.stdout.strip() or result.stderr[-2000:])


def delete(article_pk: int) -> None:
    from archive import services
    from archive.models import Article, Statement

    article = Article.objects.get(pk=article_pk)
    n = Statement.objects.filter(article=article).count()
    before = peak_rss_mb()
    start = time.perf_counter()
    deleted = services.delete_article(article)
    elapsed = time.perf_counter() - start
    left = Statement.objects.filter(article_id=article_pk).count()
    print(
        f"delete: {deleted:,} of {n:,} statements in {elapsed:.2f} s; peak RSS {peak_rss_mb():.0f} MB "
        f"(at start {before:.0f} MB); {left} left"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=60_000)
    parser.add_argument("--delete", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    var_dir = args.var_dir or tempfile.mkdtemp(prefix="archive-bench-admin-")
    setup(var_dir)
    if args.delete:
        delete(args.delete)
        return
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    article = create_article(args.statements)
    print(
        f"{connection.vendor}: article {article.pk} with {args.statements:,} statements "
        f"({len(article.body) / 1e6:.1f} MB of body) written in {time.perf_counter() - start:.1f} s"
    )
    time_pages(article, args.statements)
    connection.close()
    delete_in_child(article.pk, var_dir)


if __name__ == "__main__":
    main()
