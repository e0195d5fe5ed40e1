"""The Whoosh analyser of the document text: Whoosh's StemmingAnalyzer with the archive's stop words, indexed fast."""

from functools import lru_cache

from whoosh.analysis import STOP_WORDS, CompositeAnalyzer, StemmingAnalyzer, Token
from whoosh.lang.porter import stem as porter_stem

# Whoosh's English stop words less "us": in this coverage "US" is the United States, not a pronoun.
# The index's analyser and the highlighter share them.
ARCHIVE_STOP_WORDS = frozenset(STOP_WORDS - {"us"})


@lru_cache(maxsize=500_000)
def _stem(word: str) -> str:
    return porter_stem(word)


class ArchiveStemmingAnalyzer(CompositeAnalyzer):
    """Whoosh's StemmingAnalyzer, with indexing done in one loop instead of four chained generators.

    Tokens, positions and stems are exactly those of StemmingAnalyzer (a test compares them);
    queries and highlighting use the ordinary chain.
    """

    def __init__(self):
        super().__init__(*StemmingAnalyzer(stoplist=ARCHIVE_STOP_WORDS).items)

    def __call__(self, value, no_morph=False, **kwargs):
        if kwargs.get("mode", "") not in ("index", "") or kwargs.get("chars") or not kwargs.get("tokenize", True):
            return super().__call__(value, no_morph=no_morph, **kwargs)
        if not kwargs.get("removestops", True) or kwargs.get("keeporiginal"):
            return super().__call__(value, no_morph=no_morph, **kwargs)
        return self._index_tokens(value, bool(kwargs.get("positions")), kwargs.get("start_pos", 0), not no_morph)

    def _index_tokens(self, value, positions, start_pos, stem):
        tokenizer, stopper = self.items[0], self.items[2]
        stops, minsize, maxsize = stopper.stops, stopper.min, stopper.max
        token = Token(positions, False, removestops=True, mode="index")
        pos = None
        for raw_pos, match in enumerate(tokenizer.expression.finditer(value)):
            text = match.group(0).lower()
            if len(text) < minsize or (maxsize is not None and len(text) > maxsize) or text in stops:
                continue
            if positions:
                pos = start_pos + raw_pos if pos is None else pos + 1
                token.pos = pos
            token.text = _stem(text) if stem else text
            token.boost = 1.0
            token.stopped = False
            yield token
