"""Bounded work for any input: extraction reads in linear time, and an absurd article is flagged, not read."""

import datetime

import pytest

from archive.ingest import import_paths
from archive.ingest.extract import attribution, extract, mentions
from archive.models import Article, Statement
from benchmarks.synthetic import quote_dense_text, quoted_lines_text


def characters_read(monkeypatch, text):
    """Characters handed to the subject and clause readers while extracting `text` (limit lifted)."""
    read = []
    original_subject, original_end = mentions.subject_before, attribution._clause_end

    def subject_before(prefix):
        read.append(len(prefix))
        return original_subject(prefix)

    def clause_end(body, start, end):
        read.append(end - start)
        return original_end(body, start, end)

    monkeypatch.setattr(attribution, "subject_before", subject_before)
    monkeypatch.setattr(attribution, "_clause_end", clause_end)
    extract(text, limit=10**9)
    return sum(read)


@pytest.mark.parametrize("shape", ["sentences", "run-on"])
def test_extraction_reads_each_part_of_a_long_paragraph_a_bounded_number_of_times(monkeypatch, shape):
    # One paragraph of quotations and reported speech: doubling it must not much more than double the reading.
    small = characters_read(monkeypatch, quote_dense_text(20_000, seed=1, shape=shape))
    large = characters_read(monkeypatch, quote_dense_text(80_000, seed=2, shape=shape))
    assert small > 0
    assert large < 4 * small * 1.3


def test_extraction_past_the_statement_limit_stops_with_a_reason():
    # Far more quotations than the limit are counted before anything is read ...
    stopped = extract(quoted_lines_text(2_500, seed=3))
    assert stopped.drafts == []
    assert "Statement extraction stopped" in stopped.stopped and "1,000" in stopped.stopped
    # ... and statements are counted as they are found (here 600 quotations and 600 reported claims).
    lines = [
        f"“The round number {n} will go ahead as planned,” Zalmay Khalilzad said."
        if n % 2
        else f"Zalmay Khalilzad said that round {n} would go ahead as planned."
        for n in range(1_200)
    ]
    stopped = extract("\n\n".join(lines))
    assert stopped.drafts == [] and "Statement extraction stopped" in stopped.stopped
    within = extract("\n\n".join(lines[:40]))  # 20 quotations and 20 claims
    assert len(within.drafts) == 40 and within.stopped == ""


@pytest.mark.django_db
def test_import_of_a_text_with_absurdly_many_statements_is_flagged_for_an_editor(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text(quoted_lines_text(2_500, seed=5), encoding="utf-8")
    report = import_paths([path])
    (result,) = report.results
    assert result.status == "created" and result.statements == 0
    assert "Statement extraction stopped" in result.notice
    assert "Statement extraction stopped" in report.as_text()
    article = Article.objects.get(pk=result.article_id)
    assert article.extraction_stopped == result.notice
    assert not Statement.objects.filter(article=article).exists()


@pytest.mark.django_db
def test_reextraction_clears_the_flag_once_the_text_is_an_article_again(tmp_path):
    from archive.ingest import reextract

    path = tmp_path / "list.txt"
    path.write_text(quoted_lines_text(2_500, seed=6), encoding="utf-8")
    article = Article.objects.get(pk=import_paths([path]).results[0].article_id)
    article.body = "Talks resumed.\n\n“We are ready to sign the agreement this month,” Suhail Shaheen told reporters."
    article.save()
    outcome = reextract(article)
    article.refresh_from_db()
    assert outcome["stopped"] == "" and article.extraction_stopped == ""
    assert outcome["created"] == 1


def finishes_within(seconds: float, function, *args):
    """Run `function(*args)` under an alarm: a pattern that backtracks exponentially never returns."""
    import signal

    def give_up(*_):
        raise TimeoutError(f"{function.__name__} did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    "line",
    [
        "KABUL, March 2, 2020 – Tribal elders met in the capital on Monday to press both sides on the exchange.",
        "Published: 14 September 2020 at 09:12 GMT, and the rest of this line is the lead of the story itself.",
        "DOHA, Sept. 12, 2020, 10:30 a.m. – The delegations took their seats in a hotel ballroom for the opening.",
    ],
)
def test_a_dated_dateline_that_opens_the_lead_is_read_at_once_and_kept(line):
    # The date-only-line pattern used to try exponentially many ways to end such a line before refusing it.
    from archive.ingest.clean import clean_text, is_chrome

    assert finishes_within(10, is_chrome, line) is False
    article = finishes_within(10, clean_text, f"Elders press both sides\n\n{line}\n\n“We want it done,” an elder said.")
    assert article.paragraphs[0] == line


def test_the_date_a_dateline_prints_becomes_the_articles_date():
    from archive.ingest.clean import clean_text

    article = clean_text(
        "Elders press both sides\n\nKABUL, March 2, 2020 – Tribal elders met in the capital on Monday.\n\n"
        "“We want the exchange this week,” said Haji Wahid, an elder from Logar."
    )
    assert (article.dateline, article.published_date, article.date_precision) == (
        "Kabul",
        datetime.date(2020, 3, 2),
        "day",
    )


def test_trailing_words_are_stripped_in_linear_time_from_a_long_run_of_spaces():
    # What a subject reader strips from the end of a sentence is a few words: a long run of spaces or a very
    # long sentence before the verb is read near its end only.
    from archive.ingest.extract.words import ADVERB, TRAILING_FILLER, TRAILING_TIME, strip_trailing

    spaced = "The envoy" + " " * 20_000 + "x reportedly also"
    assert finishes_within(10, strip_trailing, spaced, ADVERB, TRAILING_FILLER, TRAILING_TIME).endswith("x")
    assert strip_trailing("The envoy on Monday reportedly also", ADVERB, TRAILING_TIME) == "The envoy"
