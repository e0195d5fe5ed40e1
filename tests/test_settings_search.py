"""The search backend is chosen by settings alone: Whoosh by default, Elasticsearch by ELASTICSEARCH_URL."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
django.setup()
from django.conf import settings
from haystack import connections
backend = connections["default"].get_backend()
print(json.dumps({"engine": settings.HAYSTACK_CONNECTIONS["default"]["ENGINE"],
                  "backend": type(backend).__module__ + "." + type(backend).__name__,
                  "bases": [c.__module__ + "." + c.__name__ for c in type(backend).__mro__],
                  "analyzer": getattr(backend, "DEFAULT_FIELD_MAPPING", {}).get("analyzer"),
                  "conf": {k: str(v) for k, v in settings.HAYSTACK_CONNECTIONS["default"].items()}}))
"""


def probe(**env) -> dict:
    environment = {k: v for k, v in os.environ.items() if k not in {"ELASTICSEARCH_URL", "WHOOSH_PATH"}}
    environment.update(env, DJANGO_SETTINGS_MODULE="archive.settings")
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_whoosh_is_the_default_backend(tmp_path):
    found = probe(WHOOSH_PATH=str(tmp_path / "index"))
    assert "whoosh" in found["backend"].lower()
    assert found["conf"]["PATH"] == str(tmp_path / "index")


def test_elasticsearch_url_selects_haystacks_elasticsearch_backend():
    found = probe(ELASTICSEARCH_URL="http://127.0.0.1:9200/", ELASTICSEARCH_INDEX="archive_test")
    # haystack's own backend, with the archive's analysis on its text fields.
    assert found["backend"] == "archive.search.elasticsearch_backend.ArchiveElasticsearchBackend"
    assert "haystack.backends.elasticsearch7_backend.Elasticsearch7SearchBackend" in found["bases"]
    assert found["analyzer"] == "archive_text"
    assert found["conf"]["URL"] == "http://127.0.0.1:9200/"
    assert found["conf"]["INDEX_NAME"] == "archive_test"
