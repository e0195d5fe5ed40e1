"""Admin logins are throttled: repeated wrong passwords lock the user name out from that address."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from archive.security import client_ip

PASSWORD = "a-long-pass-phrase"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


def attempt(client, password, username="editor", address="198.51.100.7"):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_axes_locks_out_after_the_failure_limit(editor):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "wrong")
        assert response.status_code == 200  # the login form again, with its error
    response = attempt(client, "wrong")
    assert response.status_code == 429
    # Locked out: even the right password is refused now, with the lockout page.
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed logins" in html
    assert f"locked after {settings.AXES_FAILURE_LIMIT} wrong passwords" in html
    assert "Try again in" in html
    assert int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_axes_lockout_is_per_address_and_user_name(editor):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 429
    other = Client()
    response = attempt(other, PASSWORD, address="203.0.113.9")
    assert response.status_code == 302
    assert "_auth_user_id" in other.session


def test_axes_successful_login_resets_the_count(editor):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="editor").exists()


def test_axes_backend_lets_logins_without_a_request_through(editor):
    # The test client and scripts log in without a request; there is no client address to lock.
    assert Client().login(username="editor", password=PASSWORD)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_client_ip_takes_the_address_our_proxy_saw():
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 192.0.2.44")
    # The client forged 10.9.9.9; our one proxy appended the real address last.
    assert client_ip(request) == "192.0.2.44"


def test_client_ip_ignores_forwarded_header_without_trusted_proxies():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert client_ip(request) == "192.0.2.1"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_axes_behind_a_proxy_locks_the_pair_not_the_user_name_for_everyone(editor):
    """Every request comes from the proxy's address; the lockout keys on the client the proxy names."""

    def through_proxy(client, password, client_address):
        return client.post(
            reverse("admin:login"),
            {"username": "editor", "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=client_address,
        )

    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        through_proxy(attacker, "wrong", "198.51.100.66")
    assert through_proxy(attacker, PASSWORD, "198.51.100.66").status_code == 429
    colleague = Client()
    response = through_proxy(colleague, PASSWORD, "203.0.113.20")
    assert response.status_code == 302
    assert "_auth_user_id" in colleague.session


@pytest.mark.parametrize("unsafe", ["https://attacker.example/", "//attacker.example/x", "javascript:alert(1)"])
def test_login_with_an_unsafe_next_lands_on_the_admin_index(editor, unsafe):
    client = Client()
    response = client.post(
        reverse("admin:login") + "?next=" + unsafe,
        {"username": "editor", "password": PASSWORD, "next": unsafe},
        REMOTE_ADDR="198.51.100.8",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200
