"""The occasion of a statement: medium, audience and an absolute date named around it."""

import re

from archive.ingest.clean import AGENCIES, parse_date

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
