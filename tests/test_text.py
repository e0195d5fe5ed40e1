import pytest

from archive.text import content_hash, normalize_name, paragraph_bounds


@pytest.mark.parametrize(
    "variant",
    [
        "Zalmay Khalilzad",
        "Zalmai Khalilzad",
        "Mr. Zalmay Khalilzad",
        "ZALMAY  KHALILZAD",
        "Special Envoy Zalmay Khalilzad",
    ],
)
def test_normalize_name_folds_titles_case_and_spelling(variant):
    assert normalize_name(variant) == "zalmai khalilzad"


def test_normalize_name_folds_accents_and_possessive():
    assert normalize_name("Martine Moïse’s") == normalize_name("martine moise")


def test_normalize_name_keeps_distinct_people_apart():
    assert normalize_name("Abdullah Abdullah") != normalize_name("Abdul Ghani Baradar")
    assert normalize_name("Mullah Baradar") == "baradar"


def test_normalize_name_of_only_titles_is_not_empty():
    assert normalize_name("President") == "president"
    assert normalize_name("the Mullah") == "the mulah"


def test_content_hash_ignores_spacing_and_case_but_not_words():
    assert content_hash("Talks  resume\nin Doha") == content_hash("talks resume in doha")
    assert content_hash("Talks resume in Doha") != content_hash("Talks end in Doha")


def test_paragraph_bounds_finds_the_enclosing_paragraph():
    body = "First para.\n\nSecond “quote” here.\n\nThird."
    start = body.index("quote")
    a, b = paragraph_bounds(body, start, start + 5)
    assert body[a:b] == "Second “quote” here."


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("US government", "us government"),
        ("Afghan government", "afghan government"),
        ("State Department", "state department"),
        ("the Taliban", "the taliban"),
        ("Taliban spokesman Zabihullah Mujahid", "zabihulah mujahid"),
        ("Secretary of State Antony Blinken", "antoni blinken"),
        ("US Special Envoy Zalmay Khalilzad", "zalmai khalilzad"),
    ],
)
def test_normalize_name_drops_only_a_leading_run_of_titles(name, key):
    assert normalize_name(name) == key


def test_normalize_name_keeps_distinct_departments_apart():
    assert normalize_name("State Department") != normalize_name("Defense Department")
