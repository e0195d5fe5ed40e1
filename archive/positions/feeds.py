"""An Atom feed per reply thread: the statements that answer one another, newest first, each saying what it
answers (suggested links labelled as such)."""

from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from archive import selectors
from archive.feeds import SITE, StatementFeed, _plain
from archive.positions import selectors as positions
from archive.positions.models import SUGGESTED_LABEL


class ThreadAtomFeed(StatementFeed):
    feed_type = Atom1Feed

    def get_object(self, request, pk):
        statement = get_object_or_404(selectors.public_statements(), pk=pk)
        statement.thread = positions.thread(statement)
        return statement

    def items(self, obj):
        items = obj.thread.items or [positions.ThreadItem(obj, None)]
        answers = {item.statement.pk: item.answers for item in items}
        statements = [item.statement for item in reversed(items)]
        for statement in statements:
            statement.thread_answers = answers.get(statement.pk, [])
        return statements

    def item_description(self, item):
        lines = [
            f"{relation.get_kind_display()} {relation.to_statement.speaker_label}, {relation.to_statement.date_display}"
            + (f" ({SUGGESTED_LABEL})" if relation.is_suggestion else "")
            for relation in getattr(item, "thread_answers", [])
        ]
        prefix = escape("; ".join(lines) + ". ") if lines else ""
        return prefix + super().item_description(item)

    def title(self, obj):
        return _plain(f"{SITE}: replies and answers around {obj.speaker_label}, {obj.date_display}")

    def link(self, obj):
        return obj.get_absolute_url()

    def subtitle(self, obj):
        return escape("Statements that answer one another across sides, newest first.")
