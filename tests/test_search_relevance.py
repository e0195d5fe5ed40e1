"""What a researcher means: ranking, folded variants, synonyms, name spellings, facets that mean what
they say, phrases of common words, and a warmed-up worker."""

import datetime

import pytest
from django.urls import reverse
from haystack import connections

from archive.models import Actor, Alias, SearchSynonym
from archive.search.connections import engine
from archive.search.whoosh.analysis import PAIRS_FIELD
from tests.conftest import add_statement
from tests.factories import ActorFactory, ArticleFactory, SourceFactory
from tests.search_fixtures import reindex

pytest_plugins = ["tests.search_fixtures"]

pytestmark = pytest.mark.django_db


def outcome_of(client, **params):
    response = client.get(reverse("search:search"), params)
    assert response.status_code == 200
    return response.context["outcome"]


def keys(outcome) -> list[tuple[str, int]]:
    return [(hit.type, hit.pk) for hit in outcome.results]


@pytest.fixture
def envoy_world(search_index):
    """An envoy with aliases, a fragment and substantial statements of his, and an article about him."""
    usg = ActorFactory(name="United States government", kind=Actor.Kind.GOVERNMENT)
    envoy = ActorFactory(name="Zalmay Khalilzad", affiliation=usg, role="US special envoy")
    for name in ("Zalmay Khalilzad", "Khalilzad", "Zalmay Mamozy Khalilzad"):
        Alias.objects.create(actor=envoy, name=name)
    mujahid = ActorFactory(name="Zabihullah Mujahid", role="Taliban spokesman")
    for name in ("Zabihullah Mujahid", "Mujahid"):
        Alias.objects.create(actor=mujahid, name=name)
    profile = ArticleFactory(
        title="Khalilzad returns to Doha for another round",
        body=(
            "Zalmay Khalilzad flew back to Doha on Monday to restart the talks.\n\n"
            "“Difficult situation,” Khalilzad said of the week behind him.\n\n"
            "“We have agreed in principle on the framework, and the remaining questions are the timing of "
            "the withdrawal and the guarantees against terrorism that both sides must accept,” "
            "Khalilzad said.\n\n"
            "“Nothing has been agreed until everything is agreed,” Mujahid said."
        ),
    )
    fragment = add_statement(profile, envoy, "Difficult situation")
    substantial = add_statement(
        profile,
        envoy,
        "We have agreed in principle on the framework, and the remaining questions are the timing of the "
        "withdrawal and the guarantees against terrorism that both sides must accept",
    )
    add_statement(profile, mujahid, "Nothing has been agreed until everything is agreed")
    reindex()
    return {"envoy": envoy, "mujahid": mujahid, "profile": profile, "fragment": fragment, "substantial": substantial}


# --- ranking -------------------------------------------------------------------------------------------


def test_search_naming_an_actor_shows_their_entry_then_substantial_statements_before_fragments(client, envoy_world):
    order = keys(outcome_of(client, q="Khalilzad"))
    assert order[0] == ("actor", envoy_world["envoy"].pk)
    assert order.index(("statement", envoy_world["substantial"].pk)) < order.index(
        ("statement", envoy_world["fragment"].pk)
    )


def test_search_actor_entry_first_and_nothing_lost_or_repeated_across_pages(envoy_world):
    from archive.search.selectors import search

    whole = [(h.type, h.pk) for h in search({"q": "Khalilzad"}).results]
    assert whole[0] == ("actor", envoy_world["envoy"].pk)
    paged = []
    for page in range(1, -(-len(whole) // 2) + 1):
        outcome = search({"q": "Khalilzad", "page": str(page)}, per_page=2)
        paged.extend((h.type, h.pk) for h in outcome.results)
    assert outcome.total == len(whole)
    assert paged == whole


def test_search_curated_envoy_ranks_his_entry_first_and_trivia_out_of_the_top(client, corpus, search_index):
    reindex()
    outcome = outcome_of(client, q="Khalilzad")
    first = outcome.results[0]
    assert (first.type, first.object.slug) == ("actor", "zalmay-khalilzad")
    top_texts = [hit.object.text for hit in outcome.results[:5] if hit.type == "statement"]
    assert "wearing only a towel" not in top_texts
    assert "difficult situation" not in top_texts


# --- variants ------------------------------------------------------------------------------------------


@pytest.fixture
def variants_world(search_index):
    spelled = {
        "joined": ArticleFactory(title="A ceasefire is agreed", body="The ceasefire holds.\n\nTalks go on."),
        "hyphen": ArticleFactory(title="A cease-fire is agreed", body="The cease-fire holds.\n\nTalks go on."),
        "spaced": ArticleFactory(title="A cease fire is agreed", body="The cease fire holds.\n\nTalks go on."),
        "qaeda": ArticleFactory(title="Ties to al-Qaeda", body="The group cut its ties with al-Qaeda."),
        "qaida": ArticleFactory(title="Ties to Al Qaida", body="Al Qaida’s leaders were not named."),
        "accent": ArticleFactory(title="Tōlō reports", body="The channel Tōlō reported it first."),
        "apostrophe": ArticleFactory(title="Baradar’s message", body="Mullah Baradar’s message was read out."),
    }
    reindex()
    return spelled


@pytest.mark.parametrize("q", ["ceasefire", "cease-fire", "cease fire", '"cease fire"', '"cease-fire is agreed"'])
def test_search_ceasefire_spellings_find_each_other(client, variants_world, q):
    found = set(keys(outcome_of(client, q=q)))
    assert {("article", variants_world[k].pk) for k in ("joined", "hyphen", "spaced")} <= found


@pytest.mark.parametrize("q", ["al-Qaeda", "al Qaeda", "Al-Qaida", "Qaeda", "al Qaida"])
def test_search_al_qaeda_spellings_find_each_other(client, variants_world, q):
    found = set(keys(outcome_of(client, q=q)))
    assert {("article", variants_world["qaeda"].pk), ("article", variants_world["qaida"].pk)} <= found


def test_search_diacritics_and_quote_marks_are_folded(client, variants_world):
    assert ("article", variants_world["accent"].pk) in keys(outcome_of(client, q="tolo"))
    assert ("article", variants_world["apostrophe"].pk) in keys(outcome_of(client, q='"Baradar\'s message"'))


def test_search_marks_the_folded_variant_in_the_snippet(client, variants_world):
    outcome = outcome_of(client, q="ceasefire")
    snippets = {hit.pk: str(hit.snippet) for hit in outcome.results}
    assert "<mark>cease-fire</mark>" in snippets[variants_world["hyphen"].pk]
    assert "<mark>cease fire</mark>" in snippets[variants_world["spaced"].pk]


def test_search_a_transliteration_of_an_actors_name_finds_them(client, envoy_world):
    outcome = outcome_of(client, q="Mujahed")
    assert outcome.actor == envoy_world["mujahid"]
    assert any("searched as the name “mujahid”" in message for message in outcome.messages)


# --- synonyms and "Did you mean" -----------------------------------------------------------------------


def test_search_synonym_is_searched_with_a_visible_note_and_never_corrected(client, variants_world):
    response = client.get(reverse("search:search"), {"q": "truce"})
    outcome = response.context["outcome"]
    assert outcome.also_searched == [("truce", ["ceasefire"])]
    assert outcome.suggestion is None
    assert ("article", variants_world["joined"].pk) in keys(outcome)
    assert "Also searched: <strong>ceasefire</strong>" in response.content.decode()


def test_search_synonym_an_editor_adds_applies_to_the_next_search(client, variants_world):
    assert not keys(outcome_of(client, q="armistice"))
    SearchSynonym.objects.create(term="armistice", synonym="ceasefire")
    assert ("article", variants_world["joined"].pk) in keys(outcome_of(client, q="armistice"))


def test_search_did_you_mean_offers_an_actors_name(client, envoy_world):
    assert outcome_of(client, q="Khalilzhad").suggestion == "Khalilzad"


# --- field filters and facets --------------------------------------------------------------------------


@pytest.mark.parametrize("value", ['"al jazeera"', "al-jazeera", "jazeera", '"Al Jazeera"'])
def test_search_source_filter_takes_a_name_or_slug_quoted_or_not_and_credited_sources(client, search_index, value):
    site = SourceFactory(name="Taliban news")
    wire = SourceFactory(name="Al Jazeera")
    carried = ArticleFactory(title="Talks resume", source=site, body="Talks resumed in Doha.")
    carried.credited_sources.add(wire)
    other = ArticleFactory(title="Talks stall", source=site, body="Talks stalled in Doha.")
    reindex()
    found = keys(outcome_of(client, q=f"talks source:{value}"))
    assert ("article", carried.pk) in found
    assert ("article", other.pk) not in found


@pytest.mark.parametrize("query", ["source:al jazeera talks", "talks source:Al Jazeera", "talks -source:al arabiya"])
def test_search_source_filter_takes_a_name_of_several_words_unquoted(client, search_index, query):
    jazeera = SourceFactory(name="Al Jazeera")
    arabiya = SourceFactory(name="Al Arabiya")
    one = ArticleFactory(title="Talks resume", source=jazeera, body="Talks resumed in Doha.")
    ArticleFactory(title="Talks stall", source=arabiya, body="Talks stalled in Doha.")
    reindex()
    outcome = outcome_of(client, q=query)
    assert set(keys(outcome)) == {("article", one.pk)}
    assert not any("searched as words" in message for message in outcome.messages)


def test_search_filter_leaves_following_words_that_complete_no_name(client, search_index):
    jazeera = SourceFactory(name="Al Jazeera")
    ArticleFactory(title="Talks resume", source=jazeera, body="Talks resumed in Doha.")
    hit = ArticleFactory(title="Prisoners freed", source=jazeera, body="Prisoners were freed in Kabul.")
    reindex()
    outcome = outcome_of(client, q="source:al jazeera prisoners")
    assert set(keys(outcome)) == {("article", hit.pk)}


def test_search_speaker_facet_counts_speakers_of_matching_statements_only(client, search_index):
    envoy = ActorFactory(name="Zalmay Khalilzad")
    adviser = ActorFactory(name="Jake Sullivan")
    article = ArticleFactory(
        title="Prisoner release debated",
        body="“The prisoner release must go on,” Khalilzad said.\n\n“We watch the region,” Sullivan said.",
    )
    add_statement(article, envoy, "The prisoner release must go on")
    add_statement(article, adviser, "We watch the region")
    reindex()
    outcome = outcome_of(client, q="prisoner release")
    speakers = {v.value: v.count for v in outcome.facets["speaker"]}
    mentioned = {v.value: v.count for v in outcome.facets["mentioned"]}
    assert speakers == {envoy.slug: 1}
    assert mentioned == {envoy.slug: 1, adviser.slug: 1}
    narrowed = outcome_of(client, q="prisoner release", mentioned=adviser.slug)
    assert keys(narrowed) == [("article", article.pk)]


# --- phrases of common words ---------------------------------------------------------------------------


def test_search_phrase_of_common_words_matches_only_adjacent_words(client, search_index):
    adjacent = ArticleFactory(title="One", body="Officials could over time agree.")
    apart = ArticleFactory(title="Two", body="Over the years officials could agree.")
    reindex()
    assert keys(outcome_of(client, q='"could over"')) == [("article", adjacent.pk)]
    backend = connections["default"].get_backend()
    searcher = backend.searcher()
    assert searcher.doc_frequency(PAIRS_FIELD, "could over") == 1
    assert ("article", apart.pk) in keys(outcome_of(client, q="could over"))


def test_search_phrase_with_one_common_word_is_its_pair_term(client, search_index):
    adjacent = ArticleFactory(title="One", body="The talks went over qaeda links at length.")
    apart = ArticleFactory(title="Two", body="Qaeda links were raised over and over again.")
    rare = ArticleFactory(title="Three", body="The heron flew over qaeda country, the report says.")
    reindex()
    searcher = connections["default"].get_backend().searcher()
    assert searcher.doc_frequency(PAIRS_FIELD, "over qaeda") == 2
    assert searcher.doc_frequency(PAIRS_FIELD, "heron flew") == 0  # neither word is common
    assert set(keys(outcome_of(client, q='"over qaeda"'))) == {("article", adjacent.pk), ("article", rare.pk)}
    assert keys(outcome_of(client, q='"heron flew over qaeda"')) == [("article", rare.pk)]
    assert ("article", apart.pk) in keys(outcome_of(client, q="over qaeda"))


def test_search_long_phrase_of_common_words_checks_positions(client, search_index):
    exact = ArticleFactory(title="One", body="They said they would not agree.")
    scattered = ArticleFactory(title="Two", body="They would, they said. Not agree.")
    reindex()
    assert keys(outcome_of(client, q='"said they would not"')) == [("article", exact.pk)]
    assert ("article", scattered.pk) in keys(outcome_of(client, q="said they would not"))


# --- warming up ----------------------------------------------------------------------------------------


def test_search_warm_up_loads_every_segments_caches_and_renders_a_page(archive):
    from archive.search.warmup import warm_up

    backend = connections["default"].get_backend()
    backend.setup()
    warm_up()
    for sub, _ in backend.searcher().leaf_searchers():
        cache = backend.segment_cache(sub.reader())
        assert "live" in cache and "priors" in cache
        assert ("values", "said_by") in cache and ("lengths", backend.content_field_name) in cache


def test_search_warm_up_for_a_worker_freezes_the_heap_for_the_collector(archive):
    # A worker's long-lived objects leave the cyclic collector's scans (gc.freeze), so a full collection
    # does not stall the search it falls on.
    import gc

    from archive.search.warmup import warm_up

    assert gc.get_freeze_count() == 0
    try:
        warm_up(freeze=True)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
    warm_up()
    assert gc.get_freeze_count() == 0


def test_search_engine_warm_is_part_of_the_boundary(search_index):
    engine().warm()  # an empty index warms without error
    ArticleFactory(title="Peace", body="Peace talks.", published_date=datetime.date(2020, 1, 1))
    reindex()
    engine().warm()


def test_search_crediting_a_source_reindexes_the_article_and_its_statements(
    client, search_index, django_capture_on_commit_callbacks
):
    site = SourceFactory(name="Taliban news")
    wire = SourceFactory(name="Agence France-Presse")
    speaker = ActorFactory(name="Suhail Shaheen")
    article = ArticleFactory(title="Talks resume", source=site, body="“Talks resume today,” Shaheen said.")
    statement = add_statement(article, speaker, "Talks resume today")
    reindex()
    assert keys(outcome_of(client, q="talks", source=wire.slug)) == []
    with django_capture_on_commit_callbacks(execute=True):
        article.credited_sources.add(wire)
    found = set(keys(outcome_of(client, q="talks", source=wire.slug)))
    assert found == {("article", article.pk), ("statement", statement.pk)}


def test_search_phrase_of_ubiquitous_words_scores_without_decoding_their_frequencies(client, search_index, monkeypatch):
    # On a large index a phrase of two words found nearly everywhere counts each once in the documents of
    # its pair term; here the thresholds are lowered so the small index takes that path.
    from archive.search.whoosh import matching, scoring
    from archive.search.whoosh.store import SEGMENT_CACHE

    short = ArticleFactory(title="One", body="Officials could over time agree.")
    long = ArticleFactory(title="Two", body="Officials could over time agree, " + "and talked at length " * 30 + ".")
    ArticleFactory(title="Three", body="Over the years officials could agree.")
    reindex()
    exact = keys(outcome_of(client, q='"could over"'))
    decoded = []
    original = matching.decode_postings
    monkeypatch.setattr(
        matching, "decode_postings", lambda reader, field, text: decoded.append(text) or original(reader, field, text)
    )
    monkeypatch.setattr(scoring, "UBIQUITOUS_POSTINGS", 1)
    monkeypatch.setattr(scoring, "UBIQUITOUS_SHARE", 0.0)
    SEGMENT_CACHE.clear()  # nothing decoded yet, as on a fresh worker
    shortcut = keys(outcome_of(client, q='"could over"'))
    assert set(shortcut) == set(exact) == {("article", short.pk), ("article", long.pk)}
    assert shortcut[0] == ("article", short.pk)  # the shorter document still ranks first
    assert "could" not in decoded and "over" not in decoded
