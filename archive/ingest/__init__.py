"""The import pipeline: scraped articles in, clean articles, actors and statements out.

Stages (each a small module): parse (bytes to text), clean (chrome and metadata), extract (statements
and speakers), resolve (speakers to actors), topics (suggestions), save (one transaction per article).
"""

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from archive import indexing
from archive.ingest.clean import CleanError, clean_text
from archive.ingest.parse import DEFAULT_MAX_BYTES, ParseError, extension_of, parse_bytes
from archive.ingest.save import Batch, SaveError, reextract_article, save_article
from archive.models import Statement
from archive.positions.services import suggest_relations
from archive.text import clean_text as normalise_text

logger = logging.getLogger(__name__)

__all__ = ["ImportReport", "ImportResult", "import_paths", "import_uploads", "reextract", "max_bytes"]


@dataclass
class ImportResult:
    """What happened to one file."""

    name: str
    status: str  # created / duplicate / updated / failed
    reason: str = ""
    article_id: int | None = None
    title: str = ""
    statements: int = 0
    link: str = ""
    notice: str = ""  # imported, but an editor should look: e.g. extraction stopped
    duplicate_of_id: int | None = None
    duplicate_of_title: str = ""
    similarity: float | None = None
    duplicate_of_link: str = ""

    @property
    def duplicate_note(self) -> str:
        """ "possible duplicate of “Title” (#12, 94% similar)", or "" for an article unlike any other."""
        if self.duplicate_of_id is None:
            return ""
        return (
            f"possible duplicate of “{self.duplicate_of_title}” (#{self.duplicate_of_id}, "
            f"{round(100 * (self.similarity or 0))}% similar): keep both, replace or skip it in the admin"
        )


@dataclass
class ImportReport:
    """The outcome of one import, file by file."""

    results: list[ImportResult] = field(default_factory=list)
    relations_suggested: int = 0  # suggested relations between statements, new and old, after the import

    def _with(self, status):
        return [r for r in self.results if r.status == status]

    @property
    def created(self):
        return self._with("created")

    @property
    def duplicate(self):
        return self._with("duplicate")

    @property
    def updated(self):
        return self._with("updated")

    @property
    def failed(self):
        return self._with("failed")

    @property
    def possible_duplicates(self):
        return [r for r in self.results if r.duplicate_of_id is not None]

    @property
    def ok(self) -> bool:
        return not self.failed

    def counts(self) -> dict:
        return {s: len(self._with(s)) for s in ("created", "duplicate", "updated", "failed")}

    def summary(self) -> str:
        c = self.counts()
        summary = f"{c['created']} created, {c['duplicate']} duplicate (skipped), {c['updated']} updated, {c['failed']} failed"
        if self.possible_duplicates:
            summary += f"; {len(self.possible_duplicates)} possible duplicate(s) of stored articles to review"
        return summary

    def as_text(self) -> str:
        lines = [self.summary()]
        for result in self.results:
            if result.status == "failed":
                lines.append(f"  failed     {result.name}: {result.reason}")
            else:
                lines.append(f"  {result.status:<10} {result.name}: {result.title} ({result.statements} statements)")
            if result.notice:
                lines.append(f"  {'':<10} {result.notice}")
            if result.duplicate_note:
                lines.append(f"             {result.duplicate_note}")
        return "\n".join(lines)


def max_bytes() -> int:
    return int(getattr(settings, "ARCHIVE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def import_bytes(data: bytes, name: str, batch: Batch, reference: str | None = None, user=None) -> ImportResult:
    """Import one file's bytes; every failure becomes a reason, never an exception.

    `user` (the importing editor, or None on the command line without --user) is credited in the history.
    """
    try:
        document = parse_bytes(data, name, max_bytes=max_bytes())
        # The text is normalised as every other way in stores it, before offsets are taken from it.
        document.text = normalise_text(document.text)
        clean = clean_text(document.text, document.metadata if document.is_html else None)
        outcome = save_article(
            clean, document.raw_text, reference or name, batch, url=document.metadata.get("url", ""), user=user
        )
    except (ParseError, CleanError, SaveError) as exc:
        return ImportResult(name, "failed", str(exc))
    except Exception as exc:  # one bad file must never stop the batch
        logger.exception("Unexpected error importing %s", name)
        return ImportResult(
            name, "failed", f"Unexpected error while importing this file ({type(exc).__name__}: {exc})."
        )
    result = ImportResult(
        name,
        outcome.status,
        "",
        outcome.article.pk,
        outcome.article.title,
        outcome.statements,
        notice=outcome.notice,
    )
    if outcome.possible_duplicate_of is not None:
        result.duplicate_of_id = outcome.possible_duplicate_of.pk
        result.duplicate_of_title = outcome.possible_duplicate_of.title
        result.similarity = outcome.similarity
    return result


def iter_files(paths):
    """(display name, path or None, import reference) for every file under the given paths, in order.

    The reference is the file's name, or its path inside a folder given on the command line, so that
    two files of one name in different sub-folders stay two articles.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        found = Path(root, name)
                        yield str(found), found, found.relative_to(path).as_posix()
        elif path.is_file():
            yield str(path), path, path.name
        else:
            yield str(path), None, ""


def import_paths(paths, *, progress=False, user=None) -> ImportReport:
    """Import files and folders; the index is updated once, each article is saved in its own transaction."""
    report = ImportReport()
    files = list(iter_files(paths))
    if progress:
        from tqdm import tqdm

        files = tqdm(files, desc="Importing", unit="file")
    with indexing.deferred_indexing():
        batch = Batch(user)
        for name, path, reference in files:
            if path is None:
                report.results.append(ImportResult(name, "failed", "No such file or folder."))
                continue
            try:
                size = path.stat().st_size
                if size > max_bytes():
                    report.results.append(
                        ImportResult(
                            name,
                            "failed",
                            f"The file is too large ({size / 1048576:.1f} MB; the limit is {max_bytes() / 1048576:.0f} MB).",
                        )
                    )
                    continue
                data = path.read_bytes()
            except OSError as exc:
                report.results.append(ImportResult(name, "failed", f"The file cannot be read: {exc.strerror or exc}."))
                continue
            report.results.append(import_bytes(data, name, batch, reference=reference, user=user))
    _suggest_relations(report, user)
    return report


def _suggest_relations(report: ImportReport, user=None) -> None:
    """Once per import, not per article: new statements may answer old ones and each other."""
    if report.created or report.updated:
        written = [r.article_id for r in [*report.created, *report.updated] if r.article_id]
        new = Statement.objects.filter(article__in=written).values_list("pk", flat=True)
        report.relations_suggested = suggest_relations(user=user, around=list(new)).created


def import_uploads(files, user=None) -> ImportReport:
    """Import uploaded files (Django UploadedFile objects) the same way as import_paths."""
    report = ImportReport()
    with indexing.deferred_indexing():
        batch = Batch(user)
        for upload in files:
            name = os.path.basename(upload.name or "upload")
            if upload.size is not None and upload.size > max_bytes():
                report.results.append(
                    ImportResult(
                        name,
                        "failed",
                        f"The file is too large ({upload.size / 1048576:.1f} MB; the limit is {max_bytes() / 1048576:.0f} MB).",
                    )
                )
                continue
            data = b"".join(upload.chunks())
            report.results.append(import_bytes(data, name, batch, user=user))
    _suggest_relations(report, user)
    return report


def reextract(article, user=None) -> dict:
    """Re-run statement extraction on one saved article; verified and rejected statements stay.
    `user` (the editor) is credited in the new statements' history."""
    with indexing.deferred_indexing():
        return reextract_article(article, Batch(user))


def is_supported_name(name: str) -> bool:
    from archive.ingest.parse import SUPPORTED_EXTENSIONS

    return extension_of(name) in SUPPORTED_EXTENSIONS
