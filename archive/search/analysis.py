"""How text becomes search terms, for every engine: words, folded variants, stop words, stems.

One definition for the index (at index and query time alike) and the highlighter, so a query finds
and marks the same words:

- case and diacritics are folded ("Tolo" = "Tōlō"), and apostrophes of every kind and dots inside a
  word are dropped ("Qa’ida" = "Qa'ida" = "Qaida", "U.S." = "US");
- words the coverage writes joined, hyphenated or spaced are one term ("cease-fire", "cease fire",
  "ceasefire"; "pull-out", "pulled out"), and spelling variants of one name are one term ("al-Qaeda",
  "al Qaeda", "Al-Qaida", "Qaeda"); only compounds whose parts are not searched alone (a search for
  "afghan" must still find "intra-Afghan");
- English stop words are left out (but not "us": here it is the United States), and the rest is
  stemmed with the Porter stemmer ("negotiations" = "negotiate").

Each term keeps the span of the original text it came from, for highlighting.
"""

import re
import unicodedata
from functools import lru_cache
from itertools import accumulate

from whoosh.lang.porter import stem as porter_stem

# Whoosh's English stop words less "us" (written out: the list belongs to the archive, not an engine).
STOP_WORDS = frozenset(
    "a an and are as at be by can for from have if in is it may not of on or tbd that the this to we when "
    "will with yet you your".split()
)
MIN_LENGTH = 2
MAX_LENGTH = 40

# Word sequences written apart or hyphenated that mean one word, and the word they mean.
COMPOUNDS = {
    ("cease", "fire"): "ceasefire",
    ("al", "qaeda"): "qaeda",
    ("al", "qaida"): "qaeda",
    ("al", "qa", "ida"): "qaeda",
    ("qa", "ida"): "qaeda",
    ("pull", "out"): "pullout",
    ("pulls", "out"): "pullout",
    ("pulled", "out"): "pullout",
    ("pulling", "out"): "pullout",
    ("draw", "down"): "drawdown",
    ("war", "lords"): "warlords",
    ("war", "lord"): "warlord",
}
# Spellings of one word: the variant and the form indexed.
SPELLINGS = {
    "qaida": "qaeda",
    "alqaeda": "qaeda",
    "alqaida": "qaeda",
}
_LONGEST = max(len(words) for words in COMPOUNDS)
_FIRSTS = frozenset(words[0] for words in COMPOUNDS)  # only these can start a compound
_APOSTROPHES = "'’‘ʼ`´"
# A word, with apostrophes and dots inside it ("Qa'ida", "U.S"), as Whoosh's tokenizer reads one.
_WORD = re.compile(rf"\w+(?:[.{_APOSTROPHES}]\w+)*")
_SPLIT = re.compile(f"({_WORD.pattern})")  # a text split into its words and what stands between them
_JOINER = re.compile(r"[\s\-‐‑‒–—]{1,3}")  # what may stand between the parts of a compound
_STRIP_APOSTROPHES = str.maketrans("", "", _APOSTROPHES + ".")


# A word of a text: (the folded word, not stemmed; the start and end of its span in the text). Plain
# tuples: a page highlights every word of twenty texts.
Word = tuple[str, int, int]


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """Lower case, no diacritics, no apostrophes, dots or possessive: 'Qa’ida' -> 'qaida', 'Tōlō' ->
    'tolo', 'Baradar’s' -> 'baradar', 'U.S' -> 'us'."""
    folded = word.casefold()
    if len(folded) > 2 and folded[-1] == "s" and folded[-2] in _APOSTROPHES:
        folded = folded[:-2]
    folded = folded.translate(_STRIP_APOSTROPHES)
    if not folded.isascii():
        folded = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
    return SPELLINGS.get(folded, folded)


def words(text: str) -> list[Word]:
    """The folded words of a text with their spans, compounds joined, stop words kept."""
    # Split in C, spans from the running lengths of the parts: no Python step per word but the fold.
    parts = _SPLIT.split(text)
    offsets = list(accumulate(map(len, parts)))
    found = parts[1::2]
    raw = list(zip(map(fold_word, found), offsets[0::2][: len(found)], offsets[1::2], strict=True))
    if _FIRSTS.isdisjoint(w[0] for w in raw):
        return raw
    out: list[Word] = []
    i, count = 0, len(raw)
    while i < count:
        if raw[i][0] in _FIRSTS:
            for n in range(min(_LONGEST, count - i), 1, -1):
                parts = raw[i : i + n]
                joined = COMPOUNDS.get(tuple(p[0] for p in parts))
                if joined and all(_JOINER.fullmatch(text[a[2] : b[1]]) for a, b in zip(parts, parts[1:], strict=False)):
                    out.append((joined, parts[0][1], parts[-1][2]))
                    i += n
                    break
            else:
                out.append(raw[i])
                i += 1
        else:
            out.append(raw[i])
            i += 1
    return out


@lru_cache(maxsize=500_000)
def stem(word: str) -> str:
    return porter_stem(word)


def tokens(text: str) -> list[Word]:
    """The words of a text that are searched (no stop words, none too short or too long), folded."""
    return [t for t in words(text) if MIN_LENGTH <= len(t[0]) <= MAX_LENGTH and t[0] not in STOP_WORDS]


def terms(text: str) -> list[str]:
    """The index terms of a text, in order: folded, stop words left out, stemmed."""
    return [stem(t[0]) for t in tokens(text)]
