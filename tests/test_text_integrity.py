"""Text integrity on every way in: one stored form of a text, and the repair of text stored before."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive.ingest import import_uploads
from archive.models import Actor, Article, Statement
from archive.text import clean_text, map_offsets
from tests.conftest import add_statement
from tests.factories import ActorFactory, ArticleFactory


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("one\r\ntwo\rthree", "one\ntwo\nthree"),
        ("nul\x00 here", "nul here"),
        ("zero\u200bwidth\ufeff and\u2060 joiner", "zerowidth and joiner"),
        ("Moi\u0308se", "Moïse"),
        ("soft\u00adhyphen", "softhyphen"),
        ("tab\tkept\nnewline kept", "tab\tkept\nnewline kept"),
    ],
)
def test_clean_text_normalises(raw, stored):
    assert clean_text(raw) == stored
    assert clean_text(stored) == stored  # idempotent


def test_clean_text_keeps_joiners_inside_persian_words_only():
    persian = "می\u200cخواهم"  # the non-joiner shapes the word
    assert clean_text(persian) == persian
    assert clean_text("Kabul\u200c talks") == "Kabul talks"


def test_map_offsets_moves_with_the_text():
    old = "A\r\nB said “yes”.\r\n\r\nC"
    new = clean_text(old)
    moved = map_offsets(old, new)
    start = old.index("yes")
    assert new[moved(start) : moved(start + 3)] == "yes"
    assert moved(len(old)) == len(new)


@pytest.mark.django_db
def test_model_save_normalises_every_text_field():
    actor = ActorFactory(name="Zalmay\u200b Khalilzad", role="envoy\r\n")
    article = ArticleFactory(title="Talks\x00 resume", body="First.\r\n\r\nSecond\u200b para.", raw_text="raw\r\n\x00")
    actor.refresh_from_db()
    article.refresh_from_db()
    assert actor.name == "Zalmay Khalilzad"
    assert article.title == "Talks resume"
    assert article.body == "First.\n\nSecond para."
    # The imported text stays as it came, but for NUL, which databases refuse.
    assert article.raw_text == "raw\r\n"


@pytest.mark.django_db
def test_admin_form_stores_lf_and_keeps_paragraphs(editor_client):
    article = ArticleFactory(body="First paragraph here.\n\n“We agree,” she said.\n\nLast one.")
    speaker = ActorFactory(name="Speaker One")
    statement = add_statement(article, speaker, "We agree")
    url = reverse("admin:archive_article_change", args=[article.pk])
    page = editor_client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data["_archive_version"] = form.instance.updated_at.isoformat()  # the version the form was opened at
    data.update(
        title=article.title,
        status=article.status,
        body="First paragraf here.\r\n\r\n“We agree,” she said.\r\n\r\nLast one.",
        date_precision=article.date_precision,
        language=article.language,
        **{
            "statements-TOTAL_FORMS": "1",
            "statements-INITIAL_FORMS": "1",
            "statements-MIN_NUM_FORMS": "0",
            "statements-MAX_NUM_FORMS": "1000",
            "statements-0-id": str(statement.pk),
            "statements-0-article": str(article.pk),
            "statements-0-text": statement.text,
            "statements-0-start": str(statement.start),
            "statements-0-end": str(statement.end),
            "statements-0-speaker": str(speaker.pk),
            "statements-0-kind": statement.kind,
            "statements-0-review_status": statement.review_status,
        },
    )
    data.pop("slug", None)
    data["slug"] = article.slug
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    statement.refresh_from_db()
    assert "\r" not in article.body
    assert article.body.count("\n\n") == 2
    assert article.body[statement.start : statement.end] == "We agree"
    assert statement.paragraph == "“We agree,” she said."


@pytest.mark.django_db
def test_import_normalises_before_offsets_are_taken(editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = (
        "Envoy\u200b says talks will resume\r\n\r\n"
        "DOHA, Qatar (Wire) — The envoy said on Monday that the talks would resume soon.\r\n\r\n"
        "“We are ready to sign,” said Zalmay Khalilzad, the US special envoy.\r\n"
    )
    report = import_uploads([SimpleUploadedFile("envoy.txt", text.encode("utf-8"), "text/plain")], user=editor)
    assert report.results[0].status == "created", report.results[0].reason
    article = Article.objects.get(pk=report.results[0].article_id)
    assert "\r" not in article.body and "\u200b" not in article.body and "\u200b" not in article.title
    for statement in article.statements.all():
        assert article.body[statement.start : statement.end] == statement.text
    # The history credits the importing editor, for the article and its statements.
    assert article.history.latest().history_user == editor
    assert all(h.history_user == editor for h in Statement.history.filter(article_id=article.pk))


@pytest.mark.django_db
def test_repair_command_fixes_stored_cr_and_moves_spans():
    article = ArticleFactory(body="Intro line.\n\n“Peace now,” he said.\n\nEnd.")
    speaker = ActorFactory(name="Someone Quoted")
    statement = add_statement(article, speaker, "Peace now")
    other = ArticleFactory(body="Plain text.\n\nNothing to see.")
    # As an older version of the archive stored it: CRLF from the browser, a zero-width space.
    damaged = "Intro\u200b line.\r\n\r\n“Peace now,” he said.\r\n\r\nEnd."
    Article.objects.filter(pk=article.pk).update(body=damaged)
    Statement.objects.filter(pk=statement.pk).update(start=damaged.index("Peace"), end=damaged.index("Peace") + 9)
    Actor.objects.filter(pk=speaker.pk).update(name="Someone\r\nQuoted")
    call_command("repair_text", "--dry-run", stdout=open("/dev/null", "w"))
    assert Article.objects.get(pk=article.pk).body == damaged  # a dry run writes nothing
    call_command("repair_text", stdout=open("/dev/null", "w"))
    article.refresh_from_db()
    statement.refresh_from_db()
    assert article.body == "Intro line.\n\n“Peace now,” he said.\n\nEnd."
    assert article.body[statement.start : statement.end] == "Peace now"
    assert statement.paragraph == "“Peace now,” he said."
    assert Actor.objects.get(pk=speaker.pk).name == "Someone\nQuoted"
    assert Article.objects.get(pk=other.pk).body == "Plain text.\n\nNothing to see."
