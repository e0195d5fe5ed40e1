"""Streaming CSV, JSON and NDJSON writers for statements and articles.

The writers take any iterable of Statement or Article objects (a queryset is read with
``.iterator(chunk_size=...)``), so an export of 100,000 rows holds one chunk in memory at a time.
CSV: a header row, UTF-8 without a byte-order mark, cells that a spreadsheet would read as a formula
(starting with = + - @, tab or carriage return) prefixed with a single quote.
JSON: one array of objects, written element by element. NDJSON: one JSON object per line.
Dates are written as far as they are known ("2019", "2021-08", "2021-08-14"), each with its precision
column, so a month-precise date is never read as the first of the month.
XLSX: the same columns as the CSV in an Excel workbook (openpyxl's write-only mode, spooled to a
temporary file), for spreadsheets that misread UTF-8 CSV.
"""

import csv
import json
from collections.abc import Callable, Iterable, Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.urls import reverse

CHUNK_SIZE = 500
FLUSH_BYTES = 64 * 1024
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "ndjson": "application/x-ndjson",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

STATEMENT_FIELDS = [
    "id",
    "text",
    "speaker",
    "speaker_slug",
    "speaker_description",
    "speaker_role",
    "speaker_role_dated",
    "side",
    "side_slug",
    "kind",
    "medium",
    "said_to",
    "date",
    "date_precision",
    "review_status",
    "review",
    "display_text",
    "topics",
    "article_title",
    "article_slug",
    "article_date",
    "article_date_precision",
    "source",
    "start",
    "end",
    "api_url",
    "site_url",
]

ARTICLE_FIELDS = [
    "slug",
    "title",
    "source",
    "source_slug",
    "credited_sources",
    "original_url",
    "published_date",
    "date_precision",
    "dateline",
    "byline",
    "language",
    "original_language",
    "translation_note",
    "topics",
    "statement_count",
    "api_url",
    "site_url",
]


def objects_of(items: Iterable, chunk_size: int = CHUNK_SIZE) -> Iterator:
    """Iterate a queryset in chunks (prefetches run per chunk), or any other iterable as it is."""
    if isinstance(items, QuerySet):
        return items.iterator(chunk_size=chunk_size)
    return iter(items)


def speaker_fields(statement, sides: dict | None = None) -> dict:
    """A statement's speaker, their role on its date and their side as export fields; `sides` maps speaker ids
    to their side, when known."""
    speaker = statement.speaker if statement.speaker_id else None
    side = None
    if speaker is not None:
        side = sides.get(speaker.pk, speaker) if sides is not None else speaker.side
    role = statement.speaker_role
    return {
        "speaker": speaker.name if speaker else None,
        "speaker_slug": speaker.slug if speaker else None,
        "speaker_description": statement.speaker_description,
        # The role held on the statement's date (dated), else the coverage's wording; null when none is known.
        "speaker_role": role.label or None,
        "speaker_role_dated": role.is_dated,
        "side": side.name if side else None,
        "side_slug": side.slug if side else None,
    }


def statement_row(statement, base_url: str = "", sides: dict | None = None) -> dict:
    """One statement as a flat dict of the export's fields."""
    article = statement.article
    return {
        "id": statement.pk,
        "text": statement.text,
        **speaker_fields(statement, sides),
        "kind": statement.kind,
        "medium": statement.medium,
        "said_to": statement.said_to,
        "date": statement.date_iso,
        "date_precision": statement.date_precision,
        "review_status": statement.review_status,
        "review": statement.review_note,
        # Quotation marks only around the speaker's own words (direct and partial quotes).
        "display_text": statement.quoted_text,
        "topics": [topic.slug for topic in statement.topics.all()],
        "article_title": article.title,
        "article_slug": article.slug,
        "article_date": article.date_iso,
        "article_date_precision": article.date_precision,
        "source": article.source.name if article.source_id else None,
        "start": statement.start,
        "end": statement.end,
        "api_url": base_url + reverse("api:statement-detail", args=[statement.pk]),
        "site_url": base_url + statement.get_absolute_url(),
    }


def article_row(article, base_url: str = "") -> dict:
    """One article (its public fields) as a flat dict of the export's fields."""
    source = article.source if article.source_id else None
    return {
        "slug": article.slug,
        "title": article.title,
        "source": source.name if source else None,
        "source_slug": source.slug if source else None,
        "credited_sources": [s.slug for s in article.credited_sources.all()],
        "original_url": article.url,
        "published_date": article.date_iso,
        "date_precision": article.date_precision,
        "dateline": article.dateline,
        "byline": article.byline,
        "language": article.language,
        "original_language": article.original_language,
        "translation_note": article.translation_note,
        "topics": [topic.slug for topic in article.topics.all()],
        "statement_count": getattr(article, "statement_count", None),
        "api_url": base_url + reverse("api:article-detail", args=[article.slug]),
        "site_url": base_url + article.get_absolute_url(),
    }


def rows(items: Iterable, to_row: Callable[..., dict], **kwargs) -> Iterator[dict]:
    for obj in objects_of(items):
        yield to_row(obj, **kwargs)


def safe_cell(value) -> str:
    """A CSV cell: lists joined with "; ", None empty, formula-like text prefixed with a quote."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    return str(value)


class _Line:
    """A file-like object whose write() hands back what csv.writer wrote."""

    def write(self, value):
        return value


def csv_lines(records: Iterable[dict], fields: list[str]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(fields)
    for record in records:
        yield writer.writerow([safe_cell(record.get(field)) for field in fields])


def json_array_lines(records: Iterable[dict]) -> Iterator[str]:
    yield "["
    first = True
    for record in records:
        yield ("\n" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "\n]\n"


def ndjson_lines(records: Iterable[dict]) -> Iterator[str]:
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


def encode(lines: Iterable[str], flush_bytes: int = FLUSH_BYTES) -> Iterator[bytes]:
    """UTF-8 bytes in blocks of about flush_bytes, so the response is not one write per row."""
    buffer, size = [], 0
    for line in lines:
        data = line.encode("utf-8")
        buffer.append(data)
        size += len(data)
        if size >= flush_bytes:
            yield b"".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield b"".join(buffer)


def xlsx_blocks(records: Iterable[dict], fields: list[str], block: int = FLUSH_BYTES) -> Iterator[bytes]:
    """An Excel workbook of the records (one sheet, a header row), in blocks of bytes."""
    import tempfile

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("export")

    def cell(value):
        if isinstance(value, int):
            return value
        text = "; ".join(str(v) for v in value) if isinstance(value, list | tuple) else value or ""
        # Stored as text, never as a formula, whatever character it starts with.
        written = WriteOnlyCell(sheet, value=str(text))
        written.data_type = "s"
        return written

    sheet.append(fields)
    for record in records:
        sheet.append([cell(record.get(f)) for f in fields])
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out:
        workbook.save(out)
        out.seek(0)
        while data := out.read(block):
            yield data


def write(records: Iterable[dict], fields: list[str], fmt: str) -> Iterator[bytes]:
    """The export's bytes, in the given format (csv, json, ndjson or xlsx)."""
    if fmt == "csv":
        return encode(csv_lines(records, fields))
    if fmt == "json":
        return encode(json_array_lines(records))
    if fmt == "ndjson":
        return encode(ndjson_lines(records))
    if fmt == "xlsx":
        return xlsx_blocks(records, fields)
    raise ValueError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")


def response(records: Iterable[dict], fields: list[str], fmt: str, filename: str) -> StreamingHttpResponse:
    """A streamed download of the records."""
    streamed = StreamingHttpResponse(write(records, fields, fmt), content_type=FORMATS[fmt])
    streamed["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    streamed["Cache-Control"] = "no-store"
    return streamed


def statements_response(statements: Iterable, fmt: str, filename: str, base_url: str = "", sides=None):
    """Stream any iterable of Statement objects (a queryset, search results) as CSV, JSON or NDJSON."""
    return response(rows(statements, statement_row, base_url=base_url, sides=sides), STATEMENT_FIELDS, fmt, filename)


def articles_response(articles: Iterable, fmt: str, filename: str, base_url: str = ""):
    """Stream any iterable of Article objects as CSV, JSON or NDJSON."""
    return response(rows(articles, article_row, base_url=base_url), ARTICLE_FIELDS, fmt, filename)
