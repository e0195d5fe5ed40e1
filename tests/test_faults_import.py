"""Killing an import half-way leaves no partial article: each article is saved whole or not at all."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.synthetic import write_articles
from tests.conftest import site_environment as environment

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 150

COUNTS = """
SELECT a.import_reference,
       (SELECT COUNT(*) FROM archive_statement s WHERE s.article_id = a.id),
       (SELECT COUNT(*) FROM archive_article_topics t WHERE t.article_id = a.id),
       (SELECT COUNT(*) FROM archive_historicalarticle h WHERE h.id = a.id)
FROM archive_article a
"""


def manage(env: dict, *args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **popen,
    )


def finish(process: subprocess.Popen) -> str:
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output
    return output


def article_rows(folder: Path) -> dict:
    with sqlite3.connect(folder / "archive.sqlite3", timeout=30) as db:
        return {ref: counts for ref, *counts in db.execute(COUNTS)}


def fresh_archive(folder: Path) -> dict:
    folder.mkdir()
    env = environment(folder)
    finish(manage(env, "migrate", "--noinput"))
    return env


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    folder = tmp_path_factory.mktemp("articles")
    write_articles(folder, ARTICLES)
    return folder


@pytest.fixture(scope="module")
def reference(tmp_path_factory, articles):
    """Each article's statement, topic and history counts after an import that was left to finish."""
    folder = tmp_path_factory.mktemp("reference") / "archive"
    env = fresh_archive(folder)
    finish(manage(env, "import_articles", str(articles), "--no-progress"))
    rows = article_rows(folder)
    assert len(rows) == ARTICLES
    assert all(statements > 0 for statements, _, _ in rows.values())
    return rows


def test_killed_import_leaves_only_whole_articles_and_resumes(tmp_path, articles, reference):
    folder = tmp_path / "archive"
    env = fresh_archive(folder)
    importing = manage(env, "import_articles", str(articles), "--no-progress", start_new_session=True)
    deadline = time.time() + 120
    saved = 0
    while time.time() < deadline and importing.poll() is None:
        try:
            with sqlite3.connect(folder / "archive.sqlite3", timeout=30) as db:
                saved = db.execute("SELECT COUNT(*) FROM archive_article").fetchone()[0]
        except sqlite3.OperationalError:
            saved = 0
        if saved >= ARTICLES // 4:
            break
        time.sleep(0.02)
    assert importing.poll() is None, "the import finished before it could be killed"
    os.killpg(importing.pid, signal.SIGKILL)
    importing.wait(timeout=30)
    assert importing.returncode == -signal.SIGKILL

    survivors = article_rows(folder)
    assert ARTICLES // 4 <= len(survivors) < ARTICLES
    # Every article that survived the kill is whole: all its statements, topics and its history entry.
    for reference_name, counts in survivors.items():
        assert counts == reference[reference_name], reference_name

    output = finish(manage(env, "import_articles", str(articles), "--no-progress"))
    assert f"{len(survivors)} duplicate" in output
    assert article_rows(folder) == reference
