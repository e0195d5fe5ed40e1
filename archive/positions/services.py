"""Writes on stances and relations: machine suggestions, editors' confirmations and rejections, with history."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest, Substr
from simple_history.utils import bulk_create_with_history

from archive.models import Statement, Topic
from archive.positions import suggest as rules
from archive.positions.models import ReviewStatus, StatementRelation, StatementStance
from archive.revert import _stamp
from archive.selectors import side_map


def set_review_status(rows, status: str, user=None) -> int:
    """Confirm or reject stances or relations (suggestions or earlier decisions); returns how many changed."""
    if status not in ReviewStatus.values:
        raise ValueError(f"Unknown review status {status!r}.")
    label = ReviewStatus(status).label.lower()
    changed = 0
    with transaction.atomic():
        for row in rows:
            if row.review_status == status:
                continue
            row.review_status = status
            _stamp(row, user, f"Review: {label}")
            row.save(update_fields=["review_status", "updated_at"])
            changed += 1
    return changed


# --- Machine suggestions ----------------------------------------------------------------------------------


def with_sentence(statements):
    """The statements with `window` (their article's text around them) and `window_start`, read in the query."""
    first = Greatest(F("start") - rules.SENTENCE_REACH, Value(0))
    return statements.annotate(
        window_start=first,
        window=Substr("article__body", first + 1, F("end") + rules.SENTENCE_REACH - first),
    )


def sentence(statement) -> str:
    """The sentence of a statement annotated by with_sentence() (its own words when not annotated)."""
    window = getattr(statement, "window", None)
    if not window:
        return statement.text
    return rules.sentence_of(window, statement.start - statement.window_start, statement.end - statement.window_start)


def suggest_stances(statements, user=None) -> int:
    """Suggest a stance on each topic of the statements from their wording; returns how many were created.

    Never over a stance that exists for the statement and topic, whatever its status: a rejected
    suggestion is not made again.
    """
    if hasattr(statements, "prefetch_related"):
        statements = with_sentence(statements).prefetch_related("topics")
    statements = list(statements)
    existing = set(
        StatementStance.objects.filter(statement__in=[s.pk for s in statements], topic__isnull=False).values_list(
            "statement_id", "topic_id"
        )
    )
    new = []
    for statement in statements:
        guess = rules.suggest_stance(sentence(statement))
        if guess is None:
            continue
        for topic in statement.topics.all():
            if (statement.pk, topic.pk) in existing:
                continue
            existing.add((statement.pk, topic.pk))
            new.append(
                StatementStance(
                    statement=statement,
                    topic=topic,
                    stance=guess.stance,
                    review_status=ReviewStatus.SUGGESTED,
                    reason=guess.reason[:300],
                )
            )
    _create_with_history(new, StatementStance, user, "Suggested from the statement's wording")
    return len(new)


def _create_with_history(rows, model, user, reason: str) -> None:
    if not rows:
        return
    with transaction.atomic():
        bulk_create_with_history(
            rows,
            model,
            batch_size=500,
            default_user=user if getattr(user, "is_authenticated", False) else None,
            default_change_reason=reason,
        )


def said_of(statements) -> list[rules.Said]:
    """The statements as the pairing rules read them, with their sides and their stances (not rejected)."""
    sides = {pk: side.pk for pk, side in side_map().items()}
    stances: dict[int, dict] = {}
    rows = StatementStance.objects.exclude(review_status=ReviewStatus.REJECTED).filter(topic__isnull=False)
    for statement_id, topic_id, stance in rows.values_list("statement_id", "topic_id", "stance"):
        stances.setdefault(statement_id, {})[topic_id] = stance
    topics: dict[int, set] = {}
    through = Statement.topics.through.objects.filter(statement__in=statements)
    for statement_id, topic_id in through.values_list("statement_id", "topic_id"):
        topics.setdefault(statement_id, set()).add(topic_id)
    return [
        rules.Said(
            pk=pk,
            date=date,
            speaker_id=speaker_id,
            side_id=sides.get(speaker_id) if speaker_id else None,
            topic_ids=frozenset(topics.get(pk, ())),
            text=rules.sentence_of(window, start - window_start, end - window_start) if window else text,
            stances=stances.get(pk, {}),
        )
        for pk, date, speaker_id, text, start, end, window_start, window in with_sentence(statements).values_list(
            "pk", "date", "speaker_id", "text", "start", "end", "window_start", "window"
        )
    ]


def pairing_pool(pks: set, window_days: int) -> Q:
    """The statements that can pair with the statements `pks`: said within `window_days` of one of them
    (date ranges merged), or by one of their speakers with a topic stance."""
    new = Statement.objects.filter(pk__in=pks)
    window = datetime.timedelta(days=window_days)
    ranges: list[list] = []
    for date in sorted(set(new.values_list("date", flat=True))):
        if ranges and date - window <= ranges[-1][1]:
            ranges[-1][1] = date + window
        else:
            ranges.append([date - window, date + window])
    condition = Q(pk__in=pks)
    for start, end in ranges:
        condition |= Q(date__range=(start, end))
    speakers = set(new.exclude(speaker=None).values_list("speaker_id", flat=True))
    if speakers:
        with_stance = StatementStance.objects.exclude(review_status=ReviewStatus.REJECTED).filter(topic__isnull=False)
        condition |= Q(speaker__in=speakers, pk__in=with_stance.values("statement_id"))
    return condition


@dataclass
class RelationReport:
    created: int = 0
    existing: int = 0
    rejected: int = 0
    kinds: dict = field(default_factory=dict)


def suggest_relations(
    *, window_days: int = rules.WINDOW_DAYS, user=None, dry_run: bool = False, around=None
) -> RelationReport:
    """Suggest relations between every statement not rejected; idempotent.

    With `around` (statement ids, e.g. those an import just wrote), only relations from or to those
    statements are suggested, and only the statements they can pair with are read: those said within
    the window of their dates, and their speakers' statements that carry a stance (a later opposite
    stance). An import then reads a bounded part of the archive, not all of it.

    A pair and kind that exists (suggested, confirmed or rejected) is never suggested again.
    """
    statements = Statement.objects.exclude(review_status=Statement.ReviewStatus.REJECTED).filter(date__isnull=False)
    keep = None
    if around is not None:
        keep = set(statements.filter(pk__in=list(around)).values_list("pk", flat=True))
        if not keep:
            return RelationReport()
        statements = statements.filter(pairing_pool(keep, window_days))
    names = dict(Topic.objects.values_list("pk", "name"))
    suggestions = rules.suggest_relations(said_of(statements), names, window_days=window_days)
    if keep is not None:
        suggestions = [s for s in suggestions if s.from_pk in keep or s.to_pk in keep]
    existing = dict(
        ((f, t, k), status)
        for f, t, k, status in StatementRelation.objects.values_list(
            "from_statement_id", "to_statement_id", "kind", "review_status"
        )
    )
    report = RelationReport()
    new = []
    for s in suggestions:
        status = existing.get((s.from_pk, s.to_pk, s.kind))
        if status == ReviewStatus.REJECTED:
            report.rejected += 1
            continue
        if status is not None:
            report.existing += 1
            continue
        report.kinds[s.kind] = report.kinds.get(s.kind, 0) + 1
        new.append(
            StatementRelation(
                from_statement_id=s.from_pk,
                to_statement_id=s.to_pk,
                kind=s.kind,
                review_status=ReviewStatus.SUGGESTED,
                reason=s.reason[:300],
            )
        )
    report.created = len(new)
    if not dry_run:
        # The rules pair a statement only with one said on or before it, never with itself (the model's rules).
        _create_with_history(new, StatementRelation, user, "Suggested from the statements' words, dates and sides")
    return report
