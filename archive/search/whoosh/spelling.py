"""Spelling from the index's own words: is a word indexed, and which indexed word is closest."""

from collections.abc import Callable, Mapping


class LazySuggestions(Mapping):
    """{unknown word: closest indexed word or None}, each closest word looked up only when asked for
    (a caller that prefers another suggestion, an actor's name, never pays for the index's)."""

    def __init__(self, words, closest: Callable[[str], str | None]):
        self._words = list(dict.fromkeys(words))
        self._closest = closest
        self._found: dict[str, str | None] = {}

    def __getitem__(self, word):
        if word not in self._words:
            raise KeyError(word)
        if word not in self._found:
            self._found[word] = self._closest(word)
        return self._found[word]

    def __iter__(self):
        return iter(self._words)

    def __len__(self):
        return len(self._words)


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count as one edit)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def known_word(searcher, analyzer, fieldname: str, word: str) -> bool:
    """Whether the index holds the (stemmed) word at all."""
    terms = [token.text for token in analyzer(word)]
    return bool(terms) and all(searcher.doc_frequency(fieldname, t) for t in terms)


def closest_word(searcher, analyzer, fieldname: str, word: str, maxdist: int = 2) -> str | None:
    """The closest indexed word to a word the index does not hold, or None."""
    word = word.lower()
    if len(word) < 4:
        return None
    candidates = set()
    for sub, _ in searcher.leaf_searchers():
        reader = sub.reader()
        for distance in range(1, maxdist + 1):
            found = {
                w.decode("utf-8") if isinstance(w, bytes) else w
                for w in reader.terms_within(fieldname, word, distance, prefix=1)
            }
            if found:
                candidates |= found
                break
    candidates.discard(word)
    best = None
    for candidate in candidates:
        stems = [token.text for token in analyzer(candidate)]
        if not stems:
            continue
        frequency = searcher.doc_frequency(fieldname, stems[0])
        if not frequency:
            continue
        key = (edit_distance(word, candidate), -frequency, candidate)
        if best is None or key < best[0]:
            best = (key, candidate)
    return best[1] if best else None
