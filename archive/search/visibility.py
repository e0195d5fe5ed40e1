"""What search may show, asked of the models' own rules in one place (pages, chips, suggestions, results).

Every read of actors, statements or articles that search shows goes through these three functions,
so a change of what "public" means reaches all of search at once.
"""

from archive.models import Actor, Article, Statement


def public_actors():
    return Actor.objects.public()


def public_statements():
    return Statement.objects.public()


def public_articles():
    return Article.objects.published()


def shown_among(actor_ids) -> set:
    """Which of these actors the site shows (asked for these rows only; nothing asked for none)."""
    if not actor_ids:
        return set()
    return set(public_actors().filter(pk__in=actor_ids).values_list("pk", flat=True))
