"""Search shows only what the site shows: hidden actors never leak, and the search side's own upkeep
stays cheap (side renames read no article bodies, sides at any depth, name words cached)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Actor, Alias, Article, Statement
from archive.search import selectors
from tests.conftest import add_statement
from tests.factories import ActorFactory, ArticleFactory
from tests.search_fixtures import reindex

pytest_plugins = ["tests.search_fixtures"]
pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(archive):
    """An imported actor under review whose only statement is in a draft: the site shows it nowhere."""
    actor = ActorFactory(name="Qasim Nightjar", role="Secret channel contact", needs_review=True)
    Alias.objects.create(actor=actor, name="Qasim Nightjar")
    Alias.objects.create(actor=actor, name="Nightjar")
    draft = ArticleFactory(
        title="Notes on a back channel", body="Draft.\n\n“The channel stays open,” Nightjar said.", status="draft"
    )
    add_statement(draft, actor, "The channel stays open")
    assert not Actor.objects.public().filter(pk=actor.pk).exists()
    reindex()
    return actor


def test_a_hidden_actor_gets_no_actor_card_nor_result(hidden):
    outcome = selectors.search({"q": "Nightjar"})
    assert outcome.actors == []
    assert all(hit.type != "actor" for hit in outcome.results)
    assert "Nightjar" not in " ".join(hit.title for hit in outcome.results)


def test_a_hidden_actor_is_not_suggested(hidden):
    assert "Nightjar" not in (selectors.search({"q": "nightjr"}).suggestion or "")


def test_a_hidden_actor_gives_no_speaker_chip(hidden):
    outcome = selectors.search({"q": "channel", "speaker": hidden.slug})
    assert outcome.params["speaker"] == []
    assert any("Unknown speaker" in message for message in outcome.messages)
    assert not any(value.label == hidden.name for values in outcome.facets.values() for value in values)


def test_a_hidden_actor_is_not_resolved_from_a_typed_filter(hidden):
    outcome = selectors.search({"q": "speaker:Nightjar"})
    assert any("No speaker matches" in message for message in outcome.messages)


def test_results_recheck_that_an_actor_is_public(archive, killed_index_updates):
    taliban = archive["taliban"]
    assert ("actor", taliban.pk) in {(h.type, h.pk) for h in selectors.search({"q": "emirate"}).results}
    with killed_index_updates():  # hidden, and its index update never ran: the index still has it
        Actor.objects.filter(pk=taliban.pk).update(needs_review=True)
        Statement.objects.filter(speaker=taliban).update(review_status=Statement.ReviewStatus.REJECTED)
    assert not Actor.objects.public().filter(pk=taliban.pk).exists()
    assert ("actor", taliban.pk) not in {(h.type, h.pk) for h in selectors.search({"q": "emirate"}).results}


@pytest.fixture
def killed_index_updates(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=False)

    return run


def test_renaming_a_side_reads_no_article_body(archive, django_capture_on_commit_callbacks):
    taliban = archive["taliban"]
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=False):
        taliban.name = "Islamic Emirate of Afghanistan"
        taliban.save()
    body = f'"{Article._meta.db_table}"."body"'
    assert not [q["sql"] for q in queries.captured_queries if body in q["sql"]]


def test_sides_are_found_at_any_depth_in_a_bounded_number_of_queries(search_index, django_assert_max_num_queries):
    side = ActorFactory(name="Deep Side")
    chain = side
    for n in range(5):
        chain = ActorFactory(name=f"Level {n}", affiliation=chain)
    article = ArticleFactory(body="Text.\n\n" + " ".join(f"“Deep words {n},” he said." for n in range(20)))
    for n in range(20):
        add_statement(article, chain, f"Deep words {n}")
    from haystack import connections

    index = connections["default"].get_unified_index().get_index(Statement)
    with django_assert_max_num_queries(7):  # with the speakers' dated roles and confirmed provision links
        documents = [index.full_prepare(s) for s in index.index_queryset().filter(article=article)]
    assert {tuple(d["affiliation"]) for d in documents} == {(side.slug,)}


def test_name_words_are_not_read_again_for_the_next_search(archive):
    with CaptureQueriesContext(connection) as first:
        selectors.search({"q": "khalilzd"})
    with CaptureQueriesContext(connection) as second:
        selectors.search({"q": "khalilzd"})
    alias_reads = [
        q for q in second.captured_queries if 'FROM "archive_alias"' in q["sql"] and "normalized" not in q["sql"]
    ]
    assert alias_reads == []
    assert len(second.captured_queries) < len(first.captured_queries)
    assert selectors.search({"q": "khalilzd"}).suggestion == "Khalilzad"
