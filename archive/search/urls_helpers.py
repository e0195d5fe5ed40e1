"""Stable, shareable URLs for the search page: facet toggles and page links keep every other choice."""

from urllib.parse import urlencode

from django.urls import reverse

from archive.search.facets import FACETS, FILTER_PARAMS, FacetValue
from archive.search.forms import SearchForm, as_query_dict

# The order of the parameters in every URL the page makes: the form's own.
PARAM_ORDER = tuple(SearchForm.base_fields)


def _pairs(get) -> list[tuple[str, str]]:
    get = as_query_dict(get)
    pairs = []
    for name in PARAM_ORDER:
        pairs.extend((name, v) for v in get.getlist(name) if v not in (None, ""))
    return pairs


def search_url(pairs) -> str:
    base = reverse("search:search")
    return f"{base}?{urlencode(pairs)}" if pairs else base


def page_url(get, page: int) -> str:
    pairs = [(k, v) for k, v in _pairs(get) if k != "page"]
    if page > 1:
        pairs.append(("page", str(page)))
    return search_url(pairs)


class Toggles:
    """Facet toggle URLs of one page: its parameters are read and the search path reversed once, not
    once per facet value."""

    def __init__(self, get):
        self.pairs = [(k, v) for k, v in _pairs(get) if k != "page"]
        self.base = reverse("search:search")

    def url(self, name: str, value: str, single: bool = False) -> str:
        """The URL with the facet value added, or removed when it is already chosen (back to page 1)."""
        pairs = self.pairs
        if (name, value) in pairs:
            pairs = [(k, v) for k, v in pairs if (k, v) != (name, value)]
        else:
            if single:
                pairs = [(k, v) for k, v in pairs if k != name]
            pairs = sorted([*pairs, (name, value)], key=lambda kv: _ORDER[kv[0]])
        return f"{self.base}?{urlencode(pairs)}" if pairs else self.base


_ORDER = {n: i for i, n in enumerate(PARAM_ORDER)}


def toggle_url(get, name: str, value: str, single: bool = False) -> str:
    """The URL with the facet value added, or removed when it is already chosen (back to page 1)."""
    return Toggles(get).url(name, value, single)


def facet_links(get, outcome) -> list[dict]:
    """The facet groups with a toggle URL on each value, for the template."""
    toggles = Toggles(get)
    groups = []
    for name, values in outcome.facets.items():
        if name == "type":
            continue
        groups.append(
            {
                "name": name,
                "heading": FACETS[name][1],
                "values": [{"facet": v, "url": toggles.url(name, v.value)} for v in values if v.count or v.selected],
            }
        )
    return groups


def type_links(get, outcome) -> list[dict]:
    """ "All" and one tab per result type, each with its count."""
    toggles = Toggles(get)
    values = outcome.facets.get("type", [])
    everything = FacetValue("", "All", sum(v.count for v in values), not outcome.params.get("type"))
    all_url = search_url([(k, v) for k, v in toggles.pairs if k != "type"])
    return [{"facet": everything, "url": all_url}] + [
        {"facet": v, "url": toggles.url("type", v.value, single=True)} for v in values
    ]


def active_filters(get, outcome) -> list[dict]:
    """The filters in force (from the facets and the date range), each with a URL that removes it."""
    labels = {}
    for name, values in outcome.facets.items():
        for v in values:
            labels[(name, v.value)] = v.label
    chips = []
    params = outcome.params
    if params.get("type"):
        chips.append({"label": f"Type: {labels.get(('type', params['type']), params['type'])}", "param": "type"})
    for name in FILTER_PARAMS:
        for value in params.get(name, []):
            heading = FACETS[name][1]
            chips.append({"label": f"{heading}: {labels.get((name, value), value)}", "param": name, "value": value})
    for value in params.get("role", []):
        chips.append({"label": f"Role: {value}", "param": "role", "value": value})
    for name, heading in (("date_from", "From"), ("date_to", "To")):
        if params.get(name):
            chips.append({"label": f"{heading} {params[name]:%-d %B %Y}", "param": name})
    if params.get("verified"):
        chips.append({"label": "Verified statements only", "param": "verified"})
    for chip in chips:
        pairs = [(k, v) for k, v in _pairs(get) if k != "page" and k != chip["param"]]
        if "value" in chip:
            pairs = [(k, v) for k, v in _pairs(get) if k != "page" and (k, v) != (chip["param"], chip["value"])]
        chip["url"] = search_url(pairs)
    return chips


def export_links(get, outcome) -> list[dict]:
    """Downloads of every statement or article match (one kind per file), with the page's other choices."""
    if not outcome.searched:
        return []
    pairs = [(k, v) for k, v in _pairs(get) if k not in ("type", "page")]
    chosen = outcome.params.get("type")
    links = []
    for kind in ("statement", "article"):
        count = outcome.type_counts.get(kind, 0)
        if not count or chosen not in ("", kind):
            continue
        query = urlencode([*pairs, ("type", kind)])
        links.append(
            {
                "noun": kind,
                "count": count,
                "formats": [
                    (fmt.upper(), f"{reverse('api:search-export', args=[fmt])}?{query}")
                    for fmt in ("csv", "xlsx", "json")
                ],
            }
        )
    return links
