"""Statement highlighting, JSON-LD and citations built in archive/templatetags/archive_tags.py."""

import json
import re

from django.utils import timezone

from archive.templatetags.archive_tags import citation, highlighted_body, json_ld, marked_paragraph
from tests.conftest import add_statement
from tests.factories import ActorFactory, ArticleFactory


def test_json_ld_cannot_close_its_script_block():
    out = json_ld({"name": "</script><script>alert(1)</script> & 'x' <!--"})
    inner = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', out, re.S).group(1)
    assert "<" not in inner and ">" not in inner and "&" not in inner and "'" not in inner
    assert json.loads(inner)["name"] == "</script><script>alert(1)</script> & 'x' <!--"


def test_highlighted_body_escapes_text_and_marks_spans(db):
    body = "First <b>para</b>.\n\n“Peace & <i>quiet</i>,” he said.\nNew line."
    article = ArticleFactory(body=body, raw_text=body)
    speaker = ActorFactory(name="A <Speaker>")
    statement = add_statement(article, speaker, "Peace & <i>quiet</i>")
    out = highlighted_body(article, [statement])
    assert out.startswith("<p>First &lt;b&gt;para&lt;/b&gt;.</p>")
    assert re.search(
        rf'<mark class="quote [^"]+" id="s-{statement.pk}" title="A &lt;Speaker&gt;: [^"]+">'
        r"Peace &amp; &lt;i&gt;quiet&lt;/i&gt;</mark>,”<span class=\"quote-speaker\"",
        out,
    )
    assert ">A &lt;Speaker&gt;</a>" in out
    assert "he said.<br>New line.</p>" in out


def test_highlighted_body_keeps_an_anchor_for_overlapping_statements(db):
    body = "Intro.\n\n“We want peace and we want it now,” he said."
    article = ArticleFactory(body=body, raw_text=body)
    speaker = ActorFactory()
    outer = add_statement(article, speaker, "We want peace and we want it now")
    inner = add_statement(article, speaker, "we want it now")
    out = highlighted_body(article, [inner, outer])
    assert f'id="s-{outer.pk}"' in out and f'id="s-{inner.pk}"' in out
    assert out.count("<mark") == 1


def test_marked_paragraph_shows_only_the_statement_paragraph(db):
    body = "Before.\n\n“Talks go on,” he said in Doha.\n\nAfter."
    article = ArticleFactory(body=body, raw_text=body)
    statement = add_statement(article, ActorFactory(), "Talks go on")
    classes = f"quote quote-{statement.review_status} quote-{statement.kind} quote-start quote-end"
    title = f"{statement.speaker_label}: {statement.review_note.lower()}"
    expected = f'<p>“<mark class="{classes}" title="{title}">Talks go on</mark>,” he said in Doha.</p>'
    assert marked_paragraph(statement) == expected


def test_citation_without_byline_source_or_date(db):
    body = "Text.\n\n“Words,” he said."
    article = ArticleFactory(body=body, raw_text=body, source=None, published_date=None, date_precision="unknown")
    today = timezone.localdate()
    assert citation(article, "http://x/a/") == (
        f"“{article.title}.” Publisher not named, n.d. Archived in Peace Talks Archive, http://x/a/ "
        f"(accessed {today:%-d %B %Y})."
    )
