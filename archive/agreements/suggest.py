"""Which provision a statement probably speaks about, and how: pure rules on its words and topics (no ORM).

A provision is suggested when the statement uses one of its keyword lines (every phrase of a line joined
by "+", each at the start of a word: "troops + withdraw" matches "withdrawal of US troops") and shares a
topic with it; a statement without topics needs two keyword lines, or one line of two phrases or more.
The relation is guessed from cue words, denial first, then claims of breach, claims of compliance,
demands and promises; otherwise the statement "interprets" the provision. Suggestions are only ever
shown to editors as suggestions, to accept or reject.
"""

import re
from dataclasses import dataclass, field
from functools import cache

MAX_SUGGESTIONS = 3

RELATION_CUES = [
    ("denies", ["denied", "denies", "deny", "dismissed", "rejected the claim", "rejected reports"]),
    (
        "claims_broken",
        [
            "violat",
            "failed to",
            "breach",
            "broke",
            "broken",
            "not kept",
            "did not keep",
            "not fulfil",
            "not honou",
            "ring hollow",
            "no reduction",
            "reneged",
        ],
    ),
    (
        "claims_kept",
        [
            "has released",
            "have released",
            "were released",
            "has withdrawn",
            "have withdrawn",
            "kept its",
            "kept their",
            "fulfilled",
            "complied",
            "respect the deal",
            "honoured",
            "honored",
            "completed",
        ],
    ),
    ("demands", ["must", "demand", "should", "depends on", "as long as", "insist", "calls for", "called for", "urged"]),
    (
        "promises",
        [
            "we will",
            "we [will]",
            "will not allow",
            "ready to",
            "committed to",
            "determined to",
            "pledge",
            "promise",
            "vowed",
        ],
    ),
]


@dataclass(frozen=True)
class ProvisionCues:
    """What the rules need of a provision."""

    provision_id: int
    topic_ids: frozenset
    rules: tuple  # tuple of tuples of lower-case phrases


@dataclass
class Suggestion:
    provision_id: int
    relation: str
    score: int
    reason: str
    matched: list = field(default_factory=list)


@cache
def _phrase(phrase: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(phrase.lower()))


def uses(text: str, phrase: str) -> bool:
    """Whether `phrase` occurs in `text` at the start of a word (case-insensitive)."""
    return _phrase(phrase).search(text.lower()) is not None


def guess_relation(text: str) -> str:
    for relation, cues in RELATION_CUES:
        if any(uses(text, cue) for cue in cues):
            return relation
    return "interprets"


def suggest(text: str, topic_ids, provisions, topic_names: dict | None = None) -> list[Suggestion]:
    """The likely provisions of a statement, best first (at most MAX_SUGGESTIONS)."""
    topic_ids = frozenset(topic_ids)
    relation = None
    found = []
    for cues in provisions:
        matched = [rule for rule in cues.rules if all(uses(text, phrase) for phrase in rule)]
        if not matched:
            continue
        shared = topic_ids & cues.topic_ids
        if topic_ids and not shared:
            continue
        if not topic_ids and len(matched) < 2 and all(len(rule) < 2 for rule in matched):
            continue
        relation = relation or guess_relation(text)
        score = 2 * len(shared) + sum(len(rule) for rule in matched)
        words = "; ".join(" + ".join(rule) for rule in matched)
        names = ", ".join(sorted((topic_names or {}).get(t, str(t)) for t in shared))
        reason = f"words: {words}" + (f"; topic: {names}" if names else "")
        found.append(Suggestion(cues.provision_id, relation, score, reason[:300], matched))
    found.sort(key=lambda s: (-s.score, s.provision_id))
    return found[:MAX_SUGGESTIONS]
