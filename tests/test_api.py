"""The read-only JSON API: endpoints, filters, ordering, pagination bounds, errors, no writes, throttling."""

from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_throttle")]


def get(api, url, status=200, **params):
    response = api.get(url, params)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def slugs(data):
    return [item["slug"] for item in data["results"]]


def ids(data):
    return sorted(item["id"] for item in data["results"])


def pks(statements):
    return sorted(s.pk for s in statements)


# --- root, articles --------------------------------------------------------------------------


def test_root_lists_every_endpoint(api):
    data = get(api, "/api/")
    assert set(data) == {
        "articles",
        "actors",
        "statements",
        "topics",
        "sources",
        "search",
        "agreements",
        "provisions",
        "provision-links",
        "stances",
        "statement-relations",
    }
    assert data["search"] == "http://testserver/api/search/"
    assert data["articles"] == "http://testserver/api/articles/"


def test_articles_list_only_published_with_links(api, world):
    data = get(api, "/api/articles/")
    assert data["count"] == 2
    assert slugs(data) == [world.doha.slug, world.kabul.slug]  # newest first
    doha = data["results"][0]
    assert doha["url"] == f"http://testserver/api/articles/{world.doha.slug}/"
    assert doha["site_url"] == f"http://testserver{world.doha.get_absolute_url()}"
    assert doha["source"]["slug"] == "al-jazeera"
    assert [s["slug"] for s in doha["credited_sources"]] == ["agence-france-presse"]
    assert {t["slug"] for t in doha["topics"]} == {"ceasefire", "prisoner-release"}
    assert doha["statement_count"] == 4  # the rejected statement is not counted
    assert doha["date_display"] == "29 February 2020"
    assert "body" not in doha


def test_article_detail_has_body_but_never_internal_fields(api, world):
    data = get(api, f"/api/articles/{world.doha.slug}/")
    assert data["body"] == world.doha.body
    text = str(data)
    for hidden in ("editor_notes", "raw_text", "content_hash", "import_reference", "SECRET-EDITOR-NOTE", "RAW-IMPORT"):
        assert hidden not in text


def test_draft_article_is_not_found(api, world):
    data = get(api, f"/api/articles/{world.draft.slug}/", status=404)
    assert "detail" in data


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"source": "al-jazeera"}, ["doha"]),
        ({"source": "agence-france-presse"}, ["doha", "kabul"]),  # published by, or credited to
        ({"topic": "ceasefire"}, ["doha"]),
        ({"topic": "prisoner-release"}, ["doha", "kabul"]),
        ({"year": "2019"}, ["kabul"]),
        ({"date_from": "2020-01-01"}, ["doha"]),
        ({"date_to": "2019-12-31"}, ["kabul"]),
        ({"date_from": "2019-01-01", "date_to": "2020-02-29"}, ["doha", "kabul"]),
        ({"actor": "ashraf-ghani"}, ["kabul"]),
        ({"actor": "zalmay-khalilzad"}, ["doha"]),
        ({"date_precision": "month"}, ["kabul"]),
    ],
)
def test_article_filters(api, world, params, expected):
    data = get(api, "/api/articles/", **params)
    assert sorted(slugs(data)) == sorted(getattr(world, name).slug for name in expected)


def test_article_actor_filter_ignores_draft_and_rejected_statements(api, world):
    # Shaheen is quoted in the draft only besides Doha; Ghani's rejected statement alone would not count.
    assert slugs(get(api, "/api/articles/", actor="suhail-shaheen")) == [world.doha.slug]


def test_article_ordering(api, world):
    assert slugs(get(api, "/api/articles/", ordering="published_date")) == [world.kabul.slug, world.doha.slug]
    assert slugs(get(api, "/api/articles/", ordering="title")) == [world.doha.slug, world.kabul.slug]
    get(api, "/api/articles/", ordering="editor_notes")  # an unknown ordering field is ignored, not an error


@pytest.mark.parametrize(
    "params, field",
    [
        ({"source": "no-such-source"}, "source"),
        ({"topic": "nothing"}, "topic"),
        ({"year": "twenty"}, "year"),
        ({"year": "99999"}, "year"),
        ({"date_from": "2020-13-45"}, "date_from"),
        ({"actor": "nobody"}, "actor"),
        ({"date_precision": "week"}, "date_precision"),
    ],
)
def test_article_bad_filters_answer_400_naming_the_field(api, world, params, field):
    data = get(api, "/api/articles/", status=400, **params)
    assert field in data


# --- actors ----------------------------------------------------------------------------------


def test_actors_listed_with_or_without_public_statements(api, world):
    data = get(api, "/api/actors/", page_size=100)
    counts = {item["slug"]: item["statement_count"] for item in data["results"]}
    assert counts["taliban"] == 0  # listed though never quoted
    assert counts["suhail-shaheen"] == 1  # the draft's statement is not counted
    assert counts["ashraf-ghani"] == 1  # nor the rejected one
    assert data["count"] == 6


def test_actor_detail_with_aliases_side_and_export_links(api, world):
    data = get(api, "/api/actors/zalmay-khalilzad/")
    assert [a["name"] for a in data["aliases"]] == ["Khalilzad", "Zalmay Khalilzad"]
    assert data["affiliation"]["slug"] == "united-states-government"
    assert data["side"]["slug"] == "united-states-government"
    assert data["site_url"] == "http://testserver/actors/zalmay-khalilzad/"
    assert data["statements_url"] == "http://testserver/api/statements/?speaker=zalmay-khalilzad"
    assert data["export_urls"]["csv"] == "http://testserver/api/actors/zalmay-khalilzad/statements.csv"
    assert "needs_review" not in data


def test_actor_filters(api, world):
    assert sorted(slugs(get(api, "/api/actors/", side="taliban"))) == [
        "suhail-shaheen",
        "taliban",
        "taliban-political-office",
    ]
    assert slugs(get(api, "/api/actors/", affiliation="united-states-government")) == ["zalmay-khalilzad"]
    assert slugs(get(api, "/api/actors/", kind="government")) == ["united-states-government"]
    assert slugs(get(api, "/api/actors/", name="khalil")) == ["zalmay-khalilzad"]
    assert slugs(get(api, "/api/actors/", name="ghani")) == ["ashraf-ghani"]  # by name, without an alias
    quoted = slugs(get(api, "/api/actors/", quoted="true"))
    assert sorted(quoted) == ["ashraf-ghani", "suhail-shaheen", "taliban-political-office", "zalmay-khalilzad"]
    assert slugs(get(api, "/api/actors/", quoted="false")) == ["taliban", "united-states-government"]
    assert slugs(get(api, "/api/actors/", ordering="-statement_count,name"))[0] == "ashraf-ghani"
    get(api, "/api/actors/", status=400, kind="alien")


def test_unknown_actor_is_json_404(api, world):
    assert get(api, "/api/actors/nobody/", status=404)["detail"]


# --- statements ------------------------------------------------------------------------------


def test_statements_list_only_public(api, world):
    data = get(api, "/api/statements/")
    assert ids(data) == pks(world.public_statements)


def test_statement_detail(api, world):
    data = get(api, f"/api/statements/{world.s_ceasefire.pk}/")
    assert data["text"] == "We are ready for a ceasefire"
    assert data["speaker"]["slug"] == "suhail-shaheen"
    assert data["side"]["slug"] == "taliban"
    assert data["article"]["slug"] == world.doha.slug
    assert world.doha.body[data["start"] : data["end"]] == data["text"]
    assert data["paragraph"].startswith("“We are ready")
    assert data["url"] == f"http://testserver/api/statements/{world.s_ceasefire.pk}/"
    assert data["site_url"] == f"http://testserver/statements/{world.s_ceasefire.pk}/"


def test_anonymous_statement_has_description_and_no_side(api, world):
    data = get(api, f"/api/statements/{world.s_anonymous.pk}/")
    assert data["speaker"] is None and data["side"] is None
    assert data["speaker_label"] == "a person familiar with the talks"


@pytest.mark.parametrize("name", ["s_rejected", "s_draft"])
def test_hidden_statements_are_not_found(api, world, name):
    get(api, f"/api/statements/{getattr(world, name).pk}/", status=404)


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"speaker": "suhail-shaheen"}, ["s_ceasefire"]),
        ({"side": "taliban"}, ["s_ceasefire", "s_prisoners"]),
        ({"side": "united-states-government"}, ["s_formula"]),
        ({"affiliation": "taliban"}, ["s_ceasefire", "s_prisoners"]),
        ({"anonymous": "true"}, ["s_anonymous"]),
        ({"topic": "prisoner-release"}, ["s_prisoners"]),
        ({"kind": "partial"}, ["s_prisoners"]),
        ({"kind": "indirect"}, []),  # the only indirect one is rejected
        ({"medium": "tweet"}, ["s_ceasefire"]),
        ({"medium": "briefing"}, ["s_ghani"]),
        ({"article": "kabul-replies"}, ["s_ghani"]),
        ({"source": "agence-france-presse"}, ["s_ghani"]),
        ({"review_status": "verified"}, ["s_ceasefire", "s_prisoners"]),
        ({"review_status": "extracted"}, ["s_formula", "s_anonymous", "s_ghani"]),
        ({"year": "2019"}, ["s_ghani"]),
        ({"date_from": "2019-01-10", "date_to": "2019-01-31"}, ["s_ghani"]),
        ({"date_from": "2020-01-01"}, ["s_ceasefire", "s_formula", "s_prisoners", "s_anonymous"]),
    ],
)
def test_statement_filters(api, world, params, expected):
    data = get(api, "/api/statements/", **params)
    assert ids(data) == pks(getattr(world, name) for name in expected)


@pytest.mark.parametrize(
    "params, field",
    [
        ({"review_status": "rejected"}, "review_status"),  # not a public value
        ({"kind": "rumour"}, "kind"),
        ({"medium": "fax"}, "medium"),
        ({"speaker": "nobody"}, "speaker"),
        ({"side": "nobody"}, "side"),
        ({"article": "draft-story"}, "article"),  # a draft is not an article the API knows
        ({"date_to": "yesterday"}, "date_to"),
        ({"anonymous": "perhaps"}, "anonymous"),
    ],
)
def test_statement_bad_filters_answer_400(api, world, params, field):
    assert field in get(api, "/api/statements/", status=400, **params)


def test_statement_ordering(api, world):
    data = get(api, "/api/statements/", ordering="-date,id")
    assert data["results"][-1]["id"] == world.s_ghani.pk
    data = get(api, "/api/statements/", ordering="date")
    assert data["results"][0]["id"] == world.s_ghani.pk


def test_statement_list_query_count_does_not_grow_with_rows(api, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        get(api, "/api/statements/")


# --- topics, sources -------------------------------------------------------------------------


def test_topics_with_public_counts(api, world):
    data = get(api, "/api/topics/")
    counts = {t["slug"]: (t["statement_count"], t["article_count"]) for t in data["results"]}
    assert counts[world.ceasefire.slug] == (1, 1)
    assert counts[world.prisoners.slug] == (1, 2)  # the rejected statement and the draft are not counted
    assert all(counts[slug] == (0, 0) for slug in counts if slug not in (world.ceasefire.slug, world.prisoners.slug))
    detail = get(api, "/api/topics/ceasefire/")
    assert detail["site_url"] == "http://testserver/topics/ceasefire/"
    assert detail["export_urls"]["ndjson"] == "http://testserver/api/topics/ceasefire/statements.ndjson"


def test_sources(api, world):
    data = get(api, "/api/sources/")
    counts = {s["slug"]: s["article_count"] for s in data["results"]}
    assert counts == {"al-jazeera": 1, "agence-france-presse": 1}  # the draft is not counted
    detail = get(api, "/api/sources/al-jazeera/")
    assert detail["articles_url"] == "http://testserver/api/articles/?source=al-jazeera"


# --- pagination ------------------------------------------------------------------------------


def test_pagination_pages_and_links(api, world):
    first = get(api, "/api/statements/", page_size=2)
    assert (first["count"], first["pages"], first["page"], first["page_size"]) == (5, 3, 1, 2)
    assert first["previous"] is None and "page=2" in first["next"]
    last = get(api, "/api/statements/", page_size=2, page=3)
    assert len(last["results"]) == 1 and last["next"] is None
    assert get(api, "/api/statements/", page_size=2, page="last")["page"] == 3
    seen = ids(first) + ids(get(api, "/api/statements/", page_size=2, page=2)) + ids(last)
    assert sorted(seen) == pks(world.public_statements)


def test_page_past_the_end_is_404_with_a_clear_message(api, world):
    data = get(api, "/api/statements/", status=404, page_size=2, page=4)
    assert data["detail"] == "Page 4 does not exist: there are 3 pages of 2."


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "²", "9" * 5000])
def test_bad_page_number_is_400(api, world, page):
    assert "page" in get(api, "/api/statements/", status=400, page=page)


@pytest.mark.parametrize("size", ["0", "501", "x", "-3", "²", "9" * 5000])
def test_page_size_is_bounded(api, world, size):
    data = get(api, "/api/statements/", status=400, page_size=size)
    assert data["page_size"] == ["Must be a whole number from 1 to 500."]


def test_empty_list_is_one_empty_page(api):
    data = get(api, "/api/statements/")
    assert (data["count"], data["pages"], data["results"]) == (0, 1, [])


# --- no writes, JSON errors ------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "url", ["/api/articles/", "/api/statements/", "/api/actors/taliban/", "/api/topics/ceasefire/"]
)
def test_no_write_methods(api, world, method, url):
    response = getattr(api, method)(url, data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response.json()["detail"] == f'Method "{method.upper()}" not allowed.'
    assert world.taliban.__class__.objects.filter(slug="taliban").exists()


def test_unknown_api_address_is_json_404(api):
    response = api.get("/api/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "/api/docs/" in response.json()["detail"]


@pytest.mark.parametrize("url", ["/api/actors/%0A/", "/api/actors/%0A/statements.csv", "/api/x%0Ay/"])
def test_odd_addresses_are_json_404(api, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_missing_slash_redirects(api):
    response = api.get("/api/articles?page=1")
    assert response.status_code == 301
    assert response["Location"] == "/api/articles/?page=1"


# --- throttling ------------------------------------------------------------------------------


def test_anonymous_clients_are_throttled(api, world, settings):
    settings.API_ANON_RATE = "3/min"
    for _ in range(3):
        assert api.get("/api/topics/").status_code == 200
    response = api.get("/api/articles/")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert int(response["Retry-After"]) >= 1
    assert response.json()["detail"].startswith("Too many requests from this address.")
    # another address has its own allowance
    assert api.get("/api/topics/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_exports_count_against_the_throttle(api, world, settings):
    settings.API_ANON_RATE = "1/min"
    assert api.get("/api/statements/export.csv").status_code == 200
    assert api.get("/api/statements/export.csv").status_code == 429


# --- documentation page ----------------------------------------------------------------------


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.inline = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            if attrs.get("src"):
                self.urls.append(attrs["src"])
            else:
                self.inline.append(tag)
        elif tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag == "style" or "style" in attrs:
            self.inline.append(tag)


def test_docs_page_uses_only_local_assets_under_the_csp(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    parser = _Assets()
    parser.feed(response.content.decode())
    assert parser.inline == []  # the CSP would block inline scripts and styles
    assert len(parser.urls) == 5
    for url in parser.urls:
        assert url.startswith("/"), url
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), f"{url} is not a static file"
        else:
            script = api.get(url)
            assert script.status_code == 200
            assert script["Content-Type"].startswith("application/javascript")
            assert "/api/schema/" in script.content.decode()


def test_schema_is_served(api):
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Peace Talks Archive API"
    assert {
        "/api/articles/",
        "/api/actors/{slug}/",
        "/api/statements/{id}/",
        "/api/statements/export.{fmt}",
        "/api/actors/{slug}/statements.{fmt}",
        "/api/topics/{slug}/statements.{fmt}",
    } <= set(schema["paths"])
    assert not any(m in ops for ops in schema["paths"].values() for m in ("post", "put", "patch", "delete"))
