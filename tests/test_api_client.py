"""A client generated from the OpenAPI schema by openapi-python-client calls every operation of the API.

The client is generated into a temporary folder, imported, and pointed at a live server holding the
curated corpus: every operation is called (every export in every format), with an anonymous client,
and each answer is parsed by the generated code; errors (404, 429) come back as the documented models.
"""

import csv
import importlib
import inspect
import io
import json
import pkgutil
import subprocess
import sys
from enum import Enum

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator
from haystack import connections

from archive.corpus import load_corpus
from archive.models import (
    Actor,
    Article,
    Source,
    Statement,
    StatementProvisionLink,
    StatementRelation,
    StatementStance,
    Topic,
)

pytestmark = pytest.mark.django_db(transaction=True)
PACKAGE = "archive_api_client"


@pytest.fixture
def generated_client(tmp_path):
    """The generated package, imported from a temporary folder (and forgotten afterwards)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    schema_file = tmp_path / "schema.json"
    schema_file.write_text(json.dumps(schema, default=str), encoding="utf-8")
    config = tmp_path / "config.yml"
    config.write_text(f"project_name_override: {PACKAGE}\npackage_name_override: {PACKAGE}\npost_hooks: []\n")
    output = tmp_path / PACKAGE
    result = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(schema_file)]
        + ["--meta", "none", "--output-path", str(output), "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Every response of every operation was understood: the generator skips what it cannot type.
    assert "Cannot parse response" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def operations(package) -> dict:
    """Every generated operation module, by name (e.g. "actors_retrieve")."""
    api = importlib.import_module(f"{package.__name__}.api")
    found = {}
    for group in pkgutil.iter_modules(api.__path__):
        tag = importlib.import_module(f"{api.__name__}.{group.name}")
        for module in pkgutil.iter_modules(tag.__path__):
            found[module.name] = importlib.import_module(f"{tag.__name__}.{module.name}")
    return found


def path_values(name: str) -> dict:
    """Values for the path parameters of an operation, taken from the archive."""
    if name.startswith("statements_retrieve"):
        return {"id": Statement.objects.public().order_by("pk").first().pk}
    if name == "stances_retrieve":
        return {"id": StatementStance.objects.filter(review_status="confirmed").order_by("pk").first().pk}
    if name == "statement_relations_retrieve":
        return {"id": StatementRelation.objects.filter(review_status="confirmed").order_by("pk").first().pk}
    link = StatementProvisionLink.objects.filter(review_status="confirmed").select_related("provision__agreement")
    link = link.order_by("pk").first()
    if name == "provision_links_retrieve":
        return {"id": link.pk}
    if name == "provisions_retrieve":
        return {"id": link.provision.pk}
    if name.startswith("agreements") and name != "agreements_list":
        values = {"slug": link.provision.agreement.slug}
        if "provision" in name:
            values["provision_slug"] = link.provision.slug
        return values
    owners = {"actors": Actor, "articles": Article.objects.published(), "topics": Topic, "sources": Source}
    for prefix, owner in owners.items():
        if name.startswith(prefix) and "export" not in name and name != f"{prefix}_list":
            rows = owner.objects if isinstance(owner, type) else owner
            if prefix in ("actors", "topics"):
                rows = rows.filter(statements__isnull=False)
            return {"slug": rows.order_by("pk").first().slug}
    return {}


def calls(name: str, function) -> list[dict]:
    """The keyword arguments of each call to make: one per export format, with a search where one is needed."""
    parameters = inspect.signature(function).parameters
    base = path_values(name)
    if "q" in parameters:
        base["q"] = "ceasefire"
    if "type_" in parameters:
        annotation = parameters["type_"].annotation
        enum = annotation if isinstance(annotation, type) and issubclass(annotation, Enum) else None
        if enum is not None:  # the export's required type
            base["type_"] = enum("statement")
    if "fmt" in parameters:
        return [{**base, "fmt": fmt} for fmt in parameters["fmt"].annotation]
    return [base]


def test_a_generated_client_calls_every_operation(generated_client, live_server, settings):
    settings.API_ANON_RATE = "off"
    cache.clear()
    # The live server's tests empty every table between tests, the migrations' topic vocabulary included; the
    # search index starts empty too, so no document of an earlier test's rows answers the search.
    importlib.import_module("archive.migrations.0002_topic_vocabulary").create_topics(django_apps, None)
    connections["default"].get_backend().clear()
    load_corpus()
    client_module = importlib.import_module(f"{PACKAGE}.client")
    models = importlib.import_module(f"{PACKAGE}.models")
    client = client_module.Client(base_url=live_server.url, raise_on_unexpected_status=True, timeout=60)
    found = operations(generated_client)
    # The endpoint list, the five lists and details, three statement exports, the article export and search;
    # agreements, provisions and provision links, each a list and a detail, and two link exports; stances and
    # statement relations, each a list, a detail and an export.
    assert len(found) == 31, sorted(found)

    made = 0
    for name, module in sorted(found.items()):
        for kwargs in calls(name, module.sync_detailed):
            response = module.sync_detailed(client=client, **kwargs)
            made += 1
            assert response.status_code == 200, f"{name} {kwargs}: {response.status_code} {response.content[:300]!r}"
            parsed = response.parsed
            assert parsed is not None, name
            assert not isinstance(parsed, models.Error | models.ParameterError), f"{name}: {parsed}"
            fmt = getattr(kwargs.get("fmt"), "value", None)
            if fmt == "csv":
                rows = list(csv.DictReader(io.StringIO(parsed)))
                assert rows and ("id" in rows[0] or "slug" in rows[0] or "statement_id" in rows[0]), name
            elif fmt == "json":
                assert isinstance(json.loads(parsed), list) and json.loads(parsed), name
            elif fmt == "ndjson":
                lines = parsed.splitlines()
                assert lines and all(isinstance(json.loads(line), dict) for line in lines), name
            elif name.endswith("_list"):
                assert parsed.count > 0 and parsed.results, name
            elif name == "search_retrieve":
                assert parsed.count > 0 and parsed.results[0].snippet, name

    # Errors come back as the documented models: a missing object, then throttling with Retry-After.
    missing = found["actors_retrieve"].sync_detailed(client=client, slug="nobody-at-all")
    assert missing.status_code == 404 and isinstance(missing.parsed, models.Error)
    assert missing.parsed.detail.startswith("No ")
    bad = found["statements_list"].sync_detailed(client=client, speaker="nobody-at-all")
    assert bad.status_code == 400 and isinstance(bad.parsed, models.ParameterError)
    assert "speaker" in bad.parsed.additional_properties
    settings.API_ANON_RATE = "1/hour"
    cache.clear()
    found["root_retrieve"].sync_detailed(client=client)
    throttled = found["topics_list"].sync_detailed(client=client)
    assert throttled.status_code == 429 and isinstance(throttled.parsed, models.Error)
    assert int(throttled.headers["Retry-After"]) >= 1
    print(f"\nGenerated client: {len(found)} operations, {made} successful calls, 3 documented errors")
