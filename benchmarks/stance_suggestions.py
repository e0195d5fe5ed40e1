"""Stance and relation suggestions against the curated ones: the curated corpus loaded into a test
database, its curated stances and relations set aside, and the suggestion rules run on every statement.

Prints, for stances, how many the wording rules suggest, how many statement × topic pairs they share with
the curation and how often the suggested stance is the curated one; for relations, how many are suggested
and how many curated ones they find. -v lists every curated stance beside the suggestion.
Run: .venv/bin/python benchmarks/stance_suggestions.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.harness import in_test_database  # noqa: E402


def measure() -> dict:
    from archive.corpus import load_corpus
    from archive.models import Statement
    from archive.positions import services
    from archive.positions.models import StatementRelation, StatementStance

    load_corpus()
    curated = {(s.statement_id, s.topic_id): s.stance for s in StatementStance.objects.all()}
    curated_relations = set(StatementRelation.objects.values_list("from_statement_id", "to_statement_id"))
    StatementStance.objects.all().delete()
    StatementRelation.objects.all().delete()
    services.suggest_stances(Statement.objects.all())
    suggested = {(s.statement_id, s.topic_id): s.stance for s in StatementStance.objects.all()}
    # Relations from the cue words and timing alone (the curated stances are set aside).
    services.suggest_relations()
    relations = set(StatementRelation.objects.values_list("from_statement_id", "to_statement_id"))
    shared = set(curated) & set(suggested)
    return {
        "curated": curated,
        "suggested": suggested,
        "shared": shared,
        "same": sum(1 for key in shared if curated[key] == suggested[key]),
        "relations": relations,
        "curated_relations": curated_relations,
    }


def print_figures(figures: dict) -> None:
    curated, suggested, shared = figures["curated"], figures["suggested"], figures["shared"]
    print(
        f"Curated stances: {len(curated)}; suggested: {len(suggested)}; on the same statement and topic: {len(shared)}"
    )
    print(f"  suggested stance = curated stance: {figures['same']} of {len(shared)}")
    relations, curated_relations = figures["relations"], figures["curated_relations"]
    print(
        f"Curated relations: {len(curated_relations)}; suggested: {len(relations)}; "
        f"curated pairs found: {len(relations & curated_relations)}"
    )
    if "-v" in sys.argv:
        from archive.models import Statement

        for (statement_id, topic_id), stance in sorted(curated.items()):
            text = Statement.objects.get(pk=statement_id).text[:70]
            print(f"  {stance:11} vs {suggested.get((statement_id, topic_id), '—'):11} {text!r}")


def main() -> int:
    in_test_database(lambda: print_figures(measure()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
