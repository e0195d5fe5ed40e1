"""check_index: the search index compared with the database."""

import pytest
from django.core.management import CommandError, call_command
from haystack import connections

from archive.index_check import compare_index
from archive.models import Article, IndexOutbox, Statement
from tests.factories import ArticleFactory
from tests.search_fixtures import reindex

pytest_plugins = ["tests.search_fixtures"]


def by_model(reports):
    return {report.model: report for report in reports}


def test_check_index_passes_when_index_matches(archive, capsys):
    call_command("check_index")
    out = capsys.readouterr().out
    assert "The search index matches the database." in out
    assert f"articles: {Article.objects.published().count()} public in the database" in out


def test_check_index_finds_missing_stale_and_outdated_documents(archive):
    unindexed = ArticleFactory(status=Article.Status.PUBLISHED)  # saved with index updates not yet run
    unpublished = Article.objects.published().exclude(pk=unindexed.pk).first()
    Article.objects.filter(pk=unpublished.pk).update(status=Article.Status.DRAFT)  # its index update is not run here
    statement = Statement.objects.public().first()
    Statement.objects.filter(pk=statement.pk).update(date="2001-01-01")  # stored date outdated
    # The updates above are owed to the index (the outbox holds them, check_index would apply them
    # first): forget them, as for drift the outbox does not know of.
    IndexOutbox.objects.all().delete()

    reports = by_model(compare_index())
    assert reports[Article].missing == {unindexed.pk}
    assert reports[Article].stale == {unpublished.pk}
    assert reports[Statement].outdated == {statement.pk}
    with pytest.raises(CommandError, match="differs from the database"):
        call_command("check_index")

    connections["default"].get_backend().clear()
    reindex()
    assert all(report.consistent for report in compare_index())


def test_check_index_refuses_unknown_connection(db):
    with pytest.raises(CommandError, match='No search connection named "nope"'):
        call_command("check_index", using="nope")
