"""Metadata lines of the clean stage: headline, byline, dateline, site name and news agency credits."""

import datetime
import re

from archive.ingest.clean.chrome import _CHROME
from archive.ingest.clean.dates import _DATE, _MONTH, date_line, parse_date
from archive.ingest.clean.lines import _SENTENCE_END, _TERMINAL, _bare, word_count
from archive.text import strip_bidi

# A wire desk's line above the text: "QNA/Doha", "APP/Islamabad".
_AGENCY_PLACE = re.compile(r"^(?P<agency>[A-Z]{2,8})\s*/\s*(?P<place>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)$")

_BYLINE_PREFIX = re.compile(
    r"^(?i:(?:written\s+|posted\s+|reported\s+|compiled\s+|story\s+)?by)\s*:?\s+(?P<rest>\S.*)$"
)
_REPORTING = re.compile(
    r"^\(?\s*(?:(?:additional\s+)?reporting|writing|compiled|text|words|report)\s+by\s+(?P<names>[^;)]+)"
    r"(?:;[^)]*)?\)?\.?$",
    re.I,
)

_DESK_WORDS = frozenset(
    """admin administrator editor editors staff webmaster desk team reporter reporters correspondent correspondents
    bureau agencies agency news web online monitoring report writer writers service services newsroom our
    special online-desk""".split()
)
_SECTION_WORDS = frozenset(
    """world news home asia international national politics political opinion opinions sport sports business
    latest top stories story middle east south central west north region regional local breaking analysis
    editorial editorials features feature culture video videos live more menu search us uk europe africa
    americas pacific update updates today edition science health tech technology economy markets lifestyle
    entertainment blogs blog columns column comment comments photos gallery podcasts newsletters
    & and the of afghanistan pakistan india""".split()
)

# Words of newspaper and broadcaster names: a line with one is a masthead, not a person's byline.
_OUTLET_WORDS = frozenset(
    """Press News Times Post Tribune Herald Daily Journal Gazette Media Network Radio TV Television Agency
    Online Today Express Chronicle Ledger Observer Telegraph Guardian Monitor Review Weekly Magazine Channel
    Broadcasting Service International Dispatch Courier Star Sun Standard Mail Mirror Record Reporter Wire
    Insider Digest Bulletin Bureau""".split()
)
_NOT_PEOPLE = frozenset({"admin", "administrator", "editor", "staff", "webmaster", "news desk", "desk", "team"})

# "Doha, Qatar – It has been …", "WASHINGTON – As …", "KABUL (Reuters) - …", "ISLAMABAD: …", "KABUL (Pajhwok): …"
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'’-]+(?:\s[A-Z][A-Za-z.'’-]+){0,2}(?:,\s[A-Z][A-Za-z.'’-]+(?:\s[A-Z][A-Za-z.'’-]+){0,2})?)"
    rf"(?:,?\s+(?P<date>{_MONTH}\s+\d{{1,2}}(?:,\s+\d{{4}})?))?"
    r"(?:\s*\((?P<agency>[^)]{2,60})\))?\s*(?:[–—-]{1,2}\s+\S|(?P<colon>:)\s+\S|(?<=\))\s*[A-Z])"
)

_NAME_TOKEN = re.compile(r"^(?:[A-Z][\w’'.-]*|al|el|bin|ibn|de|van|von|da|ul|ur|ud)$")


# News agencies and outlets whose material a text credits ("told Al Jazeera", "Asked by AFP").
AGENCIES = {
    "Agence France-Presse": ["AFP", "Agence France-Presse", "Agence France Presse"],
    "Associated Press": ["Associated Press", "AP"],
    "Reuters": ["Reuters"],
    "Al Jazeera": ["Al Jazeera", "Aljazeera"],
    "BBC": ["BBC", "BBC News"],
    "CNN": ["CNN"],
    "Public Broadcasting Service": ["Public Broadcasting Service", "PBS"],
    "Radio Liberty": ["Radio Liberty", "Radio Free Europe", "RFE/RL", "Radio Azadi"],
    "Voice of America": ["Voice of America", "VOA"],
    "TOLOnews": ["TOLOnews", "Tolo News", "TOLO News"],
    "Pajhwok Afghan News": ["Pajhwok", "Pajhwok Afghan News"],
    "Ariana News": ["Ariana News"],
    "Xinhua": ["Xinhua"],
    "Anadolu Agency": ["Anadolu", "Anadolu Agency"],
    "Deutsche Presse-Agentur": ["dpa", "DPA", "Deutsche Presse-Agentur"],
    "The New York Times": ["The New York Times", "New York Times"],
    "The Washington Post": ["The Washington Post", "Washington Post"],
    "The Wall Street Journal": ["The Wall Street Journal", "Wall Street Journal"],
    "NPR": ["NPR", "National Public Radio"],
    "Sputnik": ["Sputnik"],
    "TASS": ["TASS"],
    "Dawn": ["Dawn newspaper"],
    "Geo News": ["Geo News"],
}
_AGENCY_NAMES = frozenset(re.escape(n) for names in AGENCIES.values() for n in names if len(n) > 2)
_CREDIT_BEFORE = r"(?:told|telling|to|by|according to|with|on|via|interview(?:ed)? (?:with|by)|speaking to|in an interview with|quoted by|cited by|reported by)\s+(?:the\s+)?"
_CREDIT_AFTER = r"(?:\s*\)|\s+(?:reports?|reported|said|says|quoted|cited|news agency|interview|television|radio))"


def split_title(line: str) -> tuple[str, str]:
    """(headline, site name) of a headline line such as "Talks resume | Taliban news"."""
    if " | " in line:
        head, _, tail = line.rpartition(" | ")
        if head and word_count(tail) <= 4 and word_count(head) >= 3:
            return head.strip(), tail.strip()
    return line.strip(), ""


def _names(text: str) -> str | None:
    """The person names of a byline ("JANE DOE and John Roe in Kabul"), normal case, or None."""
    text = re.sub(r"\s+(?:in|from)\s+[A-Z][\w.'’-]*(?:[ ,]+[A-Z][\w.'’-]*)*(?=\s*(?:,|and\b|&|;|$))", "", text)
    text = re.sub(r"\s*[,|–—-]?\s*(?:" + "|".join(sorted(_AGENCY_NAMES, key=len, reverse=True)) + r")\s*$", "", text)
    text = text.strip(" ,;:.|–—-")
    if not text:
        return None
    parts = [p.strip() for p in re.split(r"\s*(?:,|\band\b|&)\s*", text) if p.strip()]
    if not parts or len(parts) > 5:
        return None
    for part in parts:
        tokens = part.split()
        if not 1 <= len(tokens) <= 4 or not all(_NAME_TOKEN.match(t) for t in tokens):
            return None
    words = {w.casefold() for w in re.findall(r"[\w'-]+", text)}
    if words & _DESK_WORDS:
        return ""
    return " ".join(w.title() if w.isupper() and len(w) > 1 and "." not in w else w for w in text.split())


def byline_of(line: str) -> str | None:
    """The byline of a "By …" line ("" for a desk such as "By Staff Reporter"), or None for other lines."""
    stripped = _bare(strip_bidi(line))
    match = _BYLINE_PREFIX.match(stripped)
    if not match or word_count(stripped) > 16:
        return None
    rest = re.split(r"\s+\|\s+|\s+·\s+", match.group("rest"))[0]
    names = _names(rest)
    if names is None:
        # "Written by admin", "By Taliban news": a byline without a person.
        return "" if word_count(stripped) <= 6 and not _SENTENCE_END.search(stripped) else None
    return names


def reporting_credit(line: str) -> str | None:
    """The reporters of a wire credit "(Reporting by A in Kabul and B; Editing by C)", or None."""
    match = _REPORTING.match(line.strip())
    if not match:
        return None
    return _names(match.group("names")) or ""


def bare_byline(line: str) -> str | None:
    """The names of a line that is only names ("Lucy Farrant in Kabul and Owen Pryce"), or None."""
    stripped = _bare(line)
    if stripped.startswith(("The ", "the ")) or word_count(stripped) > 12 or _TERMINAL.search(stripped):
        return None
    if set(stripped.split()) & _OUTLET_WORDS and " in " not in stripped:
        return None
    names = _names(stripped)
    if names is None:
        return None
    if names and (
        set(names.casefold().split()) - {"and", "&"} & _SECTION_WORDS
        or all(len(p.split()) < 2 for p in re.split(r",|\band\b|&", names))
    ):
        return None
    return names


def dateline_date(paragraph: str) -> tuple[datetime.date, str] | None:
    """(date, precision) a dateline prints with its year ("KABUL, March 2, 2020 – …"), or None."""
    match = _DATELINE.match(paragraph)
    if not match or not match.group("date") or word_count(match.group("place")) > 5:
        return None
    date, precision = parse_date(match.group("date"))
    return (date, precision) if date else None


def dateline_of(paragraph: str) -> tuple[str, str]:
    """(place, agency) of an article's opening dateline: "KABUL, Afghanistan (AP) — …" gives both."""
    match = _DATELINE.match(paragraph)
    if not match or word_count(match.group("place")) > 5:
        return "", ""
    place = match.group("place")
    if match.group("colon") and not place.split(",")[0].isupper():
        return "", ""
    raw_agency = (match.group("agency") or "").strip()
    if not raw_agency:
        return _normal_case(place), ""
    # "(Reuters)", "(AP)", "(UrduPoint News / Sputnik - 05th December, 2020)": the wire credited, not the date.
    parts = [p.strip() for p in re.split(r"\s*[/–—]\s*|\s+-\s+", raw_agency) if p.strip()]
    parts = [p for p in parts if not any(ch.isdigit() for ch in p)]
    known = [agency_name(p) for p in parts if agency_name(p)]
    if known:
        return _normal_case(place), known[-1]
    names = [p for p in parts if p.replace(" ", "").isalpha() and (p.isupper() or p.istitle())]
    if not names:
        return "", ""
    return _normal_case(place), names[0]


def agency_name(value: str) -> str:
    """The canonical name of an agency as a dateline writes it ("AP" -> "Associated Press"), or ""."""
    value = value.strip()
    for canonical, names in AGENCIES.items():
        if value in names or value.casefold() in {n.casefold() for n in names if len(n) > 3}:
            return canonical
    return ""


def is_site_name(line: str, *, single: bool = False) -> bool:
    """A masthead: a short name in title case that is not only section words ("Kabul Morning Post").

    With `single`, one word is enough ("TOLOnews"): for the first line of a page.
    """
    stripped = _bare(line)
    words = stripped.split()
    if single and len(words) == 1 and len(stripped) >= 3 and stripped[0].isupper() and stripped.isalpha():
        return stripped.casefold() not in _SECTION_WORDS and not _CHROME.match(stripped)
    if not 2 <= len(words) <= 5 or _TERMINAL.search(stripped) or any(ch.isdigit() for ch in stripped):
        return False
    if not all(w[0].isupper() or w.casefold() in {"of", "the", "and", "&"} for w in words):
        return False
    return not all(w.casefold().strip("&") in _SECTION_WORDS for w in words)


def _credit_pattern(names: list[str]) -> re.Pattern:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    # Case-sensitive, so that short names (AP, AFP) never match ordinary words.
    return re.compile(rf"(?:{_CREDIT_BEFORE})(?:{alternatives})\b|\b(?:{alternatives}){_CREDIT_AFTER}")


_CREDIT_PATTERNS = {canonical: _credit_pattern(names) for canonical, names in AGENCIES.items()}


def credited_agencies(body: str) -> list[str]:
    """The agencies and outlets the text credits for its material, in order of first credit."""
    found = []
    for canonical, pattern in _CREDIT_PATTERNS.items():
        # The patterns are case-sensitive: a name absent from the text spares its regular expression.
        if not any(name in body for name in AGENCIES[canonical]):
            continue
        match = pattern.search(body)
        if match:
            found.append((match.start(), canonical))
    return [name for _, name in sorted(found)]


def _normal_case(place: str) -> str:
    """ "WASHINGTON" -> "Washington", "DOHA, Qatar" -> "Doha, Qatar"."""
    return " ".join(word.title() if word.isupper() and len(word) > 2 else word for word in place.split(" "))


def _is_outlet(line: str) -> bool:
    """A masthead's name: "The Deccan Ledger", "Khaama Press", "Voice of America"."""
    words = line.split()
    return words[0] == "The" or any(w in words for w in ("of", "&")) or bool(set(words) & _OUTLET_WORDS)


def _metadata_line(line: str) -> tuple[str, datetime.date | None, str] | None:
    """(byline, date, precision) of a header line that mixes them: "Jane Roe 4 minutes ago Sat 5th Dec 2020 | 2:46 PM".

    A short line without a sentence's punctuation that holds a full date; the names before it, if any,
    are the byline.
    """
    stripped = _bare(line)
    if word_count(stripped) > 18 or _SENTENCE_END.search(stripped):
        return None
    match = re.search(_DATE, stripped, re.I)
    if not match:
        return None
    date, precision = parse_date(match.group(0))
    if date is None or precision != "day":
        return None
    head = re.split(
        r"\s*[|·•]\s*|\s+\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago\b", stripped[: match.start()]
    )[0]
    head = re.sub(r"^(?i:by)\s+", "", head).strip(" ,–—-")
    if re.search(r"(?i)\b(?:updated|modified|edited)\b", stripped[: match.start()]):
        date, precision = None, "unknown"  # an update stamp beside a name
    names = _names(head) if head else ""
    if head and names is None:
        return None
    return names or "", date, precision


def _near_date(lines: list[str], i: int) -> bool:
    """Whether a line sits next to a date line (where bylines without "By" are printed)."""
    return any(0 <= j < len(lines) and date_line(lines[j]) is not None for j in (i - 1, i + 1))


def _names_with_places(line: str) -> bool:
    """ "Lucy Farrant in Kabul and Owen Pryce in Washington": names filed from places."""
    return bool(re.search(r"\b[A-Z][\w’'-]+ in [A-Z][\w’'-]+", line)) and not _TERMINAL.search(line)


def _is_author_note(line: str, byline: str) -> bool:
    """A closing note about the author: it opens with the byline's name and is short."""
    if not byline or word_count(line) > 40:
        return False
    names = [n.strip() for n in re.split(r",|\band\b|&", byline) if len(n.split()) >= 2]
    return any(line.startswith(name + " ") for name in names)
