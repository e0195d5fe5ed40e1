"""Extract stage: statements and their speakers from a clean body (no ORM).

Quotations are found by pairing quote marks paragraph by paragraph (curly or straight, tolerant of the
reversed and unclosed marks of scraped, machine-translated text); each is attributed to the speaker named
after it ("…,” X said), before it ("X said: “…”", "X told Al Jazeera that “…”") or, for a paragraph that
continues a quotation, to the previous speaker. Reported claims ("X said that …", "according to X, …")
without quotation marks are indirect statements. Spans follow fixtures/README.md, "Statements".

The stages, each a module testable alone: `quotes` (finding quotations), `mentions` (names, pronouns and
descriptions), `attribution` (the patterns tying a quotation or claim to a mention), `resolution`
(mention to the speaker the article means), `occasion` (medium, audience, date), `words` (word lists),
and `pipeline`, which runs them over an article.
"""

from archive.ingest.extract.draft import Draft
from archive.ingest.extract.mentions import Speaker, is_plural, plausible_name, speaker_from_phrase
from archive.ingest.extract.pipeline import Extraction, extract, extract_statements, headline_speaker
from archive.ingest.extract.quotes import Quote, find_quotes
from archive.ingest.extract.structure import paragraph_spans

__all__ = [
    "Draft",
    "Extraction",
    "Quote",
    "Speaker",
    "extract",
    "extract_statements",
    "find_quotes",
    "headline_speaker",
    "is_plural",
    "paragraph_spans",
    "plausible_name",
    "speaker_from_phrase",
]
