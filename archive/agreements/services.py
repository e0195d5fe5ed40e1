"""Writes on agreement links: machine suggestions, editors' links, confirmations and rejections, with history."""

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from archive.agreements import suggest as rules
from archive.agreements.models import Provision, StatementProvisionLink
from archive.models import Statement, Topic
from archive.services import _stamp

ReviewStatus = StatementProvisionLink.ReviewStatus


def provision_cues() -> list[rules.ProvisionCues]:
    """Every provision that has keywords, with its topics (two queries)."""
    provisions = Provision.objects.exclude(keywords="").prefetch_related("topics")
    return [
        rules.ProvisionCues(
            provision_id=p.pk,
            topic_ids=frozenset(t.pk for t in p.topics.all()),
            rules=tuple(tuple(rule) for rule in p.keyword_rules),
        )
        for p in provisions
    ]


def suggest_links(statements, user=None) -> int:
    """Store suggested links for the statements (never over a link that exists, whatever its status).

    Returns the number of suggestions created.
    """
    cues = provision_cues()
    if not cues:
        return 0
    names = dict(Topic.objects.values_list("pk", "name"))
    statements = list(statements.prefetch_related("topics") if hasattr(statements, "prefetch_related") else statements)
    existing = set(
        StatementProvisionLink.objects.filter(statement__in=[s.pk for s in statements]).values_list(
            "statement_id", "provision_id"
        )
    )
    new = []
    for statement in statements:
        topic_ids = [t.pk for t in statement.topics.all()]
        for suggestion in rules.suggest(statement.text, topic_ids, cues, names):
            if (statement.pk, suggestion.provision_id) in existing:
                continue
            existing.add((statement.pk, suggestion.provision_id))
            new.append(
                StatementProvisionLink(
                    statement=statement,
                    provision_id=suggestion.provision_id,
                    relation=suggestion.relation,
                    review_status=ReviewStatus.SUGGESTED,
                    reason=suggestion.reason,
                )
            )
    if new:
        with transaction.atomic():
            bulk_create_with_history(
                new,
                StatementProvisionLink,
                batch_size=500,
                default_user=user if getattr(user, "is_authenticated", False) else None,
                default_change_reason="Suggested from the statement's words and topics",
            )
    return len(new)


def link_statements(statements, provision: Provision, relation: str, user=None) -> int:
    """Link the statements to the provision with this relation, confirmed; returns how many links changed.

    A statement has one relation per provision: an existing link (suggested, confirmed or rejected) is
    updated rather than doubled.
    """
    if relation not in StatementProvisionLink.Relation.values:
        raise ValueError(f"Unknown relation {relation!r}.")
    changed = 0
    with transaction.atomic():
        for statement in statements:
            link = StatementProvisionLink.objects.filter(statement=statement, provision=provision).first()
            if link is None:
                link = StatementProvisionLink(statement=statement, provision=provision)
            elif link.relation == relation and link.review_status == ReviewStatus.CONFIRMED:
                continue
            link.relation = relation
            link.review_status = ReviewStatus.CONFIRMED
            _stamp(link, user, "Linked in review")
            link.save()
            changed += 1
    return changed


def set_link_status(links, status: str, user=None) -> int:
    """Confirm or reject links (suggestions or earlier decisions); returns how many changed."""
    if status not in ReviewStatus.values:
        raise ValueError(f"Unknown review status {status!r}.")
    label = ReviewStatus(status).label.lower()
    changed = 0
    with transaction.atomic():
        for link in links.select_related("statement", "provision") if hasattr(links, "select_related") else links:
            if link.review_status == status:
                continue
            link.review_status = status
            _stamp(link, user, f"Review: {label}")
            link.save(update_fields=["review_status", "updated_at"])
            changed += 1
    return changed


def suggestable_statements():
    """Statements worth suggesting provisions for: every statement not rejected."""
    return Statement.objects.exclude(review_status=Statement.ReviewStatus.REJECTED)
