"""Extract stage: statements and their speakers from a clean body (no ORM).

Quotations are found by pairing quote marks paragraph by paragraph (curly or straight, tolerant of the
reversed and unclosed marks of scraped, machine-translated text); each is attributed to the speaker named
after it ("…,” X said), before it ("X said: “…”", "X told Al Jazeera that “…”") or, for a paragraph that
continues a quotation, to the previous speaker. Reported claims ("X said that …", "according to X, …")
without quotation marks are indirect statements. Spans follow fixtures/README.md, "Statements".
"""

import re
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from dataclasses import dataclass, field

from archive.ingest.clean import AGENCIES, parse_date
from archive.text import TITLES

QUOTE_MARKS = '“”"„‟'
OPENERS = "“„‟"
CLOSERS = "”"

_VERB_FORMS = """
said says say saying told tells tell telling added adds adding stated states tweeted tweets wrote writes warned warns
warning assured assures insisted insists insist insisting acknowledged acknowledges denied denies announced announces
believe believes believed reiterated reiterates explained explains noted notes stressed stresses emphasized emphasised
emphasizes claimed claims argued argues admitted admits complained complains declared declares confirmed confirms
urged urges noting stressing replied responded posted hinted hints conceded conceding concedes pledged promised vowed asserted
asserts predicted remarked commented suggested maintained maintains recalled recalls found finds cautioned
""".split()
SPEECH_VERB = r"(?:" + "|".join(sorted(_VERB_FORMS, key=len, reverse=True)) + r")"
# Verbs after which a bare clause (no "that") is the reported claim.
_BARE_CLAUSE_VERBS = frozenset(
    "said says say believe believes believed insisted insists insist denied denies admitted admits acknowledged "
    "emphasized emphasised emphasizes claimed claims maintains maintained".split()
)
# Verbs that only report a claim when a "that" clause follows.
_THAT_VERBS = frozenset(_VERB_FORMS) - {"saying", "adding", "telling", "warning", "insisting", "conceding"}
_QUOTE_ONLY_VERBS = frozenset({"saying", "adding", "warning", "insisting"})

PRONOUNS = {"he": "singular", "she": "singular", "they": "plural", "it": "thing", "we": "plural", "i": "singular"}
_CALLED = re.compile(
    r"(?<!so-)\b(?:called|calls|call|calling|termed|terms|dubbed|dubs|described(?: \w+)? as|describes(?: \w+)? as|"
    r"branded|labelled|labeled|complained of|complains of|denounced|decried|warned of|warns of|spoke of|"
    r"speaks of|referred to|refers to)\b(?:\s+\S+){0,3}\s*$",
    re.I,
)
_DETERMINER_START = re.compile(r"^(?:the|a|an|its|his|her|their|our|this|that|these|those)\b", re.I)
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sen|Rep|Gov|Prof|Jr|Sr|No|Vol|Capt|Maj|Sgt|Adm|Cmdr|vs|etc|approx)|\b[A-Z]|\b(?:[A-Z]\.){1,3}[A-Z])$"
)
_TIME_WORDS = r"(?:on|last|this|late|early|earlier|next)\s+(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|week|month|year|night|morning|evening)"
_ADVERB = re.compile(
    r"(?:\s+(?:has|have|had|also|even|then|finally|recently|reportedly|previously|again|already|further|later|would|"
    r"will|once|just|only|still|never|publicly|privately|repeatedly|earlier|now|has\s+also|\w+ly))+\s*$",
    re.I,
)
_LEAD_CONJUNCTION = re.compile(
    r"^(?:but|and|yet|so|meanwhile|however|still|now|also|then|thus|instead|moreover|indeed)\b[\s,]*", re.I
)
_PREPOSITIONS = frozenset(
    "in of to from at for with by on near inside across based about over under into after before during against "
    "between among within outside than via".split()
)
_NAME_CONNECTORS = frozenset(
    {"bin", "bint", "ibn", "al", "el", "ul", "ud", "de", "da", "van", "von", "der", "of", "for", "and"}
)
COMMON_HEADS = frozenset(
    """
    sources source officials official critics analysts analyst members member people diplomats diplomat experts expert
    observers residents witnesses those some many others another one both leaders leader negotiators negotiator
    representatives representative spokesman spokeswoman spokesperson authorities government insurgents militants
    commanders commander fighters elders activists journalists reporters lawmakers politicians security
    several most all few
    """.split()
)
# "According to the agreement, …": a document's terms are nobody's statement.
DOCUMENT_HEADS = frozenset(
    "agreement deal accord treaty plan law constitution schedule timetable data figures document text draft".split()
)
# "the Taliban spokesman", "their envoy": a description by role that names an earlier speaker again.
ROLE_HEADS = frozenset(
    "spokesman spokeswoman spokesperson envoy minister president negotiator ambassador representative adviser "
    "advisor analyst expert official leader director chief secretary organization organisation group".split()
)
_SUBORDINATOR = re.compile(r"\b(?:that|if|while|when|because|although|though|whereas|unless|since|even if)\s+", re.I)
_TRAILING_TIME = re.compile(
    r"(?:\s+(?:on|last|this|late|early|earlier|next)\s+(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|week|month|year)"
    r"(?:\s+(?:morning|afternoon|evening|night))?|\s+(?:earlier|today|yesterday|tonight)"
    r"|\s+(?:in|on|during|via)\s+(?:a|an|his|her|its|their)\s+(?:tweet|statement|interview|post|message|video|speech))+\s*$",
    re.I,
)
_TRAILING_FILLER = re.compile(
    r"(?:\s+(?:has|have|had|is|are|was|were|also|even|then|finally|recently|reportedly|previously|again|already|"
    r"further|later|would|will|once|just|only|still|never|publicly|privately|repeatedly|earlier|now|\w+ly))+\s*$",
    re.I,
)
ORG_WORDS = frozenset(
    """
    group institute institution department ministry office council forum network organization organisation nations
    states government administration taliban press service security affairs agency army party committee commission
    bank university times post news radio television embassy house palace emirate republic movement alliance front
    union international foundation center centre initiative pentagon nato congress parliament senate court
    """.split()
)


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


@dataclass
class Speaker:
    """Who speaks: a name to resolve to an Actor, or the text's own description of an anonymous speaker."""

    name: str = ""
    description: str = ""
    role: str = ""
    plural: bool = False

    @property
    def key(self) -> str:
        return self.name or self.description

    def __bool__(self):
        return bool(self.name or self.description)


@dataclass
class Draft:
    """One extracted statement, not yet saved."""

    start: int
    end: int
    text: str
    kind: str
    speaker: Speaker
    medium: str = ""
    said_to: str = ""
    date: object = None
    paragraph: int = 0
    anchor: int = 0
    topics: list = field(default_factory=list)


# --- text structure -------------------------------------------------------------------------------


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
        before = text[start : start + match.start()]
        if _ABBREVIATIONS.search(before):
            continue
        starts.append(start + match.end())
    return starts


def _sentence_bounds(text: str, pos: int, para: tuple[int, int], starts: list[int]) -> tuple[int, int]:
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


def _trim(text: str, start: int, end: int, *, keep_terminal: bool = True) -> tuple[int, int]:
    """Span trimmed of whitespace and of a trailing comma or semicolon (and full stop, for indirect claims)."""
    while start < end and text[start] in " \t\n–—-":
        if text[start] in "–—-" and not text[start + 1 : start + 2].isspace():
            break
        start += 1
    while end > start and text[end - 1] in " \t\n,;:" + ("" if keep_terminal else "."):
        end -= 1
    return start, end


# --- quotations -----------------------------------------------------------------------------------


def _looks_opening(text: str, i: int, para_end: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < para_end else " "
    return (before.isspace() or before in "([–—-:") and not after.isspace()


def _looks_closing_at_end(text: str, i: int, para_end: int) -> bool:
    return not text[i + 1 : para_end].strip() or text[i + 1 : i + 2] in ",.;:!?)"


def find_quotes(body: str) -> list[Quote]:
    """Every quotation of the body, paired paragraph by paragraph."""
    quotes: list[Quote] = []
    paragraphs = paragraph_spans(body)
    carry: Quote | None = None
    for index, (p_start, p_end) in enumerate(paragraphs):
        marks = [i for i in range(p_start, p_end) if body[i] in QUOTE_MARKS]
        current = None
        if carry is not None:
            # A quotation left open at the end of the previous paragraph runs on only when this one re-opens it.
            if marks and marks[0] == p_start:
                current, marks = carry, marks[1:]
            else:
                carry.end = _trim(body, carry.start, carry.end)[1]
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
        carry.end = _trim(body, carry.start, carry.end)[1]
        quotes.append(carry)
    result = []
    for quote in quotes:
        quote.start, quote.end = _trim(body, quote.start, quote.end)
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


def word_total(text: str) -> int:
    return len(re.findall(r"[\w’'-]+", text))


# --- speakers -------------------------------------------------------------------------------------


def _tokens(chunk: str):
    return list(re.finditer(r"[\w’'.-]+", chunk))


def _is_cap(token: str) -> bool:
    """A capitalised word of a name, including Arabic particles joined to one ("al-Qahtani")."""
    return token[:1].isupper() or bool(re.match(r"(?:al|el|ul|ad|ud|ar|as|ash|at|az|an)-[A-Z]", token))


def name_run_at_end(chunk: str) -> tuple[str, str] | None:
    """(role, name) when a chunk ends with a capitalised name not governed by a preposition."""
    tokens = _tokens(chunk)
    if not tokens or not _is_cap(tokens[-1].group()):
        return None
    i = len(tokens) - 1
    while i > 0:
        prev = tokens[i - 1].group()
        if _is_cap(prev) or (prev.lower() in _NAME_CONNECTORS and i - 1 > 0 and _is_cap(tokens[i - 2].group())):
            i -= 1
            continue
        break
    while i < len(tokens) and tokens[i].group().lower() in _NAME_CONNECTORS:
        i += 1
    if i >= len(tokens):
        return None
    if i > 0 and tokens[i - 1].group().lower() in _PREPOSITIONS:
        return None
    # "a spokesman for the Taliban": the name is governed by the preposition before its article.
    if (
        i > 1
        and tokens[i - 1].group().lower() in {"the", "a", "an"}
        and tokens[i - 2].group().lower() in _PREPOSITIONS - {"by"}
    ):
        return None
    name_tokens = [t.group() for t in tokens[i:]]
    # A capitalised run that only opens the sentence may be a common word ("Sources", "Officials", "Those").
    while name_tokens and name_tokens[0].lower() in {"the", "a", "an", "but", "and", "so", "yet", "meanwhile"}:
        name_tokens = name_tokens[1:]
    if not name_tokens:
        return None
    if len(name_tokens) == 1 and name_tokens[0].lower().rstrip(".") in COMMON_HEADS:
        return None
    if i == 0 and all(t.lower() in COMMON_HEADS for t in name_tokens):
        return None
    name = chunk[tokens[len(tokens) - len(name_tokens)].start() : tokens[-1].end()].rstrip(".,")
    if name.endswith(("’s", "'s")):
        return None
    role = chunk[: tokens[len(tokens) - len(name_tokens)].start()].strip(" ,")
    return role, name


def _chunks(text: str) -> list[str]:
    return _split_chunks(text)


def _is_name_chunk(chunk: str) -> bool:
    tokens = [t.group() for t in _tokens(chunk)]
    return bool(tokens) and all(_is_cap(t) or t.lower() in _NAME_CONNECTORS for t in tokens) and _is_cap(tokens[0])


def speaker_from_phrase(phrase: str) -> Speaker | None:
    """The speaker a noun phrase names: "Taliban spokesman Zabihullah Mujahid", "a person familiar with …"."""
    phrase = _TRAILING_FILLER.sub("", _TRAILING_TIME.sub("", phrase.strip(" ,.;:–—-")))
    phrase = _LEAD_CONJUNCTION.sub("", phrase.strip(" ,.;:–—-")).strip()
    if not phrase:
        return None
    lowered = phrase.lower()
    if lowered in PRONOUNS:
        return Speaker(name="", description=lowered, plural=PRONOUNS[lowered] == "plural")
    first = lowered.split()[0]
    if first in {"it", "this", "which", "who", "whom", "there", "what", "here", "nor", "or", "to", "as"}:
        return None
    # "… pulls out of the country and critics": the speaker is the last subject of the phrase.
    parts = _SUBORDINATOR.split(phrase)
    if len(parts) > 1 and parts[-1].strip():
        phrase = parts[-1].strip()
    and_parts = re.split(r"\s+and\s+", phrase)
    if len(and_parts) > 1 and word_total(" and ".join(and_parts[:-1])) > 4:
        phrase = and_parts[-1].strip()
    lowered = phrase.lower()
    if lowered in PRONOUNS:
        return Speaker(name="", description=lowered, plural=PRONOUNS[lowered] == "plural")
    if word_total(phrase) > 14 or re.search(rf"\b{SPEECH_VERB}\b", phrase):
        return None
    words = lowered.replace("’", "'").split()
    if words[-1] in DOCUMENT_HEADS:
        return None
    person = re.match(
        r"^(?P<name>(?:[A-Z][\w’'.-]+\s+){1,3}[A-Z][\w’'-]+)\s+(?:of|at|from|with)\s+(?:the\s+)?(?P<org>[A-Z].*)$",
        phrase,
    )
    if person and not any(
        w.lower().strip(".") in ORG_WORDS | _TITLE_WORDS | TITLES or w.lower() == "the"
        for w in person.group("name").split()
    ):
        # "Andrew Watkins of the International Crisis Group": the person, with the organisation as role.
        return Speaker(name=person.group("name"), role=person.group("org"))
    run = name_run_at_end(phrase)
    if run:
        role, name = run
        if role.lower().startswith(("who ", "which ")):
            role = ""
        return Speaker(name=name, role=role)
    # "Taliban leaders are insisting": a movement speaking through its leadership is the movement.
    group = re.match(r"^(?:the\s+)?(?P<name>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)*)\s+(?:leaders|leadership)$", phrase)
    if group:
        return Speaker(name=group.group("name"), plural=True)
    return Speaker(description=phrase[:300], plural=is_plural(phrase))


_HEAD_END = _PREPOSITIONS | {"familiar", "close", "based", "who", "which", "that", "whose", "living", "working"}


def is_plural(phrase: str) -> bool:
    """Whether a description's head noun is plural: "officials close to …" yes, "a person familiar with the talks" no."""
    head = []
    for word in phrase.lower().split():
        if word in _HEAD_END and head:
            break
        head.append(word)
    last = head[-1].strip(",.") if head else ""
    return last in {"people", "police", "both", "those", "they"} or (
        last.endswith("s") and not last.endswith(("ss", "us", "is"))
    )


def _split_chunks(text: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\d),|,(?!\d{3})|[;:()“”\"]|\s[–—-]\s", text)]


def sentence_subject(text: str) -> Speaker | None:
    """The sentence's own subject: the first clause that opens with a name ("Qatar Foreign Minister X, who …")."""
    for chunk in _split_chunks(text):
        chunk = _LEAD_CONJUNCTION.sub("", chunk).strip()
        match = re.match(r"^(?:the\s+)?((?:[A-Z][\w’'.-]*\s+(?:(?:bin|al|of|ul)\s+)?)*[A-Z][\w’'.-]*)", chunk)
        if not match:
            continue
        run = match.group(1)
        words = run.split()
        if len(words) >= 2 and words[0].lower() not in _PREPOSITIONS | COMMON_HEADS | {"closed", "asked", "speaking"}:
            return Speaker(name=run.rstrip(".,"))
    return None


def subject_before(text: str) -> Speaker | None:
    """The subject of a speech verb, from the sentence text before the verb."""
    comma_before_verb = text.rstrip().endswith(",")
    text = _TRAILING_FILLER.sub("", _ADVERB.sub("", text.rstrip())).rstrip(" ,")
    chunks = _split_chunks(text)
    while len(chunks) > 1 and not chunks[-1]:
        chunks.pop()
    while comma_before_verb and len(chunks) > 1 and re.match(r"(?:who|which|whose|whom)\b", chunks[-1]):
        # "One Afghan official, who spoke on condition of anonymity, said": the relative clause is not the subject.
        chunks.pop()
    if not chunks or not chunks[-1]:
        return None
    last = _LEAD_CONJUNCTION.sub("", chunks[-1]).strip()
    if (not last or not last[:1].isupper() or _DETERMINER_START.match(last)) and len(chunks) >= 2:
        previous = _LEAD_CONJUNCTION.sub("", chunks[-2]).strip()
        # "Andrew Watkins, senior analyst at …, said": the name before the apposition speaks.
        run = name_run_at_end(previous)
        if (
            run
            and (_is_name_chunk(previous) or (_DETERMINER_START.match(last) and not name_run_at_end(last)))
            and not (last[:1].isupper() and not _DETERMINER_START.match(last))
        ):
            return Speaker(name=run[1], role=last if not _is_name_chunk(last) else "")
    if not last:
        # "X, who …, met Y on Saturday, and urged …": the sentence's subject speaks.
        return sentence_subject(text)
    return speaker_from_phrase(last)


_AFTER_NAME = re.compile(r"^(?P<subj>[^“”\".!?;]{1,200}?)\s+(?P<verb>" + SPEECH_VERB + r")\b", re.S)
_AFTER_VERB = re.compile(r"^(?P<verb>" + SPEECH_VERB + r")\b\s*(?P<rest>[^“”\"]*)", re.S)
_SUBJ_CUT = re.compile(
    r",|\s(?:in|on|during|at|via|through)\s+(?:a|an|his|her|its|their|the)\s+(?:statement|interview|tweet|briefing|speech|post|"
    r"message|press conference|news conference|address|communiqué|report|video)\b|\s"
    + _TIME_WORDS
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
        agency = re.match(r"(?:to\s+)?(?:" + _AGENCY_NAMES + r")\b\s*", tail)
        if agency:
            tail = tail[agency.end() :]
        tail = re.sub(r"^" + _TIME_WORDS + r"\s*|^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s*", "", tail, flags=re.I)
        cut = _SUBJ_CUT.search(tail)
        subject = tail[: cut.start()] if cut else tail
        subject = re.split(r"[.!?](?:\s|$)", subject)[0]
        speaker = speaker_from_phrase(subject)
        if speaker:
            return speaker, rest, pos + lead + match.start()
        return None
    match = _AFTER_NAME.match(rest)
    if match and word_total(match.group("subj")) <= 14:
        subject = match.group("subj")
        chunks = [c for c in _chunks(subject) if c]
        speaker = None
        if len(chunks) >= 2 and _is_name_chunk(chunks[0]):
            # "…,” Zalmay Khalilzad, the US envoy, tweeted": a name and its apposition.
            speaker = speaker_from_phrase(chunks[0])
            if speaker:
                speaker.role = ", ".join(chunks[1:])
        elif len(chunks) == 1 and word_total(subject) <= 10:
            speaker = speaker_from_phrase(subject)
        if speaker:
            return speaker, rest, pos + lead + match.start("verb")
    return None


_AGENCY_NAMES = "|".join(
    re.escape(n) for n in sorted({n for names in AGENCIES.values() for n in names}, key=len, reverse=True)
)


# --- medium, audience, date -----------------------------------------------------------------------

_MEDIA = [
    ("tweet", r"\btweet(?:ed|s)?\b|\bon (?:his |her |its |their )?twitter\b|\bwrote on x\b"),
    (
        "briefing",
        r"\btold (?:reporters|journalists|the press|a (?:news|press) conference)\b|\bbriefing\b|\b(?:news|press) conference\b",
    ),
    (
        "speech",
        r"\baddress(?:ing)? to\b|\bspeech\b|\btold a [\w\s-]*audience\b|\bappearance at\b|\bspeaking at\b|\baddressing\b",
    ),
    ("statement", r"\bin a statement\b|\bstatement\b|\bcommuniqu[ée]\b|\bpress release\b|\bofficial website\b"),
    ("report", r"\bin a report\b|\breport\b|\bsurvey\b|\bstudy\b"),
    (
        "interview",
        r"\binterview\b|\basked by\b|\btold (?:the )?(?:"
        + "|".join(re.escape(n) for n in sorted({n for v in AGENCIES.values() for n in v}, key=len, reverse=True))
        + r")\b",
    ),
]
_MEDIA = [(name, re.compile(pattern, re.I)) for name, pattern in _MEDIA]
_SAID_TO = [
    re.compile(
        r"\btold (?:the )?(?P<to>(?:a |an )?[\w’'\s-]{2,60}?)(?=\s+(?:on|that|in an?|during|about|after|before|last|this|by|via|over)\b|[,.:;“”\"]|$)"
    ),
    re.compile(r"\basked by (?P<to>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)"),
    re.compile(r"\binterview with (?:the )?(?P<to>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)(?![^,.]{0,60}? on [A-Z])"),
    re.compile(r"\binterview(?: with [^,.]{1,60}?)? on (?P<to>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)"),
    re.compile(r"\b(?:appearance|speaking|speech) at (?:the )?(?:annual )?(?P<to>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)"),
    re.compile(r"\baddress to (?:his |her |the |their )?(?:country’s |country's )?(?P<to>[\w-]+)"),
]
_ABSOLUTE_DATE = re.compile(
    r"\b(?P<d>(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+\d{1,2},\s+\d{4})"
)


def medium_of(text: str) -> str:
    for name, pattern in _MEDIA:
        if pattern.search(text):
            return name
    return ""


def said_to_of(text: str) -> str:
    for pattern in _SAID_TO:
        match = pattern.search(text)
        if match:
            value = match.group("to").strip()
            if value.lower() in {"him", "her", "them", "us", "me", "it"} or not value:
                continue
            # "reporters in Doha" are reporters; the place is where, not whom.
            value = re.sub(
                r"^((?:the )?(?:reporters|journalists|the press))\s+in\s+[A-Z][\w-]*(?:\s[A-Z][\w-]*)*$", r"\1", value
            )
            return value[:200]
    return ""


def date_of(text: str):
    match = _ABSOLUTE_DATE.search(text)
    return parse_date(match.group("d"))[0] if match else None


# --- the extractor --------------------------------------------------------------------------------


class Context:
    """What the extractor remembers while reading an article: who spoke last and who was named."""

    # How far back a description or pronoun is looked up, in speakers: enough for any article, bounded for huge ones.
    LOOKBACK = 200

    def __init__(self, body: str, quote_spans=()):
        self.body = body
        self.speakers: list[tuple[int, Speaker]] = []
        self.people: list[tuple[int, str]] = []
        self.full_names: dict[str, str] = {}
        quote_spans = sorted(quote_spans)
        quote_starts = [start for start, _ in quote_spans]

        def quoted(pos: int) -> bool:
            i = bisect_right(quote_starts, pos)
            return bool(i) and quote_spans[i - 1][0] <= pos < quote_spans[i - 1][1]

        pattern = r"\b(?:Mr|Mrs|Ms|Dr)\.?\s+[A-Z][\w’'-]+|\b[A-Z][\w’'-]+(?:\s+(?:[A-Z]\.|[A-Z][\w’'-]+|(?:al|el|ul|ad|ud|ar|as|ash|at|az|an)-[A-Z][\w’'-]+|bin|al|ul)){1,3}\b"
        for match in re.finditer(pattern, body):
            if "’s" in match.group() or "'s" in match.group():
                continue
            words = re.findall(r"[\w’'-]+", match.group())
            if any(w.lower() in ORG_WORDS for w in words) or words[0].lower() in _NOT_NAME_START:
                continue
            if words[-1].lower() in _DEMONYMS:
                continue
            name = _strip_titles(match.group())
            is_full = len(name.split()) >= 2 and not all(w.lower() in _TITLE_WORDS for w in name.split())
            after_preposition = self._after_preposition(match.start())
            # "Secretary of State Mike Pompeo": the preposition governs the title, not the name.
            if is_full and (not after_preposition or name != match.group()):
                self.full_names.setdefault(_surname(name), name)
            if after_preposition or self._governed(match.start(), match.end()):
                continue
            if quoted(match.start()):
                continue
            if is_full:
                self.people.append((match.start(), name))
            elif name.split() and _surname(name) in self.full_names:
                self.people.append((match.start(), self.full_names[_surname(name)]))
        for match in re.finditer(r"\b[A-Z][\w’'-]+\b", body):
            key = match.group().lower()
            if key in self.full_names and not self._governed(match.start(), match.end()):
                if not quoted(match.start()):
                    self.people.append((match.start(), self.full_names[key]))
        self.people.sort()
        self.people_positions = [p for p, _ in self.people]

    def add_known(self, known) -> None:
        """Speakers learnt by an earlier reading of the same text."""
        self.speakers.extend((pos, Speaker(s.name, s.description, s.role, s.plural)) for pos, s in known)
        self.speakers.sort(key=lambda item: item[0])

    def prior(self, pos: int):
        """Speakers before pos, nearest first (at most LOOKBACK of them)."""
        i = bisect_left(self.speakers, pos, key=lambda item: item[0])
        for j in range(i - 1, max(i - 1 - self.LOOKBACK, -1), -1):
            yield self.speakers[j]

    def _after_preposition(self, start: int) -> bool:
        before = self.body[max(0, start - 12) : start].lower().split()
        return bool(before and before[-1] in _PREPOSITIONS | {"including", "with"})

    def _governed(self, start: int, end: int) -> bool:
        """A name after a preposition or before a possessive is not a sentence's subject."""
        before = self.body[max(0, start - 12) : start].lower().split()
        after = self.body[end : end + 2]
        return bool(before and before[-1] in _PREPOSITIONS | {"including", "with"}) or after.startswith(("’s", "'s"))

    def canonical(self, name: str) -> str:
        """A surname ("Mr Watkins", "Mujahid") stands for the full name the article gave before."""
        bare = _strip_titles(name)
        if len(bare.split()) == 1 and _surname(bare) in self.full_names:
            return self.full_names[_surname(bare)]
        return name

    def remember(self, pos: int, speaker: Speaker):
        if speaker:
            insort(self.speakers, (pos, speaker), key=lambda item: item[0])
            if speaker.name and len(_strip_titles(speaker.name).split()) >= 2:
                self.full_names.setdefault(_surname(speaker.name), _strip_titles(speaker.name))

    def resolve_pronoun(self, pos: int, pronoun: str) -> Speaker | None:
        if pronoun in {"it", "we", "i"}:
            return None
        if pronoun == "they":
            for _p, s in self.prior(pos):
                if s.plural or (s.name and not s.role):
                    return Speaker(name=s.name, description=s.description, role=s.role, plural=s.plural)
            return None
        # "he" or "she" is a person: not a plural description, not a one-word name such as "Washington".
        last_speaker = next(
            (
                (p, s)
                for p, s in self.prior(pos)
                if not s.plural and (not s.name or len(_strip_titles(s.name).split()) >= 2)
            ),
            None,
        )
        i = bisect_left(self.people_positions, pos)
        last_person = self.people[i - 1] if i else None
        if last_person and (last_speaker is None or last_person[0] > last_speaker[0] + 40):
            return Speaker(name=last_person[1])
        if last_speaker:
            s = last_speaker[1]
            return Speaker(name=s.name, description=s.description, role=s.role)
        return None

    def resolve_description(self, pos: int, speaker: Speaker) -> Speaker:
        """A definite description ("the person", "Sources", "their spokesman") takes the earlier speaker it repeats."""
        description = speaker.description
        words = description.lower().replace("’", "'").split()
        if not words:
            return speaker
        definite = words[0] in {"the", "this", "that", "their", "its", "his", "her"}
        if definite:
            words = words[1:]
        elif len(words) > 1:
            return speaker
        if not words:
            return speaker
        head = words[-1]
        prior = [s for _p, s in self.prior(pos)]
        for s in prior:
            if s.description and s.description.lower() != description.lower():
                if re.search(rf"\b{re.escape(' '.join(words))}\b", s.description.lower()):
                    return Speaker(description=s.description, plural=s.plural)
        if definite and head in ROLE_HEADS:
            for s in prior:
                if not s.name:
                    continue
                if head in s.role.lower().split() or (
                    head in {"organization", "organisation", "group"}
                    and any(w.lower() in ORG_WORDS for w in s.name.split())
                ):
                    return Speaker(name=s.name, role=s.role)
        return speaker


_DEMONYMS = frozenset(
    "afghan afghans american americans pakistani pakistanis qatari qataris russian chinese iranian indian "
    "british european western taliban us u.s. nato".split()
)
_NOT_NAME_START = frozenset(
    "the but and in on as if when after before while although meanwhile during since for with at by from of to "
    "a an this that these those some many one".split()
)
_TITLE_WORDS = frozenset(
    "mr mrs ms dr president vice prime minister secretary general special representative envoy us u.s. state "
    "foreign spokesman senior chief deputy acting former".split()
)


def _strip_titles(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0].lower().strip(".,") in _TITLE_WORDS:
        words = words[1:]
    return " ".join(words)


def _surname(name: str) -> str:
    return name.split()[-1].lower().strip(".,’'") if name.split() else ""


def _resolve(context: Context, pos: int, speaker: Speaker | None) -> Speaker | None:
    if speaker is None:
        return None
    if not speaker.name and speaker.description in PRONOUNS:
        return context.resolve_pronoun(pos, speaker.description)
    if not speaker.name:
        return context.resolve_description(pos, speaker)
    speaker.name = context.canonical(speaker.name)
    return speaker


def _merge_quotes(body: str, quotes: list[Quote]) -> list[Quote]:
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


ATTRIBUTION_REACH = 600
_PARTICIPLES = frozenset({"saying", "adding", "telling", "warning", "insisting", "conceding", "noting", "stressing"})


def verb_subject(text: str, verbs: list, index: int) -> Speaker | None:
    """The subject of the index-th speech verb found in a sentence's text.

    A participle ("…, adding that") or a second verb of one subject ("… and said") takes the subject of
    the verb before it, or the sentence's own subject.
    """
    verb = verbs[index]
    prefix = text[: verb.start()]
    coordinated = verb.group() in _PARTICIPLES or re.search(r"\band\s*$", _ADVERB.sub("", prefix.rstrip()))
    if coordinated:
        if index > 0:
            earlier = verb_subject(text, verbs, index - 1)
            if earlier:
                return earlier
        speaker = subject_before(prefix)
        if speaker and speaker.name:
            return speaker
        return sentence_subject(prefix) or speaker
    return subject_before(prefix)


def extract_statements(body: str) -> list[Draft]:
    """Every statement of a clean body, in order.

    Read twice: the first reading learns every speaker and where they speak, so that a description or
    pronoun met early ("the Taliban spokesman") can name a speaker whose statement is found later.
    """
    # Other quotation marks read as curly ones: a same-length copy keeps every offset valid for the body.
    work = body.translate(_QUOTE_VARIANTS)
    drafts = _extract(work, [])
    if any(_DEFINITE.match(d.speaker.description) for d in drafts if not d.speaker.name):
        drafts = _extract(work, [(d.anchor, d.speaker) for d in drafts])
    kept = []
    for draft in drafts:
        draft.start, draft.end = _trim_span(body, draft.start, draft.end)
        draft.text = body[draft.start : draft.end]
        draft.speaker = _plausible_speaker(draft.speaker)
        if draft.text and draft.speaker is not None:
            kept.append(draft)
    return kept


# What a split can leave at either edge of a span: whitespace and punctuation that opens or ends nothing.
_LEADING_JUNK = " \t\n,.;:!?)]}…–—-"
_TRAILING_JUNK = " \t\n,;:([{–—-"


def _trim_span(body: str, start: int, end: int) -> tuple[int, int]:
    """A span without leading or trailing punctuation and whitespace left over from a split."""
    while start < end and body[start] in _LEADING_JUNK:
        start += 1
    while end > start and body[end - 1] in _TRAILING_JUNK:
        end -= 1
    return start, end


# Lowercase words a name may hold: particles ("bin", "al", "van") and the joins of an organisation's name.
_NAME_PARTICLES = frozenset({"al", "bin", "bint", "ibn", "de", "da", "van", "von", "der", "ul", "ud", "el"})
_NAME_JOINS = frozenset({"of", "for", "and", "the"})
# A sentence break inside a phrase: "!", "?", ";", or a full stop after a lowercase word or before one.
_SENTENCE_BREAK = re.compile(r"[!?;]|(?<![\w.])[a-z][\w’']*\.(?:\s|$)|\.\s+[a-z]")


def plausible_name(name: str) -> bool:
    """Whether a candidate speaker name looks like a name, not a clause fragment ("… behind him. him who")."""
    if _SENTENCE_BREAK.search(name):
        return False
    for word in name.split():
        word = word.strip(",.’'\"()")
        if word[:1].islower() and not (
            word in _NAME_PARTICLES or word in _NAME_JOINS or _is_cap(word) or word.split("-")[0] in _NAME_PARTICLES
        ):
            return False
    return True


def _plausible_speaker(speaker: Speaker) -> Speaker | None:
    """The speaker, None when its name is a clause fragment; a description that runs over a sentence break
    ("… for a Marine behind him. him who") is the last person it names before the break ("a Marine")."""
    if speaker.name and not plausible_name(speaker.name):
        return None
    brk = _SENTENCE_BREAK.search(speaker.description)
    if brk is None:
        return speaker
    before = speaker.description[: brk.start()]
    mentions = re.findall(r"\b(?:an?|the)\s+[A-Za-z][\w’'-]*", before)
    if not mentions:
        return None
    return Speaker(description=mentions[-1], plural=is_plural(mentions[-1]))


_QUOTE_VARIANTS = str.maketrans({"«": "“", "»": "”", "„": "“", "‟": "“", "″": '"', "＂": '"'})


_DEFINITE = re.compile(r"(?:the|their|its|his|her|this|that)\s", re.I)


def _extract(body: str, known: list) -> list[Draft]:
    paragraphs = paragraph_spans(body)
    starts = []
    for p_start, p_end in paragraphs:
        starts.extend(sentence_starts(body, p_start, p_end))
    drafts: list[Draft] = []
    quotes = _merge_quotes(body, find_quotes(body))
    context = Context(body, [(q.start, q.end) for q in quotes])
    context.add_known(known)
    used_verbs: set[int] = set()
    quote_spans = SpanSet()
    paragraph_starts = [start for start, _ in paragraphs]

    for n, quote in enumerate(quotes):
        para = paragraphs[quote.paragraph]
        text = body[quote.start : quote.end]
        words = word_total(text)
        s_begin, _ = _sentence_bounds(body, quote.open_mark, para, starts)
        # An attribution stands close to its quotation; a run-on "sentence" is read no further back than this.
        s_begin = max(s_begin, quote.open_mark - ATTRIBUTION_REACH)
        end_para = paragraphs[max(bisect_right(paragraph_starts, max(quote.after - 1, quote.start)) - 1, 0)]
        after_end = _sentence_bounds(body, max(quote.after - 1, quote.start), end_para, starts)[1]
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
            verbs = list(re.finditer(rf"\b{SPEECH_VERB}\b|\baccording to\b", before))
            if verbs:
                verb = verbs[-1]
                between = before[verb.end() :]
                speaker = verb_subject(before, verbs, len(verbs) - 1)
                if verb.group() == "according to":
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
        called = _CALLED.search(body[s_begin : quote.open_mark])
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
                previous = next((d for d in reversed(drafts) if d.speaker.key == speaker.key), None)
                if previous:
                    drafts.append(
                        Draft(
                            quote.start,
                            quote.end,
                            text,
                            kind,
                            speaker,
                            previous.medium,
                            previous.said_to,
                            previous.date,
                            quote.paragraph,
                            quote.open_mark,
                        )
                    )
                    quote_spans.add(quote.start, quote.end, True)
                    continue
        speaker = _resolve(context, quote.open_mark, speaker)
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
                quote.start,
                quote.end,
                text,
                kind or "direct",
                speaker,
                medium_of(outside),
                said_to_of(outside),
                date_of(outside),
                quote.paragraph,
                quote.open_mark,
            )
        )
        quote_spans.add(quote.start, quote.end, True)

    drafts.extend(_indirect(body, paragraphs, starts, quote_spans, used_verbs, context))
    drafts.sort(key=lambda d: (d.start, d.end))
    _share_occasion(drafts)
    unique, reach = [], -1
    for draft in drafts:  # sorted by start: a draft overlaps a kept one exactly when it starts before their reach
        if draft.end <= draft.start or draft.start < reach:
            continue
        reach = draft.end
        unique.append(draft)
    return unique


_OBJECT = r"(?:the\s+)?(?:reporters|journalists|the press|[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*|a [\w\s-]{1,40}?audience(?: in [A-Z]\w+)?)"
_SETTING = (
    r"(?:\s+(?:in|on|during|at|to|after|before|from|with|via)\s+[^,.;:“”\"]{1,70}?"
    r"|\s+"
    + _TIME_WORDS
    + r"|\s+(?:on|in)\s+(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*\s+\d{1,2}|twitter|x))"
)
_THAT_LEAD = re.compile(r"^(?P<obj>\s+" + _OBJECT + r")?(?P<setting>" + _SETTING + r"){0,2}\s*,?\s+that\b")
_BARE_LEAD = re.compile(
    r"^(?P<obj>\s+" + _OBJECT + r")?(?:\s+(?:in|on|during)\s+(?:a|an|his|her|its|their)\s+"
    r"(?:statement|interview|tweet|briefing|speech|post|message|communiqué|report|address)|\s+"
    + _TIME_WORDS
    + r")?\s*,?"
)


_BARE_LEAD_NO_OBJECT = re.compile(
    r"^(?:\s+(?:in|on|during)\s+(?:a|an|his|her|its|their)\s+"
    r"(?:statement|interview|tweet|briefing|speech|post|message|communiqué|report|address)|\s+"
    + _TIME_WORDS
    + r")?\s*,?"
)


def _clause_lead(word: str, rest: str) -> tuple[int, bool] | None:
    """(offset where the reported clause starts, whether "that" introduced it), or None for no clause."""
    match = _THAT_LEAD.match(rest)
    if match and (match.group("obj") is None or word in {"told", "tells", "telling"}):
        return match.end(), True
    if word in {"told", "tells", "telling"}:
        match = _BARE_LEAD.match(rest)
        return (match.end(), False) if match and match.group("obj") else None
    if word in _BARE_CLAUSE_VERBS:
        match = _BARE_LEAD_NO_OBJECT.match(rest)
        # "… said on Saturday, hours before …": what follows the comma is the narrator's, not a claim.
        if match and "," not in match.group(0):
            return match.end(), False
    return None


def _indirect(body, paragraphs, starts, quote_spans, used_verbs, context) -> list[Draft]:
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
                lead = _clause_lead(verb.group(), sentence[verb.end() :])
                if lead is None:
                    continue
                offset, has_that = lead
                if verb.group() in _PARTICIPLES and not has_that:
                    continue
                clause_start = s_begin + verb.end() + offset
                clause_end = _clause_end(body, clause_start, s_end)
                draft = _claim(body, clause_start, clause_end, quote_spans)
                if draft is None:
                    continue
                start, end = draft
                first_word = body[start:end].split()[0].lower().strip(",")
                if not has_that and (first_word in _PREPOSITIONS or first_word in _NOT_CLAUSE_START):
                    continue
                subject_text = sentence[: verb.start()]
                cut = max(subject_text.rfind("”"), subject_text.rfind('"'))
                if cut == -1:
                    speaker = verb_subject(sentence, verbs, n)
                else:
                    # After a quotation ("“…,” Naeem added, noting that …") the subject is found after it.
                    rest = sentence[cut + 1 :]
                    rest_verbs = list(re.finditer(rf"\b{SPEECH_VERB}\b", rest))
                    speaker = verb_subject(rest, rest_verbs, len(rest_verbs) - 1) if rest_verbs else None
                speaker = _resolve(context, pos, speaker)
                if not speaker:
                    continue
                outside = body[s_begin:start] + " " + body[end:s_end]
                context.remember(pos, speaker)
                drafts.append(
                    Draft(
                        start,
                        end,
                        body[start:end],
                        "indirect",
                        speaker,
                        medium_of(outside),
                        said_to_of(outside),
                        date_of(outside),
                        index,
                        pos,
                    )
                )
                quote_spans.add(start, end, True)
            drafts.extend(_according_and_tail(body, s_begin, s_end, index, quote_spans, context, para[0]))
    return drafts


_NOT_CLAUSE_START = frozenset("it so as yes no anything nothing something this that there".split())


def _clause_end(body: str, start: int, s_end: int) -> int:
    end = s_end
    for pattern in (
        r":\s*[“\"]",
        r",\s+but\b(?!\s+that\s+(?:there|the|it|he|she|they|we|a|an|its|their|his|her)\b)",
        r",\s+which\b",
        r";\s",
        r",\s+(?:although|though|whereas)\b",
        r"\s+(?:and|but)\s+" + SPEECH_VERB + r"\b",
    ):
        match = re.search(pattern, body[start:end])
        if match:
            end = start + match.start()
    tail = re.search(
        r",\s*(?:he|she|they|the \w+|[A-Z][\w-]+(?:\s[A-Z][\w-]+)?)\s+(?:said|added|says|told\b[^,.]*)(?:\s+"
        + _TIME_WORDS
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
    start, end = _trim(body, start, end, keep_terminal=False)
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
    r",\s*(?:according to (?P<who>[^,.“”\"]{2,80})|(?P<subj>[^,“”\";:]{2,80}?)\s+(?:said|added|says|told\s+(?:reporters|journalists|"
    r"[A-Z][\w-]*(?:\s[A-Z][\w-]*)*)))(?:\s+" + _TIME_WORDS + r")?\s*(?:[.\s]*$|,\s)"
)
_DATELINE_LEAD = re.compile(r"^[A-Z][\w.’' -]{1,40}(?:,\s[\w.’' -]{1,30})?(?:\s*\([^)]{2,30}\))?\s+[–—-]{1,2}\s+")


def _according_and_tail(body, s_begin, s_end, index, quote_spans, context, paragraph_start=-1) -> list[Draft]:
    drafts = []
    sentence = body[s_begin:s_end]
    match = re.match(r"\s*(?:But\s+|And\s+)?According to (?P<who>[^,]{2,80}),\s*", sentence)
    if match:
        span = _claim(body, s_begin + match.end(), s_begin + len(sentence.rstrip()), quote_spans)
        speaker = _resolve(context, s_begin, speaker_from_phrase(match.group("who")))
        if span and speaker:
            drafts.append(
                Draft(span[0], span[1], body[span[0] : span[1]], "indirect", speaker, paragraph=index, anchor=s_begin)
            )
            quote_spans.add(span[0], span[1], True)
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
        span = _claim(body, claim_start, s_begin + match.start(), quote_spans)
        if span and not re.search(rf"\b{SPEECH_VERB}\b", body[span[0] : span[1]]):
            pos = s_begin + match.start()
            speaker = _resolve(context, pos, speaker_from_phrase(phrase))
            if speaker:
                drafts.append(
                    Draft(span[0], span[1], body[span[0] : span[1]], "indirect", speaker, paragraph=index, anchor=pos)
                )
                quote_spans.add(span[0], span[1], True)
                context.remember(pos, speaker)
    return drafts


def _share_occasion(drafts: list[Draft]) -> None:
    """Statements of one speaker in one paragraph share the occasion's medium, audience and date."""
    by_paragraph = defaultdict(list)
    for draft in drafts:
        by_paragraph[draft.paragraph].append(draft)
    for draft in drafts:
        for other in by_paragraph[draft.paragraph]:
            if other is draft or other.paragraph != draft.paragraph or other.speaker.key != draft.speaker.key:
                continue
            if not draft.medium and other.medium:
                draft.medium = other.medium
            if not draft.said_to and other.said_to:
                draft.said_to = other.said_to
            if draft.date is None and other.date is not None:
                draft.date = other.date
