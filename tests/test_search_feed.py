"""A feed for any search: its newest matching public statements, with the search's filters kept."""

import xml.etree.ElementTree as ET

from django.urls import reverse

from tests.site_pages import feed_links

pytest_plugins = ["tests.search_fixtures"]

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return feed, feed.findall(f"{ATOM}entry")


def test_search_feed_keeps_words_and_filters(client, archive):
    url = reverse("search:feed_atom") + "?q=ceasefire&topic=" + archive["ceasefire"].slug
    feed, found = entries(client.get(url))
    links = [e.find(f"{ATOM}link").get("href") for e in found]
    assert links == ["http://testserver" + archive["baradar_truce"].get_absolute_url()]
    # The feed's own link is the same search, filters kept.
    alternate = [link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
    assert alternate == [f"http://testserver/search/?q=ceasefire&topic={archive['ceasefire'].slug}"]


def test_search_feed_without_the_filter_is_wider(client, archive):
    _, found = entries(client.get(reverse("search:feed_atom") + "?q=Khalilzad"))
    links = {e.find(f"{ATOM}link").get("href") for e in found}
    assert "http://testserver" + archive["envoy_doha"].get_absolute_url() in links
    assert "http://testserver" + archive["draft"].get_absolute_url() not in links
    _, narrowed = entries(client.get(reverse("search:feed_atom") + "?q=Khalilzad&year=2020"))
    assert {e.find(f"{ATOM}link").get("href") for e in narrowed} == {
        "http://testserver" + archive["envoy_signing"].get_absolute_url()
    }


def test_search_feed_rss(client, archive):
    response = client.get(reverse("search:feed_rss") + "?q=ceasefire")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert ET.fromstring(response.content).find("channel").findall("item")


def test_search_feed_ignores_the_pages_own_parameters(client, archive):
    # Page, sort and type belong to the page, not to the feed: even a malformed one is no error here.
    _, found = entries(client.get(reverse("search:feed_atom") + "?q=ceasefire&page=abc&sort=nonsense&type=actor"))
    assert "http://testserver" + archive["baradar_truce"].get_absolute_url() in {
        e.find(f"{ATOM}link").get("href") for e in found
    }


def test_search_feed_refuses_a_parameter_it_cannot_use(client, archive):
    for query in ("?q=ceasefire&topic=no-such-topic", "?date_from=2020-13-45", "?year=twenty"):
        response = client.get(reverse("search:feed_atom") + query)
        assert response.status_code == 400, query
        assert response["Content-Type"].startswith("text/plain")
        assert "cannot use" in response.content.decode()


def test_search_page_links_its_feed_with_filters(client, archive):
    slug = archive["prisoners"].slug
    html = client.get(f"/search/?q=Khalilzad&topic={slug}&page=1&sort=oldest").content.decode()
    expected = f"/search/feed/atom/?q=Khalilzad&topic={slug}"
    assert ("application/atom+xml", expected) in feed_links(html)
    assert f'href="{expected.replace("&", "&amp;")}">Atom feed</a>' in html
