"""Compares the search index with the database: every public object indexed once, nothing stale."""

from django.core.management.base import BaseCommand, CommandError
from haystack import connections
from haystack.query import SearchQuerySet

from archive.index_check import compare_index


class Command(BaseCommand):
    help = (
        "Compare the search index with the database: objects missing from the index, objects indexed "
        "that are no longer public, and stored fields that differ. Exits non-zero on any difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("--using", default="default", help="The haystack connection to check.")
        parser.add_argument("--show", type=int, default=10, help="How many differing ids to list per model.")

    def handle(self, *args, using, show, **options):
        if using not in connections.connections_info:
            raise CommandError(f'No search connection named "{using}".')
        reports = compare_index(using=using, searchqueryset=SearchQuerySet(using=using))
        problems = 0
        for report in reports:
            label = report.model._meta.verbose_name_plural
            self.stdout.write(
                f"{label}: {report.database_count} public in the database, {report.index_count} in the index"
            )
            for title, ids in (
                ("missing from the index", report.missing),
                ("in the index but not public", report.stale),
                ("indexed with outdated fields", report.outdated),
            ):
                if ids:
                    problems += len(ids)
                    listed = ", ".join(str(i) for i in sorted(ids)[:show])
                    more = f" and {len(ids) - show} more" if len(ids) > show else ""
                    self.stdout.write(self.style.ERROR(f"  {len(ids)} {title}: {listed}{more}"))
        if problems:
            raise CommandError(
                f"The index differs from the database in {problems} place(s); "
                "`manage.py update_index --remove` (or `rebuild_index`) brings it back in step."
            )
        self.stdout.write(self.style.SUCCESS("The search index matches the database."))
