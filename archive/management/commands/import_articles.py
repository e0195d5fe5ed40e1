"""Import scraped articles (plain text or HTML pages) from files and folders."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from archive.ingest import import_paths


class Command(BaseCommand):
    help = "Import scraped articles from files and folders: clean them, extract statements, report per file."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files (.txt, .html, .htm) or folders holding them.")
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")
        parser.add_argument(
            "--user", help="User name of the editor importing the files, credited in the articles' history."
        )

    def handle(self, *args, **options):
        show_progress = not options["no_progress"] and options.get("verbosity", 1) > 0
        user = None
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"There is no user “{options['user']}”; nothing was imported.")
        report = import_paths(options["paths"], progress=show_progress, user=user)
        self.stdout.write(report.as_text())
        if report.failed:
            raise CommandError(f"{len(report.failed)} of {len(report.results)} file(s) failed to import.")
        self.stdout.write(self.style.SUCCESS(report.summary()))
