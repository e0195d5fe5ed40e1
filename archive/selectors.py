"""Reads that span relations: one function per page or API need."""

from django.db.models import Count, Max, Min, Q

from archive.models import Actor, Article, Statement


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
    public = Q(statements__article__status=Article.Status.PUBLISHED) & ~Q(statements__review_status="rejected")
    return (
        Actor.objects.annotate(n=Count("statements", filter=public))
        .filter(n__gt=0)
        .select_related("affiliation")
        .order_by("-n", "name")[:limit]
    )


# --- Editors' workspace (admin) ---------------------------------------------------------------------


def articles_for_admin(queryset):
    """Articles with their source and their statement counts per review status, in one query."""
    return queryset.select_related("source").annotate(
        n_extracted=Count("statements", filter=Q(statements__review_status="extracted"), distinct=True),
        n_verified=Count("statements", filter=Q(statements__review_status="verified"), distinct=True),
        n_rejected=Count("statements", filter=Q(statements__review_status="rejected"), distinct=True),
    )


def statements_for_review(queryset):
    """Statements awaiting review, with what a review row shows (article body, speaker, side)."""
    return queryset.filter(review_status=Statement.ReviewStatus.EXTRACTED).select_related(
        "article", "article__source", "speaker", "speaker__affiliation"
    )


def actors_for_admin(queryset):
    """Actors with their side and their statement counts (all, and awaiting review)."""
    return queryset.select_related("affiliation").annotate(
        n_statements=Count("statements", distinct=True),
        n_unreviewed=Count("statements", filter=Q(statements__review_status="extracted"), distinct=True),
    )
