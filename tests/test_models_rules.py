"""Rules held by the models: one definition of what is public, statement dates that follow their
article's, slugs safe under concurrent saves, constraints spelled from the choices."""

import datetime

import pytest
from django.db import transaction

from archive import models
from archive.models import Actor, Article, Statement, public_actor_q, public_article_q, public_statement_q
from tests.factories import ActorFactory, ArticleFactory, StatementFactory

pytestmark = pytest.mark.django_db


# --- One rule for what is public ----------------------------------------------------------------------


def test_public_statement_rule_is_the_same_in_sql_and_in_memory():
    draft = ArticleFactory(status=Article.Status.DRAFT)
    published = ArticleFactory()
    rows = [
        StatementFactory(article=published),
        StatementFactory(article=published, review_status=Statement.ReviewStatus.VERIFIED, start=1, end=7,
                         text=published.body[1:7]),
        StatementFactory(article=draft),
    ]  # fmt: skip
    rejected = StatementFactory(
        article=ArticleFactory(), review_status=Statement.ReviewStatus.REJECTED
    )  # a published article, rejected
    rows.append(rejected)
    in_sql = set(Statement.objects.filter(public_statement_q()).values_list("pk", flat=True))
    in_memory = {s.pk for s in Statement.objects.all() if s.is_public}
    assert in_sql == in_memory == {rows[0].pk, rows[1].pk}
    assert set(Statement.objects.public().values_list("pk", flat=True)) == in_sql
    assert set(Article.objects.filter(public_article_q()).values_list("pk", flat=True)) == {
        a.pk for a in Article.objects.all() if a.is_public
    }
    assert list(Article.objects.published()) == list(Article.objects.public())


def test_public_actor_rule_across_a_relation():
    reviewed = ActorFactory(needs_review=False)
    hidden = ActorFactory(needs_review=True)
    spoken = ActorFactory(needs_review=True)
    StatementFactory(speaker=spoken)
    StatementFactory(speaker=hidden, article=ArticleFactory(status=Article.Status.DRAFT))
    assert set(Actor.objects.public()) == {reviewed, spoken, *Actor.objects.filter(needs_review=False)}
    assert hidden not in Actor.objects.public()
    # The same rule reached from statements: the speakers of the statements that are public actors.
    speakers = set(Statement.objects.filter(public_actor_q("speaker__")).values_list("speaker_id", flat=True))
    assert hidden.pk not in speakers and spoken.pk in speakers


def test_actor_statement_count_counts_public_statements_only():
    actor = ActorFactory()
    StatementFactory(speaker=actor)
    StatementFactory(speaker=actor, article=ArticleFactory(status=Article.Status.DRAFT))
    StatementFactory(speaker=actor, review_status=Statement.ReviewStatus.REJECTED)
    assert Actor.objects.with_statement_counts().get(pk=actor.pk).statement_count == 1


def test_hidden_actor_statement_export_is_not_found(client):
    hidden = ActorFactory(needs_review=True)
    StatementFactory(speaker=hidden, review_status=Statement.ReviewStatus.REJECTED)
    for fmt in ("csv", "json", "ndjson"):
        assert client.get(f"/api/actors/{hidden.slug}/statements.{fmt}").status_code == 404
    shown = ActorFactory()
    StatementFactory(speaker=shown)
    response = client.get(f"/api/actors/{shown.slug}/statements.csv")
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content).decode().strip().splitlines()) == 2  # header + one row


def test_hidden_actor_is_not_a_valid_api_filter(client):
    hidden = ActorFactory(needs_review=True)
    unknown = client.get("/api/statements/", {"speaker": "nobody-by-this-name"})
    response = client.get("/api/statements/", {"speaker": hidden.slug})
    # A hidden actor answers exactly as an unknown one: its existence is not revealed.
    assert response.status_code == unknown.status_code
    assert response.json().keys() == unknown.json().keys()


# --- Statement dates follow their article's -------------------------------------------------------------


def test_correcting_an_article_date_moves_its_statements_dated_by_it():
    article = ArticleFactory(published_date=datetime.date(2020, 2, 29))
    follows = StatementFactory(article=article)
    own = StatementFactory(article=article, start=1, end=7, text=article.body[1:7], date_from_article=False,
                           date=datetime.date(2020, 2, 28))  # fmt: skip
    assert follows.date == datetime.date(2020, 2, 29)
    article.published_date = datetime.date(2020, 3, 1)
    article.save()
    follows.refresh_from_db()
    own.refresh_from_db()
    assert follows.date == datetime.date(2020, 3, 1)
    assert own.date == datetime.date(2020, 2, 28)


def test_statement_date_precision_is_the_articles_by_rule_not_by_coincidence():
    article = ArticleFactory(published_date=datetime.date(2020, 2, 1), date_precision=Article.DatePrecision.MONTH)
    follows = StatementFactory(article=article)
    # Said on the first of the month, which happens to be the month-precise article's stored date.
    own = StatementFactory(article=article, start=1, end=7, text=article.body[1:7], date_from_article=False,
                           date=datetime.date(2020, 2, 1))  # fmt: skip
    assert follows.date_display == "February 2020"
    assert own.date_display == "1 February 2020"
    article.published_date, article.date_precision = None, Article.DatePrecision.UNKNOWN
    article.save()
    follows.refresh_from_db()
    assert follows.date is None and follows.date_display == "Date unknown"


def test_article_date_correction_through_an_update_query_of_the_article_form(admin_client):
    article = ArticleFactory(published_date=datetime.date(2020, 2, 29), status=Article.Status.DRAFT)
    statement = StatementFactory(article=article)
    loaded = Article.objects.get(pk=article.pk)  # as the admin loads it
    loaded.published_date = datetime.date(2019, 12, 31)
    loaded.save()
    statement.refresh_from_db()
    assert statement.date == datetime.date(2019, 12, 31)


# --- Slugs under concurrent saves ----------------------------------------------------------------------


def test_slug_taken_between_check_and_insert_is_made_again(monkeypatch):
    """A concurrent save took the slug after this save checked it: the insert is retried, not refused."""
    ActorFactory(name="Zalmay Khalilzad")
    real = models.unique_slug
    calls = []

    def stale_check(instance, value, max_length=200):
        calls.append(value)
        # The first check ran before the other save committed: it saw the slug as free.
        return "zalmay-khalilzad" if len(calls) == 1 else real(instance, value, max_length)

    monkeypatch.setattr(models, "unique_slug", stale_check)
    with transaction.atomic():  # the caller's transaction survives the refused insert
        actor = Actor.objects.create(name="Zalmay Khalilzad")
        assert actor.slug == "zalmay-khalilzad-2"
    assert len(calls) == 2


def test_slug_retry_does_not_hide_another_constraint():
    ArticleFactory(body="One body.")
    with pytest.raises(Exception) as error, transaction.atomic():
        ArticleFactory(body="One body.")
    assert "content_hash" in str(error.value) or "UNIQUE" in str(error.value).upper()


# --- Constraints name their choices --------------------------------------------------------------------


def test_check_constraints_take_their_values_from_the_choices():
    def constraint(model, name):
        return next(c for c in model._meta.constraints if c.name == name)

    def values(q):
        return sorted(next(v for k, v in q.children if k.endswith("__in")))

    assert values(constraint(Article, "article_status_valid").condition) == sorted(Article.Status.values)
    assert values(constraint(Actor, "actor_kind_valid").condition) == sorted(Actor.Kind.values)
    assert values(constraint(Statement, "statement_kind_valid").condition) == sorted(Statement.Kind.values)
    assert values(constraint(Statement, "statement_review_status_valid").condition) == sorted(
        Statement.ReviewStatus.values
    )
    source = models.__file__ and open(models.__file__).read()
    for literal in (
        '["draft", "published"]',
        '"person", "organisation"',
        '"direct", "partial"',
        '"extracted", "verified"',
    ):
        assert literal not in source


def test_a_statement_created_with_a_date_of_its_own_keeps_it_through_corrections():
    article = ArticleFactory(published_date=datetime.date(2020, 2, 29))
    statement = StatementFactory(article=article, date=datetime.date(2020, 2, 27))
    assert statement.date_from_article is False
    article.published_date = datetime.date(2020, 3, 2)
    article.save()
    statement.refresh_from_db()
    assert statement.date == datetime.date(2020, 2, 27)
    assert statement.date_display == "27 February 2020"


def test_search_results_recheck_the_public_rule_for_every_kind():
    """A stale index document (an actor hidden since, a statement rejected since) is never shown."""
    from types import SimpleNamespace

    from archive.search.selectors import load_hits

    hidden = ActorFactory(needs_review=True)
    shown = ActorFactory()
    rejected = StatementFactory(review_status=Statement.ReviewStatus.REJECTED)
    public = StatementFactory()
    results = [
        SimpleNamespace(model_name="actor", pk=str(hidden.pk), score=1.0),
        SimpleNamespace(model_name="actor", pk=str(shown.pk), score=1.0),
        SimpleNamespace(model_name="statement", pk=str(rejected.pk), score=1.0),
        SimpleNamespace(model_name="statement", pk=str(public.pk), score=1.0),
    ]
    hits = load_hits(results, None)
    assert [(hit.type, hit.pk) for hit in hits] == [("actor", shown.pk), ("statement", public.pk)]
