"""The database being unavailable gives a proper 503 page, never a stack trace."""

import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings

BASE = str(settings.BASE_DIR)


@pytest.mark.urls("tests.fault_urls")
def test_database_error_in_a_view_gives_503_page(client, db):
    response = client.get("/prod-faults/database/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "The archive is temporarily unavailable" in html
    assert "Please try again in a few minutes" in html
    for leak in ("Traceback", "OperationalError", "5432", "Connection refused"):
        assert leak not in html


@pytest.mark.urls("tests.fault_urls")
def test_database_error_on_the_api_gives_json_503(client, db):
    from django.urls import path

    from tests import fault_urls

    fault_urls.urlpatterns.insert(0, path("api/prod-faults/database/", fault_urls.database_down))
    try:
        response = client.get("/api/prod-faults/database/")
    finally:
        fault_urls.urlpatterns.pop(0)
    assert response.status_code == 503
    assert response.json() == {"detail": "The archive's database is not answering. Please try again in a few minutes."}


@pytest.mark.urls("tests.fault_urls")
def test_503_page_falls_back_to_plain_html_when_the_template_fails(client, db, monkeypatch):
    from archive import middleware

    def broken_render(*args, **kwargs):
        raise RuntimeError("template needs the database")

    monkeypatch.setattr(middleware, "render_to_string", broken_render)
    response = client.get("/prod-faults/database/")
    assert response.status_code == 503
    assert "<h1>The archive is temporarily unavailable</h1>" in response.content.decode()


@pytest.mark.urls("tests.fault_urls")
def test_ordinary_bugs_are_not_disguised_as_503(client, db):
    client.raise_request_exception = False
    assert client.get("/prod-faults/bug/").status_code == 500


SCRIPT = textwrap.dedent(
    """
    import django
    django.setup()
    from django.test import Client
    client = Client(raise_request_exception=False)
    for url in ["/", "/articles/some-article/", "/actors/some-actor/", "/topics/ceasefire/", "/statements/1/"]:
        response = client.get(url)
        body = response.content.decode()
        print("RESULT", url, response.status_code, "Traceback" in body, "temporarily unavailable" in body)
    """
)


@pytest.mark.parametrize(
    "database_url",
    [
        "sqlite:////nonexistent-folder/for/archive.sqlite3",
        "postgres://postgres@127.0.0.1:1/archive_down",
    ],
    ids=["sqlite-file-missing", "postgres-refused"],
)
def test_unreachable_database_gives_503_on_every_public_page(database_url, tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    environment.update(
        DJANGO_SETTINGS_MODULE="archive.settings",
        DATABASE_URL=database_url,
        ARCHIVE_VAR_DIR=str(tmp_path),
        DATABASE_CONN_MAX_AGE="0",
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=BASE, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    assert len(lines) == 5
    for line in lines:
        _, url, status, traceback_shown, message_shown = line.split()
        assert (status, traceback_shown, message_shown) == ("503", "False", "True"), line
    # The operator still gets the cause, with its traceback, in the log on stdout.
    assert "DatabaseUnavailable" in result.stdout + result.stderr
