"""Roles named in an article, so that a description ("the chairman of the council") finds its person.

Three shapes of copy tie a role to a name: an apposition after the name ("Abdullah Abdullah, the chairman
of the High Council for National Reconciliation,"), one before it ("The Taliban spokesman, Zabihullah
Mujahid,") and a title run ("Foreign Minister Mohammad Hanif Atmar"). A definite description matches the
role whose head noun it repeats (or a synonym: an envoy is a representative, a head a chairman), sharing
most of its other words; the nearest such person before the description wins.
"""

import re
from bisect import bisect_left
from dataclasses import dataclass

from archive.ingest.extract.words import ROLE_TITLES

_NAME = r"[A-Z][\w’'.-]+(?:[ \t]+(?:[A-Z][\w’'.-]+|bin|al|ul|(?:al|el|ul|ad|ud|ar|as|ash|at|az|an)-[A-Z][\w’'-]+))+"
_ROLE_TEXT = r"[^,.;:\n“”\"()]{3,120}?"
_HEADS = (
    r"spokes(?:man|woman|person)|envoy|minister|president|chairman|chairwoman|leader|negotiator|"
    r"representative|ambassador|secretary|adviser|advisor|commander|chief|head|director|official|deputy|"
    r"general|executive"
)
_AFTER = re.compile(rf"(?P<name>{_NAME}),[ \t]+(?P<role>(?:the |an? )?{_ROLE_TEXT}),")
_BEFORE = re.compile(rf"(?P<role>\b(?:[Tt]he|[Aa]n?|[A-Z][\w’'-]+)[ \t]{_ROLE_TEXT}),[ \t]+(?P<name>{_NAME}),")
_TITLED = re.compile(
    rf"(?P<role>(?:\b[\w’'.-]+[ \t]+){{0,4}}?(?i:{_HEADS})s?(?:[ \t]+of[ \t]+[A-Z][\w’'-]+)?)[ \t]+(?P<name>{_NAME})"
)

SYNONYMS = {
    "envoy": {"envoy", "representative", "negotiator"},
    "representative": {"representative", "envoy"},
    "head": {"head", "chairman", "chairwoman", "chair", "chief", "leader", "director"},
    "chairman": {"chairman", "chair", "head"},
    "chief": {"chief", "head", "leader"},
    "leader": {"leader", "head", "chief"},
    "spokesman": {"spokesman", "spokeswoman", "spokesperson"},
    "spokeswoman": {"spokesman", "spokeswoman", "spokesperson"},
    "spokesperson": {"spokesman", "spokeswoman", "spokesperson"},
    "minister": {"minister", "secretary"},
    "secretary": {"secretary", "minister"},
}
# Words that say nothing about which person is meant ("the spokesman of the insurgents" is the Taliban's).
_GENERIC = frozenset(
    "the a an of for and in at to on its their his her group movement insurgents militants country "
    "side government's".split()
)
ROLE_NOUNS = (
    frozenset(SYNONYMS)
    | frozenset(_HEADS.replace("(?:man|woman|person)", "man").split("|"))
    | {
        "negotiator",
        "official",
    }
)


NEAREST = 40


@dataclass
class Role:
    pos: int
    name: str
    words: frozenset


def role_words(text: str) -> list[str]:
    text = re.sub(r"\b([A-Za-z])\.", r"\1", text).lower().replace("’", "'")  # "U.S." is "us"
    return [w.removesuffix("'s") for w in re.findall(r"[a-z][\w'-]*", text)]


def bare_name(name: str) -> str:
    """A name without the titles before it ("Foreign Minister Mohammad Hanif Atmar" -> "Mohammad Hanif Atmar")."""
    words = name.split()
    cut = max((k for k, w in enumerate(words[:-1]) if w.lower().strip(".") in ROLE_TITLES), default=-1)
    return " ".join(words[cut + 1 :])


def find_roles(body: str) -> list[Role]:
    """Every (position, name, role words) the article states, in order of position."""
    found = []
    for pattern in (_AFTER, _BEFORE, _TITLED):
        for match in pattern.finditer(body):
            name = bare_name(match.group("name"))
            role = match.group("role")
            if pattern is _TITLED:
                title_words = match.group("name").split()[: -len(name.split())]
                role = " ".join([role, *title_words])
            if not name or not role.strip():
                continue
            found.append(Role(match.start(), name, frozenset(role_words(role))))
    found.sort(key=lambda r: r.pos)
    return found


def _same(a: str, b: str) -> bool:
    return a == b or (len(a) >= 6 and len(b) >= 6 and a[:6] == b[:6])


def match_role(description: str, roles: list[Role], pos: int) -> str | None:
    """The name of the person a definite role description means, or None."""
    words = role_words(description)
    if not words or words[0] not in {"the", "their", "its", "his", "her"}:
        return None
    words = words[1:]
    head_part = words[: words.index("of")] if "of" in words else words
    if not head_part or head_part[-1] not in ROLE_NOUNS:
        return None
    head = head_part[-1]
    heads = SYNONYMS.get(head, {head})
    content = [w for w in words if w != head and w not in _GENERIC]
    # The roles nearest the description only: an article names few people, and a huge text stays linear.
    i = bisect_left(roles, pos, key=lambda r: r.pos)
    best, best_score = None, -1
    for role in roles[max(0, i - NEAREST) : i + NEAREST]:
        if not any(_same(h, w) for h in heads for w in role.words):
            continue
        shared = sum(any(_same(c, w) for w in role.words) for c in content)
        if content and shared == 0:
            continue
        # Nearest before the description first; a role stated later only when none came before.
        score = (shared, role.pos < pos, role.pos if role.pos < pos else -role.pos)
        if best is None or score > best_score:
            best, best_score = role.name, score
    return best
