"""Search benchmark: rebuild speed, re-index time, search page latency on distinct queries vs raw Whoosh and SQLite FTS5.

    .venv/bin/python benchmarks/search_bench.py                    # 2,000 articles (quick, for CI)
    .venv/bin/python benchmarks/search_bench.py --articles 100000  # the real target
    .venv/bin/python benchmarks/search_bench.py --articles 100000 --keep --rebuild  # again, on the kept corpus

Generates a deterministic synthetic corpus (articles of about 600 words, three statements each,
actors with aliases, sources, topics, dates over 2018-2021) in its own SQLite database and Whoosh
index under /tmp, bulk-inserts it, times `rebuild_index`, times re-indexing one edited article, then:

- times the first query of a fresh worker process (WSGI application loaded, gunicorn's
  `post_worker_init` hook run as a worker runs it, then one query);
- runs a fixed query set (common, rare, phrase, multi-word, misspelt, alias) several times through the
  full search page (Django test client: HTML, 20 results, total count, facets, highlighting) and
  through raw Whoosh top-20 on the same index;
- runs at least 300 distinct queries, each once, as users search (mid-frequency and rare words, pairs,
  two-word phrases drawn from the bodies and of common words, names with their variants), through the
  page, raw Whoosh top-20 and an SQLite FTS5 floor over the same bodies (top-20 by bm25 with the
  count and snippets), and prints median, p95 and max of each;
- prints nDCG@10 and MRR of the synthetic judged queries (benchmarks/judged_queries.json).

Repeated queries are answered partly from per-term caches, so the distinct set is the one that shows
what a reader waits for.
"""

import argparse
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOTAL = re.compile(r"Results [\d,]+–[\d,]+ of ([\d,]+)")

COMMON = """
talks peace taliban afghan government united states envoy doha negotiations agreement withdrawal
troops ceasefire violence prisoners release official officials said told reporters meeting delegation
kabul washington qatar pakistan leaders political office sides deal round progress week president
security forces attack attacks country people war process framework intra statement spokesman
commitment guarantees terrorism qaeda international support sanctions interim recognition power
sharing elections constitution women rights fighters commanders provinces district military
""".split()
FILLER = """
the of and to in a on for that with as by at from was were is are be has have had will would
could should after before during while about over under between against into through also but
not more than its their this these those which who when where there they it he she we our new
""".split()
TAIL_SYLLABLES = "ka ro mi ta zu ne sa vo li pe gu da fa ho ri ma ni so te wa ye ba".split()
TOPICS = [
    ("Ceasefire", "ceasefire truce"),
    ("Troop withdrawal", "withdrawal troops"),
    ("Prisoner release", "prisoners release"),
    ("Violence reduction", "violence reduction"),
    ("Intra-Afghan talks", "intra afghan talks"),
    ("Al-Qaeda and terrorism ties", "qaeda terrorism"),
    ("Interim government", "interim government"),
    ("International recognition", "recognition"),
    ("Sanctions", "sanctions"),
    ("Power sharing", "power sharing"),
]
SIDES = ["United States government", "Taliban", "Afghan government", "Qatar", "Pakistan", "Analysts"]
PEOPLE = [
    ("Zalmay Khalilzad", 0, ["Khalilzad", "Zalmai Khalilzad", "US envoy Khalilzad"]),
    ("Abdul Ghani Baradar", 1, ["Mullah Baradar", "Baradar"]),
    ("Zabihullah Mujahid", 1, ["Mujahid"]),
    ("Suhail Shaheen", 1, ["Shaheen"]),
    ("Ashraf Ghani", 2, ["President Ghani", "Ghani"]),
    ("Abdullah Abdullah", 2, ["Dr Abdullah"]),
    ("Mike Pompeo", 0, ["Pompeo", "Secretary Pompeo"]),
    ("Mutlaq al-Qahtani", 3, ["Qahtani"]),
    ("Imran Khan", 4, ["Prime Minister Khan"]),
    ("Thomas Ruttig", 5, ["Ruttig"]),
]
SOURCES = ["Al Jazeera", "AFP", "Reuters", "TOLOnews", "Dawn", "The New York Times", "BBC", "AP"]


def configure(workdir: Path):
    os.environ["ARCHIVE_VAR_DIR"] = str(workdir)
    os.environ["WHOOSH_PATH"] = str(workdir / "whoosh")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("ELASTICSEARCH_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def vocabulary(rng: random.Random):
    tail = sorted({"".join(rng.choice(TAIL_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(30000)})
    words = FILLER + COMMON + tail
    # Zipf-like weights: filler words most frequent, then topic words, then a long tail.
    weights = [40.0] * len(FILLER) + [6.0 / (1 + i / 20) for i in range(len(COMMON))]
    weights += [1.0 / (1 + i) ** 0.9 for i in range(len(tail))]
    cumulative, total = [], 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    return words, cumulative, tail


def sentence(rng, words, cumulative, n):
    chosen = rng.choices(words, cum_weights=cumulative, k=n)
    chosen[0] = chosen[0].capitalize()
    return " ".join(chosen) + "."


def generate(n_articles: int, seed: int = 20200229):
    """Insert the synthetic corpus with bulk_create, without index updates; returns the vocabulary."""
    from django.apps import apps

    signal_processor = apps.get_app_config("haystack").signal_processor
    # The rows go in without index updates (bulk_create announces its rows to the index): the benchmark
    # times the rebuild that follows.
    signal_processor.teardown()
    try:
        return _generate(n_articles, seed)
    finally:
        signal_processor.setup()


def _generate(n_articles: int, seed: int):
    from django.db import transaction

    from archive.models import Actor, Alias, Article, Source, Statement, Topic
    from archive.text import content_hash, normalize_name

    rng = random.Random(seed)
    words, cumulative, tail = vocabulary(rng)
    with transaction.atomic():
        topics = [Topic.objects.get_or_create(name=name, defaults={"keywords": kw})[0] for name, kw in TOPICS]
        sources = [Source.objects.get_or_create(name=name)[0] for name in SOURCES]
        sides = [Actor.objects.get_or_create(name=name, defaults={"kind": "organisation"})[0] for name in SIDES]
        people = []
        for name, side, aliases in PEOPLE:
            actor, _ = Actor.objects.get_or_create(name=name, defaults={"affiliation": sides[side], "role": "official"})
            for alias in [name, *aliases]:
                if not Alias.objects.filter(normalized=normalize_name(alias)).exists():
                    Alias.objects.create(actor=actor, name=alias)
            people.append(actor)
        for _ in range(40):
            name = f"{rng.choice(tail).capitalize()} {rng.choice(tail).capitalize()}zai"
            actor, _ = Actor.objects.get_or_create(
                name=name, defaults={"affiliation": rng.choice(sides), "role": "commander"}
            )
            people.append(actor)

    start_day, span = date(2018, 6, 1), (date(2021, 9, 30) - date(2018, 6, 1)).days
    batch = 1000
    for first in range(0, n_articles, batch):
        articles, quotes = [], []
        for n in range(first, min(n_articles, first + batch)):
            paragraphs, spans = [], []
            offset = 0
            for p in range(8):
                if p in (1, 3, 5):
                    speaker = people[rng.randrange(len(people))] if rng.random() < 0.9 else people[0]
                    quote = sentence(rng, words, cumulative, rng.randint(12, 25))[:-1]
                    text = f"“{quote},” {speaker.name} said."
                    spans.append((offset + 1, offset + 1 + len(quote), quote, speaker))
                else:
                    text = " ".join(sentence(rng, words, cumulative, rng.randint(10, 22)) for _ in range(4))
                paragraphs.append(text)
                offset += len(text) + 2
            body = "\n\n".join(paragraphs) + f" Report {n}."
            published = start_day + timedelta(days=rng.randrange(span))
            title = sentence(rng, words, cumulative, rng.randint(6, 10))[:-1]
            articles.append(
                Article(
                    title=title,
                    slug=f"bench-{n}",
                    source=sources[rng.randrange(len(sources))],
                    published_date=published,
                    date_precision="day",
                    body=body,
                    raw_text=body,
                    content_hash=content_hash(body),
                    status="published" if rng.random() < 0.97 else "draft",
                    import_reference=f"bench-{n}",
                )
            )
            quotes.append(spans)
        with transaction.atomic():
            Article.objects.bulk_create(articles)
            statements, topic_links = [], []
            for article, spans in zip(articles, quotes, strict=True):
                for s, e, quote, speaker in spans:
                    statements.append(
                        Statement(
                            article=article, speaker=speaker, text=quote, start=s, end=e,
                            date=article.published_date, review_status="verified",
                        )
                    )  # fmt: skip
                for topic in rng.sample(topics, rng.randint(1, 3)):
                    topic_links.append(Article.topics.through(article_id=article.pk, topic_id=topic.pk))
            Statement.objects.bulk_create(statements)
            Article.topics.through.objects.bulk_create(topic_links)
            statement_topics = [
                Statement.topics.through(statement_id=st.pk, topic_id=topics[rng.randrange(len(topics))].pk)
                for st in statements
            ]
            Statement.topics.through.objects.bulk_create(statement_topics)
    return words, cumulative, tail


def process_and_children_cpu() -> float:
    """CPU seconds used by this process and its finished child processes (the rebuild's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def ms(seconds):
    return f"{seconds * 1000:7.1f} ms"


NAME_VARIANTS = [
    # (query, what it varies): aliases, transliterations, spacing and hyphens, case, misspellings
    "Zalmai Khalilzad",
    "zalmay khalilzad",
    "Khalilzhad",
    "US envoy Khalilzad",
    "Mr Khalilzad",
    "Mullah Baradar",
    "Mulla Baradar",
    "Abdul Ghani Baradar",
    "Barader",
    "Mujahid",
    "Zabihullah Mujahed",
    "Zabiullah Mujahid",
    "Suhail Shaheen",
    "Sohail Shaheen",
    "President Ghani",
    "Ashraf Ghani",
    "Dr Abdullah",
    "Abdullah Abdullah",
    "Mike Pompeo",
    "Secretary Pompeo",
    "Mutlaq al-Qahtani",
    "Mutlaq al Qahtani",
    "al-Qahtani",
    "Imran Khan",
    "Prime Minister Khan",
    "Thomas Ruttig",
    "Ruttig",
]


def distinct_queries(searcher, n_wanted: int, seed: int = 11) -> list[tuple[str, str]]:
    """[(kind, query)]: distinct queries of every kind a reader types, each to be run once."""
    rng = random.Random(seed)
    words, _, tail = vocabulary(random.Random(20200229))
    n_docs = searcher.doc_count() or 1

    def df(word):
        return searcher.doc_frequency("text", word)

    candidates = list(dict.fromkeys(COMMON + tail))
    rng.shuffle(candidates)
    mid, rare = [], []
    for word in candidates:
        if len(mid) >= 100 and len(rare) >= 60:
            break
        f = df(word)
        if n_docs * 0.002 <= f <= n_docs * 0.05 and len(mid) < 100:
            mid.append(word)
        elif 1 <= f <= 50 and len(rare) < 60:
            rare.append(word)
    pool = mid + COMMON
    pairs = [f"{rng.choice(pool)} {rng.choice(pool)}" for _ in range(60)]
    # Phrases: adjacent words of real bodies (mostly common words), and pairs of common words.
    from archive.models import Article

    bodies = list(Article.objects.published().order_by("?").values_list("body", flat=True)[:40]) if n_docs else []
    phrases = []
    for body in bodies:
        tokens = re.findall(r"[a-z]+", body.lower())
        for _ in range(2):
            i = rng.randrange(max(1, len(tokens) - 1))
            if i + 1 < len(tokens):
                phrases.append(f'"{tokens[i]} {tokens[i + 1]}"')
    common = [w for w in FILLER if len(w) > 3]  # mostly not stop words: could, over, which, these
    phrases += [f'"{rng.choice(common)} {rng.choice(common + COMMON)}"' for _ in range(40)]
    names = list(NAME_VARIANTS)
    kinds = [("mid", w) for w in mid] + [("rare", w) for w in rare] + [("pair", q) for q in pairs]
    kinds += [("phrase", q) for q in phrases] + [("name", q) for q in names]
    seen, out = set(), []
    for kind, q in kinds:
        if q.lower() not in seen:
            seen.add(q.lower())
            out.append((kind, q))
    return out[:n_wanted] if n_wanted else out


# --- the SQLite FTS5 floor ------------------------------------------------------------------------


def build_fts(path: Path) -> sqlite3.Connection:
    """An FTS5 table (Porter stemming) over the same published article titles and bodies and public
    statement texts the search indexes; built once and kept beside the corpus."""
    from archive.models import Article, Statement

    fresh = not path.exists()
    conn = sqlite3.connect(str(path))
    if fresh:
        t0 = time.perf_counter()
        conn.execute("CREATE VIRTUAL TABLE docs USING fts5(kind UNINDEXED, title, body, tokenize='porter unicode61')")
        rows = Article.objects.published().values_list("pk", "title", "body").iterator(chunk_size=2000)
        conn.executemany("INSERT INTO docs(rowid, kind, title, body) VALUES (?, 'article', ?, ?)", rows)
        offset = 10**9  # statements after the articles in one rowid space
        rows = (
            (offset + pk, text)
            for pk, text in Statement.objects.public().values_list("pk", "text").iterator(chunk_size=5000)
        )
        conn.executemany("INSERT INTO docs(rowid, kind, title, body) VALUES (?, 'statement', '', ?)", rows)
        conn.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        conn.commit()
        print(f"  SQLite FTS5 floor built in {time.perf_counter() - t0:.1f} s ({path})")
    return conn


def fts_match(q: str) -> str:
    """The FTS5 query for a benchmark query: every word, or the phrase."""
    if q.startswith('"'):
        return '"' + " ".join(re.findall(r"\w+", q)) + '"'
    return " ".join(f'"{w}"' for w in re.findall(r"\w+", q))


def fts_search(conn: sqlite3.Connection, q: str) -> int:
    """Count, top 20 by bm25 (title weighing more) and a snippet of each, as the page needs."""
    match = fts_match(q)
    (count,) = conn.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()
    conn.execute(
        "SELECT rowid, kind, snippet(docs, 2, '<mark>', '</mark>', '…', 40) FROM docs WHERE docs MATCH ? "
        "ORDER BY bm25(docs, 0, 3.0, 1.0) LIMIT 20",
        (match,),
    ).fetchall()
    return count


# --- a fresh worker -------------------------------------------------------------------------------

FRESH_WORKER = r"""
import json, os, runpy, sys, time
t0 = time.perf_counter()
sys.path.insert(0, os.environ["BENCH_ROOT"])
from archive.wsgi import application  # what a gunicorn worker imports (settings, apps, ready hooks)
conf = runpy.run_path(os.path.join(os.environ["BENCH_ROOT"], "gunicorn.conf.py"))
loaded = time.perf_counter()
if "post_worker_init" in conf:
    conf["post_worker_init"](None)  # gunicorn calls it in each worker once the application is loaded
warmed = time.perf_counter()
from django.test import Client
client = Client()
t1 = time.perf_counter()
response = client.get("/search/", {"q": sys.argv[1]})
first = time.perf_counter() - t1
assert response.status_code == 200, response.status_code
t1 = time.perf_counter()
client.get("/search/", {"q": sys.argv[2]})
second = time.perf_counter() - t1
print(json.dumps({"load": loaded - t0, "warm": warmed - loaded, "first": first, "second": second}))
"""


def fresh_worker(workdir: Path, first_q: str, second_q: str) -> dict:
    """Timings of a new worker process: loading, gunicorn's post_worker_init warm-up, its first two queries."""
    env = dict(os.environ, BENCH_ROOT=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", FRESH_WORKER, first_q, second_q],
        env=env, capture_output=True, text=True, check=True, cwd=str(ROOT),
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def stats_line(label: str, values: list[float]) -> str:
    return (
        f"  {label:<26} median {ms(statistics.median(values))}, p95 {ms(percentile(values, 95))}, max {ms(max(values))}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5, help="times each query is run (after one warm-up)")
    parser.add_argument("--workdir", default=None, help="default: /tmp/archive-search-bench-<articles>")
    parser.add_argument(
        "--keep", action="store_true", help="reuse an existing corpus and index in the workdir (search figures only)"
    )
    parser.add_argument("--rebuild", action="store_true", help="with --keep: rebuild the index of the kept corpus")
    parser.add_argument("--distinct", type=int, default=320, help="distinct queries, each run once (0: all generated)")
    parser.add_argument(
        "--page-only",
        action="store_true",
        help="with --keep: skip the rebuild's re-index step, the repeated set, raw Whoosh and the FTS5 floor "
        "(the fresh worker, the distinct queries on the page and the judged queries only)",
    )
    args = parser.parse_args()
    workdir = Path(args.workdir or f"/tmp/archive-search-bench-{args.articles}")
    if workdir.exists() and not args.keep:
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    configure(workdir)

    from django.core.management import call_command
    from django.test import Client
    from haystack import connections
    from whoosh import index as whoosh_index
    from whoosh.qparser import QueryParser

    from archive.models import Article, Statement

    n = args.articles
    print(f"Corpus: {n:,} articles (synthetic, ~600 words, 3 statements each) in {workdir}")
    print("  load average (1, 5, 15 min) at the start: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    call_command("migrate", verbosity=0)  # a kept corpus may predate the latest migrations
    reuse = args.keep and Article.objects.exists()
    if not reuse:
        t0 = time.perf_counter()
        generate(n)
        print(f"  generated and bulk-inserted in {time.perf_counter() - t0:.1f} s")
    n_published = Article.objects.published().count()
    n_statements = Statement.objects.public().count()
    print(f"  {n_published:,} published articles, {n_statements:,} public statements")

    if not reuse or args.rebuild:
        t0, c0 = time.perf_counter(), process_and_children_cpu()
        call_command("rebuild_index", interactive=False, verbosity=0)
        elapsed, cpu = time.perf_counter() - t0, process_and_children_cpu() - c0
        workers = connections["default"].get_backend().rebuild_workers
        print(
            f"Rebuild ({n:,} articles, {workers} worker processes): {elapsed:.1f} s = "
            f"{n_published / elapsed:,.0f} articles/s ({(n_published + n_statements) / elapsed:,.0f} documents/s "
            f"incl. statements); CPU time of all processes {cpu:.1f} s = {n_published / cpu:,.0f} articles/s of CPU"
        )

    # One edited article, re-indexed through the save signal (with its statements).
    # The first save of a process also opens the index (as a web worker's first request does); it is
    # reported apart from the ten edits that follow.
    if not args.page_only:
        edits, edit_cpu = [], []
        for article in Article.objects.published().order_by("pk")[:11]:
            article.title = article.title + " (updated)"
            t0, c0 = time.perf_counter(), time.process_time()
            article.save()  # autocommit: the index update runs on commit, inside this call
            edits.append(time.perf_counter() - t0)
            edit_cpu.append(time.process_time() - c0)
        cold, edits, edit_cpu = edits[0], edits[1:], edit_cpu[1:]
        print(
            f"Re-index one edited article ({n:,} articles): median {ms(statistics.median(edits))}, "
            f"max {ms(max(edits))}, CPU median {ms(statistics.median(edit_cpu))} over 10 edits "
            f"(save + index update of the article and its statements); first save of the process, "
            f"which opens the index: {ms(cold)}"
        )

    fresh = [fresh_worker(workdir, q1, q2) for q1, q2 in (("Khalilzad", "ceasefire"), ("prisoners", "Mullah Baradar"))]
    print(
        "First queries of a fresh worker process (WSGI app loaded, gunicorn post_worker_init run, then two queries): "
        + "; ".join(
            f"load {ms(f['load'])}, warm-up {ms(f['warm'])}, first query {ms(f['first'])}, second {ms(f['second'])}"
            for f in fresh
        )
    )

    ix = whoosh_index.open_dir(str(workdir / "whoosh"))
    raw_searcher = ix.searcher()
    qparser = QueryParser("text", ix.schema)
    # A rare word: the first tail word (in a fixed order) found in 2 to 20 documents.
    _, _, tail = vocabulary(random.Random(20200229))
    random.Random(7).shuffle(tail)
    rare = next((w for w in tail if 2 <= raw_searcher.doc_frequency("text", w) <= 20), tail[0])
    queries = {
        "common": "talks",
        "common-2": "taliban",
        "rare": rare,
        "phrase": '"prisoners release"',
        "multi-word": "taliban ceasefire withdrawal",
        "misspelt": "ceasfire",
        "misspelt-name": "Khalilzhad",
        "alias": "Mr Khalilzad",
    }
    client = Client()

    page_cpu = []

    def page(q):
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get("/search/", {"q": q})
        elapsed = time.perf_counter() - t0
        page_cpu.append(time.process_time() - c0)
        assert response.status_code == 200, response.status_code
        return elapsed, response

    def raw(q):
        t0 = time.perf_counter()
        hits = raw_searcher.search(qparser.parse(q), limit=20)
        [hit["django_id"] for hit in hits]
        return time.perf_counter() - t0

    if not args.page_only:
        first_page = {q: page(q)[0] for q in queries.values()}  # warm-up: caches built per segment
        page_times, raw_times = {k: [] for k in queries}, {k: [] for k in queries}
        totals = {}
        for _ in range(args.rounds):
            for name, q in queries.items():
                elapsed, response = page(q)
                page_times[name].append(elapsed)
                match = TOTAL.search(response.content.decode())
                totals[name] = int(match.group(1).replace(",", "")) if match else 0
                raw_times[name].append(raw(q))

        print(f"Search page vs raw Whoosh top-20 ({n:,} articles + {n_statements:,} statements, {args.rounds} rounds):")
        print(
            f"  {'query':<15}{'hits':>9}  {'first':>10}  {'page median':>11}  {'page p95':>10}  {'raw median':>10}  ratio"
        )
        for name, q in queries.items():
            pm, pp, rm = (
                statistics.median(page_times[name]),
                percentile(page_times[name], 95),
                statistics.median(raw_times[name]),
            )
            print(
                f"  {name:<15}{totals[name]:>9,}  {ms(first_page[q])}  {ms(pm):>11}  {ms(pp):>10}  {ms(rm):>10}  "
                f"{pm / rm if rm else float('inf'):6.1f}x"
            )
        page_cpu[: len(queries)] = []  # the warm-up round
        all_page = [t for v in page_times.values() for t in v]
        all_raw = [t for v in raw_times.values() for t in v]
        print(
            f"  ALL: page median {ms(statistics.median(all_page))}, p95 {ms(percentile(all_page, 95))}; "
            f"raw median {ms(statistics.median(all_raw))}, p95 {ms(percentile(all_raw, 95))}; "
            f"ratio of medians {statistics.median(all_page) / statistics.median(all_raw):.1f}x"
        )
        print(
            f"  ALL, CPU time of the page: median {ms(statistics.median(page_cpu))}, p95 {ms(percentile(page_cpu, 95))} "
            "(wall time above includes waiting for a shared CPU)"
        )
        print(f"  engine {type(connections['default'].get_backend()).__name__}")

    # Distinct queries, each run once, as readers search, on a process warmed up as a web worker is
    # (gunicorn's post_worker_init), so none of them pays for opening the index's caches.
    if args.page_only:
        from archive.search.warmup import warm_up

        print(f"  this process warmed up as a worker is: {ms(warm_up(freeze=True))}")
    distinct = distinct_queries(raw_searcher, args.distinct)
    fts = None if args.page_only else build_fts(workdir / "fts5.sqlite")
    page_d, raw_d, fts_d = [], [], []
    cpu_before = len(page_cpu)
    by_kind: dict[str, list[float]] = {}
    slowest = []
    for kind, q in distinct:
        elapsed, _ = page(q)
        page_d.append(elapsed)
        by_kind.setdefault(kind, []).append(elapsed)
        slowest.append((elapsed, q))
        if fts is None:
            continue
        raw_d.append(raw(q))
        t0 = time.perf_counter()
        fts_search(fts, q)
        fts_d.append(time.perf_counter() - t0)
    counts = ", ".join(f"{len(v)} {k}" for k, v in by_kind.items())
    print(f"Distinct queries, each run once ({len(distinct)}: {counts}; {n:,} articles):")
    print(stats_line("search page", page_d))
    print(stats_line("search page, CPU time", page_cpu[cpu_before:]) + " (wall time includes waiting for a shared CPU)")
    if raw_d:
        print(stats_line("raw Whoosh top-20", raw_d))
        print(stats_line("SQLite FTS5 floor", fts_d))
    for kind, values in by_kind.items():
        print(stats_line(f"  page, {kind}", values))
    slowest.sort(reverse=True)
    print("  slowest on the page: " + ", ".join(f"{q} {t * 1000:.0f} ms" for t, q in slowest[:5]))
    print(
        "  targets (100,000 articles): page median <= 20 ms, p95 <= 60 ms, max <= 250 ms; first query of a fresh worker <= 150 ms"
    )

    from django.test import override_settings

    from benchmarks.search_quality import evaluate

    print("Search quality, synthetic judged queries (benchmarks/judged_queries.json):")
    with override_settings(API_ANON_RATE="off", ALLOWED_HOSTS=["*"]):
        evaluate(Client(), "synthetic")
    print("  load average (1, 5, 15 min) at the end: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    raw_searcher.close()


if __name__ == "__main__":
    main()
