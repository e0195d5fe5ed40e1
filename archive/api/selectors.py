"""Reads for the API and the exports: public rows only, with the joins each list needs."""

from django.db.models import Count, Prefetch, prefetch_related_objects

from archive.models import (
    Actor,
    ActorRole,
    Alias,
    Article,
    Source,
    Statement,
    Topic,
    public_article_q,
    public_statement_q,
)
from archive.selectors import side_map

PUBLIC_STATEMENTS = public_statement_q("statements__")
PUBLISHED_ARTICLES = public_article_q("articles__")


def articles():
    """Published articles, with their source, credited sources and topics, and public statement counts."""
    return (
        Article.objects.public()
        .select_related("source")
        .prefetch_related("topics", "credited_sources")
        .annotate(statement_count=Count("statements", filter=PUBLIC_STATEMENTS, distinct=True))
    )


def actors():
    """Public actors (curated, or with a public statement); the counts count public statements only."""
    return (
        Actor.objects.public()
        .with_statement_counts()
        .select_related("affiliation")
        .prefetch_related(
            Prefetch("aliases", queryset=Alias.objects.order_by("name")),
            Prefetch("roles", queryset=ActorRole.objects.for_pages()),
        )
    )


def topics():
    return Topic.objects.annotate(
        statement_count=Count("statements", filter=PUBLIC_STATEMENTS, distinct=True),
        article_count=Count("articles", filter=PUBLISHED_ARTICLES, distinct=True),
    )


def sources():
    return Source.objects.annotate(article_count=Count("articles", filter=PUBLISHED_ARTICLES, distinct=True))


ARTICLE_TEXT_FIELDS = ("article__body", "article__raw_text", "article__editor_notes")


def statements(with_article_body: bool = False):
    """Public statements (published article, not rejected) with speaker, article, source and topics.

    The article's texts are left out unless asked for: joined to every statement row they would
    dominate the memory a list or an export needs.
    """
    queryset = Statement.objects.public().for_list()
    return queryset if with_article_body else queryset.defer(*ARTICLE_TEXT_FIELDS)


def actor_ids_of_side(side: Actor) -> list[int]:
    """The side itself and every actor whose affiliation chain leads to it."""
    return [pk for pk, top in side_map().items() if top.pk == side.pk]


def search_export_objects(outcome, batch_size: int = 500):
    """Every match of a search, in its order, as Statement or Article objects ready for the export rows.

    Hits are read from the index a batch at a time; each batch is loaded with one query (plus one per
    related list: topics, credited sources, statement counts), so memory does not grow with the result set.
    """
    hits = outcome.iter_all(batch_size=batch_size)
    while True:
        batch = [hit.object for _, hit in zip(range(batch_size), hits, strict=False)]
        if not batch:
            return
        statements = [obj for obj in batch if isinstance(obj, Statement)]
        articles = [obj for obj in batch if isinstance(obj, Article)]
        if statements:
            prefetch_related_objects(statements, "topics")  # their speakers' roles came with the hits
        if articles:
            prefetch_related_objects(articles, "topics", "credited_sources")
            counts = dict(
                Statement.objects.public()
                .filter(article__in=articles)
                .values_list("article_id")
                .annotate(n=Count("id"))
                .order_by()
            )
            for article in articles:
                article.statement_count = counts.get(article.pk, 0)
        yield from batch
        if len(batch) < batch_size:
            return
