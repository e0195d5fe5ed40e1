"""The save service: created / duplicate / updated, corrections kept, atomicity, one index update."""

import pytest

from archive import indexing
from archive.ingest import import_paths, reextract
from archive.ingest import save as save_module
from archive.models import Actor, Alias, Article, Statement

ORIGINAL = (
    "Talks resume in Doha | Frontier Daily\n\n"
    "DOHA – Negotiators returned to Doha on Monday for a new round of talks on a ceasefire, officials said.\n\n"
    "“We are ready for the talks and we will stay until there is an agreement,” Taliban spokesman Suhail Shaheen "
    "told Al Jazeera.\n\n"
    "“The prisoners must be released first,” Shaheen added.\n\n"
    "A Western diplomat said that the delegations were still far apart.\n"
)
CORRECTED = ORIGINAL.replace("for a new round of talks", "for a seventh round of talks").replace(
    "A Western diplomat", "Leave a Reply\n\nA Western diplomat"
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_import_creates_article_actors_and_statements(tmp_path):
    report = import_paths([write(tmp_path, "doha.txt", ORIGINAL)])
    assert report.counts() == {"created": 1, "duplicate": 0, "updated": 0, "failed": 0}
    article = Article.objects.get()
    assert article.title == "Talks resume in Doha"
    assert article.source.name == "Frontier Daily"
    assert article.dateline == "Doha"
    assert article.import_reference == "doha.txt"
    assert article.raw_text == ORIGINAL
    assert [s.name for s in article.credited_sources.all()] == ["Al Jazeera"]
    assert {t.slug for t in article.topics.all()} == {"ceasefire", "prisoner-release"}
    statements = list(article.statements.order_by("start"))
    assert [s.kind for s in statements] == ["indirect", "direct", "direct", "indirect"]
    assert statements[0].text == "Negotiators returned to Doha on Monday for a new round of talks on a ceasefire"
    assert statements[0].speaker_description == "officials"
    shaheen = Actor.objects.get(name="Suhail Shaheen")
    assert shaheen.needs_review
    assert [s.speaker for s in statements[1:3]] == [shaheen, shaheen]
    assert statements[3].speaker is None and statements[3].speaker_description == "A Western diplomat"
    assert all(s.review_status == "extracted" for s in statements)
    assert all(article.body[s.start : s.end] == s.text for s in statements)
    assert statements[1].medium == "interview" and statements[1].said_to == "Al Jazeera"
    assert article.history.count() == 1
    assert statements[1].history.count() == 1
    assert [row.topic.slug for row in statements[0].history.first().topics.all()] == ["ceasefire"]


@pytest.mark.django_db
def test_reimport_of_the_same_file_changes_nothing(tmp_path):
    path = write(tmp_path, "doha.txt", ORIGINAL)
    import_paths([path])
    before = (
        list(Article.objects.values()),
        list(Statement.objects.values()),
        Actor.objects.count(),
        Article.history.count(),
    )
    report = import_paths([path])
    assert report.counts()["duplicate"] == 1
    after = (
        list(Article.objects.values()),
        list(Statement.objects.values()),
        Actor.objects.count(),
        Article.history.count(),
    )
    assert before == after


@pytest.mark.django_db
def test_corrected_file_updates_article_and_keeps_editor_decisions(tmp_path):
    import_paths([write(tmp_path, "doha.txt", ORIGINAL)])
    article = Article.objects.get()
    verified = article.statements.get(text__startswith="We are ready")
    verified.review_status = "verified"
    verified.said_to = "Al Jazeera English"
    verified.save()
    rejected = article.statements.get(text__startswith="the delegations")
    rejected.review_status = "rejected"
    rejected.save()

    report = import_paths([write(tmp_path, "doha.txt", CORRECTED)])
    assert report.counts()["updated"] == 1
    article.refresh_from_db()
    assert "seventh round" in article.body
    assert article.raw_text == CORRECTED
    assert Article.objects.count() == 1
    verified.refresh_from_db()
    rejected.refresh_from_db()
    assert verified.said_to == "Al Jazeera English" and verified.review_status == "verified"
    assert article.body[verified.start : verified.end] == verified.text
    assert article.body[rejected.start : rejected.end] == rejected.text
    # The rejected false positive does not come back as a new extracted statement.
    assert article.statements.filter(text=rejected.text).count() == 1
    extracted = article.statements.filter(review_status="extracted").order_by("start")
    assert [s.text for s in extracted] == [
        "Negotiators returned to Doha on Monday for a seventh round of talks on a ceasefire",
        "The prisoners must be released first",
    ]


@pytest.mark.django_db
def test_correction_that_drops_a_verified_statement_fails_and_writes_nothing(tmp_path):
    import_paths([write(tmp_path, "doha.txt", ORIGINAL)])
    article = Article.objects.get()
    article.statements.filter(text__startswith="We are ready").update(review_status="verified")
    snapshot = (article.body, list(Statement.objects.values()))
    changed = ORIGINAL.replace("we will stay until there is an agreement", "we will stay")
    report = import_paths([write(tmp_path, "doha.txt", changed)])
    assert report.counts()["failed"] == 1
    assert "no longer contains 1 verified statement" in report.failed[0].reason
    article.refresh_from_db()
    assert (article.body, list(Statement.objects.values())) == snapshot


@pytest.mark.django_db
def test_failure_inside_the_save_leaves_nothing(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise save_module.SaveError("statements could not be written")

    monkeypatch.setattr(save_module, "create_statements", broken)
    report = import_paths([write(tmp_path, "doha.txt", ORIGINAL)])
    assert report.failed[0].reason == "statements could not be written"
    assert Article.objects.count() == 0
    assert Statement.objects.count() == 0
    assert Actor.objects.count() == 0 and Alias.objects.count() == 0
    assert Article.history.count() == 0


@pytest.mark.django_db
def test_failed_article_does_not_stop_the_others(tmp_path, monkeypatch):
    original = save_module.create_statements
    calls = []

    def flaky(article, *args, **kwargs):
        calls.append(article.title)
        if len(calls) == 1:
            raise save_module.SaveError("first one breaks")
        return original(article, *args, **kwargs)

    monkeypatch.setattr(save_module, "create_statements", flaky)
    second = ORIGINAL.replace("Talks resume in Doha", "Talks go on in Doha").replace("Monday", "Tuesday")
    report = import_paths([write(tmp_path, "a.txt", ORIGINAL), write(tmp_path, "b.txt", second)])
    assert report.counts() == {"created": 1, "duplicate": 0, "updated": 0, "failed": 1}
    assert list(Article.objects.values_list("title", flat=True)) == ["Talks go on in Doha"]
    assert Actor.objects.filter(name="Suhail Shaheen").count() == 1


@pytest.mark.django_db
def test_import_updates_the_index_once(tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    calls = []
    monkeypatch.setattr(indexing, "apply_updates", lambda batch: calls.append(batch))
    paths = [
        write(tmp_path, f"doha{n}.txt", ORIGINAL.replace("Monday", f"day {n}").replace("Talks resume", f"Talks {n}"))
        for n in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        report = import_paths(paths)
    assert report.counts()["created"] == 3
    assert len(calls) == 1


@pytest.mark.django_db
def test_reextract_keeps_verified_and_rejected_and_replaces_extracted(tmp_path):
    import_paths([write(tmp_path, "doha.txt", ORIGINAL)])
    article = Article.objects.get()
    verified = article.statements.get(text__startswith="We are ready")
    verified.review_status = "verified"
    verified.medium = "statement"
    verified.save()
    rejected = article.statements.get(text__startswith="the delegations")
    rejected.review_status = "rejected"
    rejected.save()
    extracted = article.statements.get(review_status="extracted", kind="direct")
    extracted.text = extracted.text[:10]
    extracted.end = extracted.start + 10
    extracted.save()

    counts = reextract(article)
    assert counts == {"kept": 2, "removed": 2, "created": 2, "stopped": ""}
    verified.refresh_from_db()
    assert verified.medium == "statement"
    assert Statement.objects.filter(pk=rejected.pk, review_status="rejected").exists()
    assert list(
        article.statements.filter(review_status="extracted").order_by("start").values_list("text", flat=True)
    ) == [
        "Negotiators returned to Doha on Monday for a new round of talks on a ceasefire",
        "The prisoners must be released first",
    ]
    assert not Statement.objects.filter(pk=extracted.pk).exists()


@pytest.mark.django_db
def test_another_article_under_the_same_file_name_is_created_not_updated(tmp_path):
    import_paths([write(tmp_path, "index.txt", ORIGINAL)])
    other = (
        "Prisoner exchange stalls\n\n"
        "KABUL – The exchange of prisoners between the government and the Taliban stalled again on Thursday.\n\n"
        "“We have released our part of the prisoners,” Nader Nadery told reporters.\n"
    )
    (tmp_path / "later").mkdir()
    report = import_paths([write(tmp_path / "later", "index.txt", other)])
    assert report.counts()["created"] == 1
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "Prisoner exchange stalls",
        "Talks resume in Doha",
    ]


@pytest.mark.django_db
def test_unexpected_error_in_one_file_is_reported_and_the_batch_goes_on(tmp_path, monkeypatch):
    from archive.ingest import save as save_stage

    original = save_stage.extract

    def explode(body, **kwargs):
        if "Monday" in body:
            raise RuntimeError("extractor crashed")
        return original(body, **kwargs)

    monkeypatch.setattr(save_stage, "extract", explode)
    other = ORIGINAL.replace("Monday", "Tuesday").replace("Talks resume", "Talks go on")
    report = import_paths([write(tmp_path, "a.txt", ORIGINAL), write(tmp_path, "b.txt", other)])
    assert report.counts() == {"created": 1, "duplicate": 0, "updated": 0, "failed": 1}
    assert report.failed[0].reason == "Unexpected error while importing this file (RuntimeError: extractor crashed)."


@pytest.mark.django_db
def test_corrected_file_keeps_curated_metadata_and_topics(tmp_path):
    import datetime

    from archive.models import Topic

    import_paths([write(tmp_path, "doha.txt", ORIGINAL)])
    article = Article.objects.get()
    article.published_date = datetime.date(2021, 8, 1)
    article.date_precision = Article.DatePrecision.MONTH
    article.byline = "Frontier Daily staff"
    article.save()
    article.topics.set([Topic.objects.get(slug="ceasefire")])

    report = import_paths([write(tmp_path, "doha.txt", CORRECTED)])
    assert report.counts()["updated"] == 1
    article.refresh_from_db()
    assert "seventh round" in article.body and article.raw_text == CORRECTED
    assert article.published_date == datetime.date(2021, 8, 1)
    assert article.date_precision == Article.DatePrecision.MONTH
    assert article.byline == "Frontier Daily staff" and article.dateline == "Doha"
    assert [t.slug for t in article.topics.all()] == ["ceasefire"]
    assert [s.name for s in article.credited_sources.all()] == ["Al Jazeera"]
    reasons = list(article.history.values_list("history_change_reason", flat=True))
    assert reasons[0] == "Corrected text imported"
    assert not any("doha.txt" in (reason or "") for reason in reasons)
    assert article.import_reference == "doha.txt"


def test_corrected_upload_of_a_curated_article_keeps_its_date_and_topics(corpus):
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from archive.ingest import import_uploads

    name = "003_35d24c778137b6de.txt"
    article = Article.objects.get(import_reference=name)
    date, precision = article.published_date, article.date_precision
    topics = set(article.topics.values_list("slug", flat=True))
    verified = set(article.statements.filter(review_status="verified").values_list("pk", flat=True))
    raw = (settings.BASE_DIR / "fixtures" / "curation" / "raw" / name).read_text(encoding="utf-8")
    assert "These days" in raw
    corrected = raw.replace("These days", "Nowadays", 1)

    report = import_uploads([SimpleUploadedFile(name, corrected.encode("utf-8"))])
    assert report.counts()["updated"] == 1, report.results
    article.refresh_from_db()
    assert "Nowadays" in article.body
    assert (article.published_date, article.date_precision) == (date, precision)
    assert precision == Article.DatePrecision.MONTH and date.year == 2021 and date.month == 8
    assert set(article.topics.values_list("slug", flat=True)) == topics
    assert verified <= set(article.statements.values_list("pk", flat=True))
    assert article.history.first().history_change_reason == "Corrected text imported"


@pytest.mark.django_db
def test_import_strips_bidi_controls_from_title_and_new_speaker_names(tmp_path):
    text = (
        "Talks resume in \u202eDoha\u202c\n\n"
        "DOHA – Negotiators returned to Doha on Monday for a new round of talks on a ceasefire, officials said.\n\n"
        "“We are ready for the talks,” Taliban negotiator Anas \u2067Haqqani\u2069 told reporters.\n"
    )
    import_paths([write(tmp_path, "bidi.txt", text)])
    article = Article.objects.get()
    assert article.title == "Talks resume in Doha"
    names = list(Actor.objects.filter(needs_review=True).values_list("name", flat=True))
    assert names and not any(
        ch in name for name in names for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    )
    assert "Anas Haqqani" in names
