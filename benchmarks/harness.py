"""Running a measurement against the test settings' throwaway databases, inside a transaction rolled back."""

import os
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent


def in_test_database(*measures) -> None:
    """Set Django up with ``tests.settings``, create the test databases, call each of `measures` inside a
    transaction of its own that is rolled back, and drop the databases."""
    sys.path.insert(0, str(BASE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction
    from django.test.utils import get_runner

    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        for measure in measures:
            with transaction.atomic():
                measure()
                transaction.set_rollback(True)
    finally:
        runner.teardown_databases(old)
