"""Text structure: paragraphs, sentences, spans taken, trimming (offsets always index the body)."""

import re
from bisect import bisect_right
from collections import defaultdict

from archive.ingest.extract.words import ABBREVIATIONS


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """[start, end) of each paragraph of a body whose paragraphs are separated by blank lines."""
    spans, pos = [], 0
    for match in re.finditer(r"\n\s*\n", body):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(body)))
    return [(s, e) for s, e in spans if e > s]


def sentence_starts(text: str, start: int, end: int) -> list[int]:
    """Offsets where sentences begin within text[start:end] (quotes may span several)."""
    starts = [start]
    for match in re.finditer(r"[.!?…]+[”\"’)]*\s+(?=[“\"‘(]?[A-Z0-9])", text[start:end]):
        # An abbreviation is a few letters long: look no further back, so that long paragraphs stay linear.
        before = text[max(start, start + match.start() - 12) : start + match.start()]
        if ABBREVIATIONS.search(before):
            continue
        starts.append(start + match.end())
    return starts


def sentence_bounds(text: str, pos: int, para: tuple[int, int], starts: list[int]) -> tuple[int, int]:
    """[start, end) of the sentence holding pos (starts is sorted; the paragraph bounds the sentence)."""
    i = bisect_right(starts, pos)
    begin = starts[i - 1] if i else para[0]
    end = starts[i] if i < len(starts) else para[1]
    return max(begin, para[0]), min(end, para[1]) if end > pos else para[1]


class SpanSet:
    """Spans already taken, filed by stretch of text so that every check stays local on long texts."""

    BLOCK = 512

    def __init__(self):
        self.buckets: dict[int, list] = defaultdict(list)

    def _blocks(self, start: int, end: int) -> range:
        return range(start // self.BLOCK, max(end - 1, start) // self.BLOCK + 1)

    def add(self, start: int, end: int, is_statement: bool) -> None:
        for i in self._blocks(start, end):
            self.buckets[i].append((start, end, is_statement))

    def near(self, start: int, end: int):
        seen = set()
        for i in self._blocks(start, end):
            for span in self.buckets.get(i, ()):
                if span not in seen:
                    seen.add(span)
                    yield span

    def inside(self, pos: int) -> bool:
        return any(s <= pos < e for s, e, _ in self.near(pos, pos + 1))


def trim(text: str, start: int, end: int, *, keep_terminal: bool = True) -> tuple[int, int]:
    """Span trimmed of whitespace and of a trailing comma or semicolon (and full stop, for indirect claims)."""
    while start < end and text[start] in " \t\n–—-":
        if text[start] in "–—-" and not text[start + 1 : start + 2].isspace():
            break
        start += 1
    while end > start and text[end - 1] in " \t\n,;:" + ("" if keep_terminal else "."):
        end -= 1
    return start, end


def word_total(text: str) -> int:
    return len(re.findall(r"[\w’'-]+", text))


# What a split can leave at either edge of a span: whitespace and punctuation that opens or ends nothing.
_LEADING_JUNK = " \t\n,.;:!?)]}…–—-"
_TRAILING_JUNK = " \t\n,;:([{–—-"


def trim_span(body: str, start: int, end: int) -> tuple[int, int]:
    """A span without leading or trailing punctuation and whitespace left over from a split."""
    while start < end and body[start] in _LEADING_JUNK:
        start += 1
    while end > start and body[end - 1] in _TRAILING_JUNK:
        end -= 1
    return start, end
