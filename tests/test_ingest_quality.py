"""The seeds import to the expected quality against the curated corpus (benchmarks/import_quality.py)."""

import pytest

from benchmarks.import_quality import measure, seed_files


@pytest.mark.django_db
def test_seeds_import_to_the_expected_quality():
    assert len(seed_files()) == 5
    figures = measure()
    assert figures["failed"] == []
    assert figures["counts"]["ref_q"] == 50
    assert figures["quote_precision"] >= 0.95, figures["misses"]
    assert figures["quote_recall"] >= 0.95, figures["misses"]
    assert figures["speaker_accuracy"] >= 0.9, figures["misses"]
    assert figures["content_lost"] == []
    assert figures["boilerplate_left_in"] == []
