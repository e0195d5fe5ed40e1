"""Fixtures for the search tests: a fresh Whoosh index and a small archive with names, topics and dates."""

import datetime

import pytest
from haystack import connections

from archive.models import Actor, Alias, Article, Statement
from archive.search.suggestions import forget_name_words
from tests.conftest import add_statement
from tests.factories import ActorFactory, ArticleFactory, SourceFactory, TopicFactory


def reindex():
    """Index every public object, as `update_index` does."""
    unified = connections["default"].get_unified_index()
    backend = connections["default"].get_backend()
    for index in unified.get_indexes().values():
        backend.update(index, list(index.index_queryset()))


@pytest.fixture
def search_index(db):
    """An empty index for the test (and no name words cached by an earlier test's actors)."""
    forget_name_words()
    backend = connections["default"].get_backend()
    backend.clear()
    return backend


@pytest.fixture
def archive(search_index):
    """Two sides, an envoy and a Taliban leader with aliases, five articles over three years, indexed."""
    ceasefire = TopicFactory(name="Ceasefire")
    prisoners = TopicFactory(name="Prisoner release")
    usg = ActorFactory(name="United States government", kind=Actor.Kind.GOVERNMENT)
    taliban = ActorFactory(name="Taliban", kind=Actor.Kind.ORGANISATION, description="The Islamic Emirate.")
    envoy = ActorFactory(name="Zalmay Khalilzad", affiliation=usg, role="US special envoy for Afghan reconciliation")
    for name in ("Zalmay Khalilzad", "Khalilzad", "US envoy"):
        Alias.objects.create(actor=envoy, name=name)
    baradar = ActorFactory(name="Abdul Ghani Baradar", affiliation=taliban, role="Head of the political office")
    for name in ("Abdul Ghani Baradar", "Baradar"):
        Alias.objects.create(actor=baradar, name=name)
    Alias.objects.create(actor=taliban, name="Taliban")
    aljazeera = SourceFactory(name="Al Jazeera")
    afp = SourceFactory(name="AFP")

    doha = ArticleFactory(
        title="Envoy hopeful as negotiations resume in Doha",
        source=aljazeera,
        published_date=datetime.date(2019, 9, 2),
        body=(
            "Negotiations resumed in Doha on Monday after a pause.\n\n"
            "“We are closer than ever to an agreement,” Mr Khalilzad told reporters.\n\n"
            "Diplomats said the prisoner release remained the hardest question."
        ),
    )
    doha.topics.add(prisoners)
    truce = ArticleFactory(
        title="Taliban reject truce call",
        source=afp,
        published_date=datetime.date(2020, 6, 15),
        body=(
            "The group answered in a statement on Sunday.\n\n"
            "“There will be no ceasefire before the foreign forces leave,” Mullah Baradar said.\n\n"
            "Prisoners were released in small groups, officials said."
        ),
    )
    truce.topics.add(ceasefire, prisoners)
    signing = ArticleFactory(
        title="Deal signed after long talks",
        source=afp,
        published_date=datetime.date(2020, 2, 29),
        body=(
            "The agreement was signed in Doha.\n\n"
            "“This is a day of hope for every Afghan,” the envoy said.\n\n"
            "A ceasefire was not part of the deal."
        ),
    )
    signing.topics.add(ceasefire)
    later = ArticleFactory(
        title="Withdrawal completed",
        source=aljazeera,
        published_date=datetime.date(2021, 8, 31),
        body="The last troops left Kabul.\n\n“The war is over,” a Taliban spokesman said.\n\nStreets were quiet.",
    )
    draft = ArticleFactory(
        title="Unpublished draft about a secret channel",
        status=Article.Status.DRAFT,
        body="Draft.\n\n“A secret channel exists,” the envoy said.\n\nMore to follow.",
    )
    statements = {
        "envoy_doha": add_statement(doha, envoy, "We are closer than ever to an agreement", said_to="reporters"),
        "baradar_truce": add_statement(truce, baradar, "There will be no ceasefire before the foreign forces leave"),
        "envoy_signing": add_statement(signing, envoy, "This is a day of hope for every Afghan"),
        "taliban_later": add_statement(later, taliban, "The war is over"),
        "rejected": add_statement(
            truce,
            None,
            "Prisoners were released in small groups",
            speaker_description="officials",
            review_status=Statement.ReviewStatus.REJECTED,
        ),  # fmt: skip
        "draft": add_statement(draft, envoy, "A secret channel exists"),
    }
    statements["baradar_truce"].topics.add(ceasefire)
    reindex()
    return {
        "ceasefire": ceasefire,
        "prisoners": prisoners,
        "usg": usg,
        "taliban": taliban,
        "envoy": envoy,
        "baradar": baradar,
        "aljazeera": aljazeera,
        "afp": afp,
        "doha": doha,
        "truce": truce,
        "signing": signing,
        "later": later,
        "draft": draft,
        **statements,
    }
