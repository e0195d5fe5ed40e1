"""Write the whole archive, editors' corrections and history included, to one JSON file."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from archive import dumps


class Command(BaseCommand):
    help = (
        "Dump the whole archive (sources, topics, actors, aliases, articles with raw text and editor notes, "
        "statements, and the history of every change) to OUT as JSON; OUT ending in .gz is gzipped. "
        "`manage.py restore_archive OUT` loads it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="The file to write, e.g. archive-2021-09-01.json.gz.")

    def handle(self, *args, out, **options):
        path = Path(out)
        if not path.parent.is_dir():
            raise CommandError(f"No folder {path.parent} to write {path.name} into.")
        try:
            counts = dumps.dump(path)
        except OSError as error:
            raise CommandError(f"Could not write {path}: {error}") from error
        for name, n in counts.items():
            self.stdout.write(f"  {name}: {n}")
        self.stdout.write(self.style.SUCCESS(f"Dumped {sum(counts.values())} rows to {path}."))
