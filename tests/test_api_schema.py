"""The OpenAPI schema is valid, and schema-driven requests (schemathesis) never meet a server error."""

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings

from archive.corpus import load_corpus

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid document
    assert schema["openapi"].startswith("3.")
    operations = [(path, method) for path, ops in schema["paths"].items() for method in ops]
    assert len(operations) == 31
    assert {method for _, method in operations} == {"get"}
    for path, ops in schema["paths"].items():
        operation = ops["get"]
        # Anonymous access needs no credentials: a generated client must not demand an authenticated one.
        assert operation["security"] == [], path
        assert "429" in operation["responses"] and ("404" in operation["responses"]) != (path == "/api/"), path
        assert "Retry-After" in operation["responses"]["429"]["headers"], path
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            assert "400" in operation["responses"], path


def test_spectacular_validate_command_passes(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/statements/{id}/" in out.read_text()


@pytest.fixture
def wsgi_keeps_test_connection():
    """Calls to the WSGI app keep the test's database connection, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(settings, wsgi_keeps_test_connection):
    settings.API_ANON_RATE = "off"
    cache.clear()
    load_corpus()
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_answers_any_schema_request_without_server_error(case):
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.formatted_path} {case.query}: {response.text[:500]}"
    assert response.headers["content-type"][0].split(";")[0] in {
        "application/json",
        "text/csv",
        "application/x-ndjson",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


@schema.include(path_regex=r"^/api/search/").parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_search_api_answers_match_the_schema(case):
    # Every documented check: no server error, documented status codes and content types, and
    # answers that conform to the documented response shapes.
    case.call_and_validate()
