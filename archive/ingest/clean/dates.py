"""Date lines of the clean stage: written dates and the lines that are only a date."""

import datetime
import re

from archive.ingest.clean.lines import _bare

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
_ORDINAL = r"(?:st|nd|rd|th)?"

# One written date, in any of the forms news pages print (the year is required).
_DATE = (
    rf"(?:{_WEEKDAY},?\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}{_ORDINAL},?\s+\d{{4}}"  # Sep 14, 2020 / September 14th, 2020
    rf"|\d{{1,2}}{_ORDINAL}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"  # 14 September 2020 / 14th Sep, 2020
    r"|\d{4}-\d{2}-\d{2}"  # 2020-09-14
    r"|\d{1,2}[./]\d{1,2}[./]\d{4}"  # 14.09.2020 / 14/09/2020
    rf"|{_MONTH},?\s+\d{{4}})"  # September 2020 (month precision)
)

# What may follow a date on its line: a time, a time zone, a separator. Atomic (?>...): every part in
# it is optional, so a line that goes on after the date ("KABUL, March 2, 2020 – Elders met ...") would
# otherwise be tried in exponentially many ways before it is refused.
_TIME_TAIL = (
    r"(?>(?:[\s,|–-]*(?:at\s+)?(?:T?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?\s*"
    r"(?:[ap]\.?\s?m\.?)?\s*(?:\(?(?:[A-Z]{2,5}|GMT[+-]?\d*|UTC[+-]?\d*)\)?)?)*)"
)
_DATE_LABEL = r"(?:(?P<label>published|posted|first published|published on|posted on|date|dated|released|issued|(?:last\s+)?updated|modified|last modified|edited)\b\s*(?:on|at)?\s*[:.-]?\s*)"

# A line that is only a date, with an optional label ("Published:") and place ("NEW DELHI,").
_DATE_ONLY_LINE = re.compile(
    rf"^{_DATE_LABEL}?(?:(?P<place>(?-i:[A-Z][A-Za-z.'’-]+(?:\s[A-Z][A-Za-z.'’-]+){{0,3}})),\s+)?(?P<date>{_DATE}){_TIME_TAIL}$",
    re.I,
)
_DATE_LINE = _DATE_ONLY_LINE
_LABEL_ONLY = re.compile(r"^(?:published|posted|first published|updated|last updated|modified|date)\s*:?$", re.I)
_UPDATED_LABELS = frozenset({"updated", "last updated", "modified", "last modified", "edited"})

# A print-edition or syndication note: "Published in Dawn, December 3rd, 2020".
_PUBLISHED_IN = re.compile(
    rf"^(?:published|printed|appeared) in (?P<outlet>(?:the )?[A-Z][\w.&' -]{{1,60}}?),?\s+(?:on\s+)?(?P<date>{_DATE})\.?$",
    re.I,
)


def parse_date(value: str) -> tuple[datetime.date | None, str]:
    """(date, precision) of a written date: "December 3, 2023", "3 Dec 2023", "2023-12-03", "14.09.2020"."""
    value = re.sub(rf"^{_WEEKDAY},?\s+", "", value.strip().rstrip(".,"), flags=re.I)
    value = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", value)
    value = re.sub(r"\bof\s+", "", value)
    try:
        match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
        if match:
            return datetime.date(*map(int, match.groups())), "day"
        match = re.match(r"^(\d{1,2})([./])(\d{1,2})\2(\d{4})\b", value)
        if match:
            first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
            if match.group(2) == "/" and first <= 12 and second > 12:
                first, second = second, first  # 09/14/2020: the American order
            elif match.group(2) == "/" and first <= 12 and second <= 12 and first != second:
                return None, "unknown"  # 03/04/2020 could be either order
            return datetime.date(year, second, first), "day"
        match = re.match(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})\b", value)
        if match and match.group(1).lower() in MONTHS:
            return datetime.date(int(match.group(3)), MONTHS[match.group(1).lower()], int(match.group(2))), "day"
        match = re.match(r"^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})\b", value)
        if match and match.group(2).lower() in MONTHS:
            return datetime.date(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1))), "day"
        match = re.match(r"^([A-Za-z]+)\.?,?\s+(\d{4})$", value)
        if match and match.group(1).lower() in MONTHS:
            return datetime.date(int(match.group(2)), MONTHS[match.group(1).lower()], 1), "month"
        match = re.match(r"^(\d{4})$", value)
        if match:
            return datetime.date(int(match.group(1)), 1, 1), "year"
    except ValueError:
        return None, "unknown"
    return None, "unknown"


def date_line(line: str) -> tuple[datetime.date | None, str, str, str] | None:
    """(date, precision, label, place) of a line that is only a date, else None.

    The label is the word before the date ("published", "updated", …) or ""; the place is a
    capitalised dateline before it ("NEW DELHI, NOVEMBER 20, 2020 23:14 IST").
    """
    match = _DATE_ONLY_LINE.match(_bare(line))
    if not match:
        return None
    date, precision = parse_date(match.group("date"))
    place = match.group("place") or ""
    if re.fullmatch(_WEEKDAY, place.strip(), re.I):
        place = ""
    return date, precision, (match.group("label") or "").casefold(), place.strip()
