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


def test_clean_update_stamp_yields_to_a_publication_date_and_byline_may_name_the_agency():
    body = "Kabul – The talks resumed today after a pause of two weeks, officials in both delegations said."
    both = clean_text(
        f"Talks resume\n\nBy Sara Ahmadi, Reuters\n\nMarch 3, 2020\n\nLast updated: March 5, 2020 10:30\n\n{body}\n"
    )
    assert both.published_date == datetime.date(2020, 3, 3)
    assert both.byline == "Sara Ahmadi"
    assert both.body.startswith("Kabul – The talks resumed")
    # A page whose only date is its update stamp: the article is at least that old, and that is the date given.
    only = clean_text(f"Talks resume\n\nLast updated: March 5, 2020 10:30\n\n{body}\n")
    assert only.published_date == datetime.date(2020, 3, 5)
    assert "updated" not in only.body.casefold()


# Patterns of page chrome and metadata, one test each, on text written for these tests.

LEDE = "KANDAHAR – Elders from three districts met the governor on Tuesday to ask for a local truce, officials said."
SECOND = "The governor promised to pass their request to the negotiating team before the next round."


def _article(*lines: str) -> str:
    return "\n\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "caption",
    [
        "FILE PHOTO: Elders wait outside the governor's office in Kandahar, May 3, 2020. REUTERS/Staff/File Photo",
        "Elders wait outside the governor's office in Kandahar on Tuesday. (AP Photo/Nadir Shah)",
        "Elders wait outside the governor's office in Kandahar on Tuesday. — AFP/File",
        "Elders wait outside the governor's office in Kandahar. Photograph: Nadir Shah/AFP via Getty Images",
        "Elders wait outside the governor's office in Kandahar. PHOTO: EPA",
        "Elders wait outside the governor's office.Credit...Nadir Shah for The Evening Ledger",
        "Elders wait outside the governor's office in Kandahar on Tuesday. Nadir Shah/AFP",
        "Image: Elders wait outside the governor's office in Kandahar",
    ],
)
def test_clean_removes_photo_captions_and_credits(caption):
    clean = clean_text(_article("Elders ask for a local truce in Kandahar", LEDE, caption, SECOND))
    assert clean.paragraphs == [LEDE, SECOND]


def test_clean_caption_under_a_caption_label_is_not_the_title():
    clean = clean_text(
        _article(
            "Elders ask for a local truce in Kandahar",
            "Image source, Getty Images",
            "Image caption,",
            "Elders from Arghandab district gather at the provincial council hall in the city on Tuesday morning",
            LEDE,
            SECOND,
        )
    )
    assert clean.title == "Elders ask for a local truce in Kandahar"
    assert clean.paragraphs == [LEDE, SECOND]


def test_clean_takes_the_headline_not_a_caption_above_it():
    clean = clean_text(
        _article(
            "Photo 2 of 6",
            "Elders wait outside the governor's office in Kandahar on Tuesday. Nadir Shah/AFP",
            "Enlarge",
            "Elders ask for a local truce in Kandahar",
            LEDE,
        )
    )
    assert clean.title == "Elders ask for a local truce in Kandahar"
    assert clean.paragraphs == [LEDE]


@pytest.mark.parametrize(
    "teaser",
    [
        "Related: Governor names new police chief for the province",
        "Read more: What the elders want from Doha",
        "READ: Kandahar traders reopen the main bazaar",
        "Don't miss: A guide to the districts around the city",
    ],
)
def test_clean_removes_related_and_read_more_lines_inside_the_body(teaser):
    assert clean_text(_article("Elders ask for a local truce", LEDE, teaser, SECOND)).paragraphs == [LEDE, SECOND]


def test_clean_removes_a_block_of_teaser_headlines_under_its_header():
    clean = clean_text(
        _article(
            "Elders ask for a local truce",
            LEDE,
            SECOND,
            "More on this story",
            "Governor names new police chief",
            "Traders reopen the main bazaar in the old city",
        )
    )
    assert clean.paragraphs == [LEDE, SECOND]


def test_clean_drops_reader_comments_and_spam_after_the_article():
    clean = clean_text(
        _article(
            "Elders ask for a local truce",
            LEDE,
            SECOND,
            "4 Comments",
            "Wali Jan | 3 days ago | Reply",
            "The elders are right, our people want nothing but a quiet life and open roads.",
            "MAKE $900 A WEEK FROM YOUR SOFA, details at www.easy-money.example.com",
        )
    )
    assert clean.paragraphs == [LEDE, SECOND]


def test_clean_removes_an_advertisement_with_a_web_address_anywhere():
    spam = "Cheap visas to Dubai in 24 hours, click here: www.visa-fast.example.net"
    assert clean_text(_article("Elders ask for a local truce", LEDE, spam, SECOND)).paragraphs == [LEDE, SECOND]


@pytest.mark.parametrize(
    "line",
    [
        "English | دری | پښتو",
        "العربية English Français",
        "Facebook Twitter WhatsApp Email",
        "Share: Facebook · Telegram · Copy link",
        "Share on Facebook",
        "12 Shares",
        "Home » Asia » Afghanistan",
        "Home | Politics | Region | Opinion",
    ],
)
def test_clean_removes_language_menus_share_bars_and_breadcrumbs(line):
    clean = clean_text(_article("Elders ask for a local truce", line, LEDE, line, SECOND))
    assert clean.paragraphs == [LEDE, SECOND]


@pytest.mark.parametrize("label", ["Photo 3 of 9", "Expand image", "Listen to this article", "6 min read"])
def test_clean_removes_image_labels_and_page_widgets(label):
    assert clean_text(_article("Elders ask for a local truce", label, LEDE, SECOND)).paragraphs == [LEDE, SECOND]


def test_clean_removes_embedded_tweet_furniture_but_keeps_the_tweet():
    tweet = "“The road to peace goes through every village,” the governor wrote."
    clean = clean_text(
        _article(
            "Elders ask for a local truce",
            LEDE,
            tweet,
            "Governor Office (@KandaharGov) June 2, 2020",
            "pic.twitter.com/AbC123xYz",
            SECOND,
        )
    )
    assert clean.paragraphs == [LEDE, tweet, SECOND]


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("By Nadia Rahimi", "Nadia Rahimi"),
        ("By NADIA RAHIMI and TOM FROST Associated Press", "Nadia Rahimi and Tom Frost"),
        ("By Nadia Rahimi, Tom Frost", "Nadia Rahimi, Tom Frost"),
        ("Written by Nadia Rahimi", "Nadia Rahimi"),
        ("By Staff Reporter", ""),
    ],
)
def test_clean_reads_and_removes_by_lines(line, byline):
    clean = clean_text(_article("Elders ask for a local truce", line, LEDE, SECOND))
    assert clean.byline == byline
    assert clean.paragraphs == [LEDE, SECOND]


def test_clean_wire_credit_is_the_byline_and_leaves_the_body():
    credit = "(Reporting by Nadia Rahimi in Kandahar and Tom Frost in Kabul; Editing by Ruth Lane)"
    clean = clean_text(_article("Elders ask for a local truce", LEDE, SECOND, credit))
    assert clean.byline == "Nadia Rahimi and Tom Frost"
    assert clean.paragraphs == [LEDE, SECOND]


def test_clean_names_beside_the_date_are_a_byline_without_by():
    clean = clean_text(_article("Elders ask for a local truce", "Nadia Rahimi", "June 2, 2020", LEDE))
    assert clean.byline == "Nadia Rahimi"
    assert clean.published_date == datetime.date(2020, 6, 2)
    places = clean_text(
        _article("Elders ask for a local truce", "Nadia Rahimi in Kandahar and Tom Frost in Kabul", LEDE)
    )
    assert places.byline == "Nadia Rahimi and Tom Frost"
    assert places.paragraphs == [LEDE]


def test_clean_removes_author_notes_and_contributor_lines_at_the_foot():
    clean = clean_text(
        _article(
            "Elders ask for a local truce",
            "By Nadia Rahimi",
            LEDE,
            SECOND,
            "Nadia Rahimi covers southern Afghanistan for this newspaper.",
            "Staff writer Tom Frost in Kabul contributed to this report.",
        )
    )
    assert clean.paragraphs == [LEDE, SECOND]


@pytest.mark.parametrize(
    ("line", "place", "agency"),
    [
        (
            "KABUL (Reuters) - The council met on Sunday to discuss the prisoner lists it had received.",
            "Kabul",
            "Reuters",
        ),
        (
            "HERAT, Afghanistan (AP) — The council met on Sunday to discuss the prisoner lists.",
            "Herat, Afghanistan",
            "Associated Press",
        ),
        ("JALALABAD: The council met on Sunday to discuss the prisoner lists it had received.", "Jalalabad", ""),
        (
            "KABUL (Pajhwok): The council met on Sunday to discuss the prisoner lists it had received.",
            "Kabul",
            "Pajhwok Afghan News",
        ),
        (
            "Kabul, Oct 4 (IANS) The council met on Sunday to discuss the prisoner lists it had received.",
            "Kabul",
            "IANS",
        ),
    ],
)
def test_clean_keeps_the_dateline_and_reads_place_and_agency(line, place, agency):
    clean = clean_text(_article("Council meets on prisoner lists", line))
    assert clean.paragraphs == [line]
    assert (clean.dateline, clean.agency) == (place, agency)


@pytest.mark.parametrize(
    ("line", "date", "precision"),
    [
        ("Sep 14, 2020", datetime.date(2020, 9, 14), "day"),
        ("Aug. 3, 2020 at 6:14 p.m. EDT", datetime.date(2020, 8, 3), "day"),
        ("December 2, 2020", datetime.date(2020, 12, 2), "day"),
        ("14.09.2020", datetime.date(2020, 9, 14), "day"),
        ("2020-09-14", datetime.date(2020, 9, 14), "day"),
        ("Monday 14 September 2020", datetime.date(2020, 9, 14), "day"),
        ("Published: Mon, 14 Sep 2020 16.45 BST", datetime.date(2020, 9, 14), "day"),
        ("Posted on 3rd March, 2020", datetime.date(2020, 3, 3), "day"),
        ("Oct 06, 2020 - 18:20", datetime.date(2020, 10, 6), "day"),
        ("KANDAHAR, JUNE 2, 2020 23:14 IST", datetime.date(2020, 6, 2), "day"),
        ("July 2019", datetime.date(2019, 7, 1), "month"),
    ],
)
def test_clean_finds_an_explicit_date_line_in_any_common_format(line, date, precision):
    clean = clean_text(_article("Elders ask for a local truce", line, LEDE))
    assert (clean.published_date, clean.date_precision) == (date, precision)
    assert clean.paragraphs == [LEDE]


def test_clean_place_and_date_line_gives_the_dateline():
    clean = clean_text(_article("Elders ask for a local truce", "KANDAHAR, JUNE 2, 2020 23:14 IST", SECOND))
    assert clean.dateline == "Kandahar"


def test_clean_date_label_on_its_own_line():
    clean = clean_text(_article("Elders ask for a local truce", "Published", "2 June 2020", LEDE))
    assert clean.published_date == datetime.date(2020, 6, 2)
    assert clean.paragraphs == [LEDE]


def test_clean_print_edition_note_gives_outlet_and_only_a_fallback_date():
    note = "Published in The Frontier Post, June 3rd, 2020"
    alone = clean_text(_article("Elders ask for a local truce", LEDE, SECOND, note))
    assert alone.site_name.casefold() == "the frontier post"
    assert alone.published_date == datetime.date(2020, 6, 3)
    assert alone.paragraphs == [LEDE, SECOND]
    dated = clean_text(_article("Elders ask for a local truce", "June 2, 2020", LEDE, SECOND, note))
    assert dated.published_date == datetime.date(2020, 6, 2)


def test_clean_masthead_and_its_motto_are_not_the_title():
    clean = clean_text(
        _article("The Evening Ledger", "Truth Before Speed Always", "Elders ask for a local truce in Kandahar", LEDE)
    )
    assert clean.title == "Elders ask for a local truce in Kandahar"
    assert clean.site_name == "The Evening Ledger"
    assert clean.paragraphs == [LEDE]


def test_clean_section_labels_above_the_headline_are_not_the_title():
    clean = clean_text(_article("World News", "Sign in", "Elders ask for a local truce in Kandahar", LEDE))
    assert clean.title == "Elders ask for a local truce in Kandahar"
    assert clean.site_name == ""


def test_clean_keeps_every_article_sentence_around_chrome():
    short = "Talks continue."
    subheading = "What the elders want"
    clean = clean_text(
        _article(
            "Elders ask for a local truce",
            LEDE,
            subheading,
            "Advertisement",
            SECOND,
            short,
            "Facebook Twitter Email",
        )
    )
    assert clean.paragraphs == [LEDE, subheading, SECOND, short]


def test_clean_strips_bidi_controls_from_title_and_byline():
    clean = clean_text(_article("Elders ask for a \u202elocal\u202c truce", "By Nadia \u2067Rahimi\u2069", LEDE))
    assert clean.title == "Elders ask for a local truce"
    assert clean.byline == "Nadia Rahimi"


def test_clean_removes_pharmacy_spam_injected_between_paragraphs():
    spam = "order cheap pills online https://pills.example.com/shop/item.html no prescription"
    assert clean_text(_article("Elders ask for a local truce", LEDE, spam, SECOND)).paragraphs == [LEDE, SECOND]


def test_clean_reads_a_header_line_mixing_author_age_and_date():
    meta = "Nadia Rahimi 3 hours ago Tue 2nd June 2020 | 04:10 PM"
    clean = clean_text(_article("Elders ask for a local truce", meta, LEDE))
    assert clean.byline == "Nadia Rahimi"
    assert clean.published_date == datetime.date(2020, 6, 2)
    assert clean.paragraphs == [LEDE]


def test_clean_bare_date_above_the_headline_is_a_fallback_but_a_dated_day_header_is_not():
    above = clean_text(_article("June 2, 2020", "WORLD", "Elders ask for a local truce in Kandahar", LEDE))
    assert above.published_date == datetime.date(2020, 6, 2)
    header = clean_text(_article("Tuesday, June 2, 2020", "Elders ask for a local truce in Kandahar", LEDE))
    assert header.published_date is None


def test_clean_comment_form_notices_are_chrome():
    clean = clean_text(
        _article(
            "Elders ask for a local truce",
            LEDE,
            SECOND,
            "Please enter your comment!",
            "Please enter your name here",
            "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
        )
    )
    assert clean.paragraphs == [LEDE, SECOND]


def test_clean_text_after_a_comment_marker_is_kept_unless_it_is_a_comment():
    clean = clean_text(_article("Elders ask for a local truce", LEDE, "Leave a Reply", SECOND))
    assert clean.paragraphs == [LEDE, SECOND]


def test_clean_dateline_naming_outlet_agency_and_date():
    line = "KABUL (Valley News / AFP - 05th June, 2020) The council met on Sunday to discuss the prisoner lists."
    clean = clean_text(_article("Council meets on prisoner lists", line))
    assert (clean.dateline, clean.agency) == ("Kabul", "Agence France-Presse")


def test_clean_name_right_under_the_headline_is_the_byline_but_a_section_label_is_not():
    clean = clean_text(_article("Elders ask for a local truce", "Nadia Rahimi", LEDE))
    assert clean.byline == "Nadia Rahimi"
    label = clean_text(_article("Elders ask for a local truce", "Afghanistan Update", LEDE))
    assert label.byline == ""


def test_clean_dateline_after_a_summary_paragraph():
    summary = "Elders from three districts asked the governor for a local truce, officials said on Tuesday"
    clean = clean_text(_article("Elders ask for a local truce", summary, "KANDAHAR (Reuters) - " + SECOND))
    assert (clean.dateline, clean.agency) == ("Kandahar", "Reuters")


@pytest.mark.parametrize(
    "line",
    [
        "The text of the deal is posted at www.state.gov/agreement.pdf, and a free copy was handed to reporters.",
        "He painted a bleak picture: violence is up and the talks have stalled.",
        "The envoy said he would visit Kabul next week to brief the president on the deal.",
        "Photographs of the ceremony showed the two delegations seated at one long table in the hall.",
    ],
)
def test_clean_keeps_article_sentences_that_look_a_little_like_chrome(line):
    assert clean_text(_article("Elders ask for a local truce", LEDE, line, SECOND)).paragraphs == [LEDE, line, SECOND]


@pytest.mark.parametrize(
    "line",
    [
        "Story continues below advertisement",
        "Advertisement - scroll to continue",
        "Click here to read the full statement of the council",
        "Join our WhatsApp channel for the latest updates",
        "Image copyright Getty Images",
        "Media caption The governor speaks to elders in Kandahar",
        "Getty Images",
        "AFP/File",
        "3 hours ago",
    ],
)
def test_clean_removes_reading_interruptions_and_bare_credits(line):
    assert clean_text(_article("Elders ask for a local truce", LEDE, line, SECOND)).paragraphs == [LEDE, SECOND]
