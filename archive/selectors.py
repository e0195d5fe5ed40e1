"""Reads that span relations: one function per page or API need."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Func, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncMonth

from archive.models import Actor, Article, Source, Statement, Topic, public_article_q, public_statement_q

# Fields of an article a reader sees; a change to any of them is part of the public record.
PUBLIC_ARTICLE_FIELDS = {
    "title": "Title",
    "body": "Text",
    "published_date": "Date",
    "date_precision": "Date precision",
    "dateline": "Dateline",
    "byline": "Byline",
    "source": "Source",
    "url": "Original address",
}
PUBLIC_STATEMENT = public_statement_q("statements__")


def home_figures() -> dict:
    articles = Article.objects.published()
    span = articles.aggregate(first=Min("published_date"), last=Max("published_date"))
    return {
        "articles": articles.count(),
        "statements": Statement.objects.public().count(),
        "actors": Actor.objects.filter(statements__in=Statement.objects.public()).distinct().count(),
        "first_date": span["first"],
        "last_date": span["last"],
    }


def most_quoted_actors(limit: int = 10):
    return (
        Actor.objects.annotate(n=Count("statements", filter=PUBLIC_STATEMENT))
        .filter(n__gt=0)
        .select_related("affiliation")
        .order_by("-n", "name")[:limit]
    )


def latest_articles(limit: int = 8):
    return Article.objects.published().for_list()[:limit]


def topics_with_counts() -> list[Topic]:
    """Every topic with its number of public statements and published articles (three grouped queries)."""
    statement_counts = dict(
        Statement.topics.through.objects.filter(public_statement_q("statement__"))
        .order_by()
        .values_list("topic_id")
        .annotate(n=Count("pk"))
    )
    article_counts = dict(
        Article.topics.through.objects.filter(public_article_q("article__"))
        .order_by()
        .values_list("topic_id")
        .annotate(n=Count("pk"))
    )
    topics = list(Topic.objects.order_by("name"))
    for topic in topics:
        topic.statement_count = statement_counts.get(topic.pk, 0)
        topic.article_count = article_counts.get(topic.pk, 0)
    return topics


# --- Sides -----------------------------------------------------------------------------------------


def sides_of(actors) -> dict[int, Actor]:
    """{actor id: the actor at the top of its affiliation chain}, from actors already in memory."""
    by_id = {actor.pk: actor for actor in actors}
    sides = {}
    for actor in by_id.values():
        current, seen = actor, {actor.pk}
        while current.affiliation_id and current.affiliation_id not in seen and current.affiliation_id in by_id:
            seen.add(current.affiliation_id)
            current = by_id[current.affiliation_id]
        sides[actor.pk] = current
    return sides


def side_map() -> dict[int, Actor]:
    """{actor id: side} for every actor, in one query."""
    return sides_of(Actor.objects.only("pk", "name", "slug", "kind", "affiliation_id"))


@dataclass
class SideGroup:
    side: Actor
    members: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.side.statement_count + sum(member.statement_count for member in self.members)


def actors_by_side() -> list[SideGroup]:
    """Every actor with its public statement count, grouped under its side, busiest sides first."""
    actors = list(Actor.objects.public().with_statement_counts().order_by("name"))
    sides = sides_of(actors)
    groups: dict[int, SideGroup] = {}
    for actor in actors:
        side = sides[actor.pk]
        group = groups.setdefault(side.pk, SideGroup(side=side))
        if actor.pk != side.pk:
            group.members.append(actor)
    for group in groups.values():
        group.members.sort(key=lambda a: (-a.statement_count, a.name))
    return sorted(groups.values(), key=lambda g: (-g.total, g.side.name))


# --- Articles --------------------------------------------------------------------------------------


def article_years() -> list[int]:
    """The years published articles are dated to, newest first."""
    dates = Article.objects.published().filter(published_date__isnull=False).dates("published_date", "year")
    return sorted({d.year for d in dates}, reverse=True)


def article_list(source: Source | None = None, topic=None, year: int | None = None, actor=None):
    """Published articles, newest first, narrowed by the given filters."""
    articles = Article.objects.published().for_list()
    if source is not None:
        articles = articles.filter(Q(source=source) | Q(credited_sources=source)).distinct()
    if topic is not None:
        articles = articles.filter(pk__in=Article.topics.through.objects.filter(topic=topic).values("article_id"))
    if year is not None:
        articles = articles.filter(published_date__year=year)
    if actor is not None:
        articles = articles.filter(pk__in=Statement.objects.public().filter(speaker=actor).values("article_id"))
    return articles.order_by("-published_date", "title")


def attach_statement_counts(articles) -> list[Article]:
    """Set `statement_count` (public statements) on each article of a page, in one grouped query."""
    articles = list(articles)
    counts = dict(
        Statement.objects.public()
        .filter(article__in=[a.pk for a in articles])
        .order_by()
        .values_list("article_id")
        .annotate(n=Count("pk"))
    )
    for article in articles:
        article.statement_count = counts.get(article.pk, 0)
    return articles


def speaking_actors():
    """Actors with at least one public statement, by name (for filters)."""
    return Actor.objects.filter(pk__in=Statement.objects.public().values("speaker_id")).order_by("name")


def public_articles():
    """Published articles with what their page shows."""
    return Article.objects.published().select_related("source").prefetch_related("credited_sources", "topics")


def article_statements(article: Article) -> list[Statement]:
    statements = list(
        Statement.objects.public()
        .filter(article=article)
        .select_related("speaker", "speaker__affiliation")
        .prefetch_related("topics")
        .order_by("start", "end")
    )
    for statement in statements:
        statement.article = article  # spare a query per statement for date_display and paragraph
    return statements


def article_actors(statements: list[Statement]) -> list[tuple[Actor, int]]:
    """The named speakers of the statements, most quoted first, with their number of statements."""
    counts = Counter(s.speaker for s in statements if s.speaker_id)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].name))


@dataclass
class Correction:
    when: datetime.datetime
    changes: list  # (label, old, new); old/new are None for the body, whose change is summarised
    reason: str = ""


def _field_value(record, name):
    if name == "source":
        return record.source.name if record.source_id else ""
    value = getattr(record, name)
    if name == "published_date":
        return value.isoformat() if value else ""
    if name == "date_precision":
        return Article.DatePrecision(value).label if value else ""
    return value or ""


def article_corrections(article: Article) -> tuple[list[Correction], datetime.datetime | None]:
    """Dated changes to an article's public fields (oldest first), and when it entered the archive."""
    records = list(article.history.select_related("source").order_by("history_date", "history_id"))
    if not records:
        return [], article.created_at
    corrections = []
    for previous, record in zip(records, records[1:], strict=False):
        changes = []
        for name, label in PUBLIC_ARTICLE_FIELDS.items():
            old, new = _field_value(previous, name), _field_value(record, name)
            if old == new:
                continue
            if name == "body":
                changes.append((label, None, None))
            else:
                changes.append((label, old, new))
        if changes:
            corrections.append(
                Correction(when=record.history_date, changes=changes, reason=record.history_change_reason or "")
            )
    return corrections, records[0].history_date


# --- Actors ----------------------------------------------------------------------------------------


def actor_statements(actor: Actor):
    return (
        Statement.objects.public()
        .by_actor(actor)
        .select_related("article", "article__source")
        .prefetch_related("topics")
        .order_by(F("date").asc(nulls_last=True), "article_id", "start")
    )


def co_occurring_actors(actor: Actor, limit: int = 8):
    """Actors quoted in the same articles as this one, by number of shared articles."""
    articles = Statement.objects.public().by_actor(actor).values("article_id")
    shared = Q(statements__article_id__in=articles) & PUBLIC_STATEMENT
    return (
        Actor.objects.public()
        .exclude(pk=actor.pk)
        .annotate(shared_articles=Count("statements__article", filter=shared, distinct=True))
        .filter(shared_articles__gt=0)
        .order_by("-shared_articles", "name")[:limit]
    )


def top_topics(actor: Actor, limit: int = 8):
    """The topics this actor's public statements address most."""
    statements = Statement.objects.public().by_actor(actor)
    return (
        Topic.objects.annotate(n=Count("statements", filter=Q(statements__in=statements), distinct=True))
        .filter(n__gt=0)
        .order_by("-n", "name")[:limit]
    )


def statement_month_span() -> tuple:
    """The first and last statement dates of the archive (for charts on a common scale)."""
    span = Statement.objects.public().aggregate(first=Min("date"), last=Max("date"))
    return span["first"], span["last"]


# --- Topics ----------------------------------------------------------------------------------------


@dataclass
class Column:
    side: Actor | None  # None: the unattributed column
    statements: list = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.side.name if self.side else "Unattributed"


def who_said_what(topic: Topic) -> list[Column]:
    """The topic's public statements in one column per side, each in date order; unattributed last."""
    statements = (
        Statement.objects.public()
        .filter(topics=topic)
        .select_related("speaker", "article", "article__source")
        .order_by(F("date").asc(nulls_last=True), "article_id", "start")
    )
    sides = side_map()
    columns: dict[int | None, Column] = {}
    for statement in statements:
        side = sides.get(statement.speaker_id) if statement.speaker_id else None
        key = side.pk if side else None
        columns.setdefault(key, Column(side=side)).statements.append(statement)
    named = sorted((c for k, c in columns.items() if k is not None), key=lambda c: (-len(c.statements), c.title))
    return named + ([columns[None]] if None in columns else [])


# --- Statements ------------------------------------------------------------------------------------


def public_statements():
    """Public statements with what their page shows."""
    return (
        Statement.objects.public()
        .select_related("speaker", "speaker__affiliation", "article", "article__source")
        .prefetch_related("topics")
    )


# --- Timeline --------------------------------------------------------------------------------------


@dataclass
class MonthCount:
    month: datetime.date
    articles: int = 0
    statements: int = 0


@dataclass
class Timeline:
    months: list  # MonthCount, every month from the first to the last, empty ones included
    undated_articles: int = 0
    undated_statements: int = 0

    @property
    def total_articles(self) -> int:
        return sum(m.articles for m in self.months)

    @property
    def total_statements(self) -> int:
        return sum(m.statements for m in self.months)


def _month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, current = [], first
    while current <= last:
        months.append(current)
        current = datetime.date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def timeline(actor: Actor | None = None, topic: Topic | None = None) -> Timeline:
    """Articles and statements per month. Items dated only to the year (or not at all) are counted apart."""
    articles = Article.objects.published()
    statements = Statement.objects.public()
    if actor is not None:
        statements = statements.filter(speaker=actor)
        articles = articles.filter(pk__in=statements.values("article_id"))
    if topic is not None:
        statements = statements.filter(topics=topic)
        articles = articles.filter(
            Q(pk__in=Article.topics.through.objects.filter(topic=topic).values("article_id"))
            | Q(pk__in=statements.values("article_id"))
        )
    # Counted per month by the database; items dated only to the year (or not at all) are counted apart.
    monthly_articles = articles.filter(date_precision__in=[Article.DatePrecision.DAY, Article.DatePrecision.MONTH])
    # A statement dated by its article is only as precise as the article's date.
    monthly_statements = statements.filter(date__isnull=False).exclude(
        Q(date_from_article=True) & Q(article__date_precision=Article.DatePrecision.YEAR)
    )
    per_month: dict[datetime.date, MonthCount] = {}
    for kind, queryset, date_field in (
        ("articles", monthly_articles, "published_date"),
        ("statements", monthly_statements, "date"),
    ):
        rows = queryset.order_by().annotate(month=TruncMonth(date_field)).values("month").annotate(n=Count("pk"))
        for row in rows:
            month = row["month"]
            month = month.date() if isinstance(month, datetime.datetime) else month
            count = per_month.setdefault(month, MonthCount(month=month))
            setattr(count, kind, getattr(count, kind) + row["n"])
    undated_articles = articles.count() - sum(m.articles for m in per_month.values())
    undated_statements = statements.count() - sum(m.statements for m in per_month.values())
    if not per_month:
        return Timeline(months=[], undated_articles=undated_articles, undated_statements=undated_statements)
    months = []
    for month in _month_range(min(per_month), max(per_month)):
        count = per_month.get(month) or MonthCount(month=month)
        count.month = month
        months.append(count)
    return Timeline(months=months, undated_articles=undated_articles, undated_statements=undated_statements)


# --- Editors' workspace (admin) ---------------------------------------------------------------------


ARTICLE_TEXTS = ("body", "raw_text", "editor_notes")


def count_of(queryset, outer: str = "pk"):
    """The number of rows of `queryset` for each outer row, as a correlated subquery (0 when none): the
    outer query is neither joined to the rows nor grouped, so its long text columns are never sorted."""
    counts = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counts), 0)


def articles_for_admin(queryset):
    """Articles with their source and their statement counts per review status (subqueries, no GROUP BY)."""
    statements = Statement.objects.filter(article=OuterRef("pk"))
    return queryset.select_related("source").annotate(
        **{f"n_{status}": count_of(statements.filter(review_status=status)) for status in Statement.ReviewStatus.values}
    )


def statements_for_review(queryset):
    """Statements awaiting review, with what a review row shows (speaker, side, article title) and the
    stretch of the article body around the span, not the whole body (an article may be megabytes)."""
    return (
        queryset.filter(review_status=Statement.ReviewStatus.EXTRACTED)
        .select_related("article", "article__source", "speaker", "speaker__affiliation")
        .defer(*(f"article__{name}" for name in ARTICLE_TEXTS))
    )


def statement_windows(statements) -> dict[int, tuple[int, str]]:
    """{pk: (window_start, window)} for a page of statements: the body around each span, CONTEXT_CHARS
    either side. One query; the bodies of the page's articles stream one at a time, each read once
    however many of its statements the page shows (never one body per row, never every body at once)."""
    by_article: dict[int, list] = {}
    for statement in statements:
        by_article.setdefault(statement.article_id, []).append(statement)
    windows = {}
    bodies = Article.objects.filter(pk__in=list(by_article)).order_by().values_list("pk", "body")
    for article_id, body in bodies.iterator(chunk_size=1):
        for statement in by_article[article_id]:
            first = max(0, statement.start - CONTEXT_CHARS)
            windows[statement.pk] = (first, body[first : statement.end + CONTEXT_CHARS])
    return windows


CONTEXT_CHARS = 1500


def actors_for_admin(queryset):
    """Actors with their side and their statement counts (all, and awaiting review), as subqueries."""
    statements = Statement.objects.filter(speaker=OuterRef("pk"))
    return queryset.select_related("affiliation").annotate(
        n_statements=count_of(statements),
        n_unreviewed=count_of(statements.filter(review_status=Statement.ReviewStatus.EXTRACTED)),
    )
