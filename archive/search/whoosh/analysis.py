"""The Whoosh analyser of the document text: the archive's own analysis (``archive.search.analysis``,
which imports nothing of the archive) as Whoosh tokens, at index and query time alike."""

from whoosh.analysis import Analyzer, Token

from archive.search.analysis import STOP_WORDS, fold_word, stem, terms, tokens, words

# The index's stop words (kept here under the name the engine's callers know).
ARCHIVE_STOP_WORDS = STOP_WORDS


class ArchiveStemmingAnalyzer(Analyzer):
    """Words folded, compounds joined, stop words dropped, Porter stems; positions count the kept
    words, so a phrase matches across a dropped stop word as Whoosh's StemmingAnalyzer does."""

    def __eq__(self, other):
        return type(other) is type(self)

    def has_morph(self):
        """Stems are morphology: Whoosh then keeps the unstemmed words apart for spelling help."""
        return True

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", no_morph=False, **kwargs):  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            found = [(fold_word(value), 0, len(value))]
        elif removestops:
            found = tokens(value)
        else:
            found = words(value)
        for pos, (word, start, end) in enumerate(found, start_pos):
            token.text = word if no_morph else stem(word)
            if keeporiginal:
                token.original = value[start:end]
            token.stopped = False
            token.boost = 1.0
            if positions:
                token.pos = pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


# Words so frequent that a phrase with one of them would make Whoosh decode the positions of much of
# the index: English function words the stop list keeps, and the coverage's own most frequent words.
# Every adjacent pair with at least one of them is indexed as one term of the PAIRS_FIELD ("common
# grams": "could over", "over qaeda"), so a two-word phrase holding a common word is one posting list,
# and a longer phrase checks positions only where its pairs all occur.
COMMON_WORDS = frozenset(
    """
    about above after again against all also am any because been before being below between both but
    could did do does doing down during each few further had has he her here hers him his how i into
    its just me more most my no nor now only other our ours out over own same she should so some such
    than their theirs them then there these they those through too under until up very was were what
    where which while who whom why would said says say told new one two three first last year years
    week weeks month day days time

    taliban talks talk peace afghan afghans afghanistan government governments united states state
    washington kabul doha qatar pakistan official officials president envoy special negotiations
    negotiators agreement deal troops forces foreign withdrawal ceasefire violence prisoners release
    war security country people political process leaders leader group side sides delegation meeting
    spokesman statement military attack attacks international support country
    """.split()
)
COMMON_STEMS = frozenset(stem(fold_word(word)) for word in COMMON_WORDS)
# Named for what it holds: an index built when only pairs of two common words were indexed has no field of
# this name, and its phrases are checked by positions as before (rebuild_index brings the pairs in).
PAIRS_FIELD = "text_common_grams"


def is_common_pair(first: str, second: str) -> bool:
    """Whether two adjacent stems are indexed together: at least one of them is a common word."""
    return first in COMMON_STEMS or second in COMMON_STEMS


def common_pairs(stems) -> list[str]:
    """The pair terms of a run of adjacent stems: "a b" for each neighbour pair holding a common word."""
    return [f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False) if is_common_pair(a, b)]


class PairAnalyzer(Analyzer):
    """The pair terms of a text (for PAIRS_FIELD): adjacent common words, after the text's analysis."""

    def __eq__(self, other):
        return type(other) is type(self)

    def __call__(self, value, mode="", **kwargs):
        token = Token(False, False, mode=mode)
        for pair in common_pairs(terms(value)):
            token.text = pair
            token.boost = 1.0
            token.stopped = False
            yield token
