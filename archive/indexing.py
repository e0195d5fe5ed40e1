"""The one door to the search index: every change to an indexed row reaches the index through here.

``save()`` and ``delete()`` (through the signal processor, ``archive.search.signals``), ``bulk_create()``
and ``update()`` (``IndexedQuerySet`` sends ``rows_changed``), services, imports and merges all record
the rows they touched with ``record_many()`` / ``record_keys()``. The update is applied once the
transaction commits, or once at the end of a ``deferred_indexing()`` block (a bulk import updates the
index once, in one index commit per search connection).

Every recorded row is also written to the ``IndexOutbox`` table inside the same transaction as the
change, and deleted once the index has it. An index write that fails after the database committed
(a read-only or locked index, a dead search server), or a process killed in between, leaves its rows
there: they are replayed by the next successful index write, by ``check_index`` and by
``manage.py replay_index_outbox``. A request never fails for a change it has committed.
"""

import logging
import threading
from collections import defaultdict
from contextlib import contextmanager
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import signals
from django.utils import timezone
from haystack.exceptions import NotHandled
from haystack.signals import BaseSignalProcessor
from haystack.utils import get_identifier

from archive.search.connections import engine, usings
from archive.search.documents import batch_for_identifiers, index_work

logger = logging.getLogger(__name__)
_state = threading.local()

# The outbox rows of other processes' changes younger than this are theirs to apply (they commit and
# apply within moments); older ones were left by a failure and are replayed by the next write.
OUTBOX_GRACE = timedelta(seconds=30)
REPLAY_BATCH = 1000


def _pending():
    return getattr(_state, "pending", None)


@contextmanager
def deferred_indexing():
    """Collect index updates made inside the block and apply them once at its end."""
    outer = _pending()
    if outer is not None:  # nested: the outermost block applies everything
        yield
        return
    _state.pending = defaultdict(dict)
    _state.outbox = []
    _state.unwritten = defaultdict(dict)
    # A block inside a transaction writes its outbox rows once, as it ends (still inside that
    # transaction, which commits after it): deleting an article with thousands of statements writes
    # one insert, not one per statement.
    _state.in_transaction = connection.in_atomic_block
    try:
        yield
        _state.outbox.extend(_write_outbox(_state.unwritten))
        batch, outbox = _state.pending, _state.outbox
    finally:
        _state.pending = None
        _state.outbox = None
        _state.unwritten = None
    # Inside a transaction, once it commits (a rebuild's workers or another process must not read the
    # rows before the index has them, nor the index hold what a rollback undoes); otherwise now.
    transaction.on_commit(lambda: _apply_committed(batch, outbox))


def record(instance, deleted: bool = False) -> None:
    """Index (or unindex) one object now, or later when indexing is deferred."""
    if deleted:
        record_many((), deleted=[instance])
    else:
        record_many([instance])


def record_many(instances, deleted=(), keys=None) -> None:
    """Index (or unindex) several objects in one update; `keys` adds rows by primary key,
    {model: pks} (indexed as they are when the update is applied)."""
    batch = defaultdict(dict)
    for model, pks in (keys or {}).items():
        for pk in pks:
            if pk is not None:
                batch[model][pk] = (None, False)
    for instance in instances:
        if instance is not None and instance.pk is not None:
            batch[type(instance)][instance.pk] = (instance, False)
    for instance in deleted:
        # The identifier now: once the delete has run, Django sets the instance's pk to None.
        batch[type(instance)][instance.pk] = (get_identifier(instance), True)
    _record(batch)


def record_keys(keys) -> None:
    """Index the rows {model: primary keys} (as they are when the update is applied)."""
    record_many((), keys=keys)


def _record(batch) -> None:
    if not batch:
        return
    pending = _pending()
    if pending is not None:
        for model, items in batch.items():
            pending[model].update(items)
        if _state.in_transaction:  # nothing in the block commits before the block ends
            for model, items in batch.items():
                _state.unwritten[model].update(items)
        else:  # each transaction opened inside the block commits on its own: write with it
            _state.outbox.extend(_write_outbox(batch))
        return
    outbox = _write_outbox(batch)
    transaction.on_commit(lambda: _apply_committed(batch, outbox))


def _identifiers(batch) -> list[str]:
    return [
        entry if deleted else f"{model._meta.label_lower}.{pk}"
        for model, items in batch.items()
        for pk, (entry, deleted) in items.items()
    ]


def _write_outbox(batch) -> list[int]:
    """Record the batch's identifiers in the outbox, in the caller's transaction; returns the rows' ids."""
    from archive.models import IndexOutbox

    if not batch:
        return []
    rows = IndexOutbox.objects.bulk_create(
        (IndexOutbox(identifier=i) for i in _identifiers(batch)), batch_size=REPLAY_BATCH
    )
    return [row.pk for row in rows if row.pk is not None]


def _forget_outbox(ids) -> None:
    """Delete outbox rows by id, in plain SQL: a QuerySet.delete() would load each row to send
    post_delete signals, which the index's own signal processor listens to for every model."""
    from archive.models import IndexOutbox

    ids = list(ids)
    table = connection.ops.quote_name(IndexOutbox._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), REPLAY_BATCH):
            chunk = ids[start : start + REPLAY_BATCH]
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk)


def apply_updates(batch) -> None:
    """Apply {model: {pk: (instance or identifier, deleted)}} to every search connection, one index
    commit per connection (removals included)."""
    for using in usings():
        work, removals = index_work(batch, using)
        engine(using).update_many(work, removals)


def _apply_committed(batch, outbox) -> None:
    """Apply a committed change's batch; on success forget its outbox rows and replay those left by
    earlier failures. A failure is logged and left in the outbox, never raised: the database has
    committed the change already, and the request that made it must not fail for it."""
    try:
        apply_updates(batch)
    except Exception:
        logger.exception(
            "The search index could not be updated; %d update(s) wait in the outbox "
            "(the next index write, check_index or `manage.py replay_index_outbox` applies them)",
            len(outbox),
        )
        return
    try:
        _forget_outbox(outbox)
        replay_outbox(older_than=OUTBOX_GRACE)
    except Exception:
        logger.exception("Replaying the search index outbox failed; it is kept for the next attempt")


def replay_outbox(older_than: timedelta | None = None) -> int:
    """Apply the outbox's updates (those older than `older_than`, or all) to the index; returns how many.
    Raises if the index cannot take them (they stay in the outbox)."""
    from archive.models import IndexOutbox

    replayed = 0
    last = 0
    while True:
        rows = IndexOutbox.objects.filter(pk__gt=last)
        if older_than is not None:
            rows = rows.filter(created_at__lt=timezone.now() - older_than)
        rows = list(rows.order_by("pk").values_list("pk", "identifier")[:REPLAY_BATCH])
        if not rows:
            return replayed
        apply_updates(batch_for_identifiers(dict.fromkeys(identifier for _, identifier in rows)))
        _forget_outbox(pk for pk, _ in rows)
        replayed += len(rows)
        last = rows[-1][0]


class DeferrableSignalProcessor(BaseSignalProcessor):
    """haystack signal processor that honours ``deferred_indexing()``."""

    def setup(self):
        signals.post_save.connect(self.handle_save)
        signals.post_delete.connect(self.handle_delete)

    def teardown(self):
        signals.post_save.disconnect(self.handle_save)
        signals.post_delete.disconnect(self.handle_delete)

    def handle_save(self, sender, instance, **kwargs):
        if kwargs.get("raw"):
            return
        if self._handled(sender):
            record(instance)

    def handle_delete(self, sender, instance, **kwargs):
        if self._handled(sender):
            record(instance, deleted=True)

    def _handled(self, model) -> bool:
        try:
            self.connections["default"].get_unified_index().get_index(model)
        except NotHandled:
            return False
        return True
