"""Clean stage: the decoded text of a scraped page in, the article's own text and metadata out (no ORM).

The body is the text minus site chrome, one paragraph per line of the source, paragraphs joined by a
blank line, each paragraph exactly as printed (see fixtures/README.md, "Body").
"""

import datetime
import functools
import re
from dataclasses import dataclass, field

from archive.text import strip_accents, strip_bidi

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
# What may follow a date on its line: a time, a time zone, a separator.
_TIME_TAIL = (
    r"(?:[\s,|–-]*(?:at\s+)?(?:T?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?\s*"
    r"(?:[ap]\.?\s?m\.?)?\s*(?:\(?(?:[A-Z]{2,5}|GMT[+-]?\d*|UTC[+-]?\d*)\)?)?)*"
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

_CHROME_PATTERNS = [
    r"must read",
    r"-?\s*advertisements?\s*-?\s*(?:spot_img)?",
    r"(?:sponsored|ad)\s*(?:content)?",
    r"more articles",
    r"latest articles?",
    r"related (?:articles?|posts?|stories|news|topics|coverage|content|reading)\s*:?.*",
    r"you (?:may|might) (?:also )?like\s*:?.*",
    r"(?:read|see|watch|listen) (?:also|more|next)\b.*",
    r"(?:also|further) read(?:ing)?\b.*",
    r"(?:read|related|watch|listen|see|don'?t miss|must read|recommended|trending|more|top stories|in pictures|in depth|explainer|opinion|analysis|video)\s*[:»|–]\s+\S.*",
    r"recommended\s*(?:for you)?",
    r"please enter your (?:comment|name|email)[^a-z]*(?:here)?[.!]*",
    r"leave a (?:reply|comment)\b.*",
    r"your email address will not be published\b.*",
    r"required fields are marked.*",
    r"(?:post |show |view |add a |load )?comments?\s*(?:\(\d+\))?",
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
    r"share (?:this|on|via|page|article|story)\b.*",
    r"(?:share|tweet|pin|email|print|save|like|copy link|close panel|about sharing|reuse this content)[.!]*",
    r"\d+\s+shares?",
    r"follow us\b.*",
    r"(?:subscribe|sign up)\b.*(?:newsletter|updates|subscribe).*",
    r"subscribe to (?:our|the) \w+.*",
    r"copyright\b.*|©.*|\(c\) \d{4}.*|all rights reserved\.?",
    r"(?:previous|next) (?:article|post|story)\b.*",
    r"loading\.*",
    r"like this:?|like loading\.*",
    r"skip to (?:content|main content|navigation)",
    r"continue reading(?: the main story| below| your article.*)?",
    r"(?:listen to|gift|save|print|email|share) this (?:article|story)",
    r"\d+\s*min(?:ute)?s?(?:\s+read)?",
    r"(?:photo|image|picture|slide)\s+\d+\s+(?:of|/)\s+\d+",
    r"(?:expand|enlarge|zoom|view gallery|view image|open gallery|click to enlarge)(?:\s+image)?",
    r"image (?:source|caption)\b.*",
    r"printer[- ]friendly(?: version)?|printable version\b.*",
    r"copy link to (?:this|the) (?:article|story)",
    r"our standards\s*:.*",
    r"(?:this|the) (?:story|article|report) (?:has been|was|is) (?:published|auto-generated|generated|edited)\b.*(?:feed|agency|wire|text)\.?",
    r"the views expressed\b.*",
    r"a version of this (?:article|story) appears in print\b.*",
    r"(?:an? )?(?:\w+ )?(?:writers?|reporters?|correspondents?) [A-Z][\w .'’-]+ (?:in|from) [A-Z][\w ,.'’-]+ contributed\b.*",
    r".{0,80}\bcontributed (?:to )?(?:this|the) (?:report|story|article)\.?",
    r"(?:like|enjoy)(?:d)? this (?:story|article)\?.*",
    r"comments are (?:moderated|closed)\b.*",
    r"(?:this article|the story) is closed for comments\.?",
    r"for more information,? (?:please )?see our comments? .*",
    r"(?:facebook|disqus) conversations?",
    r"(?:most|top) (?:popular|read|viewed|shared|commented)(?: (?:stories|articles|news))?",
    r"more (?:on|about|from) this (?:story|topic)",
    r"(?:in|more in) (?:this section|other news)",
    r"our code of editorial values",
    r"(?:the )?(?:story|article) continues (?:below|after)\b.*",
    r"(?:advertisement|sponsored)\s*[-–:|]?\s*(?:scroll|continue|story continues)\b.*",
    r"(?:click|tap) here\b.{0,80}",
    r"join (?:our|us on) .{0,40}(?:whatsapp|telegram|channel|group|community)\b.*",
    r"(?:image|photo|media|video) (?:copyright|credit|caption)s?\b.*",
    r"(?:getty images|reuters|afp|ap|epa|anadolu agency|xinhua)(?:\s*/\s*(?:file|pool|getty images))?(?: via getty images)?",
    r"\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago",
    r"latest (?:from|in|on) [\w ;,]+",
    r"load more(?: articles| stories| news)?",
    r"this site uses akismet\b.*",
    r"\+\s*posts",
    r"this (?:article|story|page) is (?:more than|over) \d+ (?:years?|months?|days?) old",
    r"(?:like|follow|join|find) (?:us|[A-Z][\w ]{0,40}) on (?:facebook|twitter|instagram|telegram|youtube|whatsapp)\b.*",
    r"download (?:the |our )?[\w ]{0,30}\bapp\b.*",
    r"get (?:the|our) (?:latest|app|newsletter)\b.*",
    r"menu|search|sign in|log ?in|register|home",
]
_CHROME = re.compile(r"^(?:" + "|".join(_CHROME_PATTERNS) + r")$", re.I)
_HASHTAGS = re.compile(r"^(?:#\w[\w-]*[\s,]*)+$")
# Social and sharing words: a line made only of them (and separators) is a share bar.
_SOCIAL = re.compile(
    r"^(?:(?:share|shares|share on|share via|share this|share:|tweet|pin|email|e-mail|print|copy link|comment|comments|"
    r"save|facebook|twitter|x|whatsapp|telegram|linkedin|pinterest|reddit|vk|messenger|flipboard|tumblr|"
    r"viber|line|mail|sms|\d+)\s*[|•·,:/»-]?\s*)+$",
    re.I,
)
# Language menus: a line of language names, in their own script or in English.
_LANGUAGES = frozenset(
    """english español espanol français francais deutsch italiano português portugues русский русский язык
    العربية عربي arabic دری دري dari پښتو pashto اردو urdu فارسی farsi persian türkçe turkce 中文 中文版 日本語
    한국어 हिन्दी hindi বাংলা bengali uzbek o'zbek тоҷикӣ tajik kurdî kurdish polski nederlands svenska
    en fr es de ar fa ps ur ru zh""".split()
)
# Credits that end a photo caption ("REUTERS/Name", "(AP Photo/Name)", "— Reuters/File", "Photo: AFP").
_PHOTO_AGENCY = r"(?:REUTERS|Reuters|AFP|AP|EPA(?:-EFE)?|Getty Images|Xinhua|Anadolu(?: Agency)?|dpa|DPA|XINHUA|ANADOLU|Shutterstock|PPI|APP|AA)"
_CAPTION_END = re.compile(
    rf"(?:\b{_PHOTO_AGENCY}/[\w .'’-]+(?:/(?:File(?: Photo)?|Pool|Handout))?"  # REUTERS/Name/File Photo
    rf"|\b[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,3}}\s*/\s*{_PHOTO_AGENCY}(?:\s+via\s+Getty Images)?"  # Name/AFP
    rf"|[—–-]\s*(?:{_PHOTO_AGENCY}|File|Photo|Handout|Courtesy)(?:\s*/\s*\w+)*\s*(?:photo)?"  # — Reuters/File
    rf"|\((?:{_PHOTO_AGENCY}\s+)?(?:Photo|Photograph|Image|Picture|Pic|File photo|Handout)s?\b[^()]{{0,80}}\)"  # (AP Photo/Name)
    rf"|\([^()]{{0,60}}\b(?:handout|file photo|photo|courtesy)\)"
    r"|\b(?i:Photo|Photograph|Picture|Pic|Image|Credit|Photos?\s+by|Photograph by)\s*(?::|\.{2,}|…)\s*"  # Photograph: Name/AFP
    r"[A-Z][\w.'’-]*(?:(?:\s*/\s*|\s+)(?:[A-Z][\w.'’-]*|via|for|and|de|al|el|the|of)){0,9}"
    r"|\bFile photo\s*/\s*[\w .'’-]{1,40})\.?\s*$"
)
_CAPTION_START = re.compile(
    r"^(?:FILE PHOTO|FILE|PHOTO|Photo|IMAGE|Image|Picture|PICTURE|In this (?:file )?photo|Caption)\s*[:–—-]\s*\S", re.I
)
# A line with a web address that is also an advertisement: spam left in a page or its comments.
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|info|biz|xyz|club|online|site|shop)\b/?\S*", re.I)
_PROMO = re.compile(
    r"\b(?:earn|earning|make money|cash|\$\s?\d[\d,]*\s*(?:a|per|every)\b|per (?:week|day|hour)|work(?:ing)? from home|"
    r"click here|sponsor(?:ed)?|book now|(?:buy|order) [\w -]{1,30} online|no prescription|online pharmacy|cheap|"
    r"discount|casino|betting|loans?|bitcoin|crypto|viagra|dating|promo code|coupon)\b",
    re.I,
)
# An embedded tweet's signature ("— Name (@handle) March 2, 2020") and its picture link.
_TWEET_SIGNATURE = re.compile(
    rf"^(?:[—–-]\s*)?[^()@]{{1,60}}\(@\w{{1,30}}\)\s*(?:{_DATE}|{_MONTH}\s+\d{{1,2}})?\s*$", re.I
)
_TWEET_LINK = re.compile(r"^(?:pic\.twitter\.com|t\.co|https?://(?:t\.co|twitter\.com|x\.com))/\S+$", re.I)
# A line that opens the readers' comments: everything after it is the readers', not the article's.
_COMMENTS_START = re.compile(
    r"^(?:(?:\d+\s+)?(?:reader\s+)?comments?\s*(?:\(\d+\))?|leave a (?:reply|comment)\b.*|add (?:a|your) comment|"
    r"join the (?:conversation|discussion)|(?:facebook|disqus) conversations?|what do you think\??|"
    r"show comments|post a comment|please enter your comment!?|comments are (?:moderated|closed)\b.*|\d+ (?:responses|replies) to .*)$",
    re.I,
)
# A comment's header: "Name | 2 months ago | Reply", "Name says: March 3, 2020 at 5:14 pm".
_COMMENT_HEADER = re.compile(
    rf"^[^|]{{1,50}}(?:\s*\|\s*\d+\s+\w+\s+ago(?:\s*\|\s*reply)?|\s+says:\s*(?:{_DATE}).*|\s*\|\s*reply)\s*$",
    re.I,
)
# A comment printed on one line with its author and date: "Ahmad Z. — Jan 6, 2021 at 9:12 am: Let us …".
_INLINE_COMMENT = re.compile(
    rf"^[^.!?:]{{1,40}}\s[—–|-]\s*{_DATE}(?:,?\s*(?:at\s*)?\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?)?)?\s*:\s+\S", re.I
)
# Headers of a block of teaser links: the short lines after them are other stories' headlines.
_TEASER_BLOCK = re.compile(
    r"^(?:related(?: \w+)?|more (?:on this story|stories|news|from \w+(?: \w+)?)|(?:most|top) (?:popular|read|viewed|shared)"
    r"(?: \w+)?|recommended(?: for you)?|you (?:may|might) also like|read next|trending(?: now)?|topics|"
    r"latest(?: news| stories)?|also (?:on|in) \w+|editor'?s picks|in other news|don'?t miss|"
    r"(?:read|see|watch) (?:more|also|next)|also read|further reading)\s*:?$",
    re.I,
)
# A wire desk's line above the text: "QNA/Doha", "APP/Islamabad".
_AGENCY_PLACE = re.compile(r"^(?P<agency>[A-Z]{2,8})\s*/\s*(?P<place>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)$")
_CAPTION_LABEL = re.compile(r"^(?:image|photo|picture|video)\s+caption\W*$", re.I)
_BYLINE_PREFIX = re.compile(
    r"^(?i:(?:written\s+|posted\s+|reported\s+|compiled\s+|story\s+)?by)\s*:?\s+(?P<rest>\S.*)$"
)
_REPORTING = re.compile(
    r"^\(?\s*(?:(?:additional\s+)?reporting|writing|compiled|text|words|report)\s+by\s+(?P<names>[^;)]+)"
    r"(?:;[^)]*)?\)?\.?$",
    re.I,
)
_EDITING_ONLY = re.compile(r"^\(?\s*(?:editing|edited|writing|compiled|translated)\s+by\s+[^)]*\)?\.?$", re.I)
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
_TERMINAL = re.compile(r"[.!?…:;”\"’')\]]\s*$")
_SENTENCE_END = re.compile(r"[.!?…][”\"’')\]]*\s*$")
_WORD = re.compile(r"[\w’'-]+")
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


@functools.lru_cache(maxsize=4096)
def _key(line: str) -> str:
    """Comparison key of a headline: letters and digits only, case and accents folded."""
    return "".join(ch for ch in strip_accents(line).casefold() if ch.isalnum())


def word_count(line: str) -> int:
    return len(_WORD.findall(line))


def _bare(line: str) -> str:
    return line.strip().strip("|•·»«").strip()


def is_share_bar(line: str) -> bool:
    """A row of sharing buttons: "Facebook Twitter WhatsApp", "Share: Facebook · Telegram"."""
    stripped = _bare(line)
    return bool(stripped) and word_count(stripped) <= 14 and bool(_SOCIAL.match(stripped)) and not stripped.isdigit()


def is_language_menu(line: str) -> bool:
    """A menu of languages: "English | دری | پښتو", "العربية English Français"."""
    parts = [p for p in re.split(r"[\s|•·/,]+", _bare(line)) if p]
    if len(parts) < 2 or len(parts) > 14:
        return False
    return all(p.casefold() in _LANGUAGES for p in parts)


def is_breadcrumb(line: str) -> bool:
    """A navigation trail or menu: "Home » World » Asia", "Home | Politics | World | Opinion"."""
    stripped = _bare(line)
    if _TERMINAL.search(stripped):
        return False
    for separators, least in ((r"\s*[»›>/]\s*", 2), (r"\s+[|•·]\s+", 3)):
        parts = [p for p in re.split(separators, stripped) if p]
        if len(parts) >= least and all(word_count(p) <= 3 for p in parts):
            return True
    return False


def is_caption(line: str) -> bool:
    """A photo caption or credit: "FILE PHOTO: … REUTERS/Name", "… (AP Photo/Name)", "… — Reuters/File"."""
    stripped = line.strip()
    if _CAPTION_START.match(stripped) and (word_count(stripped) <= 60):
        return True
    match = _CAPTION_END.search(stripped)
    if not match:
        return False
    # The credit ends the line; what precedes it is a description, never a quotation or a question.
    head = stripped[: match.start()]
    return word_count(stripped) <= 70 and "“" not in head and '"' not in head


def is_spam(line: str) -> bool:
    """An advertisement with a web address: spam in a page or its comments."""
    stripped = line.strip()
    return bool(_URL.search(stripped)) and word_count(stripped) <= 40 and bool(_PROMO.search(stripped))


def is_tweet_furniture(line: str) -> bool:
    """The signature line or picture link of an embedded tweet."""
    stripped = line.strip()
    return bool(_TWEET_SIGNATURE.match(stripped) or _TWEET_LINK.match(stripped))


@functools.lru_cache(maxsize=4096)
def is_chrome(line: str) -> bool:
    """Whether a whole line is site furniture rather than article text."""
    stripped = _bare(line)
    return bool(
        not stripped
        or _CHROME.match(stripped)
        or _HASHTAGS.match(stripped)
        or _DATE_LINE.match(stripped)
        or not any(ch.isalnum() for ch in stripped)
        or is_share_bar(stripped)
        or is_language_menu(stripped)
        or is_breadcrumb(stripped)
        or is_caption(stripped)
        or is_spam(stripped)
        or is_tweet_furniture(stripped)
        or _COMMENT_HEADER.match(stripped)
        or _PUBLISHED_IN.match(stripped)
        or _EDITING_ONLY.match(stripped)
    )


def split_title(line: str) -> tuple[str, str]:
    """(headline, site name) of a headline line such as "Talks resume | Taliban news"."""
    if " | " in line:
        head, _, tail = line.rpartition(" | ")
        if head and word_count(tail) <= 4 and word_count(head) >= 3:
            return head.strip(), tail.strip()
    return line.strip(), ""


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
