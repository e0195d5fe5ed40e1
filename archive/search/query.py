"""The search box's query language, parsed into a safe structure (never passed on as raw text).

Words ("negotiate" also finds "negotiations"), "exact phrases", -exclusion, OR between terms, and
field filters: ``speaker:baradar topic:ceasefire source:afp year:2020 type:statement affiliation:taliban
role:spokesman``.
Anything the parser cannot use is dropped or read as plain words, with a message saying so.
"""

import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 500
MAX_TERMS = 30

FIELD_NAMES = {
    "speaker": "speaker",
    "actor": "speaker",
    "by": "speaker",
    "affiliation": "affiliation",
    "side": "affiliation",
    "source": "source",
    "topic": "topic",
    "year": "year",
    "type": "type",
    "role": "role",
}
KNOWN_FIELDS_TEXT = "speaker:, affiliation:, source:, topic:, year:, type:, role:"

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(
    r"""
    (?P<neg>-(?=[^\s-]))?                      # a minus glued to what follows
    (?:(?P<field>[^\W\d_][\w]*):(?=\S))?        # a field name glued to its value
    (?:"(?P<phrase>[^"]*)"|(?P<bare>[^\s"]+))
    """,
    re.VERBOSE,
)


def strip_controls(value: str) -> str:
    """Replace control and format characters (NUL, escapes, bidi overrides) with spaces."""
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") else ch for ch in value)


@dataclass
class Term:
    """One thing to match: a word, a phrase, a field filter or a recognised actor."""

    kind: str  # "word", "phrase", "filter" or "actor"
    text: str  # the words (lower case) for word and phrase; the value for a filter
    field: str = ""  # for filters: speaker, affiliation, source, topic, year, type, role
    negated: bool = False
    label: str = ""  # how to show it (filters and actors)
    names: tuple[str, ...] = ()  # for actors: every name and alias, as word sequences
    slug: str = ""  # for actors
    also: tuple[str, ...] = ()  # for words and phrases: synonyms and variants searched with them

    def display(self) -> str:
        sign = "-" if self.negated else ""
        if self.kind == "word":
            return f"{sign}{self.text}"
        if self.kind == "phrase":
            return f'{sign}"{self.text}"'
        if self.kind == "filter":
            value = f'"{self.text}"' if " " in self.text else self.text
            return f"{sign}{self.field}:{value}"
        return f"{sign}{self.label}"


@dataclass
class Clause:
    """Alternatives of which a match needs one (a single alternative unless OR joined them)."""

    terms: list[Term]

    @property
    def negated(self) -> bool:
        return len(self.terms) == 1 and self.terms[0].negated

    def display(self) -> str:
        return " OR ".join(term.display() for term in self.terms)


@dataclass
class ParsedQuery:
    raw: str
    clauses: list[Clause] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    @property
    def has_positive(self) -> bool:
        return any(not clause.negated for clause in self.clauses)

    def display(self) -> str:
        return " ".join(clause.display() for clause in self.clauses)

    def terms(self):
        for clause in self.clauses:
            yield from clause.terms

    def positive_words(self) -> list[str]:
        """Words the user typed (not excluded, not in filters): the ones spelling help looks at."""
        words = []
        for term in self.terms():
            if term.negated or term.kind not in ("word", "phrase"):
                continue
            words.extend(term.text.split())
        return words

    def highlight_terms(self) -> list[str]:
        """Every word, phrase and name a result may show because it matched (phrases whole, so the
        analysis joins their compounds as the index does)."""
        texts = []
        for term in self.terms():
            if term.negated:
                continue
            if term.kind in ("word", "phrase"):
                texts.append(term.text)
                texts.extend(term.also)
            elif term.kind == "actor":
                texts.extend(term.names)
        return texts


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _content_term(words: list[str], negated: bool) -> Term | None:
    if not words:
        return None
    if len(words) == 1:
        return Term("word", words[0], negated=negated)
    return Term("phrase", " ".join(words), negated=negated)


def parse(raw: str) -> ParsedQuery:
    """Parse the user's query; problems become messages, never errors."""
    raw = raw if isinstance(raw, str) else ""
    parsed = ParsedQuery(raw=raw)
    messages = parsed.messages
    text = strip_controls(raw)
    if text != raw:
        messages.append("Control characters in the query were ignored.")
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        messages.append(f"The query was too long; only its first {MAX_QUERY_CHARS} characters were used.")
    if text.count('"') % 2:
        # Drop the quotation mark that has no partner: the last one.
        cut = text.rfind('"')
        text = text[:cut] + " " + text[cut + 1 :]
        messages.append("A quotation mark had no closing partner, so it was ignored.")

    items: list = []  # Terms and the string "OR"
    pending_not = False
    ignored: list[str] = []
    unknown_fields: list[str] = []
    for match in _TOKEN.finditer(text):
        negated = bool(match.group("neg")) or pending_not
        pending_not = False
        field_name, phrase, bare = match.group("field"), match.group("phrase"), match.group("bare")
        if field_name is None and phrase is None and bare in ("OR", "|", "||"):
            items.append("OR")
            continue
        if field_name is None and phrase is None and bare in ("AND", "&&", "+"):
            continue
        if field_name is None and phrase is None and bare == "NOT":
            pending_not = True
            continue
        if field_name is not None:
            key = FIELD_NAMES.get(field_name.lower())
            value = phrase if phrase is not None else bare
            if key is None:
                unknown_fields.append(field_name)
                term = _content_term(_words(field_name) + _words(value), negated)
            else:
                value_words = _words(value)
                if not value_words:
                    ignored.append(match.group(0))
                    continue
                term = Term("filter", " ".join(value_words), field=key, negated=negated)
        elif phrase is not None:
            words = _words(phrase)
            if not words:
                if phrase.strip():
                    ignored.append(match.group(0))
                continue
            term = Term("phrase" if len(words) > 1 else "word", " ".join(words), negated=negated)
        else:
            term = _content_term(_words(bare), negated)
            if term is None:
                ignored.append(match.group(0))
                continue
        items.append(term)
    if pending_not:
        messages.append("“NOT” at the end of the query had nothing to exclude, so it was ignored.")
    if unknown_fields:
        names = ", ".join(f"“{name}:”" for name in dict.fromkeys(unknown_fields))
        messages.append(
            f"There is no field {names}, so it was searched as words. Fields you can use: {KNOWN_FIELDS_TEXT}."
        )
    if ignored:
        shown = " ".join(dict.fromkeys(token[:20] for token in ignored[:5]))
        messages.append(f"Ignored {shown}: only letters and digits are searched.")

    clauses, lone_or = _group(items)
    if lone_or:
        messages.append("“OR” needs a term on each side; a stray “OR” was ignored.")
    total = sum(len(c.terms) for c in clauses)
    if total > MAX_TERMS:
        kept, count = [], 0
        for clause in clauses:
            if count + len(clause.terms) > MAX_TERMS:
                break
            kept.append(clause)
            count += len(clause.terms)
        clauses = kept
        messages.append(f"The query had too many terms; only the first {MAX_TERMS} were used.")
    for clause in clauses:
        if len(clause.terms) > 1 and any(term.negated for term in clause.terms):
            for term in clause.terms:
                term.negated = False
            messages.append("An excluded term cannot be one side of “OR”; it was searched as a normal term.")
    parsed.clauses = clauses
    return parsed


def _group(items: list) -> tuple[list[Clause], bool]:
    """Join terms linked by OR into one clause; report an OR without a term on both sides."""
    clauses: list[Clause] = []
    lone_or = False
    joining = False
    for index, item in enumerate(items):
        if item == "OR":
            has_left = bool(clauses) and index > 0 and items[index - 1] != "OR"
            has_right = index + 1 < len(items) and items[index + 1] != "OR"
            if has_left and has_right:
                joining = True
            else:
                lone_or = True
            continue
        if joining and clauses:
            clauses[-1].terms.append(item)
        else:
            clauses.append(Clause([item]))
        joining = False
    return clauses, lone_or
