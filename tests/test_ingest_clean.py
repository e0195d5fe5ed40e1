"""Clean stage: chrome removed, every article line kept, title, dates, dateline, byline, credits."""

import datetime
from pathlib import Path

import pytest

from archive.ingest.clean import CleanError, clean_text, is_chrome, parse_date

CURATION = Path(__file__).resolve().parent.parent / "fixtures" / "curation"
SEEDS = sorted(p.name for p in (CURATION / "raw").glob("*.txt"))


@pytest.mark.parametrize("name", SEEDS)
def test_clean_seed_gives_the_curated_body(name):
    clean = clean_text((CURATION / "raw" / name).read_text(encoding="utf-8"))
    assert clean.body == (CURATION / "bodies" / name).read_text(encoding="utf-8").strip()


def test_clean_title_site_name_and_repeated_headline():
    text = (
        "Afghanistan significant progress in talks | Frontier Daily\n\n"
        "Afghanistan: “significant progress” in talks\n\n"
        "The United States and the Taliban have made progress this week in their talks in Doha, officials said.\n"
    )
    clean = clean_text(text)
    assert clean.title == "Afghanistan: “significant progress” in talks"
    assert clean.site_name == "Frontier Daily"
    assert clean.paragraphs == [
        "The United States and the Taliban have made progress this week in their talks in Doha, officials said."
    ]


def test_clean_header_date_is_not_the_article_date_but_a_published_line_is():
    body = "Kabul – The talks resumed today after a pause of two weeks, officials in both delegations said."
    header = clean_text(f"Sunday, December 3, 2023\n\nTalks resume\n\n{body}\n")
    assert header.published_date is None and header.date_precision == "unknown"
    published = clean_text(f"Talks resume\n\nPublished: March 3, 2020\n\n{body}\n")
    assert published.published_date == datetime.date(2020, 3, 3)
    assert published.date_precision == "day"
    assert "Published" not in published.body


def test_clean_dateline_byline_and_credited_agencies():
    text = (
        "Talks resume\n\nBy Sara Ahmadi\n\n"
        "DOHA, Qatar – A senior Taliban official told Al Jazeera that the talks would resume, AFP reported.\n\n"
        "Written by admin\n"
    )
    clean = clean_text(text)
    assert clean.dateline == "Doha, Qatar"
    assert clean.byline == "Sara Ahmadi"
    assert clean.credited == ["Al Jazeera", "Agence France-Presse"]


def test_clean_keeps_subheadings_between_paragraphs():
    text = (
        "Title of the story\n\nFirst paragraph of the story with enough words to count as prose.\n\n"
        "End the violence?\n\nSecond paragraph of the story with enough words to count as prose.\n\n"
        "Click to rate this post!\n\n[Total: 0 Average: 0]\n\n#Taliban #Peace\n\nScroll to top\n"
    )
    assert clean_text(text).paragraphs == [
        "First paragraph of the story with enough words to count as prose.",
        "End the violence?",
        "Second paragraph of the story with enough words to count as prose.",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Must read",
        "- Advertisement -spot_img",
        "READ Also  Mayor Pledges New Guidance",
        "#Taliban #Advance",
        "Source link",
    ],
)
def test_is_chrome(line):
    assert is_chrome(line)


def test_is_chrome_keeps_article_lines():
    assert not is_chrome("Conclusion")
    assert not is_chrome("“We are ready,” he said.")
    assert not is_chrome(
        "Updated figures from the ministry in 2020 show that violence rose sharply across the country."
    )


def test_clean_text_with_only_chrome_is_refused():
    with pytest.raises(CleanError, match="No article text"):
        clean_text("Sunday, December 3, 2023\n\nMust read\n\nLeave a Reply\n")


def test_parse_date_precisions():
    assert parse_date("3 Dec 2023") == (datetime.date(2023, 12, 3), "day")
    assert parse_date("2021-08-15T10:00") == (datetime.date(2021, 8, 15), "day")
    assert parse_date("August 2021") == (datetime.date(2021, 8, 1), "month")
    assert parse_date("February 30, 2020") == (None, "unknown")


def test_clean_update_stamp_is_not_the_date_and_byline_may_name_the_agency():
    text = (
        "Talks resume\n\nBy Sara Ahmadi, Reuters\n\nLast updated: March 5, 2020 10:30\n\n"
        "Kabul – The talks resumed today after a pause of two weeks, officials in both delegations said.\n"
    )
    clean = clean_text(text)
    assert clean.published_date is None
    assert clean.byline == "Sara Ahmadi"
    assert clean.body.startswith("Kabul – The talks resumed")
