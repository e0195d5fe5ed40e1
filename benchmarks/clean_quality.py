"""Cleaning quality on the development set: chrome left, content lost, titles, dates, bylines.

Runs the parse and clean stages (no database) on every article of benchmarks/devset/ and compares with
its gold. Run: .venv/bin/python benchmarks/clean_quality.py [-q]
"""

import html
import json
import re
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
DEVSET = BASE / "benchmarks" / "devset"
_WORDS = re.compile(r"[\w’'-]+")
_TERMINAL = re.compile(r"[.!?…:;”\"’')\]]\s*$")
_FULL_DATE = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}[./-]\d{1,2}[./-]\d")
_DATEISH = re.compile(
    r"\b(?:\d[\d:./-]*|[ap]\.?m\.?|IST|GMT|BST|EST|ET|UTC|published|updated|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*)\b",
    re.I,
)


def _norm(text: str) -> str:
    return " ".join(html.unescape(text).split()).casefold()


def source_lines(path: Path) -> list[str]:
    """The visible lines of a file: text lines, or the text of an HTML page's block elements."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix != ".html":
        return [line.strip() for line in raw.splitlines() if line.strip()]
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(raw)
    for bad in tree.xpath("//script|//style|//head"):
        bad.drop_tree()
    blocks = tree.xpath("//p|//h1|//h2|//h3|//h4|//figcaption|//li|//time|//div[not(.//p) and not(.//div)]|//span")
    return [" ".join(b.text_content().split()) for b in blocks if b.text_content().strip()]


def content_lines(lines: list[str], gold: dict) -> list[str]:
    """Lines of article text: not chrome, not the headline, not a byline, date or dateline-only line."""
    chrome = {_norm(c) for c in gold["chrome"]}
    title = _norm(gold["title"])
    kept = []
    for line in lines:
        n = _norm(line)
        if n in chrome or title in n or n.startswith("by "):
            continue
        names = [_norm(x) for x in re.split(r",|\band\b", gold["byline"]) if x.strip()]
        if names and all(name in n for name in names) and len(_WORDS.findall(line)) <= 16:
            continue
        rest = _WORDS.findall(_DATEISH.sub(" ", line))
        if len(rest) <= 1 or (len(rest) <= 4 and not _TERMINAL.search(line)):
            continue
        if len(_WORDS.findall(line)) < 6 and not _TERMINAL.search(line):
            continue
        if len(line) < 60 and _FULL_DATE.search(line) and not _TERMINAL.search(line):
            continue  # a date stamp with a desk or a label ("Posted on 2020-09-14 by News Desk")
        kept.append(line)
    return kept


def measure(verbose: bool = False) -> dict:
    from archive.ingest.clean import agency_name, clean_text
    from archive.ingest.parse import parse_bytes

    totals = dict(
        articles=0,
        chrome=0,
        chrome_left=0,
        content=0,
        lost=0,
        titles=0,
        dates=0,
        date_n=0,
        bylines=0,
        datelines=0,
        sources=0,
        agencies=0,
    )
    problems = []
    for gold_path in sorted(DEVSET.glob("*.json")):
        source = next(p for p in DEVSET.glob(gold_path.stem + ".*") if p.suffix != ".json")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        document = parse_bytes(source.read_bytes(), source.name)
        clean = clean_text(document.text, document.metadata if document.is_html else None)
        body = _norm(clean.body)
        paragraphs = {_norm(p) for p in clean.paragraphs}
        totals["articles"] += 1
        for line in gold["chrome"]:
            totals["chrome"] += 1
            n = _norm(line)
            if n in paragraphs or (len(n) > 30 and n in body):
                totals["chrome_left"] += 1
                problems.append((source.name, "chrome left", line))
        for line in content_lines(source_lines(source), gold):
            totals["content"] += 1
            if _norm(line) not in body:
                totals["lost"] += 1
                problems.append((source.name, "content lost", line))
        checks = {
            "titles": (clean.title, gold["title"]),
            "bylines": (clean.byline, gold["byline"]),
            "datelines": (clean.dateline, gold["dateline"]),
            "sources": (clean.site_name, gold["source"]),
        }
        got_date = ""
        if clean.published_date:
            got_date = clean.published_date.isoformat()[
                : {"day": 10, "month": 7, "year": 4}.get(clean.date_precision, 10)
            ]
        checks["dates"] = (got_date, gold["date"] or "")
        # Agencies are compared by canonical name ("AP" is the Associated Press).
        checks["agencies"] = (agency_name(clean.agency) or clean.agency, agency_name(gold["agency"]) or gold["agency"])
        for key, (got, want) in checks.items():
            if _norm(got) == _norm(want):
                totals[key] += 1
            else:
                problems.append((source.name, key[:-1], f"{got!r} != {want!r}"))
    return {"totals": totals, "problems": problems}


def measure_seeds() -> dict:
    """The five curated seeds: body lines left in and lost, title, byline, dateline and source."""
    from archive.ingest.clean import clean_text
    from fixtures.curation.articles import ARTICLES

    curation = BASE / "fixtures" / "curation"
    totals = dict(articles=0, left=0, lost=0, lines=0, titles=0, bylines=0, datelines=0, sources=0)
    problems = []
    for entry in ARTICLES:
        raw = (curation / "raw" / entry["raw"]).read_text(encoding="utf-8")
        want = (curation / "bodies" / entry["raw"]).read_text(encoding="utf-8").strip().split("\n\n")
        clean = clean_text(raw)
        totals["articles"] += 1
        totals["lines"] += len(want)
        for line in set(clean.paragraphs) - set(want):
            totals["left"] += 1
            problems.append((entry["raw"], "chrome left", line))
        for line in set(want) - set(clean.paragraphs):
            totals["lost"] += 1
            problems.append((entry["raw"], "content lost", line))
        for key, got, expected in (
            ("titles", clean.title, entry["title"]),
            ("bylines", clean.byline, entry["byline"]),
            ("datelines", clean.dateline, entry["dateline"]),
            ("sources", clean.site_name, entry["source"] or ""),
        ):
            if _norm(got) == _norm(expected):
                totals[key] += 1
            else:
                problems.append((entry["raw"], key[:-1], f"{got!r} != {expected!r}"))
    return {"totals": totals, "problems": problems}


def main() -> int:
    sys.path.insert(0, str(BASE))
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    figures = measure()
    t = figures["totals"]
    n = t["articles"]
    print(f"Development set: {n} articles")
    print(f"Chrome lines left:  {t['chrome_left']} of {t['chrome']} ({t['chrome_left'] / max(t['chrome'], 1):.1%})")
    print(f"Content lines lost: {t['lost']} of {t['content']}")
    for key in ("titles", "dates", "bylines", "datelines", "sources", "agencies"):
        print(f"{key.capitalize():<12} right: {t[key]} of {n}")
    if "-q" not in sys.argv:
        for name, kind, detail in figures["problems"]:
            print(f"  {name}: {kind}: {detail[:140]}")
    seeds = measure_seeds()
    t = seeds["totals"]
    print(f"Seeds: {t['articles']} articles, {t['lines']} curated body lines")
    print(f"Chrome lines left:  {t['left']}")
    print(f"Content lines lost: {t['lost']}")
    for key in ("titles", "bylines", "datelines", "sources"):
        print(f"{key.capitalize():<12} right: {t[key]} of {t['articles']}")
    if "-q" not in sys.argv:
        for name, kind, detail in seeds["problems"]:
            print(f"  {name}: {kind}: {detail[:140]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
