"""Frozen postings: a large segment's frequent terms decoded once, kept beside it, memory-mapped by searches."""

import os

import numpy as np
import pytest
from haystack import connections
from whoosh.reading import TermNotFound

from archive.search.whoosh import frozen, matching
from archive.search.whoosh.analysis import PAIRS_FIELD
from archive.search.whoosh.store import SEGMENT_CACHE
from tests.factories import ArticleFactory
from tests.search_fixtures import reindex
from tests.test_search_relevance import keys, outcome_of

pytest_plugins = ["tests.search_fixtures"]
pytestmark = pytest.mark.django_db

WORDS = ["heron", "egret", "marsh", "reed", "could", "over", "ceasefire", "talks", "kabul", "delegation"]


@pytest.fixture
def small_thresholds(monkeypatch):
    """Thresholds low enough for a test index's segments and terms to be frozen."""
    lower_thresholds(monkeypatch)


def lower_thresholds(monkeypatch):
    monkeypatch.setattr(frozen, "MIN_SEGMENT_DOCS", 50)
    monkeypatch.setattr(frozen, "MIN_POSTINGS", 20)


def corpus(n=400):
    articles = []
    for k in range(n):
        body = " ".join(WORDS[(k * step) % len(WORDS)] for step in range(1, 2 + k % 8))
        articles.append(ArticleFactory(title=f"Field notes {k}", body=f"{body} could over {k}.\n\nReport {k}."))
    return articles


def frozen_files(folder):
    return sorted(name for name in os.listdir(folder) if ".frozen_" in name)


def segments(backend):
    return [sub.reader() for sub, _ in backend.searcher().leaf_searchers()]


def test_a_bulk_update_freezes_large_segments_with_the_decoded_postings(search_index, small_thresholds):
    corpus()
    reindex()  # one bulk update of 400 documents
    backend = connections["default"].get_backend()
    folder = os.path.abspath(backend.path)
    names = frozen_files(folder)
    assert names and all(name.split(".")[0] in {r.segment().segment_id() for r in segments(backend)} for name in names)
    checked = 0
    for reader in segments(backend):
        store = frozen.load(folder, reader.segment().segment_id(), reader.doc_count_all())
        if store is None:
            continue
        for fieldname, terms in store.spans.items():
            assert fieldname in (backend.content_field_name, PAIRS_FIELD)
            for text in terms:
                ids, weights = store.get(fieldname, text)
                expected_ids, expected_weights = matching.decode_postings(reader, fieldname, text)
                assert np.array_equal(ids, expected_ids) and np.array_equal(weights, expected_weights)
                assert len(ids) >= frozen.MIN_POSTINGS
                checked += 1
        # A rare term is not frozen: it is decoded as usual.
        assert store.get(backend.content_field_name, "absentword") is None
    assert checked > 10
    assert backend.freeze() == 0  # already frozen: nothing written again


def test_searches_give_the_same_results_with_and_without_frozen_postings(client, search_index, monkeypatch):
    corpus()
    reindex()  # the default thresholds: nothing frozen in a test index
    queries = ["heron", "heron egret", '"could over"', '"heron egret"', "marsh -reed", "talks kabul delegation"]
    before = {q: keys(outcome_of(client, q=q)) for q in queries}
    backend = connections["default"].get_backend()
    assert not frozen_files(os.path.abspath(backend.path))
    lower_thresholds(monkeypatch)
    assert backend.freeze() > 0
    SEGMENT_CACHE.clear()
    decoded = []
    original = matching.decode_postings

    def counting(reader, fieldname, text):
        decoded.append(text)
        return original(reader, fieldname, text)

    matching.decode_postings = counting
    try:
        after = {q: keys(outcome_of(client, q=q)) for q in queries}
    finally:
        matching.decode_postings = original
    assert after == before
    assert sum(bool(found) for found in before.values()) >= 4
    # The frequent words came from the frozen files, not from decoding.
    assert "heron" not in decoded and "marsh" not in decoded


def test_small_segments_are_not_frozen(search_index):
    corpus(30)
    reindex()
    backend = connections["default"].get_backend()
    assert backend.freeze() == 0
    assert frozen_files(os.path.abspath(backend.path)) == []


def test_frozen_files_leave_with_their_segment(search_index, small_thresholds, django_capture_on_commit_callbacks):
    corpus()
    reindex()
    backend = connections["default"].get_backend()
    folder = os.path.abspath(backend.path)
    old = {name.split(".")[0] for name in frozen_files(folder)}
    assert old
    backend.compact()  # one new segment replaces the old ones (and is frozen in turn)
    now = {name.split(".")[0] for name in frozen_files(folder)}
    assert now and not (now & old)
    assert now == {r.segment().segment_id() for r in segments(backend)}


def test_a_rebuild_freezes_the_segments_it_builds(search_index, small_thresholds):
    corpus()
    backend = connections["default"].get_backend()
    backend.rebuild(workers=1)
    folder = os.path.abspath(backend.path)
    live = {r.segment().segment_id() for r in segments(backend)}
    assert {name.split(".")[0] for name in frozen_files(folder)} == live
    reader = segments(backend)[0]
    store = frozen.frozen_postings(reader, backend.segment_cache(reader))
    assert store is not None and ("text", "heron") in store


@pytest.mark.parametrize("damage", ["truncate ids", "other segment", "garbled table", "docnum outside"])
def test_damaged_frozen_files_are_ignored_not_trusted(search_index, small_thresholds, client, damage, monkeypatch):
    corpus()
    reindex()
    expected = keys(outcome_of(client, q="heron"))
    backend = connections["default"].get_backend()
    folder = os.path.abspath(backend.path)
    reader = max(segments(backend), key=lambda r: r.doc_count_all())
    segment_id = reader.segment().segment_id()
    ids_path, _, terms_path = (os.path.join(folder, segment_id + s) for s in (frozen.IDS, frozen.WEIGHTS, frozen.TERMS))
    if damage == "truncate ids":
        with open(ids_path, "r+b") as handle:
            handle.truncate(os.path.getsize(ids_path) // 2)
    elif damage == "other segment":
        text = open(terms_path, encoding="utf-8").read()
        open(terms_path, "w", encoding="utf-8").write(text.replace('"docs":', '"docs":1', 1))
    elif damage == "docnum outside":
        ids = np.load(ids_path, mmap_mode="r+")
        ids[len(ids) // 2] = reader.doc_count_all() + 5
        ids.flush()
        del ids
    else:
        open(terms_path, "w", encoding="utf-8").write('{"docs": 3, "spans": {"text": {"heron": [0, 99999999]}}}')
    warnings = []
    monkeypatch.setattr(frozen.logger, "warning", lambda message, *args: warnings.append(message % args))
    SEGMENT_CACHE.clear()
    assert frozen.frozen_postings(reader, backend.segment_cache(reader)) is None
    assert len(warnings) == 1 and f"segment {segment_id} are not used" in warnings[0]
    assert keys(outcome_of(client, q="heron")) == expected


def test_an_interrupted_freeze_leaves_no_files_and_loses_no_update(client, search_index, monkeypatch):
    # Freezing fails part-way (a full disk): no file is left, the bulk update it followed is committed, and
    # searches read the segment as usual.
    lower_thresholds(monkeypatch)
    original = frozen.decode_postings
    calls = []

    def fail_after_a_few(*args):
        calls.append(args)
        if len(calls) > 3:
            raise OSError("disk full")
        return original(*args)

    monkeypatch.setattr(frozen, "decode_postings", fail_after_a_few)
    warnings = []
    monkeypatch.setattr(frozen.logger, "warning", lambda message, *args, **kwargs: warnings.append(message % args))
    corpus()
    reindex()  # a bulk update of 400 documents, then the freeze that fails
    backend = connections["default"].get_backend()
    folder = os.path.abspath(backend.path)
    assert len(calls) > 3 and warnings and "were not frozen" in warnings[0]
    assert frozen_files(folder) == []
    assert not [name for name in os.listdir(folder) if name.startswith(".") and "frozen" in name]
    monkeypatch.setattr(frozen, "decode_postings", original)
    assert len(keys(outcome_of(client, q="heron"))) == 20


def test_term_bitmaps_read_from_frozen_postings_leave_deleted_documents_out(
    search_index, small_thresholds, django_capture_on_commit_callbacks
):
    articles = corpus()
    reindex()
    backend = connections["default"].get_backend()
    with django_capture_on_commit_callbacks(execute=True):
        for article in articles[::9]:
            article.delete()
    SEGMENT_CACHE.clear()
    for reader in segments(backend):
        cache = backend.segment_cache(reader)
        try:
            expected = matching.bits_from_ids(reader.postings("text", "heron").all_ids(), reader.doc_count_all())
        except TermNotFound:
            expected = 0
        assert matching.term_bits(reader, cache, "text", "heron") == expected


def test_a_running_worker_takes_up_files_written_after_it_first_looked(client, search_index, monkeypatch):
    corpus()
    reindex()  # default thresholds: nothing frozen
    backend = connections["default"].get_backend()
    lower_thresholds(monkeypatch)
    expected = keys(outcome_of(client, q="heron marsh"))  # this process looks: no files yet
    reader = max(segments(backend), key=lambda r: r.doc_count_all())
    assert frozen.frozen_postings(reader, backend.segment_cache(reader)) is None
    assert backend.freeze() > 0
    # Within RECHECK_SECONDS the process does not look again; after it, it takes the files up.
    assert frozen.frozen_postings(reader, backend.segment_cache(reader)) is None
    monkeypatch.setattr(frozen, "RECHECK_SECONDS", 0.0)
    backend.segment_cache(reader)["frozen"] = 0.0  # the next look is due
    store = frozen.frozen_postings(reader, backend.segment_cache(reader))
    assert store is not None and ("text", "heron") in store
    assert keys(outcome_of(client, q="heron marsh")) == expected


def test_temporary_files_of_a_killed_freeze_are_removed_once_stale(search_index, small_thresholds):
    corpus()
    reindex()
    backend = connections["default"].get_backend()
    folder = os.path.abspath(backend.path)
    stale, fresh = (os.path.join(folder, f"{frozen.TEMPORARY}{name}-x.frozen_ids.npy") for name in ("old", "new"))
    for path in (stale, fresh):
        with open(path, "wb") as handle:
            handle.write(b"\0" * 1024)
    hour_ago = os.path.getmtime(stale) - frozen.STALE_TEMPORARY_SECONDS - 1
    os.utime(stale, (hour_ago, hour_ago))
    backend.freeze()
    assert not os.path.exists(stale)
    assert os.path.exists(fresh)  # maybe another process's freeze still writing it
