"""Near-duplicates: signatures, the LSH index, the import report and the editor's choice in the admin."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive import services
from archive.ingest import duplicates, import_paths
from archive.models import Article, ArticleBand, Statement

STORY = [
    "Council agrees on the order of the Doha agenda",
    "DOHA – The two negotiating teams agreed on Wednesday on the order in which the items of the agenda "
    "will be discussed, ending a dispute that had held up the talks for almost three weeks.",
    "“We have a sequence now, and the first item is a reduction in violence,” Nader Nadery told reporters "
    "outside the hotel where the delegations meet.",
    "A member of the other delegation said the movement had accepted the order after consulting its "
    "leaders, but that the release of prisoners would come up early in the discussions.",
    "Diplomats from three countries that follow the talks welcomed the step and urged both sides to agree "
    "on a timetable for the remaining items before the winter.",
]
OTHER = [
    "Traders reopen the main bazaar in Kandahar after floods",
    "KANDAHAR – Shopkeepers in the old city began clearing mud from their stalls on Thursday after the worst "
    "floods in a decade swept through the lower districts of the province.",
    "The provincial disaster office said more than two hundred homes had been damaged and that aid would reach "
    "the worst hit villages by the end of the week.",
]


def write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_signature_similarity_of_a_one_word_correction_and_of_another_story():
    original = "\n\n".join(STORY[1:])
    corrected = original.replace("almost three weeks", "almost four weeks")
    assert duplicates.similarity(duplicates.signature(original), duplicates.signature(corrected)) >= 0.85
    unrelated = "\n\n".join(OTHER[1:])
    assert duplicates.similarity(duplicates.signature(original), duplicates.signature(unrelated)) < 0.2


def test_signature_survives_storage_as_bytes():
    minhash = duplicates.signature("\n\n".join(STORY))
    data = duplicates.to_bytes(minhash)
    assert len(data) == duplicates.NUM_PERM * 4
    assert duplicates.similarity(duplicates.from_bytes(data), minhash) == 1.0


def test_band_keys_agree_for_alike_texts_and_differ_for_others():
    original = duplicates.signature("\n\n".join(STORY))
    corrected = duplicates.signature("\n\n".join(STORY).replace("Wednesday", "Tuesday"))
    other = duplicates.signature("\n\n".join(OTHER))
    keys = duplicates.band_keys(original)
    assert len(keys) == duplicates.BANDS and all(-(2**63) <= k < 2**63 for k in keys)
    assert len(set(keys) & set(duplicates.band_keys(corrected))) >= 2
    assert not set(keys) & set(duplicates.band_keys(other))


@pytest.mark.django_db
def test_import_flags_a_repost_under_other_chrome_and_reports_it(tmp_path):
    write(tmp_path, "wire.txt", ["World News", *STORY, "Share this article"])
    repost = ["Kabul Evening Post", "Home | Politics | World | Opinion", *STORY, "Most Read", "Taliban names new envoy"]
    repost[3] = repost[3].replace("almost three weeks", "nearly three weeks")
    write(tmp_path, "repost.txt", repost)
    report = import_paths([tmp_path / "wire.txt", tmp_path / "repost.txt"])
    assert report.counts() == {"created": 2, "duplicate": 0, "updated": 0, "failed": 0}
    wire = Article.objects.get(import_reference="wire.txt")
    copy = Article.objects.get(import_reference="repost.txt")
    assert copy.possible_duplicate_of == wire and copy.duplicate_similarity >= 0.8
    assert wire.possible_duplicate_of is None
    text = report.as_text()
    assert "1 possible duplicate(s) of stored articles to review" in text
    assert f"possible duplicate of “{wire.title}” (#{wire.pk}," in text


@pytest.mark.django_db
def test_import_does_not_flag_a_different_story(tmp_path):
    write(tmp_path, "talks.txt", STORY)
    write(tmp_path, "floods.txt", OTHER)
    report = import_paths([tmp_path])
    assert report.counts()["created"] == 2
    assert not Article.objects.filter(possible_duplicate_of__isnull=False).exists()
    assert report.possible_duplicates == []


@pytest.mark.django_db
def test_articles_stored_without_a_signature_get_one_and_are_still_found(tmp_path):
    import_paths([write(tmp_path, "first.txt", STORY)])
    # As a fixture load or a bulk update leaves them: no signature, no bands.
    Article.objects.update(text_signature=None)
    ArticleBand.objects.all().delete()
    copy = STORY[:-1] + [STORY[-1].replace("winter", "spring")]
    import_paths([write(tmp_path, "second.txt", copy)])
    first = Article.objects.get(import_reference="first.txt")
    assert first.text_signature is not None and first.signature_bands.count() == duplicates.BANDS
    assert Article.objects.get(import_reference="second.txt").possible_duplicate_of == first


@pytest.mark.django_db
def test_saving_a_new_body_renews_the_signature(tmp_path):
    import_paths([write(tmp_path, "talks.txt", STORY)])
    article = Article.objects.get()
    before = bytes(article.text_signature)
    article.body = "\n\n".join(OTHER[1:])
    article.save()
    article.refresh_from_db()
    assert bytes(article.text_signature) != before
    assert bytes(article.text_signature) == duplicates.to_bytes(duplicates.signature(article.body))


@pytest.mark.django_db
def test_admin_upload_report_links_the_possible_duplicate(editor_client):
    first = SimpleUploadedFile("a.txt", "\n\n".join(STORY).encode(), content_type="text/plain")
    editor_client.post("/admin/import/", {"files": [first]})
    original = Article.objects.get()
    copy = SimpleUploadedFile("b.txt", "\n\n".join(STORY).replace("Wednesday", "Tuesday").encode(), "text/plain")
    response = editor_client.post("/admin/import/", {"files": [copy]})
    html = response.content.decode()
    assert "Possible duplicate of" in html
    assert reverse("admin:archive_article_change", args=[original.pk]) in html


@pytest.fixture
def flagged(db, tmp_path):
    import_paths([write(tmp_path, "wire.txt", STORY)])
    copy = [*STORY]
    copy[2] = copy[2].replace("first item", "first point")
    import_paths([write(tmp_path, "copy.txt", copy)])
    return Article.objects.get(import_reference="copy.txt")


def test_admin_change_page_shows_the_possible_duplicate_with_a_link(editor_client, flagged):
    response = editor_client.get(reverse("admin:archive_article_change", args=[flagged.pk]))
    html = response.content.decode()
    assert "Possible duplicate" in html
    assert reverse("admin:archive_article_change", args=[flagged.possible_duplicate_of_id]) in html
    assert reverse("admin:archive_article_duplicate", args=[flagged.pk]) in html
    listing = editor_client.get(reverse("admin:archive_article_changelist") + "?duplicate=yes")
    assert listing.context["cl"].result_count == 1
    original = reverse("admin:archive_article_change", args=[flagged.possible_duplicate_of_id])
    assert f'<td class="field-duplicate_of"><a href="{original}">' in listing.content.decode()


def test_admin_duplicate_page_keep_both_clears_the_flag(editor_client, flagged):
    url = reverse("admin:archive_article_duplicate", args=[flagged.pk])
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url, {"choice": "keep"})
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.possible_duplicate_of is None
    assert Article.objects.count() == 2
    assert flagged.history.first().history_change_reason.startswith("Kept beside possible duplicate")


def test_admin_duplicate_page_skip_removes_the_draft_copy(editor_client, flagged):
    original = flagged.possible_duplicate_of
    editor_client.post(reverse("admin:archive_article_duplicate", args=[flagged.pk]), {"choice": "skip"})
    assert list(Article.objects.all()) == [original]


def test_replace_gives_the_stored_article_the_new_text_and_keeps_verified_statements(editor, flagged):
    original = flagged.possible_duplicate_of
    # A statement whose words are in both copies stays verified and moves with its words.
    kept = next(s for s in original.statements.all() if s.text in flagged.body and "first item" not in s.text)
    kept.review_status = Statement.ReviewStatus.VERIFIED
    kept.save()
    original.status = Article.Status.PUBLISHED
    original.save()
    new_body = flagged.body
    message = services.resolve_possible_duplicate(flagged, "replace", user=editor)
    assert "1 verified or rejected statement(s) kept" in message
    assert list(Article.objects.all()) == [original]
    original.refresh_from_db()
    assert original.body == new_body and original.status == Article.Status.PUBLISHED
    kept.refresh_from_db()
    assert kept.review_status == Statement.ReviewStatus.VERIFIED
    assert new_body[kept.start : kept.end] == kept.text
    assert original.statements.filter(text__contains="first point").exists()
    assert original.history.first().history_change_reason == "Text replaced by a newer copy"


def test_replace_is_refused_when_a_verified_statement_would_lose_its_words(editor, flagged):
    original = flagged.possible_duplicate_of
    verified = original.statements.get(text="We have a sequence now, and the first item is a reduction in violence")
    verified.review_status = Statement.ReviewStatus.VERIFIED
    verified.save()
    with pytest.raises(services.ValidationError, match="no longer contains 1 verified statement"):
        services.resolve_possible_duplicate(flagged, "replace", user=editor)
    assert Article.objects.count() == 2  # nothing was written half-way
    assert original.statements.filter(review_status=Statement.ReviewStatus.VERIFIED).count() == 1


def test_replace_and_skip_apply_to_drafts_only(editor, flagged):
    flagged.status = Article.Status.PUBLISHED
    flagged.save()
    with pytest.raises(services.ValidationError, match="Only a draft"):
        services.resolve_possible_duplicate(flagged, "skip", user=editor)
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_finder_follows_articles_edited_added_or_deleted(tmp_path):
    from archive.ingest.finder import DuplicateFinder

    import_paths([write(tmp_path, "talks.txt", STORY)])
    stored = Article.objects.get()
    assert stored.signature_bands.count() == duplicates.BANDS
    finder = DuplicateFinder()
    copy = duplicates.signature("\n\n".join(STORY[1:]).replace("Wednesday", "Thursday"))
    assert finder.find(copy)[0] == stored.pk
    # Edited in the admin: its bands follow the new text, so it no longer matches.
    stored.body = "\n\n".join(OTHER[1:])
    stored.save()
    assert finder.find(copy) is None
    assert finder.find(duplicates.signature(stored.body))[0] == stored.pk
    import_paths([write(tmp_path, "again.txt", STORY[:1] + [STORY[1] + " Talks resume on Sunday."] + STORY[2:])])
    assert finder.find(copy)[0] == Article.objects.get(import_reference="again.txt").pk
    Article.objects.all().delete()
    assert finder.find(copy) is None
