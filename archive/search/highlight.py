"""Snippets that show why a result matched: the best passage, with the matching words marked."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The index's own analysis, so "negotiate" marks "negotiations" and "ceasefire" marks "cease-fire".
from archive.search.analysis import stem, terms
from archive.search.analysis import words as text_words


def query_stems(texts) -> frozenset[str]:
    """The index terms of the words and phrases a result may show because it matched."""
    return frozenset(term for text in texts if text for term in terms(text))


def highlight(text: str, stems: frozenset[str], window: int = 40) -> SafeString:
    """The passage of `text` (about `window` words) with the most distinct matches, matches in <mark>."""
    if not text:
        return mark_safe("")
    tokens = text_words(text)
    hits = []
    if stems:
        # Each distinct word stemmed once; a long text repeats most of its words.
        matched = {word for word in {t[0] for t in tokens} if stem(word) in stems}
        hits = [i for i, t in enumerate(tokens) if t[0] in matched] if matched else []
    if len(tokens) <= window:
        first, last = 0, len(tokens)
    elif not hits:
        first, last = 0, window
    else:
        # Slide a window over the hit positions: most distinct matched words, then most hits.
        best, best_key = hits[0], (-1, -1)
        for n, start in enumerate(hits):
            inside = [h for h in hits[n:] if h < start + window]
            key = (len({stem(tokens[h][0]) for h in inside}), len(inside))
            if key > best_key:
                best, best_key = start, key
        first = max(0, min(best - window // 4, len(tokens) - window))
        last = first + window
    begin = 0 if first == 0 else tokens[first][1]
    finish = len(text) if last >= len(tokens) else tokens[last - 1][2]
    marked = set(hits)
    parts, cursor = [], begin
    for i in range(first, min(last, len(tokens))):
        if i in marked:
            _, start, end = tokens[i]
            parts.append(escape(text[cursor:start]))
            parts.append(f"<mark>{escape(text[start:end])}</mark>")
            cursor = end
    parts.append(escape(text[cursor:finish]))
    html = "".join(parts).strip()
    if begin > 0:
        html = "…" + html
    if finish < len(text):
        html += "…"
    return mark_safe(html)
