"""The search page's result types, sort orders and facets: what each is called and how its values are shown."""

from typing import NamedTuple

from archive.agreements.models import Provision, StatementProvisionLink, provision_key
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
    "provision": ("provision", "Agreement provision", 12),
    "relation": ("relation", "Says the provision was", 6),
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
    "provision": "provision",
    "relation": "relation",
    "role": "role",
}
FILTER_PARAMS = ("speaker", "mentioned", "affiliation", "source", "topic", "year", "provision", "relation")
ACTOR_PARAMS = ("speaker", "mentioned", "affiliation")


class FacetValue(NamedTuple):
    value: str
    label: str
    count: int
    selected: bool

    @property
    def count_display(self) -> str:
        """The count with thousands separated, as ``intcomma`` writes it in English (a page shows dozens)."""
        return f"{self.count:,}"


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
    if slugs_wanted := [v for v, _ in wanted["provision"] if ("provision", v) not in labels]:
        labels.update({("provision", key): label for key, label in provision_labels(slugs_wanted).items()})
    relations = dict(StatementProvisionLink.Relation.choices)
    labels.update({("relation", v): relations[v] for v, _ in wanted["relation"] if v in relations})
    for param, shown in wanted.items():
        facets[param] = [
            FacetValue(value, labels.get((param, value), value), count, value in cleaned[param])
            for value, count in shown
            if param == "year" or (param, value) in labels
        ]
    return facets


def provision_labels(keys) -> dict[str, str]:
    """{provision key: "Agreement short title, number: title"} for the provisions that exist."""
    rows = Provision.objects.by_keys(keys).values_list(
        "key", "agreement__short_title", "agreement__title", "number", "title"
    )
    return {key: f"{short_title or title}, {number}: {heading}" for key, short_title, title, number, heading in rows}


def provision_keys_by_id(ids) -> dict[str, str]:
    """{id as given: provision key} for the ids of provisions that exist."""
    numbers = {int(i): i for i in ids if str(i).isdecimal() and len(str(i)) < 19}
    if not numbers:
        return {}
    found = Provision.objects.filter(pk__in=numbers).select_related("agreement")
    return {numbers[p.pk]: provision_key(p) for p in found}
