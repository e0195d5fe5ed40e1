"""Keeps the search index in step with the database.

Saves and deletes of indexed models update the index right away, except inside
``deferred_indexing()``, where they are collected and applied once when the block ends
(a bulk import updates the index once, not once per row).
"""

import logging
import threading
from collections import defaultdict
from contextlib import contextmanager

from django.db import transaction
from django.db.models import signals
from haystack.exceptions import NotHandled
from haystack.signals import BaseSignalProcessor
from haystack.utils import get_identifier

from archive.search.connections import engine, usings
from archive.search.documents import index_work

logger = logging.getLogger(__name__)
_state = threading.local()


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
    try:
        yield
        batch = _state.pending
    finally:
        _state.pending = None
    # Inside a transaction, once it commits (a rebuild's workers or another process must not read the
    # rows before the index has them, nor the index hold what a rollback undoes); otherwise now.
    transaction.on_commit(lambda: apply_updates(batch))


def record(instance, deleted: bool = False) -> None:
    """Index (or unindex) one object now, or later when indexing is deferred."""
    if deleted:
        record_many((), deleted=[instance])
    else:
        record_many([instance])


def record_many(instances, deleted=()) -> None:
    """Index (or unindex) several objects in one update, once the transaction commits or at the end of
    a deferred block."""
    batch = defaultdict(dict)
    for instance in instances:
        if instance is not None and instance.pk is not None:
            batch[type(instance)][instance.pk] = (instance, False)
    for instance in deleted:
        # The identifier now: once the delete has run, Django sets the instance's pk to None.
        batch[type(instance)][instance.pk] = (get_identifier(instance), True)
    if not batch:
        return
    pending = _pending()
    if pending is not None:
        for model, items in batch.items():
            pending[model].update(items)
        return
    transaction.on_commit(lambda: apply_updates(batch))


def apply_updates(batch) -> None:
    """Apply {model: {pk: (instance or identifier, deleted)}} to every search connection, one index
    commit per connection (removals included)."""
    for using in usings():
        work, removals = index_work(batch, using)
        engine(using).update_many(work, removals)


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
