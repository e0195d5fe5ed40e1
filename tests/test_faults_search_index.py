"""A missing or damaged search index gives a clear message; rebuilding the index recovers."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from whoosh import fields, index

INDEX_PATH = Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])
pytestmark = pytest.mark.skipif(
    not settings.HAYSTACK_CONNECTIONS["default"]["ENGINE"].lower().endswith("whooshengine"),
    reason="these faults are Whoosh's; Elasticsearch is configured",
)


@pytest.fixture
def whoosh_folder(settings, tmp_path):
    """A private Whoosh folder for the test, configured as the site's index path."""
    folder = tmp_path / "whoosh"
    connections = {"default": {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": str(folder)}}
    settings.HAYSTACK_CONNECTIONS = connections
    return folder


def build_small_index(folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(folder), fields.Schema(id=fields.ID(stored=True), text=fields.TEXT))
    with ix.writer() as writer:
        for n in range(50):
            writer.add_document(id=str(n), text=f"talks in doha round {n} ceasefire")
    return ix


def damage(folder: Path):
    """Overwrite every segment file with garbage, as a crash or a full disk can."""
    for path in folder.iterdir():
        if not path.name.endswith(".toc") and path.is_file():
            path.write_bytes(b"\x00garbage" * 64)


@pytest.mark.urls("tests.fault_urls")
def test_whoosh_index_answers_when_whole(client, db, whoosh_folder):
    build_small_index(whoosh_folder)
    response = client.get("/prod-faults/whoosh/", {"q": "ceasefire"})
    assert response.status_code == 200
    assert response.content.decode() == "50 results"


@pytest.mark.urls("tests.fault_urls")
def test_missing_whoosh_index_gives_clear_503(client, db, whoosh_folder):
    response = client.get("/prod-faults/whoosh/", {"q": "ceasefire"})
    assert response.status_code == 503
    html = response.content.decode()
    assert "Search is temporarily unavailable" in html
    assert "search index is missing or damaged" in html
    assert "rebuild_index" in html
    assert "Traceback" not in html


@pytest.mark.urls("tests.fault_urls")
def test_damaged_whoosh_index_gives_clear_503(client, db, whoosh_folder):
    build_small_index(whoosh_folder)
    damage(whoosh_folder)
    response = client.get("/prod-faults/whoosh/", {"q": "ceasefire"})
    assert response.status_code == 503
    assert "search index is missing or damaged" in response.content.decode()


@pytest.mark.urls("tests.fault_urls")
def test_search_unavailable_error_gives_503(client, db):
    response = client.get("/prod-faults/search/")
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    assert "browse its articles, actors and topics" in response.content.decode()


def test_whoosh_index_missing_detects_an_empty_folder(whoosh_folder):
    from archive.middleware import whoosh_index_missing

    assert whoosh_index_missing()
    whoosh_folder.mkdir()
    assert whoosh_index_missing()
    build_small_index(whoosh_folder)
    assert not whoosh_index_missing()
    shutil.rmtree(whoosh_folder)
    assert whoosh_index_missing()
