"""Fixtures for the readers' alerts tests: confirmed and unconfirmed readers, and a way to publish."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client

from archive.models import Article, IndexOutbox
from tests.conftest import add_statement
from tests.factories import ArticleFactory
from tests.search_fixtures import reindex as reindex_all

PASSWORD = "a-reader-pass-phrase-9"


def reindex():
    """Index every public object; the index updates owed for the test's changes are then paid (a test's
    transaction never commits, so the on-commit update that would delete its outbox rows never runs)."""
    reindex_all()
    IndexOutbox.objects.all().delete()


def make_reader(email: str, verified: bool = True):
    user = get_user_model().objects.create_user(email.split("@")[0], email, PASSWORD)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def publish(article: Article) -> Article:
    article.status = Article.Status.PUBLISHED
    article.save()
    reindex()
    return article


def new_statement(*, speaker, words: str, topics=(), status=Article.Status.PUBLISHED, **article_fields):
    """A statement of `words`, in a new article of its own (published unless told), indexed."""
    body = f"A report of our own.\n\n“{words},” the speaker said.\n\nMore followed."
    article = ArticleFactory(body=body, status=status, **article_fields)
    statement = add_statement(article, speaker, words)
    statement.topics.add(*topics)
    reindex()
    return statement


@pytest.fixture
def reader(db):
    return make_reader("reader@example.org")


@pytest.fixture
def reader_client(reader):
    client = Client()
    client.force_login(reader)
    return client
