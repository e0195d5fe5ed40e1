"""Pure text helpers shared by models, the importer and search: no ORM here."""

import hashlib
import re
import unicodedata

# Honorifics and titles that precede a name in the coverage; they never tell two actors apart.
TITLES = frozenset(
    """
    mr mrs ms miss dr prof sir lord lady sheikh shaikh mullah mulla mawlawi maulvi mawlavi
    maulana mowlawi haji hajji amir emir qari hafiz president vice prime minister secretary
    general gen lieutenant lt colonel col major maj captain capt ambassador envoy special
    representative spokesman spokeswoman spokesperson senator sen rep governor gov chief
    deputy acting former leader negotiator
    """.split()
)
# Words that qualify a title ("US Special Envoy", "Secretary of State", "Taliban spokesman"): dropped
# only inside a leading run of titles, so "US government" and "State Department" keep every word.
QUALIFIERS = frozenset(
    """
    us u s usa american afghan afghanistan taliban state foreign defense defence qatari qatar
    pakistani pakistan the of for and top senior national security affairs interior peace
    """.split()
)

_PUNCT = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")
_DOUBLE = re.compile(r"(\w)\1+")


# Bidirectional formatting characters: invisible, and able to reverse how a name or title reads.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_bidi(value: str) -> str:
    """Remove bidirectional control characters (U+202A–U+202E, U+2066–U+2069, marks) from a short text."""
    return _BIDI.sub("", value)


def strip_accents(value: str) -> str:
    """Remove diacritics: 'Moïse' -> 'Moise'."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_term(value: str) -> str:
    """A search term's lookup form: lower case, no accents, hyphens as spaces, one space between words."""
    return " ".join(re.findall(r"\w+", strip_accents(value).casefold().replace("_", " ")))


def _fold_word(word: str) -> str:
    """Fold transliteration variants of one word: Zalmai/Zalmay, Sediqi/Sediqqi."""
    word = _DOUBLE.sub(r"\1", word)
    word = word.replace("ee", "i").replace("oo", "u")
    if len(word) > 2 and word.endswith("y"):
        word = word[:-1] + "i"
    return word


def _leading_title_run(words: list[str]) -> int:
    """How many leading words are titles and their qualifiers (0 unless the run holds a title)."""
    run, has_title = 0, False
    for word in words:
        if word in TITLES:
            has_title = True
        elif word not in QUALIFIERS:
            break
        run += 1
    return run if has_title else 0


def normalize_name(value: str) -> str:
    """The lookup key of a name or alias: case, accents, titles and spelling variants folded.

    "Mr. Zalmai Khalilzad", "zalmay khalilzad" and "Zalmay  Khalilzad" all give "zalmai khalilzad".
    A name made only of titles ("the President") keeps its words rather than vanishing.
    """
    text = strip_accents(value).casefold().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    words = [w for w in _SPACE.split(_PUNCT.sub(" ", text).strip()) if w]
    kept = words[_leading_title_run(words) :] or words
    return " ".join(_fold_word(w) for w in kept)


def normalize_for_hash(body: str) -> str:
    """Whitespace- and case-insensitive form of a text, so trivial re-spacing is the same content."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", body)).strip().casefold()


def content_hash(body: str) -> str:
    """SHA-256 of the normalised body: the identity of an article's content."""
    return hashlib.sha256(normalize_for_hash(body).encode("utf-8")).hexdigest()


def paragraph_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """The [start, end) bounds of the paragraph(s) of `body` holding the span [start, end)."""
    para_start = body.rfind("\n\n", 0, start)
    para_start = 0 if para_start == -1 else para_start + 2
    para_end = body.find("\n\n", end)
    para_end = len(body) if para_end == -1 else para_end
    return para_start, para_end
