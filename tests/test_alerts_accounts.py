"""Readers' accounts: never staff, confirmed addresses, no account enumeration, rate limits, Axes, CSP, HTML."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from archive.alerts import services
from archive.alerts.email_url import email_settings
from tests.alerts_fixtures import PASSWORD, make_reader
from tests.test_html_validity import ACCEPTED, nu_messages
from tests.test_security_headers import csp_directives

pytest_plugins = ["tests.search_fixtures", "tests.alerts_fixtures"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits and lockouts count in the cache: each test starts from none."""
    cache.clear()
    yield
    cache.clear()


def sign_up(client, address, **extra):
    return client.post(
        reverse("account_signup"), {"email": address, "password1": PASSWORD, "password2": PASSWORD, **extra}
    )


def test_a_sign_up_makes_a_reader_never_staff(db, mailoutbox):
    client = Client()
    sign_up(client, "eager@example.org", is_staff="on", is_superuser="on")
    user = get_user_model().objects.get(email="eager@example.org")
    assert not user.is_staff and not user.is_superuser
    assert not EmailAddress.objects.get(user=user).verified
    (confirmation,) = mailoutbox
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", confirmation.body).group(1)
    client.post(link)
    assert EmailAddress.objects.get(user=user).verified
    # Confirmed and signed in, a reader still cannot use the admin.
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert client.get(reverse("alerts:alert_list")).status_code == 200


def test_an_unconfirmed_reader_cannot_sign_in(db):
    make_reader("unconfirmed@example.org", verified=False)
    client = Client()
    response = client.post(reverse("account_login"), {"login": "unconfirmed@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("alerts:alert_list")).status_code == 302


def test_a_confirmed_reader_signs_in_to_their_alerts_and_out(db):
    make_reader("known@example.org")
    client = Client()
    response = client.post(reverse("account_login"), {"login": "known@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("alerts:alert_list")
    client.post(reverse("account_logout"))
    assert client.get(reverse("alerts:alert_list")).status_code == 302


def test_editors_still_log_in_at_the_admin(db):
    get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": "editor", "password": PASSWORD}, REMOTE_ADDR="192.0.2.4"
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_sign_up_and_password_reset_do_not_reveal_accounts(db, mailoutbox):
    make_reader("taken@example.org")
    taken, fresh = Client(), Client()
    first, second = sign_up(taken, "taken@example.org"), sign_up(fresh, "nobody@example.org")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    reset_taken = Client().post(reverse("account_reset_password"), {"email": "taken@example.org"})
    reset_fresh = Client().post(reverse("account_reset_password"), {"email": "unknown@example.org"})
    assert reset_taken.status_code == reset_fresh.status_code == 302
    assert reset_taken["Location"] == reset_fresh["Location"]
    # The owner of the taken address hears of it by mail, nobody else.
    assert {m.to[0] for m in mailoutbox} >= {"taken@example.org", "nobody@example.org"}
    assert get_user_model().objects.filter(email="taken@example.org").count() == 1


def test_sign_up_and_password_reset_are_rate_limited(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip", "reset_password": "2/h/ip"}
    client = Client()
    codes = [sign_up(client, f"flood{n}@example.org").status_code for n in range(3)]
    assert codes[:2] == [302, 302] and codes[2] == 429
    codes = [
        Client().post(reverse("account_reset_password"), {"email": f"r{n}@example.org"}).status_code for n in range(3)
    ]
    assert codes == [302, 302, 429]


def test_axes_locks_out_repeated_wrong_reader_passwords(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": False}
    make_reader("target@example.org")
    client = Client()

    def attempt(password, address="198.51.100.20"):
        return client.post(
            reverse("account_login"), {"login": "target@example.org", "password": password}, REMOTE_ADDR=address
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("wrong")
    response = attempt(PASSWORD)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address still signs in.
    other = Client()
    response = other.post(
        reverse("account_login"), {"login": "target@example.org", "password": PASSWORD}, REMOTE_ADDR="203.0.113.30"
    )
    assert response.status_code == 302 and "_auth_user_id" in other.session


def signed_in_pages(archive, reader) -> dict[str, str]:
    alert = services.create_subscription(
        user=reader, kind="actor", name="The envoy", frequency="daily", target=archive["envoy"]
    )
    services.create_subscription(user=reader, kind="search", name="Doha", frequency="weekly", query="q=Doha")
    token = services.unsubscribe_token(user_id=reader.pk, subscription_id=alert.pk)
    return {
        "alerts": reverse("alerts:alert_list"),
        "follow": reverse("alerts:follow", args=["topic", archive["prisoners"].pk]),
        "edit": reverse("alerts:edit", args=[alert.pk]),
        "unsubscribe": reverse("alerts:unsubscribe", args=[token]),
        "delete_account": reverse("alerts:delete_account"),
        "email": reverse("account_email"),
        "password": reverse("account_change_password"),
        "logout": reverse("account_logout"),
        "search": "/search/?q=Khalilzad",
    }


def test_signed_in_pages_send_a_strict_csp(archive, reader_client, reader):
    for name, url in signed_in_pages(archive, reader).items():
        response = reader_client.get(url)
        assert response.status_code == 200, name
        csp = csp_directives(response)
        assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"], name
        assert csp["form-action"] == ["'self'"], name
        assert response["X-Frame-Options"] == "DENY", name


def test_signed_in_and_account_pages_are_valid_html(archive, reader_client, reader, tmp_path):
    pages = signed_in_pages(archive, reader)
    files, names = [], {}
    for name, url in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(reader_client.get(url).content)
        files.append(str(path))
        names[path.as_uri()] = name
    # An invalid form, as a reader sees it after a mistake.
    path = tmp_path / "signup-errors.html"
    path.write_bytes(Client().post(reverse("account_signup"), {"email": "not-an-address", "password1": "x"}).content)
    files.append(str(path))
    names[path.as_uri()] = "signup with errors"
    problems = [
        f"{names.get(m.get('url'), m.get('url'))} line {m.get('lastLine')}: {m.get('message')}"
        for m in nu_messages(files)
        if m.get("message") not in ACCEPTED
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("console:", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            "smtp+tls://alerts%40example.org:p%40ss@mail.example.org",
            {"EMAIL_HOST": "mail.example.org", "EMAIL_PORT": 587, "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False,
             "EMAIL_HOST_USER": "alerts@example.org", "EMAIL_HOST_PASSWORD": "p@ss"},
        ),
        ("smtps://mail.example.org", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
        ("smtp://127.0.0.1:2525?tls=1", {"EMAIL_PORT": 2525, "EMAIL_USE_TLS": True}),
        ("smtp://localhost", {"EMAIL_PORT": 25, "EMAIL_USE_TLS": False, "EMAIL_HOST_USER": ""}),
    ],
)  # fmt: skip
def test_email_url_gives_django_email_settings(url, expected):
    found = email_settings(url)
    assert {key: found[key] for key in expected} == expected


def test_email_url_refuses_what_it_does_not_know():
    with pytest.raises(ValueError, match="unknown scheme"):
        email_settings("smtq://mail.example.org")
    with pytest.raises(ValueError, match="not both"):
        email_settings("smtps://mail.example.org?tls=1")
