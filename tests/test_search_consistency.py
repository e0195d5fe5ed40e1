"""The index never drifts from the database: every write path, the outbox, check_index and its repair.

Each test reproduces a failure seen on the running site: statements created by re-extraction left out
of the index, `update_index --remove` crashing on a stale document, a killed correction import leaving
the index behind (and a re-run not fixing it), `check_index` missing a renamed actor and crashing on a
damaged index, and a save answering 503 after its change was committed on a read-only index.
"""

import errno
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from haystack import connections

from archive import indexing, ingest
from archive.index_check import compare_index
from archive.models import Actor, Article, IndexOutbox, Statement
from archive.search import selectors
from tests.factories import ActorFactory, ArticleFactory
from tests.search_fixtures import reindex

pytest_plugins = ["tests.search_fixtures"]
pytestmark = pytest.mark.django_db


def hits(**params) -> set[tuple[str, int]]:
    return {(h.type, h.pk) for h in selectors.search(params).results}


def consistent() -> bool:
    return all(report.consistent for report in compare_index())


@pytest.fixture
def live(django_capture_on_commit_callbacks):
    """Run the block's on-commit work (the index updates) as a committed request would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def killed(django_capture_on_commit_callbacks):
    """The process dies right after the block's transaction commits: its index updates never run."""

    def run():
        return django_capture_on_commit_callbacks(execute=False)

    return run


@pytest.fixture
def unwritable_index(monkeypatch):
    """Every index write fails as on a read-only file system (the test runs as a user files never refuse)."""
    backend = connections["default"].get_backend()

    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", backend.path)

    monkeypatch.setattr(type(backend), "open_writer", refuse)
    return monkeypatch


QUOTED = (
    "Delegates met again on Tuesday.\n\n"
    "“The exchange of detainees must come first,” said Abdul Qadir Halim.\n\n"
    "“We will keep talking until the ceasefire holds,” said Miriam Osei."
)


def test_reextracted_statements_are_indexed(search_index, live):
    article = ArticleFactory(title="Reextraction", body=QUOTED, status=Article.Status.PUBLISHED)
    reindex()
    assert not Statement.objects.filter(article=article).exists()
    with live():
        created = ingest.reextract(article)["created"]
    assert created >= 2
    statements = {("statement", s.pk) for s in Statement.objects.public().filter(article=article)}
    assert statements and statements <= hits(q="detainees") | hits(q="ceasefire")
    assert consistent()


def test_queryset_update_reaches_the_index(search_index, archive, live):
    truce = archive["truce"]
    with live():
        Article.objects.filter(pk=truce.pk).update(status=Article.Status.DRAFT)
    assert ("article", truce.pk) not in hits(q="truce")
    assert ("statement", archive["baradar_truce"].pk) not in hits(q="ceasefire")
    assert consistent()


def test_update_index_remove_drops_stale_documents(search_index, archive, killed):
    truce = archive["truce"]
    with killed():
        Article.objects.filter(pk=truce.pk).update(status=Article.Status.DRAFT)
    assert not consistent()
    call_command("update_index", remove=True, verbosity=0)
    assert ("article", truce.pk) not in hits(q="truce")


def test_killed_correction_is_caught_up_by_the_next_write(search_index, archive, killed, live, monkeypatch):
    doha = archive["doha"]
    with killed():
        Article.objects.filter(pk=doha.pk).update(body=doha.body + "\n\nA lammergeier circled the venue.")
    assert IndexOutbox.objects.exists()
    assert hits(q="lammergeier") == set()
    monkeypatch.setattr(indexing, "OUTBOX_GRACE", timedelta(0))
    with live():  # the re-run: any later index write, here an import that changes nothing
        with indexing.deferred_indexing():
            pass
    assert hits(q="lammergeier") == {("article", doha.pk)}
    assert not IndexOutbox.objects.exists()
    assert consistent()


def test_outbox_is_replayed_by_the_command(search_index, archive, killed):
    envoy = archive["envoy"]
    with killed():
        envoy.name = "Zalmay Kestrelzad"
        envoy.save()
    call_command("replay_index_outbox", verbosity=0)
    assert ("actor", envoy.pk) in hits(q="kestrelzad")
    assert not IndexOutbox.objects.exists()
    assert consistent()


def test_save_on_a_read_only_index_succeeds_and_is_replayed(search_index, archive, live, unwritable_index):
    envoy = archive["envoy"]
    with live():
        envoy.role = "Envoy for the osprey file"
        envoy.save()  # the index write fails after the commit: logged, never raised
    assert Actor.objects.get(pk=envoy.pk).role == "Envoy for the osprey file"
    assert IndexOutbox.objects.exists()
    with pytest.raises(CommandError, match="cannot take them"):
        call_command("replay_index_outbox", verbosity=0)
    unwritable_index.undo()
    call_command("check_index", verbosity=0)  # applies the pending updates first, then finds no difference
    assert ("actor", envoy.pk) in hits(q="osprey")


def test_admin_actor_save_on_a_read_only_index_answers_success(search_index, editor_client, live, unwritable_index):
    actor = ActorFactory(name="Plain Envoy")
    data = {
        "_archive_version": actor.updated_at.isoformat(),  # the version the form was opened at
        "name": actor.name,
        "slug": actor.slug,
        "kind": "person",
        "role": "Harrier",
        "side_unknown": "on",  # a person needs a side, or to be marked as of unknown side
        "aliases-TOTAL_FORMS": 0,
        "aliases-INITIAL_FORMS": 0,
        "roles-TOTAL_FORMS": 0,
        "roles-INITIAL_FORMS": 0,
    }
    with live():
        response = editor_client.post(reverse("admin:archive_actor_change", args=[actor.pk]), data)
    assert response.status_code == 302
    assert Actor.objects.get(pk=actor.pk).role == "Harrier"
    assert IndexOutbox.objects.filter(identifier=f"archive.actor.{actor.pk}").exists()


def test_check_index_finds_and_repairs_a_renamed_actor(search_index, archive, killed):
    baradar = archive["baradar"]
    with killed():
        baradar.name = "Abdul Ghani Peregrine"
        baradar.save()
    assert hits(q="peregrine") == set()
    IndexOutbox.objects.all().delete()  # drift the outbox does not know of: only the content check sees it
    with pytest.raises(CommandError, match="differs from the database"):
        call_command("check_index", verbosity=0)
    call_command("check_index", repair=True, verbosity=0)
    assert ("actor", baradar.pk) in hits(q="peregrine")
    assert ("statement", archive["baradar_truce"].pk) in hits(q="peregrine")
    call_command("check_index", verbosity=0)


def test_check_index_reports_a_damaged_table_of_contents(search_index, archive):
    path = connections["default"].get_backend().path
    for name in os.listdir(path):
        if name.endswith(".toc"):
            with open(os.path.join(path, name), "wb") as f:
                f.write(b"\x00garbage")
    with pytest.raises(CommandError, match="table of contents .* cannot be read"):
        call_command("check_index", verbosity=0)


def test_check_index_reports_a_missing_segment(search_index, archive):
    path = connections["default"].get_backend().path
    segment_files = [name for name in os.listdir(path) if name.endswith((".seg", ".trm", ".pst"))]
    assert segment_files
    for name in segment_files:
        os.remove(os.path.join(path, name))
    with pytest.raises(CommandError, match="Segment .* cannot be read"):
        call_command("check_index", verbosity=0)


def test_renaming_a_side_reindexes_members_at_any_depth(search_index, live):
    side = ActorFactory(name="Northern Alliance")
    council = ActorFactory(name="Regional council", affiliation=side)
    member = ActorFactory(name="Deep Member", affiliation=council)
    article = ArticleFactory(title="Depth", body="Text.\n\n“Deeply nested words,” he said.")
    from tests.conftest import add_statement

    statement = add_statement(article, member, "Deeply nested words")
    reindex()
    assert ("statement", statement.pk) in hits(affiliation=side.slug)
    with live():
        side.slug = "united-front"
        side.save()
    assert ("statement", statement.pk) in hits(q="deeply", affiliation="united-front")
    assert consistent()


def test_rebuild_workers_exit_when_the_parent_dies(tmp_path):
    script = tmp_path / "parent.py"
    script.write_text(
        "import os, sys, time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "import multiprocessing\n"
        f"sys.path.insert(0, {str(os.getcwd())!r})\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tests.settings')\n"
        "import django; django.setup()\n"
        "from archive.search.whoosh.rebuild import _worker_init\n"
        "lock = os.open(os.devnull, os.O_RDONLY)\n"
        "pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context('fork'),"
        " initializer=_worker_init, initargs=(os.getpid(), lock))\n"
        "print(pool.submit(os.getpid).result(), flush=True)\n"
        "pool.submit(time.sleep, 600)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        worker = int(parent.stdout.readline())
        assert _alive(worker)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 10
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(worker), "the worker outlived its parent"
    finally:
        parent.kill()
        if _alive(worker := locals().get("worker", 0)):
            os.kill(worker, signal.SIGKILL)


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its new parent to reap it counts as ended)."""
    if not pid:
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] not in "ZX"
    except FileNotFoundError:
        return False


def test_deleting_an_article_writes_its_outbox_rows_at_once(search_index, live):
    body = "Text.\n\n" + " ".join(f"“Numbered remark {n},” he said." for n in range(40))
    article = ArticleFactory(body=body)
    speaker = ActorFactory(name="Remark Maker")
    from tests.conftest import add_statement

    for n in range(40):
        add_statement(article, speaker, f"Numbered remark {n}")
    reindex()
    IndexOutbox.objects.all().delete()  # the set-up's saves, indexed by reindex()
    table = IndexOutbox._meta.db_table
    with live(), CaptureQueriesContext(connection) as queries:
        with transaction.atomic(), indexing.deferred_indexing():
            article.delete()
    inserts = [q for q in queries.captured_queries if q["sql"].startswith(f'INSERT INTO "{table}"')]
    assert len(inserts) == 1
    assert hits(q="remark") == {("actor", speaker.pk)}
    assert not IndexOutbox.objects.exists()


def test_merging_actors_leaves_the_index_in_step(search_index, archive, live):
    from archive import services

    duplicate = ActorFactory(name="Zalmai Khalilzaad", role="Envoy")
    article = ArticleFactory(title="Spelling", body="Text.\n\n“Merge me,” Zalmai Khalilzaad said.")
    from tests.conftest import add_statement

    statement = add_statement(article, duplicate, "Merge me")
    reindex()
    with live():
        services.merge_actors(archive["envoy"], [duplicate])
    assert ("actor", duplicate.pk) not in hits(q="khalilzaad")
    assert ("statement", statement.pk) in hits(speaker=archive["envoy"].slug)
    assert consistent()
