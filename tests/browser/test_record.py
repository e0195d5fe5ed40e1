"""The honest record in Chromium: an admin body correction keeps paragraphs and spans, review status
is visible, speaker labels stay out of copied quotations, and the timeline and comparison show everything."""

import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from archive.models import Article, Statement, Topic
from archive.selectors import timeline, who_said_what

PASSWORD = "a-long-pass-phrase-for-record"


def log_in(page, live_server):
    import importlib

    importlib.import_module("archive.migrations.0003_editor_group").create_editor_group(apps, None)
    user = get_user_model().objects.create_user("corrector", "corrector@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "corrector")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))
    return user


def test_admin_body_correction_keeps_paragraphs_and_spans(site, page):
    """The browser posts the textarea with CRLF line endings; the archive stores LF and moves nothing."""
    user = log_in(page, site)
    article = Article.objects.get(title__startswith="As Taliban Advance")
    statements = {s.pk: s.text for s in article.statements.all()}
    paragraphs = article.body.count("\n\n")
    # A typo fixed in a paragraph with no statement in it ("they would start from square one" is quoted).
    typo = "with a sharing deal. power."
    assert typo in article.body
    page.goto(site.url + reverse("admin:archive_article_change", args=[article.pk]))
    body = page.locator("#id_body")
    body.fill(body.input_value().replace(typo, "with a power-sharing deal."))
    page.fill("#id_change_reason", "Scrambled phrase restored")
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(r".*/admin/archive/article/$"))
    article.refresh_from_db()
    assert "\r" not in article.body
    assert article.body.count("\n\n") == paragraphs
    assert "with a power-sharing deal." in article.body
    for statement in article.statements.all():
        assert article.body[statement.start : statement.end] == statements[statement.pk]
        assert len(statement.paragraph) < len(article.body) / 2  # one paragraph, not the whole article
    latest = article.history.latest()
    assert latest.history_user == user and latest.history_change_reason == "Scrambled phrase restored"
    # The public record of corrections says what changed and why.
    page.goto(site.url + article.get_absolute_url())
    record = page.locator(".corrections").inner_text()
    assert "Text: “sharing deal. power” corrected to “power-sharing deal”" in record.replace("\n", " ")
    assert "Why: Scrambled phrase restored" in record


def test_unreviewed_statements_look_unreviewed(site, page):
    from archive.services import set_review_status

    statement = Statement.objects.public().filter(speaker__isnull=False).select_related("article").first()
    set_review_status(Statement.objects.filter(pk=statement.pk), Statement.ReviewStatus.EXTRACTED)
    verified = Statement.objects.public().filter(article=statement.article, review_status="verified").first()
    page.goto(site.url + statement.article.get_absolute_url())
    mark = page.locator(f"mark#s-{statement.pk}")
    other = page.locator(f"mark#s-{verified.pk}")
    style = "el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).borderBottomStyle]"
    assert mark.evaluate(style) != other.evaluate(style)
    assert mark.evaluate(style)[1] == "dashed"
    flag = page.locator(f'.quote-speaker[data-for="s-{statement.pk}"] .review-flag')
    assert flag.is_visible() and flag.inner_text() == "unreviewed"
    assert page.locator(f'.quote-speaker[data-for="s-{verified.pk}"] .review-flag').count() == 0
    assert "1 of" in page.locator(".reading-note").inner_text()
    # Its own page says so in words (search results and the "verified only" filter are covered with a
    # fresh index of their own in tests/test_review_status.py).
    page.goto(site.url + statement.get_absolute_url())
    assert page.locator(".facts").get_by_text("Extracted automatically, not yet reviewed").is_visible()


def test_copying_a_paragraph_gives_the_article_text_without_speaker_names(site, page):
    statement = (
        Statement.objects.public().filter(speaker__isnull=False, kind="direct").select_related("article", "speaker")
    ).first()
    paragraph = statement.paragraph
    page.goto(site.url + statement.article.get_absolute_url())
    mark = page.locator(f"mark#s-{statement.pk}")
    copied = mark.evaluate(
        """el => { const p = el.closest('p'); const range = document.createRange(); range.selectNodeContents(p);
        const selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(range);
        return selection.toString(); }"""
    )
    assert copied == paragraph.replace("\n", "")  # single line breaks render as <br>
    assert statement.speaker.name not in copied or statement.speaker.name in paragraph
    # The label follows the closing quotation mark, outside the quoted words; screen readers hear "said by".
    label = page.locator(f'.quote-speaker[data-for="s-{statement.pk}"]')
    between = label.evaluate(
        """el => { let text = '', node = el.previousSibling;
        while (node && !(node.tagName === 'MARK')) { text = node.textContent + text; node = node.previousSibling; }
        return node ? [node.id, text] : [null, text]; }"""
    )
    assert between[0] == f"s-{statement.pk}"
    assert re.fullmatch(r"[”’\"'»›)\]]*[,.;:!?…]?[”’\"'»›)\]]*", between[1])
    assert between[1] == statement.article.body[statement.end : statement.end + len(between[1])]
    after = statement.article.body[statement.end + len(between[1]) : statement.end + len(between[1]) + 1]
    assert after not in "”’\"'»"  # no closing quotation mark left after the name
    assert label.evaluate("el => el.textContent").startswith(" (said by ")
    # Where the quotation begins and ends is visible.
    borders = mark.evaluate("el => [getComputedStyle(el).borderLeftWidth, getComputedStyle(el).borderRightWidth]")
    assert borders == ["3px", "3px"]


def test_timeline_and_home_count_every_statement(site, page):
    data = timeline()
    total = Statement.objects.public().count()
    page.goto(site.url + reverse("archive:timeline"))
    titles = page.locator("figure.chart svg").first.locator("rect > title")
    labels = titles.evaluate_all("els => els.map(e => e.textContent)")
    statements = sum(int(m[1]) for t in labels if (m := re.search(r": (\d+) statements?$", t)))
    articles = sum(int(m[1]) for t in labels if (m := re.search(r": (\d+) articles?$", t)))
    assert statements == total == data.total_statements
    assert articles == Article.objects.published().count()
    assert any(t.startswith("Dated only to") or t.startswith("Undated") for t in labels)
    footer = page.locator("#timeline-table tfoot").inner_text().split()
    assert footer[-2:] == [str(articles), str(total)]
    # The home page's coverage starts and ends with the chart's years.
    page.goto(site.url + "/")
    coverage = page.locator(".figures div", has_text="Coverage").locator("dd").inner_text()
    years = re.findall(r"\d{4}", coverage)
    first, last = data.months[0].month.year, data.months[-1].month.year
    assert years[0] == str(first) and years[-1 if first != last else 0] == str(last)
    x_labels = page.locator("figure.chart svg").first.locator(".chart-labels text")
    assert x_labels.first.text_content().endswith(str(first))


@pytest.mark.parametrize("width", [1366, 1280])
def test_topic_comparison_shows_every_column_at_laptop_widths(site, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        busiest = max(({"slug": t.slug, "n": len(who_said_what(t))} for t in Topic.objects.all()), key=lambda t: t["n"])
        assert busiest["n"] >= 5
        page.goto(site.url + reverse("archive:topic_detail", args=[busiest["slug"]]))
        region = page.locator(".compare")
        assert region.evaluate("el => el.scrollWidth <= el.clientWidth")
        boxes = [page.locator(".compare-column").nth(i).bounding_box() for i in range(busiest["n"])]
        assert all(box["x"] >= 0 and box["x"] + box["width"] <= width for box in boxes)
        # Side by side: at least five sides share the first row; the others wrap below, never cut off.
        first_row = [box for box in boxes if abs(box["y"] - boxes[0]["y"]) < 1]
        assert len(first_row) >= min(5, busiest["n"])
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
