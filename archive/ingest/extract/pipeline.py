"""The extractor's pipeline: quotations, then attribution, then reported claims, read twice per article."""

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from archive.ingest.extract.attribution import attribution_after, indirect_claims, verb_subject
from archive.ingest.extract.draft import Draft
from archive.ingest.extract.mentions import Speaker, plausible_speaker, speaker_from_phrase, subject_before
from archive.ingest.extract.occasion import date_of, medium_of, said_to_of
from archive.ingest.extract.quotes import find_quotes, merge_quotes
from archive.ingest.extract.resolution import LOOKBACK, Context, resolve_speaker
from archive.ingest.extract.structure import (
    SpanSet,
    paragraph_spans,
    sentence_bounds,
    sentence_starts,
    trim_span,
    word_total,
)
from archive.ingest.extract.words import ATTRIBUTION_REACH, CALLED, DEFINITE, QUOTE_VARIANTS, SPEECH_VERB

# More statements than any news article holds: past this, the text is a list or a dump, not an article, and
# an editor decides what it contains (extraction stops; the article is imported and flagged).
MAX_STATEMENTS = 1000


@dataclass
class Extraction:
    """The statements of a body, or why extraction stopped before finding them."""

    drafts: list[Draft] = field(default_factory=list)
    stopped: str = ""


class TooManyStatements(Exception):
    """Raised inside the reading of an article as soon as it passes the statement limit."""


def extract(body: str, *, title: str = "", limit: int = MAX_STATEMENTS) -> Extraction:
    """Every statement of a clean body, in order; none, with a reason, past `limit` statements.

    Read twice: the first reading learns every speaker and where they speak, so that a description or
    pronoun met early ("the Taliban spokesman") can name a speaker whose statement is found later.
    """
    # Other quotation marks read as curly ones: a same-length copy keeps every offset valid for the body.
    work = body.translate(QUOTE_VARIANTS)
    try:
        lede_speaker = headline_speaker(title)
        drafts = _extract(work, [], limit, lede_speaker)
        # Read again when a description, or a pronoun read before the claims around it were, may name better.
        if any(DEFINITE.match(d.speaker.description) for d in drafts if not d.speaker.name) or any(
            d.kind == "indirect" for d in drafts
        ):
            drafts = _extract(work, [(d.anchor, d.speaker) for d in drafts], limit, lede_speaker)
    except TooManyStatements as exc:
        return Extraction(stopped=str(exc))
    kept = []
    for draft in drafts:
        draft.start, draft.end = trim_span(body, draft.start, draft.end)
        draft.text = body[draft.start : draft.end]
        draft.speaker = plausible_speaker(draft.speaker)
        if draft.text and draft.speaker is not None:
            kept.append(draft)
    return Extraction(drafts=kept)


def extract_statements(body: str) -> list[Draft]:
    """Every statement of a clean body, in order (none when extraction stopped at the limit)."""
    return extract(body).drafts


def _stop(found: int, limit: int) -> TooManyStatements:
    return TooManyStatements(
        f"Statement extraction stopped: this text holds more than {limit:,} statements "
        f"({found:,} quotations or reported claims found), far more than a news article. "
        "Check that the file is one article; add its statements by hand if it is."
    )


# "Talks must bring a lasting ceasefire -Abdullah": wire headlines end with their speaker. Section labels
# written the same way ("– Analysis") name nobody.
_HEADLINE_SPEAKER = re.compile(r"\s[-–—]\s?(?P<who>[A-Z][\w.’' -]{1,60}?)\s*$")
_HEADLINE_LABELS = frozenset("analysis opinion report live explainer update video photos comment editorial".split())


def headline_speaker(title: str) -> Speaker | None:
    """The speaker a headline names at its end ("… -Abdullah", "… -U.S. envoy"), or None."""
    match = _HEADLINE_SPEAKER.search(title or "")
    if not match or match.group("who").strip().casefold() in _HEADLINE_LABELS:
        return None
    return speaker_from_phrase(match.group("who"))


def _extract(body: str, known: list, max_statements: int, lede_speaker: Speaker | None = None) -> list[Draft]:
    quotes = merge_quotes(body, find_quotes(body))
    if len(quotes) > max_statements:
        # Quotations are counted before they are read: no news article quotes anyone this often.
        raise _stop(len(quotes), max_statements)
    paragraphs = paragraph_spans(body)
    starts = []
    for p_start, p_end in paragraphs:
        starts.extend(sentence_starts(body, p_start, p_end))
    drafts: list[Draft] = []
    context = Context(body, [(q.start, q.end) for q in quotes])
    context.add_known(known)
    used_verbs: set[int] = set()
    quote_spans = SpanSet()
    paragraph_starts = [start for start, _ in paragraphs]

    for n, quote in enumerate(quotes):
        if len(drafts) > max_statements:
            raise _stop(len(drafts), max_statements)
        para = paragraphs[quote.paragraph]
        text = body[quote.start : quote.end]
        words = word_total(text)
        s_begin, _ = sentence_bounds(body, quote.open_mark, para, starts)
        # An attribution stands close to its quotation; a run-on "sentence" is read no further back than this.
        s_begin = max(s_begin, quote.open_mark - ATTRIBUTION_REACH)
        end_para = paragraphs[max(bisect_right(paragraph_starts, max(quote.after - 1, quote.start)) - 1, 0)]
        after_end = sentence_bounds(body, max(quote.after - 1, quote.start), end_para, starts)[1]
        after_end = min(after_end, quote.after + ATTRIBUTION_REACH)
        # The attribution around a quotation stops at the neighbouring quotations of the sentence.
        limit = min(after_end, quotes[n + 1].open_mark) if n + 1 < len(quotes) else after_end
        previous_end = quotes[n - 1].after if n > 0 else 0
        before = body[max(s_begin, previous_end) : quote.open_mark]
        speaker, kind, attribution, verb_pos = None, "", "", None

        post = attribution_after(body, quote.after, limit) if quote.close_mark is not None else None
        if post:
            speaker, attribution, verb_pos = post
            kind = "direct" if not body[s_begin : quote.open_mark].strip() and not quote.merged else "partial"
        else:
            verbs = list(re.finditer(rf"\b{SPEECH_VERB}\b|\b[Aa]ccording to\b", before))
            if not verbs and n > 0 and quotes[n - 1].open_mark > s_begin:
                # "said there was “no hesitation” … because “…”": a later quotation of one reported sentence
                # shares its attribution; the earlier quotation's words are blanked, offsets kept.
                prev = quotes[n - 1]
                before = body[s_begin : prev.start] + " " * (prev.end - prev.start) + body[prev.end : quote.open_mark]
                verbs = list(re.finditer(rf"\b{SPEECH_VERB}\b|\b[Aa]ccording to\b", before))
            if verbs:
                verb = verbs[-1]
                between = before[verb.end() :]
                speaker = verb_subject(before, verbs, len(verbs) - 1)
                if verb.group().lower() == "according to":
                    speaker = speaker_from_phrase(between.split(",")[0])
                attribution, verb_pos = before, s_begin + verb.start()
                directly = re.fullmatch(
                    r"\s*(?:(?:to\s+)?[\w’'\s-]{0,60}?)?\s*(?::|,|\bthat)\s*", between
                ) or re.search(r"(?:\bthat|:|,)\s*$", between)
                ends_sentence = not body[quote.after : after_end].strip(' .,”"\n')
                kind = "direct" if directly and not quote.merged and words >= 5 and ends_sentence else "partial"
                if re.fullmatch(r"\s*:\s*", between) or re.fullmatch(r"\s*(?:to\s+)?[^,.;]{0,60}:\s*", between):
                    kind = "direct" if not quote.merged else "partial"
        short_term = words <= 3 or (words <= 5 and re.match(r"(?:the|a|an)\s", text) and not re.search(r"[.!?]$", text))
        called = CALLED.search(body[s_begin : quote.open_mark])
        if called and speaker is None:
            # "what he called the “difficult situation”": the one who calls it so.
            prefix = body[s_begin : s_begin + called.start()]
            pronoun = re.search(r"\b(he|she|they)\s*$", prefix, re.I)
            speaker = Speaker(description=pronoun.group(1).lower()) if pronoun else subject_before(prefix)
            kind = "partial"
        if short_term and not post and not called:
            # A coined term or scare quote: nobody's speech on its own.
            if not (attribution and re.search(r":\s*$", before)):
                quote_spans.add(quote.start, quote.end, False)
                continue
        opens = quote.open_mark == para[0] or re.search(
            r"(?:^|[,;])\s*(?:but|and|so|yet)?\s*$", body[s_begin : quote.open_mark], re.I
        )
        if speaker is None and opens and words >= 5:
            # A paragraph or sentence that carries on a quotation: the previous speaker goes on talking.
            last = next(context.prior(quote.open_mark), None)
            if last and last[0] >= paragraphs[max(quote.paragraph - 2, 0)][0]:
                speaker = Speaker(name=last[1].name, description=last[1].description, role=last[1].role)
                kind = "direct"
                previous = next((d for d in reversed(drafts[-LOOKBACK:]) if d.speaker.key == speaker.key), None)
                if previous:
                    drafts.append(
                        Draft(
                            start=quote.start,
                            end=quote.end,
                            text=text,
                            kind=kind,
                            speaker=speaker,
                            medium=previous.medium,
                            said_to=previous.said_to,
                            date=previous.date,
                            paragraph=quote.paragraph,
                            anchor=quote.open_mark,
                        )
                    )
                    quote_spans.add(quote.start, quote.end, True)
                    continue
        if speaker is None and lede_speaker and quote.paragraph == 0 and words >= 5:
            # An unattributed quotation in the first paragraph is the headline's speaker's.
            speaker = Speaker(name=lede_speaker.name, description=lede_speaker.description, role=lede_speaker.role)
        speaker = resolve_speaker(context, quote.open_mark, speaker)
        if not speaker:
            quote_spans.add(quote.start, quote.end, False)
            continue
        if verb_pos is not None and post:
            used_verbs.add(verb_pos)
        sentence_text = body[s_begin:after_end]
        outside = sentence_text.replace(text, " ")
        context.remember(quote.open_mark, speaker)
        drafts.append(
            Draft(
                start=quote.start,
                end=quote.end,
                text=text,
                kind=kind or "direct",
                speaker=speaker,
                medium=medium_of(outside),
                said_to=said_to_of(outside),
                date=date_of(outside),
                paragraph=quote.paragraph,
                anchor=quote.open_mark,
            )
        )
        quote_spans.add(quote.start, quote.end, True)

    drafts.extend(indirect_claims(body, paragraphs, starts, quote_spans, used_verbs, context))
    if len(drafts) > max_statements:
        raise _stop(len(drafts), max_statements)
    drafts.sort(key=lambda d: (d.start, d.end))
    _share_occasion(drafts)
    unique, reach = [], -1
    for draft in drafts:  # sorted by start: a draft overlaps a kept one exactly when it starts before their reach
        if draft.end <= draft.start or draft.start < reach:
            continue
        reach = draft.end
        unique.append(draft)
    return unique


def _share_occasion(drafts: list[Draft]) -> None:
    """Statements of one speaker in one paragraph share the occasion's medium, audience and date."""
    occasions: dict[tuple, dict] = defaultdict(dict)
    for draft in drafts:
        occasion = occasions[(draft.paragraph, draft.speaker.key)]
        for name in ("medium", "said_to", "date"):
            if getattr(draft, name) and name not in occasion:
                occasion[name] = getattr(draft, name)
    for draft in drafts:
        occasion = occasions[(draft.paragraph, draft.speaker.key)]
        for name, value in occasion.items():
            if not getattr(draft, name):
                setattr(draft, name, value)
