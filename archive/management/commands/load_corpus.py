"""Load the curated corpus: everything the archive lacks, with a first history entry for each object."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError

from archive.corpus import CORPUS, load_corpus


class Command(BaseCommand):
    help = (
        "Load the curated corpus (fixtures/corpus.json). Objects already in the archive (same slug, content, "
        "alias or statement span) are left as they are, so running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixture", default=str(CORPUS), help="The corpus file (default: fixtures/corpus.json).")

    def handle(self, *args, fixture, **options):
        path = Path(fixture)
        if not path.is_file():
            raise CommandError(f"No corpus file at {path}.")
        try:
            report = load_corpus(path)
        except (ValueError, KeyError, TypeError, DeserializationError) as error:
            # Nothing is saved: the load runs in one transaction.
            raise CommandError(f"{path} is not a readable corpus file: {error}") from error
        labels = list(dict.fromkeys([*report.created, *report.skipped]))
        for label in labels:
            created, skipped = report.created.get(label, 0), report.skipped.get(label, 0)
            self.stdout.write(f"  {label}: {created} created, {skipped} already present")
        if report.total_created:
            self.stdout.write(self.style.SUCCESS(f"Loaded the curated corpus: {report.total_created} objects created."))
        else:
            self.stdout.write("The archive already holds the curated corpus; nothing to load.")
