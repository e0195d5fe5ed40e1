"""Rebuild the search index through the engine boundary (``SearchEngine.rebuild``).

The archive's Whoosh engine builds the new index beside the live one with parallel workers and swaps
it in at once, so searches keep working during the rebuild and edits made meanwhile are kept (see
archive.search.whoosh.rebuild). Other engines (Elasticsearch) get haystack's own clear-then-update.
"""

from django.core.management.base import CommandError
from haystack import connections
from haystack.management.commands.rebuild_index import Command as HaystackRebuildCommand

from archive.search.connections import engine
from archive.search.engine import RebuildError


class Command(HaystackRebuildCommand):
    help = (
        "Rebuild the search index from the database. On the archive's Whoosh engine the new index is built "
        "beside the live one by parallel workers (--workers, default: one per CPU) and replaces it at once."
    )

    def handle(self, **options):
        usings = options["using"] or list(connections.connections_info)
        unknown = [using for using in usings if using not in connections.connections_info]
        if unknown:
            raise CommandError(f"No search connection named {', '.join(map(repr, unknown))}.")
        for using in usings:
            if options["interactive"] and not self._confirm(using):
                self.stdout.write("No changes were made.")
                continue
            verbosity = options.get("verbosity", 1)
            try:
                report = engine(using).rebuild(
                    workers=options["workers"] or None,
                    batch_size=options["batchsize"],
                    stdout=self.stdout if verbosity >= 1 else None,
                )
            except RebuildError as error:
                raise CommandError(
                    f"{error} The live index is unchanged." if error.index_unchanged else str(error)
                ) from error
            if verbosity >= 1:
                documents = sum(report.counts.values())
                self.stdout.write(
                    f"Rebuilt the index of connection '{using}': {documents:,} documents in {report.seconds:.1f} s"
                    + (f"; {report.replayed:,} updates made meanwhile were re-applied." if report.replayed else ".")
                )

    def _confirm(self, using: str) -> bool:
        self.stdout.write(
            f"This replaces everything in the search index of connection '{using}' with a fresh index "
            "built from the database (searches keep working until it is ready)."
        )
        return input("Are you sure you wish to continue? [y/N] ").strip().lower().startswith("y")
