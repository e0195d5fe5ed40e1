"""The role a speaker held on a date, from the actor's dated roles, and the words search files roles under.

A role's dates and a statement's date are known to a day, a month or a year: each is read as the period
it may fall in ("September 2018" is 1–30 September 2018). A role applies on a date when the days it
surely covers hold the whole period of the date (a role ending "January 2021" does not surely cover 25
January, when its successor, from the 20th, does); failing that, when the days it may cover hold it;
failing that (a statement dated "January 2021", a role ending on the 20th), the roles whose days
overlap it apply. Nothing here queries the database beyond ``actor.roles.all()``, and not even that
when list pages have prefetched the roles into ``actor.dated_roles`` (``Statement.objects.with_speaker_roles()``).
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from archive.text import strip_accents

_UNKNOWN = "unknown"
DATED_ROLES = "dated_roles"  # the attribute list pages prefetch an actor's roles into


def period(value: datetime.date | None, precision: str) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day a date known to `precision` may be; None when it is not known."""
    if value is None or precision == _UNKNOWN:
        return None
    if precision == "year":
        return datetime.date(value.year, 1, 1), datetime.date(value.year, 12, 31)
    if precision == "month":
        last = calendar.monthrange(value.year, value.month)[1]
        return datetime.date(value.year, value.month, 1), datetime.date(value.year, value.month, last)
    return value, value


def role_period(role) -> tuple[datetime.date, datetime.date]:
    """The days a role may cover: from the first day its start may be to the last day its end may be
    (open at either end when that date is not known)."""
    start = period(role.start_date, role.start_precision)
    end = period(role.end_date, role.end_precision)
    return (start[0] if start else datetime.date.min, end[1] if end else datetime.date.max)


def certain_period(role) -> tuple[datetime.date, datetime.date]:
    """The days a role surely covers: from the last day its start may be to the first day its end may be
    ("until January 2021" surely covers no day of January). Open ends stay open."""
    start = period(role.start_date, role.start_precision)
    end = period(role.end_date, role.end_precision)
    return (start[1] if start else datetime.date.min, end[0] if end else datetime.date.max)


@dataclass(frozen=True)
class SpeakerRole:
    """What a speaker was on a date: their dated roles then, or the coverage's wording of their role."""

    roles: tuple = ()
    coverage: str = ""

    @property
    def is_dated(self) -> bool:
        """From the actor's dated roles (not the coverage's free text)."""
        return bool(self.roles)

    @property
    def title(self) -> str:
        return "; ".join(role.title for role in self.roles) if self.roles else self.coverage

    @property
    def label(self) -> str:
        """The role as a reader sees it: titles with their organisations, or the coverage's words."""
        return "; ".join(role.label for role in self.roles) if self.roles else self.coverage

    def __bool__(self) -> bool:
        return bool(self.label)

    def __str__(self) -> str:
        return self.label


NO_ROLE = SpeakerRole()


def roles_on(roles, value: datetime.date | None, precision: str = "day") -> tuple:
    """The roles of `roles` held on a date (known to `precision`); () when the date is unknown."""
    when = period(value, precision)
    if when is None:
        return ()
    roles = list(roles)
    # A role held for certain over the whole date; failing that, the roles it may overlap.
    held = [role for role in roles if _holds(certain_period(role), when)]
    if not held:
        held = [role for role in roles if _holds(role_period(role), when)]
    if not held:
        held = [role for role in roles if _overlaps(role_period(role), when)]
    return tuple(held)


def _holds(span, when) -> bool:
    return span[0] <= when[0] and when[1] <= span[1]


def _overlaps(span, when) -> bool:
    return span[0] <= when[1] and when[0] <= span[1]


def role_on(actor, value: datetime.date | None, precision: str = "day") -> SpeakerRole:
    """The role `actor` held on a date known to `precision`.

    The actor's dated roles decide when the date is known and the actor has any; when the date is
    unknown, or the actor has no dated role, the role as the coverage gives it (``Actor.role``). An
    actor with dated roles none of which covers the date held none of them then: no role is shown.
    """
    if actor is None:
        return NO_ROLE
    roles = getattr(actor, DATED_ROLES, None)  # as list pages prefetch them; else the related manager
    if roles is None:
        roles = list(actor.roles.all())
    if not roles or period(value, precision) is None:
        return SpeakerRole(coverage=actor.role)
    return SpeakerRole(roles=roles_on(roles, value, precision))


# --- the words search files a role under ------------------------------------------------------------

# Forms of one word that mean the same role: each is filed (and searched) as the first.
_SAME_WORD = {
    "spokesperson": ("spokesman", "spokeswoman", "spokesmen", "spokeswomen", "spokespeople", "spokespersons"),
    "chair": ("chairman", "chairwoman", "chairperson", "chairmen"),
    "adviser": ("advisor", "advisers", "advisors"),
    "envoy": ("envoys",),
}
WORD_FORMS = {form: word for word, forms in _SAME_WORD.items() for form in forms}
# Roles commonly called by another name: a role whose words hold all of a key is also filed under its words.
CURATED_KEYWORDS = {
    ("special", "representative"): ("envoy",),
    ("special", "envoy"): ("envoy",),
    ("secretary", "state"): ("foreign", "minister"),
    ("head", "political", "office"): ("negotiator",),
}
_SMALL_WORDS = {"a", "an", "and", "at", "for", "in", "of", "on", "the", "to", "s"}
_WORD = re.compile(r"\w+")


def role_words(text: str) -> list[str]:
    """The words of a role title as search files them: lower case, unaccented, without small words,
    each variant of a word ("spokesman", "spokeswoman") as its one form ("spokesperson")."""
    words = []
    for word in _WORD.findall(strip_accents(text or "").casefold()):
        if word in _SMALL_WORDS or word.isdigit():
            continue
        words.append(WORD_FORMS.get(word, word))
    return words


def role_keywords(*titles: str) -> list[str]:
    """Every keyword the roles `titles` are found by: their words and the curated keywords they imply."""
    found: set[str] = set()
    for title in titles:
        words = role_words(title)
        found.update(words)
        for key, extra in CURATED_KEYWORDS.items():
            if set(key) <= set(words):
                found.update(extra)
    return sorted(found)
