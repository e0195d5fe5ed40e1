"""Search facets and filters for agreement provisions and how statements speak about them."""

import pytest

from archive.agreements import services
from archive.agreements.models import Provision, StatementProvisionLink, provision_key
from archive.search import selectors
from tests.search_fixtures import reindex
from tests.test_agreements import deal  # noqa: F401  (the fixture)

pytest_plugins = ["tests.search_fixtures"]

WITHDRAWAL = "test-agreement/withdrawal"


@pytest.fixture
def indexed(deal, search_index):  # noqa: F811
    reindex()
    return deal


@pytest.fixture
def live(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def statement_pks(**params) -> set[int]:
    return {hit.pk for hit in selectors.search(params).results if hit.type == "statement"}


def facet(outcome, name) -> dict:
    return {value.value: (value.label, value.count) for value in outcome.facets[name]}


def test_provision_keys_name_the_agreement_and_the_provision(indexed):
    assert provision_key(indexed["withdrawal_provision"]) == WITHDRAWAL
    found = Provision.objects.by_keys([WITHDRAWAL, "test-agreement/ceasefire", "nonsense", "a/b/c"])
    assert set(found) == {indexed["withdrawal_provision"], indexed["ceasefire_provision"]}


def test_provision_facet_counts_confirmed_links_of_public_statements_only(indexed):
    outcome = selectors.search({"q": "ceasefire OR forces OR closer"})
    provisions = facet(outcome, "provision")
    # s1 (kept), s3 (demands), s4 (broken) and the anonymous one are confirmed and public; the suggested
    # link (s2), the draft's statement and the rejected statement do not count.
    label, count = provisions[WITHDRAWAL]
    assert label == "Test agreement, Part One: Forces leave within fourteen months"
    matching = statement_pks(q="ceasefire OR forces OR closer")
    expected = {
        link.statement_id
        for key, link in indexed["links"].items()
        if key in ("kept", "broken", "demand", "anonymous") and link.statement_id in matching
    }
    assert count == len(expected) > 0
    assert "test-agreement/ceasefire" not in provisions  # only a rejected statement links to it


def test_relation_facet_has_labels_and_counts(indexed):
    relations = facet(selectors.search({"provision": WITHDRAWAL}), "relation")
    assert relations["claims_kept"] == ("Claims kept", 1)
    assert relations["claims_broken"] == ("Claims broken", 2)
    assert relations["demands"] == ("Demands", 1)
    assert "promises" not in relations


def test_provision_filter_finds_the_linked_statements_only(indexed):
    found = statement_pks(provision=WITHDRAWAL)
    links = indexed["links"]
    assert found == {links[k].statement_id for k in ("kept", "broken", "demand", "anonymous")}
    outcome = selectors.search({"provision": WITHDRAWAL})
    assert {hit.type for hit in outcome.results} == {"statement"}


def test_provision_filter_takes_the_id_the_api_uses_elsewhere(indexed):
    provision = indexed["withdrawal_provision"]
    outcome = selectors.search({"provision": str(provision.pk)})
    assert outcome.params["provision"] == [WITHDRAWAL]
    assert {hit.pk for hit in outcome.results} == statement_pks(provision=WITHDRAWAL)
    assert "Unknown provision" in " ".join(selectors.search({"provision": "99999999999999999999999"}).messages)


def test_relation_filter_combines_with_the_provision_filter(indexed):
    links = indexed["links"]
    assert statement_pks(provision=WITHDRAWAL, relation="claims_broken") == {
        links["broken"].statement_id,
        links["anonymous"].statement_id,
    }
    assert statement_pks(relation="claims_kept") == {links["kept"].statement_id}
    assert statement_pks(relation="promises") == set()


def test_unknown_provision_and_relation_are_ignored_with_a_message(indexed):
    outcome = selectors.search({"q": "ceasefire", "provision": "no-such/provision", "relation": "praises"})
    assert "Unknown provision “no-such/provision”; that filter was ignored." in outcome.messages
    assert "Unknown relation “praises”; that filter was ignored." in outcome.messages
    assert outcome.params["provision"] == [] and outcome.params["relation"] == []
    assert outcome.total > 0
    malformed = selectors.search({"provision": "withdrawal"})
    assert any("Unknown provision" in m for m in malformed.messages)


def test_confirming_a_suggested_link_reindexes_its_statement(indexed, live, editor):
    suggested = indexed["links"]["suggested"]
    assert suggested.statement_id not in statement_pks(provision=WITHDRAWAL)
    with live():
        services.set_link_status([suggested], StatementProvisionLink.ReviewStatus.CONFIRMED, user=editor)
    assert suggested.statement_id in statement_pks(provision=WITHDRAWAL, relation="claims_kept")


def test_changing_and_deleting_a_link_reindexes_its_statement(indexed, live):
    kept = indexed["links"]["kept"]
    with live():
        kept.relation = StatementProvisionLink.Relation.CLAIMS_BROKEN
        kept.save()
    assert kept.statement_id in statement_pks(relation="claims_broken")
    assert kept.statement_id not in statement_pks(relation="claims_kept")
    with live():
        kept.delete()
    assert kept.statement_id not in statement_pks(provision=WITHDRAWAL)


def test_renaming_a_provision_slug_moves_its_statements_to_the_new_key(indexed, live):
    provision = indexed["withdrawal_provision"]
    with live():
        provision.slug = "forces-out"
        provision.save()
    assert statement_pks(provision="test-agreement/forces-out")
    assert "Unknown provision" in " ".join(selectors.search({"provision": WITHDRAWAL}).messages)


def test_search_page_shows_the_facets_and_a_filter_chip(client, indexed):
    page = client.get("/search/", {"q": "ceasefire OR forces OR closer"}).content.decode()
    assert "Agreement provision" in page
    assert "Part One: Forces leave within fourteen months" in page
    assert "provision=test-agreement%2Fwithdrawal" in page
    filtered = client.get("/search/", {"provision": WITHDRAWAL, "relation": "claims_broken"})
    assert filtered.status_code == 200
    body = filtered.content.decode()
    assert "Says the provision was: Claims broken" in body
    assert "Agreement provision: Test agreement, Part One" in body


def test_api_search_takes_the_provision_and_relation_filters(client, indexed, no_throttle):
    data = client.get("/api/search/", {"provision": WITHDRAWAL, "relation": "demands"}).json()
    assert [r["id"] for r in data["results"] if r["type"] == "statement"] == [indexed["links"]["demand"].statement_id]
