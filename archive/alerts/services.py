"""Writes for the readers' alerts: saving and following, the publication ledger, and mailing alerts.

Delivery is at least once, never silently skipped: for each reader, the statements new to each due
alert are recorded as pending deliveries in the same transaction that moves the alert's mark; the mail
is sent; then those deliveries are marked sent. A run that fails before the mail server takes the
message leaves them pending, and the next run sends them (and nothing already sent). Only a crash in
the moment between the server taking the message and the database marking it can send it twice.
"""

import contextlib
import dataclasses
import datetime
import fcntl
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from archive.alerts import mail
from archive.alerts.models import AlertDelivery, Frequency, Publication, Subscription
from archive.alerts.selectors import confirmed_address, matching_statements, new_candidates, pending_deliveries
from archive.models import IndexOutbox, Statement

logger = logging.getLogger("archive.alerts")

PERIODS = {Frequency.DAILY: datetime.timedelta(days=1), Frequency.WEEKLY: datetime.timedelta(days=7)}
# A run started by the same timer a few minutes early still counts as the next day's or week's.
DUE_SLACK = datetime.timedelta(minutes=30)
UNSUBSCRIBE_SALT = "archive.alerts.unsubscribe"


# --- the publication ledger ---------------------------------------------------------------------------


def record_publications() -> int:
    """Give every public statement without one a Publication row; drop rows of statements no longer
    public. Returns the highest Publication id."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One recorder at a time, so ids are committed in the order they are given: an alert that has
            # read up to id N never later finds a smaller id appear.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Publication._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        public = Statement.objects.public()
        Publication.objects.exclude(statement__in=public).delete()
        new = public.exclude(pk__in=Publication.objects.values("statement_id")).order_by("pk")
        Publication.objects.bulk_create([Publication(statement_id=pk) for pk in new.values_list("pk", flat=True)])
        return Publication.objects.aggregate(top=Max("id"))["top"] or 0


def indexed_top(top: int) -> int:
    """The highest Publication id up to which the search index has every statement: a statement whose
    index update is still owed (its IndexOutbox row) waits, with everything after it, for the next run."""
    prefix = "archive.statement."
    owed = IndexOutbox.objects.filter(identifier__startswith=prefix).values_list("identifier", flat=True)
    pks = [int(i[len(prefix) :]) for i in owed if i[len(prefix) :].isdigit()]
    if not pks:
        return top
    first_owed = Publication.objects.filter(statement_id__in=pks).aggregate(first=Min("id"))["first"]
    return top if first_owed is None else min(top, first_owed - 1)


# --- saving, following, changing ------------------------------------------------------------------------


def create_subscription(*, user, kind: str, name: str, frequency: str, query: str = "", target=None) -> Subscription:
    """A new alert, checked only against statements that become public from now on."""
    limit = settings.ALERTS_MAX_PER_READER
    if Subscription.objects.filter(user=user).count() >= limit:
        raise ValidationError(
            f"You already have {limit} alerts, the most one reader can keep. Delete one to save another."
        )
    subscription = Subscription(user=user, kind=kind, name=name.strip(), frequency=frequency, query=query)
    if kind != Subscription.Kind.SEARCH:
        setattr(subscription, kind, target)
    subscription.full_clean()
    subscription.high_water = record_publications()
    subscription.save()
    return subscription


def update_subscription(*, subscription: Subscription, name: str, frequency: str) -> Subscription:
    subscription.name = name.strip()
    subscription.frequency = frequency
    subscription.full_clean()
    subscription.save(update_fields=["name", "frequency", "updated_at"])
    return subscription


def set_paused(*, subscription: Subscription, paused: bool) -> Subscription:
    """Pause or resume; a resumed alert starts from statements made public after the resume."""
    with transaction.atomic():
        subscription.paused = paused
        if not paused:
            subscription.high_water = record_publications()
            subscription.deliveries.filter(sent_at__isnull=True).delete()
        subscription.save(update_fields=["paused", "high_water", "updated_at"])
    return subscription


def delete_subscription(*, subscription: Subscription) -> None:
    subscription.delete()


def delete_reader(*, user) -> None:
    """The reader's account and everything of theirs: alerts, deliveries, addresses (cascades), and the
    login records kept against abuse (their address, network address and browser)."""
    if user.is_staff or user.is_superuser:
        raise ValidationError("Editors' accounts are managed in the admin.")
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    addresses = {user.get_username(), user.email, *user.emailaddress_set.values_list("email", flat=True)}
    addresses.discard("")
    with transaction.atomic():
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__in=addresses).delete()
        user.delete()


# --- unsubscribing without logging in -------------------------------------------------------------------


def unsubscribe_token(*, user_id: int, subscription_id: int | None = None) -> str:
    """A signed token for one alert, or for all of a reader's alerts (subscription_id None)."""
    return signing.dumps({"u": user_id, "s": subscription_id}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> dict | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) and "u" in data else None


def unsubscribe(*, token: str) -> int | None:
    """Delete what the token names; the number of alerts deleted, or None for a token not ours."""
    data = read_unsubscribe_token(token)
    if data is None:
        return None
    alerts = Subscription.objects.filter(user_id=data["u"])
    if data.get("s") is not None:
        alerts = alerts.filter(pk=data["s"])
    count = alerts.count()
    alerts.delete()
    return count


# --- mailing ---------------------------------------------------------------------------------------------


def is_due(*, subscription: Subscription, now: datetime.datetime) -> bool:
    if subscription.paused:
        return False
    period = PERIODS.get(subscription.frequency)
    if period is None or subscription.checked_at is None:
        return True
    return now >= subscription.checked_at + period - DUE_SLACK


def next_check_base(*, subscription: Subscription, now: datetime.datetime) -> datetime.datetime:
    """When the alert counts as checked: now, or, for a daily or weekly alert checked a little early (within
    the slack), the end of its period, so that its hour does not creep earlier from one period to the next."""
    period = PERIODS.get(subscription.frequency)
    if period is None or subscription.checked_at is None:
        return now
    return max(now, subscription.checked_at + period)


@dataclasses.dataclass
class Report:
    readers_mailed: int = 0
    statements_sent: int = 0
    failures: int = 0
    skipped_unconfirmed: int = 0
    already_running: bool = False


# Any number to name the lock by; it only has to be the same for every run.
RUN_LOCK_KEY = 0x616C65727473


@contextlib.contextmanager
def single_run():
    """Yields True in the only run under way, False when another holds the lock: two runs at once would
    both find the same pending deliveries and both send them. PostgreSQL: an advisory lock, held by the
    database session (released if the process dies); SQLite: a lock file beside the database."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [RUN_LOCK_KEY])
            acquired = cursor.fetchone()[0]
        try:
            yield acquired
        finally:
            if acquired:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK_KEY])
        return
    path = settings.VAR_DIR / "send_alerts.lock"
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def collect(*, subscription: Subscription, top: int, now: datetime.datetime) -> int:
    """Record the alert's new matches as pending and move its mark, in one transaction."""
    with transaction.atomic():
        locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
        matches = matching_statements(subscription=locked, candidates=new_candidates(subscription=locked, top=top))
        AlertDelivery.objects.bulk_create(
            [AlertDelivery(subscription=locked, statement_id=pk) for pk in sorted(matches)], ignore_conflicts=True
        )
        locked.high_water = max(locked.high_water, top)
        locked.checked_at = next_check_base(subscription=locked, now=now)
        locked.save(update_fields=["high_water", "checked_at"])
    return len(matches)


def send_alerts(*, now: datetime.datetime | None = None) -> Report:
    """Mail each confirmed reader what is new to their due alerts, and anything left pending before;
    nothing when another run is under way."""
    with single_run() as alone:
        if not alone:
            return Report(already_running=True)
        return _send_alerts(now=now or timezone.now())


def _send_alerts(*, now: datetime.datetime) -> Report:
    report = Report()
    top = record_publications()
    # Matches recorded but not yet sent whose statement has left the public site since are dropped.
    AlertDelivery.objects.filter(sent_at__isnull=True).exclude(statement__in=Statement.objects.public()).delete()
    search_top = indexed_top(top)
    users = get_user_model().objects.filter(alert_subscriptions__paused=False).distinct().order_by("pk")
    mail_connection = get_connection()
    for user in users:
        address = confirmed_address(user=user)
        if address is None:
            report.skipped_unconfirmed += 1
            continue
        for subscription in Subscription.objects.filter(user=user, paused=False):
            if is_due(subscription=subscription, now=now):
                mark = search_top if subscription.kind == Subscription.Kind.SEARCH else top
                try:
                    collect(subscription=subscription, top=mark, now=now)
                except Exception:  # a search that cannot run now (index down): its mark stays, retried next run
                    logger.exception("Alert %s could not be checked; it is checked again next run", subscription.pk)
                    report.failures += 1
        pending = list(pending_deliveries(user=user))
        if not pending:
            continue
        try:
            mail.alert_message(user=user, address=address, deliveries=pending, connection=mail_connection).send()
        except Exception:  # any failure of the mail server: keep them pending for the next run
            logger.exception("Alert mail to reader %s failed; %s statements stay pending", user.pk, len(pending))
            report.failures += 1
            mail_connection.close()
            mail_connection = get_connection()
            continue
        AlertDelivery.objects.filter(pk__in=[d.pk for d in pending]).update(sent_at=timezone.now())
        report.readers_mailed += 1
        report.statements_sent += len(pending)
    mail_connection.close()
    return report
