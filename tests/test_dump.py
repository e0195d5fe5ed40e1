"""dump_archive and restore_archive: the whole archive, editors' corrections and history included, round-trips."""

import gzip
import importlib
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from archive import dumps
from archive.corpus import load_corpus
from archive.models import Actor, Alias, Article, Statement, Topic

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Every row of every archive table (history included) and of the many-to-many tables, comparable."""
    usernames = dict(get_user_model().objects.values_list("pk", "username"))
    tables = {}
    for model in dumps.all_models():
        rows = []
        for row in model._base_manager.order_by("pk").values():
            if "history_user_id" in row:
                row["history_user_id"] = usernames.get(row["history_user_id"])
            rows.append(row)
        tables[dumps.label(model)] = rows
    for model, name in ((Article, "topics"), (Article, "credited_sources"), (Statement, "topics")):
        through = getattr(model, name).through
        columns = [f.attname for f in through._meta.concrete_fields if f.is_relation]
        tables[through._meta.label_lower] = sorted(through.objects.values_list(*columns))
    return tables


@pytest.fixture
def corrected_archive(django_user_model):
    """The curated corpus, then an editor's corrections, each recorded in history."""
    load_corpus()
    editor = django_user_model.objects.create_user("editor", password="x", first_name="Ed")
    statement = Statement.objects.order_by("pk").first()
    statement._history_user = editor
    statement.said_to = "reporters in Doha"
    statement.review_status = Statement.ReviewStatus.EXTRACTED
    statement.save()
    statement.review_status = Statement.ReviewStatus.VERIFIED
    statement.save()
    statement.topics.add(Topic.objects.order_by("pk").last())
    actor = Actor.objects.get(slug="zalmay-khalilzad")
    alias = Alias(actor=actor, name="Ambassador Zed")
    alias._history_user = editor
    alias.save()
    article = Article.objects.order_by("pk").first()
    article.editor_notes = "Checked the date against the print edition."
    article._history_user = editor
    article.save()
    Statement.objects.order_by("pk").last().delete()  # a deletion's history survives too
    return editor


def flush():
    """manage.py flush, inside the test's transaction (rolled back afterwards)."""
    if connection.vendor == "postgresql":
        # PostgreSQL truncates only tables without pending deferred-constraint checks.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)


@pytest.mark.parametrize("name", ["archive.json", "archive.json.gz"])
def test_round_trip_keeps_every_row_and_all_history(corrected_archive, tmp_path, name):
    before = snapshot()
    history_rows = sum(len(rows) for label, rows in before.items() if ".historical" in label)
    assert history_rows > 400
    assert any(r["history_user_id"] == "editor" for r in before["archive.historicalstatement"])
    assert sum(1 for r in before["archive.historicalstatement"] if r["history_type"] == "-") == 1
    path = tmp_path / name
    call_command("dump_archive", str(path))
    if name.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            assert json.load(handle)["format"] == dumps.FORMAT
    flush()
    assert dumps.is_empty() and not get_user_model().objects.exists()

    call_command("restore_archive", str(path))

    after = snapshot()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    restored_editor = get_user_model().objects.get(username="editor")
    assert not restored_editor.is_active and not restored_editor.has_usable_password()
    assert restored_editor.first_name == "Ed"
    # new rows get fresh ids after the restore (sequences were moved past the restored ones)
    alias = Alias.objects.create(actor=Actor.objects.first(), name="A brand new alias")
    assert alias.pk > max(row["id"] for row in before["archive.alias"])


def test_restore_into_a_freshly_migrated_database(corrected_archive, tmp_path):
    """A new database already holds the topic vocabulary; the dump's own topics replace it."""
    path = tmp_path / "archive.json.gz"
    call_command("dump_archive", str(path))
    before = snapshot()
    flush()
    vocabulary = importlib.import_module("archive.migrations.0002_topic_vocabulary")
    vocabulary.create_topics(apps, None)
    Topic.history.all().delete()  # the migration's historical models record no history
    assert Topic.objects.count() == 12 and dumps.is_empty()
    call_command("restore_archive", str(path))
    assert snapshot() == before


def test_dump_holds_internal_fields_and_natural_keys(corrected_archive, tmp_path):
    path = tmp_path / "archive.json"
    call_command("dump_archive", str(path))
    data = json.loads(path.read_text())
    assert data["users"] == [{"username": "editor", "first_name": "Ed", "last_name": "", "email": ""}]
    assert "password" not in path.read_text()
    articles = [o for o in data["objects"] if o["model"] == "archive.article"]
    assert all(a["fields"]["raw_text"] for a in articles)
    assert any(a["fields"]["editor_notes"] == "Checked the date against the print edition." for a in articles)
    statement = next(o for o in data["objects"] if o["model"] == "archive.statement")
    assert isinstance(statement["fields"]["article"], list)  # the article's slug, a natural key
    history = next(
        o for o in data["objects"] if o["model"] == "archive.historicalstatement" and o["fields"]["history_user"]
    )
    assert history["fields"]["history_user"] == ["editor"]
    assert data["counts"]["archive.statement"] == Statement.objects.count()


def test_restore_refuses_a_non_empty_archive(corrected_archive, tmp_path):
    path = tmp_path / "archive.json"
    call_command("dump_archive", str(path))
    before = snapshot()
    with pytest.raises(CommandError, match="The archive is not empty"):
        call_command("restore_archive", str(path))
    assert snapshot() == before


def test_restore_force_replaces_the_archive(corrected_archive, tmp_path):
    path = tmp_path / "archive.json"
    call_command("dump_archive", str(path))
    before = snapshot()
    Statement.objects.all().delete()
    Alias.objects.create(actor=Actor.objects.first(), name="Someone added later")
    call_command("restore_archive", str(path), "--force")
    assert snapshot() == before


def test_restore_of_a_damaged_dump_writes_nothing(corrected_archive, tmp_path):
    path = tmp_path / "archive.json"
    call_command("dump_archive", str(path))
    data = json.loads(path.read_text())
    statement = next(o for o in data["objects"] if o["model"] == "archive.statement")
    statement["fields"]["text"] = "words the article does not hold"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data))
    flush()
    with pytest.raises(
        CommandError,
        match=r"does not match its article \(The article’s text reads .* where this statement has “words the article "
        r"does not hold”.*nothing was restored",
    ):
        call_command("restore_archive", str(broken))
    assert dumps.is_empty()


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json at all", "is not a readable JSON dump"),
        ('{"some": "thing"}', "is not an archive dump"),
        ('{"format": "peace-talks-archive-dump", "version": 99, "objects": []}', "version 99 dump"),
        ('{"format": "peace-talks-archive-dump", "version": 1, "objects": [{"model": "auth.user"}]}', "no table"),
    ],
)
def test_restore_explains_an_unreadable_file(tmp_path, content, message):
    path = tmp_path / "dump.json"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("restore_archive", str(path))
    assert dumps.is_empty()


def test_restore_of_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No dump file at"):
        call_command("restore_archive", str(tmp_path / "nothing.json"))


def test_dump_into_a_missing_folder(tmp_path):
    with pytest.raises(CommandError, match="No folder"):
        call_command("dump_archive", str(tmp_path / "no" / "such" / "dump.json"))


def test_current_models_come_after_what_they_refer_to():
    order = [m.__name__ for m in dumps.current_models()]
    assert order.index("Source") < order.index("Article") < order.index("Statement")
    assert order.index("Actor") < order.index("Alias")
    assert order.index("Topic") < order.index("Article")
