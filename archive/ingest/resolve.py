"""Resolve stage: speaker names to Actors through their aliases, loaded once per import."""

import re

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


def guess_kind(name: str) -> str:
    words = {w.strip(".,'’").casefold() for w in name.split()}
    return Actor.Kind.ORGANISATION if words & ORGANISATION_WORDS else Actor.Kind.PERSON


class AliasIndex:
    """Every alias key of the archive in memory, so a batch resolves names without a query per name."""

    def __init__(self):
        self.actors: dict[str, Actor] = {}
        self._by_pk: dict[int, Actor] = {}
        self.created: list[Actor] = []
        self._key_cache: dict[str, tuple[str, ...]] = {}
        self.load()

    def load(self):
        self.actors.clear()
        self._by_pk = {actor.pk: actor for actor in Actor.objects.all()}
        for normalized, actor_id in Alias.objects.values_list("normalized", "actor_id"):
            actor = self._by_pk.get(actor_id)
            if actor is not None:
                self.actors[normalized] = actor

    def resolve(self, name: str) -> Actor | None:
        """The actor a name refers to, or None; full name first, then without its role words."""
        for key in self._keys(name):
            if key in self.actors:
                return self.actors[key]
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

    def get_or_create(self, name: str, role: str = "") -> Actor | None:
        """The actor for a named speaker, creating one marked for review when the archive does not know it."""
        actor = self.resolve(name)
        if actor is not None:
            return actor
        shown = display_name(name)
        key = normalize_name(shown)
        if not key or place_key(name) or place_key(shown):
            # A place the archive has no side for stays the statement's description, never a new person.
            return None
        actor = Actor(
            name=shown[:200],
            kind=guess_kind(shown),
            role=role[:300],
            affiliation=self.side_named_in(role),
            needs_review=True,
        )
        actor.save()
        Alias.objects.create(actor=actor, name=shown[:200])
        self.actors[key] = actor
        self.created.append(actor)
        return actor

    def side_named_in(self, role: str) -> Actor | None:
        """The side a role names ("Taliban spokesman", "State Department spokesman"), when the archive knows it."""
        for run in re.findall(r"[A-Z][\w'’.-]*(?:\s+(?:of\s+)?[A-Z][\w'’.-]*)*", role):
            for size in range(len(run.split()), 0, -1):
                actor = self.resolve(" ".join(run.split()[:size]))
                if actor is not None:
                    return actor.side
        return None

    def forget(self, actors) -> None:
        """Drop actors created inside a transaction that was rolled back."""
        gone = {a.pk for a in actors}
        self.actors = {k: a for k, a in self.actors.items() if a.pk not in gone}
        self.created = [a for a in self.created if a.pk not in gone]
