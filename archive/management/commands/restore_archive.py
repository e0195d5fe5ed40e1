"""Load a dump written by dump_archive into an empty archive, then rebuild the search index."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError, call_command
from haystack import connections

from archive import dumps


class Command(BaseCommand):
    help = (
        "Restore a dump written by `manage.py dump_archive` (JSON or gzipped JSON) in one transaction, then "
        "rebuild the search index. The archive must be empty (run `manage.py flush` first), unless --force "
        "is given: then everything the archive holds is replaced by the dump."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", help="The dump file.")
        parser.add_argument(
            "--force", action="store_true", help="Replace the archive's current contents (all of them) with the dump."
        )
        parser.add_argument("--no-index", action="store_true", help="Do not rebuild the search index afterwards.")

    def handle(self, *args, dump, force, no_index, **options):
        try:
            data = dumps.read(Path(dump))
            report = dumps.restore(data, replace=force)
        except dumps.DumpError as error:
            raise CommandError(str(error)) from error
        for name, n in report.counts.items():
            self.stdout.write(f"  {name}: {n}")
        if report.users_created:
            self.stdout.write(
                f"Created {len(report.users_created)} inactive account(s) for the editors the history credits: "
                + ", ".join(report.users_created)
            )
        self.stdout.write(self.style.SUCCESS(f"Restored {sum(report.counts.values())} rows from {dump}."))
        if no_index:
            return
        if not connections["default"].get_unified_index().get_indexed_models():
            self.stdout.write("No search indexes are defined; there is no index to rebuild.")
            return
        try:
            call_command("rebuild_index", interactive=False, verbosity=0)
        except Exception as error:
            raise CommandError(
                f"The archive was restored, but the search index could not be rebuilt ({error}). "
                "Run `manage.py rebuild_index --noinput` once the search backend is reachable."
            ) from error
        self.stdout.write("Rebuilt the search index.")
