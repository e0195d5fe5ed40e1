"""The Elasticsearch analysis settings fold text as the archive's own analysis does.

No Elasticsearch server runs here, so the declared chain (char filters, pattern tokenizer, lowercase,
ASCII folding, spellings, stop words, length, Porter) is run in Python, filter by filter as declared,
and compared with ``archive.search.analysis.terms`` on the variants the archive must fold.
"""

import re
import unicodedata

import pytest
from whoosh.lang.porter import stem

from archive.search import analysis
from archive.search.elasticsearch_analysis import ANALYZER, index_settings
from archive.search.elasticsearch_backend import ArchiveElasticsearchBackend

SETTINGS = index_settings()["analysis"]


def java_to_python(pattern: str) -> str:
    """The few Java regex constructs the settings use, in Python's dialect."""
    return pattern.replace(r"\p{L}\p{M}\p{N}_", r"\w").replace("(?iu)", "(?i)")


def es_terms(text: str) -> list[str]:
    """The declared analyzer, applied step by step."""
    chain = SETTINGS["analyzer"][ANALYZER]
    for name in chain["char_filter"]:
        char_filter = SETTINGS["char_filter"][name]
        assert char_filter["type"] == "pattern_replace"
        text = re.sub(java_to_python(char_filter["pattern"]), char_filter["replacement"], text)
    tokenizer = SETTINGS["tokenizer"][chain["tokenizer"]]
    tokens = [t for t in re.split(java_to_python(tokenizer["pattern"]), text) if t]
    spellings = dict(rule.split(" => ") for rule in SETTINGS["filter"]["archive_spellings"]["synonyms"])
    stop = set(SETTINGS["filter"]["archive_stop"]["stopwords"])
    length = SETTINGS["filter"]["archive_length"]
    out = []
    for token in tokens:
        for step in chain["filter"]:
            if step == "lowercase":
                token = token.lower()
            elif step == "asciifolding":
                token = "".join(c for c in unicodedata.normalize("NFKD", token) if not unicodedata.combining(c))
            elif step == "archive_spellings":
                token = spellings.get(token, token)
            elif step == "archive_stop":
                token = None if token in stop else token
            elif step == "archive_length":
                token = token if length["min"] <= len(token) <= length["max"] else None
            elif step == "porter_stem":
                token = stem(token)
            else:
                raise AssertionError(f"unexpected filter {step}")
            if token is None:
                break
        if token is not None:
            out.append(token)
    return out


@pytest.mark.parametrize(
    "text",
    [
        "The cease-fire held; a cease fire, a ceasefire, a CEASE–FIRE.",
        "Al-Qaeda, al Qaeda, Al-Qaida, al-Qa'ida and Qa’ida are one group.",
        "U.S. officials and the US envoy spoke to us.",
        "Baradar’s deputy met Tōlō News in Kabul's centre.",
        "The pull-out, the pullout and troops pulling out; the draw-down.",
        "Negotiations resumed: negotiators negotiate.",
        "Warlords and war-lords; a war lord.",
        "Intra-Afghan talks, not afghan only.",
    ],
)
def test_elasticsearch_chain_gives_the_archives_terms(text):
    assert es_terms(text) == analysis.terms(text)


def test_every_compound_and_spelling_is_declared():
    patterns = " ".join(f["pattern"] for f in SETTINGS["char_filter"].values())
    for parts in analysis.COMPOUNDS:
        assert re.escape(parts[-1]) in patterns
    rules = SETTINGS["filter"]["archive_spellings"]["synonyms"]
    assert len(rules) == len(analysis.SPELLINGS)
    assert "us" not in SETTINGS["filter"]["archive_stop"]["stopwords"]


def test_text_fields_use_the_archive_analyzer_and_filter_fields_stay_keywords():
    from haystack import connections

    backend = ArchiveElasticsearchBackend("default", URL="http://127.0.0.1:9200/", INDEX_NAME="archive_probe")
    fields = connections["default"].get_unified_index().all_searchfields()
    _, mapping = backend.build_schema(fields)
    assert mapping["text"] == {"type": "text", "analyzer": ANALYZER}
    assert mapping["topic"]["type"] == "keyword" and "analyzer" not in mapping["topic"]
    analysis_settings = backend.DEFAULT_SETTINGS["settings"]["analysis"]
    assert ANALYZER in analysis_settings["analyzer"]
    assert "edgengram_analyzer" in analysis_settings["analyzer"]  # haystack's own are kept
