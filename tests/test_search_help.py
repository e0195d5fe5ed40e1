"""The search help page: every example it gives finds something in the curated corpus."""

import html
import re

import pytest
from django.urls import reverse

from tests.search_fixtures import reindex

pytest_plugins = ["tests.search_fixtures"]

TOTAL = re.compile(r"Results [\d,]+–[\d,]+ of ([\d,]+)")


def help_examples(page: str) -> list[str]:
    """The queries the help page shows: every <code> example, as a reader would type it."""
    return [html.unescape(code) for code in re.findall(r"<code>(.*?)</code>", page)]


@pytest.fixture
def indexed_corpus(corpus, search_index):
    reindex()


def test_search_help_every_example_finds_something_in_the_curated_corpus(client, indexed_corpus):
    page = client.get(reverse("search:help")).content.decode()
    examples = help_examples(page)
    assert len(examples) >= 12, examples
    empty = []
    for q in examples:
        response = client.get(reverse("search:search"), {"q": q})
        assert response.status_code == 200, q
        match = TOTAL.search(response.content.decode())
        if not match or int(match.group(1).replace(",", "")) == 0:
            empty.append(q)
    assert empty == []
