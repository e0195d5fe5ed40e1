"""Apply the search index updates that failed after their change was committed (the outbox)."""

from django.core.management.base import BaseCommand, CommandError

from archive import indexing
from archive.models import IndexOutbox


class Command(BaseCommand):
    help = (
        "Apply the index updates waiting in the outbox (left by an index write that failed after the "
        "database committed, or by a process killed in between). Exits non-zero if the index cannot take them."
    )

    def handle(self, *args, **options):
        waiting = IndexOutbox.objects.count()
        try:
            replayed = indexing.replay_outbox()
        except Exception as error:
            raise CommandError(
                f"{waiting} index update(s) wait in the outbox, but the index cannot take them "
                f"({type(error).__name__}: {error})."
            ) from error
        self.stdout.write(self.style.SUCCESS(f"Applied {replayed} pending index update(s)."))
