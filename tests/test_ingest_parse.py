"""Parse stage: encodings, binary data, size and type limits, HTML pages."""

import codecs
from pathlib import Path

import pytest

from archive.ingest.parse import ParseError, decode, parse_bytes

SAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "samples"
TEXT = "Talks resume in Doha\n\n“We are ready,” the spokesman told reporters in Doha on Monday.\n"


def test_parse_utf8_keeps_raw_text_exactly():
    document = parse_bytes(TEXT.encode("utf-8"), "a.txt")
    assert document.text == TEXT
    assert document.raw_text == TEXT
    assert document.encoding == "utf-8"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_decode_other_encodings(data, encoding):
    text, found = decode(data)
    assert text == TEXT
    assert found == encoding


def test_parse_sample_files_in_other_encodings():
    cp1252 = parse_bytes((SAMPLES / "cp1252.txt").read_bytes(), "cp1252.txt")
    assert "café" in cp1252.text and "“we are ready" in cp1252.text
    utf16 = parse_bytes((SAMPLES / "utf16_bom.txt").read_bytes(), "utf16_bom.txt")
    assert utf16.text.startswith("Talks resume again in Doha")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.txt", "The file is empty."),
        (b"  \n\n \t\n", "blank.txt", "The file is empty."),
        (bytes(range(256)) * 4, "binary.txt", "binary file"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08" * 200 + b"text", "control.txt", "binary file"),
        (b"Some text", "photo.jpg", "Unsupported file type"),
        (b"\xff\xfe" + b"\x00\xd8", "broken.txt", "byte-order mark"),
    ],
)
def test_parse_refuses_bad_input_with_a_clear_message(data, name, message):
    with pytest.raises(ParseError, match=message):
        parse_bytes(data, name)


def test_parse_refuses_a_file_over_the_limit():
    with pytest.raises(ParseError, match=r"too large \(0\.0 MB; the limit is 0 MB\)|too large"):
        parse_bytes(b"x" * 2000, "big.txt", max_bytes=1000)


def test_parse_html_page_extracts_the_article_and_metadata():
    document = parse_bytes((SAMPLES / "kabul_talks.html").read_bytes(), "kabul_talks.html")
    assert document.is_html
    assert document.metadata["title"] == "Taliban and Kabul negotiators agree to resume talks in Doha"
    assert document.metadata["date"] == "2020-09-14"
    assert "rules of procedure" in document.text
    assert "Related articles" not in document.text and "All rights reserved" not in document.text
    assert document.raw_text.startswith("<!DOCTYPE html>")


def test_parse_html_without_article_text_is_refused():
    with pytest.raises(ParseError, match="No article text"):
        parse_bytes(b"<html><body><nav>Home</nav></body></html>", "page.html")


def test_parse_html_never_guesses_a_date_from_the_text():
    document = parse_bytes((SAMPLES / "no_date.html").read_bytes(), "no_date.html")
    assert document.metadata["date"] == ""
    assert "We are still waiting for an answer from Kabul" in document.text


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{head}</head>
<body><article><h1>Council agrees the order of the agenda -Nadery</h1>
<p>DOHA - The two delegations agreed on Wednesday on the order in which the agenda items will be taken, a member of the government team said.</p>
<p>The first item will be a reduction of violence, followed by the release of further prisoners, he said.</p>
</article></body></html>"""


@pytest.mark.parametrize(
    ("head", "outlet"),
    [
        ('<meta property="og:site_name" content="Doha Daily Wire">', "Doha Daily Wire"),
        (
            '<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite"},'
            '{"@type":"NewsArticle","publisher":{"@type":"Organization","name":"Kabul Evening Times"}}]}</script>',
            "Kabul Evening Times",
        ),
        ("", ""),
    ],
)
def test_html_outlet_comes_from_page_metadata_never_from_the_headline(head, outlet):
    from archive.ingest.clean import clean_text

    title = "Council agrees the order of the agenda - Nadery | Wire"
    document = parse_bytes(PAGE.format(title=title, head=head).encode(), "page.html")
    clean = clean_text(document.text, document.metadata)
    assert clean.site_name == outlet
    assert clean.title == "Council agrees the order of the agenda -Nadery"


def test_decode_utf16_without_a_byte_order_mark():
    for encoding in ("utf-16-le", "utf-16-be"):
        text, found = decode(TEXT.encode(encoding))
        assert (text, found) == (TEXT, "utf-16")


def test_decode_utf8_with_one_stray_windows_1252_byte():
    data = "Talks resume in Doha\n\n“We are ready,” the spokesman said.".encode() + b" He called it a \x93new page\x94."
    text, found = decode(data)
    assert found == "utf-8"
    assert text.endswith("“We are ready,” the spokesman said. He called it a “new page”.")


def test_decode_refuses_a_byte_of_no_encoding_with_its_position():
    data = "Talks resume in Doha: “ready”".encode() + b" \x81 more text"
    with pytest.raises(ParseError, match=rf"not UTF-8 at byte {len(data) - 11} \(0x81\)"):
        decode(data)


def test_parse_utf16_without_bom_is_not_called_binary():
    document = parse_bytes(TEXT.encode("utf-16-le"), "talks.txt")
    assert document.text == TEXT
