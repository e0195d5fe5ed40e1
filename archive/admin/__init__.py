"""The editors' workspace: articles, the review queue, actors, sources and topics in the Django admin."""

from archive.admin import actors, articles, statements, vocabulary  # noqa: F401
