"""RSS and Atom feeds: latest articles, statements per topic and per actor; public items only."""

import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.urls import reverse

from archive.models import Actor
from tests.conftest import add_statement
from tests.factories import ArticleFactory, TopicFactory
from tests.site_pages import feed_links, page_urls, path_of

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    return channel, channel.findall("item")


def atom_entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return feed, feed.findall(f"{ATOM}entry")


def test_latest_articles_rss_lists_published_articles_newest_first(client, site_data):
    channel, items = rss_items(client.get(reverse("archive:feed_latest")))
    assert channel.findtext("title") == "Peace Talks Archive: latest articles"
    assert [item.findtext("title") for item in items] == [site_data["second"].title, site_data["first"].title]
    first = items[1]
    assert first.findtext("link") == "http://testserver" + site_data["first"].get_absolute_url()
    assert "Al Jazeera · 10 February 2020. Talks resumed in Doha" in first.findtext("description")
    assert {c.text for c in first.findall("category")} == {"Ceasefire", "Troop withdrawal"}
    assert first.findtext("pubDate").startswith("Mon, 10 Feb 2020")


def test_latest_articles_atom(client, site_data):
    feed, entries = atom_entries(client.get(reverse("archive:feed_latest_atom")))
    assert feed.findtext(f"{ATOM}title") == "Peace Talks Archive: latest articles"
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == [site_data["second"].title, site_data["first"].title]
    assert site_data["draft"].title not in titles


def test_undated_articles_come_last_without_a_misleading_date(client, site_data):
    undated = ArticleFactory(title="Undated wire story", published_date=None, date_precision="unknown")
    channel, items = rss_items(client.get(reverse("archive:feed_latest")))
    titles = [item.findtext("title") for item in items]
    assert titles == [site_data["second"].title, site_data["first"].title, undated.title]
    assert items[-1].find("pubDate") is None
    assert items[0].findtext("pubDate").startswith("Mon, 01 Mar 2021")
    feed, entries = atom_entries(client.get(reverse("archive:feed_latest_atom")))
    assert [entry.findtext(f"{ATOM}title") for entry in entries][-1] == undated.title
    assert entries[-1].find(f"{ATOM}published") is None
    assert all(entry.findtext(f"{ATOM}updated") for entry in entries)  # Atom requires it on every entry
    assert feed.findtext(f"{ATOM}updated")
    assert entries[0].findtext(f"{ATOM}published").startswith("2021-03-01")


def test_undated_statements_come_last_without_a_misleading_date(client, site_data):
    undated = ArticleFactory(published_date=None, date_precision="unknown", body="He said “talks go on” today.")
    add_statement(undated, site_data["envoy"], "talks go on")
    _, items = rss_items(client.get(reverse("archive:actor_feed", args=["zalmay-khalilzad"])))
    assert items[-1].findtext("title") == "Zalmay Khalilzad: “talks go on”"
    assert items[-1].find("pubDate") is None and items[0].find("pubDate") is not None


def test_topic_feed_lists_public_statements_on_the_topic(client, site_data):
    channel, items = rss_items(client.get(reverse("archive:topic_feed", args=["ceasefire"])))
    assert channel.findtext("title") == "Peace Talks Archive: statements on Ceasefire"
    descriptions = " ".join(item.findtext("description") for item in items)
    assert "There will be no ceasefire before withdrawal" in descriptions
    assert "We are closer than ever to a deal" in descriptions
    assert "progress was slow" in descriptions
    assert "The group answered" not in descriptions  # rejected
    assert "A secret deal is near" not in descriptions  # in a draft
    assert len(items) == 4
    # Newest first: the March 2021 statement leads.
    assert items[0].findtext("title").startswith("Zabihullah Mujahid: “There will be no ceasefire")
    assert items[0].findtext("link").endswith(site_data["s4"].get_absolute_url())


def test_actor_feeds_list_the_actor_statements(client, site_data):
    channel, items = rss_items(client.get(reverse("archive:actor_feed", args=["zalmay-khalilzad"])))
    assert channel.findtext("title") == "Peace Talks Archive: statements by Zalmay Khalilzad"
    assert {item.findtext("link") for item in items} == {
        "http://testserver" + site_data["s1"].get_absolute_url(),
        "http://testserver" + site_data["s2"].get_absolute_url(),
    }
    feed, entries = atom_entries(client.get(reverse("archive:actor_atom", args=["zalmay-khalilzad"])))
    assert len(entries) == 2
    assert feed.findtext(f"{ATOM}subtitle") == "The latest statements by Zalmay Khalilzad on the peace talks."


def test_actor_feed_puts_the_substantial_statement_of_a_day_before_its_fragments(client, site_data):
    envoy = site_data["envoy"]
    article = ArticleFactory(
        title="Envoy on the next round",
        body="“The next round will settle the schedule for every prisoner exchange,” the envoy said. "
        "He called it “hard work”.",
    )
    substantial = add_statement(article, envoy, "The next round will settle the schedule for every prisoner exchange")
    fragment = add_statement(article, envoy, "hard work")  # saved later, same date
    assert substantial.date == fragment.date
    _, items = rss_items(client.get(reverse("archive:actor_feed", args=[envoy.slug])))
    links = [item.findtext("link") for item in items]
    assert links.index("http://testserver" + substantial.get_absolute_url()) < links.index(
        "http://testserver" + fragment.get_absolute_url()
    )


@pytest.mark.parametrize("name", ["topic_feed", "topic_atom", "actor_feed", "actor_atom"])
def test_feed_for_unknown_slug_is_not_found(client, db, name):
    assert client.get(reverse(f"archive:{name}", args=["no-such-thing"])).status_code == 404


def test_pages_advertise_their_feeds(client, site_data):
    page = client.get(site_data["ceasefire"].get_absolute_url()).content.decode()
    assert f'href="{reverse("archive:topic_atom", args=["ceasefire"])}"' in page
    page = client.get(site_data["envoy"].get_absolute_url()).content.decode()
    assert f'href="{reverse("archive:actor_atom", args=["zalmay-khalilzad"])}"' in page


def test_feed_query_counts(client, db, django_assert_num_queries):
    from tests.test_views import many_articles

    topic = TopicFactory()
    many_articles(8, topic=topic)
    with django_assert_num_queries(2):  # articles with sources, their topics
        rss_items(client.get(reverse("archive:feed_latest")))
    with django_assert_num_queries(2):  # the topic, its statements with speakers and articles
        atom_entries(client.get(reverse("archive:topic_atom", args=[topic.slug])))


@pytest.fixture
def corpus_with_undated(corpus):
    """The curated corpus plus an undated article with a hostile title and a quoted statement."""
    article = ArticleFactory(
        title="Envoy <b>meets</b> negotiators & <script>alert(1)</script>",
        published_date=None,
        date_precision="unknown",
        body="Note.\n\n“Talks will go on,” Zalmay Khalilzad said.",
    )
    khalilzad = Actor.objects.get(slug="zalmay-khalilzad")
    add_statement(article, khalilzad, "Talks will go on")
    return article


def test_every_linked_feed_is_well_formed_with_ids_links_and_honest_dates(client, corpus_with_undated):
    feeds = set()
    for urls in page_urls().values():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            links = feed_links(response.content.decode())
            # Every page offers the latest articles in both formats.
            assert {kind for kind, _ in links} == {"application/rss+xml", "application/atom+xml"}, url
            feeds.update(links)
    entries_checked = 0
    for kind, href in sorted(feeds):
        response = client.get(href)
        assert response.status_code == 200 and response["Content-Type"].startswith(kind), href
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, f"{href}: {parsed.get('bozo_exception')}"
        assert parsed.version == ("atom10" if "atom" in kind else "rss20"), href
        assert parsed.feed.title and parsed.feed.link
        if parsed.version == "atom10":
            # RFC 4287: an author on the feed (entries inherit it) and <updated> everywhere.
            assert parsed.feed.author == "Peace Talks Archive", href
            assert parsed.feed.updated_parsed, href
        ids = [entry.id for entry in parsed.entries]
        assert len(ids) == len(set(ids)) and all(ids), href
        for entry in parsed.entries:
            entries_checked += 1
            assert "<" not in entry.title and "&lt;" not in entry.title, entry.title
            assert client.get(path_of(entry.link)).status_code == 200, entry.link
            if parsed.version == "atom10":
                assert entry.updated_parsed, entry.link
            dated = entry.get("published_parsed")
            summary = entry.summary
            if not dated:
                # An undated item has no date at all, and says so.
                assert summary.startswith("Date unknown."), entry.link
            elif "is known, so the feed's date is its first day" in summary:
                assert dated.tm_mday == 1, entry.link
    assert len(feeds) >= 20 and entries_checked >= 200
    print(f"\nfeedparser: {len(feeds)} linked feeds, {entries_checked} entries checked")


def test_feed_titles_carry_no_markup_and_are_escaped_once(client, corpus_with_undated):
    for name in ("archive:feed_latest", "archive:feed_latest_atom"):
        xml = client.get(reverse(name)).content.decode()
        assert "<title>Envoy meets negotiators &amp; alert(1)</title>" in xml
        assert "&lt;b&gt;" not in xml.split("<title>Envoy")[1].split("</title>")[0]
        parsed = feedparser.parse(xml)
        assert "Envoy meets negotiators & alert(1)" in [entry.title for entry in parsed.entries]


def test_month_and_year_precise_items_carry_a_visible_precision_note(client, site_data):
    # "Taliban reject truce call" is dated March 2021, to the month.
    _, items = rss_items(client.get(reverse("archive:feed_latest")))
    march = next(item for item in items if item.findtext("title") == site_data["second"].title)
    assert march.findtext("pubDate").startswith("Mon, 01 Mar 2021")
    assert march.findtext("description").startswith(
        "Dated March 2021: only the month is known, so the feed&#x27;s date is its first day."
    )
    day = next(item for item in items if item.findtext("title") == site_data["first"].title)
    assert "only the" not in day.findtext("description")
