"""Streamed CSV, JSON and NDJSON exports of statements and articles."""

import csv
import datetime
import io
import json

import pytest
from django.http import StreamingHttpResponse

from archive import exports
from archive.models import Statement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_throttle")]


def download(api, url, **params):
    response = api.get(url, params)
    assert response.status_code == 200, response.content
    assert isinstance(response, StreamingHttpResponse)
    return response, b"".join(response.streaming_content).decode("utf-8")


def parse_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_statements_csv_round_trip(api, world):
    response, text = download(api, "/api/statements/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="statements.csv"'
    assert not text.startswith("\ufeff")  # no byte-order mark
    assert text.splitlines()[0] == ",".join(exports.STATEMENT_FIELDS)
    rows = parse_csv(text)
    assert sorted(int(r["id"]) for r in rows) == sorted(s.pk for s in world.public_statements)
    by_id = {int(r["id"]): r for r in rows}
    row = by_id[world.s_ceasefire.pk]
    assert row["text"] == "We are ready for a ceasefire"
    assert (row["speaker"], row["speaker_slug"], row["side_slug"]) == ("Suhail Shaheen", "suhail-shaheen", "taliban")
    assert (row["medium"], row["review_status"], row["date"]) == ("tweet", "verified", "2020-02-29")
    assert row["date_precision"] == "day"
    assert row["topics"] == world.ceasefire.slug
    assert (row["article_slug"], row["source"]) == (world.doha.slug, "Al Jazeera")
    assert world.doha.body[int(row["start"]) : int(row["end"])] == row["text"]
    assert row["api_url"] == f"http://testserver/api/statements/{world.s_ceasefire.pk}/"
    anonymous = by_id[world.s_anonymous.pk]
    assert (anonymous["speaker"], anonymous["speaker_description"]) == ("", "a person familiar with the talks")


def test_csv_guards_against_formula_injection(api, world):
    _, text = download(api, "/api/statements/export.csv")
    row = next(r for r in parse_csv(text) if int(r["id"]) == world.s_formula.pk)
    assert row["text"] == "'=SUM(A1:A9) is not a plan"
    # JSON keeps the words exactly
    _, data = download(api, "/api/statements/export.json")
    assert next(r for r in json.loads(data) if r["id"] == world.s_formula.pk)["text"] == "=SUM(A1:A9) is not a plan"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+31 6", "'+31 6"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("safe = text", "safe = text"),
        (None, ""),
        (12, "12"),
        (["a", "b"], "a; b"),
    ],
)
def test_safe_cell(value, expected):
    assert exports.safe_cell(value) == expected


def test_statements_json_is_one_array(api, world):
    response, text = download(api, "/api/statements/export.json")
    assert response["Content-Type"] == "application/json"
    data = json.loads(text)
    assert isinstance(data, list) and len(data) == 5
    first = next(r for r in data if r["id"] == world.s_prisoners.pk)
    assert first["topics"] == [world.prisoners.slug] and first["kind"] == "partial"
    assert set(first) == set(exports.STATEMENT_FIELDS)


def test_statements_ndjson_is_one_object_per_line(api, world):
    response, text = download(api, "/api/statements/export.ndjson")
    assert response["Content-Type"] == "application/x-ndjson"
    lines = text.splitlines()
    assert len(lines) == 5 and text.endswith("\n")
    assert {json.loads(line)["id"] for line in lines} == {s.pk for s in world.public_statements}


def test_empty_exports_are_valid(api):
    assert json.loads(download(api, "/api/statements/export.json")[1]) == []
    assert download(api, "/api/statements/export.ndjson")[1] == ""
    assert download(api, "/api/articles/export.csv")[1].splitlines() == [",".join(exports.ARTICLE_FIELDS)]


def test_export_applies_the_list_filters_and_ordering(api, world):
    _, text = download(api, "/api/statements/export.csv", side="taliban", ordering="-id")
    ids = [int(r["id"]) for r in parse_csv(text)]
    assert ids == sorted([world.s_ceasefire.pk, world.s_prisoners.pk], reverse=True)


def test_export_with_a_bad_filter_is_a_json_400(api, world):
    response = api.get("/api/statements/export.csv", {"kind": "rumour"}, HTTP_ACCEPT="text/csv")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "kind" in response.json()


def test_export_ignores_the_accept_header(api, world):
    response = api.get("/api/statements/export.csv", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200


def test_actor_statements_export(api, world):
    response, text = download(api, "/api/actors/ashraf-ghani/statements.csv")
    assert response["Content-Disposition"] == 'attachment; filename="statements-ashraf-ghani.csv"'
    assert [int(r["id"]) for r in parse_csv(text)] == [world.s_ghani.pk]  # not the rejected one


def test_actor_export_of_unknown_actor_is_404(api, world):
    response = api.get("/api/actors/nobody/statements.json")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_topic_statements_export_with_filters(api, world):
    _, text = download(api, f"/api/topics/{world.prisoners.slug}/statements.ndjson")
    assert [json.loads(line)["id"] for line in text.splitlines()] == [world.s_prisoners.pk]
    _, text = download(api, f"/api/topics/{world.prisoners.slug}/statements.ndjson", kind="direct")
    assert text == ""


def test_articles_export_csv_and_json(api, world):
    _, text = download(api, "/api/articles/export.csv", topic=world.prisoners.slug)
    rows = parse_csv(text)
    assert [r["slug"] for r in rows] == [world.doha.slug, world.kabul.slug]
    assert rows[0]["credited_sources"] == "agence-france-presse"
    assert rows[0]["statement_count"] == "4"
    assert "SECRET-EDITOR-NOTE" not in text and "RAW-IMPORT" not in text
    _, data = download(api, "/api/articles/export.json", year="2019")
    (kabul,) = json.loads(data)
    # A month-precise date is written as far as it is known, never as the first of the month.
    assert (kabul["slug"], kabul["date_precision"], kabul["published_date"]) == (world.kabul.slug, "month", "2019-01")


def test_unknown_format_is_json_404(api, world):
    response = api.get("/api/statements/export.xlsx")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_writers_take_any_iterable_of_statements(world):
    """Search results are lists of objects, not querysets: the writers take them as they are."""
    items = list(Statement.objects.public().for_list().order_by("id"))[:2]
    response = exports.statements_response(items, "csv", "results", base_url="https://archive.example")
    rows = parse_csv(b"".join(response.streaming_content).decode())
    assert [int(r["id"]) for r in rows] == [s.pk for s in items]
    assert rows[0]["site_url"].startswith("https://archive.example/statements/")


def test_queryset_is_read_in_chunks(world, django_assert_max_num_queries):
    """A queryset is iterated with .iterator(): topics are prefetched per chunk, not per row."""
    queryset = Statement.objects.public().for_list().order_by("id")
    with django_assert_max_num_queries(3):
        records = list(exports.rows(queryset, exports.statement_row, sides={}))
    assert len(records) == 5


def test_unknown_writer_format_is_refused():
    with pytest.raises(ValueError, match="Unknown export format"):
        exports.write([], exports.STATEMENT_FIELDS, "xml")


def test_every_date_in_an_export_has_its_precision(api, world):
    # The statement dated by the month-precise Kabul article keeps the month; one dated on its own is
    # day-precise (the flag decides, not whether the two dates happen to be equal).
    world.s_ghani.date_from_article = True
    world.s_ghani.save()
    _, text = download(api, "/api/statements/export.csv", article=world.kabul.slug)
    (row,) = parse_csv(text)
    assert (row["date"], row["date_precision"]) == ("2019-01", "month")
    assert (row["article_date"], row["article_date_precision"]) == ("2019-01", "month")
    world.s_ghani.date, world.s_ghani.date_from_article = datetime.date(2019, 1, 15), False
    world.s_ghani.save()
    _, data = download(api, "/api/statements/export.ndjson", article=world.kabul.slug)
    record = json.loads(data)
    assert (record["date"], record["date_precision"]) == ("2019-01-15", "day")
    # Every date column of both exports is followed by its precision column.
    for fields in (exports.STATEMENT_FIELDS, exports.ARTICLE_FIELDS):
        for index, name in enumerate(fields):
            if name.endswith("date"):
                assert fields[index + 1] == f"{name}_precision".replace("published_date_", "date_"), name
