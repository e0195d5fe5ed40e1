"""Errors that mean a service the site depends on is unavailable; the middleware answers them with 503."""


class ServiceUnavailable(Exception):
    """A dependency is down; the page cannot be served right now, and retrying later may work."""

    title = "Temporarily unavailable"
    message = "This page cannot be shown right now. Please try again in a few minutes."
    retry_after = 60
    operator_hint = ""

    def __init__(self, detail: str = ""):
        super().__init__(detail or self.message)
        self.detail = detail


class DatabaseUnavailable(ServiceUnavailable):
    """The database does not answer or refuses the connection."""

    title = "The archive is temporarily unavailable"
    message = "The archive's database is not answering. Please try again in a few minutes."
    operator_hint = "Operators: check that the database in DATABASE_URL is running and reachable."


class SearchIndexUnavailable(ServiceUnavailable):
    """The search index is missing, unreadable or damaged; `manage.py rebuild_index` recreates it."""

    title = "Search is temporarily unavailable"
    message = (
        "The search index is missing or damaged, so search cannot answer right now. "
        "The rest of the archive still works: browse its articles, actors and topics."
    )
    operator_hint = "Operators: `python manage.py rebuild_index --noinput` rebuilds the index from the database."
    retry_after = 300
