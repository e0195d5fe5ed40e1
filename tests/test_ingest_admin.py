"""The admin import page: who may use it, uploads checked for type and size, the report shown."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from archive.models import Article

SAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "samples"
URL = "/admin/import/"


def upload(name, content_type="text/plain"):
    return SimpleUploadedFile(name, (SAMPLES / name).read_bytes(), content_type=content_type)


@pytest.fixture
def editor(client, db):
    user = get_user_model().objects.create_user("editor", "editor@example.org", "a-long-pass-phrase", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_article", content_type__app_label="archive"))
    client.force_login(user)
    return client


def test_import_url_is_routed_before_the_admin():
    assert reverse("archive_import") == URL


def test_import_page_redirects_anonymous_users_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_import_page_refuses_non_staff_users(client, db):
    user = get_user_model().objects.create_user("reader", "reader@example.org", "a-long-pass-phrase")
    user.user_permissions.add(Permission.objects.get(codename="add_article", content_type__app_label="archive"))
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_import_page_refuses_staff_without_add_permission(client, db):
    user = get_user_model().objects.create_user("clerk", "clerk@example.org", "a-long-pass-phrase", is_staff=True)
    client.force_login(user)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"files": [upload("envoy_briefing.txt")]})
    assert response.status_code == 403
    assert Article.objects.count() == 0


def test_import_page_shows_the_form(editor):
    response = editor.get(URL)
    assert response.status_code == 200
    assert b'type="file"' in response.content and b"multiple" in response.content
    assert b"Import articles" in response.content


def test_import_page_imports_several_files_and_shows_the_report(editor):
    files = [upload("envoy_briefing.txt"), upload("kabul_talks.html", "text/html"), upload("cp1252.txt")]
    response = editor.post(URL, {"files": files})
    assert response.status_code == 200
    content = response.content.decode()
    assert "3 created, 0 duplicate (skipped), 0 updated, 0 failed" in content
    assert "Taliban and Kabul negotiators agree to resume talks in Doha" in content
    assert Article.objects.count() == 3

    again = editor.post(URL, {"files": [upload("envoy_briefing.txt")]})
    assert "0 created, 1 duplicate (skipped), 0 updated, 0 failed" in again.content.decode()


def test_import_page_reports_bad_files_without_stopping_the_others(editor):
    empty = SimpleUploadedFile("empty.txt", b"", content_type="text/plain")
    response = editor.post(URL, {"files": [empty, upload("envoy_briefing.txt")]})
    content = response.content.decode()
    assert "1 created, 0 duplicate (skipped), 0 updated, 1 failed" in content
    assert "The file is empty." in content


def test_import_page_refuses_wrong_type_with_a_message(editor):
    picture = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, content_type="image/png")
    response = editor.post(URL, {"files": [picture, upload("envoy_briefing.txt")]})
    assert response.status_code == 200
    assert "photo.png: not a text or HTML file (.txt, .html or .htm)." in response.content.decode()
    assert Article.objects.count() == 0


def test_import_page_refuses_text_name_with_wrong_content_type(editor):
    disguised = SimpleUploadedFile("notes.txt", b"%PDF-1.4", content_type="application/pdf")
    response = editor.post(URL, {"files": [disguised]})
    assert "notes.txt: not a text or HTML file" in response.content.decode()


@override_settings(ARCHIVE_IMPORT_MAX_BYTES=100)
def test_import_page_refuses_a_file_over_the_limit(editor):
    response = editor.post(URL, {"files": [upload("envoy_briefing.txt")]})
    content = response.content.decode()
    assert "envoy_briefing.txt: too large" in content
    assert Article.objects.count() == 0


def test_import_page_asks_for_a_file(editor):
    response = editor.post(URL, {})
    assert "Choose one or more files to import." in response.content.decode()


@pytest.mark.django_db
def test_flagged_article_and_possible_duplicate_alias_are_shown_to_editors(admin_client):
    from archive.models import Actor, Alias
    from tests.factories import ActorFactory, AliasFactory, ArticleFactory

    stopped = ArticleFactory(
        title="A list of quoted lines", extraction_stopped="Statement extraction stopped: too many."
    )
    ArticleFactory(title="An ordinary article")
    response = admin_client.get(reverse("admin:archive_article_changelist"), {"extraction": "stopped"})
    assert response.status_code == 200
    assert [a.pk for a in response.context["cl"].result_list] == [stopped.pk]
    page = admin_client.get(reverse("admin:archive_article_change", args=[stopped.pk]))
    assert "Statement extraction stopped: too many." in page.content.decode()

    baradar = ActorFactory(name="Abdul Ghani Baradar")
    AliasFactory(actor=baradar, name="Mullah Baradar")
    Alias.objects.create(actor=baradar, name="Barader", possible_duplicate=True)
    ActorFactory(name="Ned Price")
    response = admin_client.get(reverse("admin:archive_actor_changelist"), {"variants": "yes"})
    assert [a.pk for a in response.context["cl"].result_list] == [baradar.pk]
    response = admin_client.get(reverse("admin:archive_alias_changelist"), {"possible_duplicate__exact": "1"})
    assert [a.name for a in response.context["cl"].result_list] == ["Barader"]
    assert Actor.objects.count() == 2
