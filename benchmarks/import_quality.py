"""Import quality, measured twice: on the seeds against the curated corpus, and on the development set.

Seeds: the five seed articles imported into an empty database, scored against fixtures/corpus.json.
Development set (benchmarks/devset/, see its README): every article imported, in one batch, into a
database that holds the curated actors and aliases (as the archive does), scored against its gold.

Both print statement precision and recall (direct quotations, i.e. direct and partial quotes, and
indirect claims; spans within a tiny boundary tolerance), speaker accuracy, and chrome lines left in /
content lines lost; the development set adds actors created that are not names and titles, dates and
bylines right. Run: .venv/bin/python benchmarks/import_quality.py [-v] [--seeds-only | --devset-only]
"""

import json
import os
import re
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("ARCHIVE_SEEDS", BASE.parent.parent / "shared" / "seeds"))
CURATED_RAW = BASE / "fixtures" / "curation" / "raw"
DEVSET = BASE / "benchmarks" / "devset"
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


# --- the development set ------------------------------------------------------------------------


def devset_pairs() -> list[tuple[Path, dict]]:
    """(article file, gold) for every annotated article of the development set."""
    pairs = []
    for gold_path in sorted(DEVSET.glob("[0-9][0-9]_*.json")):
        for ext in (".txt", ".html"):
            article = gold_path.with_suffix(ext)
            if article.exists():
                pairs.append((article, json.loads(gold_path.read_text(encoding="utf-8"))))
                break
    return pairs


def load_curated_actors() -> None:
    """The curated actors and their aliases, as an archive that already holds the corpus has them."""
    from django.core import serializers

    entries = [e for e in json.loads(Path(_corpus_path()).read_text(encoding="utf-8")) if e["model"] in CURATED_MODELS]
    for model in CURATED_MODELS:
        data = json.dumps([e for e in entries if e["model"] == model])
        for obj in serializers.deserialize("json", data, handle_forward_references=True):
            obj.save()
            if obj.deferred_fields:
                obj.save_deferred_fields()


CURATED_MODELS = ("archive.actor", "archive.alias")


def _corpus_path():
    from archive.corpus import CORPUS

    return CORPUS


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def _gold_spans(body: str, statements: list[dict]) -> list[dict]:
    """Gold statements located in the imported body (start -10000 when the body lost their words)."""
    located, taken = [], set()
    for st in statements:
        start = body.find(st["text"])
        while start in taken and start != -1:
            start = body.find(st["text"], start + 1)
        taken.add(start)
        if start == -1:
            start = -10_000
        located.append(
            {
                "start": start,
                "end": start + len(st["text"]),
                "kind": st["kind"],
                "speaker": st.get("speaker"),
                "description": st.get("anonymous") or "",
            }
        )
    return located


def _dev_speaker_right(ref: dict, got: dict, names_of: dict) -> bool:
    from archive.text import normalize_name

    if ref["speaker"]:
        return bool(got["actor"]) and normalize_name(ref["speaker"]) in names_of[got["actor"]]
    if got["actor"]:
        return False
    a, b = _squash(ref["description"]), _squash(got["description"])
    return bool(a and b) and (a == b or a in b or b in a)


def _metadata_line(line: str, gold: dict) -> bool:
    """A line the gold files as the title, the byline, the date line or the dateline rather than article text."""
    squashed = _squash(line)
    if squashed == _squash(gold["title"]):
        return True
    # The page's title line: the headline with the site's name after a separator ("… | The Tribune").
    site = re.fullmatch(r"(?P<head>.+)\s+[|–—-]\s+[^|–—-]{1,60}", line.strip())
    if site and _squash(site.group("head")) == _squash(gold["title"]):
        return True
    # A dateline standing on a line of its own ("QNA/Doha", "KABUL (AFP) -"): only its place and agency.
    words = set(re.findall(r"\w+", squashed))
    known = set(re.findall(r"\w+", _squash(f"{gold.get('dateline', '')} {gold.get('agency', '')}")))
    if words and len(line) < 40 and words <= known:
        return True
    if gold["byline"] and len(line) < 120 and any(_squash(n) in squashed for n in gold["byline"].split(" and ")):
        return True
    if len(line) < 60 and gold["date"] and re.search(r"\b(?:19|20)\d\d\b|\d{1,2}[./]\d{1,2}[./]\d", line):
        return not re.search(r"[.!?]\s*$", line) or len(line) < 40
    return False


def measure_devset(pairs=None) -> dict:
    """Import the development set (curated actors present, no articles) and score it against its gold."""
    from archive.ingest import import_paths
    from archive.ingest.extract import paragraph_spans
    from archive.models import Actor, Article
    from archive.text import normalize_name

    pairs = pairs or devset_pairs()
    load_curated_actors()
    known = set(Actor.objects.values_list("pk", flat=True))
    report = import_paths([path for path, _ in pairs])
    totals = {k: 0 for k in ("ref_q", "got_q", "tol_q", "ref_i", "got_i", "tol_i", "spk", "spk_n")}
    meta = {"title": 0, "date": 0, "byline": 0}
    chrome_left, chrome_total, lost, content_total, misses, meta_misses = [], 0, [], 0, [], []
    gold_names = set()
    for _path, gold in pairs:
        gold_names |= {normalize_name(s["speaker"]) for s in gold["statements"] if s.get("speaker")}
    names_of = {}
    for actor in Actor.objects.prefetch_related("aliases"):
        names_of[actor.pk] = {normalize_name(actor.name)} | {a.normalized for a in actor.aliases.all()}
    results = {r.name: r for r in report.results}
    for path, gold in pairs:
        result = results.get(str(path))
        if result is None or not result.article_id:
            misses.append(("failed", path.name, result.reason if result else "not imported"))
            continue
        article = Article.objects.get(pk=result.article_id)
        body_paragraphs = {_squash(article.body[s:e]) for s, e in paragraph_spans(article.body)}
        squashed_body = _squash(article.body)
        for line in gold["chrome"]:
            chrome_total += 1
            if _squash(line) in body_paragraphs or (len(line) > 30 and _squash(line) in squashed_body):
                chrome_left.append(f"{path.name}: {line}")
        chrome = {_squash(c) for c in gold["chrome"]}
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".txt":
            for line in text.splitlines():
                if not line.strip() or _squash(line) in chrome or _metadata_line(line, gold):
                    continue
                content_total += 1
                if _squash(line) not in squashed_body:
                    lost.append(f"{path.name}: {line}")
        meta["title"] += _squash(article.title) == _squash(gold["title"])
        got_date = article.published_date.isoformat() if article.published_date else None
        if got_date and article.date_precision == "month":
            got_date = got_date[:7]
        elif got_date and article.date_precision == "year":
            got_date = got_date[:4]
        meta["date"] += got_date == gold["date"]
        meta["byline"] += _squash(article.byline) == _squash(gold["byline"])
        for field, got_value, want in (
            ("title", article.title, gold["title"]),
            ("date", got_date, gold["date"]),
            ("byline", article.byline, gold["byline"]),
        ):
            if _squash(str(got_value or "")) != _squash(str(want or "")):
                meta_misses.append((field, path.name, f"{got_value!r} != {want!r}"))
        refs = _gold_spans(article.body, gold["statements"])
        got = [
            {
                "start": st.start,
                "end": st.end,
                "kind": st.kind,
                "actor": st.speaker_id,
                "name": st.speaker.name if st.speaker_id else "",
                "description": st.speaker_description,
            }
            for st in article.statements.select_related("speaker")
        ]
        ref_q = [r for r in refs if r["kind"] in QUOTED]
        got_q = [g for g in got if g["kind"] in QUOTED]
        ref_i = [r for r in refs if r["kind"] == "indirect"]
        got_i = [g for g in got if g["kind"] == "indirect"]
        quotes, claims = _match(ref_q, got_q, TOLERANCE), _match(ref_i, got_i, TOLERANCE)
        totals["ref_q"] += len(ref_q)
        totals["got_q"] += len(got_q)
        totals["tol_q"] += len(quotes)
        totals["ref_i"] += len(ref_i)
        totals["got_i"] += len(got_i)
        totals["tol_i"] += len(claims)
        for r, g in quotes + claims:
            totals["spk_n"] += 1
            right = _dev_speaker_right(r, g, names_of)
            totals["spk"] += right
            if not right:
                misses.append(
                    (
                        "speaker",
                        f"{path.name}: {article.body[g['start'] : g['end']][:80]}",
                        f"{r['speaker'] or r['description']} != {g['name'] or g['description']}",
                    )
                )
        matched_refs = {id(r) for r, _ in quotes + claims}
        matched_got = {id(g) for _, g in quotes + claims}
        for r, st in zip(refs, gold["statements"], strict=True):
            if id(r) not in matched_refs:
                misses.append(
                    ("missed " + r["kind"], f"{path.name}: {st['text'][:80]}", r["speaker"] or r["description"])
                )
        for g in got:
            if id(g) not in matched_got:
                misses.append(
                    (
                        "extra " + g["kind"],
                        f"{path.name}: {article.body[g['start'] : g['end']][:80]}",
                        g["name"] or g["description"],
                    )
                )
    created = Actor.objects.exclude(pk__in=known)
    not_names = sorted(a.name for a in created if normalize_name(a.name) not in gold_names)
    n = len(pairs)
    return {
        "articles": n,
        "failed": [r.reason for r in report.failed],
        "quote_precision": _ratio(totals["tol_q"], totals["got_q"]),
        "quote_recall": _ratio(totals["tol_q"], totals["ref_q"]),
        "indirect_precision": _ratio(totals["tol_i"], totals["got_i"]),
        "indirect_recall": _ratio(totals["tol_i"], totals["ref_i"]),
        "speaker_accuracy": _ratio(totals["spk"], totals["spk_n"]),
        "actors_created": sorted(a.name for a in created),
        "actors_not_names": not_names,
        "chrome_left": chrome_left,
        "chrome_total": chrome_total,
        "content_lost": lost,
        "content_total": content_total,
        "meta": meta,
        "counts": totals,
        "misses": misses + meta_misses,
    }


def print_devset(figures: dict) -> None:
    c, m, n = figures["counts"], figures["meta"], figures["articles"]
    print(f"Development set articles imported: {n} (failed: {len(figures['failed'])})")
    print(
        f"Direct quotations  precision {figures['quote_precision']:.3f}  recall {figures['quote_recall']:.3f}"
        f"  (±{TOLERANCE} chars; {c['tol_q']} matched of {c['got_q']} extracted, {c['ref_q']} annotated)"
    )
    print(
        f"Reported speech    precision {figures['indirect_precision']:.3f}  recall {figures['indirect_recall']:.3f}"
        f"  ({c['tol_i']} matched of {c['got_i']} extracted, {c['ref_i']} annotated)"
    )
    print(f"Speaker accuracy   {figures['speaker_accuracy']:.3f}  ({c['spk']} of {c['spk_n']} matched statements)")
    print(
        f"Actors created: {len(figures['actors_created'])}; not the name of an annotated speaker: "
        f"{len(figures['actors_not_names'])}"
    )
    for name in figures["actors_not_names"]:
        print(f"    ? {name}")
    print(f"Chrome lines left in: {len(figures['chrome_left'])} of {figures['chrome_total']}")
    for line in figures["chrome_left"]:
        print(f"    + {line[:100]}")
    print(f"Content lines lost: {len(figures['content_lost'])} of {figures['content_total']} (.txt articles)")
    for line in figures["content_lost"]:
        print(f"    - {line[:100]}")
    print(f"Titles right {m['title']}/{n}, dates right {m['date']}/{n}, bylines right {m['byline']}/{n}")
    if "-v" in sys.argv:
        for what, text, who in figures["misses"]:
            print(f"  {what:16} {str(who)[:90]}\n{'':19}{text[:110]!r}")


def main() -> int:
    sys.path.insert(0, str(BASE))
    from benchmarks.harness import in_test_database

    def seeds():
        print("== Seeds ==")
        print_figures(measure())

    def devset():
        print("== Development set ==")
        print_devset(measure_devset())

    runs = [] if "--devset-only" in sys.argv else [seeds]
    runs += [] if "--seeds-only" in sys.argv else [devset]
    in_test_database(*runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
