"""Clean stage: the decoded text of a scraped page in, the article's own text and metadata out (no ORM).

The body is the text minus site chrome, one paragraph per line of the source, paragraphs joined by a
blank line, each paragraph exactly as printed (see fixtures/README.md, "Body").
"""

import datetime
import functools
import re
from dataclasses import dataclass, field

from archive.text import strip_accents

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"

# A line made only of a date (a page header such as "Sunday, December 3, 2023"): chrome, not evidence.
_DATE_LINE = re.compile(
    rf"^(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})"
    r"(?:\s*(?:at\s*)?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)?$",
    re.I,
)
# Explicit publication markers: the only text evidence of an article's own date.
_PUBLISHED = re.compile(
    rf"^(?:published|posted|first published|date)\s*(?:on|:)?\s*(?:{_WEEKDAY},?\s+)?"
    rf"(?P<date>{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})",
    re.I,
)
_CHROME_PATTERNS = [
    r"must read",
    r"-?\s*advertisement\s*-?\s*(?:spot_img)?",
    r"(?:sponsored|ad)\s*(?:content)?",
    r"more articles",
    r"latest articles?",
    r"related (?:articles?|posts?|stories|news)\s*:?.*",
    r"you (?:may|might) also like\s*:?.*",
    r"(?:read|see) (?:also|more)\b.*",
    r"also read\b.*",
    r"recommended\s*(?:for you)?",
    r"please enter your (?:comment|name|email)[^a-z]*(?:here)?[.!]*",
    r"leave a (?:reply|comment)\b.*",
    r"your email address will not be published\b.*",
    r"required fields are marked.*",
    r"(?:post )?comments?\s*(?:\(\d+\))?",
    r"\d+\s+comments?",
    r"written by (?:admin|administrator|editor|staff|webmaster|news desk)\b.*",
    r"(?:posted|filed) (?:in|under)\b.*",
    r"tags?\s*:.*",
    r"categor(?:y|ies)\s*:.*",
    r"click to rate this post!?",
    r"\[\s*total\s*:?\s*[\d.]*\s*average\s*:?\s*[\d.]*\s*\]",
    r"rating\s*:?.*\bstars?\b.*",
    r"about the author",
    r"source link",
    r"source\s*:\s*\S.*",
    r"scroll to (?:top|bottom)",
    r"back to top",
    r"share (?:this|on)\b.*",
    r"(?:facebook|twitter|whatsapp|telegram|linkedin|email|print|pinterest|reddit)(?:\s*[|•,]\s*\w+)*",
    r"follow us\b.*",
    r"(?:subscribe|sign up)\b.*(?:newsletter|updates|subscribe).*",
    r"copyright\b.*|©.*|all rights reserved\.?",
    r"(?:previous|next) (?:article|post)\b.*",
    r"loading\.*",
    # An update stamp is not the article's date.
    r"(?:last )?(?:updated|modified)\s*(?:on|at)?\s*:?\s*[\w ,:./-]{0,30}\d{4}[\w ,:./+-]{0,20}",
    r"skip to (?:content|main content)",
]
_CHROME = re.compile(r"^(?:" + "|".join(_CHROME_PATTERNS) + r")$", re.I)
_HASHTAGS = re.compile(r"^(?:#\w[\w-]*[\s,]*)+$")
_BYLINE = re.compile(
    r"^(?i:(?:written |posted |reported )?by)[:\s]+(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})"
    r"(?:\s*[,|–-]\s*[A-Z][\w.'’ -]{1,40})?\s*$"
)
_NOT_PEOPLE = frozenset({"admin", "administrator", "editor", "staff", "webmaster", "news desk", "desk", "team"})
# "Doha, Qatar – It has been …", "WASHINGTON – As …", "KABUL (Reuters) - …"
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'’-]+(?:\s[A-Z][A-Za-z.'’-]+){0,2}(?:,\s[A-Z][A-Za-z.'’-]+(?:\s[A-Z][A-Za-z.'’-]+){0,2})?)"
    rf"(?:,?\s+(?P<date>{_MONTH}\s+\d{{1,2}}(?:,\s+\d{{4}})?))?"
    r"(?:\s*\((?P<agency>[^)]{2,40})\))?\s*[–—-]{1,2}\s+\S"
)
_TERMINAL = re.compile(r"[.!?…:;”\"’')\]]\s*$")
_WORD = re.compile(r"[\w’'-]+")

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
_CREDIT_BEFORE = r"(?:told|telling|to|by|according to|with|on|via|interview(?:ed)? (?:with|by)|speaking to|in an interview with|quoted by|cited by|reported by)\s+(?:the\s+)?"
_CREDIT_AFTER = r"(?:\s*\)|\s+(?:reports?|reported|said|says|quoted|cited|news agency|interview|television|radio))"


@dataclass
class CleanArticle:
    """The article's own text and what the text says about it."""

    title: str
    body: str
    paragraphs: list[str]
    published_date: datetime.date | None = None
    date_precision: str = "unknown"
    dateline: str = ""
    byline: str = ""
    site_name: str = ""
    credited: list[str] = field(default_factory=list)
    removed_lines: list[str] = field(default_factory=list)


class CleanError(ValueError):
    """A text with no article in it."""


@functools.lru_cache(maxsize=4096)
def _key(line: str) -> str:
    """Comparison key of a headline: letters and digits only, case and accents folded."""
    return "".join(ch for ch in strip_accents(line).casefold() if ch.isalnum())


def word_count(line: str) -> int:
    return len(_WORD.findall(line))


def is_chrome(line: str) -> bool:
    """Whether a whole line is site furniture rather than article text."""
    stripped = line.strip().strip("|•·»«").strip()
    return bool(
        not stripped
        or _CHROME.match(stripped)
        or _HASHTAGS.match(stripped)
        or _DATE_LINE.match(stripped)
        or not any(ch.isalnum() for ch in stripped)
    )


def split_title(line: str) -> tuple[str, str]:
    """(headline, site name) of a headline line such as "Talks resume | Taliban news"."""
    for separator in (" | ", " – ", " — ", " - "):
        if separator in line:
            head, _, tail = line.rpartition(separator)
            if head and word_count(tail) <= 4 and word_count(head) >= 3 and separator == " | ":
                return head.strip(), tail.strip()
    return line.strip(), ""


def parse_date(value: str) -> tuple[datetime.date | None, str]:
    """(date, precision) of a written date: "December 3, 2023", "3 Dec 2023", "2023-12-03"."""
    value = value.strip().rstrip(".,")
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    try:
        if match:
            return datetime.date(*map(int, match.groups())), "day"
        match = re.match(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$", value)
        if match and match.group(1).lower() in MONTHS:
            return datetime.date(int(match.group(3)), MONTHS[match.group(1).lower()], int(match.group(2))), "day"
        match = re.match(r"^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$", value)
        if match and match.group(2).lower() in MONTHS:
            return datetime.date(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1))), "day"
        match = re.match(r"^([A-Za-z]+)\s+(\d{4})$", value)
        if match and match.group(1).lower() in MONTHS:
            return datetime.date(int(match.group(2)), MONTHS[match.group(1).lower()], 1), "month"
    except ValueError:
        return None, "unknown"
    return None, "unknown"


def _credit_pattern(names: list[str]) -> re.Pattern:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    # Case-sensitive, so that short names (AP, AFP) never match ordinary words.
    return re.compile(rf"(?:{_CREDIT_BEFORE})(?:{alternatives})\b|\b(?:{alternatives}){_CREDIT_AFTER}")


_CREDIT_PATTERNS = {canonical: _credit_pattern(names) for canonical, names in AGENCIES.items()}


def credited_agencies(body: str) -> list[str]:
    """The agencies and outlets the text credits for its material, in order of first credit."""
    found = []
    for canonical, pattern in _CREDIT_PATTERNS.items():
        match = pattern.search(body)
        if match:
            found.append((match.start(), canonical))
    return [name for _, name in sorted(found)]


def _normal_case(place: str) -> str:
    """ "WASHINGTON" -> "Washington", "DOHA, Qatar" -> "Doha, Qatar"."""
    return " ".join(word.title() if word.isupper() and len(word) > 2 else word for word in place.split(" "))


def clean_text(text: str, metadata: dict | None = None) -> CleanArticle:
    """Split a scraped page's text into the article's title, metadata and clean body."""
    metadata = metadata or {}
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    removed: list[str] = []
    published, precision, byline = None, "unknown", ""

    # Explicit publication and byline lines are read, then dropped.
    kept = []
    for line in lines:
        match = _PUBLISHED.match(line)
        if match and published is None:
            published, precision = parse_date(match.group("date"))
            removed.append(line)
            continue
        match = _BYLINE.match(line)
        if match and word_count(line) <= 6:
            name = match.group("name").strip()
            if name.casefold() not in _NOT_PEOPLE and not byline:
                byline = name
            removed.append(line)
            continue
        if is_chrome(line):
            removed.append(line)
            continue
        kept.append(line)
    if not kept:
        raise CleanError("No article text was found in the file.")

    # The headline: the page's own title, else the first line; a " | Site" suffix is the site's name.
    title_line = metadata.get("title") or kept[0]
    title, site_name = split_title(title_line)
    site_name = metadata.get("sitename") or site_name
    title_keys = {_key(title), _key(title_line)}
    variants = [line for line in kept if _key(split_title(line)[0]) in title_keys or _key(line) in title_keys]
    if variants:
        # Of two forms of one headline, keep the one with its punctuation ("Afghanistan: “…” in …").
        title = max((split_title(v)[0] for v in variants), key=lambda v: (len(v), v))
    else:
        # The first line is the headline only when it reads like one: short, no closing full stop.
        if metadata.get("title") is None and word_count(kept[0]) <= 25 and not kept[0].endswith("."):
            variants = [kept[0]]
    paragraphs = []
    for line in kept:
        if line in variants or _key(split_title(line)[0]) in title_keys:
            removed.append(line)
        else:
            paragraphs.append(line)

    # Short fragments before the first and after the last real paragraph are labels and widgets.
    def is_prose(line: str) -> bool:
        return word_count(line) >= 12 or (word_count(line) >= 6 and bool(_TERMINAL.search(line)))

    prose = [i for i, line in enumerate(paragraphs) if is_prose(line)]
    if not prose:
        raise CleanError("No article text was found in the file (no paragraph of prose).")
    first, last = prose[0], prose[-1]
    trailing = [line for line in paragraphs[last + 1 :] if word_count(line) > 5 or _TERMINAL.search(line)]
    removed.extend(paragraphs[:first])
    removed.extend(line for line in paragraphs[last + 1 :] if line not in trailing)
    paragraphs = paragraphs[first : last + 1] + trailing
    if not title:
        title = paragraphs[0][:200]

    dateline = ""
    match = _DATELINE.match(paragraphs[0])
    if match and word_count(match.group("place")) <= 5:
        dateline = _normal_case(match.group("place"))
    if published is None and metadata.get("date"):
        published, precision = parse_date(str(metadata["date"]))
    if not byline and metadata.get("author"):
        author = str(metadata["author"]).split(";")[0].strip()
        byline = "" if author.casefold() in _NOT_PEOPLE else author
    body = "\n\n".join(paragraphs)
    return CleanArticle(
        title=title[:500],
        body=body,
        paragraphs=paragraphs,
        published_date=published,
        date_precision=precision if published else "unknown",
        dateline=dateline[:200],
        byline=byline[:300],
        site_name=site_name[:200],
        credited=credited_agencies(body),
        removed_lines=removed,
    )
