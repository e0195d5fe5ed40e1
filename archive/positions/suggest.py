"""Stances and relations the machine suggests: pure rules on words, dates, speakers and sides (no ORM).

Stance. A statement's wording is read clause by clause (a comma, a semicolon or "but" ends a clause). Cue
phrases say "opposes" ("rejected", "will not accept"), "supports" ("ready to", "welcomed") or sets a
condition ("on condition that", "only if"). A negation shortly before a cue, in the same clause, turns it:
"not ready to" opposes, while "did not reject" is no longer opposition (the reading becomes unclear, not
support). A condition with support, or alone, is conditional; support and opposition together are unclear.

Relations. A later statement whose words deny, confirm or answer ("denied", "dismissed the claim",
"confirmed", "in response to") is suggested as doing so to an earlier statement of another speaker on the
same topic within a few days; a statement on the same topic from another side within those days is
suggested as a reply; the same speaker taking the opposite stance later on a topic is suggested as a
contradiction (a possible shift). Suggestions are only ever shown as suggestions, to confirm or reject.
"""

import datetime
import re
from dataclasses import dataclass, field

WINDOW_DAYS = 3
MAX_TARGETS = 2
NEGATION_REACH = 4  # words before a cue that a negation reaches

_CONTRACTIONS = [
    (re.compile(r"\bwon['’]t\b"), "will not"),
    (re.compile(r"\bcan['’]t\b"), "can not"),
    (re.compile(r"\bcannot\b"), "can not"),
    (re.compile(r"\bshan['’]t\b"), "shall not"),
    (re.compile(r"n['’]t\b"), " not"),
]
_CLAUSE_BREAK = re.compile(r"[,;:.!?()\u2014\u2013]|\b(?:but|however|although|though|while|whereas|yet)\b")
_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")

NEGATORS = frozenset({"not", "never", "no", "nor", "neither", "without", "refuse", "refused", "refuses", "refusing"})

# Phrases that report a denial of a claim, not a stance on the topic: read as relation cues only.
DENIAL_PHRASES = [
    "rejected reports",
    "rejected the report",
    "rejected the claim",
    "rejected claims",
    "rejected allegations",
    "rejected the allegation",
    "dismissed the claim",
    "dismissed claims",
    "dismissed reports",
    "dismissed the report",
    "dismissed allegations",
]

STANCE_CUES = {
    "opposes": [
        "reject",
        "rejected",
        "rejects",
        "rejecting",
        "refuse",
        "refused",
        "refuses",
        "oppose",
        "opposed",
        "opposes",
        "against",
        "unacceptable",
        "condemn",
        "condemned",
        "condemns",
        "walk away",
        "walked away",
    ],
    "supports": [
        "ready to",
        "ready for",
        "ready and",
        "prepared for",
        "interest in",
        "promoting",
        "prepared to",
        "willing to",
        "accept",
        "accepted",
        "accepts",
        "agree to",
        "agreed to",
        "agrees to",
        "support",
        "supported",
        "supports",
        "welcome",
        "welcomed",
        "welcomes",
        "committed to",
        "in favour of",
        "in favor of",
        "backed",
        "backs",
    ],
    "conditional": [
        "on condition that",
        "on the condition that",
        "provided that",
        "providing that",
        "only if",
        "only when",
        "only after",
        "as long as",
        "so long as",
        "depends on",
        "conditional on",
        "unless",
    ],
}

DENIALS = [*DENIAL_PHRASES, "denied", "denies", "deny", "denying"]

RELATION_CUES = [
    ("denies", [*DENIALS, "baseless", "not true", "untrue"]),
    ("confirms", ["confirmed", "confirms", "confirm", "confirming"]),
    ("replies_to", ["in response to", "responding to", "responded", "replied", "replying to", "reacting to"]),
    ("repeats", ["reiterated", "reiterates", "repeated his", "repeated her", "repeated its", "repeated their"]),
]

POLARITY = {"supports": 1, "conditional": 1, "opposes": -1, "unclear": 0}


SENTENCE_REACH = 200  # characters before and after a statement read for its sentence
LEAD_IN = 100  # characters of a sentence read before (and after) a statement at most
_SENTENCE_END = re.compile(r"[.!?](?=[\s”\"])|\n")


def sentence_of(window: str, start: int, end: int) -> str:
    """The sentence a statement's span (start, end in `window`) stands in: its reporting words too, as in
    "the ministry denied that …" before a reported claim."""
    before = window[:start]
    # Reporting words sit close to the statement: past LEAD_IN characters it is another clause's text.
    cut = max([m.end() for m in _SENTENCE_END.finditer(before)] + [start - LEAD_IN, 0])
    after = _SENTENCE_END.search(window, end)
    stop = min(after.end() if after else len(window), end + LEAD_IN)
    return window[cut:stop].strip()


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'")
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def clauses(text: str) -> list[list[str]]:
    """The text's clauses, each as its words."""
    return [words for part in _CLAUSE_BREAK.split(normalise(text)) if part and (words := _WORD.findall(part))]


@dataclass(frozen=True)
class Cue:
    phrase: str
    negated: bool
    negator: str = ""

    def __str__(self):
        return f"“{self.negator} … {self.phrase}”" if self.negated else f"“{self.phrase}”"


def find_cues(words: list[str], phrases: list[str]) -> list[tuple[int, int, str]]:
    """Where each phrase occurs in the words: (start, end, phrase), longest phrases first at a place."""
    found, taken = [], set()
    for phrase in sorted(phrases, key=lambda p: -len(p.split())):
        parts = phrase.split()
        for i in range(len(words) - len(parts) + 1):
            if words[i : i + len(parts)] == parts and not taken & set(range(i, i + len(parts))):
                found.append((i, i + len(parts), phrase))
                taken |= set(range(i, i + len(parts)))
    return sorted(found)


def negator_before(words: list[str], start: int) -> str:
    """The negation that reaches the word at `start` within its clause, or ""."""
    for word in reversed(words[max(0, start - NEGATION_REACH) : start]):
        if word in NEGATORS:
            return word
    return ""


@dataclass(frozen=True)
class StanceGuess:
    stance: str
    reason: str


def suggest_stance(text: str) -> StanceGuess | None:
    """The stance the wording suggests, with the words it rests on; None when no cue is found."""
    found: dict[str, list[Cue]] = {"supports": [], "opposes": [], "conditional": [], "unclear": []}
    for words in clauses(text):
        # What follows a denial in its clause is the denied claim, not the speaker's stance.
        denials = find_cues(words, DENIALS)
        words = words[: denials[0][0]] if denials else words
        phrases = [p for cues in STANCE_CUES.values() for p in cues]
        kinds = {p: kind for kind, cues in STANCE_CUES.items() for p in cues}
        for start, _end, phrase in find_cues(words, phrases):
            kind = kinds[phrase]
            negator = "" if kind == "conditional" else negator_before(words, start)
            if negator in ("refuse", "refused", "refuses", "refusing") and kind == "opposes":
                negator = ""  # "refused to reject" is rare; "refused" itself is the opposition
            if negator:
                # A negated support is opposition; a negated opposition is no longer opposition.
                kind = "opposes" if kind == "supports" else "unclear"
            found[kind].append(Cue(phrase, bool(negator), negator))
    supports, opposes, conditional, unclear = (found[k] for k in ("supports", "opposes", "conditional", "unclear"))
    if conditional and not opposes:
        return StanceGuess("conditional", _reason("conditional", conditional + supports))
    if supports and opposes:
        return StanceGuess("unclear", _reason("mixed", supports + opposes))
    if opposes:
        return StanceGuess("opposes", _reason("opposes", opposes))
    if supports:
        return StanceGuess("supports", _reason("supports", supports))
    if conditional or unclear:
        return StanceGuess("unclear", _reason("unclear", conditional + opposes + unclear))
    return None


def _reason(label: str, cues: list[Cue]) -> str:
    return f"wording ({label}): " + ", ".join(str(c) for c in cues)


def relation_cue(text: str) -> tuple[str, str] | None:
    """The kind of answer the wording announces and the words it rests on; None when there is none.

    A negated cue ("did not confirm", "neither confirmed nor denied") announces nothing.
    """
    for words in clauses(text):
        for kind, phrases in RELATION_CUES:
            for start, _end, phrase in find_cues(words, phrases):
                if phrase in ("not true",) or not negator_before(words, start):
                    return kind, f"words: “{phrase}”"
    return None


# --- Pairing statements ------------------------------------------------------------------------------------


@dataclass
class Said:
    """What the pairing rules need of a statement."""

    pk: int
    date: datetime.date | None
    speaker_id: int | None
    side_id: int | None
    topic_ids: frozenset = frozenset()
    text: str = ""
    stances: dict = field(default_factory=dict)  # topic id -> stance


@dataclass(frozen=True)
class RelationSuggestion:
    from_pk: int
    to_pk: int
    kind: str
    reason: str


def _topic_names(ids, names: dict | None) -> str:
    return ", ".join(sorted((names or {}).get(t, str(t)) for t in ids))


def suggest_relations(
    statements: list[Said], topic_names: dict | None = None, window_days: int = WINDOW_DAYS
) -> list[RelationSuggestion]:
    """Relations between the statements, each from a statement to one said on or before it."""
    dated = sorted((s for s in statements if s.date is not None), key=lambda s: (s.date, s.pk))
    found: dict[tuple[int, int, str], RelationSuggestion] = {}

    def add(suggestion: RelationSuggestion):
        found.setdefault((suggestion.from_pk, suggestion.to_pk, suggestion.kind), suggestion)

    window = datetime.timedelta(days=window_days)
    first = 0  # the first statement inside the window of the current one (the list is in date order)
    for index, later in enumerate(dated):
        while later.date - dated[first].date > window:
            first += 1
        cue = relation_cue(later.text)
        earlier = [s for s in dated[first:index] if s.topic_ids & later.topic_ids]
        earlier = [s for s in earlier if s.speaker_id is None or s.speaker_id != later.speaker_id]
        earlier.sort(key=lambda s: (later.date - s.date, -s.pk))
        if cue:
            kind, words = cue
            for target in earlier[:MAX_TARGETS]:
                days = (later.date - target.date).days
                shared = _topic_names(target.topic_ids & later.topic_ids, topic_names)
                add(RelationSuggestion(later.pk, target.pk, kind, f"{words}; topic: {shared}; {days} day(s) apart"))
        # Across sides, the nearest earlier statement of each other side on a shared topic.
        seen_sides = set()
        for target in earlier:
            if None in (target.side_id, later.side_id) or target.side_id == later.side_id:
                continue
            if target.side_id in seen_sides:
                continue
            seen_sides.add(target.side_id)
            days = (later.date - target.date).days
            shared = _topic_names(target.topic_ids & later.topic_ids, topic_names)
            add(
                RelationSuggestion(
                    later.pk, target.pk, "replies_to", f"other side, same topic ({shared}), {days} day(s) apart"
                )
            )
    for earlier, later, topic_id in stance_changes(dated):
        reason = (
            f"same speaker, opposite stance later on {_topic_names({topic_id}, topic_names)}: "
            f"{earlier.stances[topic_id]} → {later.stances[topic_id]} (possible shift)"
        )
        add(RelationSuggestion(later.pk, earlier.pk, "contradicts", reason))
    return list(found.values())


def opposite(first: str, second: str) -> bool:
    return POLARITY.get(first, 0) * POLARITY.get(second, 0) < 0


def stance_changes(statements: list[Said]) -> list[tuple[Said, Said, int]]:
    """Where a speaker's stance on a topic turns to the opposite: (earlier, later, topic id), in date order.

    Each stance is compared with the same speaker's previous clear stance on that topic.
    """
    last: dict[tuple[int, int], Said] = {}
    changes = []
    for said in sorted((s for s in statements if s.date is not None), key=lambda s: (s.date, s.pk)):
        if said.speaker_id is None:
            continue
        for topic_id, stance in sorted(said.stances.items()):
            if POLARITY.get(stance, 0) == 0:
                continue
            key = (said.speaker_id, topic_id)
            before = last.get(key)
            if before is not None and opposite(before.stances[topic_id], stance):
                changes.append((before, said, topic_id))
            last[key] = said
    return changes
