"""The index follows edits without a rebuild, related documents re-index together, writers never clash."""

import fcntl
import os
import threading
import time

import pytest
from django.core.management import call_command
from haystack import connections
from haystack.query import SearchQuerySet
from whoosh.writing import SegmentWriter

from archive.indexing import deferred_indexing
from archive.models import Alias, Article, Statement
from archive.search import selectors
from tests.factories import ActorFactory, ArticleFactory
from tests.search_fixtures import add_statement

pytest_plugins = ["tests.search_fixtures"]
pytestmark = pytest.mark.django_db


def hits(**params) -> set[tuple[str, int]]:
    return {(h.type, h.pk) for h in selectors.search(params).results}


@pytest.fixture
def live(django_capture_on_commit_callbacks):
    """Run the index updates that saves schedule for after their commit, as they run in production."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def test_new_and_edited_article_searchable_without_rebuild(search_index, live):
    with live():
        article = ArticleFactory(title="Talks in Zanzibar", body="Delegates met in Zanzibar.\n\nNo deal.")
    assert hits(q="zanzibar") == {("article", article.pk)}
    with live():
        article.body = "Delegates met in Mombasa.\n\nNo deal."
        article.title = "Talks in Mombasa"
        article.save()
    assert hits(q="zanzibar") == set()
    assert hits(q="mombasa") == {("article", article.pk)}


def test_unpublishing_hides_article_and_its_statements(archive, live):
    truce = archive["truce"]
    assert ("statement", archive["baradar_truce"].pk) in hits(q="foreign forces")
    with live():
        truce.status = Article.Status.DRAFT
        truce.save()
    assert hits(q="foreign forces") == set()
    with live():
        truce.status = Article.Status.PUBLISHED
        truce.save()
    assert hits(q="foreign forces") == {("article", truce.pk), ("statement", archive["baradar_truce"].pk)}


def test_deleting_article_removes_it_and_its_statements(archive, live):
    with live():
        archive["truce"].delete()
    assert hits(q="foreign forces") == set()


def test_actor_rename_reindexes_their_statements(archive, live):
    envoy = archive["envoy"]
    signing = ("statement", archive["envoy_signing"].pk)
    assert signing not in hits(q="Wakil")
    with live():
        envoy.name = "Zalmay Wakil"
        envoy.save()
    assert signing in hits(q="wakil", type="statement")
    assert ("actor", envoy.pk) in hits(q="wakil")


def test_new_alias_finds_their_statements(archive, live):
    signing = ("statement", archive["envoy_signing"].pk)
    with live():
        Alias.objects.create(actor=archive["envoy"], name="Dr Zed")
    outcome = selectors.search({"q": "Dr Zed"})
    assert outcome.actor == archive["envoy"]
    assert signing in {(h.type, h.pk) for h in outcome.results}


def test_new_statement_reindexes_its_article(archive, live):
    doha = archive["doha"]
    assert ("article", doha.pk) not in hits(speaker=archive["baradar"].slug)
    with live():
        add_statement(doha, archive["baradar"], "the prisoner release remained the hardest question")
    assert ("article", doha.pk) in hits(speaker=archive["baradar"].slug, type="article")
    outcome = selectors.search({"q": "prisoner", "type": "article"})
    sides = {f.value: f.count for f in outcome.facets["affiliation"]}
    assert sides == {archive["taliban"].slug: 2, archive["usg"].slug: 1}


def test_rejecting_a_statement_removes_it(archive, live):
    statement = archive["baradar_truce"]
    with live():
        statement.review_status = Statement.ReviewStatus.REJECTED
        statement.save()
    assert hits(q="foreign forces", type="statement") == set()
    assert ("article", archive["truce"].pk) not in hits(speaker=archive["baradar"].slug)


def test_topic_change_reindexes(archive, live):
    doha = archive["doha"]
    assert ("article", doha.pk) not in hits(topic="ceasefire")
    with live():
        doha.topics.add(archive["ceasefire"])
    assert ("article", doha.pk) in hits(topic="ceasefire")


def test_affiliation_change_reaches_members_statements(archive, live):
    baradar, usg = archive["baradar"], archive["usg"]
    with live():
        baradar.affiliation = usg
        baradar.save()
    assert ("statement", archive["baradar_truce"].pk) in hits(affiliation=usg.slug)


@pytest.fixture
def writer_commits(monkeypatch):
    """Every commit of a Whoosh writer, counted where Whoosh makes it."""
    commits = []
    original = SegmentWriter.commit

    def counting(self, *args, **kwargs):
        commits.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SegmentWriter, "commit", counting)
    return commits


def test_bulk_block_commits_the_index_once(search_index, live, writer_commits):
    with live(), deferred_indexing():
        speaker = ActorFactory(name="Bulk Speaker")
        for n in range(12):
            article = ArticleFactory(title=f"Bulk {n}", body=f"Bulk import item {n}.\n\n“Quoted words {n},” he said.")
            add_statement(article, speaker, f"Quoted words {n}")
    assert len(writer_commits) == 1
    assert len(hits(q="bulk", type="article")) == 12


def test_draft_import_with_removals_commits_the_index_once(search_index, live, writer_commits):
    """Drafts are not public: each draft article and its statements are removals, all in one commit."""
    with live(), deferred_indexing():
        speaker = ActorFactory(name="Imported Speaker")
        for n in range(10):
            article = ArticleFactory(
                title=f"Draft {n}", body=f"Draft item {n}.\n\n“Draft words {n},” he said.", status="draft"
            )
            add_statement(article, speaker, f"Draft words {n}")
        published = ArticleFactory(title="Kept published", body="Published item.\n\nText.")
    assert len(writer_commits) == 1
    assert hits(q="draft") == set()
    assert hits(q="published") == {("article", published.pk)}


def test_concurrent_saves_lose_nothing(search_index):
    articles = [
        ArticleFactory(title=f"Concurrent {n}", body=f"Concurrent edit number {n} unique{n}.\n\nText.")
        for n in range(16)
    ]
    index = connections["default"].get_unified_index().get_index(Article)
    prepared = list(index.index_queryset().filter(pk__in=[a.pk for a in articles]))
    errors = []
    barrier = threading.Barrier(8)

    def editor(chunk):
        try:
            barrier.wait()
            for article in chunk:
                connections["default"].get_backend().update(index, [article])
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=editor, args=(prepared[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert SearchQuerySet().filter(content="concurrent").count() == 16
    for article in articles:
        assert SearchQuerySet().filter(content=f"unique{article.title.split()[1]}").count() == 1


def test_save_waits_for_another_process_writer(search_index):
    article = ArticleFactory(title="Waiting writer", body="The kestrel report.\n\nText.")
    index = connections["default"].get_unified_index().get_index(Article)
    prepared = list(index.index_queryset().filter(pk=article.pk))
    backend = connections["default"].get_backend()
    # Another process's writer holds Whoosh's lock file (flock locks exclude other open files too).
    fd = os.open(os.path.join(backend.path, "MAIN_WRITELOCK"), os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    done = threading.Event()
    failures = []

    def save():
        try:
            connections["default"].get_backend().update(index, prepared)
        except Exception as error:  # pragma: no cover - reported below
            failures.append(error)
        done.set()

    thread = threading.Thread(target=save)
    try:
        thread.start()
        time.sleep(0.6)
        assert not done.is_set(), "the update must wait while another writer holds the lock"
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    thread.join(30)
    assert done.is_set() and failures == []
    assert hits(q="kestrel") == {("article", article.pk)}


def test_rebuild_index_command(archive):
    call_command("rebuild_index", "--noinput", verbosity=0)
    counts = selectors.search({"q": "said"}).type_counts
    assert counts["article"] == 4
    assert SearchQuerySet().filter(doc_type="actor").count() == 4
    assert SearchQuerySet().filter(doc_type="statement").count() == 4


def test_actor_under_review_is_searchable_only_once_a_statement_of_theirs_is_public(search_index, live):
    with live():
        newcomer = ActorFactory(name="Qudratullah Wardak", needs_review=True)
        body = "Talks went on.\n\n“Our patience is long,” Qudratullah Wardak said.\n\nNothing else."
        draft = ArticleFactory(body=body, raw_text=body, status=Article.Status.DRAFT)
        statement = add_statement(draft, newcomer, "Our patience is long")
    assert ("actor", newcomer.pk) not in hits(q="Wardak", type="actor")
    with live():
        draft.status = Article.Status.PUBLISHED
        draft.save()
    assert ("actor", newcomer.pk) in hits(q="Wardak", type="actor")
    with live():
        statement.delete()
    assert ("actor", newcomer.pk) not in hits(q="Wardak", type="actor")
    with live():
        newcomer.needs_review = False  # an editor checked the actor: public from now on
        newcomer.save()
    assert ("actor", newcomer.pk) in hits(q="Wardak", type="actor")


def test_a_deleted_article_and_its_statements_leave_the_index(archive, live):
    truce = archive["truce"]
    statement_pks = set(truce.statements.values_list("pk", flat=True))
    with live():
        truce.delete()
    assert truce.pk not in {int(r.pk) for r in SearchQuerySet().filter(doc_type="article")}
    assert statement_pks.isdisjoint(int(r.pk) for r in SearchQuerySet().filter(doc_type="statement"))
