"""Page chrome of the clean stage: menus, share bars, captions, promotions, comments and other lines that are not the article."""

import functools
import re

from archive.ingest.clean.dates import _DATE, _DATE_LINE, _MONTH, _PUBLISHED_IN
from archive.ingest.clean.lines import _TERMINAL, _bare, word_count

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

_CAPTION_LABEL = re.compile(r"^(?:image|photo|picture|video)\s+caption\W*$", re.I)

_EDITING_ONLY = re.compile(r"^\(?\s*(?:editing|edited|writing|compiled|translated)\s+by\s+[^)]*\)?\.?$", re.I)


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
