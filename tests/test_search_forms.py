"""SearchForm: the search page's GET parameters cleaned leniently, with a message for what it ignores."""

import datetime

import pytest
from django.http import QueryDict

from archive.search.forms import MAX_PAGE, SearchForm
from tests.factories import ActorFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_form_is_valid_whatever_it_is_given():
    form = SearchForm(QueryDict("type=nonsense&year=20x0&date_from=2020-13-45&sort=sideways&page=-3"))
    assert form.is_valid()
    assert form.cleaned["type"] == "" and form.cleaned["year"] == []
    assert form.cleaned["date_from"] is None and form.cleaned["sort"] == "" and form.cleaned["page"] == 1
    assert form.messages == [
        "Unknown result type; showing every type.",
        "“20x0” is not a year; that filter was ignored.",
        "“2020-13-45” is not a date (use YYYY-MM-DD); that limit was ignored.",
        "Unknown sort order; sorted by relevance.",
        "Page numbers start at 1; showing the first page.",
    ]


def test_form_keeps_known_slugs_with_their_labels_and_drops_others():
    envoy = ActorFactory(name="Zalmay Khalilzad")
    afp = SourceFactory(name="AFP")
    form = SearchForm(QueryDict(f"speaker={envoy.slug}&speaker=nobody&source={afp.slug}&source={afp.slug}"))
    assert form.cleaned["speaker"] == [envoy.slug]
    assert form.cleaned["source"] == [afp.slug]
    assert form.cleaned["labels"] == {("speaker", envoy.slug): "Zalmay Khalilzad", ("source", afp.slug): "AFP"}
    assert form.messages == ["Unknown speaker “nobody”; that filter was ignored."]


def test_form_reads_plain_dicts_first_non_empty_values_and_strips_controls():
    form = SearchForm({"q": ["", "  ceasefire talks "], "type": "Quotes", "topic": ["a\x00b"], "page": "last"})
    cleaned = form.cleaned
    assert cleaned["q"] == "ceasefire talks"
    assert cleaned["type"] == "statement"
    assert cleaned["page"] == MAX_PAGE and cleaned["requested_page"] == "last"
    assert form.messages == ["Unknown topic “a b”; that filter was ignored."]


def test_form_swaps_a_reversed_date_range():
    form = SearchForm(QueryDict("date_from=2021&date_to=2019-06"))
    assert form.cleaned["date_from"] == datetime.date(2019, 6, 30)
    assert form.cleaned["date_to"] == datetime.date(2021, 1, 1)
    assert form.messages == ["The start date was after the end date, so the two were swapped."]
