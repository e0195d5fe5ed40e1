"""An editor links statements to provisions, and reviews suggestions, with the review queue's keys."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from archive.models import Agreement, Provision, StatementProvisionLink
from tests.browser.test_review_queue import current_row_text, log_in, queued_statements
from tests.factories import ActorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
agreement_permissions = importlib.import_module("archive.migrations.0006_editor_agreement_permissions")


@pytest.fixture
def provision(transactional_db):
    usg = ActorFactory(name="United States government")
    agreement = Agreement.objects.create(
        title="A test agreement", short_title="Test deal", signed_date=datetime.date(2020, 2, 29), summary="Terms."
    )
    return Provision.objects.create(
        agreement=agreement,
        number="Part One",
        slug="records",
        title="Statements go on the record",
        summary="Every statement goes on the record.",
        obligated_party=usg,
    )


def test_editor_links_the_current_statement_with_the_l_key(live_server, page, provision):
    first, second = queued_statements(2)
    log_in(page, live_server)
    agreement_permissions.grant(apps, None)
    page.goto(live_server.url + reverse("admin:archive_statement_review"))
    page.keyboard.press("j")
    assert second.text in current_row_text(page)
    with page.expect_navigation():
        page.keyboard.press("l")
    assert "Link to a provision" in page.inner_text("h1")
    page.select_option("select[name=provision]", str(provision.pk))
    page.get_by_label("Claims kept").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Link").click()
    assert "1 statement linked to Part One (claims kept)." in page.inner_text(".messagelist")
    link = StatementProvisionLink.objects.get()
    assert (link.statement_id, link.relation, link.review_status) == (second.pk, "claims_kept", "confirmed")


def test_editor_confirms_and_rejects_suggestions_with_v_and_r(live_server, page, provision):
    first, second = queued_statements(2)
    suggestions = [
        StatementProvisionLink.objects.create(
            statement=s, provision=provision, relation="interprets", review_status="suggested", reason="words: record"
        )
        for s in (first, second)
    ]
    log_in(page, live_server)
    agreement_permissions.grant(apps, None)
    page.goto(live_server.url + reverse("admin:archive_statementprovisionlink_suggestions"))
    assert "2 suggestions awaiting review" in page.inner_text("#content")
    with page.expect_navigation():
        page.keyboard.press("v")
    assert "1 link confirmed." in page.inner_text(".messagelist")
    with page.expect_navigation():
        page.keyboard.press("r")
    statuses = dict(StatementProvisionLink.objects.values_list("pk", "review_status"))
    assert statuses == {suggestions[0].pk: "confirmed", suggestions[1].pk: "rejected"}
    assert "0 suggestions awaiting review" in page.inner_text("#content")
