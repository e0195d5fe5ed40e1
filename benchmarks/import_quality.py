"""Import quality against the curated corpus: the five seeds imported into an empty database.

Prints statement precision and recall (direct quotations, i.e. direct and partial quotes, and indirect
claims; exact spans and spans within a tiny boundary tolerance), speaker accuracy, and boilerplate lines
left in / content lines lost. Run: .venv/bin/python benchmarks/import_quality.py
"""

import json
import os
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("ARCHIVE_SEEDS", BASE.parent.parent / "shared" / "seeds"))
CURATED_RAW = BASE / "fixtures" / "curation" / "raw"
TOLERANCE = 3  # characters either end of a span
QUOTED = ("direct", "partial")


def seed_files() -> list[Path]:
    folder = SEEDS if SEEDS.is_dir() and any(SEEDS.glob("*.txt")) else CURATED_RAW
    return sorted(folder.glob("*.txt"))


def load_reference():
    """The curated corpus: articles by import reference with their statements; alias keys by actor slug."""
    from archive.corpus import CORPUS

    entries = json.loads(Path(CORPUS).read_text(encoding="utf-8"))
    articles = {}
    slug_to_ref = {}
    for e in entries:
        if e["model"] == "archive.article":
            f = e["fields"]
            articles[f["import_reference"]] = {"body": f["body"], "statements": []}
            slug_to_ref[f["slug"]] = f["import_reference"]
    keys = {}
    for e in entries:
        if e["model"] == "archive.statement":
            f = e["fields"]
            ref = slug_to_ref[f["article"][0]]
            articles[ref]["statements"].append(
                {
                    "start": f["start"],
                    "end": f["end"],
                    "kind": f["kind"],
                    "speaker": f["speaker"][0] if f["speaker"] else None,
                    "description": f["speaker_description"],
                }
            )
        elif e["model"] == "archive.alias":
            keys[f_norm(e)] = e["fields"]["actor"][0]
    return articles, keys


def f_norm(entry) -> str:
    return entry["fields"]["normalized"]


def _match(refs, got, tolerance):
    """Greedy one-to-one matching of spans whose ends are within the tolerance."""
    pairs, used = [], set()
    for r in refs:
        best = None
        for i, g in enumerate(got):
            if i in used:
                continue
            d = abs(r["start"] - g["start"]) + abs(r["end"] - g["end"])
            if abs(r["start"] - g["start"]) <= tolerance and abs(r["end"] - g["end"]) <= tolerance:
                if best is None or d < best[0]:
                    best = (d, i)
        if best is not None:
            used.add(best[1])
            pairs.append((r, got[best[1]]))
    return pairs


def _speaker_right(ref, got, keys) -> bool:
    from archive.text import normalize_name

    if ref["speaker"]:
        return bool(got["name"]) and keys.get(normalize_name(got["name"])) == ref["speaker"]
    if got["name"]:
        return False
    a, b = ref["description"].casefold(), got["description"].casefold()
    return a == b or a in b or b in a


def _ratio(n, d):
    return n / d if d else 1.0


def measure(files=None) -> dict:
    """Import the seeds (the database must hold no articles yet) and score them against the corpus."""
    from archive.ingest import import_paths
    from archive.ingest.extract import paragraph_spans
    from archive.models import Article

    references, keys = load_reference()
    files = files or seed_files()
    report = import_paths(files)
    totals = {k: 0 for k in ("ref_q", "got_q", "exact_q", "tol_q", "ref_i", "got_i", "tol_i", "spk", "spk_n")}
    left_in, lost, failures = [], [], [r.reason for r in report.failed]
    misses = []
    for article in Article.objects.filter(import_reference__in=list(references)).prefetch_related("statements"):
        ref = references[article.import_reference]
        ref_lines = {ref["body"][s:e] for s, e in paragraph_spans(ref["body"])}
        got_lines = {article.body[s:e] for s, e in paragraph_spans(article.body)}
        left_in += sorted(got_lines - ref_lines)
        lost += sorted(ref_lines - got_lines)
        got = []
        for st in article.statements.all():
            start = st.start
            if article.body != ref["body"]:
                start = ref["body"].find(st.text)
                if start == -1:
                    start = -10_000
            got.append(
                {
                    "start": start,
                    "end": start + len(st.text),
                    "kind": st.kind,
                    "name": st.speaker.name if st.speaker_id else "",
                    "description": st.speaker_description,
                }
            )
        ref_q = [s for s in ref["statements"] if s["kind"] in QUOTED]
        got_q = [s for s in got if s["kind"] in QUOTED]
        ref_i = [s for s in ref["statements"] if s["kind"] == "indirect"]
        got_i = [s for s in got if s["kind"] == "indirect"]
        totals["ref_q"] += len(ref_q)
        totals["got_q"] += len(got_q)
        totals["exact_q"] += len(_match(ref_q, got_q, 0))
        tolerant = _match(ref_q, got_q, TOLERANCE)
        totals["tol_q"] += len(tolerant)
        totals["ref_i"] += len(ref_i)
        totals["got_i"] += len(got_i)
        indirect = _match(ref_i, got_i, TOLERANCE)
        totals["tol_i"] += len(indirect)
        for r, g in tolerant + indirect:
            totals["spk_n"] += 1
            right = _speaker_right(r, g, keys)
            totals["spk"] += right
            if not right:
                misses.append(
                    (
                        "speaker",
                        ref["body"][r["start"] : r["end"]],
                        f"{r['speaker'] or r['description']} != {g['name'] or g['description']}",
                    )
                )
        matched_refs = [id(r) for r, _ in tolerant + indirect]
        matched_got = [id(g) for _, g in tolerant + indirect]
        for r in ref["statements"]:
            if id(r) not in matched_refs:
                misses.append(
                    ("missed " + r["kind"], ref["body"][r["start"] : r["end"]], r["speaker"] or r["description"])
                )
        for g in got:
            if id(g) not in matched_got:
                text = ref["body"][g["start"] : g["end"]] if g["start"] >= 0 else "?"
                misses.append(("extra " + g["kind"], text, g["name"] or g["description"]))
    return {
        "articles": len(files),
        "failed": failures,
        "quote_precision": _ratio(totals["tol_q"], totals["got_q"]),
        "quote_recall": _ratio(totals["tol_q"], totals["ref_q"]),
        "quote_precision_exact": _ratio(totals["exact_q"], totals["got_q"]),
        "quote_recall_exact": _ratio(totals["exact_q"], totals["ref_q"]),
        "indirect_precision": _ratio(totals["tol_i"], totals["got_i"]),
        "indirect_recall": _ratio(totals["tol_i"], totals["ref_i"]),
        "speaker_accuracy": _ratio(totals["spk"], totals["spk_n"]),
        "boilerplate_left_in": left_in,
        "content_lost": lost,
        "counts": totals,
        "misses": misses,
    }


def print_figures(figures: dict) -> None:
    c = figures["counts"]
    print(f"Seeds imported: {figures['articles']} (failed: {len(figures['failed'])})")
    print(
        f"Direct quotations  precision {figures['quote_precision']:.3f}  recall {figures['quote_recall']:.3f}"
        f"  (±{TOLERANCE} chars; {c['tol_q']} matched of {c['got_q']} extracted, {c['ref_q']} curated)"
    )
    print(
        f"                   exact spans: precision {figures['quote_precision_exact']:.3f}"
        f"  recall {figures['quote_recall_exact']:.3f}"
    )
    print(
        f"Indirect claims    precision {figures['indirect_precision']:.3f}  recall {figures['indirect_recall']:.3f}"
        f"  ({c['tol_i']} matched of {c['got_i']} extracted, {c['ref_i']} curated)"
    )
    print(f"Speaker accuracy   {figures['speaker_accuracy']:.3f}  ({c['spk']} of {c['spk_n']} matched statements)")
    print(f"Boilerplate lines left in: {len(figures['boilerplate_left_in'])}")
    for line in figures["boilerplate_left_in"]:
        print(f"    + {line[:100]}")
    print(f"Content lines lost: {len(figures['content_lost'])}")
    for line in figures["content_lost"]:
        print(f"    - {line[:100]}")
    if "-v" in sys.argv:
        for what, text, who in figures["misses"]:
            print(f"  {what:16} {who[:90]}\n{'':19}{text[:100]!r}")


def main() -> int:
    sys.path.insert(0, str(BASE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction
    from django.test.utils import get_runner

    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        with transaction.atomic():
            figures = measure()
            print_figures(figures)
            transaction.set_rollback(True)
    finally:
        runner.teardown_databases(old)
    return 0


if __name__ == "__main__":
    sys.exit(main())
