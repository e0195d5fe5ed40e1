"""Resolve and topics stages: aliases loaded once, new speakers marked for review, topic keywords."""

import pytest

from archive.ingest.resolve import AliasIndex, display_name
from archive.ingest.topics import TopicMatcher
from archive.models import Actor, Alias, Topic
from tests.factories import ActorFactory, AliasFactory


@pytest.mark.django_db
def test_alias_index_resolves_spellings_and_titles_without_queries(django_assert_num_queries):
    actor = ActorFactory(name="Zalmay Khalilzad")
    AliasFactory(actor=actor, name="Zalmay Khalilzad")
    AliasFactory(actor=actor, name="Khalilzad")
    index = AliasIndex()
    with django_assert_num_queries(0):
        assert index.resolve("Zalmai Khalilzad") == actor
        assert index.resolve("US Special Envoy Zalmay Khalilzad") == actor
        assert index.resolve("Mr. Khalilzad") == actor
        assert index.resolve("ZALMAY  KHALILZAD") == actor
        assert index.resolve("Ned Price") is None


@pytest.mark.django_db
def test_alias_index_creates_unknown_speaker_for_review_once():
    index = AliasIndex()
    first = index.get_or_create("Taliban spokesman Suhail Shaheen", role="Taliban spokesman")
    again = index.get_or_create("Suhail Shaheen")
    assert first == again
    assert first.name == "Suhail Shaheen"
    assert first.needs_review is True
    assert first.role == "Taliban spokesman"
    assert list(Alias.objects.filter(actor=first).values_list("name", flat=True)) == ["Suhail Shaheen"]
    assert Actor.objects.count() == 1


def test_display_name_drops_leading_titles_only():
    assert display_name("Secretary of State Mike Pompeo") == "Mike Pompeo"
    assert display_name("Mr. Ghani") == "Ghani"
    assert display_name("State Department") == "State Department"
    assert display_name("Qatar’s Ministry of Foreign Affairs") == "Qatar's Ministry of Foreign Affairs"


@pytest.mark.django_db
def test_topic_matcher_uses_keywords_on_word_boundaries():
    matcher = TopicMatcher()
    ceasefire = Topic.objects.get(slug="ceasefire")
    sanctions = Topic.objects.get(slug="sanctions")
    assert ceasefire in matcher.for_statement("They called for a cease-fire before the talks.")
    assert ceasefire not in matcher.for_statement("The ceasefires are in the plural but the word is ceasefire-ish.")
    assert sanctions not in matcher.for_statement("Blacklisted names are not a keyword match.")
    article = matcher.for_article("sanctions were discussed. More sanctions followed.", [ceasefire])
    assert article == sorted([ceasefire, sanctions], key=lambda t: t.name)


@pytest.mark.django_db
def test_new_speaker_is_affiliated_with_the_side_its_role_names():
    taliban = ActorFactory(name="Taliban", kind=Actor.Kind.ORGANISATION)
    AliasFactory(actor=taliban, name="Taliban")
    us = ActorFactory(name="United States government", kind=Actor.Kind.GOVERNMENT)
    department = ActorFactory(name="State Department", kind=Actor.Kind.GOVERNMENT, affiliation=us)
    AliasFactory(actor=department, name="State Department")
    index = AliasIndex()
    assert index.get_or_create("Suhail Shaheen", role="Taliban spokesman").affiliation == taliban
    assert index.get_or_create("Ned Price", role="State Department spokesman").affiliation == us
    assert index.get_or_create("Torek Farhadi", role="a political analyst").affiliation is None


@pytest.mark.django_db
def test_place_names_resolve_to_their_side_and_never_become_people():
    us = ActorFactory(name="United States government", kind=Actor.Kind.GOVERNMENT)
    AliasFactory(actor=us, name="United States government")
    index = AliasIndex()
    assert index.resolve("Washington") == us
    assert index.get_or_create("Washington") == us
    # No side known for these places: the speaker stays a description, no actor is created.
    assert index.get_or_create("Islamabad") is None
    assert index.get_or_create("New Delhi") is None
    assert index.get_or_create("Kabul") is None
    assert not Actor.objects.filter(name__in=["Washington", "Islamabad", "New Delhi", "Kabul"]).exists()
    assert Actor.objects.count() == 1


@pytest.mark.django_db
def test_imported_place_speaker_without_side_is_a_description(tmp_path):
    from archive.ingest import import_paths
    from archive.models import Statement

    path = tmp_path / "metonym.txt"
    path.write_text(
        "Pakistan backs the talks | Frontier Daily\n\n"
        "Officials met in Doha on Monday for another round of talks.\n\n"
        "Islamabad said that it would support any agreement reached by the two sides.\n",
        encoding="utf-8",
    )
    import_paths([path])
    statement = Statement.objects.get(text__startswith="it would support")
    assert statement.speaker is None and statement.speaker_description == "Islamabad"
    assert not Actor.objects.filter(name="Islamabad").exists()


@pytest.mark.django_db
def test_alias_matching_ignores_a_leading_the_and_the_dots_of_initials():
    state = ActorFactory(name="State Department", kind=Actor.Kind.GOVERNMENT)
    AliasFactory(actor=state, name="US Department of State")
    index = AliasIndex()
    assert index.resolve("The US department of state") == state
    assert index.resolve("the U.S. Department of State") == state
    assert index.resolve("US Department of State's") == state


@pytest.mark.django_db
def test_no_actor_is_created_from_what_is_not_a_name():
    index = AliasIndex()
    for phrase in ["On Sunday", "He", "US", "U.S", "The Taliban have long", "a decree signed by President Ghani late"]:
        assert index.get_or_create(phrase) is None, phrase
    assert not Actor.objects.exists()


def test_is_real_name_accepts_names_with_particles_and_initials():
    from archive.ingest.resolve import is_real_name

    assert is_real_name("Mohammed bin Abdulrahman al-Thani")
    assert is_real_name("Kenneth F. McKenzie Jr.")
    assert not is_real_name("Last week")
    assert not is_real_name("UN")


@pytest.mark.django_db
def test_new_actor_kind_comes_from_its_words():
    index = AliasIndex()
    assert index.get_or_create("Afghan Ministry of Interior").kind == Actor.Kind.GOVERNMENT
    assert index.get_or_create("Human Rights Watch Foundation").kind == Actor.Kind.ORGANISATION
    assert index.get_or_create("Uzbekistan").kind == Actor.Kind.COUNTRY
    assert index.get_or_create("Nader Nadery").kind == Actor.Kind.PERSON


@pytest.mark.django_db
def test_spelling_variant_is_a_possible_duplicate_alias_of_the_known_actor():
    baradar = ActorFactory(name="Abdul Ghani Baradar")
    AliasFactory(actor=baradar, name="Mullah Baradar")
    mujahid = ActorFactory(name="Zabihullah Mujahid")
    AliasFactory(actor=mujahid, name="Zabihullah Mujahid")
    thani = ActorFactory(name="Mohammed bin Abdulrahman Al Thani")
    AliasFactory(actor=thani, name="Mohammed bin Abdulrahman Al Thani")
    index = AliasIndex()
    assert index.get_or_create("Mullah Barader") == baradar
    assert index.get_or_create("Zabihullah Mujahed") == mujahid
    assert index.get_or_create("Abdulrahman Al-Thani") == thani
    assert Actor.objects.count() == 3
    flagged = Alias.objects.filter(possible_duplicate=True)
    assert sorted(flagged.values_list("name", flat=True)) == ["Abdulrahman Al-Thani", "Barader", "Zabihullah Mujahed"]
    # A different name with other consonants is someone else.
    assert index.get_or_create("Mohammad Naeem") not in (baradar, mujahid, thani)


@pytest.mark.django_db
def test_rolled_back_variant_alias_is_forgotten():
    baradar = ActorFactory(name="Abdul Ghani Baradar")
    AliasFactory(actor=baradar, name="Mullah Baradar")
    index = AliasIndex()
    mark = index.mark()
    assert index.get_or_create("Barader") == baradar
    index.rollback(mark)
    assert "barader" not in index.actors
    assert index.resolve("Mullah Baradar") == baradar


@pytest.mark.django_db
def test_definite_description_resolves_through_aliases_and_the_roles_of_named_actors():
    khalilzad = ActorFactory(
        name="Zalmay Khalilzad", kind=Actor.Kind.PERSON, role="US Special Representative for Afghanistan"
    )
    AliasFactory(actor=khalilzad, name="Zalmay Khalilzad")
    state = ActorFactory(name="State Department", kind=Actor.Kind.GOVERNMENT)
    AliasFactory(actor=state, name="US Department of State")
    index = AliasIndex()
    body = "Zalmay Khalilzad arrived in Kabul on Monday."
    assert index.for_description("the US envoy", body) == khalilzad
    assert index.for_description("The US department of state", body) == state
    # Only actors the article names are candidates, and indefinite descriptions stay anonymous.
    assert index.for_description("the US envoy", "Talks resumed in Doha.") is None
    assert index.for_description("a US envoy", body) is None
