"""Search as a service: GET parameters in, a SearchOutcome out (for the page, the API and exports).

The query is parsed by ``archive.search.query`` into terms, recognised actor names are widened to
all their aliases and their statements, and the backend query is built with haystack's SearchQuerySet
and SQ objects only, so the same code runs on Whoosh and on Elasticsearch.
"""

import datetime
import difflib
import logging
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Q
from django.utils.text import slugify
from haystack import connections
from haystack.inputs import Clean, Exact
from haystack.query import SQ, SearchQuerySet

from archive.models import Actor, Alias, Article, Source, Statement, Topic
from archive.search.highlight import highlight, query_stems
from archive.search.query import ParsedQuery, Term, parse, strip_controls
from archive.text import TITLES, normalize_name

logger = logging.getLogger(__name__)

PER_PAGE = 20
MAX_PAGE = 10_000
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
FACETS = {  # parameter -> (index field, heading, how many values to show)
    "type": ("doc_type", "Type", 3),
    "speaker": ("speaker", "Speaker or actor", 12),
    "affiliation": ("affiliation", "Side", 10),
    "source": ("source", "Source", 10),
    "topic": ("topic", "Topic", 15),
    "year": ("year", "Year", 20),
}
FILTER_PARAMS = ("speaker", "affiliation", "source", "topic", "year")
MAX_ALIAS_WORDS = 6


class FacetValue(NamedTuple):
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchHit:
    """One result, ready to show or export."""

    type: str
    pk: int
    title: str
    url: str
    snippet: str
    date: datetime.date | None
    date_display: str
    object: object = None
    score: float = 0.0


@dataclass
class SearchOutcome:
    query: ParsedQuery
    params: dict
    messages: list[str] = field(default_factory=list)
    searched: bool = False
    total: int = 0
    type_counts: dict = field(default_factory=dict)
    facets: dict = field(default_factory=dict)
    results: list[SearchHit] = field(default_factory=list)
    page: int = 1
    num_pages: int = 0
    per_page: int = PER_PAGE
    suggestion: str | None = None
    actors: list = field(default_factory=list)
    _sqs: object = None
    _stems: frozenset = frozenset()

    @property
    def actor(self):
        """The actor the query names, if any (the first when it names several)."""
        return self.actors[0] if self.actors else None

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.results else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.results) - 1 if self.results else 0

    def iter_all(self, batch_size: int = 500, snippets: bool = False) -> Iterator[SearchHit]:
        """Every matching result in the outcome's order, fetched lazily in batches (for exports)."""
        if not self.searched or self._sqs is None:
            return
        start = 0
        while True:
            query = self._sqs._clone().query
            query.set_limits(start, start + batch_size)
            query.run()
            batch = query.get_results()
            if not batch:
                return
            yield from load_hits(batch, self._stems if snippets else None)
            if len(batch) < batch_size:
                return
            start += batch_size


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


# --- resolving names typed in the query -----------------------------------------------------------


def resolve_actor(value: str):
    """The actor a typed name means: an alias, a slug, or whole words of exactly one actor's aliases."""
    actor = Alias.objects.resolve(value)
    if actor is None:
        actor = Actor.objects.filter(slug=slugify(value)).first()
    if actor is None:
        key = normalize_name(value)
        if not key or all(word in TITLES for word in key.split()):
            return None  # "mr", "president": a title alone names nobody in particular
        words = (
            Q(normalized__startswith=f"{key} ") | Q(normalized__endswith=f" {key}") | Q(normalized__contains=f" {key} ")
        )
        matches = set(Alias.objects.filter(words).values_list("actor_id", flat=True)[:50])
        actor = Actor.objects.get(pk=matches.pop()) if len(matches) == 1 else None
    return actor


def resolve_named(model, value: str):
    obj = model.objects.filter(slug=slugify(value)).first() or model.objects.filter(name__iexact=value).first()
    if obj is None:
        matches = list(model.objects.filter(name__icontains=value)[:2])
        obj = matches[0] if len(matches) == 1 else None
    return obj


def resolve_filter(term: Term, messages: list[str]) -> Term:
    """A typed field filter with its value turned into an index value, or plain words if unknown."""
    value = term.text
    resolved, label = None, ""
    if term.field in ("speaker", "affiliation"):
        actor = resolve_actor(value)
        if actor is not None:
            target = actor.side if term.field == "affiliation" else actor
            resolved, label = target.slug, target.name
    elif term.field == "source":
        source = resolve_named(Source, value)
        if source:
            resolved, label = source.slug, source.name
    elif term.field == "topic":
        topic = resolve_named(Topic, value)
        if topic:
            resolved, label = topic.slug, topic.name
    elif term.field == "year":
        if is_year(value):
            resolved = label = value
    elif term.field == "type":
        kind = TYPE_WORDS.get(value.replace(" ", ""))
        if kind:
            resolved, label = kind, TYPES[kind]
    if resolved is None:
        messages.append(f"No {term.field} matches “{value}”, so it was searched as words.")
        words = value.split()
        kind = "word" if len(words) == 1 else "phrase"
        return Term(kind, value, negated=term.negated)
    return Term("filter", resolved, field=term.field, negated=term.negated, label=label)


def drop_contained(names) -> set[str]:
    """Names without those that contain another one: "zalmay khalilzad" adds nothing to "khalilzad"."""
    names = set(names)
    return {name for name in names if not any(other != name and f" {other} " in f" {name} " for other in names)}


def expand_actors(parsed: ParsedQuery) -> list:
    """Replace runs of words (and phrases) that name an actor by that actor with all their names."""
    runs: list[list[int]] = []  # indexes of clauses holding one positive word, consecutive
    current: list[int] = []
    for i, clause in enumerate(parsed.clauses):
        term = clause.terms[0]
        if len(clause.terms) == 1 and not term.negated and term.kind == "word":
            current.append(i)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)

    candidates: dict[str, None] = {}
    for run in runs:
        words = [parsed.clauses[i].terms[0].text for i in run]
        for a in range(len(words)):
            for b in range(a + 1, min(len(words), a + MAX_ALIAS_WORDS) + 1):
                candidates[normalize_name(" ".join(words[a:b]))] = None
    phrase_terms = [t for c in parsed.clauses for t in c.terms if t.kind == "phrase"]
    for term in phrase_terms:
        candidates[normalize_name(term.text)] = None
    candidates.pop("", None)
    if not candidates:
        return []
    found = {
        alias.normalized: alias.actor
        for alias in Alias.objects.filter(normalized__in=list(candidates)).select_related("actor")
    }
    if not found:
        return []
    actors: dict[int, Actor] = {}
    names_of: dict[int, tuple[str, ...]] = {}

    def actor_term(actor, label, negated=False) -> Term:
        if actor.pk not in names_of:
            names = {" ".join(re.findall(r"\w+", actor.name.lower()))}
            names |= {" ".join(re.findall(r"\w+", a.name.lower())) for a in actor.aliases.all()}
            names_of[actor.pk] = tuple(sorted(drop_contained(n for n in names if n)))
        actors.setdefault(actor.pk, actor)
        return Term("actor", actor.name, negated=negated, label=label, names=names_of[actor.pk], slug=actor.slug)

    replacement: dict[int, tuple[int, Term]] = {}  # first clause index -> (clauses consumed, term)
    for run in runs:
        words = [parsed.clauses[i].terms[0].text for i in run]
        a = 0
        while a < len(words):
            for b in range(min(len(words), a + MAX_ALIAS_WORDS), a, -1):
                actor = found.get(normalize_name(" ".join(words[a:b])))
                if actor is not None:
                    label = " ".join(words[a:b])
                    replacement[run[a]] = (b - a, actor_term(actor, label))
                    a = b
                    break
            else:
                a += 1
    for clause in parsed.clauses:
        for n, term in enumerate(clause.terms):
            if term.kind == "phrase":
                actor = found.get(normalize_name(term.text))
                if actor is not None:
                    clause.terms[n] = actor_term(actor, f'"{term.text}"', term.negated)
    if replacement:
        clauses, i = [], 0
        while i < len(parsed.clauses):
            if i in replacement:
                consumed, term = replacement[i]
                clauses.append(type(parsed.clauses[i])([term]))
                i += consumed
            else:
                clauses.append(parsed.clauses[i])
                i += 1
        parsed.clauses = clauses
    return [actors[pk] for pk in dict.fromkeys(actors)]


# --- building the backend query --------------------------------------------------------------------


def term_sq(term: Term) -> SQ:
    if term.kind == "word":
        sq = SQ(content=Clean(term.text))
    elif term.kind == "phrase":
        sq = SQ(content=Exact(term.text))
    elif term.kind == "filter":
        index_field = FACETS[term.field][0]
        sq = SQ(**{index_field: Exact(term.text)})
    else:  # an actor: any of their names, or their own words
        sq = SQ(speaker=Exact(term.slug))
        for name in term.names:
            sq |= SQ(content=Exact(name)) if " " in name else SQ(content=Clean(name))
    return ~sq if term.negated else sq


def clause_sq(clause) -> SQ:
    sq = None
    for term in clause.terms:
        part = term_sq(term)
        sq = part if sq is None else sq | part
    return sq


# --- cleaning parameters ---------------------------------------------------------------------------


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
    cleaned["verified"] = _first(params, "verified").lower() in {"1", "true", "yes", "on"}

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
    return bool(
        cleaned["type"]
        or any(cleaned[p] for p in FILTER_PARAMS)
        or cleaned["date_from"]
        or cleaned["date_to"]
        or cleaned.get("verified")
    )


# --- running ---------------------------------------------------------------------------------------


def search(params: Mapping, per_page: int = PER_PAGE) -> SearchOutcome:
    """Run a search from the page's GET parameters (q, type, speaker, affiliation, source, topic,
    year, date_from, date_to, sort, page), with `per_page` results a page."""
    messages: list[str] = []
    cleaned = clean_params(params, messages)
    parsed = parse(cleaned["q"])
    messages[:0] = parsed.messages
    parsed.clauses = [
        type(clause)([resolve_filter(t, messages) if t.kind == "filter" else t for t in clause.terms])
        for clause in parsed.clauses
    ]
    actors = expand_actors(parsed)
    outcome = SearchOutcome(query=parsed, params=cleaned, messages=messages, actors=actors, per_page=per_page)
    if parsed.is_empty and not has_filters(cleaned):
        if cleaned["q"].strip():
            messages.append("The query had nothing to search for.")
        return outcome

    sqs = SearchQuerySet()
    if not parsed.has_positive and not has_filters(cleaned) and not any(t.kind == "filter" for t in parsed.terms()):
        # Only exclusions: exclude them from everything.
        messages.append("The query only excludes words, so it searched everything else.")
    for clause in parsed.clauses:
        sqs = sqs.filter(clause_sq(clause))
    for name in FILTER_PARAMS:
        for value in cleaned[name]:
            sqs = sqs.filter(SQ(**{FACETS[name][0]: Exact(value)}))
    if cleaned["date_from"]:
        sqs = sqs.filter(date__gte=cleaned["date_from"])
    if cleaned["date_to"]:
        sqs = sqs.filter(date__lte=cleaned["date_to"])
    if cleaned.get("verified"):
        # Verified statements only: statements awaiting review leave the results (articles and actors stay).
        sqs = sqs.exclude(review=Exact(Statement.ReviewStatus.EXTRACTED))
    untyped = sqs
    if cleaned["type"]:
        sqs = sqs.filter(doc_type=Exact(cleaned["type"]))
    sort = cleaned["sort"] or ("relevance" if parsed.has_positive else "newest")
    if sort == "newest":
        sqs = sqs.order_by("-date")
    elif sort == "oldest":
        sqs = sqs.order_by("date")
    ordered = sqs  # without facets: what exports iterate over
    for facet_field, _, _ in FACETS.values():
        sqs = sqs.facet(facet_field)

    page = cleaned["page"]
    query = _run(sqs, page, per_page)
    total = query.get_count()
    num_pages = max(1, -(-total // per_page)) if total else 0
    if total and page > num_pages:
        if cleaned["requested_page"] != "last":
            messages.append(
                f"There is no page {cleaned['requested_page']}: the results fill {num_pages}. Showing the last page."
            )
        page = num_pages
        query = _run(sqs, page, per_page)
        total = query.get_count()
    facet_counts = (query.get_facet_counts() or {}).get("fields", {})
    if cleaned["type"]:
        type_query = untyped.facet("doc_type")._clone().query
        type_query.set_limits(0, 0)
        type_query.run()
        type_counts = dict((type_query.get_facet_counts() or {}).get("fields", {}).get("doc_type", []))
    else:
        type_counts = dict(facet_counts.get("doc_type", []))

    stems = query_stems(parsed.highlight_terms())
    outcome.searched = True
    outcome.total = total
    outcome.page = page
    outcome.num_pages = num_pages
    outcome.type_counts = {kind: type_counts.get(kind, 0) for kind in TYPES}
    outcome.facets = build_facets(facet_counts, cleaned, outcome.type_counts)
    outcome.results = load_hits(query.get_results(), stems)
    outcome._sqs = ordered
    outcome._stems = stems
    cleaned["sort"] = sort
    outcome.suggestion = suggest(parsed, total)
    return outcome


def _run(sqs, page: int, per_page: int = PER_PAGE):
    query = sqs._clone().query
    start = (page - 1) * per_page
    query.set_limits(start, start + per_page)
    query.run()
    return query


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
    slugs = {
        p: [v for v, _ in wanted[p] if (p, v) not in labels] for p in ("speaker", "affiliation", "source", "topic")
    }
    actor_slugs = set(slugs["speaker"]) | set(slugs["affiliation"])
    if actor_slugs:
        names = dict(Actor.objects.filter(slug__in=actor_slugs).values_list("slug", "name"))
        for p in ("speaker", "affiliation"):
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


def load_hits(results, stems: frozenset | None) -> list[SearchHit]:
    """SearchHits for haystack results, in order; results whose object is gone or no longer public
    (the index not yet updated) are left out."""
    pks = defaultdict(list)
    for result in results:
        try:
            pks[result.model_name].append(int(result.pk))
        except (TypeError, ValueError):
            continue
    objects = {}
    # Fetched by primary key alone and checked for publicness here: a filter on status lets the
    # database planner scan the status index instead of looking up twenty rows.
    if pks.get("article"):
        articles = Article.objects.select_related("source").defer("raw_text", "editor_notes").in_bulk(pks["article"])
        objects["article"] = {pk: a for pk, a in articles.items() if a.is_public}
    if pks.get("statement"):
        statements = (
            Statement.objects.select_related("speaker", "speaker__affiliation", "article", "article__source")
            .defer("article__body", "article__raw_text", "article__editor_notes")
            .in_bulk(pks["statement"])
        )
        objects["statement"] = {
            pk: s
            for pk, s in statements.items()
            if s.article.is_public and s.review_status != Statement.ReviewStatus.REJECTED
        }
    if pks.get("actor"):
        objects["actor"] = Actor.objects.select_related("affiliation").in_bulk(pks["actor"])
    hits = []
    for result in results:
        try:
            obj = objects.get(result.model_name, {}).get(int(result.pk))
        except (TypeError, ValueError):
            obj = None
        if obj is None:
            continue
        hits.append(make_hit(result.model_name, obj, stems, result.score or 0.0))
    return hits


def make_hit(kind: str, obj, stems: frozenset | None, score: float = 0.0) -> SearchHit:
    def snippet(text, window):
        return highlight(text, stems, window) if stems is not None else ""

    if kind == "article":
        return SearchHit(
            "article", obj.pk, obj.title, obj.get_absolute_url(), snippet(obj.body, 40),
            obj.published_date, obj.date_display, obj, score,
        )  # fmt: skip
    if kind == "statement":
        url = obj.place_url
        return SearchHit(
            "statement", obj.pk, obj.speaker_label, url, snippet(obj.text, 80),
            obj.date, obj.date_display, obj, score,
        )  # fmt: skip
    text = " — ".join(part for part in (obj.role, obj.description) if part)
    return SearchHit("actor", obj.pk, obj.name, obj.get_absolute_url(), snippet(text, 40), None, "", obj, score)


# --- "Did you mean" --------------------------------------------------------------------------------


def _alias_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for name in list(Alias.objects.values_list("name", flat=True)) + list(Actor.objects.values_list("name", flat=True)):
        for word in re.findall(r"\w+", name):
            if len(word) >= 4 and not word.isdigit():
                words.setdefault(word.lower(), word)
    return words


def suggest(parsed: ParsedQuery, total: int) -> str | None:
    """A corrected query when some typed words are unknown to the index, or None."""
    words = [w for w in dict.fromkeys(parsed.positive_words()) if len(w) >= 4 and not w.isdigit()]
    if not words:
        return None
    backend = connections["default"].get_backend()
    known_word = getattr(backend, "known_word", None)
    suggest_word = getattr(backend, "suggest_word", None)
    if known_word is None:
        # Another backend (Elasticsearch): ask haystack for its suggestion when nothing was found.
        if total:
            return None
        try:
            suggestion = SearchQuerySet().spelling_suggestion(" ".join(words))
        except Exception:
            logger.exception("Spelling suggestion failed")
            return None
        return suggestion if suggestion and suggestion.lower() != " ".join(words) else None
    replacements: dict[str, str] = {}
    alias_words = None
    for word in words:
        if known_word(word):
            continue
        if alias_words is None:
            alias_words = _alias_words()
        close = difflib.get_close_matches(word, list(alias_words), n=1, cutoff=0.8)
        candidate = alias_words[close[0]] if close else (suggest_word(word) if suggest_word else None)
        if candidate and candidate.lower() != word:
            replacements[word] = candidate
    if not replacements:
        return None
    parts = []
    for clause in parsed.clauses:
        shown = []
        for term in clause.terms:
            if term.kind in ("word", "phrase") and not term.negated:
                text = " ".join(replacements.get(w, w) for w in term.text.split())
                shown.append(f'"{text}"' if term.kind == "phrase" else text)
            else:
                shown.append(term.display())
        parts.append(" OR ".join(shown))
    return " ".join(parts)
