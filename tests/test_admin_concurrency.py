"""Two editors on the same object: a save over a newer version gets the conflict page, never a silent
overwrite; SQLite writers wait for each other instead of failing with "database is locked"."""

import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory, StatementFactory
from tests.test_admin_bounded import form_data

pytestmark = pytest.mark.django_db


def editor(name):
    user = get_user_model().objects.create_superuser(name, f"{name}@example.org", "a-long-pass-phrase")
    client = Client()
    client.force_login(user)
    return client


def test_two_editors_title_then_stale_notes_loses_nothing():
    article = ArticleFactory(title="Talks resume in Doha", editor_notes="")
    StatementFactory(article=article)
    url = reverse("admin:archive_article_change", args=[article.pk])
    amina, bilal = editor("amina"), editor("bilal")
    amina_form, bilal_form = form_data(amina.get(url)), form_data(bilal.get(url))

    amina_form["title"] = "Talks resume in Doha after a pause"
    assert amina.post(url, amina_form).status_code == 302

    bilal_form["editor_notes"] = "Check the dateline against the wire copy."
    response = bilal.post(url, bilal_form)
    assert response.status_code == 409
    html = response.content.decode()
    assert "were not saved" in html and "amina" in html
    assert "Talks resume in Doha after a pause" in html  # the saved title, beside his
    assert "Check the dateline against the wire copy." in html  # his notes are not lost either
    article.refresh_from_db()
    assert article.title == "Talks resume in Doha after a pause"
    assert article.editor_notes == ""

    # He saves his version deliberately from the conflict page: the page re-posts his values and the
    # current version, so the save goes through (and it is his choice, shown in history).
    reposted = dict(response.context["reposted"])
    reposted["_archive_version"] = response.context["current_version"]
    reposted["title"] = "Talks resume in Doha after a pause"  # he keeps her title
    for key, values in ((k, v) for k, v in response.wsgi_request.POST.lists() if len(v) > 1):
        reposted[key] = values
    assert bilal.post(url, reposted).status_code == 302
    article.refresh_from_db()
    assert article.title == "Talks resume in Doha after a pause"
    assert article.editor_notes == "Check the dateline against the wire copy."


def test_a_form_without_its_version_is_not_saved_over_the_row():
    article = ArticleFactory(title="Original")
    url = reverse("admin:archive_article_change", args=[article.pk])
    client = editor("amina")
    data = form_data(client.get(url))
    del data["_archive_version"]
    data["title"] = "Changed blindly"
    assert client.post(url, data).status_code == 409
    article.refresh_from_db()
    assert article.title == "Original"


def test_conflict_on_a_statement_form_too():
    statement = StatementFactory()
    url = reverse("admin:archive_statement_change", args=[statement.pk])
    first, second = editor("amina"), editor("bilal")
    a, b = form_data(first.get(url)), form_data(second.get(url))
    a["said_to"] = "reporters in Doha"
    assert first.post(url, a).status_code == 302
    b["kind"] = "partial"
    assert second.post(url, b).status_code == 409
    statement.refresh_from_db()
    assert (statement.said_to, statement.kind) == ("reporters in Doha", "direct")


def test_sqlite_writers_take_the_lock_up_front_and_wait(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DATABASE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="archive.settings", ARCHIVE_VAR_DIR=str(tmp_path))
    code = "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS']; print(o['transaction_mode'], o['timeout'])"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=str(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
    )
    mode, timeout = result.stdout.split()[-2:]
    assert mode == "IMMEDIATE" and float(timeout) >= 5


WRITER = textwrap.dedent(
    """
    import os, sys, time
    import django
    django.setup()
    from django.db import OperationalError, transaction
    from archive.models import Article
    pk, name, rounds = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    locked = 0
    for n in range(rounds):
        try:
            with transaction.atomic():
                article = Article.objects.get(pk=pk)  # a read first: the lock must still be waited for
                article.editor_notes = f"{name} {n}"
                time.sleep(0.01)
                article.save()
        except OperationalError as error:
            if "locked" in str(error):
                locked += 1
            else:
                raise
    print(locked)
    """
)


def test_concurrent_sqlite_writers_get_no_database_is_locked(tmp_path):
    """Four processes save the same article for a while on a SQLite file (whatever database the tests
    use: this is SQLite's own behaviour); each waits for the write lock instead of failing."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DATABASE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="archive.settings", ARCHIVE_VAR_DIR=str(tmp_path))
    base = str(settings.BASE_DIR)
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=base,
        env=env,
        capture_output=True,
        text=True,
    )
    assert migrate.returncode == 0, migrate.stderr
    make = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from tests.factories import ArticleFactory; print(ArticleFactory().pk)"],
        cwd=base, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert make.returncode == 0, make.stderr
    pk = make.stdout.split()[-1]
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    env["PYTHONPATH"] = base
    writers = [
        subprocess.Popen([sys.executable, str(script), pk, f"w{i}", "25"], cwd=base, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(4)
    ]  # fmt: skip
    results = [w.communicate(timeout=300) for w in writers]
    for (out, err), writer in zip(results, writers, strict=True):
        assert writer.returncode == 0, err
        assert out.split()[-1] == "0", f"'database is locked' {out.split()[-1]} times"
