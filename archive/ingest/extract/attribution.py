"""Attribution: the patterns of news copy that tie a quotation or a reported claim to a speaker."""

import re
from bisect import bisect_left

from archive.ingest.clean import AGENCIES
from archive.ingest.extract.draft import Draft
from archive.ingest.extract.mentions import (
    Speaker,
    is_name_chunk,
    sentence_subject,
    speaker_from_phrase,
    split_chunks,
    subject_before,
)
from archive.ingest.extract.occasion import date_of, medium_of, said_to_of
from archive.ingest.extract.resolution import resolve_speaker
from archive.ingest.extract.structure import trim, word_total
from archive.ingest.extract.words import (
    ADVERB,
    ATTRIBUTION_REACH,
    BARE_CLAUSE_VERBS,
    CLAUSE_REACH,
    DETERMINER_START,
    NOT_CLAUSE_START,
    PARTICIPLES,
    PREPOSITIONS,
    PRONOUNS,
    QUOTE_MARKS,
    SPEECH_VERB,
    TIME_WORDS,
)

_AFTER_NAME = re.compile(r"^(?P<subj>[^“”\".!?;]{1,200}?)\s+(?P<verb>" + SPEECH_VERB + r")\b", re.S)
_AFTER_VERB = re.compile(r"^(?P<verb>" + SPEECH_VERB + r")\b\s*(?P<rest>[^“”\"]*)", re.S)
_SUBJ_CUT = re.compile(
    r",|\s(?:in|on|during|at|via|through)\s+(?:a|an|his|her|its|their|the)\s+(?:statement|interview|tweet|briefing|speech|post|"
    r"message|press conference|news conference|address|communiqué|report|video)\b|\s"
    + TIME_WORDS
    + r"\b|\son\s+(?:twitter|x)\b|\s(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|\s+told\b|\s+who\b",
    re.I,
)


def attribution_after(body: str, pos: int, limit: int) -> tuple[Speaker, str, int] | None:
    """(speaker, attribution text, verb offset) for "…,” X said" / "…,” said X" right after a quotation."""
    window = body[pos:limit]
    lead = re.match(r"^[\s,.;:–—-]*", window).end()
    if lead > 4:
        return None
    rest = window[lead:]
    according = re.match(
        r"^according to (?:a |an |the )?(?:statement |tweet |post )?(?:(?:from|by) )?(?P<subj>[^,.;“”\"]{2,80})", rest
    )
    if according:
        speaker = speaker_from_phrase(according.group("subj"))
        if speaker:
            return speaker, according.group(0), pos + lead
    match = _AFTER_VERB.match(rest)
    if match:
        tail = match.group("rest")
        # "…,” assured AFP Saturday the insurgent": the outlet told is not the speaker.
        agency = re.match(r"(?:to\s+)?(?:" + AGENCY_NAMES + r")\b\s*", tail)
        if agency:
            tail = tail[agency.end() :]
        tail = re.sub(r"^" + TIME_WORDS + r"\s*|^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s*", "", tail, flags=re.I)
        cut = _SUBJ_CUT.search(tail)
        subject = tail[: cut.start()] if cut else tail
        subject = re.split(r"[.!?](?:\s|$)", subject)[0]
        speaker = speaker_from_phrase(subject)
        named = re.match(r",\s+([^,.;“”\"]{3,60}?)\s*(?:[.!?]|$)", tail[cut.start() :]) if cut else None
        if speaker and not speaker.name and named and is_name_chunk(named.group(1)):
            # "…,” said the spokesman of the insurgents, Zabihullah Mujahid.": the name after the role.
            speaker = Speaker(name=named.group(1), role=subject.strip())
        if speaker:
            return speaker, rest, pos + lead + match.start()
        return None
    match = _AFTER_NAME.match(rest)
    if match and word_total(match.group("subj")) <= 14:
        subject = match.group("subj")
        chunks = [c for c in split_chunks(subject) if c]
        speaker = None
        if len(chunks) >= 2 and is_name_chunk(chunks[0]):
            # "…,” Zalmay Khalilzad, the US envoy, tweeted": a name and its apposition.
            speaker = speaker_from_phrase(chunks[0])
            if speaker:
                speaker.role = ", ".join(chunks[1:])
        elif len(chunks) == 1 and word_total(subject) <= 10:
            speaker = speaker_from_phrase(subject)
        if speaker:
            return speaker, rest, pos + lead + match.start("verb")
    return None


AGENCY_NAMES = "|".join(
    re.escape(n) for n in sorted({n for names in AGENCIES.values() for n in names}, key=len, reverse=True)
)


def verb_subject(text: str, verbs: list, index: int, depth: int = 0) -> Speaker | None:
    """The subject of the index-th speech verb found in a sentence's text.

    A participle ("…, adding that") or a second verb of one subject ("… and said") takes the subject of
    the verb before it, or the sentence's own subject. Only the ATTRIBUTION_REACH characters before the
    verb are read, and a chain of such verbs is followed a few links back, so run-on text stays linear.
    """
    verb = verbs[index]
    prefix = text[max(0, verb.start() - ATTRIBUTION_REACH) : verb.start()]
    coordinated = verb.group() in PARTICIPLES or re.search(r"\band\s*$", ADVERB.sub("", prefix[-200:].rstrip()))
    if coordinated:
        earlier = None
        if index > 0 and depth < 3 and verbs[index - 1].start() >= verb.start() - ATTRIBUTION_REACH:
            earlier = verb_subject(text, verbs, index - 1, depth + 1)
            if earlier and earlier.name:
                return earlier
        speaker = subject_before(prefix)
        if speaker and speaker.name:
            return speaker
        # An earlier verb's described subject ("the spokesman said …, adding …") before the sentence's own.
        if earlier and (earlier.description in PRONOUNS or DETERMINER_START.match(earlier.description)):
            return earlier
        return sentence_subject(prefix) or earlier or speaker
    return subject_before(prefix)


# Whom a speaker tells: reporters, an outlet, or an audience ("the audience", "a press conference").
_AUDIENCE = (
    r"audience|crowd|gathering|(?:news |press )?conference|briefing|meeting|parliament|assembly|reporters|"
    r"journalists|press|media|newspaper|agency|channel|broadcaster|station|ceremony|delegates|lawmakers|senators"
)
_OBJECT = (
    r"(?:the\s+)?(?:reporters|journalists|the press|[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)"
    r"|(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?(?:" + _AUDIENCE + r")(?:\s+in\s+[A-Z][\w-]*(?:,\s+[A-Z][\w-]*)?)?"
)
# Adverbs between the verb and its clause: "said separately that", "has said repeatedly that".
_MANNER = r"(?:\s+(?:\w+ly|separately|again|also|too|later|earlier|today|yesterday))?"
_SETTING = (
    r"(?:\s+(?:in|on|during|at|to|after|before|from|with|via)\s+[^,.;:“”\"]{1,70}?(?:,\s+[A-Z][\w-]+)?"
    r"|\s+"
    + TIME_WORDS
    + r"|\s+(?:on|in)\s+(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*\s+\d{1,2}|twitter|x))"
)
_THAT_LEAD = re.compile(
    r"^(?P<obj>\s+(?:"
    + _OBJECT
    + r"))?"
    + _MANNER
    + r"(?P<setting>"
    + _SETTING
    + r"){0,2}"
    + _MANNER
    + r"\s*,?\s+that\b"
)
_BARE_LEAD = re.compile(
    r"^(?P<obj>\s+(?:" + _OBJECT + r"))?(?:\s+(?:in|on|during)\s+(?:a|an|his|her|its|their)\s+"
    r"(?:statement|interview|tweet|briefing|speech|post|message|communiqué|report|address)|\s+"
    + TIME_WORDS
    + r")?\s*,?"
)


_BARE_LEAD_NO_OBJECT = re.compile(
    r"^(?:\s+(?:in|on|during)\s+(?:a|an|his|her|its|their)\s+"
    r"(?:statement|interview|tweet|briefing|speech|post|message|communiqué|report|address)|\s+"
    + TIME_WORDS
    + r")?\s*,?"
)


# "declined to say whether …", "would not say which …": no claim is reported.
_NO_CLAIM_BEFORE = re.compile(
    r"\b(?:declined|refused|decline|refuse|declining|refusing)\s+to\s*$|\b(?:not|n't)\s*$", re.I
)
_WH_CLAUSE = re.compile(r"^\s+(?:whether|which|what|how|why|who|whom|when|where|if)\b", re.I)


def _clause_lead(word: str, rest: str) -> tuple[int, bool] | None:
    """(offset where the reported clause starts, whether "that" introduced it), or None for no clause."""
    if _WH_CLAUSE.match(rest):
        return None
    match = _THAT_LEAD.match(rest)
    if match and (match.group("obj") is None or word in {"told", "tells", "telling"}):
        return match.end(), True
    if word in {"told", "tells", "telling"}:
        match = _BARE_LEAD.match(rest)
        return (match.end(), False) if match and match.group("obj") else None
    if word in BARE_CLAUSE_VERBS:
        match = _BARE_LEAD_NO_OBJECT.match(rest)
        # "… said on Saturday, hours before …": what follows the comma is the narrator's, not a claim.
        if match and "," not in match.group(0):
            return match.end(), False
    return None


_AUXILIARY = re.compile(
    r"\s+(?:was|is|had|has|have|would|will|could|should|might|must|did|does|were|are|can|may|remained|"
    r"remains|needed|needs|wanted|wants|expected|expects|depended|depends)\b"
)
_PARENTHETICAL_SUBJECT = re.compile(
    r"^\s*(?:[A-Z]\w+,\s+)?(?:[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}|he|she|they)\s+$"
)


_AND_THAT = re.compile(r",?\s+and\s+that\s+")


def _parenthetical(before: str, rest: str) -> tuple[int, bool] | None:
    """ "Still, Abdullah said, the talks …": an attribution set inside the claim it reports."""
    if _PARENTHETICAL_SUBJECT.match(before) and re.match(r",\s+[a-z]", rest):
        return len(re.match(r",\s+", rest).group(0)), False
    return None


def indirect_claims(body, paragraphs, starts, quote_spans, used_verbs, context) -> list[Draft]:
    """Reported claims without quotation marks: "X said (that) …", "according to X, …", "…, he said"."""
    drafts = []
    for index, para in enumerate(paragraphs):
        p_starts = starts[bisect_left(starts, para[0]) : bisect_left(starts, para[1])]
        bounds = list(zip(p_starts, p_starts[1:] + [para[1]], strict=False))
        for s_begin, s_end in bounds:
            sentence = body[s_begin:s_end]
            verbs = list(re.finditer(rf"\b{SPEECH_VERB}\b", sentence))
            for n, verb in enumerate(verbs):
                pos = s_begin + verb.start()
                if pos in used_verbs or quote_spans.inside(pos):
                    continue
                if _NO_CLAIM_BEFORE.search(sentence[max(0, verb.start() - 30) : verb.start()]):
                    continue
                lead = _clause_lead(verb.group(), sentence[verb.end() :])
                if lead is None and verb.group() in {"said", "says"}:
                    lead = _parenthetical(sentence[: verb.start()], sentence[verb.end() :])
                if lead is None:
                    continue
                offset, has_that = lead
                if verb.group() in PARTICIPLES and verb.group() != "saying" and not has_that:
                    continue
                clause_start = s_begin + verb.end() + offset
                if s_end - clause_start > CLAUSE_REACH:
                    # No reported clause runs this long: a run-on "sentence" of scraped text, left unread.
                    continue
                clause_end = _clause_end(body, clause_start, s_end)
                draft = _claim(body, clause_start, clause_end, quote_spans)
                if draft is None:
                    continue
                start, end = draft
                first_word = body[start:end].split()[0].lower().strip(",")
                if not has_that and (first_word in PREPOSITIONS or first_word in NOT_CLAUSE_START):
                    # "said it had …", "said there was …": a pronoun opening a clause with its verb.
                    if not (
                        first_word in {"it", "there", "this"} and _AUXILIARY.match(body[start:end], len(first_word))
                    ):
                        continue
                window = max(0, verb.start() - ATTRIBUTION_REACH)
                subject_text = sentence[window : verb.start()]
                cut = max(subject_text.rfind("”"), subject_text.rfind('"'))
                if cut == -1:
                    speaker = verb_subject(sentence, verbs, n)
                else:
                    # After a quotation ("“…,” Naeem added, noting that …") the subject is found after it.
                    rest = sentence[window + cut + 1 : verb.end()]
                    rest_verbs = list(re.finditer(rf"\b{SPEECH_VERB}\b", rest))
                    speaker = verb_subject(rest, rest_verbs, len(rest_verbs) - 1) if rest_verbs else None
                speaker = resolve_speaker(context, pos, speaker)
                if not speaker:
                    continue
                outside = body[s_begin:start] + " " + body[end:s_end]
                context.remember(pos, speaker)
                _add_claim(
                    drafts,
                    quote_spans,
                    body,
                    (start, end),
                    speaker,
                    index,
                    pos,
                    medium=medium_of(outside),
                    said_to=said_to_of(outside),
                    date=date_of(outside),
                )
                # "said that A and that B": a second claim of the same speaker, on the same occasion.
                more = _AND_THAT.match(body, clause_end, s_end)
                second = _claim(body, more.end(), _clause_end(body, more.end(), s_end), quote_spans) if more else None
                if second:
                    first = drafts[-1]
                    _add_claim(
                        drafts,
                        quote_spans,
                        body,
                        second,
                        speaker,
                        index,
                        pos,
                        medium=first.medium,
                        said_to=first.said_to,
                        date=first.date,
                    )
            drafts.extend(_according_and_tail(body, s_begin, s_end, index, quote_spans, context, para[0]))
    return drafts


def _clause_end(body: str, start: int, s_end: int) -> int:
    end = s_end
    for pattern in (
        r":\s*[“\"]",
        r",?\s+(?:because|since|and|but|as)\s+[“\"]",
        r",\s+but\b(?!\s+that\s+(?:[“\"]|(?:there|the|it|he|she|they|we|a|an|its|their|his|her)\b))",
        r",\s+which\b",
        r";\s",
        r",\s+(?:although|though|whereas)\b",
        r"\s+(?:and|but)\s+" + SPEECH_VERB + r"\b",
        r",?\s+(?:adding|saying|noting|stressing|insisting|warning)\b",
        r",?\s+and\s+that\b",
        r",\s+(?:as(?!\s+well\s+as)|even as|while|days|hours|weeks|months|a day|a week|shortly)\s",
    ):
        match = re.search(pattern, body[start:end])
        if match:
            end = start + match.start()
    tail = re.search(
        r",\s*(?:he|she|they|the \w+|[A-Z][\w-]+(?:\s[A-Z][\w-]+)?)\s+(?:said|added|says|told\b[^,.]*)(?:\s+"
        + TIME_WORDS
        + r")?\s*[.\s]*$",
        body[start:end],
    )
    if tail:
        end = start + tail.start()
    tail = re.search(r",\s*according to\b[^,]*[.\s]*$", body[start:end])
    if tail:
        end = start + tail.start()
    return end


def _claim(body: str, start: int, end: int, quote_spans) -> tuple[int, int] | None:
    start, end = trim(body, start, end, keep_terminal=False)
    while end > start and body[end - 1] in ". ":
        end -= 1
    text = body[start:end]
    if word_total(text) < 3 or text[:1] in QUOTE_MARKS:
        return None
    for q_start, q_end, is_statement in quote_spans.near(start, end):
        if start <= q_start and q_end <= end + 1 and is_statement:
            return None
        if q_start <= start < q_end or q_start < end <= q_end:
            return None
    return start, end


# "…, a senior member of the group said on Saturday." / "…, officials said, adding …" / "…, according to X."
_TAIL = re.compile(
    r",\s*(?:according to (?P<who>[^,.“”\"]{2,80})|(?P<subj>[^,“”\";:]{2,80}?),?\s+(?:said|added|says|told\s+(?:reporters|journalists|"
    r"[A-Z][\w-]*(?:\s[A-Z][\w-]*)*)))(?:\s+" + TIME_WORDS + r")?"
    r"(?:\s+(?:after|before|during|while|in|at|on)\s(?:(?!\bthat\b)[^,“”\";:]){1,80}[.\s]*$)?\s*(?:[.\s]*$|,\s)"
)
_DATELINE_LEAD = re.compile(r"^[A-Z][\w.’' -]{1,40}(?:,\s[\w.’' -]{1,30})?(?:\s*\([^)]{2,30}\))?(?:\s+[–—-]{1,2}|:)\s+")
# "…, a member of the movement's negotiating team, Suhail Shaheen, told …": the role before the name.
_ROLE_BEFORE_NAME = re.compile(r",\s*(?:a|an|the)\s[^,“”\";:]{2,80}$")


def _according_and_tail(body, s_begin, s_end, index, quote_spans, context, paragraph_start=-1) -> list[Draft]:
    drafts = []
    sentence = body[s_begin:s_end]
    # "According to Abdullah Abdullah, the chairman of the council, the team …": the apposition is skipped.
    match = re.match(
        r"\s*(?:But\s+|And\s+)?According to (?P<who>[^,]{2,80}),\s*(?:(?:the|a|an)\s[^,]{2,80},\s*)?", sentence
    )
    if match:
        span = _claim(body, s_begin + match.end(), s_begin + len(sentence.rstrip()), quote_spans)
        speaker = resolve_speaker(context, s_begin, speaker_from_phrase(match.group("who")))
        if span and speaker:
            _add_claim(drafts, quote_spans, body, span, speaker, index, s_begin)
            context.remember(s_begin, speaker)
        return drafts
    match = _TAIL.search(sentence)
    if (
        match
        and word_total(match.group("who") or match.group("subj")) <= 10
        and not quote_spans.inside(s_begin + match.start())
    ):
        phrase = match.group("who") or match.group("subj")
        claim_start = s_begin
        dateline = _DATELINE_LEAD.match(sentence)
        if dateline and s_begin == paragraph_start:
            claim_start += dateline.end()
        claim_end = match.start()
        role = _ROLE_BEFORE_NAME.search(sentence, 0, claim_end) if match.group("subj") else None
        if role and is_name_chunk(phrase.strip()):
            claim_end = role.start()
        span = _claim(body, claim_start, s_begin + claim_end, quote_spans)
        if span and not re.search(rf"\b{SPEECH_VERB}\b", body[span[0] : span[1]]):
            pos = s_begin + match.start()
            speaker = resolve_speaker(context, pos, speaker_from_phrase(phrase))
            if speaker:
                _add_claim(drafts, quote_spans, body, span, speaker, index, pos)
                context.remember(pos, speaker)
    return drafts


def _add_claim(drafts, quote_spans, body, span, speaker, paragraph, anchor, **occasion) -> None:
    """Keep a reported claim of `speaker` over `span`, and mark its words as taken."""
    start, end = span
    drafts.append(
        Draft(
            start=start,
            end=end,
            text=body[start:end],
            kind="indirect",
            speaker=speaker,
            paragraph=paragraph,
            anchor=anchor,
            **occasion,
        )
    )
    quote_spans.add(start, end, True)
