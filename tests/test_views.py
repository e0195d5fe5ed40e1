"""The public pages: what each shows, what it hides, how it answers bad input, and its query count."""

import datetime
import json
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from archive.models import Article, Statement, Topic
from archive.services import merge_actors
from tests.conftest import add_statement
from tests.factories import ActorFactory, ArticleFactory, SourceFactory, TopicFactory

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def json_ld(page: str) -> list[dict]:
    return [json.loads(block) for block in JSONLD.findall(page)]


def many_articles(n: int, topic=None, speaker=None):
    """n published articles, each with a statement by `speaker` and the topic."""
    articles = []
    for i in range(n):
        article = ArticleFactory(published_date=datetime.date(2020, 1 + i % 12, 1), source=SourceFactory())
        if topic:
            article.topics.add(topic)
        statement = add_statement(article, speaker or ActorFactory(), "We are ready for the talks")
        if topic:
            statement.topics.add(topic)
        articles.append(article)
    return articles


# --- Home ------------------------------------------------------------------------------------------


def test_home_shows_figures_latest_articles_actors_topics_and_chart(client, site_data):
    page = html(client.get(reverse("archive:home")))
    assert site_data["first"].title in page and site_data["second"].title in page
    assert site_data["draft"].title not in page
    assert "Zalmay Khalilzad" in page and "Ceasefire" in page
    assert re.search(r"<dt>Articles</dt><dd>2</dd>", page)
    assert re.search(r"<dt>Statements</dt><dd>5</dd>", page)  # rejected and draft statements are not counted
    assert '<svg viewBox="0 0 960 250" role="img"' in page
    assert 'action="/search/"' in page and 'name="q"' in page
    assert json_ld(page)[0]["@type"] == "WebSite"


def test_home_query_count(client, site_data, django_assert_num_queries):
    many_articles(6)
    # figures (6: counts, article and statement date spans, undated), latest articles + topics prefetch,
    # most quoted, topics with 2 counts, timeline (6: per month, per year, undated, for articles and statements)
    with django_assert_num_queries(18):
        html(client.get(reverse("archive:home")))


def test_home_works_on_an_empty_archive(client, db):
    page = html(client.get(reverse("archive:home")))
    assert "No articles have been published yet." in page


# --- Article list ----------------------------------------------------------------------------------


def test_article_list_shows_published_articles_only(client, site_data):
    page = html(client.get(reverse("archive:article_list")))
    assert site_data["first"].title in page and site_data["second"].title in page
    assert site_data["draft"].title not in page
    assert "2 articles" in page


@pytest.mark.parametrize(
    "params, shown, hidden",
    [
        ({"source": "al-jazeera"}, ["first"], ["second"]),
        ({"source": "afp"}, ["first", "second"], []),  # AFP publishes the second and is credited in the first
        ({"topic": "troop-withdrawal"}, ["first"], ["second"]),
        ({"year": "2021"}, ["second"], ["first"]),
        ({"actor": "zabihullah-mujahid"}, ["second"], ["first"]),
        ({"actor": "zalmay-khalilzad", "year": "2021"}, [], ["first", "second"]),
    ],
)
def test_article_list_filters(client, site_data, params, shown, hidden):
    page = html(client.get(reverse("archive:article_list"), params))
    for key in shown:
        assert site_data[key].title in page
    for key in hidden:
        assert site_data[key].title not in page


def test_article_list_explains_bad_filters_and_ignores_them(client, site_data):
    response = client.get(reverse("archive:article_list"), {"topic": "no-such-topic", "year": "19x9", "page": "-3"})
    page = html(response)
    assert "There is no such topic in the archive; the filter was left out." in page
    assert "No article is dated to that year; the filter was left out." in page
    assert site_data["first"].title in page and site_data["second"].title in page


def test_article_list_filter_by_rejected_speaker_only_finds_nothing(client, site_data):
    # The draft's speaker has public statements; a speaker with only rejected ones is not offered.
    page = html(client.get(reverse("archive:article_list"), {"actor": "zalmay-khalilzad"}))
    assert site_data["first"].title in page and site_data["draft"].title not in page


def test_article_list_paginates(client, db):
    many_articles(25)
    first_page = html(client.get(reverse("archive:article_list")))
    assert first_page.count('class="article-item"') == 20
    assert "Page 1 of 2" in first_page and 'rel="next"' in first_page
    second_page = html(client.get(reverse("archive:article_list"), {"page": 2}))
    assert second_page.count('class="article-item"') == 5
    assert html(client.get(reverse("archive:article_list"), {"page": "999"})).count('class="article-item"') == 5


def test_article_list_query_count(client, db, django_assert_num_queries):
    topic = TopicFactory()
    many_articles(12, topic=topic)
    # filter choices: sources, topics, years, actors; count, page, topics prefetch, statement counts
    with django_assert_num_queries(8):
        page = html(client.get(reverse("archive:article_list")))
    assert page.count('class="article-item"') == 12
    with django_assert_num_queries(9):  # + the topic lookup of the filter
        html(client.get(reverse("archive:article_list"), {"topic": topic.slug}))


# --- Article page ----------------------------------------------------------------------------------


def test_article_page_metadata(client, site_data):
    page = html(client.get(site_data["first"].get_absolute_url()))
    assert "10 February 2020" in page and "Doha, Qatar" in page and "By Jane Reporter" in page
    assert "Al Jazeera" in page and "AFP" in page  # source and credited agency
    month_page = html(client.get(site_data["second"].get_absolute_url()))
    assert "March 2021" in month_page and "(known to the month)" in month_page


def test_article_page_marks_every_public_statement_in_place(client, site_data):
    s1, anonymous = site_data["s1"], site_data["anonymous"]
    page = html(client.get(site_data["first"].get_absolute_url()))
    mark = re.search(
        rf'<mark class="([^"]+)" id="s-{s1.pk}" title="[^"]*">We are closer than ever to a deal</mark>', page
    )
    assert mark and {"quote", f"quote-{s1.review_status}", "quote-start", "quote-end"} <= set(mark[1].split())
    # The speaker's label follows the closing quotation mark, outside the quoted words.
    envoy = site_data["envoy"].get_absolute_url()
    assert re.search(
        rf'deal</mark>,”<span class="quote-speaker" data-for="s-{s1.pk}"><span class="visually-hidden"> '
        rf'\(said by </span><a href="{envoy}">Zalmay Khalilzad</a>',
        page,
    )
    assert re.search(rf'<mark class="[^"]+" id="s-{anonymous.pk}" title="[^"]*">progress was slow</mark>', page)
    assert "a person familiar with the talks" in page
    assert len(re.findall(r'<mark class="quote [^"]*" id="s-', page)) == 4
    # The body is intact around the marks: paragraph text before and after each quote is kept.
    assert "<p>Talks resumed in Doha on Monday.</p>" in page


def test_article_page_does_not_mark_rejected_statements(client, site_data):
    page = html(client.get(site_data["second"].get_absolute_url()))
    assert f'id="s-{site_data["s4"].pk}"' in page
    assert f'id="s-{site_data["rejected"].pk}"' not in page
    assert "The group answered in a statement." in page


def test_article_page_of_a_draft_is_not_found(client, site_data):
    response = client.get(site_data["draft"].get_absolute_url())
    assert response.status_code == 404
    assert "This page is not in the archive" in response.content.decode()


def test_article_page_cites_the_article(client, site_data):
    page = html(client.get(site_data["first"].get_absolute_url()))
    assert (
        "Jane Reporter. “Envoy hopeful as talks resume.” Al Jazeera, 10 February 2020. "
        "Archived in Peace Talks Archive, http://testserver/articles/envoy-hopeful-as-talks-resume/ "
        f"(accessed {timezone.localdate():%-d %B %Y})." in page
    )
    assert 'href="/articles/envoy-hopeful-as-talks-resume/cite.bib"' in page
    assert 'href="/articles/envoy-hopeful-as-talks-resume/cite.ris"' in page


def test_article_page_lists_public_corrections_only(client, site_data):
    article = site_data["first"]
    article.editor_notes = "Check the quote with the desk."
    article.save()
    page = html(client.get(article.get_absolute_url()))
    assert "No corrections since it was added to the archive" in page
    assert "Check the quote with the desk." not in page

    article.title = "Envoy hopeful as Doha talks resume"
    article._change_reason = "Headline corrected to match the original"
    article.save()
    page = html(client.get(article.get_absolute_url()))
    assert "Title changed from “Envoy hopeful as talks resume” to “Envoy hopeful as Doha talks resume”" in page
    assert "Why: Headline corrected to match the original" in page
    assert "Check the quote with the desk." not in page


def test_article_page_json_ld(client, site_data):
    data = json_ld(html(client.get(site_data["first"].get_absolute_url())))[0]
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Envoy hopeful as talks resume"
    assert data["datePublished"] == "2020-02-10"
    assert data["publisher"]["name"] == "Al Jazeera"
    assert {m["name"] for m in data["mentions"]} == {"Zalmay Khalilzad", "Taliban"}


def test_article_page_query_count(client, site_data, django_assert_num_queries):
    article = site_data["first"]
    # article, credited sources, topics, statements, their topics, history
    with django_assert_num_queries(6):
        html(client.get(article.get_absolute_url()))


# --- Actors ----------------------------------------------------------------------------------------


def test_actor_list_groups_actors_under_their_side_with_counts(client, site_data):
    page = html(client.get(reverse("archive:actor_list")))
    page = page[page.index("</head>") :]  # the page body, after the JSON-LD list of the same actors
    usg = page.index('id="side-united-states-government"')
    taliban = page.index('id="side-taliban"')
    envoy = page.index("Zalmay Khalilzad")
    spokesman = page.index("Zabihullah Mujahid")
    # The US side has 2 public statements, the Taliban side 2 (own) + 1: the Taliban come first.
    assert taliban < spokesman < usg < envoy
    assert re.search(r"Zalmay Khalilzad</a> <span class=\"muted\">US envoy</span> <span class=\"count\">2<", page)


def test_actor_list_query_count(client, db, django_assert_num_queries):
    side = ActorFactory(name="Side")
    for _ in range(10):
        speaker = ActorFactory(affiliation=side)
        many_articles(1, speaker=speaker)
    with django_assert_num_queries(1):
        page = html(client.get(reverse("archive:actor_list")))
    assert len(re.findall(r"<li><a href=\"/actors/actor-number\d+/\">", page)) == 10


def test_actor_page_shows_statements_in_date_order_with_topics(client, site_data):
    page = html(client.get(site_data["envoy"].get_absolute_url()))
    assert "US envoy" in page
    assert page.index("We are closer than ever to a deal") < page.index("a ceasefire must come first")
    assert "A secret deal is near" not in page  # in a draft
    assert 'href="/topics/ceasefire/"' in page
    assert f'href="{site_data["first"].get_absolute_url()}#s-{site_data["s1"].pk}"' in page
    assert "Statements by Zalmay Khalilzad per month" in page


def test_actor_page_lists_co_occurring_actors_and_top_topics(client, site_data):
    page = html(client.get(site_data["envoy"].get_absolute_url()))
    quoted_alongside = page[page.index("Quoted alongside") :]
    assert "Taliban" in quoted_alongside and "Zabihullah Mujahid" not in quoted_alongside
    top = page[page.index("Speaks most on") : page.index("Quoted alongside")]
    assert "Ceasefire" in top and "Troop withdrawal" not in top


def test_actor_page_json_ld(client, site_data):
    person = json_ld(html(client.get(site_data["envoy"].get_absolute_url())))[0]
    assert person["@type"] == "Person" and person["jobTitle"] == "US envoy"
    assert person["affiliation"]["name"] == "United States government"
    organisation = json_ld(html(client.get(site_data["taliban"].get_absolute_url())))[0]
    assert organisation["@type"] == "Organization"


def test_actor_page_query_count(client, db, django_assert_num_queries):
    speaker = ActorFactory(affiliation=ActorFactory(name="A side"))
    many_articles(8, topic=TopicFactory(), speaker=speaker)
    # actor with its affiliation, aliases, dated roles, statements, their topics, date span, co-actors, top
    # topics, members, sides and stances (for the stance-over-time links; no topic query when there is no stance)
    with django_assert_num_queries(11):
        html(client.get(speaker.get_absolute_url()))


def test_unknown_actor_is_not_found(client, db):
    assert client.get(reverse("archive:actor_detail", args=["nobody"])).status_code == 404


def test_address_of_a_merged_actor_redirects_permanently_to_the_survivor(client, db):
    survivor = ActorFactory(name="Barnet-Robin")
    loser = ActorFactory(name="Robin")
    many_articles(1, speaker=loser)
    assert loser.slug == "robin"
    merge_actors(survivor, [loser])
    response = client.get("/actors/robin/")
    assert response.status_code == 301 and response["Location"] == survivor.get_absolute_url()
    assert client.get("/actors/robin-hood/").status_code == 404


def test_merged_actor_address_does_not_redirect_to_an_unpublic_survivor(client, db):
    survivor = ActorFactory(name="Barnet-Robin", needs_review=True)
    merge_actors(survivor, [ActorFactory(name="Robin")])
    assert client.get("/actors/robin/").status_code == 404


def test_unreviewed_actors_without_public_statements_stay_off_the_public_site(client, site_data):
    imported = ActorFactory(name="Imported Nobody", needs_review=True, affiliation=site_data["usg"])
    add_statement(site_data["draft"], imported, "Draft text")
    add_statement(site_data["first"], imported, "Talks resumed in Doha", review_status="rejected")
    speaking = ActorFactory(name="Imported Speaker", needs_review=True, affiliation=site_data["usg"])
    add_statement(site_data["first"], speaking, "The Taliban said")
    assert client.get(imported.get_absolute_url()).status_code == 404
    assert client.get(reverse("archive:actor_feed", args=[imported.slug])).status_code == 404
    actors = html(client.get(reverse("archive:actor_list")))
    assert "Imported Nobody" not in actors and "Imported Speaker" in actors
    envoy = html(client.get(site_data["envoy"].get_absolute_url()))
    assert "Imported Nobody" not in envoy and "Imported Speaker" in envoy  # quoted alongside
    usg = html(client.get(site_data["usg"].get_absolute_url()))
    assert "Imported Nobody" not in usg and "Imported Speaker" in usg  # members
    html(client.get(speaking.get_absolute_url()))
    sitemap = client.get("/sitemap-actors.xml").content.decode()
    assert imported.get_absolute_url() not in sitemap and speaking.get_absolute_url() in sitemap


# --- Topics ----------------------------------------------------------------------------------------


def test_topic_list_shows_counts(client, site_data):
    page = html(client.get(reverse("archive:topic_list")))
    assert re.search(r"Ceasefire</a></h2>.*?<span>4 statements</span><span>2 articles</span>", page, re.S)


def test_topic_list_query_count(client, db, django_assert_num_queries):
    for _ in range(8):
        many_articles(1, topic=TopicFactory())
    with django_assert_num_queries(3):  # statement counts, article counts, topics
        page = html(client.get(reverse("archive:topic_list")))
    assert page.count('class="topic-card"') == Topic.objects.count() >= 8


def test_topic_page_sets_sides_in_columns_with_unattributed_last(client, site_data):
    page = html(client.get(site_data["ceasefire"].get_absolute_url()))
    columns = re.findall(r'<h3 id="col-\d+-h" class="compare-head">(?:<a [^>]+>)?([^<]+)', page)
    assert [c.strip() for c in columns] == ["United States government", "Taliban", "Unattributed"]
    us = page[page.index('id="col-1"') : page.index('id="col-2"')]
    assert "We are closer than ever to a deal" in us and "a ceasefire must come first" in us
    taliban = page[page.index('id="col-2"') : page.index('id="col-3"')]
    assert "There will be no ceasefire before withdrawal" in taliban
    assert "The group answered" not in taliban  # rejected
    assert "progress was slow" in page[page.index('id="col-3"') :]
    assert "A secret deal is near" not in page


def test_topic_page_columns_are_in_date_order(client, site_data):
    later = ArticleFactory(
        published_date=datetime.date(2019, 5, 1), body="Earlier.\n\n“An earlier word on a truce,” he said."
    )
    early = add_statement(later, site_data["envoy"], "An earlier word on a truce")
    early.topics.add(site_data["ceasefire"])
    page = html(client.get(site_data["ceasefire"].get_absolute_url()))
    assert page.index("An earlier word on a truce") < page.index("We are closer than ever to a deal")


def test_topic_page_query_count(client, db, django_assert_num_queries):
    topic = TopicFactory()
    for side_name in ("Side A", "Side B", "Side C"):
        side = ActorFactory(name=side_name)
        many_articles(3, topic=topic, speaker=ActorFactory(affiliation=side))
    # topic, statements, their speakers' dated roles, side map, confirmed stances per side, speakers with
    # stances (none here)
    with django_assert_num_queries(6):
        page = html(client.get(topic.get_absolute_url()))
    assert page.count('class="compare-column') == 3


# --- Statement page --------------------------------------------------------------------------------


def test_statement_page_shows_quote_context_and_links(client, site_data):
    s1 = site_data["s1"]
    page = html(client.get(s1.get_absolute_url()))
    assert "“We are closer than ever to a deal”" in page
    assert "10 February 2020" in page and "Interview" in page and "Al Jazeera" in page
    assert re.search(r'<mark class="quote [^"]+" title="[^"]+">We are closer than ever to a deal</mark>', page)
    assert "</mark>,” the envoy said, adding that a ceasefire must come first.</p>" in page  # the whole paragraph
    assert f'href="{site_data["first"].get_absolute_url()}#s-{s1.pk}"' in page
    assert f"http://testserver/statements/{s1.pk}/" in page  # permalink
    data = json_ld(page)[0]
    assert data["@type"] == "Quotation" and data["creator"]["name"] == "Zalmay Khalilzad"
    assert data["isPartOf"]["url"].endswith(site_data["first"].get_absolute_url())


def test_statement_page_of_anonymous_speaker(client, site_data):
    page = html(client.get(site_data["anonymous"].get_absolute_url()))
    assert "a person familiar with the talks" in page


@pytest.mark.parametrize("key", ["rejected", "hidden"])
def test_statement_page_hides_rejected_and_draft_statements(client, site_data, key):
    assert client.get(site_data[key].get_absolute_url()).status_code == 404


# --- Timeline --------------------------------------------------------------------------------------


def _table_rows(page: str) -> dict[str, tuple[int, int]]:
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td class="num">(\d+)</td><td class="num">(\d+)</td>', page)
    return {month: (int(a), int(s)) for month, a, s in rows if month != "Total"}


def test_timeline_counts_articles_and_statements_per_month(client, site_data):
    page = html(client.get(reverse("archive:timeline")))
    rows = _table_rows(page)
    assert rows["February 2020"] == (1, 4)
    assert rows["March 2021"] == (1, 1)
    assert "January 2021" not in rows  # empty months are charted but not listed
    assert page.count('<rect class="bar-statements"') == 2


def test_timeline_filters_by_actor_and_topic(client, site_data):
    rows = _table_rows(html(client.get(reverse("archive:timeline"), {"actor": "zabihullah-mujahid"})))
    assert rows == {"March 2021": (1, 1)}
    rows = _table_rows(html(client.get(reverse("archive:timeline"), {"topic": "troop-withdrawal"})))
    assert rows["February 2020"] == (1, 1) and rows["March 2021"] == (1, 1)


def test_timeline_explains_bad_filters(client, site_data):
    page = html(client.get(reverse("archive:timeline"), {"actor": "<b>nobody</b>"}))
    assert "There is no such quoted actor in the archive; the filter was left out." in page
    assert _table_rows(page)["February 2020"] == (1, 4)


def test_timeline_counts_year_dated_items_apart(client, site_data):
    article = ArticleFactory(
        published_date=datetime.date(2019, 1, 1),
        date_precision=Article.DatePrecision.YEAR,
        body="Year only.\n\n“Talks will go on,” he said.",
    )
    add_statement(article, site_data["envoy"], "Talks will go on")
    page = html(client.get(reverse("archive:timeline")))
    assert "dated only to 2019: 1 article, 1 statement." in page
    assert "January 2019" not in _table_rows(page)
    assert '<th scope="row">Dated only to 2019</th><td class="num">1</td><td class="num">1</td>' in page


def test_timeline_query_count(client, db, django_assert_num_queries):
    many_articles(10)
    # actor and topic choices; articles and statements per month, per year (year-precise) and undated
    with django_assert_num_queries(8):
        html(client.get(reverse("archive:timeline")))


# --- robots.txt, sitemap, errors -------------------------------------------------------------------


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_sitemap_lists_public_pages_only(client, site_data):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    sections = re.findall(r"<loc>http://testserver(/sitemap-\w+\.xml)</loc>", index.content.decode())
    names = ("pages", "articles", "actors", "topics", "statements", "agreements", "provisions", "stances")
    assert sections == [f"/sitemap-{name}.xml" for name in names]
    xml = ""
    for section in sections:
        response = client.get(section)
        assert response.status_code == 200
        xml += response.content.decode()
    for url in (
        site_data["first"].get_absolute_url(),
        site_data["envoy"].get_absolute_url(),
        site_data["ceasefire"].get_absolute_url(),
        site_data["s1"].get_absolute_url(),
        reverse("archive:timeline"),
        reverse("archive:agreement_list"),
    ):
        assert f"<loc>http://testserver{url}</loc>" in xml
    assert site_data["draft"].get_absolute_url() not in xml
    assert f"/statements/{site_data['rejected'].pk}/" not in xml


def test_every_page_has_its_own_title_and_description(client, site_data):
    urls = [
        reverse("archive:home"),
        reverse("archive:article_list"),
        reverse("archive:actor_list"),
        reverse("archive:topic_list"),
        reverse("archive:timeline"),
        site_data["first"].get_absolute_url(),
        site_data["envoy"].get_absolute_url(),
        site_data["ceasefire"].get_absolute_url(),
        site_data["s1"].get_absolute_url(),
    ]
    titles, descriptions = set(), set()
    for url in urls:
        page = html(client.get(url))
        titles.add(re.search(r"<title>(.*?)</title>", page, re.S).group(1))
        descriptions.add(re.search(r'<meta name="description" content="(.*?)">', page, re.S).group(1))
    assert len(titles) == len(urls) and len(descriptions) == len(urls)


def test_pages_have_landmarks_and_skip_link(client, site_data):
    page = html(client.get(site_data["first"].get_absolute_url()))
    for marker in ('<a class="skip-link" href="#main">', '<main id="main"', "<header", "<footer", 'aria-label="Main"'):
        assert marker in page


def test_500_page_renders_without_context_or_database():
    page = render_to_string("500.html")
    assert "Something went wrong on our side" in page and 'href="/static/archive/site.css"' in page


def test_unknown_address_gets_the_friendly_404(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "All articles" in response.content.decode()


def test_pages_refuse_post(client, site_data):
    assert client.post(reverse("archive:home")).status_code == 405


def test_statement_factory_statement_is_public(site_data):
    # Guard for the fixtures above: the statements the tests rely on are public.
    public = set(Statement.objects.public().values_list("pk", flat=True))
    assert {site_data[k].pk for k in ("s1", "s2", "s3", "s4", "anonymous")} <= public
    assert site_data["rejected"].pk not in public and site_data["hidden"].pk not in public


@pytest.mark.parametrize(
    "url",
    [
        "/articles/?source=%00bad&topic=%00&actor=x%00&year=%00",
        "/articles/?year=99999999999999999999&page=99999999999999999999",
        "/articles/?topic=ceasefire&topic=sanctions",
        "/timeline/?actor=%00&topic=" + "x" * 5000,
    ],
)
def test_hostile_filter_values_never_fail_the_page(client, site_data, url):
    response = client.get(url)
    assert response.status_code == 200


def test_out_of_range_statement_id_is_not_found(client, site_data):
    assert client.get("/statements/99999999999999999999999/").status_code == 404


def test_article_list_shows_each_active_filter_with_a_link_removing_it(client, site_data):
    page = html(client.get(reverse("archive:article_list"), {"topic": "ceasefire", "year": "2020", "page": "1"}))
    assert "<title>Articles: Ceasefire, 2020 · Peace Talks Archive</title>" in page
    assert '<span>Topic: <strong>Ceasefire</strong></span> <a href="?year=2020">Remove' in page
    assert '<span>Year: <strong>2020</strong></span> <a href="?topic=ceasefire">Remove' in page


def test_article_page_links_only_web_addresses(client, site_data):
    article = site_data["first"]
    article.source.homepage_url = "javascript:alert(1)"
    article.source.save()
    article.url = "javascript:alert(2)"
    article.save()
    page = html(client.get(article.get_absolute_url()))
    assert 'href="javascript:' not in page
    assert "Original address changed to “javascript:alert(2)”" in page  # shown as text in the record only
    article.url = "https://example.org/report"
    article.save()
    page = html(client.get(article.get_absolute_url()))
    assert '<a href="https://example.org/report" rel="noopener nofollow">https://example.org/report</a>' in page
    assert "https://example.org/report." in page  # in the citation


@pytest.mark.parametrize("path", ["/static/archive/site.css", "/static/archive/site.js"])
def test_static_files_are_served_without_debug_or_collectstatic(client, db, settings, path):
    assert settings.DEBUG is False
    response = client.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


def test_chart_scroll_boxes_start_at_the_latest_months(client, site_data):
    # On phones a chart scrolls sideways; the script, not inline code (CSP), moves it to its right end.
    page = html(client.get(reverse("archive:timeline")))
    assert 'class="chart-scroll"' in page and "<script>" not in page
    script = b"".join(client.get("/static/archive/site.js").streaming_content).decode()
    assert 'querySelectorAll(".chart-scroll")' in script
    assert "box.scrollLeft = end" in script and "scrollChartsToLatest();" in script


def test_pages_link_the_svg_favicon_and_favicon_ico_redirects_to_it(client, db):
    page = html(client.get(reverse("archive:home")))
    assert '<link rel="icon" href="/static/archive/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/archive/favicon.svg"
    icon = client.get("/static/archive/favicon.svg")
    assert icon.status_code == 200 and icon["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(icon.streaming_content)
