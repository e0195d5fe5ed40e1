"""Provenance, citations, the About page in every footer, export links, and figures that count every
statement (with the curated corpus)."""

import re

import pytest
from django.urls import reverse

from archive import selectors
from archive.models import Article, Statement

pytestmark = pytest.mark.django_db


def test_curated_translations_say_so_with_their_language(client, corpus):
    translated = Article.objects.exclude(translation_note="")
    assert {a.original_language for a in translated} == {"French", "Persian (Dari)", ""}
    french = translated.get(original_language="French")
    page = client.get(french.get_absolute_url()).content.decode()
    assert "<strong>Machine-translated from French.</strong>" in page
    assert "Quotations in it are the translation’s words" in page
    own = Article.objects.filter(translation_note="").first()
    page = client.get(own.get_absolute_url()).content.decode()
    assert "Machine-translated" not in page and "EN, the text’s own language" in page


def test_article_page_states_every_part_of_its_provenance(client, corpus):
    for article in Article.objects.published():
        page = client.get(article.get_absolute_url()).content.decode()
        for label in ("Byline", "Publisher", "Credited", "Original address", "Language"):
            assert f"<dt>{label}</dt>" in page
        assert "<dd>Unknown</dd>" not in page
        if article.source_id is None:
            assert "Not named: the page was archived without its publisher" in page
        for source in article.credited_sources.all():
            assert source.name in page


def test_citation_names_publisher_or_credited_outlets_and_date(client, corpus):
    article = Article.objects.get(title__startswith="Afghanistan")  # AFP copy, year-precise, no publisher
    page = client.get(article.get_absolute_url()).content.decode()
    citation = re.search(r'<p class="citation" id="citation-text">(.*?)</p>', page, re.S).group(1)
    assert "via Agence France-Presse, 2019." in citation
    assert "Machine-translated from French." in citation
    bib = client.get(reverse("archive:article_citation", args=[article.slug, "bib"]))
    assert bib["Content-Type"].startswith("application/x-bibtex")
    text = bib.content.decode()
    assert text.startswith(f"@online{{{article.slug[:60]},")
    assert "organization = {via Agence France-Presse}" in text and "year = {2019}" in text
    assert "month" not in text  # known to the year only
    ris = client.get(reverse("archive:article_citation", args=[article.slug, "ris"])).content.decode()
    lines = ris.split("\r\n")
    assert lines[0] == "TY  - NEWS" and "PY  - 2019" in lines and "DA  - 2019///" in lines
    assert "ER  - " in lines
    assert client.get(f"/articles/{article.slug}/cite.doc").status_code == 404


def test_about_page_and_api_linked_from_every_footer(client, corpus):
    pages = [
        reverse("archive:home"),
        reverse("archive:article_list"),
        Article.objects.published().first().get_absolute_url(),
        reverse("archive:actor_list"),
        reverse("archive:topic_list"),
        Statement.objects.public().first().get_absolute_url(),
        reverse("archive:timeline"),
        reverse("search:search") + "?q=ceasefire",
        "/no-such-page/",
    ]
    for path in pages:
        html = client.get(path).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        assert 'href="/about/"' in footer and 'href="/api/docs/"' in footer, path
    about = client.get(reverse("archive:about")).content.decode()
    for heading in (
        "Where the articles come from",
        "How statements are extracted and reviewed",
        "What each review status means",
        "Corrections policy",
        "How to cite",
        "Data, API and licence",
    ):
        assert heading in about
    assert "Extracted automatically, not yet reviewed" in about and "Verified by an editor" in about
    assert f"It holds {Article.objects.published().count()} published articles" in about


def test_export_links_on_actor_topic_and_article_pages(client, corpus):
    statement = Statement.objects.public().filter(speaker__isnull=False).first()
    actor_page = client.get(statement.speaker.get_absolute_url()).content.decode()
    assert f'href="/api/actors/{statement.speaker.slug}/statements.csv"' in actor_page
    assert f'href="/api/actors/{statement.speaker.slug}/statements.xlsx"' in actor_page
    topic = statement.article.topics.first()
    topic_page = client.get(topic.get_absolute_url()).content.decode()
    assert f'href="/api/topics/{topic.slug}/statements.xlsx"' in topic_page
    article_page = client.get(statement.article.get_absolute_url()).content.decode()
    link = f"/api/statements/export.csv?article={statement.article.slug}"
    assert f'href="{link}"' in article_page
    rows = client.get(link)
    assert rows.status_code == 200


def test_timeline_counts_every_public_statement_and_article(corpus):
    data = selectors.timeline()
    assert data.total_statements == Statement.objects.public().count()
    assert data.total_articles == Article.objects.published().count()
    assert data.years or data.undated_statements  # the curated corpus has year-precise and undated items


def test_home_coverage_matches_the_chart(client, corpus):
    figures = selectors.home_figures()
    data = selectors.timeline()
    first_bar = data.months[0].month
    assert figures["first_date"].year == first_bar.year
    assert figures["last_date"].year == data.months[-1].month.year
    page = client.get(reverse("archive:home")).content.decode()
    coverage = re.search(r"<dt>Coverage</dt><dd>(\d{4})(?:–(\d{4}))?", page)
    assert int(coverage[1]) == first_bar.year
    assert int(coverage[2] or coverage[1]) == data.months[-1].month.year
