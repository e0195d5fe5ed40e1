"""Reads for the stance and relation pages: public rules first (public_statement_q), confirmed rows as facts,
suggestions only labelled as such, rejected rows never."""

from collections import deque
from dataclasses import dataclass, field

from django.db.models import F

from archive.models import Actor, Statement, Topic
from archive.positions.models import ReviewStatus, StatementRelation, StatementStance
from archive.positions.suggest import Said, stance_changes
from archive.selectors import side_map

STATEMENT_JOINS = ["statement", "statement__speaker", "statement__article", "statement__article__source"]
THREAD_LIMIT = 40  # statements in one thread at most


def voices_of(actor: Actor, sides: dict | None = None) -> set[int]:
    """The actor and, for a side, everyone who speaks for it."""
    sides = side_map() if sides is None else sides
    return {actor.pk} | {pk for pk, side in sides.items() if side.pk == actor.pk}


def stances_of(actor: Actor, topic: Topic, sides: dict | None = None) -> list[StatementStance]:
    """The actor's (or its side's) stances on the topic that a page may show, in date order."""
    return list(
        StatementStance.objects.shown()
        .filter(topic=topic, statement__speaker_id__in=voices_of(actor, sides))
        .select_related(*STATEMENT_JOINS)
        .order_by(F("statement__date").asc(nulls_last=True), "statement_id")
    )


def actor_stance_topics(actor: Actor):
    """The topics on which the actor (or its side) has a stance a page may show, with how many."""
    rows = (
        StatementStance.objects.shown()
        .filter(topic__isnull=False, statement__speaker_id__in=voices_of(actor))
        .values_list("topic_id", flat=True)
    )
    counts: dict[int, int] = {}
    for topic_id in rows:
        counts[topic_id] = counts.get(topic_id, 0) + 1
    topics = list(Topic.objects.filter(pk__in=counts).order_by("name"))
    for topic in topics:
        topic.n_stances = counts[topic.pk]
    return topics


def topic_stance_actors(topic: Topic) -> list[Actor]:
    """The speakers with a stance on the topic that a page may show, with how many, busiest first."""
    counts: dict[int, int] = {}
    rows = StatementStance.objects.shown().filter(topic=topic).values_list("statement__speaker_id", flat=True)
    for speaker_id in rows:
        if speaker_id is not None:
            counts[speaker_id] = counts.get(speaker_id, 0) + 1
    actors = list(Actor.objects.public().filter(pk__in=counts))
    for actor in actors:
        actor.n_stances = counts[actor.pk]
    return sorted(actors, key=lambda a: (-a.n_stances, a.name))


@dataclass
class Shift:
    before: StatementStance
    after: StatementStance
    side: Actor | None = None  # whose stance changed: the side both speakers speak for

    @property
    def speaker(self):
        return self.side or self.after.statement.speaker

    @property
    def topic(self):
        return self.after.topic

    @property
    def pair(self) -> list:
        return [self.before, self.after]


def shifts(*, actor: Actor | None = None, topic: Topic | None = None) -> list[Shift]:
    """Where a side's confirmed stance on a topic turned to the opposite, latest first.

    A side speaks through many people (a spokesman in 2019, its leader in 2021): its stance is theirs together.
    """
    rows = StatementStance.objects.public().filter(topic__isnull=False, statement__date__isnull=False)
    rows = rows.exclude(stance="unclear").filter(statement__speaker__isnull=False)
    sides = side_map()
    if actor is not None:
        rows = rows.filter(statement__speaker_id__in=voices_of(actor, sides))
    if topic is not None:
        rows = rows.filter(topic=topic)
    rows = {row.pk: row for row in rows.select_related(*STATEMENT_JOINS, "topic")}
    said = [
        Said(
            pk=row.pk,
            date=row.statement.date,
            speaker_id=sides[row.statement.speaker_id].pk,
            side_id=None,
            stances={row.topic_id: row.stance},
        )
        for row in rows.values()
    ]
    found = [Shift(rows[a.pk], rows[b.pk], sides[rows[b.pk].statement.speaker_id]) for a, b, _ in stance_changes(said)]
    return sorted(found, key=lambda s: (s.after.statement.date, s.after.pk), reverse=True)


@dataclass
class ThreadItem:
    statement: Statement
    side: Actor | None
    answers: list = field(default_factory=list)  # relations from this statement to earlier ones in the thread


@dataclass
class Thread:
    items: list = field(default_factory=list)

    @property
    def has_suggestions(self) -> bool:
        return any(r.is_suggestion for item in self.items for r in item.answers)

    def __len__(self):
        return len(self.items)


def thread(statement: Statement, limit: int = THREAD_LIMIT) -> Thread:
    """The statements linked to this one by relations a page may show, directly or through others, in date order.

    Each query reads one ring of the thread, so a long chain costs a query per step, up to `limit` statements.
    """
    shown = StatementRelation.objects.shown().select_related(
        "from_statement", "from_statement__speaker", "from_statement__article", "from_statement__article__source",
        "to_statement", "to_statement__speaker", "to_statement__article", "to_statement__article__source",
    )  # fmt: skip
    statements = {statement.pk: statement}
    relations: dict[int, StatementRelation] = {}
    ring = deque([statement.pk])
    while ring and len(statements) < limit:
        ids = list(ring)
        ring.clear()
        for relation in shown.filter(from_statement_id__in=ids) | shown.filter(to_statement_id__in=ids):
            relations[relation.pk] = relation
            for other in (relation.from_statement, relation.to_statement):
                if other.pk not in statements and len(statements) < limit:
                    statements[other.pk] = other
                    ring.append(other.pk)
    if not relations:
        return Thread()
    sides = side_map()
    items = {pk: ThreadItem(s, sides.get(s.speaker_id) if s.speaker_id else None) for pk, s in statements.items()}
    for relation in sorted(relations.values(), key=lambda r: (r.to_statement.date or r.created_at.date(), r.pk)):
        if relation.from_statement_id in items and relation.to_statement_id in items:
            relation.to_statement = items[relation.to_statement_id].statement
            items[relation.from_statement_id].answers.append(relation)
    ordered = sorted(items.values(), key=lambda i: (i.statement.date is None, i.statement.date, i.statement.pk))
    return Thread(ordered)


@dataclass
class SideStances:
    side: Actor
    stances: list = field(default_factory=list)

    @property
    def balance(self) -> dict:
        counts = {value: 0 for value in StatementStance.Stance.values}
        for stance in self.stances:
            counts[stance.stance] += 1
        return counts


def stances_by_side(topic: Topic) -> list[SideStances]:
    """The topic's confirmed stances of public statements, one row per side, each in date order."""
    rows = list(
        StatementStance.objects.public()
        .filter(topic=topic, statement__speaker__isnull=False)
        .select_related(*STATEMENT_JOINS)
        .order_by(F("statement__date").asc(nulls_last=True), "statement_id")
    )
    sides = side_map() if rows else {}
    groups: dict[int, SideStances] = {}
    for row in rows:
        side = sides.get(row.statement.speaker_id)
        if side is not None:
            groups.setdefault(side.pk, SideStances(side)).stances.append(row)
    return sorted(groups.values(), key=lambda g: (-len(g.stances), g.side.name))


def statement_stances(statement: Statement) -> list[StatementStance]:
    """A statement's stances that its page may show: confirmed, or suggested and labelled; never rejected."""
    return list(
        statement.stances.exclude(review_status=ReviewStatus.REJECTED)
        .select_related("topic", "provision", "provision__agreement")
        .order_by("review_status", "topic__name", "provision__position")
    )
