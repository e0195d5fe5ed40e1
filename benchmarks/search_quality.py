"""Search quality on the judged query set: nDCG@10 and MRR, per query and on average.

    .venv/bin/python benchmarks/search_quality.py            # the curated corpus (a fresh database under /tmp)
    .venv/bin/python benchmarks/search_quality.py --verbose  # and the top ten of each query

The judged queries are in benchmarks/judged_queries.json: graded documents of the curated corpus
(loaded with `load_corpus` into its own SQLite database and Whoosh index) and rules that grade the
synthetic corpus of benchmarks/search_bench.py, which reports its own figures with the functions
here. Results are read from the public search API (first page, ten results), so the figures judge
exactly what a reader or a client of the API gets.
"""

import argparse
import json
import math
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUDGED = Path(__file__).resolve().parent / "judged_queries.json"
K = 10


def judged() -> dict:
    return json.loads(JUDGED.read_text(encoding="utf-8"))


def dcg(grades) -> float:
    """Discounted cumulative gain with exponential gains (2^grade - 1)."""
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))


def ndcg(grades, ideal, k: int = K) -> float:
    """nDCG@k of the grades of a ranking, against every grade there is to find (`ideal`)."""
    best = dcg(sorted(ideal, reverse=True)[:k])
    return dcg(list(grades)[:k]) / best if best else 0.0


def reciprocal_rank(grades, ideal, k: int = K) -> float:
    """1/rank of the first result of grade 2 or more (or of the best grade there is, when lower)."""
    wanted = min(2, max(ideal, default=0))
    if wanted <= 0:
        return 0.0
    for rank, g in enumerate(list(grades)[:k], 1):
        if g >= wanted:
            return 1.0 / rank
    return 0.0


def api_results(client, q: str) -> list[dict]:
    """The first page of the search API's results for q, ten a page."""
    response = client.get("/api/search/", {"q": q, "page_size": K}, HTTP_ACCEPT="application/json")
    if response.status_code != 200:
        raise RuntimeError(f"search API answered {response.status_code} for {q!r}")
    return response.json()["results"]


def result_keys(results: list[dict]) -> list[tuple[str, object]]:
    """(type, slug or statement id) of each result."""
    return [(r["type"], r["id"] if r["type"] == "statement" else r["slug"]) for r in results]


def curated_grades(client, entry: dict, articles: dict) -> tuple[list[int], list[str]]:
    """Grades of the top ten results for a curated judged query, and a label of each result."""
    from archive.models import Statement

    keys = result_keys(api_results(client, entry["q"]))
    slug_key = {slug: short for short, slug in articles.items()}
    ids = [pk for kind, pk in keys if kind == "statement"]
    places = {
        pk: f"{slug_key.get(slug, slug)}@{start}"
        for pk, slug, start in Statement.objects.filter(pk__in=ids).values_list("pk", "article__slug", "start")
    }
    labels = []
    for kind, value in keys:
        if kind == "statement":
            labels.append(places.get(value, f"statement {value}"))
        elif kind == "article":
            labels.append(slug_key.get(value, f"article {value}"))
        else:
            labels.append(f"{kind}:{value}")
    grades = entry["grades"]
    return [grades.get(label, 0) for label in labels], labels


def synthetic_grades(client, entry: dict) -> tuple[list[int], list[int], list[str]]:
    """Grades of the top ten results for a synthetic rule, the ten best grades there are, and labels."""
    from django.db.models import Q

    from archive.models import Actor, Article, Statement

    keys = result_keys(api_results(client, entry["q"]))
    statements = {
        s.pk: s
        for s in Statement.objects.public()
        .select_related("speaker")
        .filter(pk__in=[pk for kind, pk in keys if kind == "statement"])
    }
    articles = {
        a.slug: a
        for a in Article.objects.published()
        .prefetch_related("statements__speaker")
        .filter(slug__in=[slug for kind, slug in keys if kind == "article"])
    }
    grades, labels = [], []
    if "actor" in entry:
        slug = entry["actor"]
        for kind, value in keys:
            if kind == "actor":
                g = 3 if value == slug else 0
            elif kind == "statement":
                s = statements.get(value)
                g = 2 if s is not None and s.speaker_id and s.speaker.slug == slug else 0
            else:
                a = articles.get(value)
                g = 1 if a is not None and any(s.speaker and s.speaker.slug == slug for s in a.statements.all()) else 0
            grades.append(g)
            labels.append(f"{kind}:{value}")
        actor = Actor.objects.get(slug=slug)
        own = Statement.objects.public().filter(speaker=actor).count()
        quoting = Article.objects.published().filter(statements__speaker=actor).distinct()[:K].count()
        ideal = [3] + [2] * min(K, own) + [1] * quoting
        return grades, ideal[:K], labels

    words = [w.lower() for w in entry["words"]]

    def holds(text: str) -> bool:
        lowered = f" {text.lower()} "
        return all(f" {w}" in lowered or f"-{w}" in lowered for w in words)

    for kind, value in keys:
        g = 0
        if kind == "statement" and value in statements:
            g = 2 if holds(statements[value].text) else 0
        elif kind == "article" and value in articles:
            a = articles[value]
            g = 2 if holds(a.title) else 1 if holds(a.body) else 0
        grades.append(g)
        labels.append(f"{kind}:{value}")
    in_title = Q()
    for w in words:
        in_title &= Q(title__icontains=w)
    titled = Article.objects.published().filter(in_title)[:K].count()
    said = Statement.objects.public()
    for w in words:
        said = said.filter(text__icontains=w)
    ideal = [2] * (titled + said[:K].count())
    bodies = Article.objects.published()
    for w in words:
        bodies = bodies.filter(body__icontains=w)
    ideal += [1] * bodies[:K].count()
    return grades, sorted(ideal, reverse=True)[:K], labels


def evaluate(client, corpus: str, verbose: bool = False, out=print) -> tuple[float, float]:
    """Mean nDCG@10 and MRR of the judged set of `corpus` ("curated" or "synthetic"), printed per query."""
    data = judged()
    ndcgs, rrs = [], []
    for entry in data[corpus]:
        if corpus == "curated":
            grades, labels = curated_grades(client, entry, data["articles"])
            ideal = list(entry["grades"].values())
        else:
            grades, ideal, labels = synthetic_grades(client, entry)
        n, rr = ndcg(grades, ideal), reciprocal_rank(grades, ideal)
        ndcgs.append(n)
        rrs.append(rr)
        out(f"  {entry['q'][:36]:<37} nDCG@10 {n:5.3f}  RR {rr:5.3f}  grades {''.join(map(str, grades)) or '-'}")
        if verbose:
            out("      " + ", ".join(labels))
    mean_ndcg, mrr = statistics.fmean(ndcgs), statistics.fmean(rrs)
    out(f"  {corpus} judged set, {len(ndcgs)} queries: mean nDCG@10 {mean_ndcg:.3f}, MRR {mrr:.3f}")
    return mean_ndcg, mrr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", default="/tmp/archive-search-quality")
    parser.add_argument("--verbose", action="store_true", help="list the top ten of each query")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    sys.path.insert(0, str(ROOT))
    from benchmarks.search_bench import configure

    configure(workdir)  # its own SQLite database and Whoosh index in workdir
    from django.core.management import call_command
    from django.test import Client, override_settings

    call_command("migrate", verbosity=0)
    call_command("load_corpus", verbosity=0)
    call_command("rebuild_index", interactive=False, verbosity=0)
    print("Search quality on the curated corpus (judged queries: benchmarks/judged_queries.json)")
    with override_settings(API_ANON_RATE="off", ALLOWED_HOSTS=["*"]):
        evaluate(Client(), "curated", verbose=args.verbose)


if __name__ == "__main__":
    main()
