"""Writes on stances and relations: confirmations and rejections by editors, with history."""

from django.db import transaction

from archive.positions.models import ReviewStatus
from archive.revert import _stamp


def set_review_status(rows, status: str, user=None) -> int:
    """Confirm or reject stances or relations (suggestions or earlier decisions); returns how many changed."""
    if status not in ReviewStatus.values:
        raise ValueError(f"Unknown review status {status!r}.")
    label = ReviewStatus(status).label.lower()
    changed = 0
    with transaction.atomic():
        for row in rows:
            if row.review_status == status:
                continue
            row.review_status = status
            _stamp(row, user, f"Review: {label}")
            row.save(update_fields=["review_status", "updated_at"])
            changed += 1
    return changed
