"""Save stage: one article, its speakers and statements written in one transaction."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from archive.ingest.clean import CleanArticle
from archive.ingest.extract import Draft, extract_statements
from archive.ingest.resolve import AliasIndex
from archive.ingest.topics import TopicMatcher
from archive.models import Article, Source, Statement
from archive.text import content_hash

KEPT_STATUSES = (Statement.ReviewStatus.VERIFIED, Statement.ReviewStatus.REJECTED)


class SaveError(ValueError):
    """An article that cannot be saved as it is; the message says why."""


@dataclass
class Outcome:
    status: str  # created / duplicate / updated
    article: Article
    statements: int = 0


class Batch:
    """What one import loads once and shares between its articles: aliases, topics, sources."""

    def __init__(self):
        self.aliases = AliasIndex()
        self.topics = TopicMatcher()
        self.sources: dict[str, Source] = {s.name.casefold(): s for s in Source.objects.all()}

    def source(self, name: str) -> Source | None:
        if not name:
            return None
        key = name.casefold()
        if key not in self.sources:
            self.sources[key] = Source.objects.create(name=name[:200])
        return self.sources[key]


def _overlaps(draft: Draft, spans) -> bool:
    return any(start < draft.end and draft.start < end for start, end in spans)


def create_statements(article: Article, drafts: list[Draft], batch: Batch, keep_spans=()) -> int:
    """Save the drafts as extracted statements, skipping spans an editor has already decided."""
    created = 0
    for draft in drafts:
        if _overlaps(draft, keep_spans):
            continue
        speaker = batch.aliases.get_or_create(draft.speaker.name, draft.speaker.role) if draft.speaker.name else None
        description = "" if speaker else (draft.speaker.description or draft.speaker.name)[:300]
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
            date=draft.date,
            review_status=Statement.ReviewStatus.EXTRACTED,
        )
        statement.save()
        topics = batch.topics.for_statement(draft.text)
        if topics:
            statement.topics.set(topics)
        draft.topics = topics
        created += 1
    return created


def _apply(article: Article, clean: CleanArticle, raw_text: str, reference: str, url: str, batch: Batch) -> None:
    article.title = clean.title
    article.body = clean.body
    article.raw_text = raw_text
    article.published_date = clean.published_date
    article.date_precision = clean.date_precision if clean.published_date else Article.DatePrecision.UNKNOWN
    article.dateline = clean.dateline
    article.byline = clean.byline
    article.import_reference = reference[:500]
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


def save_article(clean: CleanArticle, raw_text: str, reference: str, batch: Batch, *, url: str = "") -> Outcome:
    """Create, update or skip one article; everything or nothing is written."""
    digest = content_hash(clean.body)
    existing = Article.objects.filter(content_hash=digest).first()
    if existing is not None:
        return Outcome("duplicate", existing)
    previous = None
    if reference:
        previous = Article.objects.filter(import_reference=reference).order_by("pk").first()
    if previous is None and url:
        previous = Article.objects.filter(url=url).first()
    drafts = extract_statements(clean.body)
    created_before = len(batch.aliases.created)
    try:
        with transaction.atomic():
            if previous is None:
                article = Article(status=Article.Status.DRAFT, language="en")
                _apply(article, clean, raw_text, reference, url, batch)
                article.save()
                keep_spans, status = (), "created"
            else:
                article = previous
                _apply(article, clean, raw_text, reference, url, batch)
                article.save()
                keep_spans = _keep_decided(article)
                status = "updated"
            if clean.credited:
                article.credited_sources.add(*[batch.source(name) for name in clean.credited])
            count = create_statements(article, drafts, batch, keep_spans)
            statement_topics = {t for d in drafts for t in d.topics}
            topics = batch.topics.for_article(clean.body, statement_topics)
            if topics:
                article.topics.add(*topics)
    except IntegrityError as exc:
        batch.aliases.forget(batch.aliases.created[created_before:])
        raise SaveError(f"The archive refused the article: {exc}") from exc
    except Exception:
        batch.aliases.forget(batch.aliases.created[created_before:])
        raise
    return Outcome(status, article, count)


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
        created = create_statements(article, extract_statements(article.body), batch, kept)
    return {"kept": len(kept), "removed": removed, "created": created}
