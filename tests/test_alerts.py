"""Readers' alerts: saving and following, what is new, due times, limits, unsubscribing, leaving."""

import contextlib
import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from archive.agreements.models import Agreement, Provision, StatementProvisionLink
from archive.alerts import services
from archive.alerts.models import AlertDelivery, Publication, Subscription
from archive.models import Article, IndexOutbox
from tests.alerts_fixtures import PASSWORD, make_reader, new_statement, publish

pytest_plugins = ["tests.search_fixtures", "tests.alerts_fixtures"]

NOW = datetime.datetime(2026, 3, 2, 7, 0, tzinfo=datetime.UTC)


def follow(user, target, kind="actor", frequency="immediate"):
    return services.create_subscription(
        user=user, kind=kind, name=f"Follow {target}", frequency=frequency, target=target
    )


def save(user, query, frequency="immediate", name="My search"):
    return services.create_subscription(user=user, kind="search", name=name, frequency=frequency, query=query)


# --- what is new -----------------------------------------------------------------------------------


def test_only_statements_made_public_after_following_are_sent(archive, reader, mailoutbox):
    follow(reader, archive["envoy"])
    assert services.send_alerts(now=NOW).readers_mailed == 0  # the envoy's old statements are not news
    fresh = new_statement(speaker=archive["envoy"], words="We will meet again in Doha next week")
    report = services.send_alerts(now=NOW)
    assert (report.readers_mailed, report.statements_sent) == (1, 1)
    (message,) = mailoutbox
    assert message.to == ["reader@example.org"]
    assert "We will meet again in Doha next week" in message.body
    assert f"http://127.0.0.1:8000{fresh.place_url}" in message.body


def test_a_draft_made_public_later_with_an_old_date_is_sent(archive, reader, mailoutbox):
    draft = new_statement(
        speaker=archive["envoy"],
        words="The channel stays open",
        status=Article.Status.DRAFT,
        published_date=datetime.date(2019, 1, 5),
    )
    follow(reader, archive["envoy"])
    services.send_alerts(now=NOW)
    assert mailoutbox == []  # still a draft
    publish(draft.article)
    services.send_alerts(now=NOW)
    (message,) = mailoutbox
    assert "The channel stays open" in message.body
    assert "5 January 2019" in message.body


def test_a_second_run_sends_nothing_again(archive, reader, mailoutbox):
    follow(reader, archive["envoy"])
    new_statement(speaker=archive["envoy"], words="Talks will go on")
    services.send_alerts(now=NOW)
    services.send_alerts(now=NOW + datetime.timedelta(minutes=5))
    call_command("send_alerts", verbosity=0)
    assert len(mailoutbox) == 1
    assert AlertDelivery.objects.filter(sent_at__isnull=True).count() == 0


def test_rejected_and_draft_statements_are_never_sent(archive, reader, mailoutbox):
    follow(reader, archive["envoy"])
    rejected = new_statement(speaker=archive["envoy"], words="A word later rejected")
    rejected.review_status = "rejected"
    rejected.save()
    new_statement(speaker=archive["envoy"], words="A word in a draft", status=Article.Status.DRAFT)
    services.send_alerts(now=NOW)
    assert mailoutbox == []


def test_topic_and_search_alerts_match_what_they_follow(archive, reader, mailoutbox):
    follow(reader, archive["prisoners"], kind="topic")
    save(reader, f"q=Khalilzad&topic={archive['prisoners'].slug}", name="Envoy on prisoners")
    on_topic = new_statement(
        speaker=archive["envoy"], words="Prisoners will be freed in stages", topics=[archive["prisoners"]]
    )
    new_statement(speaker=archive["envoy"], words="The weather in Doha is fine")  # neither
    new_statement(speaker=archive["baradar"], words="Our prisoners come first", topics=[archive["prisoners"]])
    services.send_alerts(now=NOW)
    (message,) = mailoutbox
    search_part = message.body.split("== Envoy on prisoners (saved search) ==")[1].split("\n== ")[0]
    assert "Prisoners will be freed in stages" in search_part
    assert "Our prisoners come first" not in search_part
    assert "The weather in Doha" not in message.body
    assert AlertDelivery.objects.filter(statement=on_topic).count() == 2  # one per alert


def test_provision_follow_gets_statements_linked_to_it(archive, reader, mailoutbox):
    provision = _provision(archive)
    follow(reader, provision, kind="provision")
    linked = new_statement(speaker=archive["baradar"], words="The release clause binds both sides")
    new_statement(speaker=archive["baradar"], words="Unrelated remarks on the weather")
    StatementProvisionLink.objects.create(
        statement=linked, provision=provision, relation="claims_kept", review_status="confirmed"
    )
    services.send_alerts(now=NOW)
    (message,) = mailoutbox
    assert "The release clause binds both sides" in message.body
    assert "Unrelated remarks" not in message.body


def _provision(archive):
    agreement = Agreement.objects.create(
        title="An agreement of the tests",
        short_title="Test agreement",
        signed_date=datetime.date(2020, 2, 29),
        summary="The sides agree on a release of prisoners.",
    )
    return Provision.objects.create(
        agreement=agreement,
        number="Part Two",
        slug="release",
        position=1,
        title="Prisoners are released",
        summary="Both sides release prisoners.",
        obligated_party=archive["usg"],
    )


# --- who gets mail -----------------------------------------------------------------------------------


def test_an_unconfirmed_address_gets_nothing_until_confirmed(archive, mailoutbox):
    pending = make_reader("pending@example.org", verified=False)
    follow(pending, archive["envoy"])
    new_statement(speaker=archive["envoy"], words="Nothing for the unconfirmed")
    report = services.send_alerts(now=NOW)
    assert (report.readers_mailed, report.skipped_unconfirmed) == (0, 1)
    assert mailoutbox == []
    EmailAddress.objects.filter(user=pending).update(verified=True)
    services.send_alerts(now=NOW)
    (message,) = mailoutbox
    assert "Nothing for the unconfirmed" in message.body  # kept for them, not lost


def test_paused_alerts_send_nothing_and_resume_from_then(archive, reader, mailoutbox):
    alert = follow(reader, archive["envoy"])
    services.set_paused(subscription=alert, paused=True)
    new_statement(speaker=archive["envoy"], words="Said while paused")
    services.send_alerts(now=NOW)
    assert mailoutbox == []
    services.set_paused(subscription=alert, paused=False)
    new_statement(speaker=archive["envoy"], words="Said after resuming")
    services.send_alerts(now=NOW)
    (message,) = mailoutbox
    assert "Said after resuming" in message.body and "Said while paused" not in message.body


# --- due times -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "not_yet", "due"),
    [
        ("immediate", None, datetime.timedelta(minutes=1)),
        ("daily", datetime.timedelta(hours=20), datetime.timedelta(hours=23, minutes=45)),
        ("weekly", datetime.timedelta(days=6), datetime.timedelta(days=7)),
    ],
)
def test_due_times_with_a_fixed_clock(archive, reader, mailoutbox, frequency, not_yet, due):
    follow(reader, archive["envoy"], frequency=frequency)
    services.send_alerts(now=NOW)  # the first run checks it
    new_statement(speaker=archive["envoy"], words="Something new to say")
    if not_yet is not None:
        services.send_alerts(now=NOW + not_yet)
        assert mailoutbox == []
    services.send_alerts(now=NOW + due)
    assert len(mailoutbox) == 1
    # After the mail, the next period starts from that run.
    new_statement(speaker=archive["envoy"], words="Something newer still")
    if not_yet is not None:
        services.send_alerts(now=NOW + due + not_yet)
        assert len(mailoutbox) == 1
    services.send_alerts(now=NOW + due + due)
    assert len(mailoutbox) == 2


def test_is_due_rules():
    alert = Subscription(frequency="daily", checked_at=None)
    assert services.is_due(subscription=alert, now=NOW)
    alert.checked_at = NOW
    assert not services.is_due(subscription=alert, now=NOW + datetime.timedelta(hours=23))
    assert services.is_due(subscription=alert, now=NOW + datetime.timedelta(hours=23, minutes=31))
    alert.frequency = "weekly"
    assert not services.is_due(subscription=alert, now=NOW + datetime.timedelta(days=6, hours=23))
    assert services.is_due(subscription=alert, now=NOW + datetime.timedelta(days=7))
    alert.paused = True
    assert not services.is_due(subscription=alert, now=NOW + datetime.timedelta(days=70))


# --- the mail ------------------------------------------------------------------------------------------


def test_mail_has_text_html_and_one_click_unsubscribe(archive, reader, mailoutbox, settings):
    settings.SITE_URL = "https://archive.example.org"
    follow(reader, archive["envoy"])
    fresh = new_statement(speaker=archive["envoy"], words="Both texts carry this")
    services.send_alerts(now=NOW)
    (message,) = mailoutbox
    ((html, kind),) = message.alternatives
    assert kind == "text/html"
    assert f'href="https://archive.example.org{fresh.place_url}"' in html
    assert "Both texts carry this" in html
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://archive.example.org/alerts/unsubscribe/") and header.endswith(">")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # RFC 8058: the mail client posts to it, with no session and no CSRF token.
    anonymous = Client(enforce_csrf_checks=True)
    path = header[1:-1].removeprefix("https://archive.example.org")
    response = anonymous.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.filter(user=reader).exists()


def test_unsubscribe_link_asks_first_then_deletes_one_alert(archive, reader, client):
    kept = follow(reader, archive["envoy"])
    gone = follow(reader, archive["prisoners"], kind="topic")
    token = services.unsubscribe_token(user_id=reader.pk, subscription_id=gone.pk)
    page = client.get(reverse("alerts:unsubscribe", args=[token]))
    assert page.status_code == 200
    assert gone.name in page.content.decode() and kept.name not in page.content.decode()
    assert Subscription.objects.filter(pk=gone.pk).exists()  # a GET (a mail scanner) changes nothing
    client.post(reverse("alerts:unsubscribe", args=[token]))
    assert list(Subscription.objects.filter(user=reader)) == [kept]
    again = client.get(reverse("alerts:unsubscribe", args=[token]))
    assert "already deleted" in again.content.decode()


def test_a_forged_unsubscribe_token_is_refused(archive, reader, client):
    follow(reader, archive["envoy"])
    token = services.unsubscribe_token(user_id=reader.pk)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.post(reverse("alerts:unsubscribe", args=[forged])).status_code == 400
    assert Subscription.objects.filter(user=reader).count() == 1


# --- pages -------------------------------------------------------------------------------------------


def test_save_this_search_from_the_search_page(archive, reader_client, reader):
    page = reader_client.get(f"/search/?q=Khalilzad&topic={archive['prisoners'].slug}&page=1")
    assert 'action="/alerts/save-search/"' in page.content.decode()
    response = reader_client.post(
        reverse("alerts:save_search"),
        {
            "query": f"q=Khalilzad&topic={archive['prisoners'].slug}&page=1&sort=oldest",
            "name": "Envoy",
            "frequency": "weekly",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("alerts:alert_list")
    (alert,) = Subscription.objects.filter(user=reader)
    assert (alert.kind, alert.query, alert.frequency) == (
        "search",
        f"q=Khalilzad&topic={archive['prisoners'].slug}",
        "weekly",
    )
    listing = reader_client.get(reverse("alerts:alert_list")).content.decode()
    assert "Envoy" in listing and "Weekly" in listing


@pytest.mark.parametrize("query", ["", "page=2", "q=x&topic=no-such-topic"])
def test_an_empty_or_broken_search_is_not_saved(archive, reader_client, reader, query):
    response = reader_client.post(reverse("alerts:save_search"), {"query": query, "name": "X", "frequency": "daily"})
    assert response.status_code == 302 and response["Location"].startswith("/search/")
    assert not Subscription.objects.filter(user=reader).exists()
    assert reader_client.get(response["Location"]).status_code == 200


def test_anonymous_readers_are_asked_to_sign_in(archive, client):
    page = client.get("/search/?q=Khalilzad").content.decode()
    assert "create a reader account" in page and "save-search" not in page
    response = client.get(reverse("alerts:alert_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert client.post(reverse("alerts:save_search"), {"query": "q=x"}).status_code == 302
    assert not Subscription.objects.exists()


def test_follow_edit_pause_delete_pages(archive, reader_client, reader):
    follow_url = reverse("alerts:follow", args=["actor", archive["envoy"].pk])
    page = reader_client.get(follow_url)
    assert "Statements by Zalmay Khalilzad" in page.content.decode()
    reader_client.post(follow_url, {"name": "Envoy", "frequency": "daily"})
    alert = Subscription.objects.get(user=reader)
    assert (alert.kind, alert.actor) == ("actor", archive["envoy"])
    reader_client.post(reverse("alerts:edit", args=[alert.pk]), {"name": "The envoy", "frequency": "weekly"})
    alert.refresh_from_db()
    assert (alert.name, alert.frequency) == ("The envoy", "weekly")
    reader_client.post(reverse("alerts:pause", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.paused
    assert "Resume" in reader_client.get(reverse("alerts:alert_list")).content.decode()
    reader_client.post(reverse("alerts:delete", args=[alert.pk]))
    assert not Subscription.objects.filter(user=reader).exists()


def test_a_reader_cannot_touch_another_readers_alerts(archive, reader_client):
    other = make_reader("other@example.org")
    theirs = follow(other, archive["envoy"])
    for name in ("edit", "pause", "delete"):
        assert reader_client.post(reverse(f"alerts:{name}", args=[theirs.pk]), {"name": "x"}).status_code == 404
    assert Subscription.objects.filter(pk=theirs.pk, paused=False).exists()


def test_follow_pages_are_linked_from_actor_topic_and_provision_pages(archive, client):
    provision = _provision(archive)
    for page, target, kind in (
        (archive["envoy"].get_absolute_url(), archive["envoy"], "actor"),
        (archive["prisoners"].get_absolute_url(), archive["prisoners"], "topic"),
        (provision.get_absolute_url(), provision, "provision"),
    ):
        assert reverse("alerts:follow", args=[kind, target.pk]) in client.get(page).content.decode(), page


# --- limits and leaving ----------------------------------------------------------------------------------


def test_alerts_per_reader_are_limited_with_a_clear_message(archive, reader_client, reader, settings):
    settings.ALERTS_MAX_PER_READER = 2
    save(reader, "q=ceasefire")
    save(reader, "q=prisoners")
    response = reader_client.post(
        reverse("alerts:save_search"), {"query": "q=Doha", "name": "Third", "frequency": "daily"}, follow=True
    )
    assert "You already have 2 alerts, the most one reader can keep" in response.content.decode()
    assert Subscription.objects.filter(user=reader).count() == 2


def test_deleting_the_account_removes_the_readers_data(archive, reader_client, reader, mailoutbox):
    alert = follow(reader, archive["envoy"])
    new_statement(speaker=archive["envoy"], words="Sent before leaving")
    services.send_alerts(now=NOW)
    assert AlertDelivery.objects.filter(subscription=alert).exists()
    wrong = reader_client.post(reverse("alerts:delete_account"), {"password": "not it"})
    assert wrong.status_code == 200 and get_user_model().objects.filter(pk=reader.pk).exists()
    response = reader_client.post(reverse("alerts:delete_account"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=reader.pk).exists()
    assert not Subscription.objects.exists() and not AlertDelivery.objects.exists()
    assert not EmailAddress.objects.filter(email="reader@example.org").exists()
    assert reader_client.get(reverse("alerts:alert_list")).status_code == 302  # logged out


def test_publication_ledger_forgets_statements_no_longer_public(archive):
    top = services.record_publications()
    statement = archive["envoy_doha"]
    assert Publication.objects.filter(statement=statement).exists()
    statement.review_status = "rejected"
    statement.save()
    services.record_publications()
    assert not Publication.objects.filter(statement=statement).exists()
    statement.review_status = "verified"
    statement.save()
    assert services.record_publications() > top  # published again: new again


def test_a_saved_search_waits_for_the_index_to_hold_a_new_statement(archive, reader, mailoutbox):
    alert = save(reader, "q=Khalilzad")
    fresh = new_statement(speaker=archive["envoy"], words="Words the index has not taken yet")
    owed = IndexOutbox.objects.create(identifier=f"archive.statement.{fresh.pk}")
    services.send_alerts(now=NOW)
    assert mailoutbox == []
    alert.refresh_from_db()
    assert alert.high_water < Publication.objects.get(statement=fresh).id  # not skipped: still ahead
    owed.delete()  # the index update was replayed
    services.send_alerts(now=NOW)
    (message,) = mailoutbox
    assert "Words the index has not taken yet" in message.body


def test_alerts_list_reads_in_a_bounded_number_of_queries(
    archive, reader_client, reader, django_assert_max_num_queries
):
    follow(reader, archive["envoy"])
    follow(reader, archive["prisoners"], kind="topic")
    follow(reader, _provision(archive), kind="provision")
    for n in range(5):
        save(reader, f"q=Doha{n}", name=f"Search {n}")
    with django_assert_max_num_queries(6):  # session, user, the alerts with their targets, messages
        response = reader_client.get(reverse("alerts:alert_list"))
    assert response.content.decode().count('class="alert-item') == 8


def test_following_the_same_actor_twice_says_so(archive, reader_client, reader):
    url = reverse("alerts:follow", args=["actor", archive["envoy"].pk])
    reader_client.post(url, {"name": "Envoy", "frequency": "daily"})
    again = reader_client.post(url, {"name": "Envoy again", "frequency": "weekly"})
    assert again.status_code == 200
    assert "You already follow this actor." in again.content.decode()
    assert Subscription.objects.filter(user=reader).count() == 1


@contextlib.contextmanager
def run_lock_held_elsewhere():
    """The run lock as another process holds it: another database session, or another open lock file."""
    if connection.vendor == "postgresql":
        other = connections.create_connection("default")
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [services.RUN_LOCK_KEY])
        try:
            yield
        finally:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [services.RUN_LOCK_KEY])
            other.close()
        return
    with services.single_run() as alone:  # a second open of the lock file, as another process's
        assert alone
        yield


def test_a_second_run_at_the_same_time_sends_nothing(archive, reader, mailoutbox):
    follow(reader, archive["envoy"])
    new_statement(speaker=archive["envoy"], words="Only one run may send this")
    with run_lock_held_elsewhere():
        assert services.send_alerts(now=NOW).already_running
        assert mailoutbox == []
    assert services.send_alerts(now=NOW).readers_mailed == 1


def test_an_alert_that_cannot_be_checked_is_retried_and_others_still_go(archive, reader, mailoutbox, monkeypatch):
    from archive.search.selectors import SearchOutcome

    broken = save(reader, "q=Khalilzad", name="Search")
    follow(reader, archive["envoy"])
    new_statement(speaker=archive["envoy"], words="Khalilzad spoke of the next round")

    def index_down(self, pks, batch_size=200):
        raise ConnectionError("the search server is down")

    monkeypatch.setattr(SearchOutcome, "statements_among", index_down)
    report = services.send_alerts(now=NOW)
    assert report.failures == 1 and report.readers_mailed == 1  # the follow went out
    broken.refresh_from_db()
    assert broken.checked_at is None
    monkeypatch.undo()  # the search server is back
    services.send_alerts(now=NOW)
    assert len(mailoutbox) == 2
    assert "== Search (saved search) ==" in mailoutbox[1].body


def test_a_statement_taken_off_the_site_while_its_mail_waits_is_never_sent(archive, reader, mailoutbox, monkeypatch):
    follow(reader, archive["envoy"])
    withdrawn = new_statement(speaker=archive["envoy"], words="A claim later withdrawn from the record")
    kept = new_statement(speaker=archive["envoy"], words="A claim that stands")

    def server_down(self, *args, **kwargs):
        raise ConnectionError("the mail server is down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", server_down)
    assert services.send_alerts(now=NOW).failures == 1  # both wait, recorded
    monkeypatch.undo()
    withdrawn.review_status = "rejected"
    withdrawn.save()
    services.send_alerts(now=NOW)
    (message,) = mailoutbox
    assert "A claim that stands" in message.body
    assert "later withdrawn" not in message.body
    assert not AlertDelivery.objects.filter(statement=withdrawn).exists()
    assert AlertDelivery.objects.get(statement=kept).sent_at is not None


def test_a_saved_search_whose_filter_is_gone_is_not_widened(archive, reader, mailoutbox):
    alert = save(reader, f"q=Khalilzad&topic={archive['prisoners'].slug}", name="Envoy on prisoners")
    archive["prisoners"].slug = "detainees"  # the topic renamed: the saved filter no longer names it
    archive["prisoners"].save()
    new_statement(speaker=archive["envoy"], words="Khalilzad spoke about the weather")
    report = services.send_alerts(now=NOW)
    assert report.failures == 1 and mailoutbox == []  # not run as a wider search
    alert.refresh_from_db()
    assert alert.checked_at is None  # its mark stays until the search is mended


def test_a_daily_alert_keeps_its_hour_when_runs_come_a_little_early(archive, reader, mailoutbox):
    alert = follow(reader, archive["envoy"], frequency="daily")
    # A timer every 20 minutes for five days: each day's check falls in the slack before the hour, and the
    # alert stays on its 07:00 cadence instead of creeping 20 minutes earlier each day.
    checks = set()
    for step in range(0, 5 * 24 * 3 + 1):
        services.send_alerts(now=NOW + datetime.timedelta(minutes=20 * step))
        alert.refresh_from_db()
        checks.add(alert.checked_at)
    assert sorted(checks) == [NOW + datetime.timedelta(days=n) for n in range(6)]


def test_a_superuser_who_is_not_staff_is_sent_to_the_admin_not_an_error(archive, reader_client, reader):
    reader.is_superuser = True
    reader.save()
    response = reader_client.post(reverse("alerts:delete_account"), {"password": PASSWORD})
    assert response.status_code == 302
    assert get_user_model().objects.filter(pk=reader.pk).exists()


def test_deleting_the_account_removes_the_login_records_kept_against_abuse(archive, reader_client, reader):
    from axes.models import AccessLog

    AccessLog.objects.create(username="reader@example.org", ip_address="127.0.0.9", user_agent="Browser")
    AccessLog.objects.create(username="someone.else@example.org", ip_address="127.0.0.8", user_agent="Browser")
    reader_client.post(reverse("alerts:delete_account"), {"password": PASSWORD})
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["someone.else@example.org"]
