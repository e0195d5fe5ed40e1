"""Reads for the readers' alerts: their list, their confirmed address, and what matches an alert."""

from allauth.account.models import EmailAddress
from django.http import QueryDict

from archive.agreements.models import StatementProvisionLink
from archive.alerts.models import AlertDelivery, Publication, Subscription
from archive.models import Statement


class SavedSearchChanged(Exception):
    """A saved search whose parameters the search would no longer take as they were saved."""


def reader_alerts(*, user):
    return Subscription.objects.filter(user=user).select_related("actor", "topic", "provision__agreement")


def confirmed_address(*, user) -> str | None:
    """The reader's confirmed primary address; None while it is unconfirmed (no mail goes to it)."""
    if not user.is_active:
        return None
    found = EmailAddress.objects.filter(user=user, primary=True, verified=True).values_list("email", flat=True)
    return found.first()


def search_params(query: str) -> QueryDict:
    """A saved search's parameters as the search runs them for an alert: statements, newest first."""
    params = QueryDict(query, mutable=True)
    for name in ("page", "sort", "type"):
        params.pop(name, None)
    params["type"] = "statement"
    params["sort"] = "newest"
    return params


def matching_statements(*, subscription: Subscription, candidates: list[int]) -> set[int]:
    """Which of the candidate statements (public, new to the alert) the alert matches."""
    if not candidates:
        return set()
    public = Statement.objects.public().filter(pk__in=candidates)
    kind = subscription.kind
    if kind == Subscription.Kind.ACTOR:
        return set(public.by_actor(subscription.actor_id).values_list("pk", flat=True))
    if kind == Subscription.Kind.TOPIC:
        return set(public.filter(topics=subscription.topic_id).values_list("pk", flat=True))
    if kind == Subscription.Kind.PROVISION:
        links = StatementProvisionLink.objects.public().filter(provision=subscription.provision_id)
        return set(links.filter(statement__in=public).values_list("statement_id", flat=True))
    from archive.search.forms import SearchForm
    from archive.search.selectors import search  # the search stack loads the index lazily

    params = search_params(subscription.query)
    if dropped := SearchForm.dropped(params):
        # A filter the search would now drop (a topic renamed, a source merged) would widen the alert
        # beyond what the reader saved: it is not run, and its mark stays until the search is mended.
        raise SavedSearchChanged(f"Saved search {subscription.pk} no longer runs as saved: " + " ".join(dropped))
    outcome = search(params, per_page=1)
    found = outcome.statements_among(candidates)
    # The index may still hold a statement that has since left the public site.
    return found & set(public.values_list("pk", flat=True))


def new_candidates(*, subscription: Subscription, top: int) -> list[int]:
    """Statements that became public after the alert's mark, up to `top`."""
    rows = Publication.objects.filter(id__gt=subscription.high_water, id__lte=top)
    return list(rows.values_list("statement_id", flat=True))


def pending_deliveries(*, user):
    """The reader's recorded but unsent statements, for alerts not paused, with what their mail shows."""
    return (
        AlertDelivery.objects.filter(subscription__user=user, subscription__paused=False, sent_at__isnull=True)
        .filter(statement__in=Statement.objects.public())  # a statement taken off the site since is never mailed
        .select_related("subscription", "statement__speaker", "statement__article__source")
        .order_by("subscription__name", "subscription_id", "statement__date", "statement_id")
    )
