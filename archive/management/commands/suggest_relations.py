"""Suggest relations between statements (replies, denials, confirmations, contradictions) for editors."""

from django.core.management.base import BaseCommand

from archive.positions import services
from archive.positions.suggest import WINDOW_DAYS


class Command(BaseCommand):
    help = (
        "Suggest relations between statements from cue words, the same topic across sides within a few days, "
        "and the same speaker's opposite stance later. Safe to re-run: existing and rejected pairs are kept as "
        "they are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--window", type=int, default=WINDOW_DAYS, help=f"Days between two statements (default {WINDOW_DAYS})."
        )
        parser.add_argument("--dry-run", action="store_true", help="Count the suggestions without storing them.")

    def handle(self, *args, **options):
        report = services.suggest_relations(window_days=options["window"], dry_run=options["dry_run"])
        kinds = ", ".join(f"{kind}: {count}" for kind, count in sorted(report.kinds.items())) or "none"
        verb = "would be suggested" if options["dry_run"] else "suggested"
        self.stdout.write(
            f"{report.created} relation(s) {verb} ({kinds}); {report.existing} already recorded, "
            f"{report.rejected} rejected earlier and not suggested again."
        )
