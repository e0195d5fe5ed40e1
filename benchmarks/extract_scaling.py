"""Extraction time against text size: it must grow linearly, and absurd inputs must end quickly.

Part 1 times `archive.ingest.extract.extract` with its statement limit lifted, on quote-dense texts of
several sizes in three shapes (`benchmarks/synthetic.quote_dense_text`; each text generated with its own
seed, so no two are alike) and prints seconds, microseconds per character and statements found. Linear
means the µs/char column stays flat as the size grows.

Part 2 imports, through the whole pipeline (parse, clean, extract, save) into a throwaway test database,
a 200 KB quote-dense text, a 4.7 MB one and a 2.5 MB text of 60,000 short quoted lines, and prints each
import's time, statements saved and the article's extraction note.
Targets: 200 KB ≤ 2 s; the 60,000-line file ≤ 30 s, flagged.

Run: .venv/bin/python benchmarks/extract_scaling.py [--sizes 25,50,100,200,400] [--no-import]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent


def time_extraction(sizes_kb, shapes) -> list[tuple]:
    from archive.ingest.extract import extract
    from benchmarks.synthetic import quote_dense_text

    rows = []
    for shape in shapes:
        for n, kb in enumerate(sizes_kb):
            text = quote_dense_text(kb * 1000, seed=1000 * n + kb, shape=shape)
            started = time.perf_counter()
            found = extract(text, limit=10**9).drafts
            elapsed = time.perf_counter() - started
            rows.append((shape, len(text), elapsed, len(found)))
            print(
                f"  {shape:<10} {len(text) / 1000:>7.0f} KB  {elapsed:>7.2f} s  "
                f"{elapsed / len(text) * 1e6:>6.2f} µs/char  {len(found):>6} statements",
                flush=True,
            )
    return rows


def time_imports() -> None:
    from archive.ingest import import_paths
    from archive.models import Article
    from benchmarks.synthetic import quote_dense_text, quoted_lines_text

    cases = [
        ("dense_200kb.txt", "Talks in quotes\n\n" + quote_dense_text(200_000, seed=7)),
        ("dense_4700kb.txt", "Talks in quotes\n\n" + quote_dense_text(4_700_000, seed=8, shape="sentences")),
        ("quoted_lines_60000.txt", quoted_lines_text(60_000, seed=9)),
    ]
    with tempfile.TemporaryDirectory(prefix="archive-scaling-") as folder:
        for name, text in cases:
            path = Path(folder, name)
            path.write_text(text, encoding="utf-8")
            started = time.perf_counter()
            report = import_paths([path])
            elapsed = time.perf_counter() - started
            result = report.results[0]
            note = ""
            if result.article_id:
                note = Article.objects.get(pk=result.article_id).extraction_stopped
            print(
                f"  {name:<24} {path.stat().st_size / 1e6:>5.2f} MB  {elapsed:>6.2f} s  {result.status:<8} "
                f"{result.statements} statements saved{'; flagged: ' + note if note else ''}"
                f"{'; ' + result.reason if result.reason else ''}",
                flush=True,
            )


def main() -> int:
    sys.path.insert(0, str(BASE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="25,50,100,200,400", help="text sizes in KB, comma-separated")
    parser.add_argument("--no-import", action="store_true", help="only time extraction")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print("Extraction alone (statement limit lifted):")
    time_extraction(sizes, ["paragraphs", "sentences", "run-on"])
    if args.no_import:
        return 0
    from django.conf import settings
    from django.test.utils import get_runner

    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        print("Whole import (statement limit on):")
        time_imports()
    finally:
        runner.teardown_databases(old)
    return 0


if __name__ == "__main__":
    sys.exit(main())
