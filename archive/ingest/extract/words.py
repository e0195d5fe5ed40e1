"""Word lists of the extractor: speech verbs, pronouns, titles, name particles and the heads of descriptions."""

import re

from archive.text import TITLES

QUOTE_MARKS = '“”"„‟'
OPENERS = "“„‟"
CLOSERS = "”"

_VERB_FORMS = """
said says say saying told tells tell telling added adds adding stated states tweeted tweets wrote writes warned warns
warning assured assures insisted insists insist insisting acknowledged acknowledges denied denies announced announces
believe believes believed reiterated reiterates explained explains noted notes stressed stresses emphasized emphasised
emphasizes claimed claims argued argues admitted admits complained complains declared declares confirmed confirms
urged urges noting stressing replied responded posted hinted hints conceded conceding concedes pledged promised vowed asserted
asserts predicted remarked commented suggested maintained maintains recalled recalls found finds cautioned
argue warn caution cautions note stress suggest suggests predict predicts acknowledge deny admit claim
""".split()
# A verb form after a determiner is a noun ("a series of tweets", "his claims"), and after "be" or "been" a
# passive ("had been told"): neither attributes speech to the subject before it.
_NOT_AFTER = "".join(f"(?<!\\b{word} )" for word in "a an the of his her its their our been being be".split())
SPEECH_VERB = _NOT_AFTER + r"(?:" + "|".join(sorted(_VERB_FORMS, key=len, reverse=True)) + r")"
# Verbs after which a bare clause (no "that") is the reported claim.
BARE_CLAUSE_VERBS = frozenset(
    "said says say saying believe believes believed insisted insists insist denied denies admitted admits acknowledged "
    "emphasized emphasised emphasizes claimed claims maintains maintained".split()
)
# Verbs that only report a claim when a "that" clause follows.

PRONOUNS = {"he": "singular", "she": "singular", "they": "plural", "it": "thing", "we": "plural", "i": "singular"}
CALLED = re.compile(
    r"(?<!so-)\b(?:called|calls|call|calling|termed|terms|dubbed|dubs|described(?: \w+)? as|describes(?: \w+)? as|"
    r"branded|labelled|labeled|complained of|complains of|denounced|decried|warned of|warns of|spoke of|"
    r"speaks of|referred to|refers to)\b(?:\s+\S+){0,3}\s*$",
    re.I,
)
DETERMINER_START = re.compile(r"^(?:the|a|an|its|his|her|their|our|this|that|these|those)\b", re.I)
ABBREVIATIONS = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sen|Rep|Gov|Prof|Jr|Sr|No|Vol|Capt|Maj|Sgt|Adm|Cmdr|vs|etc|approx)|\b[A-Z]|\b(?:[A-Z]\.){1,3}[A-Z])$"
)
TIME_WORDS = r"(?:on|last|this|late|early|earlier|next)\s+(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|week|month|year|night|morning|evening)"
ADVERB = re.compile(
    r"(?:\s+(?:has|have|had|also|even|then|finally|recently|reportedly|previously|again|already|further|later|would|"
    r"will|once|just|only|still|never|long|since|publicly|privately|repeatedly|earlier|now|has\s+also|\w+ly))+\s*$",
    re.I,
)
LEAD_CONJUNCTION = re.compile(
    r"^(?:but|and|yet|so|meanwhile|however|still|now|also|then|thus|instead|moreover|indeed)\b[\s,]*", re.I
)
PREPOSITIONS = frozenset(
    "in of to from at for with by on near inside across based about over under into after before during against "
    "between among within outside than via".split()
)
NAME_CONNECTORS = frozenset(
    {"bin", "bint", "ibn", "al", "el", "ul", "ud", "de", "da", "van", "von", "der", "of", "for", "and"}
)
COMMON_HEADS = frozenset(
    """
    sources source officials official critics analysts analyst members member people diplomats diplomat experts expert
    observers residents witnesses those some many others another one both leaders leader negotiators negotiator
    representatives representative spokesman spokeswoman spokesperson authorities government insurgents militants
    commanders commander fighters elders activists journalists reporters lawmakers politicians security
    several most all few
    """.split()
)
# "According to the agreement, …": a document's terms are nobody's statement.
DOCUMENT_HEADS = frozenset(
    "agreement deal accord treaty plan law constitution schedule timetable data figures document text draft".split()
)
# "the Taliban spokesman", "their envoy": a description by role that names an earlier speaker again.
ROLE_HEADS = frozenset(
    "spokesman spokeswoman spokesperson envoy minister president negotiator ambassador representative adviser "
    "advisor analyst expert official leader director chief secretary organization organisation group".split()
)
SUBORDINATOR = re.compile(r"\b(?:that|if|while|when|because|although|though|whereas|unless|since|even if)\s+", re.I)
TRAILING_TIME = re.compile(
    r"(?:\s+(?:on|last|this|late|early|earlier|next)\s+(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|week|month|year)"
    r"(?:\s+(?:morning|afternoon|evening|night))?|\s+(?:earlier|today|yesterday|tonight)"
    r"|\s+(?:in|on|during|via)\s+(?:a|an|his|her|its|their)\s+(?:tweet|statement|interview|post|message|video|speech))+\s*$",
    re.I,
)
TRAILING_FILLER = re.compile(
    r"(?:\s+(?:has|have|had|is|are|was|were|also|even|then|finally|recently|reportedly|previously|again|already|"
    r"further|later|would|will|once|just|only|still|never|publicly|privately|repeatedly|earlier|now|\w+ly))+\s*$",
    re.I,
)
ORG_WORDS = frozenset(
    """
    group institute institution department ministry office council forum network organization organisation nations
    states government administration taliban press service security affairs agency army party committee commission
    bank university times post news radio television embassy house palace emirate republic movement alliance front
    union international foundation center centre initiative pentagon nato congress parliament senate court
    """.split()
)


DEMONYMS = frozenset(
    "afghan afghans american americans pakistani pakistanis qatari qataris russian chinese iranian indian "
    "british european western taliban us u.s. nato".split()
)
NOT_NAME_START = frozenset(
    "the but and in on as if when after before while although meanwhile during since for with at by from of to "
    "a an this that these those some many one".split()
)
TITLE_WORDS = frozenset(
    "mr mrs ms dr president vice prime minister secretary general special representative envoy us u.s. state "
    "foreign spokesman senior chief deputy acting former".split()
)

# An attribution stands close to its quotation; what lies further away is not read for it (this keeps
# extraction linear on run-on text). A reported clause is never longer than CLAUSE_REACH.
ATTRIBUTION_REACH = 600
CLAUSE_REACH = 1500
PARTICIPLES = frozenset({"saying", "adding", "telling", "warning", "insisting", "conceding", "noting", "stressing"})
NOT_CLAUSE_START = frozenset("it so as yes no anything nothing something this that there".split())
NAME_PARTICLES = frozenset({"al", "bin", "bint", "ibn", "de", "da", "van", "von", "der", "ul", "ud", "el"})
NAME_JOINS = frozenset({"of", "for", "and", "the"})
QUOTE_VARIANTS = str.maketrans({"«": "“", "»": "”", "„": "“", "‟": "“", "″": '"', "＂": '"'})
DEFINITE = re.compile(r"(?:the|their|its|his|her|this|that)\s", re.I)
# Titles and offices written before a name ("NATO Secretary General Jens Stoltenberg"): the name is what
# follows the last of them.
ROLE_TITLES = TITLES | frozenset(
    "executive chairman chairwoman chairperson commander director adviser advisor secretary-general "
    "attorney mufti".split()
)


# How far from the end of a text the trailing patterns above look: what they strip is a few words long,
# and a window keeps them linear on a long sentence or a run of spaces.
TAIL_WINDOW = 240


def strip_trailing(text: str, *patterns: re.Pattern) -> str:
    """`text` with each pattern's match at its end removed, in turn, looking at its last characters only."""
    for pattern in patterns:
        head, tail = text[:-TAIL_WINDOW], text[-TAIL_WINDOW:]
        text = head + pattern.sub("", tail)
    return text
