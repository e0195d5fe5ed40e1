"""Repair of text stored before every way in normalised it: CR line endings, NUL, zero-width characters,
decomposed accents. Statement spans move with their words.

Works on the real models (the ``repair_text`` command) and on a migration's historical models alike:
it writes with ``QuerySet.update()`` only and never relies on a model's own methods.
"""

from dataclasses import dataclass, field

from django.db import connection, models, transaction

from archive.text import clean_text, content_hash, map_offsets, relocate, strip_nul

# Characters clean_text removes or changes, plus combining marks (a decomposed accent NFC composes).
SUSPECT = "[\r\u200b\u200c\u200d\u2060\ufeff\u180e\u00ad\u2028\u2029\u0300-\u036f\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
VERBATIM = {("article", "raw_text")}


@dataclass
class RepairReport:
    rows: dict = field(default_factory=dict)  # model name -> rows repaired
    articles: list = field(default_factory=list)  # ids of articles whose body changed
    statements_moved: int = 0
    unplaced: list = field(default_factory=list)  # (statement id, reason): not moved, left as they were

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _text_fields(model) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.primary_key
    ]


def _suspect(model, names):
    pattern = SUSPECT if connection.vendor == "postgresql" else SUSPECT[:-1] + "\x00]"
    condition = models.Q()
    for name in names:
        condition |= models.Q(**{f"{name}__regex": pattern})
    return model._default_manager.filter(condition)


def repair_texts(model_list, *, dry_run: bool = False) -> RepairReport:
    """Normalise every text field of the given models' rows (an Article model's statements follow
    its body). One transaction; `dry_run` reports without writing."""
    report = RepairReport()
    by_name = {m._meta.model_name: m for m in model_list}
    statement_model = by_name.get("statement")
    with transaction.atomic():
        for name, model in by_name.items():
            fields = _text_fields(model)
            for row in _suspect(model, fields).order_by("pk"):
                changes = {}
                for attname in fields:
                    value = getattr(row, attname)
                    if not isinstance(value, str) or not value:
                        continue
                    cleaned = strip_nul(value) if (name, attname) in VERBATIM else clean_text(value)
                    if cleaned != value:
                        changes[attname] = cleaned
                if name == "statement" and "text" in changes:
                    # Moved with its article's body below; a statement alone whose words changed is
                    # placed again in its (already clean) body.
                    article = row.article
                    span = relocate(article.body, changes["text"], row.start, row.end, lambda o: o)
                    if span is None:
                        report.unplaced.append((row.pk, "its words are not in the article body"))
                        changes.pop("text")
                    else:
                        changes["start"], changes["end"] = span
                if not changes:
                    continue
                if name == "article" and "body" in changes:
                    changes["content_hash"] = content_hash(changes["body"])
                    if statement_model is not None:
                        report.statements_moved += _move_statements(
                            statement_model, row, changes["body"], report, dry_run
                        )
                    report.articles.append(row.pk)
                report.rows[name] = report.rows.get(name, 0) + 1
                if not dry_run:
                    model._default_manager.filter(pk=row.pk).update(**changes)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _move_statements(statement_model, article, body: str, report: RepairReport, dry_run: bool) -> int:
    moved = map_offsets(article.body, body)
    statements = list(statement_model._default_manager.filter(article_id=article.pk).order_by("start"))
    spans = {}
    for statement in statements:
        text = clean_text(statement.text)
        span = relocate(body, text, statement.start, statement.end, moved)
        if span is None:
            report.unplaced.append((statement.pk, "its words are not in the repaired body"))
            continue
        spans[statement.pk] = (text, span)
    if dry_run:
        return sum(1 for s in statements if s.pk in spans and spans[s.pk][1] != (s.start, s.end))
    # Park the spans out of the way first so that no two collide on the unique (article, start, end).
    parked = len(body) + len(article.body) + 1
    for n, pk in enumerate(spans):
        statement_model._default_manager.filter(pk=pk).update(start=parked + 2 * n, end=parked + 2 * n + 1)
    count = 0
    for statement in statements:
        if statement.pk not in spans:
            continue
        text, (start, end) = spans[statement.pk]
        statement_model._default_manager.filter(pk=statement.pk).update(text=text, start=start, end=end)
        count += (start, end) != (statement.start, statement.end)
    return count
