"""The import_articles command: per-file report, bad input, exit status, folders."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from archive.models import Article

SAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "samples"
GOOD = [SAMPLES / "envoy_briefing.txt", SAMPLES / "kabul_talks.html", SAMPLES / "cp1252.txt", SAMPLES / "utf16_bom.txt"]


def run(*paths):
    out = StringIO()
    call_command("import_articles", *map(str, paths), "--no-progress", stdout=out)
    return out.getvalue()


def run_failing(*paths):
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_articles", *map(str, paths), "--no-progress", stdout=out)
    return out.getvalue(), str(error.value)


@pytest.mark.django_db
def test_command_imports_good_files_and_reports_created_then_duplicate():
    first = run(*GOOD)
    assert first.startswith("4 created, 0 duplicate (skipped), 0 updated, 0 failed")
    assert Article.objects.count() == 4
    html = Article.objects.get(import_reference="kabul_talks.html")
    assert html.title == "Taliban and Kabul negotiators agree to resume talks in Doha"
    assert str(html.published_date) == "2020-09-14" and html.byline == "Sara Ahmadi"
    assert html.dateline == "Doha, Qatar"
    assert html.statements.filter(speaker__name="Mohammad Naeem").exists()
    second = run(*GOOD)
    assert second.startswith("0 created, 4 duplicate (skipped), 0 updated, 0 failed")
    assert Article.objects.count() == 4


@pytest.mark.django_db
def test_command_reports_an_update_for_a_corrected_file(tmp_path):
    path = tmp_path / "envoy_briefing.txt"
    shutil.copy(SAMPLES / "envoy_briefing.txt", path)
    run(path)
    path.write_text(path.read_text(encoding="utf-8").replace("on Tuesday", "on Wednesday"), encoding="utf-8")
    assert run(path).startswith("0 created, 0 duplicate (skipped), 1 updated, 0 failed")
    assert "on Wednesday" in Article.objects.get().body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "The file is empty."),
        ("blank.txt", "The file is empty."),
        ("binary.txt", "This is a binary file, not text"),
        ("no_article.txt", "No article text was found"),
        ("picture.jpg", "Unsupported file type “.jpg”"),
    ],
)
def test_command_bad_input_fails_with_reason_and_nonzero_exit(name, reason):
    out, error = run_failing(SAMPLES / "envoy_briefing.txt", SAMPLES / "bad" / name)
    assert "1 created, 0 duplicate (skipped), 0 updated, 1 failed" in out
    assert f"failed     {SAMPLES / 'bad' / name}: {reason}" in out
    assert error == "1 of 2 file(s) failed to import."
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_command_refuses_an_enormous_file(tmp_path):
    big = tmp_path / "enormous.txt"
    with big.open("w", encoding="utf-8") as handle:
        line = "“We are ready,” the spokesman said in a very long article that never ends.\n"
        while handle.tell() <= 5 * 1024 * 1024:
            handle.write(line * 1000)
    out, _ = run_failing(big)
    assert "the limit is 5 MB" in out
    assert Article.objects.count() == 0


@pytest.mark.django_db
@override_settings(ARCHIVE_IMPORT_MAX_BYTES=1024)
def test_command_limit_follows_the_setting():
    out, _ = run_failing(SAMPLES / "kabul_talks.html")
    assert "too large" in out


@pytest.mark.django_db
def test_command_missing_path_is_a_failure(tmp_path):
    out, _ = run_failing(tmp_path / "nowhere")
    assert "No such file or folder." in out


@pytest.mark.django_db
def test_command_walks_a_folder_with_thousands_of_files(tmp_path):
    folder = tmp_path / "scrape"
    (folder / "nested").mkdir(parents=True)
    for n in range(2000):
        (folder / f"empty_{n:04d}.txt").write_bytes(b"")
    shutil.copy(SAMPLES / "envoy_briefing.txt", folder / "nested" / "envoy.txt")
    (folder / ".hidden.txt").write_text("ignored", encoding="utf-8")
    out, error = run_failing(folder)
    assert out.startswith("1 created, 0 duplicate (skipped), 0 updated, 2000 failed")
    assert error == "2000 of 2001 file(s) failed to import."
    assert Article.objects.get().import_reference == "nested/envoy.txt"


@pytest.mark.django_db
def test_command_shows_a_progress_bar(capsys):
    call_command("import_articles", str(SAMPLES / "envoy_briefing.txt"), stdout=StringIO())
    assert "Importing" in capsys.readouterr().err


def test_requirements_pin_the_html_cleaner_that_html_import_needs():
    """lxml 5.2+ ships lxml.html.clean apart; without the pin an install with an old pip cannot read HTML."""
    pins = (Path(__file__).resolve().parent.parent / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("lxml_html_clean==") for line in pins)
    import lxml.html.clean  # noqa: F401  the module trafilatura's jusText imports


@pytest.mark.django_db
def test_command_imports_an_html_page_through_the_whole_pipeline(tmp_path):
    page = tmp_path / "council.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Council meets in Doha</title>'
        '<meta property="og:site_name" content="Doha Evening Wire">'
        '<meta property="article:published_time" content="2020-10-02T08:00:00Z"></head><body><article>'
        "<h1>Council meets in Doha to settle the agenda</h1>"
        "<figure><figcaption>Delegates arrive at the hotel. Photo: AFP</figcaption></figure>"
        "<p>DOHA - The two delegations met on Friday to settle the agenda of the talks, officials said.</p>"
        "<p>“We are close to an agreement on the first items,” Nader Nadery told reporters after the meeting.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    out = run(page)
    assert out.startswith("1 created, 0 duplicate (skipped), 0 updated, 0 failed"), out
    article = Article.objects.get(import_reference="council.html")
    assert article.title == "Council meets in Doha to settle the agenda"
    assert article.source.name == "Doha Evening Wire"
    assert str(article.published_date) == "2020-10-02"
    assert "Photo: AFP" not in article.body
    assert article.statements.filter(text="We are close to an agreement on the first items").exists()
