"""Names typed in a query: field filter values resolved to index values, actors' names widened to all their aliases."""

import difflib
import re

from django.db.models import Q
from django.utils.text import slugify

from archive.models import Actor, Alias, Source, Topic
from archive.roles import role_words
from archive.search.facets import TYPE_WORDS, TYPES
from archive.search.forms import is_year
from archive.search.query import ParsedQuery, Term
from archive.search.suggestions import name_words
from archive.search.visibility import shown_among
from archive.text import TITLES, normalize_name, strip_accents

MAX_ALIAS_WORDS = 6
_VOWELS = re.compile(r"[aeiouy]+")
_DOUBLE = re.compile(r"(.)\1+")


def skeleton(word: str) -> str:
    """A transliterated name's shape: its consonants, with each run of vowels as one mark. Mujahid and
    Mujahed, Baradar and Barader, Zalmay and Zalmai have the same; a misspelling that drops a vowel
    (Khalilzd) does not, and is left to "Did you mean"."""
    word = _DOUBLE.sub(r"\1", strip_accents(word).casefold())
    return word[:1] + _VOWELS.sub("*", word[1:])


def name_words_by_skeleton() -> dict[str, set[str]]:
    """{skeleton: words of the public actors' names and aliases} (from the cached name words)."""
    by_skeleton: dict[str, set[str]] = {}
    for word in name_words():
        if word.isalpha():
            by_skeleton.setdefault(skeleton(word), set()).add(strip_accents(word).casefold())
    return by_skeleton


def respell_names(parsed: ParsedQuery, unknown, messages: list[str]) -> set[str]:
    """Typed words the index does not hold that are another transliteration of a word of an actor's
    name ("Mujahed", "Barader") are searched as that word; returns the words respelled."""
    candidates = [
        t
        for t in parsed.terms()
        if t.kind == "word" and not t.negated and t.text in unknown and len(t.text) >= 4 and not t.text.isdigit()
    ]
    if not candidates:
        return set()
    by_skeleton = name_words_by_skeleton()
    respelled = set()
    for term in candidates:
        words = by_skeleton.get(skeleton(term.text), set()) - {term.text}
        if not words:
            continue
        best = max(sorted(words), key=lambda w: difflib.SequenceMatcher(None, term.text, w).ratio())
        messages.append(f"“{term.text}” is not in the archive; it was searched as the name “{best}”.")
        respelled.add(term.text)
        term.text = best
    return respelled


def resolve_actor(value: str):
    """The actor a typed name means: an alias, a slug, or whole words of exactly one actor's aliases."""
    actor = Alias.objects.resolve(value)
    if actor is None:
        actor = Actor.objects.filter(slug=slugify(value)).first()
    if actor is not None and not shown_among({actor.pk}):
        return None  # an actor the site does not show is never named by search
    if actor is None:
        key = normalize_name(value)
        if not key or all(word in TITLES for word in key.split()):
            return None  # "mr", "president": a title alone names nobody in particular
        words = (
            Q(normalized__startswith=f"{key} ") | Q(normalized__endswith=f" {key}") | Q(normalized__contains=f" {key} ")
        )
        matches = shown_among(set(Alias.objects.filter(words).values_list("actor_id", flat=True)[:50]))
        actor = Actor.objects.get(pk=matches.pop()) if len(matches) == 1 else None
    return actor


def resolve_named(model, value: str):
    obj = model.objects.filter(slug=slugify(value)).first() or model.objects.filter(name__iexact=value).first()
    if obj is None:
        matches = list(model.objects.filter(name__icontains=value)[:2])
        obj = matches[0] if len(matches) == 1 else None
    return obj


# Filters whose values are names of several words: typed unquoted, the words after the value may belong to it.
JOINABLE = ("speaker", "affiliation", "source", "topic")
MAX_FILTER_WORDS = 4


def names_exactly(field: str, value: str) -> bool:
    """Whether `value` is exactly a slug or a name (an alias, for actors) of something the filter takes."""
    if field in ("speaker", "affiliation"):
        return Alias.objects.resolve(value) is not None or Actor.objects.filter(slug=slugify(value)).exists()
    model = Source if field == "source" else Topic
    return model.objects.filter(Q(slug=slugify(value)) | Q(name__iexact=value)).exists()


def join_filter_words(parsed: ParsedQuery) -> None:
    """An unquoted filter value followed by words that complete a name (source:al jazeera, topic:prisoner
    release, speaker:zalmay khalilzad) takes those words, the longest run that names something exactly."""
    clauses, i = [], 0
    while i < len(parsed.clauses):
        clause = parsed.clauses[i]
        clauses.append(clause)
        term = clause.terms[0]
        i += 1
        if len(clause.terms) != 1 or term.kind != "filter" or term.field not in JOINABLE or " " in term.text:
            continue
        following = []
        for later in parsed.clauses[i : i + MAX_FILTER_WORDS - 1]:
            word = later.terms[0]
            if len(later.terms) != 1 or word.kind != "word" or word.negated:
                break
            following.append(word.text)
        for n in range(len(following), 0, -1):
            value = " ".join([term.text, *following[:n]])
            if names_exactly(term.field, value):
                term.text = value
                i += n
                break
    parsed.clauses = clauses


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
    elif term.field == "role":
        words = role_words(value)
        if words:  # every word must be one the role is filed under
            resolved, label = " ".join(words), value
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
    aliases = list(Alias.objects.filter(normalized__in=list(candidates)).select_related("actor"))
    # Publicness asked of the few actors found, not joined into the alias lookup (which would ask
    # it of every actor on every search).
    shown = shown_among({alias.actor_id for alias in aliases})
    found = {alias.normalized: alias.actor for alias in aliases if alias.actor_id in shown}
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
