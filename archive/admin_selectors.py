"""Reads for the editors' workspace: annotated admin lists, statements under review with their context, likely duplicate actors."""

from dataclasses import dataclass

from django.db.models import F, Func, OuterRef, Subquery
from django.db.models.functions import Coalesce

from archive.models import Actor, Article, Statement

ARTICLE_TEXTS = ("body", "raw_text", "editor_notes")


def count_of(queryset, outer: str = "pk"):
    """The number of rows of `queryset` for each outer row, as a correlated subquery (0 when none): the
    outer query is neither joined to the rows nor grouped, so its long text columns are never sorted."""
    counts = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counts), 0)


@dataclass
class LikelyDuplicate:
    actor: Actor
    name: str  # the actor's name or alias that resembles the new name
    exact: bool  # the same name once titles, case, accents and spelling variants are folded


def _words_match(short: list[str], long: list[str], cutoff: float) -> bool:
    """Every word of the shorter name resembles a different word of the longer one, in order."""
    import difflib

    at = 0
    for word in short:
        while at < len(long) and difflib.SequenceMatcher(None, word, long[at]).ratio() < cutoff:
            at += 1
        if at == len(long):
            return False
        at += 1
    return True


def likely_duplicates(name: str, exclude_pk=None, cutoff: float = 0.8, limit: int = 8) -> list[LikelyDuplicate]:
    """Actors a new or renamed actor may duplicate: one of their names folds to the same key, or every
    word of the shorter name closely resembles a word of the longer (Barader / Abdul Ghani Baradar)."""
    from archive.models import Alias
    from archive.text import normalize_name

    key = normalize_name(name)
    if not key:
        return []
    words = key.split()
    found: dict[int, LikelyDuplicate] = {}
    names = list(Alias.objects.values_list("actor_id", "normalized", "name")) + [
        (pk, normalize_name(actor_name), actor_name) for pk, actor_name in Actor.objects.values_list("pk", "name")
    ]
    for actor_id, other_key, other_name in names:
        if actor_id == exclude_pk or not other_key:
            continue
        other = other_key.split()
        exact = other_key == key
        short, long = (words, other) if len(words) <= len(other) else (other, words)
        # A one-word name matches only a whole name or its last word (a surname), not any given name.
        if not exact and len(short) == 1 and len(long) > 1:
            long = long[-1:]
        if exact or (min(len(w) for w in short) >= 3 and _words_match(short, long, cutoff)):
            if actor_id not in found or (exact and not found[actor_id].exact):
                found[actor_id] = LikelyDuplicate(actor=None, name=other_name, exact=exact)
    actors = Actor.objects.select_related("affiliation").in_bulk(list(found))
    result = []
    for actor_id, match in found.items():
        if actor_id in actors:
            match.actor = actors[actor_id]
            result.append(match)
    result.sort(key=lambda m: (not m.exact, m.actor.name))
    return result[:limit]


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
