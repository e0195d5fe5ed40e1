"""'Did you mean': a corrected query when some typed words are unknown to the index."""

import difflib
import re
from collections.abc import Mapping

from django.core.cache import cache
from django.db.models import signals

from archive.models import Actor, Alias, Article, Statement, rows_changed
from archive.search.analysis import STOP_WORDS, fold_word
from archive.search.connections import engine
from archive.search.query import ParsedQuery
from archive.search.visibility import public_actors

NAME_WORDS_KEY = "archive:search:name-words"
NAME_WORDS_SECONDS = 300  # also forgotten whenever an actor, alias, statement or article changes


def name_words() -> dict[str, str]:
    """{lower-case word: as written} of the words of public actors' names and aliases, kept in the cache
    rather than read from every alias on each search with an unknown word."""
    words = cache.get(NAME_WORDS_KEY)
    if words is None:
        words = {}
        shown = public_actors()
        names = [
            *shown.values_list("name", flat=True),
            *Alias.objects.filter(actor__in=shown).values_list("name", flat=True),
        ]
        for name in names:
            for word in re.findall(r"\w+", name):
                if len(word) >= 4 and not word.isdigit():
                    words.setdefault(word.lower(), word)
        cache.set(NAME_WORDS_KEY, words, NAME_WORDS_SECONDS)
    return words


def spelling_candidates(parsed: ParsedQuery) -> list[str]:
    """The typed words spelling help looks at: not stop words, which the index leaves out but which are
    not misspelt ("will", "with")."""
    return [
        w
        for w in dict.fromkeys(parsed.positive_words())
        if len(w) >= 4 and not w.isdigit() and fold_word(w) not in STOP_WORDS
    ]


def unknown_words(parsed: ParsedQuery) -> Mapping[str, str | None]:
    """{typed word the index does not hold: the engine's closest word, or None} (iterating over it gives
    the words without looking their closest words up)."""
    words = spelling_candidates(parsed)
    return engine().suggest(words) if words else {}


def forget_name_words(**kwargs) -> None:
    cache.delete(NAME_WORDS_KEY)


def connect() -> None:
    """Forget the cached name words when what makes an actor and its names public changes."""
    for model in (Actor, Alias, Statement, Article):
        signals.post_save.connect(forget_name_words, sender=model, dispatch_uid=f"name-words-save-{model.__name__}")
        signals.post_delete.connect(forget_name_words, sender=model, dispatch_uid=f"name-words-delete-{model.__name__}")
        rows_changed.connect(forget_name_words, sender=model, dispatch_uid=f"name-words-rows-{model.__name__}")


def suggest(parsed: ParsedQuery, unknown: Mapping | None = None, skip=frozenset()) -> str | None:
    """A corrected query when some typed words are unknown to the index, or None: an actor's name
    when one is close, else the engine's closest word (the most frequent of the closest). Words
    searched with synonyms are not corrected: "truce" is not a misspelt "true"; nor are the words in
    `skip` (already searched as an actor's spelling)."""
    if unknown is None:
        unknown = unknown_words(parsed)
    with_synonyms = {t.text for t in parsed.terms() if t.also}
    candidates = set(spelling_candidates(parsed))
    words = [w for w in unknown if w in candidates and w not in with_synonyms and w not in skip]
    replacements: dict[str, str] = {}
    alias_words = name_words() if words else {}
    for word in words:
        close = difflib.get_close_matches(word, list(alias_words), n=1, cutoff=0.8)
        candidate = alias_words[close[0]] if close else unknown[word]
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
