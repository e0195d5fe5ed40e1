"""The search read path: GET parameters in, a SearchOutcome out (for the page, the API and exports).

The query is parsed by ``archive.search.query`` into terms, recognised actor names are widened to
all their aliases and their statements, and the backend query is built with haystack's SearchQuerySet
and SQ objects only, so the same code runs on Whoosh and on Elasticsearch.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from haystack.inputs import Clean, Exact
from haystack.query import SQ, SearchQuerySet

from archive.models import Article, SearchSynonym, Statement
from archive.roles import role_words
from archive.search.analysis import COMPOUNDS, fold_word
from archive.search.facets import FACETS, FILTER_FIELDS, FILTER_PARAMS, TYPES, build_facets
from archive.search.forms import SearchForm, has_filters
from archive.search.highlight import highlight, query_stems
from archive.search.names import expand_actors, join_filter_words, resolve_filter, respell_names
from archive.search.query import ParsedQuery, Term, parse
from archive.search.suggestions import suggest, unknown_words
from archive.search.visibility import public_actors
from archive.text import normalize_term

logger = logging.getLogger(__name__)

PER_PAGE = 20
# What a statement result shows (search/includes/statement_result.html, SearchHit, the public check):
# twenty rows of five tables carry no more columns than that.
STATEMENT_HIT_FIELDS = (
    *("text", "kind", "said_to", "date", "date_from_article", "review_status", "speaker_description"),
    *("speaker__name", "speaker__slug", "speaker__role", "speaker__kind"),
    *("speaker__affiliation__name", "speaker__affiliation__slug"),
    *("article__title", "article__slug", "article__status", "article__published_date", "article__date_precision"),
    *("article__source__name", "article__source__slug"),
)
# What an article result shows (search/includes/article_result.html): the body for its snippet.
ARTICLE_HIT_FIELDS = (
    *("title", "slug", "body", "status", "published_date", "date_precision", "dateline"),
    *("source__name", "source__slug"),
)


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
    also_searched: list = field(default_factory=list)  # [(typed, [synonyms searched with it])]
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

    def statements_among(self, pks, batch_size: int = 200) -> set[int]:
        """Which of these statement ids the search matches (what the index holds for them)."""
        if not self.searched or self._sqs is None:
            return set()
        pks = sorted(set(pks))
        found = set()
        for start in range(0, len(pks), batch_size):
            batch = pks[start : start + batch_size]
            wanted = SQ(django_id=Exact(str(batch[0])))
            for pk in batch[1:]:
                wanted |= SQ(django_id=Exact(str(pk)))
            sqs = self._sqs.filter(SQ(doc_type=Exact("statement"))).filter(wanted)
            found.update(int(result.pk) for result in sqs[: len(batch)] if result.model_name == "statement")
        return found

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


# --- building the backend query --------------------------------------------------------------------


def text_sq(text: str) -> SQ:
    return SQ(content=Exact(text)) if " " in text else SQ(content=Clean(text))


def term_sq(term: Term) -> SQ:
    if term.kind in ("word", "phrase"):
        sq = SQ(content=Exact(term.text)) if term.kind == "phrase" else SQ(content=Clean(term.text))
        for other in term.also:
            sq |= text_sq(other)
    elif term.kind == "filter" and term.field == "role":
        sq = role_sq(term.text)
    elif term.kind == "filter":
        sq = SQ(**{FILTER_FIELDS[term.field]: Exact(term.text)})
    else:  # an actor: any of their names, or their own words
        sq = SQ(speaker=Exact(term.slug))
        for name in term.names:
            sq |= text_sq(name)
    return ~sq if term.negated else sq


def role_sq(value: str) -> SQ:
    """Documents whose role words hold every word of `value` (as ``archive.roles.role_words`` files it):
    exact matches on the unanalysed role field, which every engine answers alike."""
    sq = None
    for word in role_words(value):
        part = SQ(role=Exact(word))
        sq = part if sq is None else sq & part
    return sq


def clause_sq(clause) -> SQ:
    sq = None
    for term in clause.terms:
        part = term_sq(term)
        sq = part if sq is None else sq | part
    return sq


# --- widening the query ---------------------------------------------------------------------------


def join_compounds(parsed: ParsedQuery) -> None:
    """Typed words that together spell one word of the index ("cease fire", "al Qaida") become that
    phrase, which the analysis folds as it folds the text."""
    longest = max(len(words) for words in COMPOUNDS)
    clauses, i = [], 0
    while i < len(parsed.clauses):
        for n in range(min(longest, len(parsed.clauses) - i), 1, -1):
            run = parsed.clauses[i : i + n]
            terms = [c.terms[0] for c in run]
            if all(len(c.terms) == 1 and t.kind == "word" and not t.negated for c, t in zip(run, terms, strict=True)):
                if tuple(fold_word(t.text) for t in terms) in COMPOUNDS:
                    clauses.append(type(run[0])([Term("phrase", " ".join(t.text for t in terms))]))
                    i += n
                    break
        else:
            clauses.append(parsed.clauses[i])
            i += 1
    parsed.clauses = clauses


def expand_synonyms(parsed: ParsedQuery) -> list[tuple[str, list[str]]]:
    """Words and phrases editors declared synonyms of a typed one are searched with it; returns
    [(typed, [synonyms])] for the page to say so."""
    typed = [t for t in parsed.terms() if t.kind in ("word", "phrase") and not t.negated]
    if not typed:
        return []
    found = SearchSynonym.objects.expansions(normalize_term(t.text) for t in typed)
    notes = []
    for term in typed:
        also = found.get(normalize_term(term.text))
        if also:
            term.also = tuple(also)
            notes.append((term.text, list(also)))
    return notes


# --- running ---------------------------------------------------------------------------------------


def search(params: Mapping, per_page: int = PER_PAGE, page_fields: bool = False) -> SearchOutcome:
    """Run a search from the page's GET parameters (q, type, speaker, affiliation, source, topic,
    year, role, date_from, date_to, sort, page), with `per_page` results a page; with `page_fields`, the
    results carry only what the search page shows of them (``load_hits``)."""
    form = SearchForm(params)
    cleaned = form.cleaned
    messages = form.messages
    parsed = parse(cleaned["q"])
    messages[:0] = parsed.messages
    join_filter_words(parsed)
    parsed.clauses = [
        type(clause)([resolve_filter(t, messages) if t.kind == "filter" else t for t in clause.terms])
        for clause in parsed.clauses
    ]
    join_compounds(parsed)
    also_searched = expand_synonyms(parsed)
    unknown = unknown_words(parsed) if not parsed.is_empty else {}
    respelled = respell_names(parsed, set(unknown), messages)
    actors = expand_actors(parsed)
    outcome = SearchOutcome(query=parsed, params=cleaned, messages=messages, actors=actors, per_page=per_page)
    outcome.also_searched = also_searched
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
            sqs = sqs.filter(SQ(**{FILTER_FIELDS[name]: Exact(value)}))
    for value in cleaned["role"]:
        sqs = sqs.filter(role_sq(value))
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
    # The entries of the actors the query names come first when ranking by relevance; the rest
    # keeps its order.
    pinned = _pinned_actors(ordered, actors) if sort == "relevance" and cleaned["type"] in ("", "actor") else []
    query = _run(sqs, page, per_page, len(pinned))
    total = query.get_count()
    num_pages = max(1, -(-total // per_page)) if total else 0
    if total and page > num_pages:
        if cleaned["requested_page"] != "last":
            messages.append(
                f"There is no page {cleaned['requested_page']}: the results fill {num_pages}. Showing the last page."
            )
        page = num_pages
        query = _run(sqs, page, per_page, len(pinned))
        total = query.get_count()
    results = _page_after_pinned(query.get_results(), pinned, page, per_page)
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
    outcome.results = load_hits(results, stems, page_fields)
    outcome._sqs = ordered
    outcome._stems = stems
    cleaned["sort"] = sort
    outcome.suggestion = suggest(parsed, unknown, skip=respelled)
    return outcome


def _run(sqs, page: int, per_page: int = PER_PAGE, pinned: int = 0):
    """The query run for one page; with pinned results, from the first result on (they are taken
    out of the ranking wherever they fall in it)."""
    query = sqs._clone().query
    start = (page - 1) * per_page
    query.set_limits(0 if pinned else start, start + per_page)
    query.run()
    return query


def _pinned_actors(sqs, actors) -> list:
    """The results of the named actors' own entries that match the query, in the order named."""
    if not actors:
        return []
    query = sqs.filter(SQ(doc_type=Exact("actor")))
    wanted = SQ(django_id=Exact(str(actors[0].pk)))
    for actor in actors[1:]:
        wanted |= SQ(django_id=Exact(str(actor.pk)))
    found = {int(r.pk): r for r in query.filter(wanted)[: len(actors)]}
    return [found[a.pk] for a in actors if a.pk in found]


def _page_after_pinned(results, pinned, page: int, per_page: int) -> list:
    """One page of the ranking with the pinned results first: `results` is the ranking from its
    first result when anything is pinned, the page itself otherwise."""
    if not pinned:
        return list(results)
    keys = {(r.model_name, str(r.pk)) for r in pinned}
    rest = [r for r in results if (r.model_name, str(r.pk)) not in keys]
    start = (page - 1) * per_page - len(pinned)
    if page == 1:
        return list(pinned) + rest[: per_page - len(pinned)]
    return rest[start : start + per_page]


def load_hits(results, stems: frozenset | None, page_fields: bool = False) -> list[SearchHit]:
    """SearchHits for haystack results, in order; results whose object is gone or no longer public
    (the index not yet updated) are left out. With `page_fields`, only the fields the search page shows
    of articles and statements are loaded (ARTICLE_HIT_FIELDS, STATEMENT_HIT_FIELDS)."""
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
        articles = Article.objects.select_related("source").order_by()
        if page_fields:
            articles = articles.only(*ARTICLE_HIT_FIELDS)
        else:
            articles = articles.defer("raw_text", "editor_notes")
        articles = articles.in_bulk(pks["article"])
        objects["article"] = {pk: a for pk, a in articles.items() if a.is_public}
    if pks.get("statement"):
        statements = Statement.objects.select_related(
            "speaker", "speaker__affiliation", "article", "article__source"
        ).with_speaker_roles()
        if page_fields:
            statements = statements.only(*STATEMENT_HIT_FIELDS)
        else:
            statements = statements.defer("article__body", "article__raw_text", "article__editor_notes")
        statements = statements.order_by().in_bulk(pks["statement"])  # fetched by key: no ordering to compile
        objects["statement"] = {
            pk: s
            for pk, s in statements.items()
            if s.article.is_public and s.review_status != Statement.ReviewStatus.REJECTED
        }
    if pks.get("actor"):
        # Re-checked here too: an actor hidden since it was indexed never shows.
        objects["actor"] = public_actors().select_related("affiliation").order_by().in_bulk(pks["actor"])
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
