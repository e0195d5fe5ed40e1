"""The pipeline never breaks on odd text: every statement it finds is an exact span of the body."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.ingest.clean import CleanError, clean_text
from archive.ingest.extract import extract_statements

PIECES = [
    "“",
    "”",
    '"',
    "‘",
    "’",
    ",",
    ".",
    ":",
    ";",
    " – ",
    "-",
    "?",
    "!",
    " ",
    " ",
    " ",
    "\n",
    "\n\n",
    "he said",
    "she added",
    "said",
    "told reporters",
    "Taliban spokesman Zabihullah Mujahid",
    "Mr. Khalilzad",
    "a person familiar with the talks",
    "the person",
    "according to officials",
    "that",
    "the Taliban",
    "We are ready",
    "ceasefire",
    "KABUL",
    "Doha, Qatar",
    "on Monday",
    "who",
    "which",
    "and",
    "but",
    "Zalmay Khalilzad",
    "al-Qahtani",
    "Sources",
    "they",
    "in a statement",
    "wrote on Twitter",
    "so-called",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=80))
def test_extract_never_fails_and_spans_match(pieces):
    body = "".join(pieces).strip()
    if not body:
        return
    for draft in extract_statements(body):
        assert 0 <= draft.start < draft.end <= len(body)
        assert body[draft.start : draft.end] == draft.text
        assert draft.kind in {"direct", "partial", "indirect"}
        assert draft.speaker.name or draft.speaker.description


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(PIECES + ["Must read", "Source link", "#Taliban #Peace", "Sunday, December 3, 2023"]),
        max_size=60,
    )
)
def test_clean_never_fails_unexpectedly(pieces):
    text = "".join(pieces)
    try:
        clean = clean_text(text)
    except CleanError:
        return
    assert clean.body and clean.title
    assert "\n\n\n" not in clean.body


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400))
def test_extract_never_fails_on_arbitrary_text(text):
    for draft in extract_statements(text):
        assert text[draft.start : draft.end] == draft.text
