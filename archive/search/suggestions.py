"""'Did you mean': a corrected query when some typed words are unknown to the index."""

import difflib
import re

from archive.models import Actor, Alias
from archive.search.connections import engine
from archive.search.query import ParsedQuery


def _alias_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for name in list(Alias.objects.values_list("name", flat=True)) + list(Actor.objects.values_list("name", flat=True)):
        for word in re.findall(r"\w+", name):
            if len(word) >= 4 and not word.isdigit():
                words.setdefault(word.lower(), word)
    return words


def spelling_candidates(parsed: ParsedQuery) -> list[str]:
    """The typed words spelling help looks at."""
    return [w for w in dict.fromkeys(parsed.positive_words()) if len(w) >= 4 and not w.isdigit()]


def unknown_words(parsed: ParsedQuery) -> dict[str, str | None]:
    """{typed word the index does not hold: the engine's closest word, or None}."""
    words = spelling_candidates(parsed)
    return engine().suggest(words) if words else {}


def suggest(parsed: ParsedQuery, unknown: dict | None = None) -> str | None:
    """A corrected query when some typed words are unknown to the index, or None: an actor's name
    when one is close, else the engine's closest word (the most frequent of the closest). Words
    searched with synonyms are not corrected: "truce" is not a misspelt "true"."""
    if unknown is None:
        unknown = unknown_words(parsed)
    with_synonyms = {t.text for t in parsed.terms() if t.also}
    unknown = {w: c for w, c in unknown.items() if w in spelling_candidates(parsed) and w not in with_synonyms}
    replacements: dict[str, str] = {}
    alias_words = _alias_words() if unknown else {}
    for word, closest in unknown.items():
        close = difflib.get_close_matches(word, list(alias_words), n=1, cutoff=0.8)
        candidate = alias_words[close[0]] if close else closest
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
