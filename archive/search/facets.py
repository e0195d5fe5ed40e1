"""The search page's result types, sort orders and facets: what each is called and how its values are shown."""

from typing import NamedTuple

from archive.models import Source, Topic
from archive.search.visibility import public_actors

TYPES = {"article": "Articles", "statement": "Statements", "actor": "Actors"}
TYPE_WORDS = {
    "article": "article",
    "articles": "article",
    "statement": "statement",
    "statements": "statement",
    "quote": "statement",
    "quotes": "statement",
    "actor": "actor",
    "actors": "actor",
    "person": "actor",
    "people": "actor",
}
SORTS = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first"}
# parameter -> (index field counted, heading, how many values to show). "Speaker" counts the speakers
# of the matching statements only; the actors quoted in the matching articles are "Mentioned".
FACETS = {
    "type": ("doc_type", "Type", 3),
    "speaker": ("said_by", "Speaker", 12),
    "mentioned": ("mentioned", "Mentioned in articles", 12),
    "affiliation": ("affiliation", "Side", 10),
    "source": ("source", "Source", 10),
    "topic": ("topic", "Topic", 15),
    "year": ("year", "Year", 20),
}
# parameter -> index field it filters: a speaker filter finds the actor's statements, the articles
# quoting them and their own entry, as speaker: in the query does.
FILTER_FIELDS = {
    "type": "doc_type",
    "speaker": "speaker",
    "mentioned": "mentioned",
    "affiliation": "affiliation",
    "source": "source",
    "topic": "topic",
    "year": "year",
    "role": "role",
}
FILTER_PARAMS = ("speaker", "mentioned", "affiliation", "source", "topic", "year")
ACTOR_PARAMS = ("speaker", "mentioned", "affiliation")


class FacetValue(NamedTuple):
    value: str
    label: str
    count: int
    selected: bool


def build_facets(facet_counts: dict, cleaned: dict, type_counts: dict) -> dict:
    facets = {"type": [FacetValue(k, TYPES[k], type_counts.get(k, 0), cleaned["type"] == k) for k in TYPES]}
    wanted: dict[str, list[tuple[str, int]]] = {}
    for param, (index_field, _, limit) in FACETS.items():
        if param == "type":
            continue
        counts = [(str(v), n) for v, n in facet_counts.get(index_field, []) if v not in (None, "")]
        if param == "year":
            counts.sort(key=lambda item: item[0], reverse=True)
        shown = counts[:limit]
        shown_values = {v for v, _ in shown}
        counted = dict(counts)
        for value in cleaned[param]:
            if value not in shown_values:
                shown.append((value, counted.get(value, 0)))
        wanted[param] = shown
    labels = dict(cleaned["labels"])
    slugs = {p: [v for v, _ in wanted[p] if (p, v) not in labels] for p in (*ACTOR_PARAMS, "source", "topic")}
    actor_slugs = set().union(*(slugs[p] for p in ACTOR_PARAMS))
    if actor_slugs:
        names = dict(public_actors().filter(slug__in=actor_slugs).values_list("slug", "name"))
        for p in ACTOR_PARAMS:
            labels.update({(p, s): names[s] for s in slugs[p] if s in names})
    for p, model in (("source", Source), ("topic", Topic)):
        if slugs[p]:
            labels.update({(p, s): n for s, n in model.objects.filter(slug__in=slugs[p]).values_list("slug", "name")})
    for param, shown in wanted.items():
        facets[param] = [
            FacetValue(value, labels.get((param, value), value), count, value in cleaned[param])
            for value, count in shown
            if param == "year" or (param, value) in labels
        ]
    return facets
