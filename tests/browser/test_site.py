"""End to end in chromium: browsing, following statements, filters, search box, comparison, phone layout."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import NoReverseMatch, reverse

from archive.models import Actor, Article, Statement, Topic


def test_home_to_article(site, page):
    page.goto(site.url + "/")
    assert page.title().startswith("Peace Talks Archive")
    latest = page.locator("section.home-latest .article-item-title a").first
    title = latest.inner_text()
    latest.click()
    page.wait_for_load_state()
    article = Article.objects.published().get(title=title)
    assert page.url == site.url + article.get_absolute_url()
    assert page.locator("h1").inner_text() == title
    marks = page.locator(".article-body mark.quote[id^='s-']")
    assert marks.count() == Statement.objects.public().filter(article=article).count() > 0


def test_statement_to_speaker(site, page):
    statement = Statement.objects.public().filter(speaker__isnull=False).select_related("speaker").first()
    page.goto(site.url + statement.get_absolute_url())
    page.locator("figure.big-quote figcaption a").click()
    page.wait_for_load_state()
    assert page.url == site.url + statement.speaker.get_absolute_url()
    assert page.locator("h1").inner_text() == statement.speaker.name
    # And from the article body: the name after a highlighted quote leads to its speaker.
    page.goto(site.url + statement.article.get_absolute_url())
    chip = page.locator(f'.quote-speaker[data-for="s-{statement.pk}"] a')
    assert chip.inner_text() == statement.speaker.name
    chip.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == statement.speaker.name


def test_statement_links_to_its_place_in_the_article(site, page):
    statement = Statement.objects.public().first()
    page.goto(site.url + statement.get_absolute_url())
    page.get_by_role("link", name="Read it in the article").click()
    page.wait_for_load_state()
    assert urlparse(page.url).fragment == f"s-{statement.pk}"
    mark = page.locator(f"mark#s-{statement.pk}")
    assert mark.inner_text() == statement.text
    assert mark.is_visible()


def test_article_filters(site, page):
    topic = Topic.objects.get(slug="power-sharing")
    expected = Article.objects.published().filter(topics=topic).count()
    page.goto(site.url + reverse("archive:article_list"))
    total = page.locator(".article-item").count()
    page.get_by_label("Topic", exact=True).select_option(topic.slug)
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    query = parse_qs(urlparse(page.url).query)
    assert query == {"topic": [topic.slug]}  # empty filters are left out of the address
    assert page.locator(".article-item").count() == expected < total
    assert page.get_by_label("Topic", exact=True).input_value() == topic.slug


def test_search_box_submits_to_search(site, page):
    page.goto(site.url + "/")
    box = page.get_by_role("searchbox", name="Search the archive")
    box.fill("ceasefire Khalilzad")
    with page.expect_navigation() as navigation:
        box.press("Enter")
    response = navigation.value
    url = urlparse(page.url)
    assert url.path == "/search/"
    assert parse_qs(url.query) == {"q": ["ceasefire Khalilzad"]}
    try:
        reverse("search:search")
    except NoReverseMatch:
        pass  # the search page itself is not routed yet; the form's address is what this test owns
    else:
        assert response.status == 200
    assert page.locator("#site-search").input_value() == "ceasefire Khalilzad"


def test_topic_comparison_sets_sides_side_by_side(site, page):
    page.goto(site.url + reverse("archive:topic_detail", args=["intra-afghan-talks"]))
    columns = page.locator(".compare-column")
    assert columns.count() >= 3
    heads = page.locator(".compare-head").evaluate_all("els => els.map(e => e.firstChild.textContent.trim())")
    assert heads[-1] == "Unattributed"
    sides = {actor.name for actor in Actor.objects.filter(affiliation__isnull=True)}
    assert set(heads[:-1]) <= sides
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert second["x"] > first["x"] + first["width"] - 1
    assert abs(second["y"] - first["y"]) < 1
    # The comparison scrolls inside its own region, not the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/articles/",
        "/actors/",
        "/timeline/",
        "/topics/intra-afghan-talks/",
        "/articles/as-taliban-advance-biden-officials-cling-to-hope-for-afghan-peace/",
        "/actors/zalmay-khalilzad/",
    ],
)
def test_phone_layout_has_no_horizontal_scroll(site, phone, path):
    response = phone.goto(site.url + path)
    assert response.status == 200
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.locator("#site-search").is_visible()


def test_phone_topic_columns_are_stacked(site, phone):
    phone.goto(site.url + reverse("archive:topic_detail", args=["intra-afghan-talks"]))
    columns = phone.locator(".compare-column")
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert abs(first["x"] - second["x"]) < 1
    assert second["y"] >= first["y"] + first["height"]
    assert first["width"] <= 375


def test_copy_citation_button_is_added_by_script(site, browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    try:
        article = Article.objects.published().first()
        page.goto(site.url + article.get_absolute_url())
        button = page.locator(".cite").get_by_role("button", name="Copy citation")
        button.click()
        page.get_by_text("Copied to the clipboard.").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith(f"“{article.title.rstrip('.')}.”") or article.title in copied
    finally:
        context.close()


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(site, page):
    page.goto(site.url + reverse("archive:topic_list"))
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["x"] >= 0  # shown on screen once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
