"""The search page's GET parameters, cleaned: unknown values are dropped with a message, never an error."""

import datetime
import re
from collections.abc import Mapping

from archive.models import Actor, Source, Topic
from archive.search.facets import FILTER_PARAMS, SORTS, TYPE_WORDS, TYPES
from archive.search.query import strip_controls

MAX_PAGE = 10_000


def _values(params: Mapping, name: str) -> list[str]:
    if hasattr(params, "getlist"):
        values = params.getlist(name)
    else:
        value = params.get(name)
        values = value if isinstance(value, list | tuple) else [value] if value is not None else []
    # Control characters never belong in a filter value (and PostgreSQL refuses NUL in a query); the
    # search words keep theirs for the parser, which removes them and says so.
    clean = str if name == "q" else strip_controls
    values = [clean(str(v)).strip() for v in values if v is not None]
    return [v for v in values if v]


def _first(params: Mapping, name: str) -> str:
    values = _values(params, name)
    return values[0] if values else ""


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


def clean_params(params: Mapping, messages: list[str]) -> dict:
    cleaned = {"q": _first(params, "q")}
    kind = _first(params, "type").lower()
    if kind and kind not in TYPES:
        kind = TYPE_WORDS.get(kind, "")
        if not kind:
            messages.append("Unknown result type; showing every type.")
    cleaned["type"] = kind

    labels = {}
    lookups = {
        "speaker": lambda slugs: Actor.objects.filter(slug__in=slugs),
        "mentioned": lambda slugs: Actor.objects.filter(slug__in=slugs),
        "affiliation": lambda slugs: Actor.objects.filter(slug__in=slugs),
        "source": lambda slugs: Source.objects.filter(slug__in=slugs),
        "topic": lambda slugs: Topic.objects.filter(slug__in=slugs),
    }
    for name, lookup in lookups.items():
        values = list(dict.fromkeys(v[:200] for v in _values(params, name)))[:10]
        known = {obj.slug: obj.name for obj in lookup(values)} if values else {}
        unknown = [v for v in values if v not in known]
        if unknown:
            messages.append(f"Unknown {name} “{unknown[0]}”; that filter was ignored.")
        cleaned[name] = [v for v in values if v in known]
        labels.update({(name, slug): label for slug, label in known.items()})
    years = []
    for value in _values(params, "year")[:10]:
        if is_year(value):
            years.append(value)
        else:
            messages.append(f"“{value[:20]}” is not a year; that filter was ignored.")
    cleaned["year"] = list(dict.fromkeys(years))
    cleaned["labels"] = labels

    for name in ("date_from", "date_to"):
        raw = _first(params, name)
        value = parse_date(raw, end=name == "date_to") if raw else None
        if raw and value is None:
            messages.append(f"“{raw[:20]}” is not a date (use YYYY-MM-DD); that limit was ignored.")
        cleaned[name] = value
    if cleaned["date_from"] and cleaned["date_to"] and cleaned["date_from"] > cleaned["date_to"]:
        cleaned["date_from"], cleaned["date_to"] = cleaned["date_to"], cleaned["date_from"]
        messages.append("The start date was after the end date, so the two were swapped.")

    sort = _first(params, "sort").lower()
    if sort and sort not in SORTS:
        messages.append("Unknown sort order; sorted by relevance.")
        sort = ""
    cleaned["sort"] = sort

    raw_page = _first(params, "page")
    page = 1
    if raw_page.lower() == "last":
        # Past any real page: the search shows the last one.
        cleaned["page"] = MAX_PAGE
        cleaned["requested_page"] = "last"
        return cleaned
    if raw_page:
        try:
            page = int(raw_page)
        except ValueError:
            page = 0
        if page < 1:
            messages.append("Page numbers start at 1; showing the first page.")
            page = 1
    cleaned["page"] = min(page, MAX_PAGE)
    cleaned["requested_page"] = page
    return cleaned


def has_filters(cleaned: dict) -> bool:
    return bool(cleaned["type"] or any(cleaned[p] for p in FILTER_PARAMS) or cleaned["date_from"] or cleaned["date_to"])
