"""The Whoosh analyser of the document text: the archive's own analysis (``archive.search.analysis``)
as Whoosh tokens, at index and query time alike."""

from whoosh.analysis import Analyzer, Token

from archive.search import analysis

# The index's stop words (kept here under the name the engine's callers know).
ARCHIVE_STOP_WORDS = analysis.STOP_WORDS


class ArchiveStemmingAnalyzer(Analyzer):
    """Words folded, compounds joined, stop words dropped, Porter stems; positions count the kept
    words, so a phrase matches across a dropped stop word as Whoosh's StemmingAnalyzer does."""

    def __eq__(self, other):
        return type(other) is type(self)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", no_morph=False, **kwargs):  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            found = [analysis.Token(analysis.fold_word(value), 0, len(value))]
        elif removestops:
            found = analysis.tokens(value)
        else:
            found = analysis.words(value)
        for pos, word in enumerate(found, start_pos):
            token.text = word.text if no_morph else analysis.stem(word.text)
            if keeporiginal:
                token.original = value[word.start : word.end]
            token.stopped = False
            token.boost = 1.0
            if positions:
                token.pos = pos
            if chars:
                token.startchar, token.endchar = start_char + word.start, start_char + word.end
            yield token
