"""Search by the speaker's role: the role held on the statement's date (and the coverage's wording of
it) is indexed as words, found by the `role` GET parameter and `role:` in the query; a role changed by
an editor re-indexes the speaker's statements."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import ActorRole, DatePrecision
from tests.conftest import add_statement
from tests.factories import ActorFactory, ActorRoleFactory, ArticleFactory
from tests.search_fixtures import reindex

pytest_plugins = ["tests.search_fixtures"]

D = datetime.date


def said(actor, words, date, precision=DatePrecision.DAY):
    article = ArticleFactory(
        title=f"Coverage: {words}",
        body=f"Opening lines.\n\n“{words},” the speaker told reporters.\n\nClosing lines.",
        published_date=date,
        date_precision=precision,
    )
    return add_statement(article, actor, f"{words},", review_status="verified")


@pytest.fixture
def roles_archive(search_index):
    taliban = ActorFactory(name="Taliban", kind="organisation")
    us = ActorFactory(name="United States government", kind="government")
    mujahid = ActorFactory(name="Zabihullah Mujahid", affiliation=taliban, role="")
    ActorRoleFactory(
        actor=mujahid, title="Spokesman of the Taliban", organisation=taliban, start_date=D(2021, 1, 1),
        start_precision=DatePrecision.YEAR,
    )  # fmt: skip
    ActorRoleFactory(
        actor=mujahid, title="Deputy of the cultural commission", start_date=D(2015, 1, 1),
        start_precision=DatePrecision.YEAR, end_date=D(2020, 1, 1), end_precision=DatePrecision.YEAR,
    )  # fmt: skip
    price = ActorFactory(name="Ned Price", affiliation=us, role="")
    ActorRoleFactory(actor=price, title="State Department spokeswoman's deputy", start_date=None,
                     start_precision=DatePrecision.UNKNOWN, end_date=D(2020, 12, 31), end_precision=DatePrecision.DAY)  # fmt: skip
    ActorRoleFactory(actor=price, title="State Department spokesperson", start_date=D(2021, 1, 1),
                     start_precision=DatePrecision.MONTH)  # fmt: skip
    envoy = ActorFactory(name="Zalmay Khalilzad", affiliation=us, role="")
    ActorRoleFactory(
        actor=envoy, title="US Special Representative for Afghanistan Reconciliation", start_date=D(2018, 9, 1),
        start_precision=DatePrecision.MONTH, end_date=D(2021, 10, 1), end_precision=DatePrecision.MONTH,
    )  # fmt: skip
    covered = ActorFactory(name="Mohammad Naeem", affiliation=taliban, role="Taliban spokesman")
    statements = {
        "mujahid_2021": said(mujahid, "Kabul must answer our proposals soon", D(2021, 6, 1)),
        "mujahid_2020": said(mujahid, "The commission opened schools in the province", D(2020, 6, 1)),
        "price_2021": said(price, "We expect the parties to negotiate in good faith", D(2021, 3, 1)),
        "envoy_2019": said(envoy, "A framework for peace is within reach", D(2019, 1, 1), DatePrecision.YEAR),
        "naeem": said(covered, "Our delegation arrived in Doha today", None, DatePrecision.UNKNOWN),
    }
    reindex()
    return {"mujahid": mujahid, "price": price, "envoy": envoy, **statements}


def found(client, **params) -> set[str]:
    response = client.get(reverse("search:search"), {**params, "type": "statement"})
    assert response.status_code == 200
    return {hit.object.text for hit in response.context["outcome"].results}


def texts(archive, *keys) -> set[str]:
    return {archive[key].text for key in keys}


def test_role_param_finds_statements_by_spokespeople_on_their_date(client, roles_archive):
    # Mujahid in 2021 (dated), Price in 2021 ("spokesperson"), Naeem (the coverage's "spokesman").
    assert found(client, role="spokesman") == texts(roles_archive, "mujahid_2021", "price_2021", "naeem")
    assert found(client, role="Spokesperson") == found(client, role="spokeswoman")


def test_role_param_ignores_a_role_not_held_on_the_date(client, roles_archive):
    # In 2020 Mujahid was deputy of a commission; he became spokesman later.
    assert roles_archive["mujahid_2020"].text not in found(client, role="spokesman")
    assert found(client, role="deputy commission") == texts(roles_archive, "mujahid_2020")


def test_role_query_syntax_matches_the_get_param(client, roles_archive):
    assert found(client, q="role:spokesman") == found(client, role="spokesman")
    assert found(client, q='role:"state department spokesperson"') == texts(roles_archive, "price_2021")
    assert found(client, q="doha role:spokesman") == texts(roles_archive, "naeem")
    negated = found(client, q="-role:spokesman", date_from="2019-01-01")
    assert negated == texts(roles_archive, "mujahid_2020", "envoy_2019")


def test_role_envoy_finds_the_special_representative_by_its_curated_keyword(client, roles_archive):
    assert found(client, role="envoy") == texts(roles_archive, "envoy_2019")
    assert found(client, q="role:envoys") == texts(roles_archive, "envoy_2019")


def test_role_filter_finds_actor_entries_by_any_role_they_held(client, roles_archive):
    response = client.get(reverse("search:search"), {"role": "deputy", "type": "actor"})
    names = {hit.object.name for hit in response.context["outcome"].results}
    assert names == {"Zabihullah Mujahid", "Ned Price"}


def test_role_filter_of_small_words_only_is_ignored_with_a_message(client, roles_archive):
    response = client.get(reverse("search:search"), {"role": "of the", "q": "doha"})
    outcome = response.context["outcome"]
    assert "“of the” names no role; that filter was ignored." in outcome.messages
    assert outcome.params["role"] == []


def test_role_filter_shows_as_a_chip_and_is_kept_in_page_links(client, roles_archive):
    html = client.get(reverse("search:search"), {"role": "spokesman", "q": "the"}).content.decode()
    assert "Role: spokesman" in html
    assert 'name="role" value="spokesman"' in html
    response = client.get(reverse("search:search"), {"role": "spokesman"})
    from archive.search.urls_helpers import page_url

    assert "role=spokesman" in page_url(response.wsgi_request.GET, 2)


def test_search_results_show_the_role_on_the_date(client, roles_archive):
    html = client.get(reverse("search:search"), {"q": "kabul proposals"}).content.decode()
    assert '<span class="statement-role">Spokesman of the Taliban, Taliban</span>' not in html
    assert '<span class="statement-role">Spokesman of the Taliban</span>' in html  # the title names it


def test_search_page_queries_do_not_grow_with_speakers_roles(client, roles_archive):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("search:search"), {"role": "spokesman"})
        return len(queries), response.context["outcome"].total

    before, total = count()
    side = ActorFactory(name="Another side", kind="organisation")
    for i in range(6):
        actor = ActorFactory(affiliation=side)
        ActorRoleFactory(actor=actor, title="Spokesman", start_date=D(2019, 1, 1))
        said(actor, f"Statement number {i} of the spokesman", D(2020, 5, 5))
    reindex()
    after, more = count()
    assert more == total + 12  # their statements and their own entries
    assert after == before


def test_api_search_takes_role_and_gives_the_speaker_role(client, roles_archive):
    data = client.get(reverse("api:search"), {"role": "spokesman", "type": "statement"}).json()
    assert data["query"]["role"] == ["spokesman"]
    roles = {hit["title"]: hit["speaker_role"] for hit in data["results"]}
    assert roles == {
        "Zabihullah Mujahid": "Spokesman of the Taliban",
        "Ned Price": "State Department spokesperson",
        "Mohammad Naeem": "Taliban spokesman",
    }


def test_a_role_added_by_an_editor_reindexes_the_speakers_statements(
    client, roles_archive, django_capture_on_commit_callbacks
):
    def live():
        return django_capture_on_commit_callbacks(execute=True)

    envoy = roles_archive["envoy"]
    assert found(client, role="negotiator") == set()
    with live():
        ActorRoleFactory(actor=envoy, title="Chief negotiator", start_date=D(2018, 1, 1))
    assert found(client, role="negotiator") == texts(roles_archive, "envoy_2019")
    role = ActorRole.objects.get(title="Chief negotiator")
    with live():
        role.end_date, role.end_precision = D(2018, 6, 30), DatePrecision.DAY
        role.save()
    assert found(client, role="negotiator") == set()  # no longer held in 2019
    with live():
        ActorRole.objects.filter(actor=envoy).update(title="Chief negotiator")  # update() goes the same way
    assert found(client, role="negotiator") == texts(roles_archive, "envoy_2019")
    with live():
        ActorRole.objects.filter(actor=envoy).delete()
    assert found(client, role="negotiator") == set()


def test_loading_the_corpus_reindexes_statements_of_actors_it_gives_roles(
    client, search_index, django_capture_on_commit_callbacks
):
    from archive.corpus import load_corpus

    price = ActorFactory(name="Ned Price", role="")  # already in the archive, with a statement
    statement = said(price, "The talks must include women and minorities", D(2021, 3, 3))
    reindex()
    assert found(client, role="spokesperson") == set()
    with django_capture_on_commit_callbacks(execute=True):
        load_corpus()
    assert statement.text in found(client, role="spokesperson")
