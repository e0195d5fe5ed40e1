"""Editors and agreements: the admin pages, linking from the review queue, and the suggestion queue."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from archive.models import Agreement, ImplementationAssessment, Provision, StatementProvisionLink
from tests.factories import ActorFactory, TopicFactory
from tests.test_admin_review import QUEUE, post_action, three_statement_article

pytestmark = pytest.mark.django_db

SUGGESTIONS = "admin:archive_statementprovisionlink_suggestions"


@pytest.fixture
def provision(db):
    usg, taliban = ActorFactory(name="United States government"), ActorFactory(name="Taliban")
    agreement = Agreement.objects.create(
        title="A test agreement", short_title="Test deal", signed_date=datetime.date(2020, 2, 29), summary="Terms."
    )
    agreement.parties.add(usg, taliban)
    provision = Provision.objects.create(
        agreement=agreement,
        number="Part One, C",
        slug="prisoners",
        title="Prisoners freed",
        summary="Prisoners on both sides are freed.",
        obligated_party=usg,
        keywords="prisoners",
    )
    provision.topics.add(TopicFactory(name="Prisoner release"))
    return provision


@pytest.mark.parametrize(
    "name",
    [
        "admin:archive_agreement_changelist",
        "admin:archive_provision_changelist",
        "admin:archive_deadline_changelist",
        "admin:archive_implementationassessment_changelist",
        "admin:archive_statementprovisionlink_changelist",
        SUGGESTIONS,
    ],
)
def test_editor_opens_the_agreement_admin_pages(editor_client, provision, name):
    assert editor_client.get(reverse(name)).status_code == 200


def test_editor_records_an_assessment_with_evidence_and_history(editor_client, editor, provision):
    _, (statement, _, _) = three_statement_article()
    url = reverse("admin:archive_implementationassessment_add")
    data = {
        "provision": provision.pk,
        "as_of": "2020-09-01",
        "as_of_precision": "month",
        "status": "intermediate",
        "rationale": "Half of the prisoners freed.",
        "evidence_statements": [statement.pk],
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assessment = ImplementationAssessment.objects.get(provision=provision)
    assert list(assessment.evidence_statements.all()) == [statement]
    assert assessment.history.latest().history_user == editor
    # A date before the signing is refused with the reason, and nothing is saved.
    response = editor_client.post(url, {**data, "as_of": "2019-05-01"})
    assert response.status_code == 200 and "only signed on 29 February 2020" in response.content.decode()
    assert ImplementationAssessment.objects.count() == 1


def test_editor_cannot_save_a_deadline_before_the_signing(editor_client, provision):
    url = reverse("admin:archive_deadline_add")
    response = editor_client.post(
        url, {"provision": provision.pk, "date": "2020-01-10", "precision": "day", "description": "Too early"}
    )
    assert response.status_code == 200 and "before the agreement was signed" in response.content.decode()
    assert not provision.deadlines.exists()


def test_review_queue_links_statements_to_a_provision(editor_client, editor, provision):
    _, (first, second, third) = three_statement_article()
    StatementProvisionLink.objects.create(
        statement=third, provision=provision, relation="demands", review_status="suggested", reason="words: prisoners"
    )
    queue = editor_client.get(reverse(QUEUE)).content.decode()
    assert "link_to_provision" in queue and "<kbd>l</kbd> link to a provision" in queue
    assert "Suggested: Test deal Part One, C" in queue  # the row shows its suggestion
    # The action first asks which provision and how, preselecting the suggestion.
    page = post_action(editor_client, "link_to_provision", [third]).content.decode()
    assert "Link to a provision" in page and f'value="{provision.pk}" selected' in page
    response = post_action(
        editor_client, "link_to_provision", [first, third], apply="1", provision=provision.pk, relation="claims_kept"
    )
    assert response.status_code == 302
    links = StatementProvisionLink.objects.filter(provision=provision)
    assert set(links.values_list("statement_id", "relation", "review_status")) == {
        (first.pk, "claims_kept", "confirmed"),
        (third.pk, "claims_kept", "confirmed"),
    }
    assert links.get(statement=first).history.latest().history_user == editor


def test_review_queue_action_without_a_choice_asks_again(editor_client, provision):
    _, (first, _, _) = three_statement_article()
    page = post_action(editor_client, "link_to_provision", [first], apply="1", provision="", relation="").content
    assert "Choose the provision these statements speak about." in page.decode()
    assert not StatementProvisionLink.objects.exists()


def test_suggest_action_then_confirm_and_reject_in_the_suggestion_queue(editor_client, editor, provision):
    _, (first, second, third) = three_statement_article()
    third.topics.add(provision.topics.get())
    response = post_action(editor_client, "suggest_provisions", [first, second, third])
    assert response.status_code == 302
    suggestion = StatementProvisionLink.objects.get()
    assert (suggestion.statement, suggestion.review_status) == (third, "suggested")
    assert "prisoners" in suggestion.reason
    page = editor_client.get(reverse(SUGGESTIONS)).content.decode()
    assert "1 suggestion awaiting review" in page and "admin_extra/review.js" in page
    assert "<kbd>v</kbd> confirm" in page and 'class="archive-open"' in page
    data = {"action": "verify", "_selected_action": [suggestion.pk], "index": 0}
    assert editor_client.post(reverse(SUGGESTIONS), data).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.review_status == "confirmed" and suggestion.history.latest().history_user == editor
    assert "0 suggestions awaiting review" in editor_client.get(reverse(SUGGESTIONS)).content.decode()
    data["action"] = "reject"
    editor_client.post(reverse("admin:archive_statementprovisionlink_changelist"), data)
    suggestion.refresh_from_db()
    assert suggestion.review_status == "rejected"


def _provision_form(provision, **extra):
    data = {
        "agreement": provision.agreement_id,
        "number": "Part Two, 1",
        "slug": "soil",
        "position": 2,
        "title": "No use of the soil",
        "summary": "Nobody uses the soil against the other side.",
        "obligated_party": provision.obligated_party_id,
        "keywords": "",
        "deadlines-TOTAL_FORMS": 1,
        "deadlines-INITIAL_FORMS": 0,
        "deadlines-0-date": "2020-05-01",
        "deadlines-0-precision": "day",
        "deadlines-0-description": "Due",
        "assessments-TOTAL_FORMS": 1,
        "assessments-INITIAL_FORMS": 0,
        "assessments-0-as_of": "2020-06-01",
        "assessments-0-as_of_precision": "month",
        "assessments-0-status": "minimal",
        "assessments-0-rationale": "A start.",
    }
    data.update(extra)
    return data


def test_new_provision_with_its_deadline_and_assessment_inline(editor_client, provision):
    url = reverse("admin:archive_provision_add")
    response = editor_client.post(url, _provision_form(provision))
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Provision.objects.get(slug="soil")
    assert added.deadlines.get().date == datetime.date(2020, 5, 1)
    assert added.assessments.get().as_of_display == "June 2020"


@pytest.mark.parametrize(
    ("field", "value"), [("deadlines-0-date", "2020-01-05"), ("assessments-0-as_of", "2019-12-01")]
)
def test_new_provision_with_a_date_before_the_signing_is_refused(editor_client, provision, field, value):
    response = editor_client.post(reverse("admin:archive_provision_add"), _provision_form(provision, **{field: value}))
    assert response.status_code == 200
    assert "The agreement was only signed on 29 February 2020." in response.content.decode()
    assert not Provision.objects.filter(slug="soil").exists()


def test_provision_cannot_move_to_an_agreement_signed_after_its_deadlines(provision):
    provision.deadlines.create(date=datetime.date(2020, 3, 10), description="Due")
    later = Agreement.objects.create(
        title="A later agreement", short_title="Later", signed_date=datetime.date(2021, 1, 1), summary="Later terms."
    )
    provision.agreement = later
    with pytest.raises(ValidationError, match="before 1 January 2021"):
        provision.full_clean()
