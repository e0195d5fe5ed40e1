"""Finding mentions: names, pronouns and descriptions, and the speaker a noun phrase names."""

import re
from dataclasses import dataclass

from archive.ingest.extract.roles import ROLE_NOUNS
from archive.ingest.extract.structure import word_total
from archive.ingest.extract.words import (
    ADVERB,
    COMMON_HEADS,
    DETERMINER_START,
    DOCUMENT_HEADS,
    LEAD_CONJUNCTION,
    NAME_CONNECTORS,
    NAME_JOINS,
    NAME_PARTICLES,
    ORG_WORDS,
    PREPOSITIONS,
    PRONOUNS,
    ROLE_TITLES,
    SPEECH_VERB,
    SUBORDINATOR,
    TITLE_WORDS,
    TRAILING_FILLER,
    TRAILING_TIME,
    strip_trailing,
)
from archive.text import TITLES


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


# --- speakers -------------------------------------------------------------------------------------


def word_tokens(chunk: str):
    return list(re.finditer(r"[\w’'.-]+", chunk))


def is_cap(token: str) -> bool:
    """A capitalised word of a name, including Arabic particles joined to one ("al-Qahtani")."""
    return token[:1].isupper() or bool(re.match(r"(?:al|el|ul|ad|ud|ar|as|ash|at|az|an)-[A-Z]", token))


def name_run_at_end(chunk: str) -> tuple[str, str] | None:
    """(role, name) when a chunk ends with a capitalised name not governed by a preposition."""
    tokens = word_tokens(chunk)
    if not tokens or not is_cap(tokens[-1].group()):
        return None
    i = len(tokens) - 1
    while i > 0:
        prev = tokens[i - 1].group()
        if is_cap(prev) or (prev.lower() in NAME_CONNECTORS and i - 1 > 0 and is_cap(tokens[i - 2].group())):
            i -= 1
            continue
        break
    while i < len(tokens) and tokens[i].group().lower() in NAME_CONNECTORS:
        i += 1
    if i >= len(tokens):
        return None
    if i > 0 and tokens[i - 1].group().lower() in PREPOSITIONS:
        return None
    # "a spokesman for the Taliban": the name is governed by the preposition before its article.
    if (
        i > 1
        and tokens[i - 1].group().lower() in {"the", "a", "an"}
        and tokens[i - 2].group().lower() in PREPOSITIONS - {"by"}
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
    # "NATO Secretary General Jens Stoltenberg": the name is what follows the last title of the run.
    cut = max((k for k, t in enumerate(name_tokens[:-1]) if t.lower().strip(".") in ROLE_TITLES), default=-1)
    if cut >= 0 and all(is_cap(t) or t.lower() in NAME_PARTICLES for t in name_tokens[cut + 1 :]):
        name_tokens = name_tokens[cut + 1 :]
    name = chunk[tokens[len(tokens) - len(name_tokens)].start() : tokens[-1].end()].rstrip(".,")
    if name.endswith(("’s", "'s")):
        return None
    role = chunk[: tokens[len(tokens) - len(name_tokens)].start()].strip(" ,")
    return role, name


def is_name_chunk(chunk: str) -> bool:
    tokens = [t.group() for t in word_tokens(chunk)]
    return bool(tokens) and all(is_cap(t) or t.lower() in NAME_CONNECTORS for t in tokens) and is_cap(tokens[0])


def speaker_from_phrase(phrase: str) -> Speaker | None:
    """The speaker a noun phrase names: "Taliban spokesman Zabihullah Mujahid", "a person familiar with …"."""
    phrase = strip_trailing(phrase.strip(" ,.;:–—-"), TRAILING_TIME, TRAILING_FILLER)
    phrase = LEAD_CONJUNCTION.sub("", phrase.strip(" ,.;:–—-")).strip()
    if not phrase:
        return None
    lowered = phrase.lower()
    if lowered in PRONOUNS:
        return Speaker(name="", description=lowered, plural=PRONOUNS[lowered] == "plural")
    first = lowered.split()[0]
    if first in {"it", "this", "which", "who", "whom", "there", "what", "here", "nor", "or", "to", "as"}:
        return None
    # "… pulls out of the country and critics": the speaker is the last subject of the phrase.
    parts = SUBORDINATOR.split(phrase)
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
        w.lower().strip(".") in ORG_WORDS | TITLE_WORDS | TITLES or w.lower() == "the"
        for w in person.group("name").split()
    ):
        # "Andrew Watkins of the International Crisis Group": the person, with the organisation as role.
        return Speaker(name=person.group("name"), role=person.group("org"))
    # "President Ashraf Ghani's office", "a Taliban statement", "a statement from the Taliban": the principal.
    principal = re.match(
        r"^(?:(?:a|an|the|in a)\s+)?(?:statement\s+(?:from|by)\s+(?:the\s+)?)?(?P<name>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)"
        r"(?:['’]s\s+office|\s+(?:statement|communiqué|press release)|)$",
        phrase,
    )
    if principal and re.search(r"office$|statement|communiqué|press release", phrase, re.I):
        run = name_run_at_end(principal.group("name"))
        if run:
            return Speaker(name=run[1], role=run[0])
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


_HEAD_END = PREPOSITIONS | {"familiar", "close", "based", "who", "which", "that", "whose", "living", "working"}


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


def split_chunks(text: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\d),|,(?!\d{3})|[;:()“”\"]|\s[–—-]\s", text)]


def sentence_subject(text: str) -> Speaker | None:
    """The sentence's own subject: the first clause that opens with a name ("Qatar Foreign Minister X, who …")."""
    for chunk in split_chunks(text):
        chunk = LEAD_CONJUNCTION.sub("", chunk).strip()
        match = re.match(r"^(?:[Tt]he\s+)?((?:[A-Z][\w’'.-]*\s+(?:(?:bin|al|of|ul)\s+)?)*[A-Z][\w’'.-]*)", chunk)
        if not match:
            continue
        run = match.group(1)
        words = run.split()
        rest = chunk[match.end() :]
        # "The U.S. peace envoy pressed …": a role noun after the capitals makes the subject a description.
        role = re.match(r"\s+((?:[a-z][\w-]*\s+){0,2}?(?:" + "|".join(ROLE_NOUNS) + r"))\b", rest)
        if role:
            return Speaker(description=chunk[: match.end() + role.end()].strip())
        if words[0].lower() in PREPOSITIONS | COMMON_HEADS | _NOT_SUBJECTS:
            continue
        if len(words) >= 2:
            return Speaker(name=run.rstrip(".,"))
        # "The Taliban on Monday rejected …, saying …": one capitalised word followed by the sentence's verb.
        if re.match(
            r"\s+(?:(?:on|last|this)\s+\w+\s+|\w+ly\s+|also\s+)?(?!(?:was|is|has|were)\b)[a-z]+(?:ed|s)\b", rest
        ):
            return Speaker(name=run.rstrip(".,"))
    return None


_NOT_SUBJECTS = frozenset(
    "closed asked speaking on in at last this next monday tuesday wednesday thursday friday saturday sunday "
    "january february march april may june july august september october november december".split()
)


def subject_before(text: str) -> Speaker | None:
    """The subject of a speech verb, from the sentence text before the verb."""
    # "X, the chairman of …, on Monday said": time phrases and adverbs before the verb are not the subject.
    text = strip_trailing(text.rstrip(), ADVERB, TRAILING_FILLER, TRAILING_TIME)
    # An apposition or parenthesis closes before the verb: "X, senior analyst at …, said", "X – who … – said".
    comma_before_verb = bool(re.search(r"(?:,|\s[–—-])\s*$", text))
    text = text.rstrip(" ,")
    chunks = split_chunks(text)
    while len(chunks) > 1 and not chunks[-1]:
        chunks.pop()
    # "One of them, speaking on condition of anonymity because …, said": the clause is not the subject.
    while comma_before_verb and len(chunks) > 1 and re.match(r"(?:who|which|whose|whom|\w+ing)\b", chunks[-1]):
        # "One Afghan official, who spoke on condition of anonymity, said": the relative clause is not the subject.
        chunks.pop()
    if not chunks or not chunks[-1]:
        return None
    last = LEAD_CONJUNCTION.sub("", chunks[-1]).strip()
    if (not last or not last[:1].isupper() or DETERMINER_START.match(last)) and len(chunks) >= 2:
        previous = LEAD_CONJUNCTION.sub("", chunks[-2]).strip()
        # "Andrew Watkins, senior analyst at …, said": the name before the apposition speaks.
        run = name_run_at_end(previous)
        if (
            comma_before_verb
            and run
            and (is_name_chunk(previous) or (DETERMINER_START.match(last) and not name_run_at_end(last)))
            and not (last[:1].isupper() and not DETERMINER_START.match(last))
        ):
            apposition = last if not is_name_chunk(last) else ""
            return Speaker(name=run[1], role=", ".join(part for part in (run[0], apposition) if part))
    if not last:
        # "X, who …, met Y on Saturday, and urged …": the sentence's subject speaks.
        return sentence_subject(text)
    return speaker_from_phrase(last)


def strip_titles(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0].lower().strip(".,") in TITLE_WORDS:
        words = words[1:]
    return " ".join(words)


def surname(name: str) -> str:
    return name.split()[-1].lower().strip(".,’'") if name.split() else ""


# A sentence break inside a phrase: "!", "?", ";", or a full stop after a lowercase word or before one.
_SENTENCE_BREAK = re.compile(r"[!?;]|(?<![\w.])[a-z][\w’']*\.(?:\s|$)|(?<![A-Z])\.\s+[a-z]")


def plausible_name(name: str) -> bool:
    """Whether a candidate speaker name looks like a name, not a clause fragment ("… behind him. him who")."""
    if _SENTENCE_BREAK.search(name):
        return False
    for word in name.split():
        word = word.strip(",.’'\"()")
        if word[:1].islower() and not (
            word in NAME_PARTICLES or word in NAME_JOINS or is_cap(word) or word.split("-")[0] in NAME_PARTICLES
        ):
            return False
    return True


def plausible_speaker(speaker: Speaker) -> Speaker | None:
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
