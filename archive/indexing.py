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
from haystack import connections
from haystack.exceptions import NotHandled
from haystack.signals import BaseSignalProcessor
from haystack.utils import get_identifier

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
    # A deleted object is kept as its identifier: once the delete has run, Django sets its pk to None.
    entry = (get_identifier(instance) if deleted else instance, deleted)
    batch = {type(instance): {instance.pk: entry}}
    pending = _pending()
    if pending is not None:
        pending[type(instance)][instance.pk] = entry
        return
    transaction.on_commit(lambda: apply_updates(batch))


def index_work(batch, using: str) -> tuple[list, list]:
    """What {model: {pk: (instance or identifier, deleted)}} means for one search connection:
    [(index, public objects)] to (re)index, and the identifiers to remove (deleted objects, and
    objects that are no longer public)."""
    unified = connections[using].get_unified_index()
    work, removals = [], []
    for model, items in batch.items():
        try:
            index = unified.get_index(model)
        except NotHandled:
            continue
        removals.extend(entry for entry, deleted in items.values() if deleted)
        pks = [pk for pk, (_, deleted) in items.items() if not deleted]
        if pks:
            public = list(index.index_queryset(using=using).filter(pk__in=pks))
            found = {obj.pk for obj in public}
            if public:
                work.append((index, public))
            removals.extend(f"{model._meta.label_lower}.{pk}" for pk in pks if pk not in found)
    return work, removals


def apply_updates(batch) -> None:
    """Apply {model: {pk: (instance or identifier, deleted)}} to every search connection, model by model."""
    for using in connections.connections_info:
        work, removals = index_work(batch, using)
        backend = connections[using].get_backend()
        for identifier in removals:
            backend.remove(identifier)
        for index, objects in work:
            backend.update(index, objects)


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
