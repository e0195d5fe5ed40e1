"""Parse stage: the bytes of one file in, its decoded text out (no ORM).

Plain text is decoded (UTF-8, UTF-16/32 with a byte-order mark, UTF-16 without one, Windows-1252, and
UTF-8 with a few stray Windows-1252 bytes); an HTML page is
reduced to its article text by trafilatura, a extractor made for news pages.
"""

import codecs
import re
from dataclasses import dataclass, field

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
TEXT_EXTENSIONS = frozenset({".txt", ".text", ""})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | HTML_EXTENSIONS

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|meta)\b", re.I | re.S)
# C0 control characters other than tab, line feed, form feed and carriage return never occur in prose.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class ParseError(ValueError):
    """A file that cannot be read as an article; the message says why, for the import report."""


@dataclass
class ParsedDocument:
    """The decoded text of one imported file, with what the page's own markup says about it."""

    text: str
    raw_text: str
    encoding: str
    is_html: bool = False
    metadata: dict = field(default_factory=dict)


def extension_of(name: str) -> str:
    dot = name.rfind(".")
    slash = max(name.rfind("/"), name.rfind("\\"))
    return name[dot:].lower() if dot > slash + 1 else ""


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) of UTF-16 text saved without a byte-order mark, recognised by where its NUL bytes fall."""
    sample = data[:65536]
    if len(sample) < 4 or len(data) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    for encoding, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        # Text in a Latin script puts a NUL in nearly every high byte and almost none in the low ones.
        if high.count(0) >= 0.6 * len(high) and low.count(0) <= 0.05 * len(low):
            try:
                return data.decode(encoding), "utf-16"
            except UnicodeDecodeError:
                return None
    return None


def _cp1252_byte(position: int, byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        raise ParseError(
            f"The file is not UTF-8 at byte {position} (0x{byte:02X}), and that byte is not Windows-1252 either: "
            "save it as UTF-8 and import it again."
        ) from None


def _utf8_with_stray_bytes(data: bytes) -> tuple[str, str]:
    """UTF-8 text in which bytes that are not UTF-8 are read as Windows-1252 (a pasted “smart quote”).

    A file with no UTF-8 sequence at all is Windows-1252 text; one with a few stray bytes is UTF-8.
    """
    parts, position, stray, multibyte = [], 0, 0, False
    while position < len(data):
        try:
            chunk = data[position:].decode("utf-8")
        except UnicodeDecodeError as exc:
            chunk = data[position : position + exc.start].decode("utf-8")
            bad = position + exc.start
            parts.append(chunk)
            multibyte = multibyte or any(ord(ch) > 127 for ch in chunk)
            for offset in range(exc.end - exc.start):
                parts.append(_cp1252_byte(bad + offset, data[bad + offset]))
            stray += exc.end - exc.start
            position = position + exc.end
            continue
        parts.append(chunk)
        multibyte = multibyte or any(ord(ch) > 127 for ch in chunk)
        break
    return "".join(parts), ("utf-8" if multibyte and stray <= max(16, len(data) // 1000) else "cp1252")


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) of file bytes; ParseError for binary data or bytes of no known encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise ParseError(
                    f"The file starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()}."
                ) from exc
    if b"\x00" in data[:65536]:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise ParseError("This is a binary file, not text (it contains NUL bytes).")
        text, encoding = utf16
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _utf8_with_stray_bytes(data)
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 200):
        raise ParseError("This is a binary file, not text (it is full of control characters).")
    return text, encoding


def _json_ld_publisher(data) -> str:
    """The publisher's name in a JSON-LD value (an object, a list or an @graph of them)."""
    if isinstance(data, list):
        return next((name for item in data if (name := _json_ld_publisher(item))), "")
    if not isinstance(data, dict):
        return ""
    if "@graph" in data:
        return _json_ld_publisher(data["@graph"])
    publisher = data.get("publisher") or data.get("sourceOrganization")
    if isinstance(publisher, list):
        publisher = publisher[0] if publisher else None
    if isinstance(publisher, dict):
        return str(publisher.get("name") or "").strip()
    if isinstance(publisher, str):
        return publisher.strip()
    return ""


def page_publisher(html: str) -> str:
    """The outlet a page names in its metadata: og:site_name, else the JSON-LD or meta publisher; never its title."""
    import json

    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    for xpath in ('//meta[@property="og:site_name"]/@content', '//meta[@name="og:site_name"]/@content'):
        names = [n.strip() for n in tree.xpath(xpath) if n.strip()]
        if names:
            return names[0]
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            name = _json_ld_publisher(json.loads(script))
        except ValueError:
            continue
        if name:
            return name
    names = [n.strip() for n in tree.xpath('//meta[@name="publisher" or @property="article:publisher"]/@content')]
    return next((n for n in names if n and not n.startswith(("http://", "https://"))), "")


def html_to_text(html: str) -> tuple[str, dict]:
    """The article text of an HTML page (title first, paragraphs apart) and the page's metadata."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        with_metadata=True,
        # Only the page's own publication date, never a date guessed from the text or a "last modified".
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None:
        return "", {}
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    body = (data.get("text") or "").strip()
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    title = (data.get("title") or "").strip()
    metadata = {
        "title": title,
        "date": data.get("date") or "",
        "url": data.get("url") or "",
        "author": data.get("author") or "",
        "sitename": page_publisher(html),
    }
    lines = ([title] if title else []) + paragraphs
    return "\n\n".join(lines), metadata


def parse_bytes(data: bytes, name: str = "", *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedDocument:
    """Decode one file's bytes into a ParsedDocument, or raise ParseError with the reason."""
    extension = extension_of(name)
    if extension not in SUPPORTED_EXTENSIONS:
        raise ParseError(f"Unsupported file type “{extension}”: import .txt or .html/.htm files.")
    if len(data) > max_bytes:
        raise ParseError(
            f"The file is too large ({len(data) / 1048576:.1f} MB; the limit is {max_bytes / 1048576:.0f} MB)."
        )
    if not data.strip():
        raise ParseError("The file is empty.")
    text, encoding = decode(data)
    if not text.strip():
        raise ParseError("The file is empty.")
    is_html = extension in HTML_EXTENSIONS or bool(_HTML_START.match(data[:2048].lstrip(codecs.BOM_UTF8)))
    if is_html:
        article_text, metadata = html_to_text(text)
        if len(article_text.split()) < 8:
            raise ParseError("No article text was found in this HTML page.")
        return ParsedDocument(article_text, text, encoding, is_html=True, metadata=metadata)
    return ParsedDocument(text.replace("\r\n", "\n").replace("\r", "\n"), text, encoding)
