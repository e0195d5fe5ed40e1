"""Finding quotations: quote marks paired paragraph by paragraph (offsets into the body, marks excluded)."""

import re
from dataclasses import dataclass

from archive.ingest.extract.structure import paragraph_spans, trim, word_total
from archive.ingest.extract.words import OPENERS, QUOTE_MARKS, SPEECH_VERB


@dataclass
class Quote:
    """The words between one pair of quote marks (offsets into the body, marks excluded)."""

    open_mark: int
    close_mark: int | None
    start: int
    end: int
    paragraph: int
    merged: bool = False

    @property
    def after(self) -> int:
        return self.close_mark + 1 if self.close_mark is not None else self.end


# --- quotations -----------------------------------------------------------------------------------


def _looks_opening(text: str, i: int, para_end: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < para_end else " "
    return (before.isspace() or before in "([–—-:") and not after.isspace()


_SPACES = re.compile(r"\s*")
_MARK = re.compile("[" + QUOTE_MARKS + "]")


def _looks_closing_at_end(text: str, i: int, para_end: int) -> bool:
    # Only whitespace left in the paragraph (matched, not sliced: a paragraph may be very long).
    return _SPACES.match(text, i + 1, para_end).end() == para_end or text[i + 1 : i + 2] in ",.;:!?)"


def find_quotes(body: str) -> list[Quote]:
    """Every quotation of the body, paired paragraph by paragraph."""
    quotes: list[Quote] = []
    paragraphs = paragraph_spans(body)
    carry: Quote | None = None
    for index, (p_start, p_end) in enumerate(paragraphs):
        marks = [m.start() for m in _MARK.finditer(body, p_start, p_end)]
        current = None
        if carry is not None:
            # A quotation left open at the end of the previous paragraph runs on only when this one re-opens it.
            if marks and marks[0] == p_start:
                current, marks = carry, marks[1:]
            else:
                carry.end = trim(body, carry.start, carry.end)[1]
                quotes.append(carry)
            carry = None
        for i in marks:
            mark = body[i]
            if current is None:
                current = Quote(open_mark=i, close_mark=None, start=i + 1, end=i + 1, paragraph=index)
                continue
            opening_by_shape = (
                mark in OPENERS and _looks_opening(body, i, p_end) and not _looks_closing_at_end(body, i, p_end)
            )
            if opening_by_shape and i - current.start > 1:
                # An opening mark inside an open quotation: the first one was never closed.
                current.end = _unclosed_end(body, current.start, i)
                quotes.append(current)
                current = Quote(open_mark=i, close_mark=None, start=i + 1, end=i + 1, paragraph=index)
                continue
            current.close_mark, current.end = i, i
            quotes.append(current)
            current = None
        if current is not None:
            current.end = p_end
            carry = current
    if carry is not None:
        carry.end = trim(body, carry.start, carry.end)[1]
        quotes.append(carry)
    result = []
    for quote in quotes:
        quote.start, quote.end = trim(body, quote.start, quote.end)
        if quote.end > quote.start:
            result.append(quote)
    return result


def _unclosed_end(body: str, start: int, limit: int) -> int:
    """Where an unclosed quotation ends: before the first clause where the narrator attributes speech."""
    boundaries = [m for m in re.finditer(r"[.;!?]\s+|,\s+(?=[A-Z])", body[start:limit])]
    for n, match in enumerate(boundaries):
        segment_end = boundaries[n + 1].start() if n + 1 < len(boundaries) else limit - start
        segment = body[start + match.end() : start + segment_end]
        if re.search(rf"\b{SPEECH_VERB}\b|\baccording to\b", segment):
            # "…; Meanwhile, X said": a connective opening the narrator's clause goes with it.
            if n >= 1 and word_total(body[start + boundaries[n - 1].end() : start + match.start()]) <= 2:
                return start + boundaries[n - 1].start()
            return start + match.start()
    return limit


def merge_quotes(body: str, quotes: list[Quote]) -> list[Quote]:
    """Join quotations of one sentence split by narrator words that do not attribute speech."""
    merged: list[Quote] = []
    for quote in quotes:
        if merged:
            prev = merged[-1]
            gap = body[prev.after : quote.open_mark]
            if (
                prev.close_mark is not None
                and prev.paragraph == quote.paragraph
                and len(gap) <= 120
                and not re.search(r"[.!?]\s", gap)
                and not re.search(rf"\b{SPEECH_VERB}\b|\baccording to\b", gap)
                and not re.fullmatch(r"\s*[,;]?\s*(?:and|or)?\s*", gap)
                and (
                    len(gap.strip()) <= 5
                    or min(word_total(body[prev.start : prev.end]), word_total(body[quote.start : quote.end])) > 3
                )
            ):
                merged[-1] = Quote(prev.open_mark, quote.close_mark, prev.start, quote.end, prev.paragraph, merged=True)
                continue
        merged.append(quote)
    return merged
