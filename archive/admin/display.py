"""Small pure helpers for what admin pages show."""

import re

from django.utils.html import format_html

from archive.text import paragraph_bounds

_SENTENCE_END = re.compile(r"[.!?…][”\"’')\]]*\s+|\n+")


def sentence_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """The [start, end) of the sentence(s) of `body` holding the span, kept inside its paragraph."""
    para_start, para_end = paragraph_bounds(body, start, end)
    left = para_start
    for match in _SENTENCE_END.finditer(body, para_start, start):
        left = match.end()
    right = para_end
    match = _SENTENCE_END.search(body, end, para_end)
    if match:
        right = match.start() + 1 if body[match.start()] in ".!?…" else match.start()
        # Keep closing quotation marks that belong to the sentence.
        while right < para_end and body[right] in "”\"’')]":
            right += 1
    return left, right


def marked_context(body: str, start: int, end: int, limit: int = 600):
    """The sentence around a span as HTML, the span itself in <mark>; escaped."""
    if not (0 <= start < end <= len(body)):
        return format_html('<span class="archive-error">{}</span>', "Span outside the article body")
    left, right = sentence_bounds(body, start, end)
    before, quote, after = body[left:start], body[start:end], body[end:right]
    if len(before) > limit // 3:
        before = "…" + before[-(limit // 3) :]
    if len(after) > limit // 3:
        after = after[: limit // 3] + "…"
    return format_html('{}<mark class="archive-quote">{}</mark>{}', before, quote, after)
