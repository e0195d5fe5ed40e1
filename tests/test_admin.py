"""The editors' workspace through the test client: pages, permissions, article and actor actions."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from archive.admin.display import marked_context, sentence_bounds
from archive.models import Actor, Alias, Article, Source, Statement, Topic
from tests.factories import (
    ActorFactory,
    AliasFactory,
    ArticleFactory,
    StatementFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [Article, Statement, Actor, Alias, Source, Topic]


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("chief", "chief@example.org", "a-long-pass-phrase")


@pytest.fixture
def super_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture(params=["superuser", "editor"])
def staff_client(request):
    return request.getfixturevalue("super_client" if request.param == "superuser" else "editor_client")


@pytest.fixture
def archive_data(db):
    """One of each object, with a statement and an alias, and a change so each has two history entries."""
    topic = TopicFactory(name="Ceasefire talks")
    statement = StatementFactory()
    article = statement.article
    article.topics.add(topic)
    actor = statement.speaker
    alias = AliasFactory(actor=actor, name="The Envoy")
    article.title = "Talks resume, revised"
    article.save()
    actor.role = "Envoy"
    actor.save()
    statement.kind = Statement.Kind.PARTIAL
    statement.save()
    statement.topics.add(topic)
    return {
        Article: article,
        Statement: statement,
        Actor: actor,
        Alias: alias,
        Source: article.source,
        Topic: topic,
    }


def changelist(model):
    return reverse(f"admin:archive_{model._meta.model_name}_changelist")


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def follow_messages(client, response):
    assert response.status_code == 302, getattr(response, "content", b"")[:500]
    return [str(m) for m in client.get(response["Location"]).context["messages"]]


# --- Every page renders ------------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_pages_render_for_staff(staff_client, archive_data, model):
    obj = archive_data[model]
    name = model._meta.model_name
    urls = [
        changelist(model),
        reverse(f"admin:archive_{name}_add"),
        reverse(f"admin:archive_{name}_change", args=[obj.pk]),
        reverse(f"admin:archive_{name}_history", args=[obj.pk]),
    ]
    version = model.history.filter(id=obj.pk).order_by("history_date").first()
    urls.append(reverse(f"admin:archive_{name}_simple_history", args=[obj.pk, version.history_id]))
    for url in urls:
        response = staff_client.get(url)
        assert response.status_code == 200, url


def test_admin_index_and_review_queue_render(staff_client, archive_data):
    index = staff_client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert reverse("admin:archive_statement_review") in index.content.decode()
    assert staff_client.get(reverse("admin:archive_statement_review")).status_code == 200


def test_admin_history_page_shows_readable_diff_with_who_and_when(super_client, superuser, archive_data):
    article = archive_data[Article]
    response = super_client.post(
        reverse("admin:archive_article_change", args=[article.pk]),
        article_form_data(article, title="Talks resume in Doha after a pause"),
    )
    assert response.status_code == 302
    html = super_client.get(reverse("admin:archive_article_history", args=[article.pk])).content.decode()
    assert "Talks resume, revised" in html and "Talks resume in Doha after a pause" in html
    assert "&rarr;" in html
    assert superuser.username in html


def test_actor_autocomplete_finds_actor_by_alias(editor_client, archive_data):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "archive", "model_name": "statement", "field_name": "speaker", "term": "envoy"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [archive_data[Actor].name]


# --- Permissions -------------------------------------------------------------------------------------


def test_editor_group_has_exactly_add_change_view_on_archive_content(db):
    group = Group.objects.get(name="Editor")
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    expected = {
        ("archive", f"{action}_{model}")
        for model in [
            "article",
            "statement",
            "actor",
            "alias",
            "actorrole",
            "source",
            "topic",
            "agreement",
            "provision",
            "deadline",
            "implementationassessment",
            "statementprovisionlink",
            "statementstance",
            "statementrelation",
        ]
        for action in ["add", "change", "view"]
    }
    # Search synonyms are a search setting, not archive content: editors may delete one too.
    expected |= {("archive", f"{action}_searchsynonym") for action in ["add", "change", "delete", "view"]}
    assert granted == expected


def test_editor_cannot_see_or_manage_users_and_groups(editor_client, archive_data):
    index = editor_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:auth_user_changelist") not in index
    assert reverse("admin:auth_group_changelist") not in index
    for url in [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_add"),
    ]:
        assert editor_client.get(url).status_code == 403, url


def test_editor_cannot_delete_in_bulk_or_one_by_one(editor_client, archive_data):
    article = archive_data[Article]
    response = editor_client.get(changelist(Article))
    assert "delete_selected" not in response.content.decode()
    response = editor_client.post(
        changelist(Article), {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"}
    )
    assert Article.objects.filter(pk=article.pk).exists()
    delete_url = reverse("admin:archive_article_delete", args=[article.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_superuser_keeps_bulk_delete(super_client, archive_data):
    assert "delete_selected" in super_client.get(changelist(Topic)).content.decode()


def test_non_staff_user_is_refused(db):
    user = get_user_model().objects.create_user("reader", "reader@example.org", "a-long-pass-phrase")
    client = Client()
    client.force_login(user)
    for url in [reverse("admin:index"), changelist(Article), reverse("admin:archive_statement_review")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_visitor_is_sent_to_login(client, archive_data):
    for url in [
        reverse("admin:index"),
        changelist(Statement),
        reverse("admin:archive_statement_review"),
        reverse("admin:archive_article_change", args=[archive_data[Article].pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_every_archive_model_is_registered():
    for model in MODELS:
        assert admin.site.is_registered(model)


def test_editor_can_add_a_source(editor_client):
    response = editor_client.post(reverse("admin:archive_source_add"), {"name": "Tolo News", "slug": ""})
    assert response.status_code == 302
    source = Source.objects.get(name="Tolo News")
    assert source.history.first().history_user.username == "editor"


# --- Articles ----------------------------------------------------------------------------------------


def article_form_data(article, **changes):
    """The article change form as the browser would post it, with its statements inline."""
    data = {
        "_archive_version": article.updated_at.isoformat(),
        "title": article.title,
        "slug": article.slug,
        "status": article.status,
        "source": article.source_id or "",
        "credited_sources": [s.pk for s in article.credited_sources.all()],
        "url": article.url,
        "topics": [t.pk for t in article.topics.all()],
        "published_date": article.published_date.isoformat() if article.published_date else "",
        "date_precision": article.date_precision,
        "dateline": article.dateline,
        "byline": article.byline,
        "language": article.language,
        "body": article.body,
        "editor_notes": article.editor_notes,
    }
    statements = list(article.statements.order_by("pk"))
    prefix = "statements"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": len(statements),
            f"{prefix}-INITIAL_FORMS": len(statements),
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
    )
    for i, s in enumerate(statements):
        data.update(
            {
                f"{prefix}-{i}-id": s.pk,
                f"{prefix}-{i}-article": article.pk,
                f"{prefix}-{i}-text": s.text,
                f"{prefix}-{i}-start": s.start,
                f"{prefix}-{i}-end": s.end,
                f"{prefix}-{i}-speaker": s.speaker_id or "",
                f"{prefix}-{i}-speaker_description": s.speaker_description,
                f"{prefix}-{i}-kind": s.kind,
                f"{prefix}-{i}-medium": s.medium,
                f"{prefix}-{i}-review_status": s.review_status,
            }
        )
    data.update(changes)
    return data


def test_article_body_edit_moves_statement_spans_with_their_words(editor_client):
    body = "Talks resumed.\n\n“We want peace,” the envoy said. “Not yet,” the spokesman said.\n\nEnd."
    article = ArticleFactory(body=body, raw_text=body)
    statements = []
    for words in ("We want peace", "Not yet"):
        start = body.index(words)
        statements.append(StatementFactory(article=article, text=words, start=start, end=start + len(words)))
    edited = "Correction: the talks resumed on Monday.\n\n" + body.replace("Talks resumed.\n\n", "")
    response = editor_client.post(
        reverse("admin:archive_article_change", args=[article.pk]), article_form_data(article, body=edited)
    )
    assert response.status_code == 302, response.context["errors"] if response.context else response
    article.refresh_from_db()
    assert article.body == edited
    for statement in statements:
        statement.refresh_from_db()
        assert edited[statement.start : statement.end] == statement.text


def test_article_body_edit_that_drops_a_quote_is_refused(editor_client):
    body = "Talks resumed.\n\n“We want peace,” the envoy said.\n\nEnd."
    article = ArticleFactory(body=body, raw_text=body)
    start = body.index("We want peace")
    StatementFactory(article=article, text="We want peace", start=start, end=start + len("We want peace"))
    response = editor_client.post(
        reverse("admin:archive_article_change", args=[article.pk]),
        article_form_data(article, body="Talks resumed.\n\nNothing was said.\n\nEnd."),
    )
    assert response.status_code == 200
    assert "This edit removes words that 1 statement quotes" in response.content.decode()
    article.refresh_from_db()
    assert article.body == body


def test_article_changelist_shows_statement_counts_by_review_status(editor_client):
    article = ArticleFactory(
        title="Counted",
        body="Intro.\n\n“One,” he said. “Two,” she said. “Three,” they said.\n\nEnd.",
    )
    for word, status in [("One", "extracted"), ("Two", "verified"), ("Three", "extracted")]:
        start = article.body.index(word)
        StatementFactory(article=article, start=start, end=start + len(word), review_status=status)
    response = editor_client.get(changelist(Article))
    row = next(r for r in response.context["cl"].result_list if r.pk == article.pk)
    assert (row.n_extracted, row.n_verified, row.n_rejected) == (2, 1, 0)
    html = response.content.decode()
    assert '<td class="field-to_review">2</td>' in html
    assert '<td class="field-verified">1</td>' in html


def article_list_queries(client, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        response = client.get(changelist(Article))
    assert response.status_code == 200
    return response


def test_article_changelist_query_count_does_not_grow_with_rows(editor_client, django_assert_num_queries):
    for _ in range(3):
        StatementFactory()
    # session, user, counts, rows, filters (sources, topics, years), date hierarchy, and the like
    article_list_queries(editor_client, django_assert_num_queries, 12)
    for _ in range(12):
        statement = StatementFactory()
        statement.article.topics.add(TopicFactory())
    response = article_list_queries(editor_client, django_assert_num_queries, 12)
    assert len(response.context["cl"].result_list) == 15


def test_article_filters_unreviewed_year_status(editor_client):
    pending = StatementFactory(review_status="extracted").article
    done = StatementFactory(review_status="verified").article
    old = ArticleFactory(published_date="2018-07-01", status=Article.Status.DRAFT)

    def listed(params):
        response = editor_client.get(changelist(Article), params)
        assert response.status_code == 200
        return {a.pk for a in response.context["cl"].result_list}

    assert listed({"unreviewed": "yes"}) == {pending.pk}
    assert listed({"unreviewed": "no"}) == {done.pk, old.pk}
    assert listed({"year": "2018"}) == {old.pk}
    assert listed({"status__exact": "draft"}) == {old.pk}
    assert listed({"q": old.title}) == {old.pk}


def test_article_publish_and_unpublish_actions(editor_client, editor):
    drafts = [ArticleFactory(status=Article.Status.DRAFT) for _ in range(2)]
    response = editor_client.post(
        changelist(Article), {"action": "publish", "_selected_action": [a.pk for a in drafts], "index": 0}
    )
    assert "2 articles published." in follow_messages(editor_client, response)
    for article in drafts:
        article.refresh_from_db()
        assert article.status == Article.Status.PUBLISHED
        latest = article.history.first()
        assert latest.history_user == editor and latest.history_change_reason == "Published"
    response = editor_client.post(
        changelist(Article), {"action": "unpublish", "_selected_action": [drafts[0].pk], "index": 0}
    )
    assert response.status_code == 302
    drafts[0].refresh_from_db()
    assert drafts[0].status == Article.Status.DRAFT


def test_article_rerun_extraction_keeps_decided_statements(editor_client):
    body = (
        "Talks resumed in Doha.\n\n“We will not accept a ceasefire before the deal,” Zabihullah Mujahid said.\n\n"
        "“The talks are going well,” Zabihullah Mujahid told reporters."
    )
    article = ArticleFactory(body=body, raw_text=body)
    verified_words = "We will not accept a ceasefire before the deal"
    start = body.index(verified_words)
    verified = StatementFactory(
        article=article, text=verified_words, start=start, end=start + len(verified_words), review_status="verified"
    )
    stale_words = "Talks resumed"
    StatementFactory(article=article, text=stale_words, start=0, end=len(stale_words), review_status="extracted")

    response = editor_client.post(
        changelist(Article), {"action": "rerun_extraction", "_selected_action": [article.pk], "index": 0}
    )
    assert follow_messages(editor_client, response) == [
        "Extraction re-run on 1 article(s): 1 statement(s) extracted for review, "
        "1 earlier unreviewed one(s) replaced, 1 verified or rejected kept."
    ]
    statements = {s.text: s for s in article.statements.all()}
    assert statements[verified_words].pk == verified.pk
    assert statements[verified_words].review_status == "verified"
    assert stale_words not in statements
    assert statements["The talks are going well"].review_status == "extracted"
    assert statements["The talks are going well"].speaker.name == "Zabihullah Mujahid"
    # The new statement's history credits the editor who re-ran the extraction.
    assert statements["The talks are going well"].history.earliest().history_user.username == "editor"


def test_article_add_topic_asks_for_the_topic_then_adds_it(editor_client):
    articles = [ArticleFactory(), ArticleFactory()]
    topic = TopicFactory(name="Prisoner swaps")
    selected = [a.pk for a in articles]
    page = editor_client.post(changelist(Article), {"action": "add_topic", "_selected_action": selected, "index": 0})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Prisoner swaps" in html and articles[0].title in html
    # Applying without a topic shows the page again with a clear message, and changes nothing.
    again = editor_client.post(changelist(Article), {"action": "add_topic", "_selected_action": selected, "apply": 1})
    assert again.status_code == 200
    assert "Choose a topic." in again.content.decode()
    assert not topic.articles.exists()
    done = editor_client.post(
        changelist(Article),
        {"action": "add_topic", "_selected_action": selected, "apply": 1, "topic": topic.pk},
    )
    assert "2 articles tagged “Prisoner swaps”." in follow_messages(editor_client, done)
    assert set(topic.articles.values_list("pk", flat=True)) == set(selected)
    assert articles[0].history.first().history_change_reason == "Topic added: Prisoner swaps"

    removed = editor_client.post(
        changelist(Article),
        {"action": "remove_topic", "_selected_action": [articles[0].pk], "apply": 1, "topic": topic.pk},
    )
    assert response_ok(removed)
    assert list(topic.articles.values_list("pk", flat=True)) == [articles[1].pk]


def test_draft_article_has_no_view_on_site_link(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    html = editor_client.get(reverse("admin:archive_article_change", args=[draft.pk])).content.decode()
    assert "viewsitelink" not in html


def response_ok(response):
    return response.status_code == 302


def test_article_change_form_shows_raw_text_beside_body_read_only(editor_client):
    article = ArticleFactory(raw_text="RAW imported text\n\nMust read: chrome", body="Clean body text.")
    response = editor_client.get(reverse("admin:archive_article_change", args=[article.pk]))
    html = response.content.decode()
    assert "archive-text" in html and "admin_extra/admin.css" in html
    assert "RAW imported text" in html
    assert 'name="raw_text"' not in html
    assert f'href="{article.get_absolute_url()}" class="viewsitelink"' in html
    form = response.context["adminform"].form
    assert "raw_text" not in form.fields and "body" in form.fields


def test_article_body_edit_with_corrected_inline_span_is_saved(editor_client):
    statement = StatementFactory()
    article = statement.article
    shift = len("New first words. ")
    data = article_form_data(article, body="New first words. " + article.body)
    data["statements-0-start"] = statement.start + shift
    data["statements-0-end"] = statement.end + shift
    response = editor_client.post(reverse("admin:archive_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.start == data["statements-0-start"]
    assert statement.article.body[statement.start : statement.end] == statement.text


def test_article_changelist_import_link_only_when_routed(editor_client):
    html = editor_client.get(changelist(Article)).content.decode()
    try:
        url = reverse("archive_import")
    except Exception:
        assert "Import articles" not in html
    else:
        assert url in html


# --- Actors ------------------------------------------------------------------------------------------


def test_actor_search_by_any_alias_and_spelling(editor_client):
    actor = ActorFactory(name="Zalmay Khalilzad")
    AliasFactory(actor=actor, name="Zalmay Khalilzad")
    AliasFactory(actor=actor, name="Khalilzad")
    ActorFactory(name="Abdul Ghani Baradar")
    for term in ["Khalilzad", "Mr. Zalmai Khalilzad", "zalmay"]:
        response = editor_client.get(changelist(Actor), {"q": term})
        assert [a.pk for a in response.context["cl"].result_list] == [actor.pk], term


def test_actor_changelist_statement_counts(editor_client):
    actor = ActorFactory()
    StatementFactory(speaker=actor, review_status="verified")
    StatementFactory(speaker=actor)
    response = editor_client.get(changelist(Actor))
    row = next(a for a in response.context["cl"].result_list if a.pk == actor.pk)
    assert (row.n_statements, row.n_unreviewed) == (2, 1)


def test_actor_change_form_has_aliases_inline(editor_client):
    actor = ActorFactory()
    AliasFactory(actor=actor, name="Old Name")
    response = editor_client.get(reverse("admin:archive_actor_change", args=[actor.pk]))
    assert "aliases-TOTAL_FORMS" in response.content.decode()
    assert "Old Name" in response.content.decode()


def test_merge_action_confirms_then_merges(editor_client, editor):
    survivor = ActorFactory(name="Zalmay Khalilzad")
    AliasFactory(actor=survivor, name="Zalmay Khalilzad")
    duplicate = ActorFactory(name="Zalmai Khalilzad, envoy")
    AliasFactory(actor=duplicate, name="Khalilzad")
    member = ActorFactory(name="An aide", affiliation=duplicate)
    moved = [StatementFactory(speaker=duplicate) for _ in range(2)]
    kept = StatementFactory(speaker=survivor)
    total = Statement.objects.count()
    selected = [survivor.pk, duplicate.pk]

    page = editor_client.post(
        changelist(Actor), {"action": "merge_duplicates", "_selected_action": selected, "index": 0}
    )
    assert page.status_code == 200
    # The duplicate with the most statements is offered as the one to keep.
    assert page.context["survivor"] == duplicate
    assert Actor.objects.filter(pk=survivor.pk).exists()  # nothing happens before confirmation

    preview = editor_client.post(
        changelist(Actor),
        {"action": "merge_duplicates", "_selected_action": selected, "survivor": survivor.pk, "preview": 1},
    )
    assert preview.context["survivor"] == survivor
    html = preview.content.decode()
    assert "What moves into Zalmay Khalilzad" in html
    assert "Statements (2)" in html and "Aliases (2)" in html and "Members (1)" in html
    assert "Khalilzad" in html and "An aide" in html
    assert "Zalmai Khalilzad, envoy" in html
    assert Actor.objects.filter(pk=duplicate.pk).exists()

    done = editor_client.post(
        changelist(Actor),
        {"action": "merge_duplicates", "_selected_action": selected, "survivor": survivor.pk, "confirm": 1},
    )
    notes = follow_messages(editor_client, done)
    assert any("Merged Zalmai Khalilzad, envoy into Zalmay Khalilzad: 2 statements" in n for n in notes)
    assert not Actor.objects.filter(pk=duplicate.pk).exists()
    assert Statement.objects.count() == total
    assert set(survivor.statements.values_list("pk", flat=True)) == {kept.pk, *[s.pk for s in moved]}
    assert Alias.objects.resolve("Khalilzad") == survivor
    member.refresh_from_db()
    assert member.affiliation == survivor
    assert moved[0].history.first().history_user == editor


def test_merge_action_needs_two_actors(editor_client):
    actor = ActorFactory()
    response = editor_client.post(
        changelist(Actor), {"action": "merge_duplicates", "_selected_action": [actor.pk], "index": 0}
    )
    assert "Select at least two actors to merge." in follow_messages(editor_client, response)


def test_merge_confirm_without_survivor_shows_the_page_again(editor_client):
    a, b = ActorFactory(), ActorFactory()
    response = editor_client.post(
        changelist(Actor), {"action": "merge_duplicates", "_selected_action": [a.pk, b.pk], "confirm": 1}
    )
    assert response.status_code == 200
    assert "Choose the actor to keep." in response.content.decode()
    assert Actor.objects.filter(pk__in=[a.pk, b.pk]).count() == 2


# --- Statement form ----------------------------------------------------------------------------------


def statement_form_data(statement, **changes):
    data = {
        "_archive_version": statement.updated_at.isoformat(),
        "article": statement.article_id,
        "text": statement.text,
        "start": statement.start,
        "end": statement.end,
        "speaker": statement.speaker_id or "",
        "speaker_description": statement.speaker_description,
        "said_to": statement.said_to,
        "kind": statement.kind,
        "medium": statement.medium,
        "date_from_article": "on" if statement.date_from_article else "",
        "date": statement.date.isoformat() if statement.date else "",
        "review_status": statement.review_status,
    }
    data.update(changes)
    return data


def test_statement_form_says_where_the_text_really_is(editor_client):
    statement = StatementFactory()
    url = reverse("admin:archive_statement_change", args=[statement.pk])
    page = editor_client.get(url).content.decode()
    assert '<mark class="archive-quote">' in page
    response = editor_client.post(url, statement_form_data(statement, start=statement.start + 1))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"“{statement.text}” stands elsewhere in the article’s text" in html.replace("&#x27;", "'")
    assert f"set start {statement.start} and end {statement.end}" in html
    statement.refresh_from_db()
    assert statement.article.body[statement.start : statement.end] == statement.text


def test_statement_form_finds_the_span_from_the_text(editor_client):
    statement = StatementFactory()
    words = "Talks went on"
    response = editor_client.post(
        reverse("admin:archive_statement_change", args=[statement.pk]),
        statement_form_data(statement, text=words, start=0, end=1, locate_span="on"),
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.article.body[statement.start : statement.end] == words


def test_statement_form_text_not_in_body_is_a_clear_error(editor_client):
    statement = StatementFactory()
    response = editor_client.post(
        reverse("admin:archive_statement_change", args=[statement.pk]),
        statement_form_data(statement, text="never said", locate_span="on"),
    )
    assert response.status_code == 200
    assert "“never said” does not occur in the article’s text." in response.content.decode()


# --- Display helpers ---------------------------------------------------------------------------------


def test_sentence_bounds_hold_the_quote_sentence_only():
    body = "First one. He said “we are ready” today. Then more.\n\nNext paragraph."
    start = body.index("we are")
    end = start + len("we are ready")
    left, right = sentence_bounds(body, start, end)
    assert body[left:right] == "He said “we are ready” today."


def test_marked_context_escapes_and_marks():
    body = "A <b>bold</b> claim: “yes” he said."
    start = body.index("yes")
    html = marked_context(body, start, start + 3)
    assert '<mark class="archive-quote">yes</mark>' in html
    assert "&lt;b&gt;" in html


def test_article_saved_with_its_statements_updates_the_index_once(editor_client, django_capture_on_commit_callbacks):
    from unittest import mock

    article = ArticleFactory()
    body = article.body
    for word in ["Report", "Talks went on"]:
        start = body.index(word)
        StatementFactory(article=article, start=start, end=start + len(word), text=word)
    data = article_form_data(article, title="Retitled")
    data["statements-0-review_status"] = "verified"
    data["statements-1-review_status"] = "verified"
    with mock.patch("archive.indexing.apply_updates") as apply, django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("admin:archive_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    assert apply.call_count == 1
    assert set(article.statements.values_list("review_status", flat=True)) == {"verified"}


def test_article_with_text_already_in_the_archive_is_refused_with_a_message(editor_client):
    existing = ArticleFactory(title="The original")
    response = editor_client.post(
        reverse("admin:archive_article_add"),
        {
            "title": "A copy",
            "status": "draft",
            "body": existing.body.upper(),
            "date_precision": "unknown",
            "language": "en",
            "statements-TOTAL_FORMS": 0,
            "statements-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "The archive already holds this text, as “The original”" in response.content.decode()
    assert Article.objects.count() == 1


def test_article_added_by_hand_keeps_its_text_as_the_imported_text(editor_client):
    response = editor_client.post(
        reverse("admin:archive_article_add"),
        {
            "title": "Typed in",
            "status": "draft",
            "body": "Typed words.\n\nMore words.",
            "date_precision": "unknown",
            "language": "en",
            "statements-TOTAL_FORMS": 0,
            "statements-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    article = Article.objects.get(title="Typed in")
    assert article.raw_text == article.body


def test_actor_aliases_that_fold_to_one_name_are_refused_with_a_message(editor_client):
    other = ActorFactory(name="Abdul Ghani Baradar")
    AliasFactory(actor=other, name="Mullah Baradar")
    actor = ActorFactory(name="Suhail Shaheen")
    data = {
        "_archive_version": actor.updated_at.isoformat(),
        "name": actor.name,
        "slug": actor.slug,
        "kind": "person",
        "aliases-TOTAL_FORMS": 2,
        "aliases-INITIAL_FORMS": 0,
        "roles-TOTAL_FORMS": 0,
        "roles-INITIAL_FORMS": 0,
        "aliases-0-name": "Dr. Suhail Shaheen",
        "aliases-1-name": "Suhail Shaheen",
    }
    url = reverse("admin:archive_actor_change", args=[actor.pk])
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "once folded" in response.content.decode()
    data.update({"aliases-TOTAL_FORMS": 1, "aliases-0-name": "Baradar"})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "already names Abdul Ghani Baradar" in response.content.decode()
    assert not actor.aliases.exists()


def test_intermediate_action_pages_lead_back_to_their_list(editor_client):
    """The merge page and the choice pages share one frame: admin form styles and breadcrumbs to the list."""
    actors = [ActorFactory(name="Zalmay Khalilzad"), ActorFactory(name="Zalmai Khalilzad")]
    articles = [ArticleFactory(), ArticleFactory()]
    pages = [
        (Actor, "merge_duplicates", [a.pk for a in actors]),
        (Article, "add_topic", [a.pk for a in articles]),
        (Statement, "change_kind", [StatementFactory().pk]),
    ]
    for model, action, selected in pages:
        page = editor_client.post(changelist(model), {"action": action, "_selected_action": selected, "index": 0})
        html = page.content.decode()
        assert page.status_code == 200, action
        assert f'<a href="{changelist(model)}">{model._meta.verbose_name_plural.capitalize()}</a>' in html, action
        assert "admin/css/forms" in html, action
