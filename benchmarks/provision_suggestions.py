"""Provision suggestions against the curated links: the curated corpus loaded into a test database, its
curated statement ↔ provision links set aside, and the suggestion rules run on every statement.

Prints how many links the rules suggest, how many of them are curated links (precision), how many of
the curated links they find (recall) and how often the guessed relation is the curated one; -v lists
the misses. Run: .venv/bin/python benchmarks/provision_suggestions.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.harness import in_test_database  # noqa: E402


def measure() -> dict:
    from archive.agreements import services
    from archive.corpus import load_corpus
    from archive.models import Statement, StatementProvisionLink

    load_corpus()
    curated = {(link.statement_id, link.provision_id): link.relation for link in StatementProvisionLink.objects.all()}
    StatementProvisionLink.objects.all().delete()
    services.suggest_links(Statement.objects.all())
    suggested = {
        (link.statement_id, link.provision_id): link.relation for link in StatementProvisionLink.objects.suggested()
    }
    found = set(suggested) & set(curated)
    return {
        "curated": curated,
        "suggested": suggested,
        "found": found,
        "same_relation": sum(1 for key in found if suggested[key] == curated[key]),
    }


def print_figures(figures: dict) -> None:
    curated, suggested, found = figures["curated"], figures["suggested"], figures["found"]
    print(f"Curated links: {len(curated)}; suggested: {len(suggested)}; suggested and curated: {len(found)}")
    print(f"  precision {len(found) / max(len(suggested), 1):.3f}, recall {len(found) / max(len(curated), 1):.3f}")
    print(f"  guessed relation = curated relation: {figures['same_relation']} of {len(found)}")
    if "-v" in sys.argv:
        from archive.models import Provision, Statement

        for label, keys in (("missed", set(curated) - found), ("extra", set(suggested) - found)):
            for statement_id, provision_id in sorted(keys):
                statement = Statement.objects.get(pk=statement_id)
                provision = Provision.objects.get(pk=provision_id)
                print(f"  {label:7} {provision.agreement.slug}/{provision.slug}: {statement.text[:80]!r}")


def main() -> int:
    in_test_database(lambda: print_figures(measure()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
