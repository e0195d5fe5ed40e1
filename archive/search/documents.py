"""What a batch of changed objects means for a search connection: documents to write, ids to remove.

Engine-neutral (haystack's unified index only), so the indexing path and the engines' own upkeep
(a rebuild's replay, a repair) decide alike what belongs in the index.
"""

import logging
from collections import defaultdict

from django.apps import apps
from django.core.exceptions import ValidationError
from haystack import connections
from haystack.exceptions import NotHandled

logger = logging.getLogger(__name__)
CHUNK = 1000


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
        public = []
        for start in range(0, len(pks), CHUNK):  # a database takes only so many parameters at once
            public.extend(index.index_queryset(using=using).filter(pk__in=pks[start : start + CHUNK]))
        found = {obj.pk for obj in public}
        if public:
            work.append((index, public))
        removals.extend(f"{model._meta.label_lower}.{pk}" for pk in pks if pk not in found)
    return work, removals


def batch_for_identifiers(identifiers) -> dict:
    """{model: {pk: (identifier, False)}} for identifiers "app_label.model.pk": each is brought in line
    with the database (indexed when public, removed otherwise); unknown identifiers are skipped."""
    batch = defaultdict(dict)
    for identifier in identifiers:
        try:
            app_label, model_name, pk = identifier.split(".", 2)
            model = apps.get_model(app_label, model_name)
            batch[model][model._meta.pk.to_python(pk)] = (identifier, False)
        except (ValueError, LookupError, ValidationError):
            logger.warning("Skipping an unknown search identifier: %r", identifier)
    return batch
