"""Reads for the agreement pages, feeds, API and exports: one function per need, a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from archive.agreements.models import (
    Agreement,
    Deadline,
    ImplementationAssessment,
    Provision,
    StatementProvisionLink,
)
from archive.models import ActorRole, Statement
from archive.selectors import side_map

Relation = StatementProvisionLink.Relation
UNATTRIBUTED = "Unattributed"


def agreements_with_counts():
    """Every agreement with its parties and its numbers of provisions and public kept/broken claims."""
    public = Q(provisions__statement_links__in=StatementProvisionLink.objects.public())
    return (
        Agreement.objects.prefetch_related("parties")
        .annotate(
            provision_count=Count("provisions", distinct=True),
            kept_count=Count(
                "provisions__statement_links",
                filter=public & Q(provisions__statement_links__relation=Relation.CLAIMS_KEPT),
                distinct=True,
            ),
            broken_count=Count(
                "provisions__statement_links",
                filter=public & Q(provisions__statement_links__relation=Relation.CLAIMS_BROKEN),
                distinct=True,
            ),
        )
        .order_by("signed_date", "title")
    )


def public_links():
    """Confirmed links of public statements, with what a page or export shows of the statement."""
    return (
        StatementProvisionLink.objects.public()
        .select_related(
            "statement",
            "statement__speaker",
            "statement__article",
            "statement__article__source",
            "provision",
            "provision__agreement",
        )
        .prefetch_related(Prefetch("statement__speaker__roles", queryset=ActorRole.objects.for_pages()))
    )


@dataclass
class SideCount:
    side: str
    kept: int = 0
    broken: int = 0


def _side_name(statement, sides) -> str:
    side = sides.get(statement.speaker_id) if statement.speaker_id else None
    return side.name if side else UNATTRIBUTED


def claim_counts(links, sides) -> list[SideCount]:
    """Claims kept and broken per side (sides with neither left out), busiest first, unattributed last."""
    counts: dict[str, SideCount] = {}
    for link in links:
        if link.relation not in (Relation.CLAIMS_KEPT, Relation.CLAIMS_BROKEN):
            continue
        name = _side_name(link.statement, sides)
        count = counts.setdefault(name, SideCount(side=name))
        if link.relation == Relation.CLAIMS_KEPT:
            count.kept += 1
        else:
            count.broken += 1
    return sorted(counts.values(), key=lambda c: (c.side == UNATTRIBUTED, -(c.kept + c.broken), c.side))


def current_assessment(assessments, today: datetime.date | None = None):
    """The latest assessment dated today or earlier, from a provision's assessments in date order."""
    today = today or timezone.localdate()
    past = [a for a in assessments if a.as_of <= today]
    return past[-1] if past else None


def agreement_provisions(agreement: Agreement) -> list[Provision]:
    """The agreement's provisions in order, each with deadlines, assessments, current status and claim counts."""
    provisions = list(
        agreement.provisions.select_related("obligated_party", "beneficiary").prefetch_related(
            Prefetch("deadlines", queryset=Deadline.objects.order_by("date", "pk")),
            Prefetch("assessments", queryset=ImplementationAssessment.objects.order_by("as_of")),
        )
    )
    links = list(
        StatementProvisionLink.objects.public()
        .filter(provision__agreement=agreement)
        .select_related("statement")
        .only("provision_id", "relation", "statement__speaker_id")
    )
    sides = side_map()
    by_provision = defaultdict(list)
    for link in links:
        by_provision[link.provision_id].append(link)
    for provision in provisions:
        provision.agreement = agreement
        assessments = list(provision.assessments.all())
        provision.current = current_assessment(assessments)
        provision.claims = claim_counts(by_provision[provision.pk], sides)
        provision.link_count = len(by_provision[provision.pk])
    return provisions


def provision_for_page(agreement_slug: str, slug: str) -> Provision | None:
    return (
        Provision.objects.select_related("agreement", "obligated_party", "beneficiary")
        .prefetch_related("topics")
        .filter(agreement__slug=agreement_slug, slug=slug)
        .first()
    )


@dataclass
class TimelineEntry:
    date: datetime.date | None
    kind: str  # "assessment" or "statement"
    item: object


@dataclass
class SideColumn:
    side: str
    side_actor: object = None
    kept: list = field(default_factory=list)
    broken: list = field(default_factory=list)
    other: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.kept) + len(self.broken) + len(self.other)


@dataclass
class DeadlineOutcome:
    deadline: Deadline
    by_then: object  # the latest assessment dated on or before the deadline, or None
    next_after: object  # the first assessment after it, or None
    statements_by_then: int


@dataclass
class ProvisionPage:
    provision: Provision
    deadlines: list
    assessments: list
    current: object
    links: list
    timeline: list
    columns: list
    outcomes: list
    claims: list


def provision_page(provision: Provision) -> ProvisionPage:
    """Everything the provision page shows, in a fixed number of queries."""
    deadlines = list(provision.deadlines.order_by("date", "pk"))
    assessments = list(
        provision.assessments.order_by("as_of").prefetch_related(
            "evidence_articles",
            Prefetch(
                "evidence_statements",
                queryset=Statement.objects.public().select_related("speaker", "article").order_by("date", "pk"),
            ),
        )
    )
    links = list(
        public_links()
        .filter(provision=provision)
        .order_by(F("statement__date").asc(nulls_last=True), "statement__article_id", "statement__start")
    )
    sides = side_map()
    columns: dict[str, SideColumn] = {}
    for link in links:
        statement = link.statement
        name = _side_name(statement, sides)
        column = columns.setdefault(
            name, SideColumn(side=name, side_actor=sides.get(statement.speaker_id) if statement.speaker_id else None)
        )
        if link.relation == Relation.CLAIMS_KEPT:
            column.kept.append(link)
        elif link.relation == Relation.CLAIMS_BROKEN:
            column.broken.append(link)
        else:
            column.other.append(link)
    ordered = sorted(columns.values(), key=lambda c: (c.side == UNATTRIBUTED, -c.total, c.side))
    timeline = [TimelineEntry(a.as_of, "assessment", a) for a in assessments]
    timeline += [TimelineEntry(link.statement.date, "statement", link) for link in links]
    # Undated statements last; on one day, the statements before the assessment that weighs them.
    timeline.sort(key=lambda e: (e.date is None, e.date or datetime.date.max, e.kind == "assessment"))
    outcomes = []
    for deadline in deadlines:
        before = [a for a in assessments if a.as_of <= deadline.date]
        after = [a for a in assessments if a.as_of > deadline.date]
        said = sum(1 for link in links if link.statement.date and link.statement.date <= deadline.date)
        outcomes.append(DeadlineOutcome(deadline, before[-1] if before else None, after[0] if after else None, said))
    return ProvisionPage(
        provision=provision,
        deadlines=deadlines,
        assessments=assessments,
        current=current_assessment(assessments),
        links=links,
        timeline=timeline,
        columns=ordered,
        outcomes=outcomes,
        claims=claim_counts(links, sides),
    )


def statement_provision_links(statement) -> list[StatementProvisionLink]:
    """The confirmed links of one statement, with their provision and agreement."""
    return list(
        StatementProvisionLink.objects.confirmed()
        .filter(statement=statement)
        .select_related("provision", "provision__agreement")
        .order_by("provision__agreement__signed_date", "provision__agreement_id", "provision__position")
    )


@dataclass
class FeedItem:
    date: datetime.date | None
    kind: str
    item: object


def agreement_feed_items(agreement: Agreement, limit: int = 30) -> list[FeedItem]:
    """The newest assessments and public statements about the agreement's provisions, newest first."""
    assessments = ImplementationAssessment.objects.filter(provision__agreement=agreement).select_related(
        "provision", "provision__agreement"
    )
    links = public_links().filter(provision__agreement=agreement)
    items = [FeedItem(a.as_of, "assessment", a) for a in assessments.order_by("-as_of")[:limit]]
    items += [
        FeedItem(link.statement.date, "statement", link)
        for link in links.order_by(F("statement__date").desc(nulls_last=True), "-pk")[:limit]
    ]
    items.sort(key=lambda i: (i.date is not None, i.date or datetime.date.min), reverse=True)
    return items[:limit]
