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


# Characters that never belong in stored text: C0/C1 controls except tab and newline (NUL included).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Invisible characters pasted from web pages and word processors: zero-width space, word joiner,
# zero-width no-break space (a byte-order mark inside text), Mongolian vowel separator, soft hyphen.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u180e\u00ad]")
# Zero-width (non-)joiners shape Persian and Pashto words: kept between two letters of the Arabic
# script, removed anywhere else.
_JOINER = re.compile("[\u200c\u200d]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def _keep_joiner(text: str, at: int) -> bool:
    return 0 < at < len(text) - 1 and bool(_ARABIC.match(text[at - 1])) and bool(_ARABIC.match(text[at + 1]))


def clean_text(value: str, *, line_endings: bool = True) -> str:
    """Stored text in one form, whatever way it came in: LF line endings, no NUL or other control
    characters, no zero-width characters, Unicode NFC. Idempotent."""
    if not value:
        return value
    if line_endings:
        value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    value = _CONTROLS.sub("", value)
    value = _INVISIBLE.sub("", value)
    if _JOINER.search(value):
        value = "".join(ch for i, ch in enumerate(value) if not _JOINER.match(ch) or _keep_joiner(value, i))
    return unicodedata.normalize("NFC", value)


def strip_nul(value: str) -> str:
    """The text without NUL characters (which PostgreSQL refuses), otherwise untouched."""
    return value.replace("\x00", "") if value else value


def map_offsets(old: str, new: str):
    """A function taking an offset in `old` to the offset of the same place in `new` (the text after
    an edit or a normalisation): inside an unchanged run it moves with the run; inside a changed run
    it keeps its distance from the run's start, capped at the run's new length."""
    import difflib

    blocks = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()

    def moved(offset: int) -> int:
        for _tag, i1, i2, j1, j2 in blocks:
            if i1 <= offset < i2 or (offset == i2 == len(old)):
                return j1 + min(offset - i1, j2 - j1)
        return len(new)

    return moved


def relocate(body: str, text: str, start: int, end: int, moved=None) -> tuple[int, int] | None:
    """The span of `text` in `body`: [moved(start), moved(end)) when the words are there (an edit moved
    them), else the occurrence nearest to it; None when the words are not in `body`."""
    if not text:
        return None
    moved = moved or (lambda offset: offset)
    new_start, new_end = moved(start), moved(end)
    if body[new_start:new_end] == text:
        return new_start, new_end
    at, best = body.find(text), None
    while at != -1:
        if best is None or abs(at - new_start) < abs(best - new_start):
            best = at
        at = body.find(text, at + 1)
    return (best, best + len(text)) if best is not None else None


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
