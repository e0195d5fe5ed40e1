"""The search page's GET parameters as a Django Form: unknown values are dropped with a message, never an error.

``SearchForm(request.GET)`` (or the API's query parameters, or a plain dict) cleans every parameter
leniently: a search never fails for a strange parameter, it says what it ignored (``form.messages``)
and searches with the rest. ``form.cleaned`` is what the read path uses.
"""

import datetime
import re

from django import forms
from django.utils.datastructures import MultiValueDict

from archive.agreements.models import StatementProvisionLink
from archive.models import Source, Topic
from archive.roles import role_words
from archive.search.facets import FILTER_PARAMS, SORTS, TYPE_WORDS, TYPES, provision_keys_by_id, provision_labels
from archive.search.query import strip_controls
from archive.search.visibility import public_actors

MAX_PAGE = 10_000
MAX_VALUES = 10  # values kept per filter parameter
MAX_VALUE_CHARS = 200


def as_query_dict(params) -> MultiValueDict:
    """GET parameters as a MultiValueDict, from a QueryDict or a plain mapping of values or lists."""
    if isinstance(params, MultiValueDict):
        return params
    return MultiValueDict(
        {
            name: list(value) if isinstance(value, list | tuple) else [value]
            for name, value in params.items()
            if value is not None
        }
    )


class ValuesInput(forms.Widget):
    """Every non-empty value given for a parameter, stripped; control characters replaced unless kept
    (the search words keep theirs for the parser, which removes them and says so; a filter value never
    holds one, and PostgreSQL refuses NUL in a query)."""

    def __init__(self, keep_controls: bool = False):
        super().__init__()
        self.keep_controls = keep_controls

    def value_from_datadict(self, data, files, name):
        clean = str if self.keep_controls else strip_controls
        values = [clean(str(v)).strip() for v in data.getlist(name) if v is not None]
        return [v for v in values if v]

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class ValuesField(forms.Field):
    """The parameter's values as a list; cleaning into values is the form's (clean_<name>)."""

    def __init__(self, keep_controls: bool = False):
        super().__init__(required=False, widget=ValuesInput(keep_controls))

    def to_python(self, value):
        return list(value or [])


class SearchForm(forms.Form):
    """q, type, speaker, mentioned, affiliation, source, topic, year, provision, relation, role,
    date_from, date_to, sort, page (in the order their messages are given)."""

    q = ValuesField(keep_controls=True)
    type = ValuesField()
    speaker = ValuesField()
    mentioned = ValuesField()
    affiliation = ValuesField()
    source = ValuesField()
    topic = ValuesField()
    year = ValuesField()
    provision = ValuesField()
    relation = ValuesField()
    role = ValuesField()
    date_from = ValuesField()
    date_to = ValuesField()
    verified = ValuesField()
    sort = ValuesField()
    page = ValuesField()

    LOOKUPS = {
        "speaker": lambda slugs: public_actors().filter(slug__in=slugs),
        "mentioned": lambda slugs: public_actors().filter(slug__in=slugs),
        "affiliation": lambda slugs: public_actors().filter(slug__in=slugs),
        "source": lambda slugs: Source.objects.filter(slug__in=slugs),
        "topic": lambda slugs: Topic.objects.filter(slug__in=slugs),
    }

    def __init__(self, params):
        super().__init__(as_query_dict(params))
        self.messages: list[str] = []
        self.labels: dict = {}

    @classmethod
    def dropped(cls, params) -> list[str]:
        """What the search would leave out of these parameters, in words (empty when it takes them all)."""
        form = cls(params)
        form.is_valid()
        return form.messages

    @property
    def cleaned(self) -> dict:
        """The cleaned parameters (the form is always valid: nothing in it is an error)."""
        self.is_valid()
        return {**self.cleaned_data, "labels": self.labels}

    def clean_q(self) -> str:
        values = self.cleaned_data["q"]
        return values[0] if values else ""

    def clean_type(self) -> str:
        kind = (self.cleaned_data["type"] or [""])[0].lower()
        if kind and kind not in TYPES:
            kind = TYPE_WORDS.get(kind, "")
            if not kind:
                self.messages.append("Unknown result type; showing every type.")
        return kind

    def _known_slugs(self, name: str) -> list[str]:
        values = list(dict.fromkeys(v[:MAX_VALUE_CHARS] for v in self.cleaned_data[name]))[:MAX_VALUES]
        known = {obj.slug: obj.name for obj in self.LOOKUPS[name](values)} if values else {}
        unknown = [v for v in values if v not in known]
        if unknown:
            self.messages.append(f"Unknown {name} “{unknown[0]}”; that filter was ignored.")
        self.labels.update({(name, slug): label for slug, label in known.items()})
        return [v for v in values if v in known]

    def clean_speaker(self) -> list[str]:
        return self._known_slugs("speaker")

    def clean_mentioned(self) -> list[str]:
        return self._known_slugs("mentioned")

    def clean_affiliation(self) -> list[str]:
        return self._known_slugs("affiliation")

    def clean_source(self) -> list[str]:
        return self._known_slugs("source")

    def clean_topic(self) -> list[str]:
        return self._known_slugs("topic")

    def clean_year(self) -> list[str]:
        years = []
        for value in self.cleaned_data["year"][:MAX_VALUES]:
            if is_year(value):
                years.append(value)
            else:
                self.messages.append(f"“{value[:20]}” is not a year; that filter was ignored.")
        return list(dict.fromkeys(years))

    def clean_provision(self) -> list[str]:
        """Agreement provisions as "agreement-slug/provision-slug" (the facet's values) or by id."""
        values = list(dict.fromkeys(v[:MAX_VALUE_CHARS] for v in self.cleaned_data["provision"]))[:MAX_VALUES]
        # The API's other endpoints name a provision by its id: the search takes that too.
        ids = provision_keys_by_id([v for v in values if v.isdecimal()])
        values = list(dict.fromkeys(ids.get(v, v) for v in values))
        known = provision_labels(values) if values else {}
        unknown = [v for v in values if v not in known]
        if unknown:
            self.messages.append(f"Unknown provision “{unknown[0]}”; that filter was ignored.")
        self.labels.update({("provision", key): label for key, label in known.items()})
        return [v for v in values if v in known]

    def clean_relation(self) -> list[str]:
        """How a statement speaks about a provision: claims_kept, claims_broken, demands, promises, ..."""
        relations = dict(StatementProvisionLink.Relation.choices)
        values = []
        for value in self.cleaned_data["relation"][:MAX_VALUES]:
            if value.lower() in relations:
                values.append(value.lower())
                self.labels[("relation", value.lower())] = relations[value.lower()]
            else:
                self.messages.append(f"Unknown relation “{value[:40]}”; that filter was ignored.")
        return list(dict.fromkeys(values))

    def clean_role(self) -> list[str]:
        """Role words ("spokesman", "special envoy"), each value a filter of its own; a value with no word
        a role is filed under ("of the") is ignored with a message."""
        roles = []
        for value in self.cleaned_data["role"][:MAX_VALUES]:
            value = " ".join(value[:MAX_VALUE_CHARS].split())
            if role_words(value):
                roles.append(value)
            else:
                self.messages.append(f"“{value[:20]}” names no role; that filter was ignored.")
        return list(dict.fromkeys(roles))

    def _date(self, name: str, end: bool) -> datetime.date | None:
        raw = (self.cleaned_data[name] or [""])[0]
        value = parse_date(raw, end=end) if raw else None
        if raw and value is None:
            self.messages.append(f"“{raw[:20]}” is not a date (use YYYY-MM-DD); that limit was ignored.")
        return value

    def clean_date_from(self) -> datetime.date | None:
        return self._date("date_from", end=False)

    def clean_date_to(self) -> datetime.date | None:
        date_to = self._date("date_to", end=True)
        date_from = self.cleaned_data.get("date_from")
        if date_from and date_to and date_from > date_to:
            self.cleaned_data["date_from"], date_to = date_to, date_from
            self.messages.append("The start date was after the end date, so the two were swapped.")
        return date_to

    def clean_verified(self) -> bool:
        """Verified statements only: 1, true, yes or on (the search page's checkbox); anything else is off."""
        return (self.cleaned_data["verified"] or [""])[0].lower() in {"1", "true", "yes", "on"}

    def clean_sort(self) -> str:
        sort = (self.cleaned_data["sort"] or [""])[0].lower()
        if sort and sort not in SORTS:
            self.messages.append("Unknown sort order; sorted by relevance.")
            sort = ""
        return sort

    def clean_page(self) -> int:
        raw = (self.cleaned_data["page"] or [""])[0]
        if raw.lower() == "last":
            # Past any real page: the search shows the last one.
            self.cleaned_data["requested_page"] = "last"
            return MAX_PAGE
        page = 1
        if raw:
            try:
                page = int(raw)
            except ValueError:
                page = 0
            if page < 1:
                self.messages.append("Page numbers start at 1; showing the first page.")
                page = 1
        self.cleaned_data["requested_page"] = page
        return min(page, MAX_PAGE)


def parse_date(value: str, end: bool = False) -> datetime.date | None:
    """'2020-02-29', '2020-02' or '2020' (the last day of the month or year when `end`), years 1900–2100."""
    value = value.strip()
    if not is_year(value[:4]):
        # The index stores dates as timestamps; a year such as 0021 (a date picker's half-typed year)
        # is no date of this archive, and not one the index can take either.
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value):
            return datetime.date(*map(int, value.split("-")))
        if re.fullmatch(r"\d{4}-\d{1,2}", value):
            year, month = map(int, value.split("-"))
            if not end:
                return datetime.date(year, month, 1)
            following = datetime.date(year + month // 12, month % 12 + 1, 1)
            return following - datetime.timedelta(days=1)
        if re.fullmatch(r"\d{4}", value):
            return datetime.date(int(value), 12, 31) if end else datetime.date(int(value), 1, 1)
    except ValueError:
        return None
    return None


def is_year(value: str) -> bool:
    """Four ASCII digits from 1900 to 2100 (str.isdigit also accepts "²", which int() refuses)."""
    return re.fullmatch(r"[0-9]{4}", value) is not None and 1900 <= int(value) <= 2100


def has_filters(cleaned: dict) -> bool:
    return bool(
        cleaned["type"]
        or any(cleaned[p] for p in FILTER_PARAMS)
        or cleaned.get("role")
        or cleaned["date_from"]
        or cleaned["date_to"]
        or cleaned.get("verified")
    )
