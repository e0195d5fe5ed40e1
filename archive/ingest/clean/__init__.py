"""Clean stage: the decoded text of a scraped page in, the article's own text and metadata out (no ORM).

The body is the text minus site chrome, one paragraph per line of the source, paragraphs joined by a
blank line, each paragraph exactly as printed (see fixtures/README.md, "Body").

The stage is read in parts: `chrome` recognises the page's own furniture, `dates` the date lines,
`metadata` the headline, byline, dateline and agency credits; `clean_text` here puts them together.
"""

import datetime
import re
from dataclasses import dataclass, field

from archive.ingest.clean.chrome import (
    _CAPTION_LABEL,
    _COMMENT_HEADER,
    _COMMENTS_START,
    _INLINE_COMMENT,
    _TEASER_BLOCK,
    is_breadcrumb,
    is_caption,
    is_chrome,
    is_language_menu,
    is_share_bar,
    is_spam,
    is_tweet_furniture,
)
from archive.ingest.clean.dates import (
    _LABEL_ONLY,
    _PUBLISHED_IN,
    _UPDATED_LABELS,
    _WEEKDAY,
    MONTHS,
    date_line,
    parse_date,
)
from archive.ingest.clean.lines import _SENTENCE_END, _TERMINAL, _bare, _key, word_count
from archive.ingest.clean.metadata import (
    _AGENCY_PLACE,
    _NOT_PEOPLE,
    AGENCIES,
    _is_author_note,
    _is_outlet,
    _metadata_line,
    _names_with_places,
    _near_date,
    _normal_case,
    agency_name,
    bare_byline,
    byline_of,
    credited_agencies,
    dateline_date,
    dateline_of,
    is_site_name,
    reporting_credit,
    split_title,
)
from archive.text import strip_bidi


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
    agency: str = ""


class CleanError(ValueError):
    """A text with no article in it."""


def _is_prose(line: str) -> bool:
    return word_count(line) >= 12 or (word_count(line) >= 6 and bool(_TERMINAL.search(line)))


def _opens_body(line: str) -> bool:
    """A paragraph of running text (a headline, however long, has no closing punctuation)."""
    return word_count(line) >= 30 or (word_count(line) >= 6 and bool(_TERMINAL.search(line)))


def _is_headline(line: str) -> bool:
    """A line shaped like a headline: a few words, not a sentence of a paragraph."""
    words = word_count(line)
    return 2 <= words <= 30 and not (_SENTENCE_END.search(line) and words > 14) and not line.endswith(".")


def clean_text(text: str, metadata: dict | None = None) -> CleanArticle:
    """Split a scraped page's text into the article's title, metadata and clean body.

    The page is read in three zones: the header (everything before the first paragraph of prose:
    menus, the headline, byline, date line, captions), the body, and the footer (from the readers'
    comments or the last paragraph on). Chrome is recognised by its shape (a caption's credit, a row of
    share buttons, a menu of languages, a teaser block, an address in an advertisement), never by a list
    of pages.
    """
    metadata = metadata or {}
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    removed: list[str] = []
    published, precision, byline, site_name, reporters = None, "unknown", "", "", None
    date_place = ""
    fallback: tuple[datetime.date | None, str] | None = None
    above: tuple[datetime.date | None, str] | None = None
    desk_place, desk_agency = "", ""

    # Readers' comments: after the line that opens them, each comment's header ("Name | 2 days ago | Reply",
    # "Name says: date", "Name — date: text") and the text under it are the readers', not the article's.
    first_prose = next((i for i, line in enumerate(lines) if _opens_body(line) and not is_chrome(line)), None)
    if first_prose is not None:
        start = next((i for i in range(first_prose + 1, len(lines)) if _COMMENTS_START.match(_bare(lines[i]))), None)
        if start is not None:
            readers, in_comment = [], False
            for line in lines[start:]:
                if _COMMENT_HEADER.match(line) or _INLINE_COMMENT.match(line):
                    in_comment = True
                if in_comment or line is lines[start] or is_chrome(line):
                    removed.append(line)
                else:
                    readers.append(line)
            lines = lines[:start] + readers

    # The headline: the page's own title, else the first headline-shaped line that is not chrome.
    title_index = None
    if not metadata.get("title"):
        candidates = []
        for i, line in enumerate(lines[:first_prose]):
            if is_chrome(line) or byline_of(line) is not None or reporting_credit(line) is not None:
                continue
            if i and _CAPTION_LABEL.match(_bare(lines[i - 1])):
                continue
            if _is_headline(line) and not _LABEL_ONLY.match(line):
                candidates.append(i)
        # Mastheads, their mottos and section labels sit above the headline: the headline is the first line
        # of four words or more that is not a masthead nor the motto printed under one.
        full = [i for i in candidates if word_count(lines[i]) >= 4 and not is_site_name(lines[i])]
        while len(full) > 1 and full[0] and is_site_name(lines[full[0] - 1], single=full[0] == 1):
            full.pop(0)
        if full:
            title_index = full[0]
        elif candidates:
            title_index = candidates[0]
    title_line = metadata.get("title") or (lines[title_index] if title_index is not None else "")
    title, suffix_site = split_title(title_line)

    kept: list[tuple[int, str]] = []
    label = ""
    seen: set[str] = set()
    teaser_block = False
    for i, line in enumerate(lines):
        if i and _CAPTION_LABEL.match(_bare(lines[i - 1])) and not _opens_body(line):
            removed.append(line)  # the caption under a caption label
            continue
        header = first_prose is None or i < first_prose
        if title_index is not None and i < title_index:
            # Above the headline: mastheads, menus, captions and dates, never article text.
            if not site_name and is_site_name(line, single=i == 0) and not is_chrome(line):
                site_name = line
            found = date_line(line)
            if found and found[0] and above is None and found[2] not in _UPDATED_LABELS:
                # A page header printing the day ("Sunday, December 3, 2023") is the reader's date, not the
                # article's; a bare date above a headline is kept in case the page gives no other.
                if not re.match(_WEEKDAY, _bare(line), re.I):
                    above = found[:2]
            removed.append(line)
            continue
        if _LABEL_ONLY.match(line):
            label = line.rstrip(":").casefold()
            removed.append(line)
            continue
        found = date_line(line)
        if found is not None:
            date, date_precision, line_label, place = found
            line_label = line_label or label
            if header and published is None and date and line_label not in _UPDATED_LABELS:
                published, precision, date_place = date, date_precision, place
            elif header and date and fallback is None:
                fallback = (date, date_precision)  # an update stamp: the date only when the page gives no other
            removed.append(line)
            label = ""
            continue
        label = ""
        match = _PUBLISHED_IN.match(line)
        if match:
            site_name = site_name or match.group("outlet").strip()
            edition = parse_date(match.group("date"))
            if edition[0] and fallback is None:
                fallback = edition  # the print edition's date, when the page gives no other
            removed.append(line)
            continue
        meta = _metadata_line(line) if header and i != title_index else None
        if meta is not None:
            names, date, date_precision = meta
            byline = byline or names
            if published is None and date and label not in _UPDATED_LABELS:
                published, precision = date, date_precision
            removed.append(line)
            label = ""
            continue
        match = _AGENCY_PLACE.match(line)
        if match and header:
            desk_place = desk_place or match.group("place")
            desk_agency = desk_agency or match.group("agency")
            removed.append(line)
            continue
        names = byline_of(line)
        if names is None and header:
            beside = (
                _near_date(lines, i) or _names_with_places(line) or (title_index is not None and i == title_index + 1)
            )
            names = bare_byline(line) if beside else None
        if names is not None:
            byline = byline or names
            removed.append(line)
            continue
        names = reporting_credit(line)
        if names is not None:
            reporters = reporters if reporters is not None else names
            removed.append(line)
            continue
        if is_chrome(line):
            removed.append(line)
            teaser_block = teaser_block or bool(_TEASER_BLOCK.match(_bare(line)))
            continue
        if _TEASER_BLOCK.match(_bare(line)):
            teaser_block = True
            removed.append(line)
            continue
        if teaser_block:
            if not _is_prose(line) or not _SENTENCE_END.search(line):
                removed.append(line)
                continue
            teaser_block = False
        if header and not site_name and is_site_name(line) and i != title_index and _is_outlet(line):
            site_name = line
            removed.append(line)
            continue
        if i != title_index and line in seen and not _SENTENCE_END.search(line):
            removed.append(line)  # a caption or teaser printed twice
            continue
        seen.add(line)
        kept.append((i, line))
    if not kept:
        raise CleanError("No article text was found in the file.")

    # A saved web page names its outlet in its metadata; its headline never does.
    site_name = (metadata.get("sitename") or "") if metadata else (suffix_site or site_name)
    if not title:
        candidates = [line for _, line in kept if _is_headline(line)]
        if candidates and metadata.get("title") is None and kept[0][1] == candidates[0]:
            title, suffix_site = split_title(candidates[0])
            site_name = site_name or ("" if metadata else suffix_site)
    title_keys = {_key(title), _key(title_line)} - {""}
    variants = [line for _, line in kept if _key(split_title(line)[0]) in title_keys or _key(line) in title_keys]
    if variants:
        # Of two forms of one headline, keep the one with its punctuation ("Afghanistan: “…” in …").
        title = max((split_title(v)[0] for v in variants), key=lambda v: (len(v), v))
    paragraphs = []
    for _, line in kept:
        if line in variants or (title_keys and _key(split_title(line)[0]) in title_keys):
            removed.append(line)
        else:
            paragraphs.append(line)

    # Short fragments before the first and after the last real paragraph are labels and widgets.
    prose = [i for i, line in enumerate(paragraphs) if _is_prose(line)]
    if not prose:
        raise CleanError("No article text was found in the file (no paragraph of prose).")
    first, last = prose[0], prose[-1]
    trailing = [line for line in paragraphs[last + 1 :] if word_count(line) > 5 or _TERMINAL.search(line)]
    removed.extend(paragraphs[:first])
    removed.extend(line for line in paragraphs[last + 1 :] if line not in trailing)
    paragraphs = paragraphs[first : last + 1] + trailing
    byline = byline or (reporters or "")
    # An author's note at the foot ("Jane Doe teaches …", "Jane Doe reported from Kabul.") is not the article's.
    while len(paragraphs) > 1 and _is_author_note(paragraphs[-1], byline):
        removed.append(paragraphs.pop())
    if not title:
        title = paragraphs[0][:200]

    dateline, agency = dateline_of(paragraphs[0])
    for paragraph in paragraphs[1:3] if not dateline else ():
        # A summary may precede the lead; a dateline further down must be unmistakable: "KABUL (Agency) …".
        place, credited_agency = dateline_of(paragraph)
        if place and (credited_agency or place.split(",")[0].isupper() or paragraph.split()[0].isupper()):
            dateline, agency = place, credited_agency
            break
    dateline = dateline or _normal_case(date_place.title() if date_place.isupper() else date_place) or desk_place
    agency = agency or agency_name(desk_agency) or desk_agency
    if published is None and metadata.get("date"):
        published, precision = parse_date(str(metadata["date"]))
    if published is None and (printed := dateline_date(paragraphs[0])):
        published, precision = printed  # "KABUL, March 2, 2020 – …": the date the dateline prints
    if published is None and fallback is not None:
        published, precision = fallback
    if published is None and above is not None:
        published, precision = above
    if not byline and metadata.get("author"):
        author = str(metadata["author"]).split(";")[0].strip()
        byline = "" if author.casefold() in _NOT_PEOPLE else author
    body = "\n\n".join(paragraphs)
    credited = credited_agencies(body)
    if agency and agency not in credited:
        credited.insert(0, agency)
    return CleanArticle(
        title=strip_bidi(title)[:500],
        body=body,
        paragraphs=paragraphs,
        published_date=published,
        date_precision=precision if published else "unknown",
        dateline=strip_bidi(dateline)[:200],
        byline=strip_bidi(byline)[:300],
        site_name=strip_bidi(site_name)[:200],
        credited=credited,
        removed_lines=removed,
        agency=agency,
    )


__all__ = [
    "AGENCIES",
    "CleanArticle",
    "CleanError",
    "MONTHS",
    "agency_name",
    "bare_byline",
    "byline_of",
    "clean_text",
    "credited_agencies",
    "date_line",
    "dateline_of",
    "is_breadcrumb",
    "is_caption",
    "is_chrome",
    "is_language_menu",
    "is_share_bar",
    "is_site_name",
    "is_spam",
    "is_tweet_furniture",
    "parse_date",
    "reporting_credit",
    "split_title",
    "word_count",
]
