"""An editor reviews extracted statements with the keyboard, in a real browser (Debian's chromium)."""

import importlib
import itertools
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from archive.models import Statement
from tests.factories import ArticleFactory, StatementFactory

# The live server needs a transactional database; a flush by an earlier transactional test removes the
# rows the migrations create, so the test makes the Editor group again with the migration's own code.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
editor_group_migration = importlib.import_module("archive.migrations.0003_editor_group")
PASSWORD = "a-long-pass-phrase-for-review"
_reports = itertools.count(1)


@pytest.fixture
def browser_page(page):
    """The shared Playwright page (tests/browser/conftest.py), recording console errors."""
    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = console_errors
    return page


def queued_statements(count):
    """`count` extracted statements, one per article, in the queue's order."""
    made = []
    for _ in range(count):
        n = next(_reports)
        body = f"Report {n} from Doha.\n\n“Statement number {n} is on the record,” the envoy said.\n\nTalks went on."
        article = ArticleFactory(body=body, raw_text=body)
        words = f"Statement number {n} is on the record"
        start = body.index(words)
        made.append(StatementFactory(article=article, start=start, end=start + len(words), text=words))
    return sorted(made, key=lambda s: (s.article_id, s.start))


def log_in(page, live_server):
    user = get_user_model().objects.create_user("reviewer", "reviewer@example.org", PASSWORD, is_staff=True)
    editor_group_migration.create_editor_group(apps, None)
    user.groups.add(Group.objects.get(name="Editor"))
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))


def current_row_text(page):
    return page.locator("#result_list tbody tr.archive-current").inner_text()


def test_editor_reviews_statements_with_the_keyboard(live_server, browser_page):
    page = browser_page
    first, second, third, fourth = queued_statements(4)
    log_in(page, live_server)

    page.goto(live_server.url + reverse("admin:archive_statement_review"))
    assert "4 statements awaiting review" in page.inner_text("#content")
    assert page.locator("#result_list tbody tr").count() == 4
    assert first.text in current_row_text(page)

    # v verifies the current row; the page comes back with the next statement current.
    with page.expect_navigation():
        page.keyboard.press("v")
    assert "1 statement verified." in page.inner_text(".messagelist")
    assert page.locator("#result_list tbody tr").count() == 3
    assert second.text in current_row_text(page)

    # j moves down, k back up; r rejects the current row.
    page.keyboard.press("j")
    assert third.text in current_row_text(page)
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert third.text in current_row_text(page)
    with page.expect_navigation():
        page.keyboard.press("r")
    assert "1 statement rejected." in page.inner_text(".messagelist")

    # After the rejected third row went away, the current row is the fourth (same place in the list).
    assert fourth.text in current_row_text(page)
    page.keyboard.press("k")
    assert second.text in current_row_text(page)
    with page.expect_navigation():
        page.keyboard.press("v")

    statuses = dict(Statement.objects.values_list("pk", "review_status"))
    assert statuses == {
        first.pk: "verified",
        second.pk: "verified",
        third.pk: "rejected",
        fourth.pk: "extracted",
    }
    assert page.locator("#result_list tbody tr").count() == 1
    assert first.history.first().history_user.username == "reviewer"
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors
