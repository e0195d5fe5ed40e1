"""Review status wherever a statement appears, reported speech never in quotation marks, and
publishing with statements awaiting review asks first."""

import datetime

import pytest
from django.urls import reverse

from archive.models import Article, Statement
from tests.conftest import add_statement
from tests.factories import ActorFactory, ArticleFactory
from tests.search_fixtures import reindex

pytest_plugins = ["tests.search_fixtures"]
pytestmark = pytest.mark.django_db

BODY = (
    "Talks resumed in Doha on Monday.\n\n"
    "“We want a lasting ceasefire,” the envoy said.\n\n"
    "A spokesman said the group would study the offer carefully."
)


@pytest.fixture
def mixed():
    """A published article with one verified quotation and one unreviewed reported claim."""
    article = ArticleFactory(
        title="Ceasefire offer studied",
        body=BODY,
        status=Article.Status.PUBLISHED,
        published_date=datetime.date(2020, 9, 14),
    )
    envoy, spokesman = ActorFactory(name="Quoted Envoy"), ActorFactory(name="Group Spokesman")
    quote = add_statement(article, envoy, "We want a lasting ceasefire", review_status="verified")
    claim = add_statement(
        article, spokesman, "the group would study the offer carefully", kind="indirect", review_status="extracted"
    )
    return article, quote, claim


def test_statement_pages_say_review_status_and_quote_only_direct_words(client, mixed):
    article, quote, claim = mixed
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "<title>Group Spokesman, reported: the group would study the offer carefully" in page
    assert "“the group would study" not in page
    assert "Extracted automatically, not yet reviewed" in page
    page = client.get(quote.get_absolute_url()).content.decode()
    assert "<title>Quoted Envoy: “We want a lasting ceasefire”" in page
    assert "Verified by an editor" in page


def test_article_page_counts_unreviewed_statements_and_flags_them(client, mixed):
    article, quote, claim = mixed
    page = client.get(article.get_absolute_url()).content.decode()
    assert "1 of 2 statements on this page is not yet reviewed." in page
    assert f'class="quote quote-extracted quote-indirect quote-start quote-end" id="s-{claim.pk}"' in page
    assert f'class="quote quote-verified quote-direct quote-start quote-end" id="s-{quote.pk}"' in page
    assert page.count('<span class="review-flag">unreviewed</span>') == 2  # in the text and in the list


def test_lists_feeds_show_status(client, mixed):
    article, quote, claim = mixed
    listing = client.get(reverse("archive:article_list")).content.decode()
    assert "2 statements, 1 not yet reviewed" in listing
    actor_page = client.get(claim.speaker.get_absolute_url()).content.decode()
    assert "Extracted automatically, not yet reviewed" in actor_page
    assert "Reported speech, not a quotation" in actor_page
    feed = client.get(reverse("archive:actor_feed", args=[claim.speaker.slug])).content.decode()
    assert "Group Spokesman, reported: the group would study the offer carefully" in feed
    assert "Extracted automatically, not yet reviewed." in feed
    feed = client.get(reverse("archive:actor_feed", args=[quote.speaker.slug])).content.decode()
    assert "Quoted Envoy: “We want a lasting ceasefire”" in feed
    assert "Verified by an editor." in feed


def test_search_results_show_status_and_filter_to_verified(client, mixed, search_index):
    article, quote, claim = mixed
    reindex()
    page = client.get(reverse("search:search"), {"q": "ceasefire offer group envoy", "type": "statement"})
    everything = {hit.pk for hit in page.context["outcome"].results}
    page = client.get(reverse("search:search"), {"q": "study OR ceasefire", "type": "statement"})
    html = page.content.decode()
    assert {hit.pk for hit in page.context["outcome"].results} == {quote.pk, claim.pk}
    assert "Reported speech:</span>" in html and "Verified by an editor" in html
    assert "Extracted automatically, not yet reviewed" in html
    page = client.get(reverse("search:search"), {"q": "study OR ceasefire", "type": "statement", "verified": "1"})
    assert {hit.pk for hit in page.context["outcome"].results} == {quote.pk}
    assert "Verified statements only" in page.content.decode()
    assert everything <= {quote.pk, claim.pk}


def test_publish_action_asks_first_and_says_how_many(editor_client):
    article = ArticleFactory(body=BODY, status=Article.Status.DRAFT)
    add_statement(article, ActorFactory(), "We want a lasting ceasefire", review_status="extracted")
    add_statement(article, ActorFactory(), "the group would study the offer carefully", review_status="extracted")
    url = reverse("admin:archive_article_changelist")
    response = editor_client.post(url, {"action": "publish", "_selected_action": [article.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 statements in 1 of these articles are still awaiting review" in html
    assert "2 statement(s) awaiting review" in html
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    # Posted back without the box ticked: still a draft, the field says why.
    response = editor_client.post(url, {"action": "publish", "_selected_action": [article.pk], "apply": "1"})
    assert "Tick the box to publish" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    editor_client.post(url, {"action": "publish", "_selected_action": [article.pk], "apply": "1", "confirm": "on"})
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_publish_action_without_pending_statements_publishes_at_once(editor_client):
    article = ArticleFactory(body=BODY, status=Article.Status.DRAFT)
    add_statement(article, ActorFactory(), "We want a lasting ceasefire", review_status="verified")
    editor_client.post(
        reverse("admin:archive_article_changelist"), {"action": "publish", "_selected_action": [article.pk]}
    )
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_change_form_publish_needs_confirmation_with_the_count(editor_client):
    article = ArticleFactory(body=BODY, status=Article.Status.DRAFT)
    add_statement(article, ActorFactory(), "We want a lasting ceasefire", review_status="extracted")
    url = reverse("admin:archive_article_change", args=[article.pk])
    form = editor_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(status="published", **{"statements-TOTAL_FORMS": "0", "statements-INITIAL_FORMS": "0"})
    data["_archive_version"] = article.updated_at.isoformat()  # the version the form was opened at
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["confirm_unreviewed"]
    assert errors[0].startswith("1 statement of this article is still awaiting review.")
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert Statement.objects.filter(article=article).count() == 1
