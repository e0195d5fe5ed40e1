"""Render time and query count of every public page on a large synthetic archive.

    .venv/bin/python benchmarks/site_pages.py [--articles 1000] [--statements-per-article 6] [--runs 5]

Builds a throwaway SQLite database (or uses DATABASE_URL, which it empties: point it at a scratch
database), fills it, then renders each page through Django's test client and prints the median time,
the slowest run, the number of queries and the page size.
"""

import argparse
import datetime
import importlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ARCHIVE_VAR_DIR", tempfile.mkdtemp(prefix="archive-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from archive import indexing  # noqa: E402
from archive.models import Actor, Article, Source, Statement, Topic  # noqa: E402
from archive.text import content_hash  # noqa: E402

WORDS = "talks envoy ceasefire withdrawal prisoners Doha agreement government negotiators violence peace".split()


def build(n_articles: int, per_article: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    topics = list(Topic.objects.all())
    sources = Source.objects.bulk_create([Source(name=f"Outlet {i}", slug=f"outlet-{i}") for i in range(20)])
    sides = Actor.objects.bulk_create(
        [Actor(name=f"Side {i}", slug=f"side-{i}", kind=Actor.Kind.ORGANISATION) for i in range(8)]
    )
    people = Actor.objects.bulk_create(
        [
            Actor(name=f"Person {i}", slug=f"person-{i}", affiliation=sides[i % len(sides)], role="Spokesman")
            for i in range(200)
        ]
    )
    articles, statements = [], []
    start_day = datetime.date(2018, 6, 1)
    for i in range(n_articles):
        quotes = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18))) + f" {i}-{j}" for j in range(per_article)
        ]
        paragraphs = [f"Report {i} from Doha on the talks."] + [f"“{q},” the official said." for q in quotes]
        body = "\n\n".join(paragraphs)
        date = start_day + datetime.timedelta(days=rng.randint(0, 1200))
        articles.append(
            Article(
                title=f"Talks report {i}",
                slug=f"talks-report-{i}",
                source=rng.choice(sources),
                published_date=date,
                date_precision=Article.DatePrecision.DAY,
                body=body,
                raw_text=body,
                content_hash=content_hash(body),
                status=Article.Status.PUBLISHED,
            )
        )
    articles = Article.objects.bulk_create(articles)
    for article in articles:
        article.topics.add(*rng.sample(topics, 3))
        for paragraph_quote in article.body.split("\n\n")[1:]:
            text = paragraph_quote[1 : paragraph_quote.index(",”")]
            start = article.body.index(text)
            statements.append(
                Statement(
                    article=article,
                    speaker=rng.choice(people) if rng.random() > 0.1 else None,
                    speaker_description="an official",
                    text=text,
                    start=start,
                    end=start + len(text),
                    date=article.published_date,
                    review_status=Statement.ReviewStatus.VERIFIED,
                )
            )
    statements = Statement.objects.bulk_create(statements, batch_size=2000)
    through = Statement.topics.through
    through.objects.bulk_create(
        [through(statement_id=s.pk, topic_id=rng.choice(topics).pk) for s in statements], batch_size=5000
    )


def measure(client: Client, url: str, runs: int):
    times = []
    with override_settings(DEBUG=True):
        for _ in range(runs):
            reset_queries()
            began = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - began)
            queries = len(connection.queries)
    assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), max(times), queries, len(response.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--statements-per-article", type=int, default=6)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    # flush empties every table, the migrations' topic vocabulary included: put it back.
    importlib.import_module("archive.migrations.0002_topic_vocabulary").create_topics(apps, None)
    began = time.perf_counter()
    with indexing.deferred_indexing():
        build(args.articles, args.statements_per_article)
    indexing_note = "(search index not built: pages do not read it)"
    print(
        f"Archive: {Article.objects.count()} articles, {Statement.objects.count()} statements, "
        f"{Actor.objects.count()} actors, {Topic.objects.count()} topics; built in {time.perf_counter() - began:.1f} s "
        f"{indexing_note}; database: {connection.vendor}"
    )
    busiest_actor = Actor.objects.with_statement_counts().order_by("-statement_count").first()
    busiest_topic = Topic.objects.order_by("-statements").first()
    article = Article.objects.first()
    pages = {
        "home": "/",
        "articles": "/articles/",
        "articles?topic&year": f"/articles/?topic={busiest_topic.slug}&year=2020",
        "articles page 20": "/articles/?page=20",
        "article": article.get_absolute_url(),
        "actors": "/actors/",
        f"actor ({busiest_actor.statement_count} st.)": busiest_actor.get_absolute_url(),
        "side": "/actors/side-0/",
        "topics": "/topics/",
        f"topic ({Statement.objects.filter(topics=busiest_topic).count()} st.)": busiest_topic.get_absolute_url(),
        "statement": Statement.objects.first().get_absolute_url(),
        "timeline": "/timeline/",
        "timeline?actor": f"/timeline/?actor={busiest_actor.slug}",
        "feed rss": "/feeds/articles/rss/",
        "feed topic atom": f"/feeds/topics/{busiest_topic.slug}/atom/",
        "sitemap.xml": "/sitemap.xml",
    }
    client = Client()
    print(f"{'page':28} {'median ms':>10} {'max ms':>8} {'queries':>8} {'KB':>7}")
    for name, url in pages.items():
        median, worst, queries, size = measure(client, url, args.runs)
        print(f"{name:28} {median * 1000:10.1f} {worst * 1000:8.1f} {queries:8d} {size / 1024:7.1f}")


if __name__ == "__main__":
    main()
