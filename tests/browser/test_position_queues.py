"""An editor confirms and rejects suggested relations with the review queue's keys, in chromium."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from archive.positions.models import StatementRelation
from tests.browser.test_review_queue import current_row_text, log_in
from tests.factories import ArticleFactory, StatementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
position_permissions = importlib.import_module("archive.migrations.0014_editor_position_permissions")


def said_on(day, words):
    body = f"Report of {day}.\n\n“{words},” the spokesman said.\n\nTalks went on."
    return StatementFactory(article=ArticleFactory(published_date=day, body=body, raw_text=body))


def test_editor_reviews_suggested_relations_with_the_keyboard(live_server, page):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    day = datetime.date(2020, 3, 1)
    claim = said_on(day, "The convoy was attacked near the pass")
    answers = [said_on(day + datetime.timedelta(days=n), f"Answer number {n} to the convoy report") for n in (1, 2)]
    first, second = (
        StatementRelation.objects.create(
            from_statement=answer, to_statement=claim, kind="denies", review_status="suggested", reason="cue"
        )
        for answer in answers
    )
    log_in(page, live_server)
    position_permissions.grant(apps, None)

    page.goto(live_server.url + reverse("admin:archive_statementrelation_suggestions"))
    assert "2 suggestions awaiting review" in page.inner_text("#content")
    assert "Answer number 1" in current_row_text(page)
    with page.expect_navigation():
        page.keyboard.press("v")
    assert "1 relation confirmed." in page.inner_text(".messagelist")
    assert "Answer number 2" in current_row_text(page)
    with page.expect_navigation():
        page.keyboard.press("r")
    assert "1 relation rejected." in page.inner_text(".messagelist")
    statuses = dict(StatementRelation.objects.values_list("pk", "review_status"))
    assert statuses == {first.pk: "confirmed", second.pk: "rejected"}
    assert first.history.first().history_user.username == "reviewer"
    assert not [e for e in errors if "Content Security Policy" in e], errors
