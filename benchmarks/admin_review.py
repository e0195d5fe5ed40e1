"""How fast editors work through the admin: the review queue, bulk review and a large merge.

Runs against a throwaway test database (SQLite by default, DATABASE_URL for PostgreSQL):

    .venv/bin/python benchmarks/admin_review.py [--statements 300]

Prints the time and query count of each step; asserts nothing.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402


def timed(label, func, repeat=1):
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            result = func()
            times.append(time.perf_counter() - start)
        queries = len(captured.captured_queries)
    print(f"{label:<58} {statistics.median(times) * 1000:8.1f} ms  {queries:5d} queries")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=300, help="statements to create (3 per article)")
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args.statements)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(n_statements):
    from archive import services
    from archive.models import Actor, Statement
    from tests.factories import ActorFactory, ArticleFactory, StatementFactory

    print(f"database: {connection.vendor}; {n_statements} extracted statements")
    survivor, duplicate = ActorFactory(name="Zalmay Khalilzad"), ActorFactory(name="Zalmai Khalilzad")
    for i in range(n_statements // 3):
        body = f"Report {i}.\n\n“One {i},” he said. “Two {i},” she said. “Three {i},” they said.\n\nEnd."
        article = ArticleFactory(body=body, raw_text=body)
        for word in ("One", "Two", "Three"):
            start = body.index(f"{word} {i}")
            StatementFactory(
                article=article, start=start, end=start + len(f"{word} {i}"), text=f"{word} {i}", speaker=duplicate
            )

    editor = get_user_model().objects.create_user("bench", password="a-long-pass-phrase", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client = Client()
    client.force_login(editor)
    queue = reverse("admin:archive_statement_review")

    timed("review queue page (50 rows)", lambda: client.get(queue), repeat=5)
    timed("article list page", lambda: client.get(reverse("admin:archive_article_changelist")), repeat=5)
    timed("actor list page", lambda: client.get(reverse("admin:archive_actor_changelist")), repeat=5)

    def verify_one():
        pk = Statement.objects.filter(review_status="extracted").values_list("pk", flat=True).first()
        return client.post(queue, {"action": "verify", "_selected_action": [pk], "index": 0})

    timed("one keyboard review (v): POST + redirect", verify_one, repeat=20)

    def verify_page():
        pks = list(Statement.objects.filter(review_status="extracted").values_list("pk", flat=True)[:50])
        return client.post(queue, {"action": "verify", "_selected_action": pks, "index": 0})

    timed("verify a page of 50 statements in one action", verify_page)
    remaining = Statement.objects.filter(speaker=duplicate).count()
    timed(
        f"merge an actor with {remaining} statements",
        lambda: services.merge_actors(survivor, [duplicate], user=editor),
    )
    assert Actor.objects.filter(pk=duplicate.pk).count() == 0
    print(f"statements kept after merge: {Statement.objects.count()} of {n_statements}")


if __name__ == "__main__":
    main()
