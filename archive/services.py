"""Writes that touch several objects: review, tagging, merging actors and reverting to a history version.

Every function here runs in one transaction (nothing is written half-way), saves row by row so
django-simple-history records each change with its user and reason, and batches the search index
update through ``deferred_indexing()`` so the index is updated once, when the work is done. Reverting to a
history version lives in ``archive.revert``, its names importable from here too.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from archive.indexing import deferred_indexing, record
from archive.models import Actor, ActorRole, Alias, Article, Statement, Topic
from archive.revert import (  # noqa: F401  (its names stay importable from here)
    RevertPlan,
    RevertResult,
    _flatten,
    _missing_relations,
    _revert_plan,
    _stamp,
    revert_blocker,
    revert_to_version,
)
from archive.text import normalize_name


def _statements(statements):
    """The statements as a list, each with its article loaded (the span check reads the body)."""
    if hasattr(statements, "select_related"):
        return list(statements.select_related("article", "speaker"))
    return list(statements)


def set_review_status(statements, status: str, user=None, reason: str = "") -> int:
    """Set the review status of the statements; returns how many changed."""
    if status not in Statement.ReviewStatus.values:
        raise ValidationError(f"Unknown review status “{status}”.")
    label = Statement.ReviewStatus(status).label
    changed = 0
    with transaction.atomic(), deferred_indexing():
        for statement in _statements(statements):
            if statement.review_status == status:
                continue
            statement.review_status = status
            _stamp(statement, user, reason or f"Review: {label.lower()}")
            statement.save(update_fields=["review_status", "updated_at"])
            changed += 1
    return changed


def verify_statements(statements, user=None) -> int:
    return set_review_status(statements, Statement.ReviewStatus.VERIFIED, user, "Verified in review")


def reject_statements(statements, user=None) -> int:
    return set_review_status(statements, Statement.ReviewStatus.REJECTED, user, "Rejected in review")


def reassign_speaker(statements, speaker: Actor, user=None) -> int:
    """Give the statements another speaker; returns how many changed."""
    if speaker is None or speaker.pk is None:
        raise ValidationError("Choose the actor who made these statements.")
    changed = 0
    with transaction.atomic(), deferred_indexing():
        for statement in _statements(statements):
            if statement.speaker_id == speaker.pk:
                continue
            old = statement.speaker_label
            statement.speaker = speaker
            _stamp(statement, user, f"Speaker reassigned from {old} to {speaker.name}")
            statement.save(update_fields=["speaker", "updated_at"])
            changed += 1
    return changed


def change_kind(statements, kind: str, user=None) -> int:
    """Set the kind (direct / partial / indirect) of the statements; returns how many changed."""
    if kind not in Statement.Kind.values:
        raise ValidationError(f"Unknown kind of statement “{kind}”.")
    label = Statement.Kind(kind).label
    changed = 0
    with transaction.atomic(), deferred_indexing():
        for statement in _statements(statements):
            if statement.kind == kind:
                continue
            statement.kind = kind
            _stamp(statement, user, f"Kind changed to {label.lower()}")
            statement.save(update_fields=["kind", "updated_at"])
            changed += 1
    return changed


def find_span(body: str, text: str, near: int | None = None) -> tuple[int, int] | None:
    """The [start, end) of `text` in `body`, the occurrence nearest to `near` when it occurs twice."""
    if not text:
        return None
    starts, at = [], body.find(text)
    while at != -1:
        starts.append(at)
        at = body.find(text, at + 1)
    if not starts:
        return None
    start = min(starts, key=lambda s: abs(s - near)) if near is not None else starts[0]
    return start, start + len(text)


def set_article_status(articles, status: str, user=None) -> int:
    """Publish or unpublish the articles; returns how many changed."""
    if status not in Article.Status.values:
        raise ValidationError(f"Unknown article status “{status}”.")
    reason = "Published" if status == Article.Status.PUBLISHED else "Unpublished"
    changed = 0
    with transaction.atomic(), deferred_indexing():
        for article in list(articles):
            if article.status == status:
                continue
            article.status = status
            _stamp(article, user, reason)
            article.save(update_fields=["status", "updated_at", "content_hash"])
            # Statements are indexed only while their article is public.
            for statement in article.statements.all():
                record(statement)
            changed += 1
    return changed


def add_topic(articles, topic: Topic, user=None) -> int:
    """Tag the articles with the topic; returns how many gained it."""
    return _change_topic(articles, topic, user, add=True)


def remove_topic(articles, topic: Topic, user=None) -> int:
    """Remove the topic from the articles; returns how many lost it."""
    return _change_topic(articles, topic, user, add=False)


def _change_topic(articles, topic, user, add: bool) -> int:
    if topic is None or topic.pk is None:
        raise ValidationError("Choose a topic.")
    changed = 0
    with transaction.atomic(), deferred_indexing():
        for article in list(articles.prefetch_related("topics") if hasattr(articles, "prefetch_related") else articles):
            has = any(t.pk == topic.pk for t in article.topics.all())
            if has == add:
                continue
            _stamp(article, user, f"Topic {'added' if add else 'removed'}: {topic.name}")
            if add:
                article.topics.add(topic)
            else:
                article.topics.remove(topic)
            # m2m changes send no post_save: the index needs telling.
            record(article)
            changed += 1
    return changed


@dataclass
class MergePlan:
    """What merging `losers` into `survivor` moves, for the confirmation page and the report."""

    survivor: Actor
    losers: list[Actor]
    statements: list[Statement] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    new_aliases: list[str] = field(default_factory=list)
    members: list[Actor] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    @property
    def alias_count(self) -> int:
        return len(self.aliases) + len(self.new_aliases)


def merge_plan(survivor: Actor, losers) -> MergePlan:
    """Everything a merge would move, without writing anything."""
    losers = [actor for actor in losers if actor.pk != survivor.pk]
    loser_ids = [actor.pk for actor in losers]
    plan = MergePlan(survivor=survivor, losers=losers)
    plan.statements = list(
        Statement.objects.filter(speaker_id__in=loser_ids)
        .select_related("article", "speaker")
        .order_by("speaker", "pk")
    )
    plan.aliases = list(Alias.objects.filter(actor_id__in=loser_ids).select_related("actor").order_by("name"))
    plan.members = list(
        Actor.objects.filter(affiliation_id__in=loser_ids).exclude(pk=survivor.pk).select_related("affiliation")
    )
    taken = {a.normalized for a in plan.aliases} | set(
        Alias.objects.filter(actor=survivor).values_list("normalized", flat=True)
    )
    for loser in losers:
        key = normalize_name(loser.name)
        if not key or key in taken:
            continue
        owner = Alias.objects.filter(normalized=key).select_related("actor").first()
        if owner is not None and owner.actor_id not in (*loser_ids, survivor.pk):
            plan.conflicts.append(f"“{loser.name}” is already an alias of {owner.actor}; it is not added.")
            continue
        plan.new_aliases.append(loser.name)
        taken.add(key)
    return plan


def merge_actors(survivor: Actor, losers, user=None) -> MergePlan:
    """Merge duplicate actors into `survivor`: statements, aliases and members move, the losers go.

    The losers' names become aliases of the survivor and their dated roles move to it; a blank role or description of the survivor is
    filled from the losers; each moved row gets a history entry "Merged X into Y"; the losers' own history stays.
    """
    losers = [actor for actor in losers if actor.pk != survivor.pk]
    if not losers:
        raise ValidationError("Choose at least one other actor to merge into the survivor.")
    with transaction.atomic(), deferred_indexing():
        survivor = Actor.objects.select_for_update().get(pk=survivor.pk)
        losers = list(Actor.objects.select_for_update().filter(pk__in=[a.pk for a in losers]))
        plan = merge_plan(survivor, losers)
        loser_ids = {a.pk for a in losers}
        names = {a.pk: a.name for a in losers}
        for statement in plan.statements:
            reason = f"Merged {names[statement.speaker_id]} into {survivor.name}"
            statement.speaker = survivor
            _stamp(statement, user, reason)
            statement.save(update_fields=["speaker", "updated_at"])
        for alias in plan.aliases:
            reason = f"Merged {names[alias.actor_id]} into {survivor.name}"
            alias.actor = survivor
            _stamp(alias, user, reason)
            alias.save()
        for role in ActorRole.objects.filter(Q(actor_id__in=loser_ids) | Q(organisation_id__in=loser_ids)):
            # Roles move with their holder; a role held in a merged organisation now names the survivor.
            reason = f"Merged {names.get(role.actor_id) or names.get(role.organisation_id)} into {survivor.name}"
            if role.actor_id in loser_ids:
                role.actor = survivor
            if role.organisation_id in loser_ids:
                role.organisation = survivor
            if role.organisation_id == role.actor_id:
                role.organisation = None
            _stamp(role, user, reason)
            role.save()
        for member in plan.members:
            _stamp(member, user, f"Merged {names[member.affiliation_id]} into {survivor.name}")
            member.affiliation = survivor
            member.save(update_fields=["affiliation", "updated_at"])
        if survivor.affiliation_id in loser_ids:
            # The survivor sided with a duplicate of itself: take that duplicate's side instead.
            successor = next(a for a in losers if a.pk == survivor.affiliation_id).affiliation_id
            survivor.affiliation_id = None if successor in loser_ids | {survivor.pk} else successor
        for loser in losers:
            for name in ("role", "description"):
                if not getattr(survivor, name) and getattr(loser, name):
                    setattr(survivor, name, getattr(loser, name))
        for name in plan.new_aliases:
            _stamp(Alias(actor=survivor, name=name), user, f"Merged {name} into {survivor.name}").save()
        loser_list = ", ".join(a.name for a in losers)
        _stamp(survivor, user, f"Merged {loser_list} into {survivor.name}")
        survivor.save()
        for loser in losers:
            _stamp(loser, user, f"Merged {loser.name} into {survivor.name}")
            loser.delete()
    return plan


DELETE_CHUNK = 1000


def delete_article(article: Article, user=None) -> int:
    """Delete an article with its statements, in one transaction, in bounded memory whatever their number.

    Each statement gets its deletion recorded in its history and leaves the search index, as a
    one-by-one delete would do; but the history rows are copied by the database in one INSERT … SELECT
    and the rows go in one DELETE, instead of a collector holding every row and several queries per
    statement. Returns the number of statements deleted.
    """
    from archive.indexing import record_many  # the index layer imports the models, not the reverse

    statements = Statement.objects.filter(article=article)
    history_user = user if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        speakers = set(statements.exclude(speaker=None).order_by().values_list("speaker_id", flat=True).distinct())
        deleted = _copy_to_history(statements, "-", f"Deleted with its article “{article.title}”", history_user)
        # The index forgets them a chunk at a time (each chunk one index update once this commits).
        chunk = []
        for pk in statements.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=DELETE_CHUNK):
            chunk.append(Statement(pk=pk, article_id=article.pk))
            if len(chunk) == DELETE_CHUNK:
                record_many([], deleted=chunk)
                chunk = []
        if chunk:
            record_many([], deleted=chunk)
        # Plain DELETEs: no statement row refers to another, and their topic links go first.
        links = Statement.topics.through.objects.filter(statement__article=article)
        links._raw_delete(links.db)
        statements._raw_delete(statements.db)
        _stamp(article, user, "Deleted")
        article.delete()
        # A speaker under review may have lost its last public statement: its document follows.
        record_many(list(Actor.objects.filter(pk__in=speakers)))
    return deleted


def _copy_to_history(statements, history_type: str, reason: str, user) -> int:
    """Add a history row of `history_type` for each of the statements, copied by the database."""
    history = Statement.history.model
    quote = connection.ops.quote_name
    columns = [
        history._meta.get_field(f.attname if not f.is_relation else f.name).column for f in history.tracked_fields
    ]
    source_sql, source_params = (
        statements.order_by().values_list(*(f.attname for f in history.tracked_fields)).query.sql_with_params()
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(quote(c) for c in columns)}, "
        f"{quote('history_date')}, {quote('history_type')}, {quote('history_change_reason')}, "
        f"{quote('history_user_id')}) "
        f"SELECT src.*, %s, %s, %s, %s FROM ({source_sql}) src"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, history_type, reason[:100], user.pk if user else None, *source_params])
        return cursor.rowcount


def reanchor_statements(article: Article, exclude=(), user=None) -> int:
    """Move the spans of the article's statements to where their words stand in its (edited) body, the
    occurrence nearest the old span; statements whose words are gone are left for the form to refuse.
    Returns how many moved."""
    body = article.body
    moved = []
    rows = Statement.objects.filter(article=article).exclude(pk__in=exclude).order_by("pk")
    for pk, text, start, end in rows.values_list("pk", "text", "start", "end").iterator(chunk_size=2000):
        if body[start:end] != text:
            found = find_span(body, text, near=start)
            if found is not None:
                moved.append((pk, found))
    if not moved:
        return 0
    with transaction.atomic(), deferred_indexing():
        # Park the moving spans past the body first, so that no two collide on the unique span on the way.
        parked = len(body) + 1
        for n, (pk, _) in enumerate(moved):
            Statement.objects.filter(pk=pk).update(start=parked + 2 * n, end=parked + 2 * n + 1)
        for start in range(0, len(moved), DELETE_CHUNK):
            chunk = dict(moved[start : start + DELETE_CHUNK])
            for statement in Statement.objects.filter(pk__in=chunk):
                statement.article = article
                statement.start, statement.end = chunk[statement.pk]
                _stamp(statement, user, "Span moved with its words after a body correction")
                statement.save(update_fields=["start", "end", "updated_at"])
    return len(moved)


DUPLICATE_CHOICES = {
    "keep": "Keep both articles",
    "replace": "Replace the stored article with this text",
    "skip": "Skip this import (delete this draft)",
}


def resolve_possible_duplicate(article: Article, choice: str, user=None) -> str:
    """Settle an imported article flagged as a possible duplicate; returns what was done.

    keep: both stay, the flag is cleared. replace: the stored article takes this text and its metadata
    (its verified and rejected statements move with their words, a correction import would), and this
    draft is deleted. skip: this draft is deleted. Replace and skip apply to drafts only, so that nothing
    published disappears.
    """
    from archive.ingest.save import SaveError, _keep_decided, reextract_article

    original = article.possible_duplicate_of
    if choice not in DUPLICATE_CHOICES:
        raise ValidationError(f"Unknown choice “{choice}”: keep, replace or skip.")
    if original is None:
        raise ValidationError("This article is not flagged as a possible duplicate.")
    if choice == "keep":
        with transaction.atomic(), deferred_indexing():
            article.possible_duplicate_of, article.duplicate_similarity = None, None
            _stamp(article, user, f"Kept beside possible duplicate #{original.pk}")
            article.save(update_fields=["possible_duplicate_of", "duplicate_similarity", "updated_at"])
        return f"Kept both “{article.title}” and “{original.title}”."
    if article.status != Article.Status.DRAFT:
        raise ValidationError("Only a draft can be skipped or used to replace another article; unpublish it first.")
    if article.statements.exclude(review_status=Statement.ReviewStatus.EXTRACTED).exists():
        raise ValidationError(
            "Statements of this copy have already been verified or rejected; review them on the stored article "
            "instead, or keep both."
        )
    title = article.title
    with transaction.atomic(), deferred_indexing():
        values = {
            name: getattr(article, name)
            for name in (
                "title",
                "body",
                "raw_text",
                "published_date",
                "date_precision",
                "dateline",
                "byline",
                "source_id",
                "url",
                "import_reference",
            )
        }
        credited = list(article.credited_sources.all())
        _stamp(
            article, user, "Skipped: a copy of a stored article" if choice == "skip" else "Merged into the stored copy"
        )
        article.delete()
        if choice == "skip":
            return f"Skipped “{title}”: “{original.title}” stays as it was."
        original = Article.objects.select_for_update().get(pk=original.pk)
        dated = values.pop("published_date"), values.pop("date_precision")
        for name, value in values.items():
            if name in ("url", "source_id") and not value:
                continue  # what the new copy does not know keeps its stored value
            setattr(original, name, value)
        if dated[0]:
            original.published_date, original.date_precision = dated
        _stamp(original, user, "Text replaced by a newer copy")
        original.save()
        if credited:
            original.credited_sources.add(*credited)
        try:
            _keep_decided(original)
        except SaveError as error:
            raise ValidationError(str(error)) from error
        counts = reextract_article(original)
    return (
        f"“{original.title}” now has the new text: {counts['kept']} verified or rejected statement(s) kept, "
        f"{counts['created']} extracted for review; the imported copy was removed."
    )
