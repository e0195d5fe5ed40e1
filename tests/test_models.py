import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from archive.models import Alias, Article, Statement
from tests.factories import ActorFactory, AliasFactory, ArticleFactory, StatementFactory

pytestmark = pytest.mark.django_db


def test_article_duplicate_content_hash_refused():
    first = ArticleFactory(body="Same words.\n\nSame article.")
    assert len(first.content_hash) == 64
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(body="same words. same   article.")


def test_article_url_unique_only_when_given():
    ArticleFactory(url="")
    ArticleFactory(url="")
    ArticleFactory(url="https://example.org/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(url="https://example.org/a")


def test_article_date_precision_must_match_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(published_date=None, date_precision=Article.DatePrecision.DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(date_precision=Article.DatePrecision.UNKNOWN)
    undated = ArticleFactory(published_date=None, date_precision=Article.DatePrecision.UNKNOWN)
    assert undated.date_display == "Date unknown"


def test_article_slug_is_unique_and_readable():
    a = ArticleFactory(title="Talks in Doha")
    b = ArticleFactory(title="Talks in Doha")
    assert a.slug == "talks-in-doha"
    assert b.slug == "talks-in-doha-2"


def test_statement_span_must_match_quote():
    statement = StatementFactory()
    assert statement.article.body[statement.start : statement.end] == statement.text
    statement.text = "words nobody said"
    with pytest.raises(ValidationError, match="does not match"):
        statement.full_clean()
    with pytest.raises(ValidationError, match="does not match"):
        statement.save()


def test_statement_span_outside_body_refused():
    article = ArticleFactory()
    with pytest.raises(ValidationError, match="outside"):
        Statement(article=article, speaker=ActorFactory(), start=5, end=len(article.body) + 10, text="x").save()


def test_statement_needs_speaker_or_description():
    statement = StatementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(speaker=None, speaker_description="")
    anonymous = StatementFactory(speaker=None, speaker_description="a person familiar with the mediation work")
    assert anonymous.speaker_label == "a person familiar with the mediation work"


def test_statement_empty_span_refused_by_database():
    statement = StatementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(end=statement.start)


def test_statement_date_defaults_to_article_date():
    statement = StatementFactory()
    assert statement.date == statement.article.published_date


def test_alias_normalized_form_is_unique_across_actors():
    AliasFactory(name="Zalmay Khalilzad")
    other = ActorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Alias.objects.create(actor=other, name="Mr. Zalmai Khalilzad")
    with pytest.raises(ValidationError, match="already names"):
        Alias(actor=other, name="zalmai khalilzad").full_clean()


def test_alias_resolves_spelling_variants_to_one_actor():
    alias = AliasFactory(name="Zalmay Khalilzad")
    assert Alias.objects.resolve("Mr Zalmai Khalilzad") == alias.actor
    assert Alias.objects.resolve("Somebody Else") is None


def test_actor_cannot_be_its_own_side():
    side = ActorFactory(name="Taliban")
    member = ActorFactory(name="Zabihullah Mujahid", affiliation=side)
    assert member.side == side
    side.affiliation = member
    with pytest.raises(ValidationError, match="itself"):
        side.full_clean()


def test_history_records_every_change():
    article = ArticleFactory()
    article.title = "A corrected title"
    article.save()
    assert article.history.count() == 2
    assert article.history.first().title == "A corrected title"


def test_public_statements_exclude_drafts_and_rejected():
    visible = StatementFactory()
    StatementFactory(review_status=Statement.ReviewStatus.REJECTED)
    StatementFactory(article=ArticleFactory(status=Article.Status.DRAFT))
    assert list(Statement.objects.public()) == [visible]


def test_statement_date_display_keeps_article_precision():
    article = ArticleFactory(published_date=datetime.date(2021, 1, 1), date_precision=Article.DatePrecision.MONTH)
    statement = StatementFactory(article=article)
    assert statement.date_display == "January 2021"
    statement.date, statement.date_from_article = datetime.date(2021, 1, 23), False
    assert statement.date_display == "23 January 2021"
