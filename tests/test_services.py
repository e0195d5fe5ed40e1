"""Multi-object writes: review, tagging, merging actors, reverting to a history version."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_save

from archive import indexing, services
from archive.models import Actor, Alias, Article, Statement
from tests.factories import ActorFactory, AliasFactory, ArticleFactory, StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("desk", "desk@example.org", "a-long-pass-phrase", is_staff=True)


def test_find_span_picks_the_occurrence_nearest_the_old_start():
    body = "peace now. peace now. peace now."
    assert services.find_span(body, "peace now", near=12) == (11, 20)
    assert services.find_span(body, "peace now") == (0, 9)
    assert services.find_span(body, "war") is None
    assert services.find_span(body, "") is None


def test_verify_and_reject_record_who_and_why(user):
    first, second = StatementFactory(), StatementFactory()
    assert services.verify_statements(Statement.objects.filter(pk=first.pk), user=user) == 1
    assert services.reject_statements(Statement.objects.filter(pk__in=[first.pk, second.pk]), user=user) == 2
    first.refresh_from_db()
    assert first.review_status == Statement.ReviewStatus.REJECTED
    reasons = list(first.history.values_list("history_change_reason", flat=True))
    assert reasons[:2] == ["Rejected in review", "Verified in review"]
    assert first.history.first().history_user == user


def test_set_review_status_refuses_an_unknown_status():
    statement = StatementFactory()
    with pytest.raises(ValidationError, match="Unknown review status"):
        services.set_review_status(Statement.objects.all(), "maybe")
    statement.refresh_from_db()
    assert statement.review_status == Statement.ReviewStatus.EXTRACTED


@contextmanager
def saves_outside_deferred_indexing():
    """Archive rows saved or deleted in the block while index updates were not deferred."""
    outside = []

    def check(sender, instance, **kwargs):
        if sender.__module__ == "archive.models" and indexing._pending() is None:
            outside.append(f"{sender.__name__} {instance.pk}")

    post_save.connect(check, weak=False)
    post_delete.connect(check, weak=False)
    try:
        yield outside
    finally:
        post_save.disconnect(check)
        post_delete.disconnect(check)


def test_bulk_review_updates_the_search_index_once(user, django_capture_on_commit_callbacks):
    for _ in range(5):
        StatementFactory()
    with mock.patch("archive.indexing.apply_updates") as apply, saves_outside_deferred_indexing() as outside:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.verify_statements(Statement.objects.all(), user=user)
            assert apply.call_count == 0  # not before the transaction commits
    assert len(callbacks) == 1
    assert apply.call_count == 1
    assert outside == []


def test_reassign_speaker_and_change_kind(user):
    statement = StatementFactory()
    other = ActorFactory(name="Suhail Shaheen")
    assert services.reassign_speaker(Statement.objects.all(), other, user=user) == 1
    assert services.reassign_speaker(Statement.objects.all(), other, user=user) == 0
    assert services.change_kind(Statement.objects.all(), Statement.Kind.INDIRECT, user=user) == 1
    statement.refresh_from_db()
    assert statement.speaker == other and statement.kind == Statement.Kind.INDIRECT
    with pytest.raises(ValidationError):
        services.change_kind(Statement.objects.all(), "shouted")
    with pytest.raises(ValidationError):
        services.reassign_speaker(Statement.objects.all(), None)


def test_publish_and_topic_changes_are_in_history(user):
    article = ArticleFactory(status=Article.Status.DRAFT)
    topic = TopicFactory(name="Sanctions relief")
    assert services.set_article_status(Article.objects.all(), Article.Status.PUBLISHED, user=user) == 1
    assert services.add_topic(Article.objects.all(), topic, user=user) == 1
    assert services.add_topic(Article.objects.all(), topic, user=user) == 0
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert list(article.topics.all()) == [topic]
    assert article.history.first().history_change_reason == "Topic added: Sanctions relief"
    assert services.remove_topic(Article.objects.all(), topic, user=user) == 1
    assert not article.topics.exists()


def test_topic_change_reaches_the_index():
    article = ArticleFactory()
    with mock.patch("archive.services.record") as record:
        services.add_topic(Article.objects.all(), TopicFactory(), user=None)
    record.assert_called_once_with(article)


# --- Merge -------------------------------------------------------------------------------------------


@pytest.fixture
def duplicates():
    side = ActorFactory(name="Islamic Emirate", kind=Actor.Kind.ORGANISATION)
    survivor = ActorFactory(name="Suhail Shaheen", affiliation=side)
    AliasFactory(actor=survivor, name="Suhail Shaheen")
    loser = ActorFactory(name="Sohail Shahin, spokesman", role="Spokesman of the political office")
    AliasFactory(actor=loser, name="Sohail Shahin")
    AliasFactory(actor=loser, name="Dr Shaheen")
    aide = ActorFactory(name="An aide", affiliation=loser)
    statements = [StatementFactory(speaker=loser) for _ in range(3)] + [StatementFactory(speaker=survivor)]
    return {"survivor": survivor, "loser": loser, "aide": aide, "statements": statements, "side": side}


def test_merge_keeps_every_statement_and_moves_everything(duplicates, user):
    survivor, loser = duplicates["survivor"], duplicates["loser"]
    total = Statement.objects.count()
    plan = services.merge_actors(survivor, [loser], user=user)
    assert Statement.objects.count() == total
    assert set(survivor.statements.values_list("pk", flat=True)) == {s.pk for s in duplicates["statements"]}
    assert not Actor.objects.filter(pk=loser.pk).exists()
    # Aliases moved, and the loser's own name is now an alias.
    assert Alias.objects.resolve("Sohail Shahin") == survivor
    assert Alias.objects.resolve("Dr Shaheen") == survivor
    assert Alias.objects.resolve("Sohail Shahin, spokesman") == survivor
    assert plan.new_aliases == ["Sohail Shahin, spokesman"]
    duplicates["aide"].refresh_from_db()
    assert duplicates["aide"].affiliation == survivor
    survivor.refresh_from_db()
    assert survivor.role == "Spokesman of the political office"  # a blank role filled from the duplicate
    assert survivor.affiliation == duplicates["side"]


def test_merge_keeps_history_with_reason_and_the_losers_own_history(duplicates, user):
    survivor, loser = duplicates["survivor"], duplicates["loser"]
    moved = duplicates["statements"][0]
    services.merge_actors(survivor, [loser], user=user)
    latest = moved.history.first()
    assert latest.history_change_reason == "Merged Sohail Shahin, spokesman into Suhail Shaheen"
    assert latest.history_user == user
    assert moved.history.last().speaker_id == loser.pk  # the earlier version still names the loser
    loser_history = Actor.history.filter(id=loser.pk)
    assert loser_history.first().history_type == "-"
    assert loser_history.count() >= 2


def test_merge_updates_the_index_once(duplicates, django_capture_on_commit_callbacks):
    with mock.patch("archive.indexing.apply_updates") as apply, saves_outside_deferred_indexing() as outside:
        with django_capture_on_commit_callbacks(execute=True):
            services.merge_actors(duplicates["survivor"], [duplicates["loser"]])
    assert apply.call_count == 1
    assert outside == []


def test_merge_is_all_or_nothing(duplicates):
    survivor, loser = duplicates["survivor"], duplicates["loser"]
    before = set(loser.statements.values_list("pk", flat=True))
    with mock.patch.object(Actor, "delete", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            services.merge_actors(survivor, [loser])
    assert set(Actor.objects.get(pk=loser.pk).statements.values_list("pk", flat=True)) == before
    assert Alias.objects.resolve("Dr Shaheen") == loser


def test_merge_needs_another_actor(duplicates):
    with pytest.raises(ValidationError, match="at least one other actor"):
        services.merge_actors(duplicates["survivor"], [duplicates["survivor"]])


def test_merge_survivor_affiliated_with_its_duplicate_takes_the_duplicates_side():
    side = ActorFactory(name="Afghan government", kind=Actor.Kind.GOVERNMENT)
    loser = ActorFactory(name="Abdullah Abdullah", affiliation=side)
    survivor = ActorFactory(name="Dr Abdullah", affiliation=loser)
    services.merge_actors(survivor, [loser])
    survivor.refresh_from_db()
    assert survivor.affiliation == side


def test_merge_plan_reports_a_name_already_taken_by_a_third_actor():
    survivor, loser, third = ActorFactory(name="Ghani"), ActorFactory(name="Ashraf Ghani"), ActorFactory()
    AliasFactory(actor=third, name="Ashraf Ghani")
    plan = services.merge_plan(survivor, [loser])
    assert plan.new_aliases == []
    assert plan.conflicts and "already an alias of" in plan.conflicts[0]


def test_merge_of_several_duplicates_at_once():
    survivor = ActorFactory(name="Mike Pompeo")
    losers = [ActorFactory(name="Pompeo"), ActorFactory(name="Secretary Pompeo")]
    for loser in losers:
        StatementFactory(speaker=loser)
    services.merge_actors(survivor, losers)
    assert survivor.statements.count() == 2
    assert Actor.objects.count() == 1 + Actor.objects.exclude(pk=survivor.pk).count()
    assert not Actor.objects.filter(pk__in=[a.pk for a in losers]).exists()


# --- Revert ------------------------------------------------------------------------------------------


def test_revert_article_restores_fields_and_keeps_statements(user):
    statement = StatementFactory()
    article = statement.article
    first = article.history.earliest("history_date")
    article.title = "Changed"
    article.editor_notes = "check the date"
    article.save()
    result = services.revert_to_version(Article, article.pk, first.history_id, user=user)
    article.refresh_from_db()
    assert article.title == first.title and article.editor_notes == ""
    assert list(article.statements.all()) == [statement]
    assert result.instance.pk == article.pk
    assert article.history.first().history_user == user


def test_revert_statement_after_its_article_moved_finds_its_words():
    statement = StatementFactory()
    first = statement.history.earliest("history_date")
    article = statement.article
    article.body = "Update. " + article.body
    article.save()
    statement.article = article
    statement.start += 8
    statement.end += 8
    statement.kind = Statement.Kind.INDIRECT
    statement.save()
    services.revert_to_version(Statement, statement.pk, first.history_id)
    statement.refresh_from_db()
    assert statement.kind == first.kind
    assert article.body[statement.start : statement.end] == statement.text


def test_revert_statement_whose_words_are_gone_is_refused_with_the_words():
    statement = StatementFactory()
    first = statement.history.earliest("history_date")
    article = statement.article
    Statement.objects.filter(pk=statement.pk).update(text="Peace", start=0, end=5)
    article.body = "Peace " + article.body.replace(first.text, "something else")
    article.save()
    assert services.revert_blocker(Statement, statement.pk, first.history_id).startswith(
        f"This version cannot be restored: its words (“{first.text[:80]}”)"
    )
    with pytest.raises(ValidationError, match="no longer in the article"):
        services.revert_to_version(Statement, statement.pk, first.history_id)


def test_revert_unknown_version_is_a_validation_error():
    article = ArticleFactory()
    with pytest.raises(ValidationError, match="does not exist"):
        services.revert_to_version(Article, article.pk, 999999)


def test_revert_duplicate_content_is_refused():
    article = ArticleFactory(body="First words.\n\nOf the article.")
    first = article.history.earliest("history_date")
    article.body = "Other words.\n\nOf the article."
    article.save()
    ArticleFactory(body="First words.\n\nOf the article.")
    with pytest.raises(ValidationError, match="cannot be restored"):
        services.revert_to_version(Article, article.pk, first.history_id)
    article.refresh_from_db()
    assert article.body.startswith("Other words.")
