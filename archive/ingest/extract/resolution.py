"""In-article resolution: pronouns, descriptions and surnames to the speaker the article means."""

import functools
import re
from bisect import bisect_left, bisect_right, insort

from archive.ingest.extract.mentions import Speaker, strip_titles, surname
from archive.ingest.extract.roles import bare_name, find_roles, match_role
from archive.ingest.extract.words import (
    DEMONYMS,
    NOT_NAME_START,
    ORG_WORDS,
    PREPOSITIONS,
    PRONOUNS,
    ROLE_HEADS,
    ROLE_TITLES,
    TITLE_WORDS,
)

# --- the extractor --------------------------------------------------------------------------------


# How far back a description or pronoun is looked up, in speakers: enough for any article, bounded for huge ones.
LOOKBACK = 200


# A name as the text writes it: capitalised words (with initials and Arabic particles) on one line.
_NAME_MENTION = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr)\.?[ \t]+[A-Z][\w’'-]+|\b[A-Z][\w’'-]+(?:[ \t]+(?:[A-Z]\.|[A-Z][\w’'-]+|"
    r"(?:al|el|ul|ad|ud|ar|as|ash|at|az|an)-[A-Z][\w’'-]+|bin|al|ul)){1,8}\b"
)


_GROUP_SUBJECT = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:The\s+)?(?P<name>[A-Z][\w’'-]+(?:[ \t]+(?:of[ \t]+|for[ \t]+)?[A-Z][\w’'-]+){0,4})"
    r"(?=[ \t]+[a-z])",
    re.M,
)


def _is_person(speaker: Speaker) -> bool:
    """A named speaker "he" or "she" may stand for: a full name, or one name with a title ("Mullah Baradar")."""
    return len(strip_titles(speaker.name).split()) >= 2 or any(
        word.lower().strip(".,;") in ROLE_TITLES for word in speaker.role.split()
    )


def _is_group(name: str) -> bool:
    return any(word.lower() in ORG_WORDS for word in name.split())


class Context:
    """What the extractor remembers while reading an article: who spoke last and who was named."""

    def __init__(self, body: str, quote_spans=()):
        self.body = body
        self.speakers: list[tuple[int, Speaker]] = []
        self.people: list[tuple[int, str]] = []
        self.full_names: dict[str, str] = {}
        self.titled: list[tuple[int, str]] = []
        quote_spans = sorted(quote_spans)
        quote_starts = [start for start, _ in quote_spans]

        def quoted(pos: int) -> bool:
            i = bisect_right(quote_starts, pos)
            return bool(i) and quote_spans[i - 1][0] <= pos < quote_spans[i - 1][1]

        for match in _NAME_MENTION.finditer(body):
            if "’s" in match.group() or "'s" in match.group():
                continue
            # "Minister of Foreign Affairs Sheikh Mohammed bin Abdulrahman Al-Thani": the name after the titles.
            name = bare_name(strip_titles(match.group()))
            words = re.findall(r"[\w’'-]+", name)
            if not words or any(w.lower() in ORG_WORDS for w in words) or words[0].lower() in NOT_NAME_START:
                continue
            if words[-1].lower() in DEMONYMS:
                continue
            is_full = len(name.split()) >= 2 and not all(w.lower() in TITLE_WORDS for w in name.split())
            after_preposition = self._after_preposition(match.start())
            # "Secretary of State Mike Pompeo": the preposition governs the title, not the name.
            if is_full and (not after_preposition or name != match.group()):
                self.full_names.setdefault(surname(name), name)
            if after_preposition or self._governed(match.start(), match.end()):
                continue
            if quoted(match.start()):
                continue
            if is_full:
                self.people.append((match.start(), name))
            elif re.match(r"(?:Mr|Mrs|Ms|Dr)\b", match.group()):
                # A surname with its honorific ("Mr Khalilzad"): a person "he" stands for when nobody else is.
                self.titled.append((match.start(), self.full_names.get(surname(name), name)))
            elif name.split() and surname(name) in self.full_names:
                self.people.append((match.start(), self.full_names[surname(name)]))
        for match in re.finditer(r"\b[A-Z][\w’'-]+\b", body):
            key = match.group().lower()
            if key in self.full_names and not self._governed(match.start(), match.end()):
                if not quoted(match.start()):
                    self.people.append((match.start(), self.full_names[key]))
        self.people.sort()
        self.people_positions = [p for p, _ in self.people]
        # Groups and bodies named as a sentence's subject ("The Taliban rejected …"): what "they" may stand for.
        self.groups = [
            (m.start("name"), m.group("name")) for m in _GROUP_SUBJECT.finditer(body) if _is_group(m.group("name"))
        ]
        self.group_positions = [p for p, _ in self.groups]

    @functools.cached_property
    def roles(self):
        """The roles the article ties to names (read once, when a description first needs them)."""
        return find_roles(self.body)

    def add_known(self, known) -> None:
        """Speakers learnt by an earlier reading of the same text."""
        self.speakers.extend((pos, Speaker(s.name, s.description, s.role, s.plural)) for pos, s in known)
        self.speakers.sort(key=lambda item: item[0])

    def prior(self, pos: int):
        """Speakers before pos, nearest first (at most LOOKBACK of them)."""
        i = bisect_left(self.speakers, pos, key=lambda item: item[0])
        for j in range(i - 1, max(i - 1 - LOOKBACK, -1), -1):
            yield self.speakers[j]

    def _after_preposition(self, start: int) -> bool:
        before = self.body[max(0, start - 12) : start].lower().split()
        return bool(before and before[-1] in PREPOSITIONS | {"including", "with"})

    def _governed(self, start: int, end: int) -> bool:
        """A name after a preposition or before a possessive is not a sentence's subject."""
        before = self.body[max(0, start - 12) : start].lower().split()
        after = self.body[end : end + 2]
        return bool(before and before[-1] in PREPOSITIONS | {"including", "with"}) or after.startswith(("’s", "'s"))

    def canonical(self, name: str) -> str:
        """A surname ("Mr Watkins", "Mujahid") stands for the full name the article gave before."""
        bare = strip_titles(name)
        if len(bare.split()) == 1 and surname(bare) in self.full_names:
            return self.full_names[surname(bare)]
        return name

    def remember(self, pos: int, speaker: Speaker):
        if speaker:
            insort(self.speakers, (pos, speaker), key=lambda item: item[0])
            if speaker.name and len(strip_titles(speaker.name).split()) >= 2:
                self.full_names.setdefault(surname(speaker.name), strip_titles(speaker.name))

    def resolve_pronoun(self, pos: int, pronoun: str) -> Speaker | None:
        if pronoun in {"it", "we", "i"}:
            return None
        if pronoun == "they":
            # "They" is a group or several people: the nearest plural speaker or group named before.
            speaker = next(
                (
                    (p, s)
                    for p, s in self.prior(pos)
                    if s.plural or (s.name and (len(s.name.split()) == 1 or _is_group(s.name)))
                ),
                None,
            )
            i = bisect_left(self.group_positions, pos)
            group = self.groups[i - 1] if i else None
            if group and (speaker is None or group[0] > speaker[0]):
                return Speaker(name=group[1], plural=True)
            if speaker:
                s = speaker[1]
                return Speaker(name=s.name, description=s.description, role=s.role, plural=s.plural)
            return None
        # "he" or "she" is a person: not a plural description, not a one-word name such as "Washington".
        last_speaker = next(
            (
                (p, s)
                for p, s in self.prior(pos)
                if not s.plural and not _is_group(s.name) and (not s.name or _is_person(s))
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
        titled = [name for p, name in self.titled if p < pos]
        return Speaker(name=titled[-1]) if titled else None

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
        if definite and len(words) == 1 and head in ORG_WORDS:
            # "the council", "the ministry": the body of that kind the article named last.
            body = self.body[max(0, pos - 3000) : pos]
            bodies = re.findall(
                rf"\b[A-Z][\w’'-]*(?:[ \t]+(?:of[ \t]+|for[ \t]+|the[ \t]+)?[A-Z][\w’'-]*)*[ \t]+{head.title()}\b(?:[ \t]+(?:of|for|on)[ \t]+(?:the[ \t]+)?[A-Z][\w’'-]*(?:[ \t]+[A-Z][\w’'-]*)*)?",
                body,
            )
            if bodies:
                return Speaker(name=re.sub(r"^The\s+", "", bodies[-1]), plural=True)
        named = match_role(description, self.roles, pos)
        if named:
            return Speaker(name=self.canonical(named), role=description)
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


def resolve_speaker(context: Context, pos: int, speaker: Speaker | None) -> Speaker | None:
    if speaker is None:
        return None
    if not speaker.name and speaker.description in PRONOUNS:
        return context.resolve_pronoun(pos, speaker.description)
    if not speaker.name:
        return context.resolve_description(pos, speaker)
    speaker.name = context.canonical(speaker.name)
    return speaker
