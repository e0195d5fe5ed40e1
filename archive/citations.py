"""Citations of an archived article: plain text (Chicago style), BibTeX and RIS.

Each names the publisher when the page names one, otherwise the outlets the text credits; the date as
precisely as it is known ("n.d." when unknown); the original address when recorded; a translation;
and the archive's permanent address with the day it was consulted.
"""

import datetime
import re

from django.utils import timezone

ARCHIVE_NAME = "Peace Talks Archive"


def _author(article) -> str:
    return re.sub(r"^\s*by\s+", "", article.byline or "", flags=re.I).strip()


def publisher(article) -> str:
    """The publisher, or the credited outlets when the archived page names no publisher ("" when neither)."""
    if article.source_id:
        return article.source.name
    credited = [s.name for s in article.credited_sources.all()]
    return f"via {', '.join(credited)}" if credited else ""


def _original_url(article) -> str:
    return article.url if article.url.lower().startswith(("http://", "https://")) else ""


def plain(article, permalink: str, today: datetime.date | None = None) -> str:
    """A Chicago-style citation as text."""
    today = today or timezone.localdate()
    parts = []
    author = _author(article)
    if author:
        parts.append(f"{author}.")
    parts.append(f"“{article.title.rstrip('.')}.”")
    outlet = publisher(article) or "Publisher not named"
    date = article.date_display if article.published_date else "n.d."
    dated = f"{outlet}, {date}"
    parts.append(dated if dated.endswith(".") else f"{dated}.")
    if article.is_translation:
        parts.append(f"{article.translation_label}.")
    if _original_url(article):
        parts.append(f"{article.url}.")
    parts.append(f"Archived in {ARCHIVE_NAME}, {permalink} (accessed {today:%-d %B %Y}).")
    return " ".join(parts)


def _bibtex_escape(value: str) -> str:
    return re.sub(r"([{}\\%&$#_])", r"\\\1", value)


def bibtex(article, permalink: str, today: datetime.date | None = None) -> str:
    """A BibTeX @online entry (biblatex; plain BibTeX reads it as @misc)."""
    today = today or timezone.localdate()
    fields = [("title", article.title)]
    if _author(article):
        fields.append(("author", _author(article)))
    if publisher(article):
        fields.append(("organization", publisher(article)))
    if article.published_date and article.date_precision != "unknown":
        fields.append(("year", f"{article.published_date:%Y}"))
        if article.date_precision in ("month", "day"):
            fields.append(("month", f"{article.published_date.month}"))
        if article.date_precision == "day":
            fields.append(("date", article.published_date.isoformat()))
    if _original_url(article):
        fields.append(("url", article.url))
    note = f"Archived in {ARCHIVE_NAME}, {permalink}"
    if article.is_translation:
        note = f"{article.translation_label}. {note}"
    fields += [("note", note), ("urldate", today.isoformat()), ("language", article.language)]
    key = re.sub(r"[^A-Za-z0-9]+", "-", article.slug)[:60] or f"article-{article.pk}"
    body = ",\n".join(f"  {name} = {{{_bibtex_escape(value)}}}" for name, value in fields)
    return f"@online{{{key},\n{body}\n}}\n"


def ris(article, permalink: str, today: datetime.date | None = None) -> str:
    """An RIS record (type NEWS), CRLF line endings as the format wants."""
    today = today or timezone.localdate()
    lines = [("TY", "NEWS"), ("TI", article.title)]
    if _author(article):
        lines.append(("AU", _author(article)))
    if publisher(article):
        lines.append(("T2", publisher(article)))
        lines.append(("PB", publisher(article)))
    if article.published_date and article.date_precision != "unknown":
        date = article.published_date
        precise = {"day": f"{date:%Y/%m/%d}/", "month": f"{date:%Y/%m}//", "year": f"{date:%Y}///"}
        lines.append(("PY", f"{date:%Y}"))
        lines.append(("DA", precise[article.date_precision]))
    if article.dateline:
        lines.append(("CY", article.dateline))
    if _original_url(article):
        lines.append(("UR", article.url))
    lines.append(("UR", permalink))
    lines.append(("LA", article.language))
    if article.is_translation:
        lines.append(("N1", f"{article.translation_label}. {article.translation_note}".strip()))
    lines.append(("N1", f"Archived in {ARCHIVE_NAME}, accessed {today.isoformat()}"))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines)
