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
