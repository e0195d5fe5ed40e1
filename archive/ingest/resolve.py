"""Resolve stage: speaker names to Actors through their aliases, loaded once per import.

A name resolves through its alias key (archive.text.normalize_name), then through a looser key that also
ignores a leading "the" and the dots of initials ("The U.S. Department of State" = "US Department of
State"). A name the archive does not know becomes a new actor only when it is a real name; a spelling
variant of a known actor's name ("Barader" for "Baradar") is linked to that actor as an alias flagged as
a possible duplicate for editors, never made a second actor.
"""

import re
from collections import defaultdict

from archive.ingest.extract.roles import Role, match_role, role_words
from archive.models import Actor, Alias
from archive.text import _leading_title_run, normalize_name

ORGANISATION_WORDS = frozenset(
    """
    group institute institution department ministry office council forum network organization organisation nations
    government administration taliban press service agency army party committee commission bank university embassy
    movement alliance front union international foundation center centre initiative pentagon nato congress parliament
    """.split()
)


# Capitals and countries that stand for a government ("Washington has said …"): never a person of their own.
# Each maps to the names its side goes by; a place resolves to the first of them the archive knows.
PLACE_SIDES = {
    "washington": ("United States government", "US government", "United States"),
    "kabul": ("Afghan government", "Government of Afghanistan", "Kabul government"),
    "islamabad": ("Pakistan", "Government of Pakistan"),
    "doha": ("Qatar",),
    "moscow": ("Russia",),
    "beijing": ("China",),
    "tehran": ("Iran",),
    "new delhi": ("India",),
    "delhi": ("India",),
    "london": ("United Kingdom", "UK government", "Britain"),
    "ankara": ("Turkey", "Türkiye"),
    "tashkent": ("Uzbekistan",),
    "dushanbe": ("Tajikistan",),
    "ashgabat": ("Turkmenistan",),
    "riyadh": ("Saudi Arabia",),
    "abu dhabi": ("United Arab Emirates", "UAE"),
    "berlin": ("Germany",),
    "paris": ("France",),
    "brussels": ("European Union", "NATO"),
}


def place_key(name: str) -> str:
    """The place a speaker name is, when it is only a capital or country standing for its government."""
    key = " ".join(name.replace("’", "'").split()).strip(" ,.'").casefold()
    key = key.removeprefix("the ")
    return key if key in PLACE_SIDES else ""


def display_name(name: str) -> str:
    """A name as an actor's name: leading titles ("Mr.", "Secretary of State") dropped, words kept as written."""
    words = name.replace("’", "'").split()
    folded = [w.strip(".,").casefold() for w in words]
    run = _leading_title_run(folded)
    if 0 < run < len(words):
        words = words[run:]
    return " ".join(words).strip(" ,.'")


GOVERNMENT_WORDS = frozenset("government administration ministry cabinet".split())
COUNTRY_NAMES = frozenset(side.casefold() for sides in PLACE_SIDES.values() for side in sides if " " not in side)


def guess_kind(name: str) -> str:
    """The kind a name's own words show: a government body, an organisation, a country, else a person."""
    words = {w.strip(".,'’").casefold() for w in name.split()}
    if words & GOVERNMENT_WORDS:
        return Actor.Kind.GOVERNMENT
    if words & ORGANISATION_WORDS:
        return Actor.Kind.ORGANISATION
    if name.casefold() in COUNTRY_NAMES:
        return Actor.Kind.COUNTRY
    return Actor.Kind.PERSON


def loose_key(key: str) -> str:
    """An alias key without a leading "the" and with spelt-out initials joined ("u s" -> "us")."""
    key = key.removeprefix("the ")
    return re.sub(r"\b(\w)\s(?=\w\b)", r"\1", key)


_TIME_START = frozenset(
    "on in at last this next late early earlier later since after before during by monday tuesday wednesday "
    "thursday friday saturday sunday january february march april may june july august september october "
    "november december today yesterday tomorrow tonight".split()
)
_NOT_NAMES = frozenset("he she they it we i you his her their its this that these those there who".split())
_PARTICLES = frozenset("al el ul ud ad bin bint ibn de da van von der of for and the".split())


def is_real_name(name: str) -> bool:
    """Whether a speaker name is a name: not a time phrase, pronoun, verb fragment or bare abbreviation."""
    words = [w.strip(".,’'") for w in name.replace("’", "'").split()]
    words = [w for w in words if w]
    if not words or any(ch.isdigit() for ch in name):
        return False
    first = words[0].casefold()
    if first in _TIME_START or (len(words) == 1 and first in _NOT_NAMES):
        return False
    if any(w[:1].islower() and w.casefold() not in _PARTICLES and not re.match(r"[a-z]{1,3}-[A-Z]", w) for w in words):
        return False  # "The Taliban have long", "a decree signed by President Ashraf Ghani late"
    letters = [w for w in words if w.casefold() not in _PARTICLES]
    if letters and all(len(w.replace(".", "")) <= 3 and w.replace(".", "").isupper() for w in letters):
        return False  # "US", "U.S", "UN": an abbreviation is never taken for a person
    return True


_VOWELS = re.compile(r"(?<=.)[aeiouyw]")


def skeleton(key: str) -> tuple[str, ...]:
    """The consonants of each word of an alias key: transliterations of one name differ in their vowels."""
    return tuple(_VOWELS.sub("", word) for word in key.split())


class AliasIndex:
    """Every alias key of the archive in memory, so a batch resolves names without a query per name."""

    def __init__(self):
        self.actors: dict[str, Actor] = {}
        self.loose: dict[str, Actor] = {}
        self.skeletons: dict[tuple, set[int]] = defaultdict(set)
        self._by_pk: dict[int, Actor] = {}
        self.created: list[Actor] = []
        self.created_keys: list[str] = []
        self._key_cache: dict[str, tuple[str, ...]] = {}
        self.load()

    def load(self):
        self.actors.clear()
        self.loose.clear()
        self.skeletons.clear()
        self._by_pk = {actor.pk: actor for actor in Actor.objects.all()}
        for normalized, actor_id in Alias.objects.values_list("normalized", "actor_id"):
            actor = self._by_pk.get(actor_id)
            if actor is not None:
                self._file(normalized, actor)

    def _file(self, key: str, actor: Actor) -> None:
        self.actors[key] = actor
        self.loose.setdefault(loose_key(key), actor)
        self.skeletons[skeleton(key)].add(actor.pk)
        self._by_pk.setdefault(actor.pk, actor)

    def resolve(self, name: str) -> Actor | None:
        """The actor a name refers to, or None; full name first, then without its role words."""
        keys = self._keys(name)
        for key in keys:
            if key in self.actors:
                return self.actors[key]
        for key in keys:
            if loose_key(key) in self.loose:
                return self.loose[loose_key(key)]
        place = place_key(name)
        for side in PLACE_SIDES.get(place, ()):
            key = normalize_name(side)
            if key in self.actors:
                return self.actors[key]
        return None

    def _keys(self, name: str) -> tuple[str, ...]:
        keys = self._key_cache.get(name)
        if keys is None:
            keys = tuple(k for k in (normalize_name(name), normalize_name(display_name(name))) if k)
            self._key_cache[name] = keys
        return keys

    def for_description(self, description: str, body: str) -> Actor | None:
        """The known actor a definite description names: by alias ("the US department of state"), or by
        the role of a person the article names ("the US envoy" when Zalmay Khalilzad is named in it)."""
        if not re.match(r"(?:the|The)\s", description):
            return None
        actor = self.resolve(description)
        if actor is not None:
            return actor
        roles = [
            Role(0, str(actor.pk), frozenset(role_words(actor.role)))
            for actor in self._by_pk.values()
            if actor.role and actor.kind == Actor.Kind.PERSON and actor.name.split()[-1] in body
        ]
        found = match_role(description, roles, 1) if roles else None
        return self._by_pk[int(found)] if found else None

    def variant_of(self, key: str) -> Actor | None:
        """The one known actor whose name this key spells differently ("barader" for "baradar"), if any.

        Words must match one for one with the same consonants, or the key must be the full ending of a
        longer known name ("abdulrahman al thani"); two candidates are no answer.
        """
        words = key.split()
        if not words or len(_VOWELS.sub("", words[-1])) < 3:
            return None
        found = set(self.skeletons.get(skeleton(key), ()))
        if len(words) >= 2 and not found:
            for known, actor in self.actors.items():
                known_words = known.split()
                if len(known_words) > len(words) and known_words[-len(words) :] == words:
                    found.add(actor.pk)
        return self._by_pk[found.pop()] if len(found) == 1 else None

    def get_or_create(self, name: str, role: str = "") -> Actor | None:
        """The actor for a named speaker, creating one marked for review when the archive does not know it.

        None when the name is no real name, or a place whose side the archive does not hold.
        """
        actor = self.resolve(name)
        if actor is not None:
            return actor
        shown = display_name(name)
        key = normalize_name(shown)
        if not key or place_key(name) or place_key(shown) or not is_real_name(shown):
            # A place the archive has no side for stays the statement's description, never a new person.
            return None
        actor = self.variant_of(key)
        if actor is not None:
            Alias.objects.create(actor=actor, name=shown[:200], possible_duplicate=True)
            self._file(key, actor)
            self.created_keys.append(key)
            return actor
        actor = Actor(
            name=shown[:200],
            kind=guess_kind(shown),
            role=role[:300],
            affiliation=self.side_named_in(role),
            needs_review=True,
        )
        actor.save()
        Alias.objects.create(actor=actor, name=shown[:200])
        self._file(key, actor)
        self.created.append(actor)
        self.created_keys.append(key)
        return actor

    def side_named_in(self, role: str) -> Actor | None:
        """The side a role names ("Taliban spokesman", "State Department spokesman"), when the archive knows it."""
        for run in re.findall(r"[A-Z][\w'’.-]*(?:\s+(?:of\s+)?[A-Z][\w'’.-]*)*", role):
            for size in range(len(run.split()), 0, -1):
                actor = self.resolve(" ".join(run.split()[:size]))
                if actor is not None:
                    return actor.side
        return None

    def mark(self) -> tuple[int, int]:
        """Where the index stands before an article's transaction."""
        return len(self.created), len(self.created_keys)

    def rollback(self, mark: tuple[int, int]) -> None:
        """Forget the actors and aliases created inside a transaction that was rolled back."""
        actors, keys = mark
        gone = {a.pk for a in self.created[actors:]}
        for key in self.created_keys[keys:]:
            self.actors.pop(key, None)
        del self.created[actors:]
        del self.created_keys[keys:]
        kept = {k: a for k, a in self.actors.items() if a.pk not in gone}
        self.actors.clear()
        self.loose.clear()
        self.skeletons.clear()
        for key, actor in kept.items():
            self._file(key, actor)
