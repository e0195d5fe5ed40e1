"""The speaker's role on a statement's date in the JSON API, the exports and the search results, and the
dated roles of actors in the API; list pages read every speaker's roles in one query, whatever the rows."""

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import DatePrecision
from tests.conftest import add_statement
from tests.factories import ActorFactory, ActorRoleFactory, ArticleFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def secretaries(db):
    us = ActorFactory(name="United States government", kind="government")
    state = ActorFactory(name="State Department", kind="government", affiliation=us)
    pompeo = ActorFactory(name="Mike Pompeo", affiliation=us, role="top US diplomat")
    blinken = ActorFactory(name="Antony Blinken", affiliation=us, role="US Secretary of State")
    anonymous_article = ArticleFactory(body="Opening.\n\n“Nothing is agreed yet,” an official said.\n\nEnd.")
    ActorRoleFactory(
        actor=pompeo,
        title="Secretary of State",
        organisation=state,
        start_date=D(2018, 4, 1),
        start_precision=DatePrecision.MONTH,
        end_date=D(2021, 1, 20),
        end_precision=DatePrecision.DAY,
        source_note="US State Department biography",
    )
    ActorRoleFactory(actor=blinken, title="Secretary of State", organisation=state, start_date=D(2021, 1, 26))
    said = {}
    for name, actor, date in (("pompeo", pompeo, D(2020, 2, 29)), ("blinken", blinken, D(2021, 3, 2))):
        article = ArticleFactory(
            title=f"Remarks by {name}",
            body=f"Opening.\n\n“The process must go on, said {name},” the report went.\n\nEnd.",
            published_date=date,
        )
        said[name] = add_statement(article, actor, f"The process must go on, said {name},")
    said["anonymous"] = add_statement(
        anonymous_article, None, "Nothing is agreed yet,", speaker_description="an official"
    )
    return {"pompeo_actor": pompeo, "blinken_actor": blinken, **said}


def get_json(client, url):
    response = client.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_api_statement_has_the_speaker_role_on_its_date(api, secretaries):
    data = get_json(api, reverse("api:statement-detail", args=[secretaries["pompeo"].pk]))
    role = data["speaker_role"]
    assert role["label"] == "Secretary of State, State Department" and role["dated"] is True
    (held,) = role["roles"]
    assert held["title"] == "Secretary of State"
    assert (held["start_date"], held["start_precision"]) == ("2018-04", "month")
    assert (held["end_date"], held["end_precision"]) == ("2021-01-20", "day")
    assert held["organisation"]["slug"] == "state-department"
    assert held["source_note"] == "US State Department biography"
    data = get_json(api, reverse("api:statement-detail", args=[secretaries["anonymous"].pk]))
    assert data["speaker_role"] is None


def test_api_actor_lists_its_dated_roles(api, secretaries):
    data = get_json(api, reverse("api:actor-detail", args=[secretaries["blinken_actor"].slug]))
    assert data["role"] == "US Secretary of State"
    assert [(r["title"], r["start_date"], r["end_date"]) for r in data["roles"]] == [
        ("Secretary of State", "2021-01-26", None)
    ]


def more_speakers_with_roles(n: int):
    side = ActorFactory(name=f"Side for {n}", kind="government")
    for i in range(n):
        actor = ActorFactory(affiliation=side)
        ActorRoleFactory(actor=actor, title=f"Envoy {i}", start_date=D(2019, 1, 1))
        article = ArticleFactory(body=f"Opening.\n\n“We talk on, round {n}-{i},” said the envoy.\n\nEnd.")
        add_statement(article, actor, f"We talk on, round {n}-{i},")


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        get_json(client, url)
    return len(queries)


@pytest.mark.parametrize("name", ["api:statement-list", "api:actor-list"])
def test_api_list_queries_do_not_grow_with_speakers_roles(api, secretaries, name):
    url = reverse(name) + "?page_size=100"
    before = count_queries(api, url)
    more_speakers_with_roles(8)
    after = count_queries(api, url)
    assert after == before
    assert len(get_json(api, url)["results"]) >= 11


def test_csv_export_has_the_role_on_the_date(api, secretaries):
    response = api.get(reverse("api:statement-export", args=["csv"]))
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))}
    pompeo, blinken = rows[str(secretaries["pompeo"].pk)], rows[str(secretaries["blinken"].pk)]
    assert (pompeo["speaker_role"], pompeo["speaker_role_dated"]) == ("Secretary of State, State Department", "True")
    assert blinken["speaker_role"] == "Secretary of State, State Department"
    anonymous = rows[str(secretaries["anonymous"].pk)]
    assert (anonymous["speaker_role"], anonymous["speaker_role_dated"]) == ("", "False")


def test_json_export_of_an_actor_has_the_role_on_each_date(api, secretaries):
    response = api.get(reverse("api:actor-statements-export", args=[secretaries["pompeo_actor"].slug, "json"]))
    (row,) = json.loads(b"".join(response.streaming_content))
    assert row["speaker_role"] == "Secretary of State, State Department" and row["speaker_role_dated"] is True


def test_export_falls_back_to_the_coverage_role_without_dated_roles(api, db):
    actor = ActorFactory(name="Zabihullah Mujahid", role="Taliban spokesman")
    article = ArticleFactory(body="Opening.\n\n“We will talk again,” a spokesman said.\n\nEnd.")
    add_statement(article, actor, "We will talk again,")
    response = api.get(reverse("api:statement-export", args=["json"]))
    (row,) = json.loads(b"".join(response.streaming_content))
    assert row["speaker_role"] == "Taliban spokesman" and row["speaker_role_dated"] is False


def test_export_queries_do_not_grow_with_speakers_roles(api, secretaries):
    url = reverse("api:statement-export", args=["ndjson"])

    def run():
        with CaptureQueriesContext(connection) as queries:
            lines = b"".join(api.get(url).streaming_content).splitlines()
        return len(queries), lines

    before, _ = run()
    more_speakers_with_roles(8)
    after, lines = run()
    assert after == before and len(lines) == 11
