"""Reverting an article, statement or actor to a version of its history, with the checks that say when it cannot be done."""

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone

from archive.indexing import deferred_indexing, record
from archive.models import Article, Statement
from archive.text import map_offsets, relocate


def _stamp(obj, user, reason: str):
    """Mark the next save of `obj` with who made it and why, for its history entry."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    obj._change_reason = reason
    return obj


@dataclass
class RevertResult:
    instance: object
    version_date: object
    restored_topics: bool
    statements_moved: int = 0


@dataclass
class RevertPlan:
    """What restoring a version writes: the restored row and, for an article body, its statements' new spans."""

    version: object
    instance: object
    when: str
    moves: dict = field(default_factory=dict)  # statement pk -> (start, end) in the restored body


def _revert_plan(model, object_id, history_id, *, lock: bool = False) -> RevertPlan:
    """Check that a version can be restored now; a ValidationError says why not. Writes nothing."""
    try:
        version = model.history.get(**{model._meta.pk.attname: object_id}, history_id=history_id)
    except ObjectDoesNotExist as error:
        raise ValidationError("That version does not exist.") from error
    current_rows = model._default_manager.filter(pk=object_id)
    current = (current_rows.select_for_update() if lock else current_rows).first()
    instance = version.instance
    instance._state.adding = current is None
    when = timezone.localtime(version.history_date).strftime("%-d %b %Y %H:%M")
    plan = RevertPlan(version=version, instance=instance, when=when)

    errors = _missing_relations(instance)
    if errors:
        raise ValidationError(errors)
    if isinstance(instance, Statement):
        if lock:
            Article.objects.select_for_update().filter(pk=instance.article_id).first()
        body = Article.objects.get(pk=instance.article_id).body
        # The article may have been corrected since: the version's words are found where they now stand.
        span = relocate(body, instance.text, instance.start, instance.end)
        if span is None:
            raise ValidationError(
                f"This version cannot be restored: its words (“{instance.text[:80]}”) are no longer in the "
                "article's text. Restore the article's earlier text first, or edit the statement."
            )
        instance.start, instance.end = span
    if isinstance(instance, Article) and current is not None and current.body != instance.body:
        # Statements move back with their words, as they moved when the body was edited.
        moved = map_offsets(current.body, instance.body)
        statements = Statement.objects.filter(article_id=instance.pk).order_by("start")
        if lock:
            statements = statements.select_for_update()
        lost = []
        for statement in statements:
            span = relocate(instance.body, statement.text, statement.start, statement.end, moved)
            if span is None:
                lost.append(statement)
            elif span != (statement.start, statement.end):
                plan.moves[statement.pk] = span
        if lost:
            listed = "; ".join(f"“{s.text[:60]}”" for s in lost[:5])
            more = f" and {len(lost) - 5} more" if len(lost) > 5 else ""
            raise ValidationError(
                f"This version cannot be restored: its text lacks the words of {len(lost)} statement"
                f"{'s' if len(lost) != 1 else ''} recorded since ({listed}{more}). Reject those statements, or "
                "correct the text by hand."
            )
    try:
        instance.full_clean(validate_constraints=True)
    except ValidationError as error:
        raise ValidationError(f"This version cannot be restored: {_flatten(error)}") from error
    return plan


def revert_blocker(model, object_id, history_id) -> str | None:
    """Why a version cannot be restored now, or None when it can (for the history pages, before the click)."""
    try:
        _revert_plan(model, object_id, history_id)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def revert_to_version(model, object_id, history_id, user=None, reason: str = "") -> RevertResult:
    """Restore an article, actor, statement (or other tracked row) to one of its history versions.

    An article's statements move back with their words, as they moved when its body was edited; a
    statement's words are found where they stand now. Refused with a ValidationError, and nothing
    written, when the version no longer fits the archive: words no longer in the text, a speaker or
    side merged away. The check runs again inside the transaction, on locked rows.
    """
    _revert_plan(model, object_id, history_id)  # a clear refusal before any lock is taken
    with transaction.atomic(), deferred_indexing():
        plan = _revert_plan(model, object_id, history_id, lock=True)
        instance, version = plan.instance, plan.version
        why = f"Reverted to the version of {plan.when}" + (f": {reason.strip()}" if reason.strip() else "")
        _stamp(instance, user, why)
        if plan.moves:
            # Park the moving spans first so that no two collide on the unique (article, start, end).
            parked = len(instance.body) + max(end for _, end in plan.moves.values()) + 1
            for n, pk in enumerate(plan.moves):
                Statement.objects.filter(pk=pk).update(start=parked + 2 * n, end=parked + 2 * n + 1)
            instance.save()
            for statement in Statement.objects.filter(pk__in=plan.moves).select_related("article"):
                statement.start, statement.end = plan.moves[statement.pk]
                _stamp(statement, user, f"Span moved with the article's text ({why})")
                statement.save(update_fields=["start", "end", "updated_at"])
        else:
            instance.save()
        m2m_fields = list(getattr(version, "_history_m2m_fields", []))
        for m2m in m2m_fields:
            rows = getattr(version, m2m.name).all()
            target = m2m.related_model._meta.model_name
            ids = [getattr(row, f"{target}_id") for row in rows]
            existing = set(m2m.related_model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
            current = set(getattr(instance, m2m.name).values_list("pk", flat=True))
            if current != existing:
                _stamp(instance, user, why)
                getattr(instance, m2m.name).set(sorted(existing))
                record(instance)
    return RevertResult(
        instance=instance,
        version_date=version.history_date,
        restored_topics=bool(m2m_fields),
        statements_moved=len(plan.moves),
    )


def _missing_relations(instance) -> dict:
    """Errors for foreign keys of a restored version that point at rows which are gone."""
    errors = {}
    for f in instance._meta.concrete_fields:
        if not f.is_relation or not f.many_to_one:
            continue
        value = getattr(instance, f.attname)
        if value is None:
            continue
        if not f.related_model._default_manager.filter(pk=value).exists():
            what = f.related_model._meta.verbose_name
            errors[f.name] = (
                f"This version cannot be restored: its {f.verbose_name} (a {what} with id {value}) no longer "
                "exists; it was deleted or merged into another."
            )
    return errors


def _flatten(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(
            f"{name}: {' '.join(msgs)}" if name != "__all__" else " ".join(msgs)
            for name, msgs in error.message_dict.items()
        )
    return " ".join(error.messages)
