"""Alerts end to end against a real SMTP server on 127.0.0.1 (aiosmtpd): sign-up to unsubscribe."""

import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.management import CommandError, call_command
from django.urls import reverse

from archive.alerts.models import AlertDelivery, Subscription
from tests.alerts_fixtures import PASSWORD, make_reader, new_statement

pytest_plugins = ["tests.search_fixtures", "tests.alerts_fixtures"]


class Mailbox:
    """What the test SMTP server received; it refuses mail to the addresses in `refuse` (451)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_DATA(self, server, session, envelope):
        if self.refuse & {address.lower() for address in envelope.rcpt_tos}:
            return "451 Requested action aborted: try again later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["To"]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """An SMTP server for the test, and the site's mail pointed at it."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "http://testserver"
    yield mailbox
    controller.stop()


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def test_sign_up_confirm_save_publish_mail_unsubscribe(smtp, archive, client):
    # Sign up: a confirmation mail, and no account rights before it is confirmed.
    response = client.post(
        reverse("account_signup"), {"email": "new.reader@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    (confirmation,) = smtp.to("new.reader@example.org")
    link = re.search(r"http://testserver(/accounts/confirm-email/[^\s]+/)", text_of(confirmation)).group(1)
    page = client.get(link)
    assert page.status_code == 200 and "Confirm" in page.content.decode()
    confirmed = client.post(link)
    assert confirmed.status_code == 302 and confirmed["Location"] == reverse("alerts:alert_list")
    # Logged in by the confirmation; save a search for the envoy on the prisoner release.
    query = f"q=Khalilzad&topic={archive['prisoners'].slug}"
    response = client.post(
        reverse("alerts:save_search"), {"query": query, "name": "Envoy on prisoners", "frequency": "immediate"}
    )
    assert response["Location"] == reverse("alerts:alert_list")
    alert = Subscription.objects.get(user__email="new.reader@example.org")

    statement = new_statement(
        speaker=archive["envoy"], words="Prisoners will walk free in two weeks", topics=[archive["prisoners"]]
    )
    new_statement(speaker=archive["envoy"], words="Nothing on prisoners in this one")
    call_command("send_alerts", verbosity=0)

    (alert_mail,) = smtp.to("new.reader@example.org")[1:]
    assert "new statement" in alert_mail["Subject"]
    body = text_of(alert_mail)
    assert "Prisoners will walk free in two weeks" in body
    assert "Nothing on prisoners" not in body
    sentence = f"http://testserver{statement.place_url}"
    assert sentence in body and f'href="{sentence}"' in html_of(alert_mail)
    article = client.get(statement.article.get_absolute_url())
    assert f'id="s-{statement.pk}"' in article.content.decode()  # the link lands on the sentence
    assert alert_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # One click (RFC 8058), from a client with no session.
    unsubscribe = str(alert_mail["List-Unsubscribe"]).strip().strip("<>").removeprefix("http://testserver")
    client.logout()
    assert client.post(unsubscribe, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Subscription.objects.filter(pk=alert.pk).exists()

    new_statement(speaker=archive["envoy"], words="Prisoners again, after unsubscribing", topics=[archive["prisoners"]])
    call_command("send_alerts", verbosity=0)
    assert len(smtp.to("new.reader@example.org")) == 2  # the confirmation and the one alert


def test_a_failed_mail_is_sent_by_the_next_run_and_nobody_gets_a_duplicate(smtp, archive):
    readers = [make_reader(f"reader{n}@example.org") for n in (1, 2, 3)]
    from archive.alerts import services

    for reader in readers:
        services.create_subscription(
            user=reader, kind="actor", name="The envoy", frequency="immediate", target=archive["envoy"]
        )
    first = new_statement(speaker=archive["envoy"], words="The first thing said")
    smtp.refuse = {"reader2@example.org"}
    with pytest.raises(CommandError, match="1 alert mails or checks failed"):
        call_command("send_alerts", verbosity=0)
    assert [len(smtp.to(r.email)) for r in readers] == [1, 0, 1]  # the third is not held up by the second
    assert AlertDelivery.objects.filter(sent_at__isnull=True).count() == 1

    smtp.refuse = set()
    second = new_statement(speaker=archive["envoy"], words="The second thing said")
    call_command("send_alerts", verbosity=0)
    call_command("send_alerts", verbosity=0)
    counts = {r.email: len(smtp.to(r.email)) for r in readers}
    assert counts == {"reader1@example.org": 2, "reader2@example.org": 1, "reader3@example.org": 2}
    # The second reader's one mail holds both statements, each once; the others got each once.
    (late,) = smtp.to("reader2@example.org")
    assert text_of(late).count("The first thing said") == 1 and "The second thing said" in text_of(late)
    for address in ("reader1@example.org", "reader3@example.org"):
        bodies = [text_of(m) for m in smtp.to(address)]
        assert sum(b.count("The first thing said") for b in bodies) == 1
        assert sum(b.count("The second thing said") for b in bodies) == 1
    assert AlertDelivery.objects.filter(sent_at__isnull=True).count() == 0
    assert {d.statement_id for d in AlertDelivery.objects.all()} == {first.pk, second.pk}


def test_a_run_that_dies_mid_way_resends_only_what_was_not_sent(smtp, archive, monkeypatch):
    from archive.alerts import mail, services

    readers = [make_reader(f"crash{n}@example.org") for n in (1, 2)]
    for reader in readers:
        services.create_subscription(
            user=reader, kind="actor", name="The envoy", frequency="immediate", target=archive["envoy"]
        )
    new_statement(speaker=archive["envoy"], words="Said before the crash")
    real = mail.alert_message
    calls = []

    def dying(**kwargs):
        calls.append(kwargs["address"])
        if len(calls) == 2:
            raise SystemExit("the process is killed")
        return real(**kwargs)

    monkeypatch.setattr(mail, "alert_message", dying)
    with pytest.raises(SystemExit):
        services.send_alerts()
    monkeypatch.setattr(mail, "alert_message", real)
    services.send_alerts()
    assert [len(smtp.to(r.email)) for r in readers] == [1, 1]
