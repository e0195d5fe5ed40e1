"""The archive's Whoosh engine: the archive's analysis as Whoosh tokens, sorting, facets, spelling, reopening."""

import datetime
from pathlib import Path

import pytest
from haystack import connections
from haystack.query import SearchQuerySet

from archive.models import Article
from archive.search import selectors
from archive.search.analysis import fold_word, terms
from archive.search.whoosh import analysis, matching, merge, patches, sorting, spelling
from archive.search.whoosh import backend as whoosh_backend
from archive.search.whoosh.scoring import substance_priors
from tests.factories import ActorFactory, ArticleFactory, TopicFactory
from tests.search_fixtures import reindex

pytest_plugins = ["tests.search_fixtures"]
pytestmark = pytest.mark.django_db

BODY = (Path(__file__).resolve().parent.parent / "fixtures/curation/bodies/000_10006c2c0219d158.txt").read_text()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"mode": "index", "positions": True},
        {"mode": "index", "positions": True, "start_pos": 7},
        {"mode": "index"},
        {"no_morph": True},
        {"mode": "query"},
        {"mode": "index", "positions": True, "chars": True},
    ],
)
def test_analyzer_gives_the_archives_terms_as_whoosh_tokens(kwargs):
    text = BODY + " U.S. 3.14 co-operation I a an the NEGOTIATIONS Négociations cease-fire al-Qaeda’s"
    tokens = [
        (t.text, getattr(t, "pos", None), getattr(t, "startchar", None), getattr(t, "endchar", None))
        for t in analysis.ArchiveStemmingAnalyzer()(text, **kwargs)
    ]
    assert len(tokens) > 500
    if kwargs.get("no_morph"):
        assert tokens[-3:] == [
            ("negociations", None, None, None),
            ("ceasefire", None, None, None),
            ("qaeda", None, None, None),
        ]
        return
    assert [t[0] for t in tokens] == terms(text)
    assert [t[0] for t in tokens][-8:] == ["us", "314", "co", "oper", "negoti", "negoci", "ceasefir", "qaeda"]
    if kwargs.get("positions"):
        start = kwargs.get("start_pos", 0)
        assert [t[1] for t in tokens] == list(range(start, start + len(tokens)))
    if kwargs.get("chars"):
        # Each span holds its word (a compound's span covers its parts: "al Qaeda" for "qaeda").
        assert all(word[:2] in fold_word(text[s:e]) for word, _, s, e in tokens if word.isalpha())
        assert text[tokens[-2][2] : tokens[-2][3]] == "cease-fire"


def test_edit_distance():
    assert spelling.edit_distance("ceasfire", "ceasefire") == 1
    assert spelling.edit_distance("khalilzhad", "khalilzad") == 1
    assert spelling.edit_distance("abcd", "abdc") == 1
    assert spelling.edit_distance("", "abc") == 3


def test_spelling_helpers(archive):
    backend = connections["default"].get_backend()
    assert backend.known_word("negotiations") and backend.known_word("Negotiate")
    assert not backend.known_word("ceasfire")
    assert backend.suggest_word("ceasfire") == "ceasefire"
    assert backend.suggest_word("agreemnt") == "agreement"
    assert backend.suggest_word("qqqqqqqq") is None


def test_sorting_puts_undated_documents_last(archive):
    for sort in ("newest", "oldest"):
        outcome = selectors.search({"q": "taliban", "sort": sort})
        types = [h.type for h in outcome.results]
        assert "actor" in types
        dated = [h.date for h in outcome.results if h.date]
        assert dated == sorted(dated, reverse=sort == "newest")
        assert types.index("actor") > max(i for i, h in enumerate(outcome.results) if h.date)


def test_date_order_walk_matches_direct_sort(search_index, monkeypatch):
    for n in range(30):
        ArticleFactory(
            title=f"Dated {n}",
            body=f"Dated item {n}.\n\nText.",
            published_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=(n * 7) % 30),
        )
    ArticleFactory(title="Undated", body="Dated item undated.\n\nText.", published_date=None, date_precision="unknown")
    reindex()
    direct = [h.pk for h in selectors.search({"q": "dated", "sort": "newest", "page": "2"}).results]
    monkeypatch.setattr(sorting, "SMALL_SORT", 3)  # walk the cached date order instead
    walked = [h.pk for h in selectors.search({"q": "dated", "sort": "newest", "page": "2"}).results]
    assert walked == direct and len(direct) == 11


def test_facet_counts_match_filtered_counts(archive):
    outcome = selectors.search({"q": "said"})
    for param, values in outcome.facets.items():
        for facet in values:
            filtered = selectors.search({"q": "said", param: facet.value})
            assert filtered.total == facet.count, (param, facet.value)


def test_facet_counts_are_the_same_from_bitmaps_and_from_value_tables(
    archive, monkeypatch, django_capture_on_commit_callbacks
):
    # Few matches are counted from the segment's value table, many by intersecting bitmaps; both give the
    # same counts, a deleted document left out, and those counts are what filtering finds.
    from archive.search.whoosh import facets as whoosh_facets

    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(title="Taliban reject truce call").delete()
    found = {}
    for way, share in (("bitmaps", 0.0), ("value table", 1e9)):
        monkeypatch.setattr(whoosh_facets, "LOOKUP_SHARE", share)
        found[way] = {q: selectors.search({"q": q}).facets for q in ("said", "ceasefire", "Khalilzad", "taliban")}
    assert found["bitmaps"] == found["value table"]
    assert sum(len(values) for values in found["bitmaps"]["said"].values()) > 10
    for param, values in found["value table"]["said"].items():
        for facet in values:
            assert selectors.search({"q": "said", param: facet.value}).total == facet.count, (param, facet.value)


def test_facet_counts_follow_new_segments(archive):
    topic = TopicFactory(name="Ceasefire")
    before = {f.value: f.count for f in selectors.search({"q": "ceasefire"}).facets["topic"]}
    article = ArticleFactory(title="Another ceasefire", body="A ceasefire was announced.\n\nText.")
    article.topics.add(topic)
    reindex()
    after = {f.value: f.count for f in selectors.search({"q": "ceasefire"}).facets["topic"]}
    assert after["ceasefire"] == before["ceasefire"] + 1


def test_index_reopens_after_it_is_deleted(search_index):
    article = ArticleFactory(title="Reopen", body="The osprey report.\n\nText.")
    backend = connections["default"].get_backend()
    backend.delete_index()
    reindex()
    assert SearchQuerySet().filter(content="osprey").count() == 1
    ActorFactory(name="Osprey Watcher")
    reindex()
    assert SearchQuerySet().filter(content="osprey").count() == 2
    assert {(h.type, h.pk) for h in selectors.search({"q": "osprey"}).results} >= {("article", article.pk)}


def test_bitmaps_round_trip():
    ids = [0, 1, 7, 8, 9, 63, 64, 1000, 4095]
    bits = matching.bits_from_ids(iter(ids), 4096)
    assert bits.bit_count() == len(ids)
    assert matching.ids_from_bits(bits) == ids
    assert matching.ids_from_bits(0) == []


def test_counts_leave_out_replaced_and_deleted_documents(archive, django_capture_on_commit_callbacks):
    before = selectors.search({"q": "said"}).total
    from_source = selectors.search({"q": "said", "source": archive["aljazeera"].slug}).total
    assert from_source == 2  # the Doha and Kabul articles
    doha = archive["doha"]
    with django_capture_on_commit_callbacks(execute=True):
        doha.title = "Envoy hopeful as talks resume"
        doha.save()
    # The old version is deleted in its segment, the new one added in another: counted once.
    assert selectors.search({"q": "said"}).total == before
    assert selectors.search({"q": "said", "source": archive["aljazeera"].slug}).total == from_source
    with django_capture_on_commit_callbacks(execute=True):
        archive["later"].delete()
    outcome = selectors.search({"q": "said"})
    assert outcome.total == before - 1
    assert {f.value: f.count for f in outcome.facets["year"]}.get("2021") is None


def test_deep_pages_reuse_one_ranking(search_index, monkeypatch):
    for n in range(25):
        ArticleFactory(title=f"Deep {n}", body=f"Deep item {n} deep.\n\nText.")
    reindex()
    shallow = [(h.type, h.pk) for h in selectors.search({"q": "deep"}).iter_all(batch_size=6)]
    monkeypatch.setattr(whoosh_backend, "DEEP_PAGE", 5)
    deep = [(h.type, h.pk) for h in selectors.search({"q": "deep"}).iter_all(batch_size=6)]
    assert deep == shallow and len(deep) == 25
    newest = [(h.type, h.pk) for h in selectors.search({"q": "deep", "sort": "newest"}).iter_all(batch_size=6)]
    assert sorted(newest) == sorted(shallow)


def test_saves_merge_only_small_segments(search_index, monkeypatch):
    monkeypatch.setattr(merge, "MERGE_TIERS", ((5, 3),))
    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Article)
    big = [ArticleFactory(title=f"Big {n}", body=f"Big batch {n}.\n\nText.") for n in range(8)]
    backend.update(index, list(index.index_queryset().filter(pk__in=[a.pk for a in big])))
    big_segment = [s.segment_id() for s in backend.index.refresh()._segments()]
    assert len(big_segment) == 1
    for n in range(7):
        article = ArticleFactory(title=f"Single {n}", body=f"Single save {n}.\n\nText.")
        backend.update(index, list(index.index_queryset().filter(pk=article.pk)))
        segments = backend.index.refresh()._segments()
        assert big_segment[0] in {s.segment_id() for s in segments}
        assert len(segments) <= 1 + 3
    assert SearchQuerySet().filter(content="single").count() == 7
    assert SearchQuerySet().filter(content="big").count() == 8


def test_refresh_reuses_readers_of_unchanged_segments(search_index):
    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Article)
    first = [ArticleFactory(title=f"Kept {n}", body=f"Kept segment {n}.\n\nText.") for n in range(3)]
    backend.update(index, list(index.index_queryset().filter(pk__in=[a.pk for a in first])))
    before = {r.segment().segment_id(): r for r, _ in backend.searcher().reader().leaf_readers()}
    added = ArticleFactory(title="Added", body="Added later.\n\nText.")
    backend.update(index, list(index.index_queryset().filter(pk=added.pk)))
    after = {r.segment().segment_id(): r for r, _ in backend.searcher().reader().leaf_readers()}
    kept = set(before) & set(after)
    assert kept and all(after[segment] is before[segment] for segment in kept)
    assert len(after) == len(before) + 1
    # A segment whose deletions changed is reopened, so deleted documents stay hidden.
    backend.update(index, list(index.index_queryset().filter(pk=first[0].pk)))
    assert SearchQuerySet().filter(content="kept").count() == 3


def test_reader_retry_after_a_removed_segment_does_not_close_readers_twice(search_index):
    """FileIndex.reader retries with the same `reuse` after an IOError; leftover readers are closed once."""
    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Article)
    for n in range(2):  # two updates: two segments
        article = ArticleFactory(title=f"Segment {n}", body=f"Segment text {n}.\n\nMore.")
        backend.update(index, list(index.index_queryset().filter(pk=article.pk)))
    ix = backend.index
    reuse = ix.reader()  # a reader of its own: the backend's cached searcher stays untouched
    info = ix._read_toc()
    assert len(info.segments) >= 2
    # As after a merge that removed the first segment: the first attempt closes its reader, the retry
    # (same `reuse`) finds it closed and must leave it so, not raise ReaderClosed.
    for _ in range(2):
        reader = patches.FileIndex._reader(ix.storage, info.schema, info.segments[1:], info.generation, reuse=reuse)
    assert reader.doc_count() == sum(s.doc_count() for s in info.segments[1:])


@pytest.mark.parametrize(
    "query",
    ["ceasefire", "taliban ceasefire", '"prisoner release"', "ceasefire OR withdrawal", "ceasefire -truce", "kabul"],
)
def test_vectorised_ranking_equals_whoosh_scoring(search_index, query):
    words = ["ceasefire", "taliban", "prisoner", "release", "withdrawal", "truce", "kabul", "talks"]
    for n in range(40):
        body = " ".join(words[(n * k) % len(words)] for k in range(1, 4 + n % 9))
        ArticleFactory(title=f"Item {n}", body=f"{body} {'filler ' * (n % 7)}.\n\nPrisoner release {n}.")
    reindex()
    backend = connections["default"].get_backend()
    searcher = backend.searcher()
    q = backend.parse(query)
    top = searcher.search(q, limit=None)
    # Whoosh's BM25F times the substance prior of each document.
    prior = {}
    for sub, offset in searcher.leaf_searchers():
        for d, value in enumerate(substance_priors(sub.reader(), backend.segment_cache(sub.reader()))):
            prior[d + offset] = value
    assert set(prior.values()) != {1.0}  # the bodies differ in length: some fall short of substantial
    scored = [(top.docnum(i), top.score(i) * prior[top.docnum(i)]) for i in range(top.scored_length())]
    whoosh = [(d, round(s, 4)) for d, s in sorted(scored, key=lambda item: (-item[1], item[0]))]
    ours = [(d, round(s, 4)) for d, s in backend.top(searcher, q, backend.matches(searcher, q), 10_000)]
    assert whoosh and ours == whoosh
    assert [d for d, _ in backend.top(searcher, q, backend.matches(searcher, q), 5)] == [d for d, _ in whoosh[:5]]


def test_bulk_updates_merge_by_size_class(search_index, monkeypatch):
    monkeypatch.setattr(merge, "BULK_MERGE_FACTOR", 3)
    backend = connections["default"].get_backend()
    monkeypatch.setattr(backend, "bulk_threshold", 2)
    index = connections["default"].get_unified_index().get_index(Article)
    backend.clear()
    counts = []
    for batch in range(9):
        articles = [
            ArticleFactory(title=f"Bulk {batch} {n}", body=f"Bulk batch {batch} item {n}.\n\nText.") for n in range(2)
        ]
        backend.update(index, list(index.index_queryset().filter(pk__in=[a.pk for a in articles])))
        counts.append(len(backend.index.refresh()._segments()))
    # A batch's commit merges the earlier segments of one size class with its own documents.
    # Three segments of one size class (1-9 documents) merge into the batch's own segment; the
    # 14-document result is in the next class and is left alone by later batches.
    assert counts == [1, 2, 3, 1, 2, 3, 1, 2, 3]
    assert [s.doc_count_all() for s in backend.index.refresh()._segments()] == [14, 2, 2]
    assert SearchQuerySet().filter(content="bulk").count() == 18


def test_term_bitmaps_from_block_decoding_match_whooshs_own_postings(search_index, django_capture_on_commit_callbacks):
    # Enough documents for several posting blocks, some deleted: the vector path gives what Whoosh's
    # own matcher gives, deletions left out.
    from whoosh.reading import TermNotFound

    articles = [
        ArticleFactory(title=f"Report {n}", body=f"The heron count {n}.\n\nMore text {'egret' if n % 3 else ''}.")
        for n in range(300)
    ]
    reindex()
    with django_capture_on_commit_callbacks(execute=True):
        for article in articles[::7]:
            article.delete()
    backend = connections["default"].get_backend()
    searcher = backend.searcher()
    checked = 0
    for sub, _ in searcher.leaf_searchers():
        reader = sub.reader()
        for word in ("heron", "egret", "report", "absentword"):
            try:
                expected = matching.bits_from_ids(reader.postings("text", word).all_ids(), reader.doc_count_all())
            except TermNotFound:
                expected = 0
            assert matching.term_bits(reader, {}, "text", word) == expected
            checked += 1
    assert checked >= 4


def bird_articles(django_capture_on_commit_callbacks) -> None:
    """150 short articles in two posting blocks, with phrases in and out of order, every eleventh deleted."""
    bodies = [
        "The heron flew over the marsh.",
        "Over the marsh flew a heron.",
        "A heron heron flew twice, heron flew again.",
        "The marsh heron flew.",
        "Nothing about birds here.",
    ]
    articles = [ArticleFactory(title=f"Birds {n}", body=f"{body}\n\nReport {n}.") for n, body in enumerate(bodies * 30)]
    reindex()
    with django_capture_on_commit_callbacks(execute=True):
        for article in articles[::11]:
            article.delete()


def test_phrase_position_check_agrees_with_whooshs_phrase_matcher(search_index, django_capture_on_commit_callbacks):
    bird_articles(django_capture_on_commit_callbacks)
    from whoosh import query as wq

    searcher = connections["default"].get_backend().searcher()
    for sub, _ in searcher.leaf_searchers():
        reader = sub.reader()
        everyone = [d for d in range(reader.doc_count_all()) if not reader.is_deleted(d)]
        for words in (["heron", "flew"], ["heron", "heron", "flew"], ["flew", "heron"], ["marsh", "heron", "flew"]):
            expected = sorted(wq.Phrase("text", words).matcher(sub).all_ids())
            assert matching.phrase_documents(reader, "text", words, everyone) == expected, words
        assert matching.phrase_documents(reader, "text", ["heron", "absentword"], everyone) == []


def test_warmed_facet_tables_are_the_ones_the_search_page_counts(archive):
    from archive.search.facets import FACETS

    assert whoosh_backend.WARM_FACETS[0] == tuple(sorted(field for field, _, _ in FACETS.values()))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        'Qa’ida\'s U.S. envoy — cease-fire, al-Qaeda; Tōlō said: "no"',
        "word",
        "…trailing words and 2020-02-29 numbers_with_underscores",
        BODY,
    ],
)
def test_text_words_and_spans_are_those_of_each_word_match(text):
    # The words of a text are found by one split; each is the folded word of a regex match, with its span.
    from archive.search import analysis as text_analysis

    expected = [(fold_word(m.group()), *m.span()) for m in text_analysis._WORD.finditer(text)]
    if text_analysis._FIRSTS.isdisjoint(w for w, _, _ in expected):
        assert text_analysis.words(text) == expected
    spans = [(start, end) for _, start, end in text_analysis.words(text)]
    assert all(text[start:end].strip() for start, end in spans)
    assert spans == sorted(spans)


@pytest.mark.parametrize(
    "query",
    [
        '"heron flew" OR marsh',
        'marsh OR "heron flew" OR "flew heron"',
        '"heron flew" AND marsh',
        'marsh AND NOT "heron flew"',
        '("heron flew" OR "marsh heron") AND (birds OR marsh)',
        '(report AND "heron heron flew") OR ("over the marsh" AND NOT heron)',
        'NOT "heron flew"',
    ],
)
def test_phrases_inside_and_and_or_match_as_whoosh_matches_them(
    search_index, django_capture_on_commit_callbacks, query
):
    # A phrase's positions are checked only where its AND or OR still needs the answer; the documents
    # matched are those of Whoosh's own matchers, deletions left out.
    bird_articles(django_capture_on_commit_callbacks)
    backend = connections["default"].get_backend()
    searcher = backend.searcher()
    q = backend.parse(query)
    expected = sorted(searcher.search(q, limit=None).docs())
    from archive.search.whoosh.store import SEGMENT_CACHE

    SEGMENT_CACHE.clear()  # no phrase answered from an earlier query
    found = sorted(
        d + offset for sub, offset, bits in backend.matches(searcher, q) for d in matching.ids_from_bits(bits)
    )
    assert found == expected and expected
    # A phrase answered only in part inside that query is not remembered as its whole answer.
    for phrase in ('"heron flew"', '"flew heron"', '"marsh heron"', '"heron heron flew"'):
        alone = backend.parse(phrase)
        whole = sorted(searcher.search(alone, limit=None).docs())
        matched = backend.matches(searcher, alone)
        assert sorted(d + offset for _, offset, bits in matched for d in matching.ids_from_bits(bits)) == whole
