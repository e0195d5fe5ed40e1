"""Normalise text stored before every way in normalised it; statement spans move with their words."""

from django.core.management.base import BaseCommand

from archive import indexing
from archive.models import Actor, Alias, Article, Source, Statement, Topic
from archive.repair import repair_texts


class Command(BaseCommand):
    help = (
        "Repair stored text: CR line endings, NUL and zero-width characters removed, Unicode NFC; "
        "statement spans follow their words. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args, **options):
        with indexing.deferred_indexing():
            report = repair_texts([Source, Topic, Article, Actor, Alias, Statement], dry_run=options["dry_run"])
            if not options["dry_run"]:
                for article in Article.objects.filter(pk__in=report.articles):
                    # The near-duplicate signature is taken again from the repaired body (not a change
                    # to the record, so no history entry).
                    article.text_signature = b""
                    article.skip_history_when_saving = True
                    article.save(update_fields=["text_signature"])
                    del article.skip_history_when_saving
                    indexing.record(article)
                    for statement in article.statements.all():
                        indexing.record(statement)
        verb = "would be" if options["dry_run"] else "were"
        rows = ", ".join(f"{n} {name}{'s' if n != 1 else ''}" for name, n in sorted(report.rows.items())) or "nothing"
        self.stdout.write(f"Repaired: {rows} ({verb} changed); {report.statements_moved} statement span(s) moved.")
        for pk, reason in report.unplaced:
            self.stderr.write(f"Statement {pk} left where it was: {reason}.")
