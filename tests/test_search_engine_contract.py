"""The engine boundary (archive.search.engine.SearchEngine), checked the same way on every configured engine.

Whoosh always; Elasticsearch too when ELASTICSEARCH_URL is set (then it must answer: a test that needs it
fails loudly rather than skipping). Each engine gets its own search connection and index for the test.
"""

import os
import secrets
import tempfile
from io import StringIO

import pytest
from haystack import connections
from haystack.query import SearchQuerySet

from archive.models import Article, Statement
from archive.search.connections import engine
from archive.search.documents import batch_for_identifiers, index_work
from tests.conftest import add_statement
from tests.factories import ActorFactory, ArticleFactory

ALIAS = "contract"
ENGINES = ["whoosh"] + (["elasticsearch"] if os.environ.get("ELASTICSEARCH_URL") else [])


def connection_settings(kind: str) -> dict:
    if kind == "whoosh":
        return {
            "ENGINE": "archive.search.whoosh.backend.ArchiveWhooshEngine",
            "PATH": tempfile.mkdtemp(prefix="archive-contract-whoosh-"),
        }
    return {
        "ENGINE": "archive.search.elasticsearch_backend.ArchiveElasticsearchEngine",
        "URL": os.environ["ELASTICSEARCH_URL"],
        "INDEX_NAME": f"archive_contract_{secrets.token_hex(4)}",
    }


@pytest.fixture(params=ENGINES)
def search_engine(request, db):
    connections.connections_info[ALIAS] = connection_settings(request.param)
    connections.reload(ALIAS)
    try:
        connections[ALIAS].get_backend().clear()
        yield engine(ALIAS)
    finally:
        connections[ALIAS].get_backend().clear()
        del connections.connections_info[ALIAS]
        connections.thread_local.connections.pop(ALIAS, None)


def identifiers(model=None) -> set[str]:
    sqs = SearchQuerySet(using=ALIAS)
    if model is not None:
        sqs = sqs.models(model)
    return {f"{r.app_label}.{r.model_name}.{r.pk}" for r in sqs.all()[:10_000]}


def ident(obj) -> str:
    return f"{obj._meta.label_lower}.{obj.pk}"


def index_of(model):
    return connections[ALIAS].get_unified_index().get_index(model)


@pytest.fixture
def corpus(db):
    speaker = ActorFactory(name="Contract Speaker")
    articles = [
        ArticleFactory(
            title=f"Ceasefire talks {n}",
            body=f"The ceasefire talks went on, day {n}.\n\n“The ceasefire holds,” he said.",
        )
        for n in range(3)
    ]
    statements = [add_statement(article, speaker, "The ceasefire holds") for article in articles]
    return {"speaker": speaker, "articles": articles, "statements": statements}


def test_update_many_writes_documents_and_removals_together(search_engine, corpus):
    articles = corpus["articles"]
    search_engine.update_many([(index_of(Article), articles)], [])
    assert identifiers(Article) == {ident(a) for a in articles}
    # One call both replaces a document and removes another.
    search_engine.update_many([(index_of(Article), articles[:1])], [ident(articles[1])])
    assert identifiers(Article) == {ident(articles[0]), ident(articles[2])}


def test_remove_many_removes_only_those(search_engine, corpus):
    statements = corpus["statements"]
    search_engine.update_many([(index_of(Statement), statements)], [])
    search_engine.remove_many([ident(statements[0]), ident(statements[2]), "archive.statement.999999"])
    assert identifiers(Statement) == {ident(statements[1])}


def test_index_work_removes_what_is_no_longer_public(search_engine, corpus):
    article = corpus["articles"][0]
    search_engine.update_many([(index_of(Article), corpus["articles"])], [])
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    work, removals = index_work(batch_for_identifiers([ident(article)]), ALIAS)
    assert work == [] and removals == [ident(article)]
    search_engine.update_many(work, removals)
    assert ident(article) not in identifiers(Article)


def test_suggest_names_unknown_words_only(search_engine, corpus):
    search_engine.update_many([(index_of(Article), corpus["articles"])], [])
    suggestions = search_engine.suggest(["ceasefire", "ceasfire"])
    assert "ceasefire" not in suggestions
    assert suggestions.get("ceasfire") == "ceasefire"


def test_rebuild_indexes_exactly_the_public_objects(search_engine, corpus):
    draft = ArticleFactory(title="Draft", body="Not yet.\n\nText.", status=Article.Status.DRAFT)
    search_engine.update_many([(index_of(Article), [draft])], [])  # a stale document the rebuild drops
    report = search_engine.rebuild(workers=1, stdout=StringIO())
    assert identifiers(Article) == {ident(a) for a in corpus["articles"]}
    assert identifiers(Statement) == {ident(s) for s in corpus["statements"]}
    assert report.counts["articles"] == 3


def test_check_reports_a_healthy_index(search_engine, corpus):
    search_engine.update_many([(index_of(Article), corpus["articles"])], [])
    report = search_engine.check()
    assert report.healthy, report.problems
    assert report.writable
