"""The curated corpus: its build, its consistency with the raw seeds, and load_corpus."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from archive.corpus import CORPUS, HISTORY_REASON, load_corpus
from archive.models import Actor, ActorRole, Alias, Article, Source, Statement
from archive.text import normalize_name
from fixtures import build_corpus
from fixtures.build_corpus import RAW_DIR, CurationError, all_actors, build, locate, render
from fixtures.curation.actors import ROLES, SEED_SPELLINGS
from fixtures.curation.articles import ARTICLES, said
from fixtures.curation.sources import SOURCES
from tests.factories import ActorFactory, ArticleFactory

# Site chrome the seeds carry around the articles; none of it may reach a body.
CHROME = [
    "Sunday, December 3, 2023",
    "| Taliban news",
    "Must read",
    "- Advertisement -spot_img",
    "Advertisement",
    "More articles",
    "Please enter your comment!",
    "Please enter your name here",
    "Latest article",
    "READ Also",
    "Written by admin",
    "#Taliban #Advance",
    "Click to rate this post!",
    "[Total: Average: ]",
    "About the author",
    "Source link",
    "Leave a Reply",
    "Your email address will not be published",
    "Scroll to top",
    "Afghanistan Update",
]

EXPECTED = {
    Source: len(SOURCES),
    Actor: len(all_actors()),
    Article: len(ARTICLES),
    Alias: sum(len(actor["aliases"]) for actor in all_actors()),
    Statement: sum(len(article["statements"]) for article in ARTICLES),
    ActorRole: sum(len(roles) for roles in ROLES.values()),
}


def raw_copy(article: Article) -> str:
    return (RAW_DIR / article.import_reference).read_bytes().decode("utf-8")


@pytest.fixture
def corpus(db):
    call_command("loaddata", str(CORPUS), verbosity=0)


def test_corpus_json_in_step_with_build_corpus():
    assert CORPUS.read_text(encoding="utf-8") == render(build())


def test_build_corpus_check_reports_stale_json(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "corpus.json"
    stale.write_text("[]\n", encoding="utf-8")
    monkeypatch.setattr(build_corpus, "CORPUS", stale)
    assert build_corpus.main(["--check"]) == 1
    assert "out of step" in capsys.readouterr().out
    assert build_corpus.main([]) == 0
    assert build_corpus.main(["--check"]) == 0
    assert stale.read_text(encoding="utf-8") == CORPUS.read_text(encoding="utf-8")


def test_locate_refuses_ambiguous_text_without_occurrence():
    body = "“Talks resume,” he said. Later: “Talks resume,” she said."
    with pytest.raises(CurationError, match="occurs 2 times"):
        locate(body, said("Talks resume", "X", kind="direct"), "test")
    assert locate(body, said("Talks resume", "X", kind="direct", occurrence=2), "test") == (33, 45)


def test_locate_refuses_quotation_marks_and_missing_text():
    body = "He said “we are ready,” and left."
    with pytest.raises(CurationError, match="outer quotation marks"):
        locate(body, said("“we are ready", "X", kind="partial"), "test")
    with pytest.raises(CurationError, match="trailing comma"):
        locate(body, said("we are ready,", "X", kind="partial"), "test")
    with pytest.raises(CurationError, match="not found"):
        locate(body, said("we are not ready", "X", kind="partial"), "test")


def test_corpus_aliases_unique_after_normalisation():
    keys = [normalize_name(name) for actor in all_actors() for name in actor["aliases"]]
    assert len(keys) == len(set(keys))
    assert all(keys)


def test_corpus_sides_have_no_affiliation_and_others_have_a_side():
    actors = {actor["name"]: actor for actor in all_actors()}
    for actor in actors.values():
        if actor["affiliation"] is not None:
            assert actors[actor["affiliation"]]["affiliation"] is None, actor["name"]
    assert all(actor["affiliation"] for actor in actors.values() if actor["kind"] == "person")


def test_chrome_list_occurs_in_the_raw_seeds():
    raws = "".join(path.read_bytes().decode("utf-8") for path in Path(RAW_DIR).glob("*.txt"))
    for phrase in CHROME:
        assert phrase in raws, phrase


def test_loaddata_loads_curated_counts(corpus):
    for model, expected in EXPECTED.items():
        assert model.objects.count() == expected, model.__name__
    assert Statement.objects.exclude(review_status="verified").count() == 0
    assert Article.objects.published().count() == len(ARTICLES)


def test_corpus_statement_spans_match_article_bodies(corpus):
    for statement in Statement.objects.select_related("article"):
        assert statement.article.body[statement.start : statement.end] == statement.text
        statement.full_clean()


def test_corpus_objects_pass_model_validation(corpus):
    for model in (Source, Actor, Article, Alias, ActorRole):
        for instance in model.objects.all():
            instance.full_clean()


def test_corpus_body_lines_are_raw_lines_in_order(corpus):
    for article in Article.objects.all():
        raw_lines = article.raw_text.split("\n")
        position = 0
        for paragraph in article.body.split("\n\n"):
            assert paragraph.strip() and "\n" not in paragraph
            position = raw_lines.index(paragraph, position) + 1


def test_corpus_raw_text_equals_committed_raw_copy(corpus):
    for article in Article.objects.all():
        assert article.raw_text == raw_copy(article)


def test_corpus_bodies_hold_no_chrome_or_title(corpus):
    for article in Article.objects.all():
        for phrase in CHROME:
            assert phrase not in article.body, (article.slug, phrase)
        assert article.title not in article.body.split("\n\n")
        assert "\n\n\n" not in article.body and article.body == article.body.strip()


def test_corpus_computed_fields_match_save(corpus):
    for article in Article.objects.all():
        expected_hash = article.content_hash
        article.save()
        assert article.content_hash == expected_hash
    for alias in Alias.objects.all():
        assert alias.normalized == normalize_name(alias.name)
    for curated in ARTICLES:
        article = Article.objects.get(import_reference=curated["raw"])
        for entry in curated["statements"]:
            statement = article.statements.get(text=entry["text"])
            expected = entry["date"] or curated["published_date"]
            assert (statement.date.isoformat() if statement.date else None) == expected


def test_corpus_every_alias_resolves_to_its_actor(corpus):
    for alias in Alias.objects.select_related("actor"):
        assert Alias.objects.resolve(alias.name) == alias.actor


def test_corpus_seed_spellings_resolve_to_their_actor(corpus):
    raws = "".join(article.raw_text for article in Article.objects.all())
    for spelling, name in SEED_SPELLINGS.items():
        assert spelling in raws, spelling
        resolved = Alias.objects.resolve(spelling)
        assert resolved is not None and resolved.name == name, spelling


def test_corpus_statement_speakers_are_actors_or_described(corpus):
    for statement in Statement.objects.all():
        assert (statement.speaker_id is None) != (statement.speaker_description == "")


def test_load_corpus_reports_what_it_loaded(db):
    out = StringIO()
    call_command("load_corpus", stdout=out)
    text = out.getvalue()
    assert f"articles: {len(ARTICLES)} created" in text
    assert f"statements: {EXPECTED[Statement]} created" in text
    for model, expected in EXPECTED.items():
        assert model.objects.count() == expected


def test_load_corpus_idempotent_on_non_empty_archive(db):
    ArticleFactory(title="An article imported before", body="Its own words.\n\nNothing curated.")
    khalilzad = ActorFactory(name="Zalmay Khalilzad", role="Edited by an editor")
    first = load_corpus()
    assert first.skipped == {"actors": 1}
    counts = {model: model.objects.count() for model in EXPECTED}
    second = load_corpus()
    assert second.total_created == 0
    assert {model: model.objects.count() for model in EXPECTED} == counts
    assert counts[Article] == len(ARTICLES) + 1
    khalilzad.refresh_from_db()
    assert khalilzad.role == "Edited by an editor"
    assert Statement.objects.filter(speaker=khalilzad).count() == sum(
        1 for article in ARTICLES for s in article["statements"] if s["speaker"] == "Zalmay Khalilzad"
    )


def test_load_corpus_leaves_statements_of_an_edited_body_alone(db):
    load_corpus()
    article = Article.objects.get(import_reference=ARTICLES[0]["raw"])
    article.body = "An editor rewrote this article entirely."
    article.save()
    article.statements.all().delete()
    report = load_corpus()
    assert report.total_created == 0
    assert article.statements.count() == 0


def test_load_corpus_history_starts_with_curated_version(db):
    load_corpus()
    for model in (Source, Actor, Alias, ActorRole, Article, Statement):
        for instance in model.objects.all():
            records = list(instance.history.all())
            assert len(records) == 1, instance
            assert records[0].history_type == "+"
            assert records[0].history_change_reason == HISTORY_REASON
            assert records[0].history_date == instance.created_at == instance.updated_at
    for model in (Article, Statement):
        for instance in model.objects.prefetch_related("topics"):
            record = instance.history.get()
            assert {row.topic_id for row in record.topics.all()} == {t.pk for t in instance.topics.all()}
    assert Article.history.filter(title=Article.objects.first().title).count() == 1


def test_load_corpus_refuses_missing_or_broken_file_and_saves_nothing(db, tmp_path):
    with pytest.raises(CommandError, match="No corpus file"):
        call_command("load_corpus", fixture=str(tmp_path / "missing.json"))
    broken = tmp_path / "broken.json"
    broken.write_text('[{"model": "archive.source", "fields": {"name": "A"', encoding="utf-8")
    with pytest.raises(CommandError, match="not a readable corpus file"):
        call_command("load_corpus", fixture=str(broken))
    entries = json.loads(CORPUS.read_text(encoding="utf-8"))
    entries[-1]["fields"]["speaker"] = ["no-such-actor"]
    bad_reference = tmp_path / "bad.json"
    bad_reference.write_text(json.dumps(entries), encoding="utf-8")
    with pytest.raises(CommandError, match="not a readable corpus file"):
        call_command("load_corpus", fixture=str(bad_reference))
    assert Article.objects.count() == 0 and Actor.objects.count() == 0


def test_corpus_actor_names_resolve_to_their_actor(corpus):
    for actor in Actor.objects.all():
        assert Alias.objects.resolve(actor.name) == actor, actor.name


def test_load_corpus_keeps_the_curation_timestamps(db, client):
    load_corpus()
    entries = json.loads(CORPUS.read_text(encoding="utf-8"))
    curated = {entry["fields"]["updated_at"] for entry in entries}
    curated_days = {stamp[:10] for stamp in curated}
    for model in (Source, Actor, Alias, Article, Statement):
        stamps = {row.updated_at.isoformat().replace("+00:00", "Z") for row in model.objects.all()}
        assert stamps <= curated, model
        assert {row.created_at for row in model.objects.all()} == {row.updated_at for row in model.objects.all()}
    # What says when a record last changed says so from the curation, not from the moment of loading.
    for section in ("articles", "actors", "statements"):
        sitemap = client.get(f"/sitemap-{section}.xml").content.decode()
        days = {line.split("<lastmod>")[1][:10] for line in sitemap.split("\n") if "<lastmod>" in line}
        assert days and days <= curated_days, section
    atom = client.get("/feeds/articles/atom/").content.decode()
    updated = {part.split("</updated>")[0][:10] for part in atom.split("<updated>")[1:]}
    assert updated and updated <= curated_days


def test_corpus_roles_show_on_statements_of_their_dates(corpus):
    """The curated roles decide what the corpus's statements show: the envoy's 2019 statements carry his
    appointment (from September 2018), Ghani's of August 2021 the presidency he left on the 15th."""
    khalilzad = Statement.objects.filter(speaker__slug="zalmay-khalilzad", date__year=2019).first()
    assert khalilzad.speaker_role.title == "US Special Representative for Afghanistan Reconciliation"
    ghani = Statement.objects.filter(speaker__slug="ashraf-ghani").first()
    assert ghani.speaker_role.label == "President of Afghanistan"
    naeem = Statement.objects.filter(speaker__slug="mohammad-naeem").first()
    assert naeem.speaker_role.label == "Spokesman of the Taliban political office in Doha"
    assert set(ActorRole.objects.values_list("actor__slug", flat=True)) == {
        "zalmay-khalilzad", "ashraf-ghani", "abdullah-abdullah", "abdul-ghani-baradar", "antony-j-blinken",
        "ned-price", "jake-sullivan", "zabihullah-mujahid", "mohammad-naeem",
    }  # fmt: skip


def test_load_corpus_keeps_a_role_an_editor_already_recorded(db):
    price = ActorFactory(name="Ned Price")
    ActorRole.objects.create(actor=price, title="State Department spokesperson", source_note="Edited by an editor")
    load_corpus()
    assert list(price.roles.values_list("source_note", flat=True)) == ["Edited by an editor"]


def test_build_refuses_a_role_of_an_actor_not_in_the_corpus(monkeypatch):
    from fixtures.curation import actors

    monkeypatch.setitem(actors.ROLES, "Mike Pompeo", [{"title": "Secretary of State", "organisation": None,
                        "start": None, "end": None, "source_note": "x"}])  # fmt: skip
    monkeypatch.setattr(build_corpus, "ROLES", actors.ROLES)
    with pytest.raises(CurationError, match="not a curated actor"):
        build()
