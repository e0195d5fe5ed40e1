"""Stances and relations between statements: the model rules, and editors' review in the admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from archive.positions.models import StatementRelation, StatementStance
from tests.factories import ArticleFactory, StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db


def said_on(day: datetime.date, **fields):
    return StatementFactory(article=ArticleFactory(published_date=day), **fields)


@pytest.fixture
def earlier():
    return said_on(datetime.date(2020, 3, 1))


@pytest.fixture
def later():
    return said_on(datetime.date(2020, 3, 4))


def test_stance_is_on_a_topic_or_a_provision_never_both_nor_neither(earlier):
    stance = StatementStance(statement=earlier, stance="supports")
    with pytest.raises(ValidationError, match="exactly one"):
        stance.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        stance.save()


def test_one_stance_per_statement_and_topic(earlier):
    topic = TopicFactory(name="Ceasefire")
    StatementStance.objects.create(statement=earlier, topic=topic, stance="supports")
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementStance.objects.create(statement=earlier, topic=topic, stance="opposes")
    # Another topic is another stance.
    StatementStance.objects.create(statement=earlier, topic=TopicFactory(name="Prisoners"), stance="opposes")
    assert earlier.stances.count() == 2


def test_stance_edits_keep_history(earlier):
    stance = StatementStance.objects.create(statement=earlier, topic=TopicFactory(), stance="unclear")
    stance.stance = "conditional"
    stance.save()
    assert [h.stance for h in stance.history.order_by("history_date")] == ["unclear", "conditional"]


def test_statement_cannot_relate_to_itself(earlier):
    relation = StatementRelation(from_statement=earlier, to_statement=earlier, kind="denies")
    with pytest.raises(ValidationError, match="itself"):
        relation.full_clean()
    with pytest.raises(ValidationError, match="itself"):
        relation.save()
    # The database refuses it too, for writes that skip save().
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementRelation.objects.bulk_create([relation])


@pytest.mark.parametrize("kind", ["replies_to", "denies", "confirms", "contradicts", "repeats"])
def test_statement_cannot_answer_a_later_statement(earlier, later, kind):
    relation = StatementRelation(from_statement=earlier, to_statement=later, kind=kind)
    with pytest.raises(ValidationError, match="later than the answering one"):
        relation.full_clean()
    with pytest.raises(ValidationError):
        relation.save()
    assert not StatementRelation.objects.exists()
    StatementRelation.objects.create(from_statement=later, to_statement=earlier, kind=kind)


def test_database_refuses_a_relation_to_a_later_statement_that_skips_save(earlier, later):
    backwards = StatementRelation(from_statement=earlier, to_statement=later, kind="denies")
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementRelation.objects.bulk_create([backwards])
    relation = StatementRelation.objects.create(from_statement=later, to_statement=earlier, kind="denies")
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementRelation.objects.filter(pk=relation.pk).update(from_statement=earlier, to_statement=later)
    assert StatementRelation.objects.get().from_statement == later


def test_same_day_statements_may_answer_each_other(earlier):
    other = said_on(earlier.date)
    StatementRelation.objects.create(from_statement=other, to_statement=earlier, kind="replies_to")
    assert earlier.relations_to.get().from_statement == other


def test_relation_unique_per_pair_and_kind(earlier, later):
    StatementRelation.objects.create(from_statement=later, to_statement=earlier, kind="denies")
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementRelation.objects.create(from_statement=later, to_statement=earlier, kind="denies")
    StatementRelation.objects.create(from_statement=later, to_statement=earlier, kind="replies_to")


def test_public_keeps_confirmed_rows_of_public_statements(earlier, later):
    topic = TopicFactory()
    confirmed = StatementStance.objects.create(statement=earlier, topic=topic, stance="supports")
    StatementStance.objects.create(statement=later, topic=topic, stance="opposes", review_status="suggested")
    rejected = StatementStance.objects.create(
        statement=said_on(earlier.date), topic=topic, stance="opposes", review_status="rejected"
    )
    assert list(StatementStance.objects.public()) == [confirmed]
    assert rejected not in StatementStance.objects.shown() and StatementStance.objects.shown().count() == 2
    relation = StatementRelation.objects.create(from_statement=later, to_statement=earlier, kind="denies")
    assert list(StatementRelation.objects.public()) == [relation]
    earlier.article.status = "draft"
    earlier.article.save()
    assert not StatementStance.objects.public().exists() and not StatementRelation.objects.public().exists()


# --- The admin --------------------------------------------------------------------------------------------


def test_editor_adds_a_relation_and_a_later_target_is_refused(editor_client, editor, earlier, later):
    url = reverse("admin:archive_statementrelation_add")
    data = {"from_statement": earlier.pk, "to_statement": later.pk, "kind": "denies", "review_status": "confirmed"}
    response = editor_client.post(url, data)
    assert response.status_code == 200 and "later than the answering one" in response.content.decode()
    data.update(from_statement=later.pk, to_statement=earlier.pk)
    assert editor_client.post(url, data).status_code == 302
    relation = StatementRelation.objects.get()
    assert relation.history.latest().history_user == editor
    # A change posts the version it was opened at, as every admin change form does.
    change = reverse("admin:archive_statementrelation_change", args=[relation.pk])
    form = editor_client.get(change)
    assert 'name="_archive_version"' in form.content.decode()
    stale = {**data, "kind": "contradicts", "_archive_version": "2000-01-01T00:00:00+00:00"}
    assert editor_client.post(change, stale).status_code == 409


def test_editor_adds_a_stance_with_the_version_field(editor_client, earlier):
    topic = TopicFactory()
    url = reverse("admin:archive_statementstance_add")
    data = {"statement": earlier.pk, "topic": topic.pk, "stance": "opposes", "review_status": "confirmed"}
    assert editor_client.post(url, data).status_code == 302
    stance = StatementStance.objects.get()
    change = reverse("admin:archive_statementstance_change", args=[stance.pk])
    version = stance.updated_at.isoformat()
    response = editor_client.post(change, {**data, "stance": "conditional", "_archive_version": version})
    assert response.status_code == 302
    stance.refresh_from_db()
    assert stance.stance == "conditional"


@pytest.mark.parametrize("model", ["statementstance", "statementrelation"])
def test_suggestion_queue_confirms_and_rejects_with_the_review_keys(editor_client, editor, earlier, later, model):
    topic = TopicFactory()
    if model == "statementstance":
        rows = [
            StatementStance.objects.create(statement=s, topic=topic, stance="opposes", review_status="suggested")
            for s in (earlier, later)
        ]
    else:
        rows = [
            StatementRelation.objects.create(
                from_statement=later, to_statement=earlier, kind=kind, review_status="suggested", reason="cue: denied"
            )
            for kind in ("denies", "replies_to")
        ]
    queue = reverse(f"admin:archive_{model}_suggestions")
    page = editor_client.get(queue).content.decode()
    assert "2 suggestions awaiting review" in page and "admin_extra/review.js" in page
    assert "<kbd>v</kbd> confirm" in page and 'class="archive-open"' in page
    assert '<mark class="archive-quote">' in page
    for action, row in (("verify", rows[0]), ("reject", rows[1])):
        data = {"action": action, "_selected_action": [row.pk], "index": 0}
        assert editor_client.post(queue, data).status_code == 302
    for row in rows:
        row.refresh_from_db()
    assert [r.review_status for r in rows] == ["confirmed", "rejected"]
    assert rows[0].history.latest().history_user == editor
    assert rows[0].history.latest().history_change_reason == "Review: confirmed by an editor"
    assert "0 suggestions awaiting review" in editor_client.get(queue).content.decode()
