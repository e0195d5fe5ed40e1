"""The review queue and history revert through the test client."""

import itertools

import pytest
from django.urls import reverse

from archive.models import Actor, Article, Statement
from tests.factories import ActorFactory, ArticleFactory, StatementFactory

pytestmark = pytest.mark.django_db

QUEUE = "admin:archive_statement_review"


_reports = itertools.count(1)


def three_statement_article():
    body = (
        f"Talks resumed in Doha on Saturday (report {next(_reports)}).\n\n"
        "“We are ready for a ceasefire,” the envoy said. Officials were hopeful. "
        "“Nothing is agreed,” a spokesman said.\n\n"
        "The group said it wanted the prisoners released first."
    )
    article = ArticleFactory(body=body, raw_text=body)
    made = []
    for words, kind in [
        ("We are ready for a ceasefire", Statement.Kind.DIRECT),
        ("Nothing is agreed", Statement.Kind.DIRECT),
        ("it wanted the prisoners released first", Statement.Kind.INDIRECT),
    ]:
        start = body.index(words)
        made.append(StatementFactory(article=article, start=start, end=start + len(words), text=words, kind=kind))
    return article, made


def queue_ids(client, **params):
    response = client.get(reverse(QUEUE), params)
    assert response.status_code == 200
    return [s.pk for s in response.context["cl"].result_list]


def post_action(client, action, statements, **extra):
    data = {"action": action, "_selected_action": [s.pk for s in statements], "index": 0, **extra}
    return client.post(reverse(QUEUE), data)


def test_queue_lists_only_extracted_statements_with_their_sentence(editor_client):
    _, (first, second, third) = three_statement_article()
    Statement.objects.filter(pk=third.pk).update(review_status=Statement.ReviewStatus.VERIFIED)
    assert set(queue_ids(editor_client)) == {first.pk, second.pk}
    html = editor_client.get(reverse(QUEUE)).content.decode()
    assert '“<mark class="archive-quote">We are ready for a ceasefire</mark>,” the envoy said.' in html
    assert "Officials were hopeful" not in html  # the sentence, not the whole paragraph
    assert "2 statements awaiting review" in html
    assert "admin_extra/review.js" in html
    assert first.speaker.name in html


def test_queue_verify_and_reject_actions(editor_client, editor):
    _, (first, second, third) = three_statement_article()
    response = post_action(editor_client, "verify", [first, second])
    assert response.status_code == 302
    assert response["Location"].endswith(reverse(QUEUE))
    response = post_action(editor_client, "reject", [third])
    assert response.status_code == 302
    statuses = dict(Statement.objects.values_list("pk", "review_status"))
    assert statuses == {first.pk: "verified", second.pk: "verified", third.pk: "rejected"}
    assert queue_ids(editor_client) == []
    latest = first.history.first()
    assert latest.history_user == editor and latest.history_change_reason == "Verified in review"
    assert third.history.first().history_change_reason == "Rejected in review"


def test_queue_action_on_an_already_reviewed_statement_changes_nothing(editor_client):
    _, (first, *_rest) = three_statement_article()
    Statement.objects.filter(pk=first.pk).update(review_status=Statement.ReviewStatus.VERIFIED)
    before = first.history.count()
    response = post_action(editor_client, "reject", [first])
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.review_status == Statement.ReviewStatus.VERIFIED
    assert first.history.count() == before


def test_queue_reassign_speaker_asks_for_the_actor(editor_client):
    _, (first, second, _third) = three_statement_article()
    envoy = ActorFactory(name="Zalmay Khalilzad", affiliation=ActorFactory(name="US government"))
    page = post_action(editor_client, "reassign_speaker", [first, second])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Zalmay Khalilzad (US government)" in html
    assert 'name="apply"' in html
    missing = post_action(editor_client, "reassign_speaker", [first], apply=1)
    assert missing.status_code == 200
    assert "Choose the actor who made these statements." in missing.content.decode()
    done = post_action(editor_client, "reassign_speaker", [first, second], apply=1, speaker=envoy.pk)
    assert done.status_code == 302
    assert set(Statement.objects.filter(speaker=envoy).values_list("pk", flat=True)) == {first.pk, second.pk}
    assert "Speaker reassigned from" in first.history.first().history_change_reason


def test_queue_change_kind(editor_client):
    _, (first, _second, third) = three_statement_article()
    page = post_action(editor_client, "change_kind", [first])
    assert page.status_code == 200
    assert "Reported (indirect)" in page.content.decode()
    bad = post_action(editor_client, "change_kind", [first], apply=1, kind="sung")
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()
    done = post_action(editor_client, "change_kind", [first, third], apply=1, kind="partial")
    assert done.status_code == 302
    assert set(Statement.objects.filter(kind="partial").values_list("pk", flat=True)) == {first.pk, third.pk}


def test_queue_filter_by_kind(editor_client):
    _, (first, second, third) = three_statement_article()
    assert queue_ids(editor_client, kind__exact="indirect") == [third.pk]


def test_queue_query_count_does_not_grow_with_rows(editor_client, django_assert_num_queries):
    # 10: the page's rows, one query for the bodies of the page's articles (each read once, never one per
    # row), and one loading every row's provision links at once.
    three_statement_article()
    with django_assert_num_queries(10):
        editor_client.get(reverse(QUEUE))
    for _ in range(10):
        three_statement_article()
    with django_assert_num_queries(10) as captured:
        response = editor_client.get(reverse(QUEUE))
    assert len(response.context["cl"].result_list) == 33
    assert len(captured.captured_queries) == 10


def test_statement_changelist_query_count_does_not_grow_with_rows(editor_client, django_assert_num_queries):
    three_statement_article()
    url = reverse("admin:archive_statement_changelist")
    with django_assert_num_queries(9):
        editor_client.get(url)
    for _ in range(10):
        three_statement_article()
    with django_assert_num_queries(9):
        response = editor_client.get(url)
    assert len(response.context["cl"].result_list) == 33


# --- Revert from the history pages ---------------------------------------------------------------------


def version_url(model, obj, version):
    return reverse(f"admin:archive_{model._meta.model_name}_simple_history", args=[obj.pk, version.history_id])


def test_revert_article_restores_the_version_and_keeps_statements(editor_client, editor):
    article, statements = three_statement_article()
    original = article.history.earliest("history_date")
    article.title = "A wrong title"
    article.status = Article.Status.DRAFT
    article.save()
    page = editor_client.get(version_url(Article, article, original))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Revert" in html and original.title in html
    assert 'name="title"' not in html  # the version is shown read-only
    response = editor_client.post(version_url(Article, article, original))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == original.title and article.status == Article.Status.PUBLISHED
    assert set(article.statements.values_list("pk", flat=True)) == {s.pk for s in statements}
    latest = article.history.first()
    assert latest.history_user == editor and latest.history_change_reason.startswith("Reverted to the version of")


def test_revert_article_body_that_no_longer_holds_its_statements_is_refused(editor_client):
    article, statements = three_statement_article()
    first_version = article.history.earliest("history_date")
    prefix = "Updated. "
    article.body = prefix + article.body
    for statement in statements:
        statement.start += len(prefix)
        statement.end += len(prefix)
    Statement.objects.bulk_update(statements, ["start", "end"])
    article.save()
    response = editor_client.post(version_url(Article, article, first_version))
    assert response.status_code == 302
    page = editor_client.get(response["Location"])
    notes = [str(m) for m in page.context["messages"]]
    assert any("does not hold 3 of the article's current statements" in n for n in notes)
    article.refresh_from_db()
    assert article.body.startswith(prefix)


def test_revert_statement_with_stale_span_is_a_clear_error_not_a_500(editor_client):
    article, (first, *_rest) = three_statement_article()
    whole_quote = first.history.earliest("history_date")
    first.text = "We are ready"
    first.end = first.start + len(first.text)
    first.save()
    # Same length, so the other spans still match; the first version's words are gone from the body.
    article.body = article.body.replace("for a ceasefire", "for a truce now")
    article.save()
    response = editor_client.post(version_url(Statement, first, whole_quote))
    assert response.status_code == 302
    notes = [str(m) for m in editor_client.get(response["Location"]).context["messages"]]
    assert any("no longer matches the article body" in n and "no longer in the article body" in n for n in notes)
    first.refresh_from_db()
    assert first.text == "We are ready"


def test_revert_statement_restores_speaker_and_status(editor_client):
    _, (first, *_rest) = three_statement_article()
    original = first.history.earliest("history_date")
    first.review_status = Statement.ReviewStatus.REJECTED
    first.speaker = ActorFactory()
    first.save()
    response = editor_client.post(version_url(Statement, first, original))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.review_status == Statement.ReviewStatus.EXTRACTED
    assert first.speaker_id == original.speaker_id


def test_revert_actor_whose_side_was_deleted_is_refused(editor_client, django_user_model):
    side = ActorFactory(name="Old side")
    actor = ActorFactory(affiliation=side)
    version = actor.history.earliest("history_date")
    actor.affiliation = None
    actor.save()
    side.delete()
    response = editor_client.post(version_url(Actor, actor, version))
    assert response.status_code == 302
    notes = [str(m) for m in editor_client.get(response["Location"]).context["messages"]]
    assert any("no longer exists" in n for n in notes)
    actor.refresh_from_db()
    assert actor.affiliation is None


def test_revert_restores_article_topics_of_the_version(editor_client):
    from tests.factories import TopicFactory

    article, _ = three_statement_article()
    ceasefire, sanctions = TopicFactory(name="Truce"), TopicFactory(name="Blacklists")
    article.topics.add(ceasefire)
    with_truce = article.history.first()
    article.topics.set([sanctions])
    page = editor_client.get(version_url(Article, article, with_truce))
    assert "Topics in this version: Truce." in page.content.decode()
    editor_client.post(version_url(Article, article, with_truce))
    assert list(article.topics.values_list("name", flat=True)) == ["Truce"]


def test_queue_page_emptied_by_review_goes_back_to_the_first_page(editor_client):
    for _ in range(30):
        three_statement_article()  # 60 direct quotes: two pages of 50
    assert editor_client.get(reverse(QUEUE), {"p": 2, "kind__exact": "direct"}).status_code == 200
    response = editor_client.get(reverse(QUEUE), {"p": 4, "kind__exact": "direct"})
    assert response.status_code == 302
    assert response["Location"] == reverse(QUEUE) + "?kind__exact=direct"
    assert editor_client.get(response["Location"]).status_code == 200
