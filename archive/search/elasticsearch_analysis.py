"""The archive's analysis (``archive.search.analysis``) written as Elasticsearch index settings.

An Elasticsearch index analyses text itself, so the folding the archive's Whoosh engine does in Python
is declared here from the same tables, for index and query time alike:

- char filters drop a possessive ’s, then apostrophes and dots inside a word ("Qa’ida" -> "Qaida",
  "U.S" -> "US"), and join the compounds written apart or hyphenated ("cease-fire" -> "ceasefire");
- the tokenizer splits on anything that is not a letter, mark, digit or underscore (Python's ``\\w``);
- token filters fold case and diacritics, map spelling variants (``SPELLINGS``), leave out the stop
  words (``STOP_WORDS``: "us" is searched), keep words of 2 to 40 characters and stem with Porter.

Pure data: no Elasticsearch client is needed to build or test it.
"""

import re

from archive.search.analysis import _APOSTROPHES, COMPOUNDS, MAX_LENGTH, MIN_LENGTH, SPELLINGS, STOP_WORDS

ANALYZER = "archive_text"
# What may stand between the parts of a compound (analysis._JOINER), as a Java character class.
_JOINER = r"[\s\-‐‑‒–—]{1,3}"
_WORD_CHAR = r"\p{L}\p{M}\p{N}_"


def _quote(chars: str) -> str:
    return "".join("\\" + c if c in r"\]^-[" else c for c in chars)


def compound_filters() -> dict[str, dict]:
    """One pattern_replace char filter per compound, longest first (so "al qa ida" wins over "qa ida")."""
    filters = {}
    ordered = sorted(COMPOUNDS.items(), key=lambda item: (-len(item[0]), item[0]))
    for n, (parts, joined) in enumerate(ordered):
        body = _JOINER.join(re.escape(part) for part in parts)
        filters[f"archive_compound_{n}"] = {
            "type": "pattern_replace",
            "pattern": rf"(?iu)(?<![{_WORD_CHAR}]){body}(?![{_WORD_CHAR}])",
            "replacement": joined,
        }
    return filters


def char_filters() -> dict[str, dict]:
    apostrophes = _quote(_APOSTROPHES)
    return {
        "archive_possessive": {
            "type": "pattern_replace",
            "pattern": rf"(?<=[{_WORD_CHAR}])[{apostrophes}][sS](?![{_WORD_CHAR}])",
            "replacement": "",
        },
        "archive_inner_marks": {
            "type": "pattern_replace",
            "pattern": rf"(?<=[{_WORD_CHAR}])[{apostrophes}.](?=[{_WORD_CHAR}])",
            "replacement": "",
        },
        **compound_filters(),
    }


def index_settings() -> dict:
    """The ``settings`` of an Elasticsearch index whose text fields use the archive's analysis."""
    chars = char_filters()
    return {
        "analysis": {
            "char_filter": chars,
            "tokenizer": {"archive_words": {"type": "pattern", "pattern": rf"[^{_WORD_CHAR}]+"}},
            "filter": {
                "archive_spellings": {
                    "type": "synonym",
                    "synonyms": [f"{variant} => {word}" for variant, word in sorted(SPELLINGS.items())],
                },
                "archive_stop": {"type": "stop", "stopwords": sorted(STOP_WORDS)},
                "archive_length": {"type": "length", "min": MIN_LENGTH, "max": MAX_LENGTH},
            },
            "analyzer": {
                ANALYZER: {
                    "type": "custom",
                    "char_filter": list(chars),
                    "tokenizer": "archive_words",
                    "filter": [
                        "lowercase",
                        "asciifolding",
                        "archive_spellings",
                        "archive_stop",
                        "archive_length",
                        "porter_stem",
                    ],
                }
            },
        }
    }
