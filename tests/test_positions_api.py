"""Stances and relations in the JSON API, its schema, the exports and the statement page's JSON-LD: confirmed
rows between public statements only."""

import csv
import io
import json

import pytest

from archive.positions.models import StatementRelation, StatementStance
from tests.test_positions_pages import world  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_throttle(settings):
    settings.API_ANON_RATE = "off"


def body(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_stance_list_serves_confirmed_stances_of_public_statements(client, world):  # noqa: F811
    data = json.loads(body(client.get("/api/stances/")))
    ids = {row["id"] for row in data["results"]}
    assert ids == {world["stances"]["ready"].pk, world["stances"]["refusal"].pk}
    first = next(r for r in data["results"] if r["id"] == world["stances"]["ready"].pk)
    assert first["stance"] == "supports" and first["topic"]["slug"] == world["topic"].slug
    assert first["provision"] is None
    assert first["statement"]["side"]["slug"] == world["movement"].slug
    assert first["statement"]["place_url"].endswith(world["ready"].place_url)


def test_stance_filters(client, world):  # noqa: F811
    opposed = json.loads(body(client.get("/api/stances/", {"stance": "opposes"})))["results"]
    assert [r["id"] for r in opposed] == [world["stances"]["refusal"].pk]
    by_speaker = json.loads(body(client.get("/api/stances/", {"speaker": world["minister"].slug})))
    assert by_speaker["results"] == []  # the minister's stance is only a suggestion
    assert client.get("/api/stances/", {"stance": "maybe"}).status_code == 400


def test_relation_list_and_detail(client, world):  # noqa: F811
    data = json.loads(body(client.get("/api/statement-relations/")))
    assert [(r["kind"], r["from_statement"]["id"], r["to_statement"]["id"]) for r in data["results"]] == [
        ("denies", world["denial"].pk, world["ready"].pk)
    ]
    detail = json.loads(body(client.get(f"/api/statement-relations/{world['relation'].pk}/")))
    assert detail["from_statement"]["side"]["slug"] == world["cabinet"].slug
    # A suggestion is never served as a fact.
    assert client.get(f"/api/statement-relations/{world['suggested'].pk}/").status_code == 404


def test_statement_detail_carries_its_confirmed_stances_and_relations(client, world):  # noqa: F811
    denial = json.loads(body(client.get(f"/api/statements/{world['denial'].pk}/")))
    assert denial["stances"] == []  # only a suggestion
    assert [(r["kind"], r["to_statement"].rsplit("/", 2)[-2]) for r in denial["relations"]] == [
        ("denies", str(world["ready"].pk))
    ]
    ready = json.loads(body(client.get(f"/api/statements/{world['ready'].pk}/")))
    assert [(s["stance"], s["topic"]) for s in ready["stances"]] == [("supports", world["topic"].slug)]
    assert [r["id"] for r in ready["relations"]] == [world["relation"].pk]  # answered by the denial


def test_stance_export_rows(client, world):  # noqa: F811
    rows = list(csv.DictReader(io.StringIO(body(client.get("/api/stances/export.csv")).decode())))
    assert [(r["stance"], r["topic"], r["speaker"], r["side"], r["date"]) for r in rows] == [
        ("supports", world["topic"].slug, "Abdul Spokesman", "The Movement", "2020-03-01"),
        ("opposes", world["topic"].slug, "Abdul Spokesman", "The Movement", "2020-04-30"),
    ]
    assert rows[0]["statement_place_url"].endswith(world["ready"].place_url)


def test_relation_export_rows(client, world):  # noqa: F811
    lines = body(client.get("/api/statement-relations/export.ndjson")).decode().splitlines()
    assert len(lines) == 1
    row = json.loads(lines[0])
    assert (row["kind"], row["from_side"], row["to_side"]) == ("denies", "The Cabinet", "The Movement")
    assert (row["from_date"], row["to_date"]) == ("2020-03-03", "2020-03-01")
    world["relation"].review_status = "rejected"
    world["relation"].save()
    assert body(client.get("/api/statement-relations/export.ndjson")) == b""


def test_schema_documents_the_new_endpoints_and_rows(client):
    document = json.loads(client.get("/api/schema/?format=json").content)
    for path in ("/api/stances/", "/api/statement-relations/{id}/", "/api/stances/export.{fmt}"):
        assert path in document["paths"]
    components = document["components"]["schemas"]
    assert set(components["StanceEnum"]["enum"]) == {"supports", "opposes", "conditional", "unclear"}
    assert components["StanceRow"]["additionalProperties"] is False


def statement_ld(client, statement) -> dict:
    page = client.get(statement.get_absolute_url()).content.decode()
    blocks = page.split('<script type="application/ld+json">')[1:]
    found = [json.loads(b.split("</script>")[0]) for b in blocks]
    return next(b for b in found if b.get("@type") in ("Quotation", "Claim"))


def test_json_ld_carries_confirmed_stance_and_relation(client, world):  # noqa: F811
    data = statement_ld(client, world["denial"])
    assert data["mentions"][0]["url"].endswith(world["ready"].get_absolute_url())
    assert data["mentions"][0]["description"].startswith("Denies")
    # The denial's own stance is only suggested: no stance in its JSON-LD.
    assert "description" not in data["about"][0]
    refusal = statement_ld(client, world["refusal"])
    assert refusal["about"][0]["description"] == "Stance: opposes (confirmed by an editor)"
    assert "mentions" not in refusal  # its reply is only a suggestion
    StatementStance.objects.filter(pk=world["stances"]["refusal"].pk).update(review_status="rejected")
    StatementRelation.objects.filter(pk=world["relation"].pk).update(review_status="suggested")
    assert "description" not in statement_ld(client, world["refusal"])["about"][0]
    assert "mentions" not in statement_ld(client, world["denial"])
