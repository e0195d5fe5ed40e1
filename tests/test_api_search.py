"""/api/search/ and /api/search/export.<fmt>, on a real Whoosh index."""

import csv
import html
import io
import json

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from archive import exports
from archive.api.search import plain_snippet
from archive.models import Statement
from tests.factories import ActorFactory, ArticleFactory
from tests.search_fixtures import add_statement, reindex

pytest_plugins = ["tests.search_fixtures"]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_throttle")]

SEARCH = "/api/search/"


def get(api, status=200, url=SEARCH, **params):
    response = api.get(url, params)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def found(data) -> set[tuple[str, object]]:
    return {(r["type"], r["id"] if r["type"] == "statement" else r["slug"]) for r in data["results"]}


def download(api, fmt, **params):
    response = api.get(f"/api/search/export.{fmt}", params)
    assert response.status_code == 200, response.content
    assert isinstance(response, StreamingHttpResponse)
    return response, b"".join(response.streaming_content).decode("utf-8")


# --- the JSON answer --------------------------------------------------------------------------------


def test_api_search_answer_fields(api, archive):
    data = get(api, q="ceasefire")
    assert set(data) == {
        "query", "messages", "count", "counts", "facets", "suggestion", "suggestion_url", "also_searched", "actor", "actors",
        "export_urls", "page", "pages", "page_size", "next", "previous", "results",
    }  # fmt: skip
    assert data["query"]["q"] == "ceasefire" and data["query"]["parsed"] == "ceasefire"
    assert data["query"]["type"] is None and data["query"]["speaker"] == []
    assert (data["count"], data["page"], data["pages"], data["page_size"]) == (3, 1, 1, 50)
    assert data["counts"] == {"article": 2, "statement": 1, "actor": 0}
    assert data["next"] is None and data["previous"] is None and data["messages"] == []
    assert found(data) == {
        ("article", archive["truce"].slug),
        ("article", archive["signing"].slug),
        ("statement", archive["baradar_truce"].pk),
    }


def test_api_search_statement_hit(api, archive):
    data = get(api, q="ceasefire", type="statement")
    (hit,) = data["results"]
    statement = archive["baradar_truce"]
    assert hit["type"] == "statement" and hit["id"] == statement.pk and hit["slug"] is None
    assert hit["url"] == f"http://testserver/api/statements/{statement.pk}/"
    assert hit["site_url"] == f"http://testserver{statement.place_url}"
    assert hit["title"] == hit["speaker_label"] == "Abdul Ghani Baradar"
    assert hit["speaker"]["slug"] == archive["baradar"].slug
    assert hit["speaker"]["url"] == f"http://testserver/api/actors/{archive['baradar'].slug}/"
    assert hit["article"]["slug"] == archive["truce"].slug
    assert hit["article"]["url"] == f"http://testserver/api/articles/{archive['truce'].slug}/"
    assert hit["date"] == statement.date.isoformat() if statement.date else hit["date"] is None
    assert hit["snippet"] == statement.text
    ((start, end),) = hit["highlights"]
    assert hit["snippet"][start:end] == "ceasefire"
    assert "<mark>ceasefire</mark>" in hit["snippet_html"]


def test_api_search_article_and_actor_hits(api, archive):
    article = get(api, q="negotiate", type="article")["results"][0]
    doha = archive["doha"]
    assert (article["slug"], article["id"], article["title"]) == (doha.slug, None, doha.title)
    assert article["url"] == f"http://testserver/api/articles/{doha.slug}/"
    assert article["site_url"] == f"http://testserver{doha.get_absolute_url()}"
    assert article["date"] == "2019-09-02"
    assert article["source"]["slug"] == archive["aljazeera"].slug
    assert any(article["snippet"][s:e] == "Negotiations" for s, e in article["highlights"])
    actor = get(api, q="type:actor khalilzad")["results"][0]
    assert (actor["type"], actor["slug"], actor["kind"]) == ("actor", archive["envoy"].slug, "person")
    assert actor["url"] == f"http://testserver/api/actors/{archive['envoy'].slug}/"


def test_api_search_snippet_is_escaped_and_offsets_fit_the_plain_text(api, search_index):
    ArticleFactory(title="Markup", body='Talks <script>alert("x")</script> & ceasefire plans.\n\nMore.')
    reindex()
    hit = get(api, q="ceasefire", type="article")["results"][0]
    assert "<script>" not in hit["snippet_html"]
    assert "&lt;script&gt;" in hit["snippet_html"]
    assert hit["snippet"].startswith('Talks <script>alert("x")</script> & ceasefire')
    assert [hit["snippet"][s:e] for s, e in hit["highlights"]] == ["ceasefire"]


def test_plain_snippet_unescapes_and_counts_offsets():
    text, marks = plain_snippet("…a &amp; <mark>b&lt;c</mark> d <mark>e</mark>…")
    assert text == "…a & b<c d e…"
    assert [text[s:e] for s, e in marks] == ["b<c", "e"]


def test_api_search_matched_actor(api, archive):
    data = get(api, q="Mr Khalilzad")
    envoy = archive["envoy"]
    assert data["actor"]["slug"] == envoy.slug
    assert data["actor"]["url"] == f"http://testserver/api/actors/{envoy.slug}/"
    assert data["actor"]["site_url"] == f"http://testserver{envoy.get_absolute_url()}"
    assert data["actor"]["statements_url"] == f"http://testserver/api/statements/?speaker={envoy.slug}"
    assert data["actor"]["role"] == envoy.role
    assert [a["slug"] for a in data["actors"]] == [envoy.slug]
    assert get(api, q="ceasefire")["actor"] is None


def test_api_search_suggestion(api, archive):
    data = get(api, q="ceasfire")
    assert data["suggestion"] == "ceasefire"
    assert data["suggestion_url"] == "http://testserver/api/search/?q=ceasefire"


# --- the same results and facets as the search page --------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"q": "ceasefire"},
        {"q": "ceasefire", "topic": "prisoner-release", "type": "article"},
        {"q": "said", "date_from": "2020-01-01", "date_to": "2020-12-31"},
        {"q": "", "affiliation": "taliban", "type": "statement"},
        {"q": "Khalilzad", "sort": "oldest"},
        {"q": "speaker:baradar"},
        {"year": "2020", "sort": "newest"},
        {"q": "ceasefire", "speaker": "no-such-actor", "year": "20x0"},
    ],
)
def test_api_search_agrees_with_the_search_page(api, client, archive, params):
    page = client.get(reverse("search:search"), params).context["outcome"]
    data = get(api, **params)
    assert data["count"] == page.total
    assert data["counts"] == page.type_counts
    assert data["messages"] == page.messages
    assert [(r["type"], r["title"]) for r in data["results"]] == [(h.type, h.title) for h in page.results]
    assert data["facets"] == {
        name: [{"value": v.value, "label": v.label, "count": v.count, "selected": v.selected} for v in values]
        for name, values in page.facets.items()
    }


def test_api_search_facets_show_selection(api, archive):
    data = get(api, q="ceasefire", topic="prisoner-release", type="article")
    assert found(data) == {("article", archive["truce"].slug)}
    assert data["query"]["topic"] == ["prisoner-release"] and data["query"]["type"] == "article"
    topics = {f["value"]: f for f in data["facets"]["topic"]}
    assert topics["prisoner-release"] == {
        "value": "prisoner-release",
        "label": "Prisoner release",
        "count": 1,
        "selected": True,
    }
    types = {f["value"]: (f["count"], f["selected"]) for f in data["facets"]["type"]}
    assert types == {"article": (1, True), "statement": (0, False), "actor": (0, False)}


def test_api_search_filters_by_repeated_values(api, archive):
    both = get(api, q="", speaker=[archive["envoy"].slug], year=["2020"], type="statement")
    assert found(both) == {("statement", archive["envoy_signing"].pk)}


# --- pages -------------------------------------------------------------------------------------------


@pytest.fixture
def many(search_index):
    for n in range(45):
        ArticleFactory(title=f"Report {n} on the ceasefire", body=f"Ceasefire report number {n}.\n\nMore text.")
    reindex()


def test_api_search_pages_cover_every_result(api, many):
    first = get(api, q="ceasefire", page_size="20")
    assert (first["count"], first["pages"], first["page_size"], len(first["results"])) == (45, 3, 20, 20)
    assert first["next"] == "http://testserver/api/search/?page=2&page_size=20&q=ceasefire"
    assert first["previous"] is None
    second = get(api, q="ceasefire", page_size="20", page="2")
    assert second["previous"] == "http://testserver/api/search/?page_size=20&q=ceasefire"
    last = get(api, q="ceasefire", page_size="20", page="last")
    assert last["page"] == 3 and len(last["results"]) == 5 and last["next"] is None
    assert last["messages"] == []
    seen = {r["slug"] for d in (first, second, last) for r in d["results"]}
    assert len(seen) == 45


def test_api_search_default_and_largest_page_size(api, many, settings):
    assert len(get(api, q="ceasefire")["results"]) == 45
    settings.API_MAX_PAGE_SIZE = 10
    assert get(api, q="ceasefire", page_size="10")["pages"] == 5
    error = get(api, 400, q="ceasefire", page_size="11")
    assert error == {"page_size": ["Must be a whole number from 1 to 10."]}


@pytest.mark.parametrize(
    "params, status, body",
    [
        ({"page": "4", "page_size": "20"}, 404, {"detail": "Page 4 does not exist: there are 3 pages of 20."}),
        ({"page": "99999"}, 404, {"detail": "Page 99999 does not exist: there are 1 pages of 50."}),
        ({"page": "-1"}, 400, {"page": ['Must be a whole number from 1, or "last".']}),
        ({"page": "0"}, 400, {"page": ['Must be a whole number from 1, or "last".']}),
        ({"page": "two"}, 400, {"page": ['Must be a whole number from 1, or "last".']}),
        ({"page": "²"}, 400, {"page": ['Must be a whole number from 1, or "last".']}),
        ({"page": "9" * 5000}, 400, {"page": ['Must be a whole number from 1, or "last".']}),
        ({"page_size": "²"}, 400, {"page_size": ["Must be a whole number from 1 to 500."]}),
        ({"page_size": "0"}, 400, {"page_size": ["Must be a whole number from 1 to 500."]}),
        ({"page_size": "501"}, 400, {"page_size": ["Must be a whole number from 1 to 500."]}),
        ({"page_size": "1e3"}, 400, {"page_size": ["Must be a whole number from 1 to 500."]}),
    ],
)
def test_api_search_page_bounds(api, many, params, status, body):
    assert get(api, status, q="ceasefire", **params) == body


def test_api_search_without_words_or_filters(api, archive):
    data = get(api)
    assert (data["count"], data["pages"], data["results"], data["export_urls"]) == (0, 1, [], {})
    assert get(api, 404, page="2")["detail"] == "Page 2 does not exist: there are 1 pages of 50."


# --- hostile input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": '"unbalanced quote'}, "A quotation mark had no closing partner"),
        ({"q": "x" * 10_000}, "only its first 500 characters"),
        ({"q": "ceasefire " * 1000}, "only its first 500 characters"),
        ({"q": "cease\x00fire\x1b[0m\u202e"}, "Control characters"),
        ({"q": "colour:red"}, "There is no field"),
        ({"q": "*:* AND (( [ { ~ ^ \\"}, "only letters and digits are searched"),
        ({"q": "ceasefire", "type": "video"}, "Unknown result type"),
        ({"q": "ceasefire", "sort": "sideways"}, "Unknown sort order"),
        ({"q": "ceasefire", "date_from": "yesterday"}, "is not a date"),
        ({"q": "ceasefire", "speaker": "x" * 5000}, "Unknown speaker"),
        ({"q": "ceasefire", "year": "²"}, "is not a year"),
        ({"q": "ceasefire", "topic": "a\x00b"}, "Unknown topic “a b”"),
        ({"q": "ceasefire", "affiliation": "\x00", "source": "x\x1b"}, "Unknown source “x”"),
        ({"q": "ceasefire", "date_to": "20\x0020"}, "“20 20” is not a date"),
        ({"q": "ceasefire year:²"}, "No year matches"),
    ],
)
def test_api_search_hostile_input_answers_200_with_a_message(api, archive, params, message):
    data = get(api, **params)
    assert any(message in m for m in data["messages"]), data["messages"]


def test_api_search_ignores_unknown_parameters(api, archive):
    assert get(api, q="ceasefire", colour="red", fields="id")["count"] == 3


def test_api_search_refuses_writes(api, archive):
    response = api.post(SEARCH, {"q": "ceasefire"}, content_type="application/json")
    assert response.status_code == 405 and response.json()["detail"]


# --- exports -----------------------------------------------------------------------------------------


def parse_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def statements_world(search_index):
    """70 public statements on the ceasefire (more than a page and than an export batch), one rejected."""
    speaker = ActorFactory(name="Suhail Shaheen")
    article = ArticleFactory(
        title="Long ceasefire report",
        body="\n\n".join(f"Ceasefire point {n:02d} is agreed." for n in range(71)),
    )
    made = [add_statement(article, speaker, f"Ceasefire point {n:02d} is agreed") for n in range(70)]
    add_statement(article, speaker, "Ceasefire point 70 is agreed", review_status=Statement.ReviewStatus.REJECTED)
    formula = ArticleFactory(title="Formula", body="Intro.\n\n=SUM(A1:A9) ceasefire is not a plan\n\nEnd.")
    made.append(add_statement(formula, speaker, "=SUM(A1:A9) ceasefire is not a plan"))
    reindex()
    return {"statements": made, "article": article, "formula": formula, "speaker": speaker}


def test_search_export_streams_every_matching_statement(api, statements_world, django_assert_max_num_queries):
    assert get(api, q="ceasefire", type="statement", page_size="20")["pages"] == 4
    response, text = download(api, "csv", q="ceasefire", type="statement")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="search-statements.csv"'
    assert text.splitlines()[0] == ",".join(exports.STATEMENT_FIELDS)
    rows = parse_csv(text)
    assert sorted(int(r["id"]) for r in rows) == sorted(s.pk for s in statements_world["statements"])
    row = next(r for r in rows if int(r["id"]) == statements_world["statements"][3].pk)
    assert row["text"] == "Ceasefire point 03 is agreed"
    assert (row["speaker"], row["article_slug"]) == ("Suhail Shaheen", statements_world["article"].slug)
    assert row["api_url"] == f"http://testserver/api/statements/{statements_world['statements'][3].pk}/"


def test_search_export_formula_guard(api, statements_world):
    formula = statements_world["statements"][-1]
    _, text = download(api, "csv", q="ceasefire", type="statement")
    row = next(r for r in parse_csv(text) if int(r["id"]) == formula.pk)
    assert row["text"] == "'=SUM(A1:A9) ceasefire is not a plan"
    _, data = download(api, "json", q="ceasefire", type="statement")
    records = json.loads(data)
    assert len(records) == 71
    assert next(r for r in records if r["id"] == formula.pk)["text"] == "=SUM(A1:A9) ceasefire is not a plan"


def test_search_export_keeps_the_search_order_and_filters(api, statements_world):
    _, text = download(api, "ndjson", q="ceasefire", type="statement", sort="oldest", date_to="2100")
    lines = [json.loads(line) for line in text.splitlines()]
    assert len(lines) == 71
    page = get(api, q="ceasefire", type="statement", sort="oldest", page_size="500")
    assert [r["id"] for r in lines] == [r["id"] for r in page["results"]]
    _, none = download(api, "ndjson", q="ceasefire", type="statement", date_to="1999-12-31")
    assert none == ""


def test_search_export_loads_in_batches(api, statements_world, django_assert_max_num_queries, monkeypatch):
    from archive.api import selectors

    original = selectors.search_export_objects
    monkeypatch.setattr(selectors, "search_export_objects", lambda outcome: original(outcome, batch_size=25))
    # 71 statements in 3 batches: per batch one query for the statements and one for their topics,
    # plus the search's own lookups; never one query per statement.
    with django_assert_max_num_queries(20):
        _, text = download(api, "csv", q="ceasefire", type="statement")
    assert len(parse_csv(text)) == 71


def test_search_export_articles(api, archive):
    _, text = download(api, "csv", q="ceasefire", type="article", sort="newest")
    rows = parse_csv(text)
    assert text.splitlines()[0] == ",".join(exports.ARTICLE_FIELDS)
    assert [r["slug"] for r in rows] == [archive["truce"].slug, archive["signing"].slug]
    truce = rows[0]
    assert truce["topics"] == "ceasefire; prisoner-release"
    assert (truce["source"], truce["statement_count"]) == ("AFP", "1")
    assert truce["api_url"] == f"http://testserver/api/articles/{archive['truce'].slug}/"


@pytest.mark.parametrize("params", [{"q": "ceasefire"}, {"q": "ceasefire", "type": "actor"}, {"type": "video"}])
def test_search_export_requires_a_statement_or_article_type(api, archive, params):
    response = api.get("/api/search/export.csv", params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "type=statement or type=article" in response.json()["type"][0]


def test_search_export_links_in_the_answer(api, archive):
    data = get(api, q="ceasefire", page="1")
    links = data["export_urls"]
    assert set(links) == {"statement", "article"}
    assert links["statement"]["csv"] == "http://testserver/api/search/export.csv?q=ceasefire&type=statement"
    assert links["article"]["ndjson"] == "http://testserver/api/search/export.ndjson?q=ceasefire&type=article"
    assert set(get(api, q="ceasefire", type="article")["export_urls"]) == {"article"}


def test_search_page_offers_downloads(client, archive):
    page = client.get(reverse("search:search"), {"q": "ceasefire"}).content.decode()
    assert "Download results" in page and "1 statement\n" in page and "2 articles\n" in page
    assert html.escape("/api/search/export.csv?q=ceasefire&type=statement") in page
    assert html.escape("/api/search/export.json?q=ceasefire&type=article") in page
    actors = client.get(reverse("search:search"), {"q": "khalilzad", "type": "actor"}).content.decode()
    assert "/api/search/export." not in actors


def test_api_search_query_count_does_not_grow_with_the_page(api, statements_world, django_assert_max_num_queries):
    # 50 statements on the page: loaded together, never one query per result.
    with django_assert_max_num_queries(12):
        data = get(api, q="ceasefire", type="statement")
    assert len(data["results"]) == 50
