"""Save stage: one article, its speakers and statements written in one transaction."""

import functools
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from archive.agreements.services import suggest_links
from archive.ingest import duplicates
from archive.ingest.clean import CleanArticle
from archive.ingest.extract import Draft, extract
from archive.ingest.finder import DuplicateFinder
from archive.ingest.resolve import AliasIndex
from archive.ingest.topics import TopicMatcher
from archive.models import Article, Source, Statement
from archive.positions.services import suggest_stances
from archive.text import content_hash, strip_bidi

KEPT_STATUSES = (Statement.ReviewStatus.VERIFIED, Statement.ReviewStatus.REJECTED)


class SaveError(ValueError):
    """An article that cannot be saved as it is; the message says why."""


@dataclass
class Outcome:
    status: str  # created / duplicate / updated
    article: Article
    statements: int = 0
    notice: str = ""  # what an editor should know, e.g. why extraction stopped
    possible_duplicate_of: Article | None = None
    similarity: float | None = None


class Batch:
    """What one import loads once and shares between its articles: aliases, topics, sources."""

    def __init__(self, user=None):
        self.user = user if getattr(user, "is_authenticated", False) else None  # credited in the history
        self.aliases = AliasIndex()
        self.topics = TopicMatcher()
        self.sources: dict[str, Source] = {s.name.casefold(): s for s in Source.objects.all()}
        self.created_sources: list[str] = []
        self._near_duplicates: DuplicateFinder | None = None

    @property
    def near_duplicates(self) -> DuplicateFinder:
        """The stored articles' signatures in an LSH index, brought up to date at the first article that needs it."""
        if self._near_duplicates is None:
            self._near_duplicates = DuplicateFinder()
        return self._near_duplicates

    def source(self, name: str) -> Source | None:
        if not name:
            return None
        key = name.casefold()
        if key not in self.sources:
            self.sources[key] = Source.objects.create(name=name[:200])
            self.created_sources.append(key)
        return self.sources[key]

    def mark(self) -> tuple:
        """Where the batch's caches stand before an article's transaction."""
        return self.aliases.mark(), len(self.created_sources)

    def rollback(self, mark: tuple) -> None:
        """Forget what a rolled-back transaction created, so later articles never refer to it."""
        aliases, sources = mark
        self.aliases.rollback(aliases)
        for key in self.created_sources[sources:]:
            self.sources.pop(key, None)
        del self.created_sources[sources:]


def _overlaps(draft: Draft, spans) -> bool:
    return any(start < draft.end and draft.start < end for start, end in spans)


def create_statements(article: Article, drafts: list[Draft], batch: Batch, keep_spans=()) -> int:
    """Save the drafts as extracted statements (with their history), skipping spans already decided.

    Statements are written in bulk: each is checked as Statement.save() would check it, and gets its
    first history entry and its topics' history as a save and topics.set() would give them.
    """
    statements, topic_lists = [], []
    for draft in drafts:
        if _overlaps(draft, keep_spans):
            continue
        # Invisible bidirectional controls never become part of a name (they can make one read backwards).
        name = strip_bidi(draft.speaker.name or "").strip()
        if name:
            speaker = batch.aliases.get_or_create(name, strip_bidi(draft.speaker.role or ""))
        else:
            speaker = batch.aliases.for_description(strip_bidi(draft.speaker.description or ""), article.body)
        description = "" if speaker else strip_bidi(draft.speaker.description or name)[:300]
        if speaker is None and not description:
            continue
        statement = Statement(
            article=article,
            text=draft.text,
            start=draft.start,
            end=draft.end,
            kind=draft.kind,
            medium=draft.medium,
            said_to=draft.said_to[:200],
            speaker=speaker,
            speaker_description=description,
            date=draft.date or article.published_date,
            date_from_article=draft.date is None,
            review_status=Statement.ReviewStatus.EXTRACTED,
        )
        statement.clean_text_fields()  # bulk_create skips save(), which would normalise them
        errors = statement.span_errors()
        if errors:
            raise SaveError(f"An extracted statement does not match the article body: {errors}")
        draft.topics = batch.topics.for_statement(draft.text)
        statements.append(statement)
        topic_lists.append(draft.topics)
    if not statements:
        return 0
    history_model, m2m_history = _statement_history_models()
    if not connection.features.can_return_rows_from_bulk_insert:
        return _create_one_by_one(statements, topic_lists, batch.user)
    created = Statement.objects.bulk_create(statements, batch_size=500)
    history_rows = _history_manager(Statement).bulk_history_create(
        created, batch_size=500, default_user=batch.user, default_change_reason="Extracted on import"
    )
    through = Statement.topics.through
    links = [
        through(statement_id=s.pk, topic_id=t.pk)
        for s, topics in zip(created, topic_lists, strict=True)
        for t in topics
    ]
    if links:
        links = through.objects.bulk_create(links)
        rows = {h.id: h for h in history_rows}
        m2m_history.objects.bulk_create(
            m2m_history(
                history=rows[link.statement_id], id=link.pk, statement_id=link.statement_id, topic_id=link.topic_id
            )
            for link in links
            if link.statement_id in rows
        )
    return len(created)


def _create_one_by_one(statements, topic_lists, user=None) -> int:
    for statement, topics in zip(statements, topic_lists, strict=True):
        if user is not None:
            statement._history_user = user
        statement._change_reason = "Extracted on import"
        statement.save()
        if topics:
            statement.topics.set(topics)
    return len(statements)


@functools.cache
def _history_manager(model):
    return getattr(model, model._meta.simple_history_manager_attribute)


@functools.cache
def _statement_history_models():
    history_model = Statement.history.model
    return history_model, history_model.topics.model


@functools.cache
def _history_model(model):
    """The history model of a model (looked up once: the history descriptor builds a manager class per access)."""
    return getattr(model, model._meta.simple_history_manager_attribute).model


def record_history(instance, history_type: str, reason: str, user=None) -> None:
    """One history entry for a row saved with its many-to-many values, as a save and m2m changes would give."""
    history_model = _history_model(type(instance))
    row = history_model.objects.create(
        history_date=timezone.now(),
        history_type=history_type,
        history_user=user if getattr(user, "is_authenticated", False) else None,
        history_change_reason=reason[:100],
        **{f.attname: getattr(instance, f.attname) for f in history_model.tracked_fields},
    )
    for m2m_field in history_model._history_m2m_fields:
        m2m_history_model = getattr(history_model, m2m_field.name).model
        through = getattr(instance, m2m_field.name).through
        names = [f.attname for f in through._meta.fields]
        owner = next(f.attname for f in through._meta.fields if f.is_relation and f.related_model is type(instance))
        links = through.objects.filter(**{owner: instance.pk}).values_list(*names)
        m2m_history_model.objects.bulk_create(
            m2m_history_model(history=row, **dict(zip(names, values, strict=True))) for values in links
        )


def _apply(
    article: Article,
    clean: CleanArticle,
    raw_text: str,
    reference: str,
    url: str,
    batch: Batch,
    extraction_stopped: str = "",
) -> None:
    """Write an import onto an article; on an update, what the import does not know keeps its stored value."""
    update = article.pk is not None
    if clean.title or not update:
        article.title = clean.title
    article.body = clean.body
    article.raw_text = raw_text
    if clean.published_date or not update:
        article.published_date = clean.published_date
        article.date_precision = clean.date_precision if clean.published_date else Article.DatePrecision.UNKNOWN
    if clean.dateline or not update:
        article.dateline = clean.dateline
    if clean.byline or not update:
        article.byline = clean.byline
    article.import_reference = reference[:500]
    article.extraction_stopped = extraction_stopped[:500]
    if url:
        article.url = url[:1000]
    if clean.site_name:
        article.source = batch.source(clean.site_name)


def reanchor(statement: Statement, body: str) -> bool:
    """Move a statement's span to where its words stand in a new body (the nearest occurrence)."""
    positions, at = [], body.find(statement.text)
    while at != -1:
        positions.append(at)
        at = body.find(statement.text, at + 1)
    if not positions:
        return False
    statement.start = min(positions, key=lambda p: abs(p - statement.start))
    statement.end = statement.start + len(statement.text)
    return True


def _paragraph_keys(body: str) -> set[str]:
    return {" ".join(p.split()).casefold() for p in body.split("\n\n") if p.strip()}


def same_article(article: Article, clean: CleanArticle) -> bool:
    """Whether a new text corrects a stored article: the same headline, or most paragraphs in common."""
    if " ".join(article.title.split()).casefold() == " ".join(clean.title.split()).casefold():
        return True
    old, new = _paragraph_keys(article.body), _paragraph_keys(clean.body)
    return bool(old and new) and len(old & new) / len(old | new) >= 0.5


def save_article(
    clean: CleanArticle, raw_text: str, reference: str, batch: Batch, *, url: str = "", user=None
) -> Outcome:
    """Create, update or skip one article; everything or nothing is written."""
    user = user or batch.user
    digest = content_hash(clean.body)
    # One query finds the same content, the same address and the articles imported from the same name.
    match = Q(content_hash=digest) | (Q(import_reference=reference) if reference else Q(pk__in=[]))
    if url:
        match |= Q(url=url)
    found = list(Article.objects.filter(match).order_by("pk"))
    existing = next((a for a in found if a.content_hash == digest), None)
    if existing is not None:
        return Outcome("duplicate", existing)
    previous = next((a for a in found if url and a.url == url), None)
    if previous is None and reference:
        # A file of the same name is a correction only when it is recognisably the same article.
        previous = next((a for a in found if a.import_reference == reference and same_article(a, clean)), None)
    minhash = duplicates.signature(clean.body)
    near = None
    if previous is None:
        # A new text that repeats a stored one almost word for word is imported, and flagged for an editor.
        near = batch.near_duplicates.find(minhash)
    extraction = extract(clean.body, title=clean.title)
    drafts = extraction.drafts
    mark = batch.mark()
    try:
        with transaction.atomic():
            article = previous or Article(status=Article.Status.DRAFT, language="en")
            _apply(article, clean, raw_text, reference, url, batch, extraction.stopped)
            article.content_hash, article.text_signature = digest, duplicates.to_bytes(minhash)
            article._signature_changed = True  # its bands are written with it
            if near is not None:
                article.possible_duplicate_of_id, article.duplicate_similarity = near[0], round(near[1], 3)
            # The article's history gets one entry for the whole import, with its topics, below.
            article.skip_history_when_saving = True
            try:
                article.save()
                keep_spans = _keep_decided(article) if previous else ()
                if clean.credited:
                    article.credited_sources.add(*[batch.source(name) for name in clean.credited])
                count = create_statements(article, drafts, batch, keep_spans)
                if count:
                    # Editors confirm or reject these in the suggestion queue; the public never sees them.
                    suggest_links(article.statements.filter(review_status=Statement.ReviewStatus.EXTRACTED))
                    suggest_stances(article.statements.filter(review_status=Statement.ReviewStatus.EXTRACTED))
                # Topics are suggested for new articles only: an existing article's topics are the editors'.
                if previous is None:
                    statement_topics = {t for d in drafts for t in d.topics}
                    topics = batch.topics.for_article(clean.body, statement_topics)
                    through = Article.topics.through
                    through.objects.bulk_create([through(article_id=article.pk, topic_id=t.pk) for t in topics])
            finally:
                del article.skip_history_when_saving
            status = "updated" if previous else "created"
            # The reason is shown publicly; the file it came from stays in import_reference.
            record_history(
                article, "~" if previous else "+", "Corrected text imported" if previous else "Imported", user
            )
    except IntegrityError as exc:
        batch.rollback(mark)
        raise SaveError(f"The archive refused the article: {exc}") from exc
    except Exception:
        batch.rollback(mark)
        raise
    original = Article.objects.filter(pk=near[0]).only("pk", "title", "slug").first() if near else None
    return Outcome(status, article, count, extraction.stopped, original, near[1] if near else None)


def _keep_decided(article: Article) -> list[tuple[int, int]]:
    """Re-anchor verified and rejected statements in the article's new body; drop the extracted ones."""
    article.statements.filter(review_status=Statement.ReviewStatus.EXTRACTED).delete()
    kept, lost = [], []
    for statement in article.statements.filter(review_status__in=KEPT_STATUSES):
        statement.article = article
        if reanchor(statement, article.body):
            kept.append(statement)
        elif statement.review_status == Statement.ReviewStatus.REJECTED:
            statement.delete()
        else:
            lost.append(statement)
    if lost:
        quoted = "; ".join(f"“{s.text[:60]}”" for s in lost[:3])
        raise SaveError(
            f"The corrected text no longer contains {len(lost)} verified statement(s) ({quoted}); "
            "edit or reject them before importing the correction."
        )
    # Spans move one at a time; park them out of the way first so no two collide on the unique span.
    offset = len(article.body) + 1
    for n, statement in enumerate(kept):
        Statement.objects.filter(pk=statement.pk).update(start=offset + 2 * n, end=offset + 2 * n + 1)
    for statement in kept:
        statement.save()
    return [(s.start, s.end) for s in kept]


def reextract_article(article: Article, batch: Batch | None = None) -> dict:
    """Re-run extraction on a saved article: keep decided statements, replace the extracted ones."""
    batch = batch or Batch()
    with transaction.atomic():
        removed = article.statements.filter(review_status=Statement.ReviewStatus.EXTRACTED).count()
        article.statements.filter(review_status=Statement.ReviewStatus.EXTRACTED).delete()
        kept = list(article.statements.filter(review_status__in=KEPT_STATUSES).values_list("start", "end"))
        extraction = extract(article.body, title=article.title)
        created = create_statements(article, extraction.drafts, batch, kept)
        if created:
            suggest_links(article.statements.filter(review_status=Statement.ReviewStatus.EXTRACTED))
            suggest_stances(article.statements.filter(review_status=Statement.ReviewStatus.EXTRACTED))
        if article.extraction_stopped != extraction.stopped:
            article.extraction_stopped = extraction.stopped[:500]
            article.save(update_fields=["extraction_stopped", "updated_at"])
    return {"kept": len(kept), "removed": removed, "created": created, "stopped": extraction.stopped}
