"""Reads that span relations: one function per page or API need (the editors' workspace reads live in
``archive.admin_selectors``, their names importable from here too)."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Min, Q
from django.db.models.functions import ExtractYear, TruncMonth

from archive.admin_selectors import (  # noqa: F401  (its names stay importable from here)
    ARTICLE_TEXTS,
    CONTEXT_CHARS,
    LikelyDuplicate,
    _words_match,
    actors_for_admin,
    articles_for_admin,
    count_of,
    likely_duplicates,
    statement_windows,
    statements_for_review,
)
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
    "original_language": "Original language",
    "translation_note": "Translation note",
}
PUBLIC_STATEMENT = public_statement_q("statements__")


def home_figures() -> dict:
    """The archive in figures; its coverage spans every dated article and statement (as the timeline does)."""
    articles = Article.objects.published()
    statements = Statement.objects.public()
    span = articles.aggregate(first=Min("published_date"), last=Max("published_date"))
    said = statements.aggregate(first=Min("date"), last=Max("date"))
    firsts = [d for d in (span["first"], said["first"]) if d]
    lasts = [d for d in (span["last"], said["last"]) if d]
    return {
        "articles": articles.count(),
        "statements": statements.count(),
        "actors": Actor.objects.filter(statements__in=statements).distinct().count(),
        "first_date": min(firsts) if firsts else None,
        "last_date": max(lasts) if lasts else None,
        "undated_articles": articles.filter(published_date__isnull=True).count(),
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
    """Set `statement_count` (public statements) and `unreviewed_count` (those awaiting review) on each
    article of a page, in one grouped query."""
    articles = list(articles)
    rows = (
        Statement.objects.public()
        .filter(article__in=[a.pk for a in articles])
        .order_by()
        .values_list("article_id")
        .annotate(n=Count("pk"), waiting=Count("pk", filter=Q(review_status=Statement.ReviewStatus.EXTRACTED)))
    )
    counts = {article_id: (n, waiting) for article_id, n, waiting in rows}
    for article in articles:
        article.statement_count, article.unreviewed_count = counts.get(article.pk, (0, 0))
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


def text_changes(old: str, new: str, limit: int = 5, width: int = 160) -> list[tuple[str, str]]:
    """The passages an edit changed, word by word: [(old words, new words)], at most `limit` of them
    (the last one then says how many more), each cut to `width` characters."""
    import difflib
    import re

    def cut(text):
        return text if len(text) <= width else text[: width - 1] + "…"

    token = re.compile(r"\w+|[^\w\s]")
    a, b = list(token.finditer(old)), list(token.finditer(new))

    def passage(text, matches, i, j):
        return cut(text[matches[i].start() : matches[j - 1].end()]) if j > i else ""

    matcher = difflib.SequenceMatcher(None, [m.group() for m in a], [m.group() for m in b], autojunk=False)
    edits = []
    for op in matcher.get_opcodes():
        if op[0] == "equal":
            continue
        # Edits a few words apart read as one correction: "sharing deal. power" corrected to "power-sharing deal".
        if edits and op[1] - edits[-1][2] <= 3 and op[3] - edits[-1][4] <= 3:
            edits[-1] = ("replace", edits[-1][1], op[2], edits[-1][3], op[4])
        else:
            edits.append(op)
    shown = [(passage(old, a, i1, i2), passage(new, b, j1, j2)) for _, i1, i2, j1, j2 in edits[:limit]]
    if not edits:
        # Only spacing or line breaks changed.
        return [("", "")]
    if len(edits) > limit:
        shown.append(("", f"… and {len(edits) - limit} more change{'s' if len(edits) - limit != 1 else ''}"))
    return shown


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
                changes.extend((label, before, after) for before, after in text_changes(old, new))
            else:
                changes.append((label, old, new))
        if changes:
            corrections.append(
                Correction(when=record.history_date, changes=changes, reason=record.history_change_reason or "")
            )
    return corrections, records[0].history_date


def actor_statements(actor: Actor):
    return (
        Statement.objects.public()
        .by_actor(actor)
        .select_related("article", "article__source")
        .prefetch_related("topics")
        .order_by(F("date").asc(nulls_last=True), "article_id", "start")
    )


def actor_roles(actor: Actor) -> list:
    """The actor's dated roles, earliest first (a role whose start is not known first); the actor page
    prefetches them with their organisations, for its list and its structured data alike."""
    return list(actor.roles.all())


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
        .with_speaker_roles()
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


def public_statements():
    """Public statements with what their page shows."""
    return (
        Statement.objects.public()
        .select_related("speaker", "speaker__affiliation", "article", "article__source")
        .prefetch_related("topics")
        .with_speaker_roles()
    )


@dataclass
class MonthCount:
    month: datetime.date
    articles: int = 0
    statements: int = 0


@dataclass
class YearCount:
    """Articles and statements dated only to a year: counted in a bin of their own."""

    year: int
    articles: int = 0
    statements: int = 0


@dataclass
class Timeline:
    months: list  # MonthCount, every month from the first to the last, empty ones included
    years: list = field(default_factory=list)  # YearCount: items dated only to the year, by year
    undated_articles: int = 0  # no date at all
    undated_statements: int = 0

    @property
    def total_articles(self) -> int:
        """Every article counted, whatever the precision of its date."""
        return sum(m.articles for m in self.months) + sum(y.articles for y in self.years) + self.undated_articles

    @property
    def total_statements(self) -> int:
        return sum(m.statements for m in self.months) + sum(y.statements for y in self.years) + self.undated_statements

    @property
    def monthly_articles(self) -> int:
        return sum(m.articles for m in self.months)

    @property
    def monthly_statements(self) -> int:
        return sum(m.statements for m in self.months)

    @property
    def has_data(self) -> bool:
        return bool(self.total_articles or self.total_statements)


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
    # Counted per month by the database; items dated only to the year get a bin per year, undated ones one bin.
    monthly_articles = articles.filter(date_precision__in=[Article.DatePrecision.DAY, Article.DatePrecision.MONTH])
    # A statement dated by its article is only as precise as the article's date.
    year_only = Q(date_from_article=True) & Q(article__date_precision=Article.DatePrecision.YEAR)
    monthly_statements = statements.filter(date__isnull=False).exclude(year_only)
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
    per_year: dict[int, YearCount] = {}
    for kind, queryset, date_field in (
        ("articles", articles.filter(date_precision=Article.DatePrecision.YEAR), "published_date"),
        ("statements", statements.filter(date__isnull=False).filter(year_only), "date"),
    ):
        rows = queryset.order_by().annotate(y=ExtractYear(date_field)).values("y").annotate(n=Count("pk"))
        for row in rows:
            count = per_year.setdefault(row["y"], YearCount(year=row["y"]))
            setattr(count, kind, getattr(count, kind) + row["n"])
    years = [per_year[y] for y in sorted(per_year)]
    undated_articles = articles.filter(published_date__isnull=True).count()
    undated_statements = statements.filter(date__isnull=True).count()
    months = []
    if per_month:
        for month in _month_range(min(per_month), max(per_month)):
            count = per_month.get(month) or MonthCount(month=month)
            count.month = month
            months.append(count)
    return Timeline(
        months=months, years=years, undated_articles=undated_articles, undated_statements=undated_statements
    )
