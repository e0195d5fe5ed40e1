"""Shared fixtures: a small public archive built from factories, and the curated corpus."""

import datetime
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from archive.models import Actor, Article, Statement
from tests.apidata import build_world
from tests.factories import ActorFactory, ArticleFactory, SourceFactory, TopicFactory


def site_environment(folder: Path) -> dict:
    """Environment for a `manage.py` subprocess with its own SQLite database and index in `folder`."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "ELASTICSEARCH_URL"}}
    env.update(
        ARCHIVE_VAR_DIR=str(folder),
        WHOOSH_PATH=str(folder / "index"),
        DJANGO_SETTINGS_MODULE="archive.settings",
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def add_statement(article, speaker, words, **fields):
    """A statement on `words`, which must occur once in the article body."""
    start = article.body.index(words)
    return Statement.objects.create(
        article=article, speaker=speaker, text=words, start=start, end=start + len(words), **fields
    )


@pytest.fixture
def site_data(db):
    """Two sides with members, three articles (one a draft), statements on two topics, one anonymous."""
    ceasefire = TopicFactory(name="Ceasefire")
    withdrawal = TopicFactory(name="Troop withdrawal")
    usg = ActorFactory(name="United States government", kind=Actor.Kind.GOVERNMENT)
    taliban = ActorFactory(name="Taliban", kind=Actor.Kind.ORGANISATION)
    envoy = ActorFactory(name="Zalmay Khalilzad", affiliation=usg, role="US envoy")
    spokesman = ActorFactory(name="Zabihullah Mujahid", affiliation=taliban, role="Taliban spokesman")
    aljazeera = SourceFactory(name="Al Jazeera")
    afp = SourceFactory(name="AFP")
    first = ArticleFactory(
        title="Envoy hopeful as talks resume",
        source=aljazeera,
        published_date=datetime.date(2020, 2, 10),
        byline="By Jane Reporter",
        dateline="Doha, Qatar",
        body=(
            "Talks resumed in Doha on Monday.\n\n"
            "“We are closer than ever to a deal,” the envoy said, adding that a ceasefire must come first.\n\n"
            "The Taliban said foreign forces must leave. A person familiar with the talks said progress was slow."
        ),
    )
    first.topics.add(ceasefire, withdrawal)
    first.credited_sources.add(afp)
    second = ArticleFactory(
        title="Taliban reject truce call",
        source=afp,
        published_date=datetime.date(2021, 3, 1),
        date_precision=Article.DatePrecision.MONTH,
        body="The group answered in a statement.\n\n“There will be no ceasefire before withdrawal,” it said.",
    )
    second.topics.add(ceasefire)
    draft = ArticleFactory(
        title="Unpublished draft on secret talks",
        status=Article.Status.DRAFT,
        body="Draft text.\n\n“A secret deal is near,” the envoy said.",
    )
    s1 = add_statement(first, envoy, "We are closer than ever to a deal", medium="interview", said_to="Al Jazeera")
    s1.topics.add(ceasefire)
    s2 = add_statement(first, envoy, "a ceasefire must come first", kind=Statement.Kind.INDIRECT)
    s2.topics.add(ceasefire)
    s3 = add_statement(first, taliban, "foreign forces must leave", kind=Statement.Kind.INDIRECT)
    s3.topics.add(withdrawal)
    anonymous = add_statement(
        first, None, "progress was slow", speaker_description="a person familiar with the talks", kind="indirect"
    )
    anonymous.topics.add(ceasefire)
    s4 = add_statement(second, spokesman, "There will be no ceasefire before withdrawal", medium="statement")
    s4.topics.add(ceasefire, withdrawal)
    rejected = add_statement(second, spokesman, "The group answered", review_status="rejected")
    rejected.topics.add(ceasefire)
    hidden = add_statement(draft, envoy, "A secret deal is near")
    hidden.topics.add(ceasefire)
    return {
        "ceasefire": ceasefire,
        "withdrawal": withdrawal,
        "usg": usg,
        "taliban": taliban,
        "envoy": envoy,
        "spokesman": spokesman,
        "aljazeera": aljazeera,
        "afp": afp,
        "first": first,
        "second": second,
        "draft": draft,
        "s1": s1,
        "s2": s2,
        "s3": s3,
        "s4": s4,
        "anonymous": anonymous,
        "rejected": rejected,
        "hidden": hidden,
    }


@pytest.fixture
def corpus(db):
    """The curated corpus, loaded as `manage.py load_corpus` loads it."""
    call_command("load_corpus", verbosity=0)


@pytest.fixture
def editor(db):
    """A staff account in the Editor group (the group comes from a data migration)."""
    user = get_user_model().objects.create_user("editor", "editor@example.org", "a-long-pass-phrase", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def no_throttle(settings):
    """API requests unthrottled, with an empty cache before and after (the throttle counts in the cache)."""
    settings.API_ANON_RATE = "off"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    """The small archive of the API, export and dump tests (tests/apidata.py)."""
    return build_world()


@pytest.fixture
def api():
    """An anonymous client of the site and its API."""
    return Client()
