"""Every POST form refuses a request without its CSRF token."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from archive.models import Source


@pytest.fixture
def csrf_client(db):
    user = get_user_model().objects.create_superuser("chief", "chief@example.org", "a-long-pass-phrase")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_token(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.cookies["csrftoken"].value if "csrftoken" in response.cookies else client.cookies["csrftoken"].value


def test_admin_login_refuses_post_without_token(db):
    get_user_model().objects.create_superuser("chief", "chief@example.org", "a-long-pass-phrase")
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin:login"), {"username": "chief", "password": "a-long-pass-phrase"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_admin_login_accepts_post_with_token(db):
    get_user_model().objects.create_superuser("chief", "chief@example.org", "a-long-pass-phrase")
    client = Client(enforce_csrf_checks=True)
    token = csrf_token(client, reverse("admin:login"))
    response = client.post(
        reverse("admin:login"),
        {"username": "chief", "password": "a-long-pass-phrase", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_admin_logout_refuses_post_without_token(csrf_client):
    response = csrf_client.post(reverse("admin:logout"))
    assert response.status_code == 403
    assert "_auth_user_id" in csrf_client.session


def test_admin_add_form_refuses_post_without_token(csrf_client):
    if not admin.site.is_registered(Source):
        pytest.skip("Source is not registered in the admin on this branch")
    url = reverse("admin:archive_source_add")
    response = csrf_client.post(url, {"name": "Forged Source"})
    assert response.status_code == 403
    assert not Source.objects.filter(name="Forged Source").exists()
    token = csrf_token(csrf_client, url)
    response = csrf_client.post(url, {"name": "Real Source", "csrfmiddlewaretoken": token})
    assert response.status_code in (200, 302)
    assert response.status_code == 302, "the add form with a token should save"
    assert Source.objects.filter(name="Real Source").exists()


def test_import_upload_refuses_post_without_token(csrf_client):
    url = reverse("archive_import")
    upload = SimpleUploadedFile("forged.txt", b"Forged headline\n\nBody text.", content_type="text/plain")
    response = csrf_client.post(url, {"files": [upload]})
    assert response.status_code == 403
