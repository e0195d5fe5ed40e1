"""The search page through the test client, on a real Whoosh index."""

import re

import pytest
from django.urls import reverse
from haystack import connections

from archive.models import Actor, Alias, Statement
from archive.search import selectors
from tests.factories import ActorFactory, ArticleFactory, StatementFactory
from tests.search_fixtures import reindex

pytest_plugins = ["tests.search_fixtures"]

pytestmark = pytest.mark.django_db


def get(client, **params):
    response = client.get(reverse("search:search"), params)
    assert response.status_code == 200
    return response


def found(client, **params) -> set[tuple[str, int]]:
    outcome = get(client, **params).context["outcome"]
    return {(hit.type, hit.pk) for hit in outcome.results}


def pk(kind, obj):
    return (kind, obj.pk)


# --- query language ---------------------------------------------------------------------------------


def test_search_words_are_stemmed(client, archive):
    # "negotiate" finds "Negotiations" in the Doha article.
    assert pk("article", archive["doha"]) in found(client, q="negotiate")
    assert pk("article", archive["truce"]) not in found(client, q="negotiate")


def test_search_every_word_must_match(client, archive):
    results = found(client, q="ceasefire foreign")
    assert results == {pk("article", archive["truce"]), pk("statement", archive["baradar_truce"])}


def test_search_exact_phrase(client, archive):
    # Both words occur in the signing article, but only the Doha article has the phrase.
    assert pk("article", archive["doha"]) in found(client, q='"prisoner release"')
    assert pk("article", archive["truce"]) not in found(client, q='"prisoner release"')
    assert found(client, q='"release prisoner"') == set()


def test_search_exclusion(client, archive):
    with_doha = found(client, q="ceasefire")
    without = found(client, q="ceasefire -foreign")
    assert pk("article", archive["truce"]) in with_doha
    assert pk("article", archive["truce"]) not in without
    assert pk("article", archive["signing"]) in without


def test_search_or(client, archive):
    results = found(client, q="truce OR hope")
    assert pk("article", archive["truce"]) in results
    assert pk("statement", archive["envoy_signing"]) in results
    assert found(client, q="quiet hope") == set()
    # "truce" also searches its synonym "ceasefire": the signing article says ceasefire and hope.
    assert found(client, q="truce hope") == {pk("article", archive["signing"])}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("speaker:baradar", {("statement", "baradar_truce"), ("article", "truce"), ("actor", "baradar")}),
        ('speaker:"Mullah Baradar" type:statement', {("statement", "baradar_truce")}),
        ("topic:ceasefire type:article", {("article", "truce"), ("article", "signing")}),
        ('source:"al jazeera" type:article', {("article", "doha"), ("article", "later")}),
        ("year:2019", {("article", "doha"), ("statement", "envoy_doha")}),
        ("affiliation:taliban type:statement", {("statement", "baradar_truce"), ("statement", "taliban_later")}),
        ("type:actor khalilzad", {("actor", "envoy")}),
        ("-speaker:khalilzad type:statement", {("statement", "baradar_truce"), ("statement", "taliban_later")}),
    ],
)
def test_search_field_filters(client, archive, query, expected):
    assert found(client, q=query) == {(kind, archive[key].pk) for kind, key in expected}


def test_search_unknown_field_is_searched_as_words(client, archive):
    response = get(client, q="colour:ceasefire")
    assert "There is no field “colour:”" in response.content.decode()
    assert response.context["outcome"].total == 0
    response = get(client, q="speaker:nobodyatall")
    assert "No speaker matches “nobodyatall”" in response.content.decode()


# --- facets, dates, sorting, pages ------------------------------------------------------------------


def test_search_facet_counts(client, archive):
    outcome = get(client, q="ceasefire").context["outcome"]
    # Truce and signing articles, Baradar's statement, and the Taliban actor? No: the Taliban's
    # description does not say ceasefire. Counts per type cover the whole result set.
    assert outcome.type_counts == {"article": 2, "statement": 1, "actor": 0}
    topics = {f.value: f.count for f in outcome.facets["topic"]}
    assert topics == {"ceasefire": 3, "prisoner-release": 1}
    years = {f.value: f.count for f in outcome.facets["year"]}
    assert years == {"2020": 3}
    sources = {f.label: f.count for f in outcome.facets["source"]}
    assert sources == {"AFP": 3}
    # Speaker: who speaks in the matching statements; Mentioned: who is quoted in the matching articles.
    speakers = {f.label: f.count for f in outcome.facets["speaker"]}
    assert speakers == {"Abdul Ghani Baradar": 1}
    mentioned = {f.label: f.count for f in outcome.facets["mentioned"]}
    assert mentioned == {"Abdul Ghani Baradar": 1, "Zalmay Khalilzad": 1}


def test_search_facets_combine_and_show_selection(client, archive):
    response = get(client, q="ceasefire", topic="prisoner-release", type="article")
    outcome = response.context["outcome"]
    assert {(h.type, h.pk) for h in outcome.results} == {pk("article", archive["truce"])}
    # Counts per type ignore the type filter, so the tabs still say what the others hold.
    assert outcome.type_counts == {"article": 1, "statement": 0, "actor": 0}
    selected = [f for f in outcome.facets["topic"] if f.selected]
    assert [f.value for f in selected] == ["prisoner-release"]
    html = response.content.decode()
    assert "Topic: Prisoner release" in html
    # The chosen value's link removes it and keeps the other choices.
    assert 'href="/search/?q=ceasefire&amp;type=article" aria-current="true"' in html


def test_search_facet_links_add_values(client, archive):
    html = get(client, q="ceasefire").content.decode()
    assert 'href="/search/?q=ceasefire&amp;source=afp"' in html
    assert 'href="/search/?q=ceasefire&amp;type=statement"' in html


def test_search_unknown_facet_value_is_ignored_with_message(client, archive):
    response = get(client, q="ceasefire", speaker="no-such-actor", year="20x0")
    html = response.content.decode()
    assert "Unknown speaker “no-such-actor”" in html
    assert "“20x0” is not a year" in html
    assert response.context["outcome"].total == 3


def test_search_date_range(client, archive):
    results = found(client, q="said", date_from="2020-01-01", date_to="2020-12-31")
    assert pk("article", archive["truce"]) in results
    assert pk("article", archive["signing"]) in results
    assert pk("article", archive["doha"]) not in results
    assert pk("article", archive["later"]) not in results
    # Month and year forms, and reversed limits are swapped with a message.
    assert found(client, q="said", date_from="2020-06", date_to="2020") == {pk("article", archive["truce"])}
    response = get(client, q="said", date_from="2020-12-31", date_to="2020-01-01")
    assert "swapped" in response.content.decode()
    assert pk("article", archive["truce"]) in {(h.type, h.pk) for h in response.context["outcome"].results}
    response = get(client, q="said", date_from="yesterday")
    assert "is not a date" in response.content.decode()


def test_search_dates_outside_the_archive_years_get_a_message(client, archive):
    # A half-typed year from a date picker ("0021") is no date the index can hold: a message, not a 503.
    for params in ({"date_from": "0021-01-01"}, {"date_to": "0001-01-05"}, {"date_from": "9999-12-31"}):
        response = get(client, q="said", **params)
        assert response.status_code == 200
        assert "is not a date" in response.content.decode()
    response = get(client, date_from="0100-06-15")
    assert response.status_code == 200


def test_search_speaker_filter_by_one_word_of_a_name(client, archive):
    # "Zalmay" is a word of the envoy's aliases only; "mr" is only a title and names nobody.
    zalmai = get(client, q="speaker:Zalmai type:statement").context["outcome"]
    assert not zalmai.messages
    assert {hit.pk for hit in zalmai.results} == {archive["envoy_doha"].pk, archive["envoy_signing"].pk}
    Alias.objects.create(actor=ActorFactory(name="Amrullah Saleh"), name="Amrullah Saleh")  # "mr" inside a name
    response = get(client, q="speaker:mr doha")
    html = response.content.decode()
    assert "No speaker matches “mr”" in html
    assert response.context["outcome"].total > 0
    # Unquoted, the words after the value that complete a name belong to it: "mr khalilzad" is the envoy.
    titled = get(client, q="speaker:mr khalilzad type:statement").context["outcome"]
    assert not titled.messages
    assert {hit.pk for hit in titled.results} == {archive["envoy_doha"].pk, archive["envoy_signing"].pk}


def test_search_us_is_a_word_not_a_stop_word(client, search_index):
    us = ArticleFactory(title="Drawdown", body="The US troops left Bagram.\n\nOfficials confirmed it.")
    foreign = ArticleFactory(title="Drawdown abroad", body="The foreign troops left Kandahar.\n\nNo comment.")
    reindex()
    assert found(client, q="US") == {pk("article", us)}
    assert found(client, q='"US troops"') == {pk("article", us)}
    assert pk("article", foreign) in found(client, q="troops")


def test_search_page_links_to_its_facets_for_narrow_screens(client, archive):
    html = get(client, q="ceasefire").content.decode()
    assert '<a href="#search-facets">Narrow the results</a>' in html
    assert 'id="search-facets"' in html


def test_search_sorting(client, archive):
    newest = get(client, q="said", sort="newest", type="article").context["outcome"].results
    oldest = get(client, q="said", sort="oldest", type="article").context["outcome"].results
    dates = [hit.date for hit in newest]
    assert dates == sorted(dates, reverse=True) and len(dates) == 4
    assert [hit.date for hit in oldest] == sorted(dates)


def test_search_browse_without_words_lists_newest_first(client, archive):
    outcome = get(client, type="statement").context["outcome"]
    assert outcome.total == 4
    assert outcome.results[0].pk == archive["taliban_later"].pk


def test_search_pagination_urls(client, search_index):
    for n in range(45):
        ArticleFactory(title=f"Report {n} on the ceasefire", body=f"Ceasefire report number {n}.\n\nMore text.")
    reindex()
    response = get(client, q="ceasefire", source="")
    outcome = response.context["outcome"]
    assert outcome.total == 45 and outcome.num_pages == 3 and len(outcome.results) == 20
    html = response.content.decode()
    assert 'rel="next" href="/search/?q=ceasefire&amp;page=2"' in html
    second = get(client, q="ceasefire", page="2").context["outcome"]
    third = get(client, q="ceasefire", page="3").context["outcome"]
    pages = [{h.pk for h in o.results} for o in (outcome, second, third)]
    assert len(pages[2]) == 5
    assert len(set().union(*pages)) == 45
    assert 'rel="prev" href="/search/?q=ceasefire"' in get(client, q="ceasefire", page="2").content.decode()


def test_search_iter_all_streams_every_result(archive, search_index):
    for n in range(30):
        ArticleFactory(title=f"Ceasefire item {n}", body=f"Ceasefire item {n}.\n\nText.")
    reindex()
    outcome = selectors.search({"q": "ceasefire"})
    assert outcome.total == 33 and len(outcome.results) == 20
    streamed = list(outcome.iter_all(batch_size=7))
    assert len(streamed) == 33
    assert len({(h.type, h.pk) for h in streamed}) == 33


# --- results ---------------------------------------------------------------------------------------


def test_search_highlights_matches(client, archive):
    html = get(client, q="negotiate").content.decode()
    assert "<mark>Negotiations</mark> resumed in Doha" in html


def test_search_statement_result_links_to_its_place(client, archive):
    statement = archive["baradar_truce"]
    html = get(client, q="foreign forces", type="statement").content.decode()
    assert f'href="{archive["truce"].get_absolute_url()}#s-{statement.pk}"' in html
    assert f'href="{statement.get_absolute_url()}"' in html
    assert "Abdul Ghani Baradar" in html
    assert "15 June 2020" in html


def test_search_only_public_objects(client, archive):
    assert found(client, q="secret channel") == set()
    assert found(client, q='"small groups" type:statement') == set()
    # The rejected statement's words are still in its published article.
    assert found(client, q='"small groups"') == {pk("article", archive["truce"])}


# --- names -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["Zalmay Khalilzad", "Zalmai Khalilzad", "Khalilzad", "Mr Khalilzad", "mr. khalilzad"]
)
def test_search_alias_aware(client, archive, query):
    response = get(client, q=query)
    outcome = response.context["outcome"]
    results = {(h.type, h.pk) for h in outcome.results}
    # His own statements (even the one that never names him), the article naming him, his entry.
    assert pk("statement", archive["envoy_doha"]) in results
    assert pk("statement", archive["envoy_signing"]) in results
    assert pk("article", archive["doha"]) in results
    assert pk("actor", archive["envoy"]) in results
    assert pk("statement", archive["baradar_truce"]) not in results
    assert outcome.actor == archive["envoy"]
    html = response.content.decode()
    assert 'class="search-actor-card"' in html
    assert f'<h2><a href="{archive["envoy"].get_absolute_url()}">Zalmay Khalilzad</a></h2>' in html


def test_search_alias_with_other_words(client, archive):
    results = found(client, q="Baradar ceasefire")
    assert results == {pk("statement", archive["baradar_truce"]), pk("article", archive["truce"])}


# --- did you mean ----------------------------------------------------------------------------------


@pytest.mark.parametrize("query, suggestion", [("Khalilzhad", "Khalilzad"), ("ceasfire", "ceasefire")])
def test_search_did_you_mean(client, archive, query, suggestion):
    response = get(client, q=query)
    outcome = response.context["outcome"]
    assert outcome.total == 0
    assert outcome.suggestion == suggestion
    html = response.content.decode()
    assert f'Did you mean <a href="/search/?q={suggestion}">{suggestion}</a>?' in html
    assert "No results" in html
    assert get(client, q=suggestion).context["outcome"].total > 0


def test_search_no_suggestion_for_known_words(client, archive):
    assert get(client, q="ceasefire").context["outcome"].suggestion is None


@pytest.mark.parametrize("query", ['"ceasefire with"', "with ceasefire", '"talks will"', "from Kabul"])
def test_search_stop_words_are_not_taken_for_misspellings(client, archive, query):
    # The index leaves stop words out, but a typed "with" or "will" is not misspelt: no "Did you mean".
    from archive.search.query import parse
    from archive.search.suggestions import unknown_words

    assert not {"with", "will", "from"} & set(unknown_words(parse(query)))
    assert get(client, q=query).context["outcome"].suggestion is None


def test_search_empty_result_page_helps(client, archive):
    html = get(client, q="zeppelin").content.decode()
    assert "No results for zeppelin" in html
    assert "Check the spelling" in html
    assert 'href="/search/help/"' in html


# --- hostile input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": '"unbalanced quote'}, "A quotation mark had no closing partner"),
        ({"q": "OR"}, "“OR” needs a term on each side"),
        ({"q": "ceasefire OR"}, "“OR” needs a term on each side"),
        ({"q": "- ceasefire"}, "Ignored -"),
        ({"q": "ceasefire " * 1000}, "only its first 500 characters"),
        ({"q": "x" * 10_000}, "only its first 500 characters"),
        ({"q": "cease\x00fire\x1b[0m\u202e"}, "Control characters"),
        ({"q": "colour:red"}, "There is no field"),
        ({"q": "ceasefire", "page": "-1"}, "Page numbers start at 1"),
        ({"q": "ceasefire", "page": "abc"}, "Page numbers start at 1"),
        ({"q": "ceasefire", "page": "99999"}, "There is no page 99999"),
        ({"q": "ceasefire", "sort": "sideways"}, "Unknown sort order"),
        ({"q": "ceasefire", "type": "video"}, "Unknown result type"),
        ({"q": "ceasefire", "year": "²"}, "is not a year"),
        ({"q": "ceasefire year:²"}, "No year matches"),
        ({"q": "ceasefire", "topic": "a\x00b", "speaker": "\x00"}, "Unknown topic “a b”"),
        ({"q": "*:* AND (( [ { ~ ^ \\"}, "only letters and digits are searched"),
        ({"q": "NOT"}, "nothing to exclude"),
        ({"q": " ".join(f"w{n}" for n in range(40))}, "too many terms"),
    ],
)
def test_search_hostile_input_gets_a_normal_page(client, archive, params, message):
    response = client.get(reverse("search:search"), params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_search_last_page_shown_for_a_page_past_the_end(client, archive):
    outcome = get(client, q="said", page="99999").context["outcome"]
    assert outcome.page == outcome.num_pages == 1
    assert outcome.results


def test_search_only_exclusions_search_everything_else(client, archive):
    outcome = get(client, q="-ceasefire", type="article").context["outcome"]
    assert {h.pk for h in outcome.results} == {archive["doha"].pk, archive["later"].pk}


def test_search_post_is_refused(client, archive):
    assert client.post(reverse("search:search"), {"q": "x"}).status_code == 405


# --- pages -----------------------------------------------------------------------------------------


def test_search_landing_page_and_help(client, search_index):
    html = get(client).content.decode()
    assert "Search the archive" in html
    assert 'href="/search/help/"' in html
    help_html = client.get(reverse("search:help")).content.decode()
    for example in ("speaker:baradar", '"prisoner release"', "-violence", " OR ", "topic:ceasefire"):
        assert example in help_html


def test_search_page_query_count_is_bounded(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = get(client, q="ceasefire")
    assert response.context["outcome"].total == 3


def test_search_result_summary(client, archive):
    html = get(client, q="ceasefire").content.decode()
    assert re.search(r"Results 1–3 of 3\s+for <strong>ceasefire</strong>", html)


def test_search_user_text_never_reaches_the_backend_raw(client, archive, monkeypatch):
    backend_class = type(connections["default"].get_backend())
    seen = []
    original = backend_class.search

    def recording(self, query_string, **kwargs):
        seen.append(query_string)
        return original(self, query_string, **kwargs)

    monkeypatch.setattr(backend_class, "search", recording)
    get(client, q='*:* text:(x OR y) [a TO b] {c} ^2 ~3 \\ "ceasefire')
    assert seen
    for query_string in seen:
        for syntax in ("*", "[", "{", "^", "~", "\\", "text:"):
            assert syntax not in query_string, (syntax, query_string)


def test_search_type_tabs(client, archive):
    html = get(client, q="ceasefire", type="article").content.decode()
    assert re.search(r'<a href="/search/\?q=ceasefire">All <span class="search-count">3</span>', html)
    assert re.search(r'href="/search/\?q=ceasefire&amp;type=statement">Statements <span class="search-count">1<', html)
    assert 'aria-current="true" class="search-type-selected">Articles' in html


def test_search_page_of_many_results_loads_them_in_a_fixed_number_of_queries(client, search_index):
    # The page loads only the fields its statement results show: none is fetched row by row.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    usg = ActorFactory(name="United States government", kind=Actor.Kind.GOVERNMENT)
    speakers = [ActorFactory(name=f"Envoy Number{n}", affiliation=usg, role="Envoy") for n in range(5)]
    for n in range(20):
        article = ArticleFactory(title=f"Heron report {n}", body=f"“The heron count rose by {n},” the envoy said.")
        StatementFactory(article=article, speaker=speakers[n % 5], review_status=Statement.ReviewStatus.VERIFIED)
    reindex()
    with CaptureQueriesContext(connection) as one_page:
        html = get(client, q="heron", type="statement").content.decode()
    assert html.count('class="search-result search-result-statement"') == 20
    assert all(f"Envoy Number{n}" in html for n in range(5))
    assert "Verified" in html and "Heron report 7" in html
    assert len(one_page.captured_queries) <= 12, [q["sql"][:120] for q in one_page.captured_queries]
    with CaptureQueriesContext(connection) as one_page:
        html = get(client, q="heron", type="article").content.decode()
    assert html.count('class="search-result search-result-article"') == 20
    assert "Heron report 7" in html and "<mark>heron</mark>" in html.lower()
    assert len(one_page.captured_queries) <= 12, [q["sql"][:120] for q in one_page.captured_queries]


def test_facet_counts_are_written_with_thousands_separated():
    from django.contrib.humanize.templatetags.humanize import intcomma

    from archive.search.facets import FacetValue

    for count in (0, 7, 999, 1000, 12345, 1234567):
        assert FacetValue("v", "V", count, False).count_display == intcomma(count)
