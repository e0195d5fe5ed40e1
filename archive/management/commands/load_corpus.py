"""Load the curated corpus into an empty archive."""

from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, call_command

from archive.models import Article

CORPUS = Path(settings.BASE_DIR) / "fixtures" / "corpus.json"


class Command(BaseCommand):
    help = "Load the curated corpus (fixtures/corpus.json) when the archive holds no article yet."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even when articles exist (updates them).")

    def handle(self, *args, force=False, **options):
        if Article.objects.exists() and not force:
            self.stdout.write(f"The archive already holds {Article.objects.count()} articles; corpus not loaded.")
            return
        call_command("loaddata", str(CORPUS), verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Loaded the curated corpus: {Article.objects.count()} articles."))
