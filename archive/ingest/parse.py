"""Parse stage: the bytes of one file in, its decoded text out (no ORM).

Plain text is decoded (UTF-8, UTF-16/32 with a byte-order mark, else Windows-1252); an HTML page is
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


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) of file bytes; ParseError for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise ParseError(
                    f"The file starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()}."
                ) from exc
    if b"\x00" in data[:65536]:
        raise ParseError("This is a binary file, not text (it contains NUL bytes).")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError as exc:
            raise ParseError("The file is neither UTF-8 nor Windows-1252 text; it looks binary.") from exc
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 200):
        raise ParseError("This is a binary file, not text (it is full of control characters).")
    return text, encoding


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
        "sitename": data.get("sitename") or "",
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
