"""The admin stays bounded however many statements an article has: no GROUP BY over the texts, no body
read per row, the statements inline a page at a time, deletes a chunk at a time."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive import selectors, services
from archive.admin.articles import StatementInline
from archive.models import Article, Statement
from tests.factories import ActorFactory, ArticleFactory

pytestmark = pytest.mark.django_db

N = 130  # more than two pages of the inline


@pytest.fixture
def super_client(db):
    user = get_user_model().objects.create_superuser("chief", "chief@example.org", "a-long-pass-phrase")
    client = Client()
    client.force_login(user)
    return client


def crowded_article(n=N, status=Article.Status.DRAFT):
    """An article of n short quoted lines, each a statement (written in bulk, as an import does)."""
    lines = [f"“Line {i} of the crowded text,” said the speaker number {i}." for i in range(n)]
    body = "\n\n".join(lines)
    article = ArticleFactory(body=body, raw_text=body, status=status)
    speaker = ActorFactory()
    statements, at = [], 0
    for line in lines:
        start = body.index(line, at) + 1
        end = start + line.index(",”") - 1 + 1
        statements.append(
            Statement(article=article, speaker=speaker, text=body[start:end], start=start, end=end, date=None)
        )
        at = start
    Statement.objects.bulk_create(statements)
    return article


def admin_sql(queries) -> str:
    return "\n".join(q["sql"] for q in queries)


def form_data(response) -> dict:
    """The change form as a browser posts it back unchanged, from the page's own forms."""
    data = {"_archive_version": response.context["archive_version"]}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management[name].value()
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                data[f"{sub.prefix}-{name}"] = "" if value is None else value
    return data


def test_article_counts_are_subqueries_without_group_by():
    crowded_article(5)
    sql = str(selectors.articles_for_admin(Article.objects.all()).query).upper()
    assert "GROUP BY" not in sql
    row = selectors.articles_for_admin(Article.objects.all()).get()
    assert (row.n_extracted, row.n_verified, row.n_rejected) == (5, 0, 0)


def test_article_list_reads_no_article_text(super_client):
    crowded_article()
    with CaptureQueriesContext(connection) as queries:
        response = super_client.get(reverse("admin:archive_article_changelist"))
    assert response.status_code == 200
    sql = admin_sql(queries.captured_queries)
    for column in ("body", "raw_text"):
        assert f'"archive_article"."{column}"' not in sql
    assert "GROUP BY" not in sql.upper()
    assert b"130" in response.content  # the to-review count


def test_article_list_sorted_by_a_count(super_client):
    crowded_article()
    ArticleFactory()
    response = super_client.get(reverse("admin:archive_article_changelist"), {"o": "5"})
    assert response.status_code == 200
    assert [a.n_extracted for a in response.context["cl"].result_list] == [0, 130]


def test_review_queue_reads_each_body_once_not_once_per_row(super_client):
    article = crowded_article()
    with CaptureQueriesContext(connection) as queries:
        response = super_client.get(reverse("admin:archive_statement_review"))
    assert response.status_code == 200
    reading_body = [q["sql"] for q in queries.captured_queries if '"archive_article"."body"' in q["sql"]]
    # One query reads the bodies of the page's articles (here one), apart from the statement rows.
    assert len(reading_body) == 1
    assert '"archive_statement"' not in reading_body[0]
    html = response.content.decode()
    first = Statement.objects.filter(article=article).order_by("start").first()
    assert f'<mark class="archive-quote">{first.text}</mark>' in html
    assert len(response.context["cl"].result_list) == 50


def test_statement_list_reads_no_article_text(super_client):
    crowded_article()
    with CaptureQueriesContext(connection) as queries:
        response = super_client.get(reverse("admin:archive_statement_changelist"))
    assert response.status_code == 200
    assert '"archive_article"."body"' not in admin_sql(queries.captured_queries)


def test_article_change_page_pages_its_statements(super_client):
    article = crowded_article()
    per_page = StatementInline.per_page
    pages = -(-N // per_page)
    url = reverse("admin:archive_article_change", args=[article.pk])
    response = super_client.get(url)
    formset = response.context["inline_admin_formsets"][0].formset
    assert len(formset.forms) == per_page
    html = response.content.decode()
    assert f"Statements 1–{per_page} of {N}" in html
    assert "statements_page=2" in html
    last = super_client.get(url, {"statements_page": str(pages)})
    forms = last.context["inline_admin_formsets"][0].formset.forms
    assert len(forms) == N - (pages - 1) * per_page
    assert f"Statements {(pages - 1) * per_page + 1}–{N} of {N}" in last.content.decode()
    # The page's rows are the statements at that place in the body.
    starts = [f.instance.start for f in forms]
    assert starts == sorted(Statement.objects.filter(article=article).values_list("start", flat=True))[-len(forms) :]
    # Nonsense page numbers land on a real page.
    assert super_client.get(url, {"statements_page": "x"}).status_code == 200
    beyond = super_client.get(url, {"statements_page": "999"})
    assert len(beyond.context["inline_admin_formsets"][0].formset.forms) == len(forms)


def test_body_edit_moves_the_statements_of_other_pages_too(super_client):
    article = crowded_article()
    url = reverse("admin:archive_article_change", args=[article.pk])
    data = form_data(super_client.get(url))
    data["body"] = "A new opening paragraph.\n\n" + data["body"]
    response = super_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    for statement in Statement.objects.filter(article=article):
        assert article.body[statement.start : statement.end] == statement.text


def test_body_edit_that_loses_words_of_a_statement_on_another_page_is_refused(super_client):
    article = crowded_article()
    url = reverse("admin:archive_article_change", args=[article.pk])
    data = form_data(super_client.get(url))
    data["body"] = data["body"].replace("Line 120 of the crowded text", "Line one hundred and twenty")
    response = super_client.post(url, data)
    assert response.status_code == 200
    assert "no longer contains the words of 1 statement" in response.content.decode()
    article.refresh_from_db()
    assert "Line 120 of the crowded text" in article.body


def test_delete_confirmation_counts_the_statements(super_client):
    article = crowded_article()
    with CaptureQueriesContext(connection) as queries:
        response = super_client.get(reverse("admin:archive_article_delete", args=[article.pk]))
    assert response.status_code == 200
    assert f"{N} statements" in response.content.decode()
    assert len(queries.captured_queries) < 20


def test_delete_goes_a_chunk_at_a_time(super_client, monkeypatch):
    monkeypatch.setattr(services, "DELETE_CHUNK", 50)
    article = crowded_article()
    ids = list(article.statements.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        response = super_client.post(reverse("admin:archive_article_delete", args=[article.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not Statement.objects.filter(pk__in=ids).exists()
    # The number of queries grows with the chunks, not with the statements.
    assert len(queries.captured_queries) < 60
    largest = max(len(q["sql"]) for q in queries.captured_queries)
    assert largest < 60_000
    # Each statement's deletion is in its history, with who deleted it.
    deleted = Statement.history.filter(id__in=ids, history_type="-")
    assert deleted.count() == N
    assert set(deleted.values_list("history_user__username", flat=True)) == {"chief"}


def test_review_queue_order_is_read_from_an_index_not_sorted(super_client):
    crowded_article()
    response = super_client.get(reverse("admin:archive_statement_review"), {"p": "2"})
    assert response.status_code == 200
    queryset = response.context["cl"].queryset
    index = next(i for i in Statement._meta.indexes if i.name == "statement_review_queue_idx")
    assert index.fields == ["review_status", "article", "start", "end"]
    assert list(dict.fromkeys(queryset.query.order_by)) == ["article_id", "start", "end"], queryset.query.order_by
    if connection.vendor == "sqlite":
        sql, params = queryset[50:100].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " | ".join(row[-1] for row in cursor.fetchall())
        assert "statement_review_queue_idx" in plan and "TEMP B-TREE" not in plan, plan
