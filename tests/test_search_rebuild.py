"""`rebuild_index` builds the new index beside the live one, swaps it in, and keeps edits made meanwhile."""

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from haystack import connections
from haystack.query import SearchQuerySet

from archive.models import Article
from archive.search import selectors
from archive.search.whoosh import journal as journal_module
from archive.search.whoosh import rebuild as rebuild_module
from tests.conftest import site_environment
from tests.factories import ArticleFactory

ROOT = Path(__file__).resolve().parent.parent
pytest_plugins = ["tests.search_fixtures"]
pytestmark = pytest.mark.django_db


def hits(**params) -> set[tuple[str, int]]:
    return {(h.type, h.pk) for h in selectors.search(params).results}


def index_path() -> str:
    return os.path.abspath(connections["default"].get_backend().path)


def leftovers() -> list[str]:
    """A rebuild's staging folders and journal (the lock file stays: only its lock says a rebuild runs)."""
    return sorted(
        name
        for name in os.listdir(index_path())
        if name.startswith(rebuild_module.STAGING) or name == journal_module.JOURNAL
    )


@pytest.fixture
def rebuild_lock():
    """Hold the rebuild lock as a running rebuild (in another process) would."""
    fd = os.open(os.path.join(index_path(), journal_module.LOCK_FILE), os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    yield
    os.close(fd)


@pytest.fixture
def live(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def during_build(monkeypatch):
    """Run a function while the workers build (after they have read the database), inside the rebuild."""

    def install(action):
        build = rebuild_module._build_share

        def build_then_act(*args):
            segment = build(*args)
            action()
            return segment

        monkeypatch.setattr(rebuild_module, "_build_share", build_then_act)

    return install


def test_rebuild_replaces_stale_documents_and_leaves_no_working_files(archive):
    doha = archive["doha"]
    Article.objects.filter(pk=doha.pk).update(status=Article.Status.DRAFT)  # no signal: the index is stale
    indexed = {int(r.pk) for r in SearchQuerySet().filter(doc_type="article")}
    assert doha.pk in indexed
    call_command("rebuild_index", "--noinput", verbosity=0)
    assert {int(r.pk) for r in SearchQuerySet().filter(doc_type="article")} == indexed - {doha.pk}
    assert leftovers() == []
    segment_files = [name for name in os.listdir(index_path()) if name.endswith(".seg")]
    assert len(segment_files) == len(connections["default"].get_backend().searcher().reader().leaf_readers())


def test_searches_keep_answering_from_the_old_index_during_a_rebuild(archive, during_build):
    truce = archive["truce"]
    seen = []
    during_build(lambda: seen.append(hits(q="truce")))
    call_command("rebuild_index", "--noinput", verbosity=0)
    assert ("article", truce.pk) in seen[0]
    assert ("article", truce.pk) in hits(q="truce")


def test_an_edit_saved_during_a_rebuild_is_kept(archive, during_build, live):
    doha = archive["doha"]

    def edit():
        with live():
            doha.title = "Envoy hopeful as talks resume in Zanzibar"
            doha.save()
        # The edit is searchable at once (the live index), and journaled for the rebuild.
        assert ("article", doha.pk) in hits(q="zanzibar")

    during_build(edit)
    call_command("rebuild_index", "--noinput", verbosity=0)
    assert hits(q="zanzibar") == {("article", doha.pk)}
    assert leftovers() == []


def test_an_article_created_or_deleted_during_a_rebuild_is_kept_that_way(archive, during_build, live):
    truce_pk = archive["truce"].pk
    created = []

    def create_and_delete():
        with live():
            created.append(ArticleFactory(title="Delegates fly to Mombasa", body="Delegates met in Mombasa."))
            archive["truce"].delete()

    during_build(create_and_delete)
    call_command("rebuild_index", "--noinput", verbosity=0)
    assert hits(q="mombasa") == {("article", created[0].pk)}
    assert truce_pk not in {int(r.pk) for r in SearchQuerySet().filter(doc_type="article")}


def test_a_failed_rebuild_leaves_the_live_index_as_it_was(archive, during_build, live):
    doha = archive["doha"]

    def edit_then_fail():
        with live():
            doha.title = "Envoy hopeful as talks resume in Zanzibar"
            doha.save()
        assert journal_module.JOURNAL in os.listdir(index_path())
        raise RuntimeError("disk full")

    during_build(edit_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        call_command("rebuild_index", "--noinput", verbosity=0)
    assert ("article", doha.pk) in hits(q="negotiations")
    assert hits(q="zanzibar") == {("article", doha.pk)}  # the edit made meanwhile is in the live index
    assert leftovers() == []
    assert not journal_module.rebuild_running(index_path())


def test_updates_made_while_the_journal_is_replayed_are_replayed_too(archive, during_build, live, monkeypatch):
    doha, truce = archive["doha"], archive["truce"]

    def edit():
        with live():
            doha.save()

    during_build(edit)
    replay = rebuild_module.replay
    calls = []

    def replay_while_an_editor_saves(backend, identifiers):
        calls.append(list(identifiers))
        replay(backend, identifiers)
        if len(calls) == 1:
            with live():
                truce.save()  # journaled: the rebuild still holds its lock

    monkeypatch.setattr(rebuild_module, "replay", replay_while_an_editor_saves)
    report = connections["default"].get_backend().rebuild()
    assert len(calls) == 2
    assert f"archive.article.{doha.pk}" in calls[0]
    assert f"archive.article.{truce.pk}" in calls[1]
    assert report.replayed == sum(len(identifiers) for identifiers in calls)
    assert leftovers() == []
    assert not journal_module.rebuild_running(index_path())


def test_a_second_rebuild_while_one_runs_is_refused(archive, rebuild_lock):
    Article.objects.filter(pk=archive["doha"].pk).update(status=Article.Status.DRAFT)
    with pytest.raises(CommandError, match="already running.*unchanged"):
        call_command("rebuild_index", "--noinput", verbosity=0)
    assert archive["doha"].pk in {int(r.pk) for r in SearchQuerySet().filter(doc_type="article")}


def test_updates_are_journaled_only_while_a_rebuild_holds_the_lock(archive, live, rebuild_lock):
    with live():
        archive["doha"].save()
    journal = os.path.join(index_path(), journal_module.JOURNAL)
    with open(journal) as f:
        assert f"archive.article.{archive['doha'].pk}" in f.read().split()
    os.remove(journal)


def test_a_lock_file_left_by_a_rebuild_that_died_journals_nothing(archive, live):
    open(os.path.join(index_path(), journal_module.LOCK_FILE), "w").close()  # present, but nobody holds it
    with live():
        archive["doha"].save()
    assert leftovers() == []
    call_command("rebuild_index", "--noinput", verbosity=0)
    assert leftovers() == []


def test_a_rebuild_repairs_an_index_whose_table_of_contents_is_damaged(archive):
    for name in os.listdir(index_path()):
        if name.endswith(".toc"):
            with open(os.path.join(index_path(), name), "wb") as f:
                f.write(b"\x00garbage")
    connections["default"].get_backend().setup_complete = False
    call_command("rebuild_index", "--noinput", verbosity=0)
    assert selectors.search({"q": "said"}).type_counts["article"] == 4


def test_interactive_rebuild_asks_first(archive, monkeypatch, capsys):
    Article.objects.filter(pk=archive["doha"].pk).update(status=Article.Status.DRAFT)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    call_command("rebuild_index")
    assert "No changes were made" in capsys.readouterr().out
    indexed = {int(r.pk) for r in SearchQuerySet().filter(doc_type="article")}
    assert archive["doha"].pk in indexed  # still the old index


def test_output_names_the_counts_and_the_workers(archive, capsys):
    call_command("rebuild_index", "--noinput")
    out = capsys.readouterr().out
    assert "4 articles" in out and "4 statements" in out
    assert "with 1 worker." in out  # the test database is in-memory or inside the test's transaction
    assert "Rebuilt the index of connection 'default'" in out


@pytest.mark.django_db(transaction=True)
def test_workers_split_the_database_and_build_one_segment_each(archive):
    """An in-memory test database (SQLite's default under test) is invisible to worker processes: there
    the rebuild runs in-process. On a database server, `manage.py rebuild_index --workers 2` runs in a
    fresh process against this test's (committed) data and index."""
    backend = connections["default"].get_backend()
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        report = backend.rebuild(workers=2, batch_size=2)
        assert report.workers == 1
        assert report.counts == {"actors": 4, "articles": 4, "statements": 4}
    else:
        database = connection.settings_dict
        env = site_environment(Path(index_path()).parent)
        env.update(
            WHOOSH_PATH=index_path(),
            DATABASE_URL=(
                f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/"
                f"{database['NAME']}"
            ),
        )
        result = subprocess.run(
            [sys.executable, "manage.py", "rebuild_index", "--noinput", "--workers", "2", "--batch-size", "2"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "4 actors, 4 articles, 4 statements with 2 workers" in result.stdout
    assert len(backend.searcher().reader().leaf_readers()) == (1 if connection.vendor == "sqlite" else 2)
    assert SearchQuerySet().filter(doc_type="statement").count() == 4
    assert selectors.search({"q": "said"}).type_counts["article"] == 4


def test_two_worker_processes_rebuild_the_index_of_a_database_file(tmp_path):
    """The forked workers, each on its own database connection, against a real database file."""
    env = site_environment(tmp_path)

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    manage("migrate", "--noinput")
    manage("load_corpus")
    output = manage("rebuild_index", "--noinput", "--workers", "2")
    assert "with 2 workers" in output
    assert "The search index matches the database." in manage("check_index")
    files = os.listdir(tmp_path / "index")
    assert len([name for name in files if name.endswith(".seg")]) == 2
    assert not [name for name in files if name.startswith(rebuild_module.STAGING) or name == journal_module.JOURNAL]
