"""Every answer of the API, found by crawling it, validates against its own OpenAPI schema (openapi-core).

The crawl starts at /api/ and follows every API link the answers hold (details, pages, statement lists,
export links), then tries every documented filter with a real value, every list's bad values (400), pages
and objects that do not exist (404), throttling (429) and every export in every format.
"""

import json
import re
from collections import Counter, deque
from urllib.parse import parse_qsl, urlsplit

import jsonschema
import pytest
from django.core.cache import cache
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from werkzeug.datastructures import MultiDict

from archive import indexing
from archive.corpus import load_corpus
from archive.models import Actor, Agreement, Article, Provision, Source, Statement, Topic
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


def schema_document(client) -> dict:
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


class Crawl:
    """Requests API addresses once each, validates every answer and remembers what it covered."""

    def __init__(self, client, document: dict):
        self.client = client
        # CSV and NDJSON are documented as text: read them as text (openapi-core passes unknown media as bytes).
        text = {"text/csv": _utf8, "application/x-ndjson": _utf8}
        self.openapi = OpenAPI.from_dict(document, config=Config(extra_media_type_deserializers=text))
        self.document = document
        self.seen: set[str] = set()
        self.validated = 0
        self.statuses: Counter = Counter()
        self.operations: set[tuple[str, int]] = set()
        self.failures: list[str] = []

    def operation_of(self, path: str) -> str | None:
        """The schema path template that matches `path` (the most literal one, as a router would), or None."""
        parts = path.strip("/").split("/")
        matches = []
        for template in self.document["paths"]:
            pattern = template.strip("/").split("/")
            if len(pattern) == len(parts) and all(
                _fits(p, q) if "{" in p else p == q for p, q in zip(pattern, parts, strict=True)
            ):
                matches.append(template)
        return max(matches, key=lambda t: len(re.sub(r"\{[^}]*\}", "", t)), default=None)

    def get(self, url: str, query=None, expect: int | None = None):
        """GET one address, validate the answer against the schema; returns (status, parsed JSON or None)."""
        split = urlsplit(url)
        path = split.path
        params = list(parse_qsl(split.query, keep_blank_values=True)) + list(query or [])
        key = path + "?" + "&".join(f"{k}={v}" for k, v in sorted(params))
        if key in self.seen and expect is None:
            return None, None
        self.seen.add(key)
        response = self.client.get(path, params and MultiDict(params) or None)
        if expect is not None:
            assert response.status_code == expect, f"{key}: {response.status_code} {body_of(response)[:300]!r}"
        data = body_of(response)
        if response.status_code == 429:
            assert int(response["Retry-After"]) >= 1, key
        template = self.operation_of(path)
        assert template is not None, f"{path} matches no operation of the schema"
        content_type = response["Content-Type"]
        request = MockRequest(HOST, "GET", path, args=MultiDict(params))
        answer = MockResponse(
            data, status_code=response.status_code, headers=dict(response.headers), content_type=content_type
        )
        try:
            if data or not content_type.startswith("application/x-ndjson"):
                self.openapi.validate_response(request, answer)
            else:
                # An export with no rows is an empty NDJSON document, which openapi-core always reads as a
                # missing body; check what it can: that the operation documents NDJSON text for this status.
                documented = self.document["paths"][template]["get"]["responses"][str(response.status_code)]
                assert documented["content"]["application/x-ndjson"]["schema"]["type"] == "string"
            if content_type.startswith("application/x-ndjson") and data:
                self.check_ndjson_rows(template, data)
        except Exception as error:  # noqa: BLE001 - every failure is collected with its address
            causes = getattr(error, "__cause__", None)
            detail = getattr(causes, "schema_errors", None) or causes or error
            self.failures.append(f"{response.status_code} {key}: {type(error).__name__}: {detail}")
        self.validated += 1
        self.statuses[response.status_code] += 1
        self.operations.add((template, response.status_code))
        parsed = json.loads(data) if content_type.startswith("application/json") else None
        return response.status_code, parsed

    def check_ndjson_rows(self, template: str, data: bytes) -> None:
        """Each NDJSON line validates against the row schema the same download documents for JSON."""
        content = self.document["paths"][template]["get"]["responses"]["200"]["content"]
        # The row schema is a component reference: validate against it with the document's components.
        row_schema = {
            "allOf": [content["application/json"]["schema"]["items"]],
            "components": self.document["components"],
        }
        for line in data.decode("utf-8").splitlines():
            jsonschema.validate(json.loads(line), row_schema, cls=jsonschema.Draft202012Validator)


def _utf8(data, **parameters) -> str:
    return data.decode(parameters.get("charset", "utf-8")) if isinstance(data, bytes) else data


def _fits(template_part: str, value: str) -> bool:
    """Whether a path segment like "{id}" or "statements.{fmt}" matches `value`."""
    before, _, rest = template_part.partition("{")
    _, _, after = rest.partition("}")
    return value.startswith(before) and value.endswith(after) and len(value) > len(before) + len(after)


def api_links(data) -> list[str]:
    """Every API address an answer holds (site pages are not the API's)."""
    found = []
    if isinstance(data, dict):
        for value in data.values():
            found.extend(api_links(value))
    elif isinstance(data, list):
        for value in data:
            found.extend(api_links(value))
    elif isinstance(data, str) and data.startswith(HOST + "/api/"):
        found.append(data)
    return found


@pytest.fixture
def archive_with_gaps(db, settings):
    """The curated corpus, plus what it lacks: an undated article without a source, a source without a homepage."""
    settings.API_ANON_RATE = "off"
    cache.clear()
    load_corpus()
    with indexing.deferred_indexing():
        bare = SourceFactory(name="A bulletin without a homepage", homepage_url="")
        undated = ArticleFactory(
            title="Undated note on prisoner releases",
            source=None,
            published_date=None,
            date_precision=Article.DatePrecision.UNKNOWN,
            body="Note.\n\n“Releases will continue,” an official said.",
        )
        undated.credited_sources.add(bare)
        start = undated.body.index("Releases will continue")
        Statement.objects.create(
            article=undated,
            speaker=None,
            speaker_description="an official",
            text="Releases will continue",
            start=start,
            end=start + len("Releases will continue"),
        )
    yield
    cache.clear()


def filter_values(name: str, schema: dict) -> list[str]:
    """Real values for a documented query parameter, from the archive's own data."""
    enum = schema.get("enum") or schema.get("items", {}).get("enum")
    if enum:
        return [str(value) for value in enum if value not in ("", None)]
    actor = Actor.objects.filter(statements__isnull=False).order_by("pk").first()
    side = Actor.objects.filter(affiliation__isnull=True, members__isnull=False).order_by("pk").first()
    provision = Provision.objects.filter(statement_links__review_status="confirmed").order_by("pk").first()
    values = {
        "agreement": [Agreement.objects.order_by("pk").first().slug],
        "provision": [str(provision.pk)],
        "relation": ["claims_kept", "claims_broken"],
        "obligated_party": [provision.obligated_party.slug],
        "source": [Source.objects.filter(articles__isnull=False).order_by("pk").first().slug],
        "topic": [Topic.objects.filter(statements__isnull=False).order_by("pk").first().slug],
        "actor": [actor.slug],
        "speaker": [actor.slug],
        "mentioned": [actor.slug],
        "role": ["spokesman"],
        "side": [side.slug],
        "affiliation": [side.slug],
        "article": [Article.objects.published().order_by("pk").first().slug],
        "year": ["2020"],
        "date_from": ["2019-06-01"],
        "date_to": ["2020-12-31"],
        "language": ["en"],
        "anonymous": ["true", "false"],
        "verified": ["true", "false", "1"],
        "quoted": ["true", "false"],
        "name": ["khalil"],
        "page": ["2", "last"],
        "page_size": ["7"],
        "q": ["ceasefire", '"peace deal"', "speaker:khalilzad withdrawal"],
        "sort": ["newest", "oldest", "relevance"],
        "type": ["statement", "article", "actor"],
        "ordering": ["-statement_count", "name", "title,-published_date", "-date,id", "-article_count"],
    }
    assert name in values, f"no test value for the documented parameter {name!r}"
    return values[name]


BAD_VALUES = {
    "agreement": "no-such-agreement",
    "provision": "999999",
    "obligated_party": "no-such-actor",
    "relation": "rumoured",
    "source": "no-such-source",
    "topic": "no-such-topic",
    "actor": "no-such-actor",
    "speaker": "no-such-actor",
    "side": "no-such-actor",
    "affiliation": "no-such-actor",
    "article": "no-such-article",
    "year": "twenty",
    "date_from": "2020-13-45",
    "date_to": "yesterday",
    "date_precision": "week",
    "anonymous": "perhaps",
    "verified": "perhaps",
    "quoted": "perhaps",
    "kind": "rumour",
    "medium": "pigeon",
    "review_status": "rejected",
    "page": "zero",
    "page_size": "100000",
}


def list_operations(document: dict) -> list[str]:
    return [path for path in document["paths"] if "{" not in path and not path.endswith("/schema/")]


def test_every_api_answer_in_a_crawl_validates_against_the_schema(client, archive_with_gaps, settings):
    document = schema_document(client)
    crawl = Crawl(client, document)

    # 1. Follow every API link from the endpoint list down.
    queue = deque([HOST + "/api/"])
    while queue:
        url = queue.popleft()
        _status, data = crawl.get(url)
        if data is not None:
            queue.extend(link for link in api_links(data) if link not in crawl.seen)

    # 2. Every documented query parameter of every list, search and export, with real values, then bad ones.
    for path, operations in document["paths"].items():
        parameters = operations["get"].get("parameters", [])
        concrete = path
        if "{fmt}" in path:
            concrete = concrete.replace("{fmt}", "json")
        if "{slug}" in path:
            if path.startswith("/api/agreements/"):
                slug = Agreement.objects.order_by("pk").first().slug
            else:
                owner = Actor if path.startswith("/api/actors/") else Topic
                slug = owner.objects.filter(statements__isnull=False).first().slug
            concrete = concrete.replace("{slug}", slug)
        if "{" in concrete:
            continue  # details are reached through the crawl's links
        base = [("type", "statement")] if path.startswith("/api/search/export") else []
        for parameter in parameters:
            if parameter["in"] != "query" or (base and parameter["name"] == "type"):
                continue
            name = parameter["name"]
            for value in filter_values(name, parameter["schema"]):
                status, _ = crawl.get(
                    HOST + concrete, base + [("q", "talks")] * (name != "q" and bool(base)) + [(name, value)]
                )
                # 404: page 2 of a list that fits on one page.
                assert status in (None, 200, 404), f"{concrete}?{name}={value} answered {status}"
            if name in BAD_VALUES and not concrete.startswith("/api/search/"):
                crawl.get(HOST + concrete, base + [(name, BAD_VALUES[name])], expect=400)
            elif name in ("page", "page_size"):
                crawl.get(HOST + concrete, base + [(name, BAD_VALUES[name])], expect=400)

    # 3. Errors every operation documents: pages past the last, unknown objects, a search export without a type.
    for path in list_operations(document):
        if "export" in path:
            continue
        if path != "/api/":
            crawl.get(HOST + path, [("page", "999")], expect=404)
    for path in (
        "/api/articles/no-such-article/",
        "/api/actors/nobody/",
        "/api/statements/999999/",
        "/api/topics/nothing/",
        "/api/sources/nowhere/",
        "/api/actors/nobody/statements.csv",
        "/api/topics/nothing/statements.ndjson",
        "/api/agreements/no-such-agreement/",
        "/api/agreements/no-such-agreement/links.csv",
        "/api/agreements/no-such-agreement/no-such-provision/links.json",
        "/api/provisions/999999/",
        "/api/provision-links/999999/",
        "/api/stances/999999/",
        "/api/statement-relations/999999/",
    ):
        crawl.get(HOST + path, expect=404)
    for path in (
        "/api/statements/export.xml",
        "/api/articles/export.xls",
        "/api/search/export.pdf",
        "/api/stances/export.pdf",
        "/api/statement-relations/export.xml",
    ):
        crawl.get(HOST + path, [("type", "statement")], expect=404)  # a format that does not exist
    for fmt in ("csv", "json", "ndjson"):
        crawl.get(HOST + f"/api/search/export.{fmt}", [("q", "talks")], expect=400)
        for path in ("/api/statements/", "/api/articles/"):
            crawl.get(HOST + path.rstrip("/") + f"/export.{fmt}", [("year", "soon")], expect=400)

    # 4. Every export in every text format, for every kind of owner (the binary .xlsx workbook is read back
    # with openpyxl in tests/test_exports.py).
    for fmt in ("csv", "json", "ndjson"):
        for path in ("/api/statements/export", "/api/articles/export"):
            crawl.get(HOST + f"{path}.{fmt}", [("ordering", "-date" if "statements" in path else "title")])
        for path in ("/api/stances/export", "/api/statement-relations/export"):
            crawl.get(HOST + f"{path}.{fmt}")
        crawl.get(HOST + f"/api/search/export.{fmt}", [("type", "article"), ("q", "taliban")])
        linked = Provision.objects.filter(statement_links__review_status="confirmed").order_by("pk").first()
        crawl.get(HOST + f"/api/agreements/{linked.agreement.slug}/links.{fmt}")
        crawl.get(HOST + f"/api/provision-links/{linked.statement_links.filter(review_status='confirmed')[0].pk}/")
        crawl.get(HOST + f"/api/agreements/{linked.agreement.slug}/{linked.slug}/links.{fmt}")

    # 5. Throttling: past the rate, every operation answers 429 with Retry-After, as documented.
    settings.API_ANON_RATE = "1/hour"
    cache.clear()
    client.get("/api/")
    for path in document["paths"]:
        if path.endswith("/schema/"):
            continue
        concrete = (
            path.replace("{fmt}", "csv")
            .replace("{slug}", "taliban")
            .replace("{provision_slug}", "1")
            .replace("{id}", "1")
        )
        crawl.get(HOST + concrete, [("throttled", "1")], expect=429)
    settings.API_ANON_RATE = "off"

    assert not crawl.failures, f"{len(crawl.failures)} of {crawl.validated} answers fail the schema:\n" + "\n".join(
        crawl.failures[:40]
    )
    # Every operation was called and answered 200, 404 and 429; lists and exports answered 400 too.
    operations = [path for path in document["paths"] if not path.endswith("/schema/")]
    for path in operations:
        for status in (200, 404, 429):
            if status == 404 and path == "/api/":
                continue
            assert (path, status) in crawl.operations, f"{path} never answered {status}"
    for path in list_operations(document):
        if path != "/api/":
            assert (path, 400) in crawl.operations, f"{path} never answered 400"
    assert crawl.validated > 400
    print(
        f"\nOpenAPI crawl: {crawl.validated} answers validated, {len(operations)} operations, "
        f"statuses {dict(sorted(crawl.statuses.items()))}"
    )
