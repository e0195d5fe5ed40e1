"""Snippets that show why a result matched: the best passage, with the matching words marked."""

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from whoosh.lang.porter import stem as porter_stem

# The same Porter stemmer the index uses for English, so "negotiate" marks "negotiations".
from archive.search.whoosh.analysis import ARCHIVE_STOP_WORDS

_TOKEN = re.compile(r"\w+")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return porter_stem(word.lower())


def query_stems(words) -> frozenset[str]:
    return frozenset(stem(w) for w in words if w and w.lower() not in ARCHIVE_STOP_WORDS)


def highlight(text: str, stems: frozenset[str], window: int = 40) -> SafeString:
    """The passage of `text` (about `window` words) with the most distinct matches, matches in <mark>."""
    if not text:
        return mark_safe("")
    tokens = list(_TOKEN.finditer(text))
    hits = [i for i, m in enumerate(tokens) if stem(m.group()) in stems] if stems else []
    if len(tokens) <= window:
        first, last = 0, len(tokens)
    elif not hits:
        first, last = 0, window
    else:
        # Slide a window over the hit positions: most distinct matched words, then most hits.
        best, best_key = hits[0], (-1, -1)
        for n, start in enumerate(hits):
            inside = [h for h in hits[n:] if h < start + window]
            key = (len({stem(tokens[h].group()) for h in inside}), len(inside))
            if key > best_key:
                best, best_key = start, key
        first = max(0, min(best - window // 4, len(tokens) - window))
        last = first + window
    begin = 0 if first == 0 else tokens[first].start()
    finish = len(text) if last >= len(tokens) else tokens[last - 1].end()
    marked = set(hits)
    parts, cursor = [], begin
    for i in range(first, min(last, len(tokens))):
        if i in marked:
            m = tokens[i]
            parts.append(escape(text[cursor : m.start()]))
            parts.append(f"<mark>{escape(m.group())}</mark>")
            cursor = m.end()
    parts.append(escape(text[cursor:finish]))
    html = "".join(parts).strip()
    if begin > 0:
        html = "…" + html
    if finish < len(text):
        html += "…"
    return mark_safe(html)
