"""Corrections both ways: a reverted body edit moves statements back, the history says what can be
restored, who changed what and why, and the public record shows it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from archive import selectors, services
from archive.models import Article, Statement
from tests.conftest import add_statement
from tests.factories import ActorFactory, ArticleFactory

pytestmark = pytest.mark.django_db

BODY = (
    "The talks opened in Doha on Saturday.\n\n"
    "“We want a lasting ceasefire,” the envoy said.\n\n"
    "A spokesman said the group would study the offer.\n\n"
    "“Prisoners must be freed first,” he added."
)


def _article_with_statements():
    article = ArticleFactory(body=BODY, status=Article.Status.PUBLISHED, published_date=datetime.date(2020, 9, 12))
    speaker = ActorFactory(name="An Envoy")
    quotes = [
        add_statement(article, speaker, "We want a lasting ceasefire"),
        add_statement(article, speaker, "Prisoners must be freed first"),
    ]
    return article, quotes


def test_reverting_a_body_edit_moves_statements_back(editor):
    article, quotes = _article_with_statements()
    before = article.history.latest()
    # The forward edit: a paragraph added at the top, every span moves down (as the admin's inline does).
    article.body = "An added first paragraph of some length.\n\n" + BODY
    article.save()
    for quote in quotes:
        quote.article = article
        quote.start, quote.end = services.find_span(article.body, quote.text, near=quote.start)
        quote.save()
    assert services.revert_blocker(Article, article.pk, before.history_id) is None
    result = services.revert_to_version(Article, article.pk, before.history_id, user=editor, reason="Stray paragraph")
    article.refresh_from_db()
    assert article.body == BODY
    assert result.statements_moved == 2
    for quote in quotes:
        quote.refresh_from_db()
        assert article.body[quote.start : quote.end] == quote.text
        assert quote.history.latest().history_user == editor
    latest = article.history.latest()
    assert latest.history_user == editor
    assert latest.history_change_reason.endswith(": Stray paragraph")


def test_reverting_a_body_edit_that_took_words_since_quoted_is_refused_before_the_click(editor_client):
    article, quotes = _article_with_statements()
    before = article.history.latest()
    article.body = BODY + "\n\n“A new quote,” she said."
    article.save()
    added = add_statement(article, ActorFactory(name="Another Speaker"), "A new quote")
    reason = services.revert_blocker(Article, article.pk, before.history_id)
    assert "lacks the words of 1 statement recorded since (“A new quote”)" in reason
    with pytest.raises(ValidationError):
        services.revert_to_version(Article, article.pk, before.history_id)
    # The history list and the version page say so, and the version page offers no Revert button.
    listing = editor_client.get(reverse("admin:archive_article_history", args=[article.pk]))
    assert "lacks the words of 1 statement" in listing.content.decode()
    version = editor_client.get(reverse("admin:archive_article_simple_history", args=[article.pk, before.history_id]))
    html = version.content.decode()
    assert "archive-revert-blocked" in html and 'name="_save"' not in html
    # A past version shows the model's fields read-only, not the change form's own choices.
    assert 'name="confirm_unreviewed"' not in html and 'name="change_reason"' not in html
    added.refresh_from_db()
    assert article.body[added.start : added.end] == "A new quote"


def test_admin_change_records_editor_and_reason_and_the_public_record_shows_them(editor_client, editor):
    article, _ = _article_with_statements()
    url = reverse("admin:archive_article_change", args=[article.pk])
    form = editor_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data["_archive_version"] = form.instance.updated_at.isoformat()  # the version the form was opened at
    data.update(
        title="Talks open in Doha",
        change_reason="The headline misnamed the city",
        **{"statements-TOTAL_FORMS": "0", "statements-INITIAL_FORMS": "0"},
    )
    data["statements-TOTAL_FORMS"] = "2"
    data["statements-INITIAL_FORMS"] = "2"
    for n, s in enumerate(article.statements.order_by("start")):
        data.update(
            {
                f"statements-{n}-id": s.pk,
                f"statements-{n}-article": article.pk,
                f"statements-{n}-text": s.text,
                f"statements-{n}-start": s.start,
                f"statements-{n}-end": s.end,
                f"statements-{n}-speaker": s.speaker_id,
                f"statements-{n}-kind": s.kind,
                f"statements-{n}-review_status": s.review_status,
            }
        )
    response = editor_client.post(url, data)
    assert response.status_code == 302
    latest = article.history.latest()
    assert latest.history_user == editor
    assert latest.history_change_reason == "The headline misnamed the city"
    corrections, _ = selectors.article_corrections(Article.objects.get(pk=article.pk))
    assert corrections[-1].reason == "The headline misnamed the city"
    assert corrections[-1].changes[0][0] == "Title"
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert "The headline misnamed the city" in page


def test_public_record_of_a_body_correction_says_which_words_changed():
    article, _ = _article_with_statements()
    article.body = BODY.replace("Saturday", "Sunday")
    article._change_reason = "Wrong day"
    article.save()
    corrections, _ = selectors.article_corrections(article)
    label, old, new = corrections[-1].changes[0]
    assert (label, old, new) == ("Text", "Saturday", "Sunday")
    assert corrections[-1].reason == "Wrong day"


def test_import_from_the_admin_credits_the_editor(editor_client, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = (
        "Negotiators meet again in Doha\n\n"
        "DOHA (Wire) — Negotiators met again on Tuesday to discuss a timetable for the talks.\n\n"
        "“We are making progress,” said Zalmay Khalilzad, the US special envoy.\n"
    )
    upload = SimpleUploadedFile("meet.txt", text.encode(), "text/plain")
    editor_client.post(reverse("archive_import"), {"files": [upload]})
    article = Article.objects.get(title__startswith="Negotiators meet")
    assert article.history.latest().history_user == editor
    history = editor_client.get(reverse("admin:archive_article_history", args=[article.pk])).content.decode()
    assert editor.username in history
    assert Statement.history.filter(article_id=article.pk, history_user=editor).exists()
