"""Compares the search index with the database: every public object indexed once, as it is now, nothing stale."""

from django.core.management.base import BaseCommand, CommandError
from haystack import connections
from haystack.query import SearchQuerySet

from archive import indexing
from archive.index_check import compare_index, repair
from archive.search.connections import engine


class Command(BaseCommand):
    help = (
        "Compare the search index with the database: objects missing from the index, objects indexed "
        "that are no longer public, and documents whose content differs from the object's (a digest per "
        "document). Index updates left pending by a failure are applied first. Exits non-zero on any "
        "difference; --repair fixes exactly the differing documents, without a rebuild."
    )

    def add_arguments(self, parser):
        parser.add_argument("--using", default="default", help="The haystack connection to check.")
        parser.add_argument("--show", type=int, default=10, help="How many differing ids to list per model.")
        parser.add_argument(
            "--repair", action="store_true", help="Re-index missing and outdated documents, remove stale ones."
        )

    def handle(self, *args, using, show, repair: bool, **options):
        if using not in connections.connections_info:
            raise CommandError(f'No search connection named "{using}".')
        health = engine(using).check()
        if not health.healthy:
            for problem in health.problems:
                self.stderr.write(self.style.ERROR(problem))
            raise CommandError("The search index cannot be checked: " + " ".join(health.problems))
        try:
            replayed = indexing.replay_outbox()
        except Exception as error:
            raise CommandError(
                f"Pending index updates could not be applied: {type(error).__name__}: {error}"
            ) from error
        if replayed:
            self.stdout.write(f"Applied {replayed} index update(s) left pending by an earlier failure.")
        try:
            reports = compare_index(using=using, searchqueryset=SearchQuerySet(using=using))
        except Exception as error:  # damage the health check could not see: say so, no traceback
            raise CommandError(
                f"The search index could not be read ({type(error).__name__}: {error}); "
                "`manage.py rebuild_index` replaces it."
            ) from error
        problems = self.describe(reports, show)
        if problems and repair:
            fixed = self.repair(reports, using)
            self.stdout.write(self.style.SUCCESS(f"Repaired {fixed} document(s); the index now matches the database."))
            return
        if problems:
            raise CommandError(
                f"The index differs from the database in {problems} place(s); "
                "`manage.py check_index --repair` fixes exactly those documents."
            )
        self.stdout.write(self.style.SUCCESS("The search index matches the database."))

    def describe(self, reports, show: int) -> int:
        problems = 0
        for report in reports:
            label = report.model._meta.verbose_name_plural
            self.stdout.write(
                f"{label}: {report.database_count} public in the database, {report.index_count} in the index"
            )
            for title, ids in (
                ("missing from the index", report.missing),
                ("in the index but not public", report.stale),
                ("indexed with outdated content", report.outdated),
            ):
                if ids:
                    problems += len(ids)
                    listed = ", ".join(str(i) for i in sorted(ids)[:show])
                    more = f" and {len(ids) - show} more" if len(ids) > show else ""
                    self.stdout.write(self.style.ERROR(f"  {len(ids)} {title}: {listed}{more}"))
        return problems

    def repair(self, reports, using: str) -> int:
        try:
            fixed = repair(reports, using=using)
        except Exception as error:
            raise CommandError(f"The repair could not write to the index ({type(error).__name__}: {error}).") from error
        left = [report for report in compare_index(using=using) if not report.consistent]
        if left:
            raise CommandError(f"The index still differs after the repair ({self.describe(left, 10)} place(s)).")
        return fixed
