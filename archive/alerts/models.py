"""Readers' alerts: saved searches and follows, the ledger of when statements became public, deliveries.

How `send_alerts` knows what is new (see archive.alerts.services):
- ``Publication`` gets a row, with an ever-growing id, the first time a run (or a new alert) finds a
  statement public. A statement published today with a date years back, or a draft made public, is new
  by this id whatever its date. A row whose statement is no longer public is removed, so a statement
  hidden and published again is found again.
- Each ``Subscription`` keeps the highest Publication id it has looked at (``high_water``).
- ``AlertDelivery`` (one per alert and statement, unique) is written as pending in the same transaction
  that moves the mark, and marked sent once the mail server has taken the message.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from archive.agreements.models import Provision
from archive.models import Actor, Statement, Topic


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "Immediately (at every mailing run)"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class Subscription(models.Model):
    """A reader's saved search, or their follow of an actor, a topic or an agreement provision."""

    class Kind(models.TextChoices):
        SEARCH = "search", "Saved search"
        ACTOR = "actor", "Actor"
        TOPIC = "topic", "Topic"
        PROVISION = "provision", "Agreement provision"

    Frequency = Frequency

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_subscriptions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200, help_text="The reader's own name for the alert.")
    query = models.CharField(
        max_length=2000, blank=True, help_text="A saved search's parameters, as in the search page's address."
    )
    actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    provision = models.ForeignKey(Provision, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    paused = models.BooleanField(default=False, help_text="A paused alert is not mailed.")
    high_water = models.BigIntegerField(
        default=0, help_text="The highest Publication id this alert has been checked against."
    )
    checked_at = models.DateTimeField(null=True, blank=True, help_text="When send_alerts last checked it.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["search", "actor", "topic", "provision"]), name="alert_kind"),
            models.CheckConstraint(
                condition=Q(frequency__in=["immediate", "daily", "weekly"]), name="alert_frequency_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="search", actor__isnull=True, topic__isnull=True, provision__isnull=True) & ~Q(query="")
                )
                | Q(kind="actor", actor__isnull=False, topic__isnull=True, provision__isnull=True)
                | Q(kind="topic", actor__isnull=True, topic__isnull=False, provision__isnull=True)
                | Q(kind="provision", actor__isnull=True, topic__isnull=True, provision__isnull=False),
                name="alert_target_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["user", "actor"],
                condition=Q(kind="actor"),
                name="alert_one_follow_per_actor",
                violation_error_message="You already follow this actor.",
            ),
            models.UniqueConstraint(
                fields=["user", "topic"],
                condition=Q(kind="topic"),
                name="alert_one_follow_per_topic",
                violation_error_message="You already follow this topic.",
            ),
            models.UniqueConstraint(
                fields=["user", "provision"],
                condition=Q(kind="provision"),
                name="alert_one_follow_per_provision",
                violation_error_message="You already follow this provision.",
            ),
        ]
        indexes = [models.Index(fields=["paused", "user"], name="alert_active_user_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """What the alert follows, on the site."""
        if self.kind == self.Kind.SEARCH:
            return f"{reverse('search:search')}?{self.query}"
        return self.target.get_absolute_url()

    @property
    def target(self):
        return {"actor": self.actor, "topic": self.topic, "provision": self.provision}.get(self.kind)


class Publication(models.Model):
    """The first time a statement was found public: its id orders what is new to the alerts."""

    id = models.BigAutoField(primary_key=True)
    statement = models.OneToOneField(Statement, on_delete=models.CASCADE, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.statement_id} public since {self.recorded_at:%Y-%m-%d %H:%M}"


class AlertDelivery(models.Model):
    """A statement an alert has mailed (sent_at set) or is about to mail (pending)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["subscription", "statement"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "statement"], name="alert_delivery_once"),
        ]
        indexes = [models.Index(fields=["subscription", "sent_at"], name="alert_delivery_pending_idx")]

    def __str__(self):
        return f"{self.subscription} → statement {self.statement_id}"
